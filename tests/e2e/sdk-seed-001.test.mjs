// Seed 001 (classic API, plain JS) ported to clerk-wasm: www/sms/ driven as a
// person would, with codes read from the emulator's inbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveDemo, screenshot } from './lib/harness.mjs';
import { waitForCode, relaxLimits, uniquePhone, uniqueEmail } from './lib/emulator.mjs';

let server, url, browser;
before(async () => {
  await relaxLimits();
  ({ server, url } = await serveDemo());
  browser = await launch();
});
after(async () => { await browser?.close(); server?.close(); });

async function open(path) {
  await browser.context.clearCookies(); // a fresh client for every flow
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${url}${path}`);
  await page.waitForSelector('body[data-state]', { timeout: 15000 });
  return { page, errors };
}

for (const [name, path, make] of [['SMS', '/sms/', uniquePhone], ['email-code', '/email-code/', uniqueEmail]]) {
test(`${name} sign-up, sign-out and sign-in with the classic API (seed 001)`, async () => {
  const phone = make();
  const { page, errors } = await open(path);
  assert.equal(await page.getAttribute('body', 'data-state'), 'signed-out');

  // Sign up.
  let since = Date.now();
  await page.fill('#sign-up-phone', phone);
  await page.click('#sign-up-form button');
  await page.waitForSelector('#verifying:not([hidden])');
  await page.fill('#code', await waitForCode(phone, { since }));
  await page.click('#verify-button');
  await page.waitForSelector('body[data-state="signed-in"]');
  assert.equal(await page.textContent('#user-phone'), phone);
  assert.match(await page.textContent('#user-id'), /^user_/);
  await screenshot(page, `${name}-signed-up`);

  // Sign out (the page reloads signed out).
  await page.click('#sign-out');
  await page.waitForSelector('body[data-state="signed-out"]');

  // Sign in with a wrong code first, then the right one.
  since = Date.now();
  await page.fill('#sign-in-phone', phone);
  await page.click('#sign-in-form button');
  await page.waitForSelector('#sign-in-verifying:not([hidden])');
  const code = await waitForCode(phone, { since });
  await page.fill('#sign-in-code', code === '000000' ? '111111' : '000000');
  await page.click('#sign-in-verifying button');
  await page.waitForFunction(() => document.getElementById('error').textContent.length > 0);
  assert.match(await page.textContent('#error'), /incorrect/i);
  await page.fill('#sign-in-code', code);
  await page.click('#sign-in-verifying button');
  await page.waitForSelector('body[data-state="signed-in"]');
  assert.equal(await page.textContent('#user-phone'), phone);
  assert.deepEqual(errors, []);
  await page.close();
});
}
