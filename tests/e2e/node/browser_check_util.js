// What the headless-Chromium page checks share: the launch (playwright-core + Debian's /usr/bin/chromium),
// the step timeout, assertions, and the stdin go-ahead the pytest side sends.
'use strict';

const readline = require('readline');
const { chromium } = require('playwright-core');

const STEP_TIMEOUT_MS = 15000;
const CHROMIUM = process.env.AHTTP_CHROMIUM || '/usr/bin/chromium';

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what);
}

function waitForStdinLine() {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: process.stdin });
    const timer = setTimeout(() => reject(new Error('no go-ahead on stdin')), STEP_TIMEOUT_MS);
    rl.once('line', (line) => {
      clearTimeout(timer);
      rl.close();
      resolve(line);
    });
  });
}

function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

// Both pages log in the same way: #username, #secret, #login, then the text #login-message settles on.
async function login(page, user, secret) {
  await page.fill('#username', user);
  await page.fill('#secret', secret);
  await page.click('#login');
  await page.waitForFunction(() => {
    const m = document.getElementById('login-message').textContent;
    return m !== '' && m !== 'logging in...';
  }, null, { timeout: STEP_TIMEOUT_MS });
  return page.textContent('#login-message');
}

module.exports = { STEP_TIMEOUT_MS, check, waitForStdinLine, launchChromium, login };
