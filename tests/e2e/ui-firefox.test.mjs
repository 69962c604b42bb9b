// Issue 6 in Firefox: the mounted forms (www/components/, the `clerk-wasm/ui` entry, under its
// strict CSP) used with the keyboard in headless firefox-esr through geckodriver (W3C WebDriver;
// playwright-core cannot drive a stock Firefox). Sign up with a phone number, sign out from the
// user button, sign in with a wrong code (its error on the field) and then the right one.
// axe-core reports 0 violations on each step; screenshots: tests/e2e/artifacts/ui-firefox-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDemo, REPO, ARTIFACTS } from './lib/harness.mjs';
import { waitForCode, relaxLimits, uniquePhone } from './lib/emulator.mjs';
import { firefox, Keys } from './lib/webdriver.mjs';

const AXE = fs.readFileSync(path.join(REPO, 'tests/e2e/node_modules/axe-core/axe.min.js'), 'utf8');

let server, url, ff;
before(async () => {
  await relaxLimits();
  ({ server, url } = await serveDemo());
  ff = await firefox();
});
after(async () => { await ff?.close(); server?.close(); });

let shots = 0;
/** axe-core: 0 violations now (injected by WebDriver, so the page's CSP stays strict); then a screenshot. */
async function check(name) {
  await ff.cmd('POST', '/execute/sync', { script: `${AXE}\nreturn typeof window.axe;`, args: [] });
  const violations = await ff.run(() => window.axe.run(document, { resultTypes: ['violations'] })
    .then((r) => r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)));
  assert.deepEqual(violations, [], `axe-core violations at step "${name}"`);
  shots += 1;
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await ff.screenshot(path.join(ARTIFACTS, `ui-firefox-${String(shots).padStart(2, '0')}-${name}.png`));
}

const text = (css) => ff.run((s) => document.querySelector(s)?.textContent ?? null, css);
const attr = (css, name) => ff.run((s, n) => document.querySelector(s)?.getAttribute(n) ?? null, css, name);
const present = (css) => ff.waitFor((s) => !!document.querySelector(s), [css]);
const state = (s) => ff.waitFor((v) => document.body.dataset.state === v, [s]);

test('Firefox: sign up by phone, sign out, sign in with a wrong then the right code (keyboard)', async () => {
  await ff.goto(`${url}/components/`);
  await present('#sign-up .cw-input');
  await check('start');
  const phone = uniquePhone();

  // Sign up: switch to phone, type the number, Enter; then the code from the inbox, Enter.
  await ff.click('#sign-up [data-cw=switch]');
  assert.equal(await attr('#sign-up .cw-input', 'type'), 'tel');
  let since = Date.now();
  await ff.type('#sign-up .cw-input', phone + Keys.ENTER);
  await present('#sign-up input[autocomplete="one-time-code"]');
  assert.match(await text('#sign-up .cw-title'), /Check your phone/);
  assert.equal(await attr('#sign-up input[autocomplete="one-time-code"]', 'inputmode'), 'numeric');
  await check('sign-up-code');
  await ff.type('#sign-up input[autocomplete="one-time-code"]', (await waitForCode(phone, { since })) + Keys.ENTER);
  await state('signed-in');
  await present('.cw-user-btn');
  assert.match(await text('#sign-up'), /You are signed in/);
  assert.equal(await text('.cw-user-name'), phone);
  assert.equal(await ff.run((p) => window.Clerk.user.phoneNumbers.some((n) => n.phoneNumber === p), phone), true);
  await check('signed-in');

  // Sign out from the user button's menu.
  await ff.click('.cw-user-btn');
  assert.equal(await attr('.cw-user-btn', 'aria-expanded'), 'true');
  await ff.click('.cw-menu [data-cw=signout]');
  await state('signed-out');
  await present('#sign-in .cw-input');

  // Sign in: a wrong code shows its error on the field and keeps focus there.
  await ff.click('#sign-in [data-cw=switch]');
  since = Date.now();
  await ff.type('#sign-in .cw-input', phone + Keys.ENTER);
  await present('#sign-in input[autocomplete="one-time-code"]');
  const right = await waitForCode(phone, { since });
  await ff.type('#sign-in input[autocomplete="one-time-code"]', (right === '000000' ? '111111' : '000000') + Keys.ENTER);
  await ff.waitFor(() => document.querySelector('#sign-in .cw-err')?.textContent.length > 0);
  assert.match(await text('#sign-in .cw-err'), /incorrect/i);
  assert.equal(await attr('#sign-in input[autocomplete="one-time-code"]', 'aria-invalid'), 'true');
  assert.equal(await ff.run(() => document.activeElement?.getAttribute('autocomplete')), 'one-time-code');
  await check('sign-in-wrong-code');
  await ff.clear('#sign-in input[autocomplete="one-time-code"]');
  await ff.type('#sign-in input[autocomplete="one-time-code"]', right + Keys.ENTER);
  await state('signed-in');
  assert.match(await text('#sign-in'), /You are signed in/);
  await check('sign-in-done');
});
