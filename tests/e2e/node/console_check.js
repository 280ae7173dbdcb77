#!/usr/bin/env node
// Drives static-http/ami-console.html in headless Chromium (playwright-core + Debian's /usr/bin/chromium).
//
//   node console_check.js <console-url> <user> <secret> <screenshot.png>
//
// Steps: a wrong secret must show the failure; the right one logs in; Ping must show Pong; an action with a
// parameter row must echo it; streaming is started, then the script prints "READY" on stdout and waits for a
// line on stdin (the test sends a UserEvent from another session meanwhile); the event must appear, with its
// markup-looking header shown as text (no element injected, no script run). Then the screenshot is taken,
// streaming stopped and the session logged off. Exit status 0 = all passed; failures go to stderr.
'use strict';

const { STEP_TIMEOUT_MS, check, waitForStdinLine, launchChromium, login } = require('./browser_check_util');

// Must match what the pytest side sends in its UserEvent.
const EVENT_NAME = 'ConsoleCheck';
const XSS_VALUE = '<img src=x onerror="window.__pwned=1">&amp;';

// Text of the newest card in a list (responses or events), waiting until it contains `needle`.
async function waitNewest(page, listId, needle) {
  await page.waitForFunction(
    ([id, text]) => {
      const first = document.getElementById(id).firstElementChild;
      return first !== null && first.textContent.includes(text);
    },
    [listId, needle],
    { timeout: STEP_TIMEOUT_MS });
  return page.$eval('#' + listId, (list) => list.firstElementChild.textContent);
}

async function main() {
  const [url, user, secret, shot] = process.argv.slice(2);
  check(url && user && secret && shot, 'usage: console_check.js <url> <user> <secret> <screenshot.png>');

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    const pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('console', (msg) => { if (msg.type() === 'error') pageErrors.push(msg.text()); });
    page.on('response', (r) => { if (r.status() >= 400) pageErrors.push('HTTP ' + r.status() + ' for ' + r.url()); });

    const nav = await page.goto(url);
    check(nav && nav.status() === 200, 'console page answered 200, got ' + (nav && nav.status()));
    const endpoint = new URL(url).pathname.replace(/\/static\/[^/]*$/, '/rawman');
    check(await page.textContent('#endpoint') === endpoint, 'endpoint is ' + endpoint);

    // Wrong secret: the failure is shown and the badge says not logged in.
    let msg = await login(page, user, secret + '-wrong');
    check(msg === 'Login failed: Authentication failed', 'wrong secret shows failure, got: ' + msg);
    check(await page.getAttribute('#state', 'data-state') === 'out', 'badge says logged out after failure');

    msg = await login(page, user, secret);
    check(msg === 'Authentication accepted', 'login accepted, got: ' + msg);
    check(await page.getAttribute('#state', 'data-state') === 'in', 'badge says logged in');

    // Ping through the action form: the reply table shows Pong.
    await page.fill('#action', 'Ping');
    await page.click('#send');
    let card = await waitNewest(page, 'responses', 'Pong');
    check(card.includes('Ping') && card.includes('Success'), 'Ping card shows Success: ' + card);

    // A parameter row: the ActionID comes back in the reply.
    await page.fill('#params .param-row:first-child .param-name', 'ActionID');
    await page.fill('#params .param-row:first-child .param-value', 'console-42');
    await page.click('#send');
    card = await waitNewest(page, 'responses', 'console-42');
    check(card.includes('Pong'), 'Ping with ActionID answered: ' + card);

    // Stream events, then let the test send a UserEvent from another session.
    await page.click('#stream');
    check(await page.getAttribute('#stream', 'aria-pressed') === 'true', 'stream toggle is on');
    process.stdout.write('READY\n');
    await waitForStdinLine();
    card = await waitNewest(page, 'events', EVENT_NAME);
    check(card.includes('UserEvent'), 'event card names UserEvent: ' + card);
    check(card.includes(XSS_VALUE), 'markup in the event shown literally: ' + card);
    check(await page.$('#events img') === null, 'no element injected from server text');
    check(await page.evaluate(() => window.__pwned === undefined), 'no script ran from server text');

    await page.screenshot({ path: shot, fullPage: true });

    await page.click('#stream');
    check(await page.getAttribute('#stream', 'aria-pressed') === 'false', 'stream toggle is off');
    await page.click('#logoff');
    await waitNewest(page, 'responses', 'Thanks for all the fish.');
    check(await page.getAttribute('#state', 'data-state') === 'out', 'badge says logged out after Logoff');

    check(pageErrors.length === 0, 'no page errors: ' + pageErrors.join(' | '));
    process.stdout.write('PASS\n');
  } finally {
    await browser.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(String(err && err.stack ? err.stack : err) + '\n');
    process.exit(1);
  });
