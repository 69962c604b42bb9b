// The hosted pages (issue 14): an app page → redirectToSignUp()/redirectToSignIn() → the
// emulator's own /sign-up and /sign-in (the clerk-wasm/ui forms, strict CSP) → a code from
// the inbox → back on the app, signed in, without another code. With clerk-wasm and with the
// official @clerk/clerk-js (its own redirectToSignIn()), on a development instance (the dev
// browser travels in the URL) and a production one (the Frontend API's cookie). Also: /user
// shows the user and signs out; a second-factor sign-in through the forms; axe-core on every
// hosted page; screenshots in tests/e2e/artifacts/hosted-*.png.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDemo, EMULATOR, REPO, emulatorConfig, screenshot, launchBrowser } from './lib/harness.mjs';
import { relaxLimits, waitForCode, uniquePhone, uniqueEmail, configure } from './lib/emulator.mjs';
import { startServer } from '../../scripts/serve.mjs';
import { CLERKJS_DIST, PAGE_DIR } from './conformance/lib.mjs';

const AXE_SOURCE = fs.readFileSync(path.join(REPO, 'tests/e2e/node_modules/axe-core/axe.min.js'), 'utf8');
const LCL_HOST = 'clerk.emulator.lcl.dev';
const matrix = [];
let demo, clerkjsSite, browser, original;

before(async () => {
  original = (await emulatorConfig()).config;
  await relaxLimits();
  demo = await serveDemo();
  clerkjsSite = await startServer({ root: PAGE_DIR, mounts: { '/clerkjs': CLERKJS_DIST } });
  ({ browser } = await launchBrowser());
});
after(async () => {
  if (original) await configure({ instance_type: original.instance_type, second_factor: original.second_factor });
  await browser?.close();
  demo?.server.close();
  clerkjsSite?.server.close();
  console.log('\nhosted pages round trips:\n| library | instance | flow | outcome |\n|---|---|---|---|');
  for (const r of matrix) console.log(`| ${r.join(' | ')} |`);
});

let shots = 0;
/** axe-core: 0 violations on a hosted page as it is now; then a screenshot. */
async function check(page, name) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const violations = result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(violations, [], `axe-core violations at "${name}"`);
  shots += 1;
  await screenshot(page, `hosted-${String(shots).padStart(2, '0')}-${name}`);
}

/** A page that records page errors and CSP refusals. */
async function newPage(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) page.problems.push(m.text());
  });
  return page;
}

/** On a hosted page (the emulator's origin): waits for its form. */
async function onHosted(page, which) {
  await page.waitForURL((u) => u.origin === EMULATOR && u.pathname === `/${which}`, { timeout: 20000 });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  assert.equal(new URL(page.url()).searchParams.get('__clerk_db_jwt'), null, 'the dev browser was taken out of the address bar');
}

/** Types a phone number into the hosted form, then the code from the inbox. */
async function phoneCode(page, phone, name) {
  const switcher = page.locator('[data-cw=switch]');
  if (await page.locator('.cw-input[type=tel]').count() === 0) await switcher.click();
  const since = Date.now();
  await page.locator('.cw-input[type=tel]').fill(phone);
  await check(page, `${name}-start`);
  await page.locator('button[type=submit]').click();
  await page.waitForSelector('input[autocomplete="one-time-code"]');
  await check(page, `${name}-code`);
  await page.locator('input[autocomplete="one-time-code"]').fill(await waitForCode(phone, { since }));
  await page.locator('button[type=submit]').click();
}

/** The clerk-wasm demo app (www/hosted/) with this key. */
async function wasmApp(page, key) {
  await page.goto(`${demo.url}/hosted/?key=${encodeURIComponent(key)}`);
  await page.waitForSelector('body[data-ready="true"]');
}

const appState = (page) => page.waitForFunction(() => document.body.dataset.state, null, { timeout: 20000 })
  .then(() => page.evaluate(() => document.body.dataset.state));

for (const instance of ['development', 'production']) {
  describe(`clerk-wasm app, ${instance} instance`, () => {
    let context, page, key;
    const phone = uniquePhone();
    before(async () => {
      await configure({ instance_type: instance, second_factor: false });
      key = (await emulatorConfig()).publishable_key;
      context = await browser.newContext();
      page = await newPage(context);
    });
    after(async () => { await context?.close(); });

    test('sign-up on the hosted page, back on the app signed in', async () => {
      await wasmApp(page, key);
      assert.equal(await appState(page), 'signed-out');
      const target = await page.evaluate(() => window.__clerk?.buildSignUpUrl?.() ?? null);
      assert.equal(target, null, 'the demo keeps its Clerk private');
      await page.click('#sign-up');
      await onHosted(page, 'sign-up');
      await phoneCode(page, phone, `wasm-${instance}-sign-up`);
      await page.waitForURL((u) => u.href.startsWith(`${demo.url}/hosted/`), { timeout: 20000 });
      assert.equal(await appState(page), 'signed-in');
      assert.equal(new URL(page.url()).searchParams.get('__clerk_db_jwt'), null, 'the app took the dev browser out of its URL');
      assert.deepEqual(page.problems, []);
      matrix.push(['clerk-wasm', instance, 'sign-up', 'signed in on the app']);
    });

    test('/user shows the user and signs out', async () => {
      await page.click('#profile');
      await onHosted(page, 'user');
      assert.match(await page.textContent('.hp-user'), new RegExp(phone.replace('+', '\\+')));
      await check(page, `wasm-${instance}-user`);
      await page.click('[data-hp=signout]');
      await onHosted(page, 'sign-in');
      await wasmApp(page, key);
      assert.equal(await appState(page), 'signed-out', 'signed out on the app too');
      matrix.push(['clerk-wasm', instance, '/user → sign out', 'signed out on the app']);
    });

    test('sign-in on the hosted page, back on the app signed in', async () => {
      await page.click('#sign-in');
      await onHosted(page, 'sign-in');
      await phoneCode(page, phone, `wasm-${instance}-sign-in`);
      await page.waitForURL((u) => u.href.startsWith(`${demo.url}/hosted/`), { timeout: 20000 });
      assert.equal(await appState(page), 'signed-in');
      await page.click('#sign-out');
      await page.waitForFunction(() => document.body.dataset.state === 'signed-out', null, { timeout: 20000 });
      assert.deepEqual(page.problems, []);
      matrix.push(['clerk-wasm', instance, 'sign-in', 'signed in on the app']);
    });
  });
}

for (const variant of ['dev-browser', 'prod']) {
  describe(`official ClerkJS app (${variant})`, () => {
    let context, page, key, cfg;
    const phone = uniquePhone();
    before(async () => {
      await configure({ instance_type: variant === 'prod' ? 'production' : 'development', second_factor: false });
      cfg = await emulatorConfig();
      key = variant === 'prod' ? cfg.publishable_key
        : `pk_test_${Buffer.from(`${LCL_HOST}$`).toString('base64').replace(/=+$/, '')}`;
      context = await browser.newContext();
      page = await newPage(context);
    });
    after(async () => { await context?.close(); });

    const app = () => `${clerkjsSite.url}/?${new URLSearchParams({ pk: key, proxy: cfg.frontend_api, variant })}`;
    async function loadApp() {
      await page.waitForFunction(() => !!window.Clerk, null, { timeout: 20000 });
      return page.evaluate(async () => {
        await window.Clerk.load();
        return { signedIn: window.Clerk.isSignedIn, user: window.Clerk.user?.primaryPhoneNumber?.phoneNumber ?? null };
      });
    }

    for (const flow of ['sign-up', 'sign-in']) {
      test(`ClerkJS redirectTo${flow === 'sign-up' ? 'SignUp' : 'SignIn'}() → hosted ${flow} → back signed in`, async () => {
        await page.goto(app());
        assert.equal((await loadApp()).signedIn, false);
        await page.evaluate((f) => (f === 'sign-up' ? window.Clerk.redirectToSignUp() : window.Clerk.redirectToSignIn()), flow);
        await onHosted(page, flow);
        await phoneCode(page, phone, `clerkjs-${variant}-${flow}`);
        await page.waitForURL((u) => u.origin === new URL(clerkjsSite.url).origin, { timeout: 20000 });
        const back = await loadApp();
        assert.deepEqual(back, { signedIn: true, user: phone }, 'ClerkJS is signed in after the round trip');
        // ClerkJS navigates after signing out (afterSignOutUrl, default /): let it land.
        await Promise.all([
          page.waitForNavigation({ timeout: 5000 }).catch(() => {}),
          page.evaluate(() => window.Clerk.signOut()),
        ]);
        matrix.push(['@clerk/clerk-js 6.40', variant === 'prod' ? 'production' : 'development', flow, 'signed in on the app']);
      });
    }
  });
}

test('a second-factor sign-in through the hosted forms', async () => {
  await configure({ instance_type: 'development', second_factor: true });
  const key = (await emulatorConfig()).publishable_key;
  const context = await browser.newContext();
  const page = await newPage(context);
  try {
    // A user with a verified email and a verified phone (the emulator's second factor is SMS).
    const phone = uniquePhone();
    const email = uniqueEmail('mfa');
    await wasmApp(page, key);
    await page.evaluate(async ({ email, phone }) => {
      const { Clerk } = await import('/pkg/index.js');
      const k = new URLSearchParams(location.search).get('key');
      const c = new Clerk(k);
      await c.load();
      await c.client.signUp.create({ emailAddress: email, phoneNumber: phone });
      window.__c = c;
    }, { email, phone });
    for (const [to, verify] of [[phone, 'attemptPhoneNumberVerification'], [email, 'attemptEmailAddressVerification']]) {
      const since = Date.now();
      await page.evaluate((v) => (v.startsWith('attemptPhone')
        ? window.__c.client.signUp.preparePhoneNumberVerification()
        : window.__c.client.signUp.prepareEmailAddressVerification()), verify);
      const code = await waitForCode(to, { since });
      await page.evaluate(([v, c]) => window.__c.client.signUp[v]({ code: c }), [verify, code]);
    }
    await page.evaluate(() => window.__c.signOut());
    // Sign in on the hosted page by email code, then the SMS second factor.
    await wasmApp(page, key);
    await page.click('#sign-in');
    await onHosted(page, 'sign-in');
    let since = Date.now();
    await page.locator('.cw-input[type=email], .cw-input:not([type=tel])').first().fill(email);
    await page.locator('button[type=submit]').click();
    await page.waitForSelector('input[autocomplete="one-time-code"]');
    await page.locator('input[autocomplete="one-time-code"]').fill(await waitForCode(email, { since }));
    since = Date.now();
    await page.locator('button[type=submit]').click();
    await page.waitForFunction(() => /Two-step verification/.test(document.querySelector('.cw-title')?.textContent ?? ''));
    await check(page, 'second-factor');
    await page.locator('input[autocomplete="one-time-code"]').fill(await waitForCode(phone, { since }));
    await page.locator('button[type=submit]').click();
    await page.waitForURL((u) => u.href.startsWith(`${demo.url}/hosted/`), { timeout: 20000 });
    assert.equal(await appState(page), 'signed-in');
    assert.deepEqual(page.problems, []);
    matrix.push(['clerk-wasm', 'development', 'sign-in + second factor', 'signed in on the app']);
  } finally {
    await configure({ second_factor: false });
    await context.close();
  }
});

test('the hosted pages: strict CSP, escaped app name, no package → a clear 503, no open redirect', async () => {
  const res = await fetch(`${EMULATOR}/sign-in`);
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  const html = await res.text();
  assert.doesNotMatch(html, /<script>(?!<\/script>)|<script(?![^>]*\bsrc=)[^>]*>|style=/, 'no inline script or style');
  await configure({ application_name: '<img src=x onerror=alert(1)>' });
  try {
    assert.match(await (await fetch(`${EMULATOR}/sign-up`)).text(), /&lt;img src=x onerror=alert\(1\)&gt;/);
  } finally {
    await configure({ application_name: original.application_name });
  }
  for (const bad of ['/__clerk-wasm/../Cargo.toml', '/__clerk-wasm/package.json', '/__clerk-wasm/%2e%2e/README.md']) {
    assert.equal((await fetch(`${EMULATOR}${bad}`)).status, 404, bad);
  }
  // A redirect_url on a foreign origin: the forms do not follow it.
  const context = await browser.newContext();
  const page = await newPage(context);
  try {
    await configure({ instance_type: 'development' });
    const phone = uniquePhone();
    await page.goto(`${EMULATOR}/sign-up#/?redirect_url=${encodeURIComponent('https://evil.example/steal')}`);
    await page.waitForSelector('body[data-ready="true"]');
    await phoneCode(page, phone, 'foreign-redirect');
    await page.waitForFunction(() => /signed in/i.test(document.body.textContent));
    await page.waitForTimeout(500);
    assert.equal(new URL(page.url()).origin, EMULATOR, 'stayed on the emulator, never went to evil.example');
  } finally {
    await context.close();
  }
});
