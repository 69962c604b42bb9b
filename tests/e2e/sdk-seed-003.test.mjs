// Seed 003 (the newer API) ported to plain JS: www/newer-api/ driven in Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveDemo, screenshot } from './lib/harness.mjs';
import { waitForCode, relaxLimits, uniquePhone } from './lib/emulator.mjs';

let server, url, browser;
before(async () => {
  await relaxLimits();
  ({ server, url } = await serveDemo());
  browser = await launch();
});
after(async () => { await browser?.close(); server?.close(); });

test('newer API: sign-up with sendPhoneCode/verifyPhoneCode/finalize, then sign-in with phoneCode', async () => {
  const phone = uniquePhone();
  const page = await browser.context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${url}/newer-api/`);
  await page.waitForSelector('body[data-state="signed-out"]');

  // A malformed number shows a field error from errors.fields.phoneNumber.
  await page.fill('#phoneNumber', '12');
  await page.click('#phone-form button');
  await page.waitForFunction(() => document.getElementById('phone-error').textContent.length > 0);
  assert.match(await page.textContent('#phone-error'), /E\.164|phone/i);
  assert.equal(await page.isHidden('#code-form'), true);

  let since = Date.now();
  await page.fill('#phoneNumber', phone);
  await page.click('#phone-form button');
  await page.waitForSelector('#code-form:not([hidden])');
  const code = await waitForCode(phone, { since });
  await page.fill('#code', code === '000000' ? '111111' : '000000');
  await page.click('#code-form button');
  await page.waitForFunction(() => document.getElementById('code-error').textContent.length > 0);
  assert.match(await page.textContent('#code-error'), /incorrect/i);
  assert.equal(await page.getAttribute('body', 'data-fetch'), 'idle');
  await page.fill('#code', code);
  await page.click('#code-form button');
  await page.waitForSelector('body[data-state="signed-in"]');
  assert.equal(await page.textContent('#user-phone'), phone);
  await screenshot(page, 'newer-api-signed-up');

  await page.click('#sign-out');
  await page.waitForSelector('body[data-state="signed-out"]');
  await page.check('input[value="sign-in"]');
  // Sign-in with a malformed number: the error is on errors.fields.identifier, the
  // field FAPI names (ClerkJS 6.40's sign-in fields are identifier/password/code).
  await page.fill('#phoneNumber', 'abc');
  await page.click('#phone-form button');
  await page.waitForFunction(() => document.getElementById('phone-error').textContent.length > 0);
  assert.match(await page.textContent('#phone-error'), /only digits/i);
  const signInErrors = await page.evaluate(async () => {
    const m = await import('/pkg/index.js');
    const clerk = new m.Clerk((await (await fetch('/emulator.json')).json()).publishable_key);
    await clerk.load();
    const { error } = await clerk.signIn.phoneCode.sendCode({ phoneNumber: 'abc' });
    const { fields, global } = clerk.signIn.errors;
    return { code: error?.code, fields: Object.keys(fields), field: fields.identifier?.code, global: global.length };
  });
  assert.deepEqual(signInErrors, { code: 'invalid_phone_number', fields: ['identifier'], field: 'invalid_phone_number', global: 0 });
  since = Date.now();
  await page.fill('#phoneNumber', phone);
  await page.click('#phone-form button');
  await page.waitForSelector('#code-form:not([hidden])');
  await page.fill('#code', await waitForCode(phone, { since }));
  await page.click('#code-form button');
  await page.waitForSelector('body[data-state="signed-in"]');
  assert.equal(await page.textContent('#user-phone'), phone);
  assert.deepEqual(pageErrors, []);
  await page.close();
});
