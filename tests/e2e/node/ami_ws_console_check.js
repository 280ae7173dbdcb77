#!/usr/bin/env node
// Drives static-http/ami-websocket.html in headless Chromium (playwright-core + Debian's /usr/bin/chromium):
// the browser's own WebSocket client against the `ami` protocol on /ws.
//
//   node ami_ws_console_check.js <page-url> <user> <secret> <screenshot.png>
//
// Steps: the page connects by itself; a wrong secret shows the failure and the server closes (1008); reconnect
// and log in; a raw Ping with an ActionID comes back with Pong; then the script prints "READY" and waits for a
// line on stdin (the test sends a UserEvent from another session meanwhile); the pushed event must appear with
// its markup-looking header shown as text. Screenshot, Log off (Goodbye, close 1000); then an HTTP login
// (/rawman) whose cookie the browser sends with a new handshake: Ping works without Login. "PASS". Exit 0 = passed.
'use strict';

const { STEP_TIMEOUT_MS, check, waitForStdinLine, launchChromium, login } = require('./browser_check_util');

// Must match what the pytest side sends in its UserEvent.
const EVENT_NAME = 'WsPageCheck';
const XSS_VALUE = '<img src=x onerror="window.__pwned=1">&amp;';

async function waitState(page, state) {
  await page.waitForFunction((s) => document.getElementById('state').dataset.state === s, state,
    { timeout: STEP_TIMEOUT_MS });
}

// Text of the newest card of a list, waiting until it contains `needle`.
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

// Some card of a list contains `needle` (events may arrive in any number around it).
async function waitAny(page, listId, needle) {
  await page.waitForFunction(
    ([id, text]) => Array.from(document.getElementById(id).children).some((li) => li.textContent.includes(text)),
    [listId, needle],
    { timeout: STEP_TIMEOUT_MS });
  return page.$$eval('#' + listId + ' li', (items, text) => items.map((li) => li.textContent)
    .find((t) => t.includes(text)), needle);
}

async function main() {
  const [url, user, secret, shot] = process.argv.slice(2);
  check(url && user && secret && shot, 'usage: ami_ws_console_check.js <url> <user> <secret> <screenshot.png>');

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
    const pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('response', (r) => { if (r.status() >= 400) pageErrors.push('HTTP ' + r.status() + ' for ' + r.url()); });

    const nav = await page.goto(url);
    check(nav && nav.status() === 200, 'page answered 200, got ' + (nav && nav.status()));
    const endpoint = new URL(url).pathname.replace(/\/static\/[^/]*$/, '/ws');
    check(await page.textContent('#endpoint') === endpoint, 'endpoint is ' + endpoint);
    await waitState(page, 'open');

    // Wrong secret: the failure is shown, then the server closes the session with 1008.
    let msg = await login(page, user, secret + '-wrong');
    check(msg === 'Login failed: Authentication failed', 'wrong secret shows failure, got: ' + msg);
    await waitState(page, 'closed');
    check(await page.textContent('#close-info') === 'closed with 1008', 'closed with 1008 after a failed login');

    await page.click('#connect');
    await waitState(page, 'open');
    msg = await login(page, user, secret);
    check(msg === 'Authentication accepted', 'login accepted, got: ' + msg);
    await waitState(page, 'in');

    await page.fill('#message', 'Action: Ping\nActionID: page-42');
    await page.click('#send');
    const card = await waitNewest(page, 'responses', 'page-42');
    check(card.startsWith('Response: Success\r\nActionID: page-42\r\nPing: Pong'), 'Ping answered: ' + card);

    // Events are pushed without asking: let the test send a UserEvent from another session.
    process.stdout.write('READY\n');
    await waitForStdinLine();
    const ev = await waitAny(page, 'events', EVENT_NAME);
    check(ev.startsWith('Event: UserEvent'), 'event card is a UserEvent: ' + ev);
    check(ev.includes(XSS_VALUE), 'markup in the event shown literally: ' + ev);
    check(await page.$('#events img') === null, 'no element injected from server text');
    check(await page.evaluate(() => window.__pwned === undefined), 'no script ran from server text');

    await page.screenshot({ path: shot, fullPage: true });

    await page.click('#logoff');
    await waitNewest(page, 'responses', 'Response: Goodbye');
    await waitState(page, 'closed');
    check(await page.textContent('#close-info') === 'closed with 1000', 'Logoff closes with 1000');

    // Cookie handshake: log in over HTTP (/rawman sets mansession_id), then the browser sends the cookie with
    // the WebSocket handshake and the new session is logged in without a Login frame.
    const rawman = endpoint.replace(/\/ws$/, '/rawman');
    const httpLogin = await page.evaluate(async ([path, u, s]) => {
      const r = await fetch(path + '?action=Login&username=' + encodeURIComponent(u) + '&secret=' +
                            encodeURIComponent(s));
      return r.text();
    }, [rawman, user, secret]);
    check(httpLogin.startsWith('Response: Success\r\nMessage: Authentication accepted'), 'HTTP login: ' + httpLogin);
    await page.click('#connect');
    await waitState(page, 'open');
    await page.fill('#message', 'Action: Ping\nActionID: cookie-7');
    await page.click('#send');
    const cookieCard = await waitNewest(page, 'responses', 'cookie-7');
    check(cookieCard.includes('Ping: Pong'), 'cookie session answers Ping without a Login: ' + cookieCard);

    check(pageErrors.length === 0, 'no page errors: ' + pageErrors.join('; '));
    process.stdout.write('PASS\n');
  } finally {
    await browser.close();
  }
}

main().then(() => process.exit(0), (err) => {
  process.stderr.write(String(err && err.stack || err) + '\n');
  process.exit(1);
});
