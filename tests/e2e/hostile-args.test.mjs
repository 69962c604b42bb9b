// Hostile and mistaken arguments across the JS API, in Chromium against the emulator:
// every call settles (no hang), fails with a typed ClerkError, a TypeError, or the
// caller's own exception (a throwing getter or Proxy in the params), and nothing reaches
// the page as an uncaught error or a wasm trap — during the call or after it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveDemo } from './lib/harness.mjs';
import { relaxLimits } from './lib/emulator.mjs';

let server, url, browser, page;
const pageErrors = [];
before(async () => {
  await relaxLimits();
  ({ server, url } = await serveDemo());
  browser = await launch();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${url}/`);
  await page.waitForSelector('body[data-ready="true"]');
});
after(async () => { await browser?.close(); server?.close(); });

test('every public call under hostile arguments settles with a typed error or the caller\'s own exception; no uncaught error', async () => {
  const r = await page.evaluate(async () => {
    const m = await import('/pkg/index.js');
    const key = (await (await fetch('/emulator.json')).json()).publishable_key;
    const own = (msg) => { const e = new Error(msg); e.own = true; return e; };
    const trap = new Proxy({}, {
      get() { throw own('trap get'); }, has() { throw own('trap has'); }, ownKeys() { throw own('trap keys'); },
    });
    const cyclic = {}; cyclic.self = cyclic; cyclic.identifier = cyclic;
    const inputs = {
      undefined: undefined, null: null, number: 42, string: 'str', symbol: Symbol('s'), array: [1, 2], bigint: 10n,
      symbolFields: { identifier: Symbol('x'), strategy: Symbol('y'), code: Symbol('z'), redirectUrl: Symbol('r') },
      objectFields: { identifier: { a: 1 }, strategy: [1], code: { toString() { throw own('toString'); } } },
      throwingGetter: { get identifier() { throw own('getter'); }, get strategy() { throw own('getter'); } },
      trap, cyclic,
      huge: { identifier: `${'x'.repeat(2_000_000)}@example.com` },
      numbers: { identifier: 5, code: 123456, strategy: 7, sessionId: 3, session: 4 },
    };
    const clerk = new m.Clerk(key);
    await clerk.load();
    const calls = {
      constructorKey: (a) => new m.Clerk(a),
      constructorOptions: (a) => new m.Clerk(key, a),
      load: (a) => new m.Clerk(key).load(a),
      signInCreate: (a) => clerk.client.signIn.create(a),
      prepareFirstFactor: (a) => clerk.client.signIn.prepareFirstFactor(a),
      signUpCreate: (a) => clerk.client.signUp.create(a),
      setActive: (a) => clerk.setActive(a),
      signOut: (a) => clerk.signOut(a),
      phoneCodeSend: (a) => clerk.signIn.phoneCode.sendCode(a),
      phoneCodeVerify: (a) => clerk.signIn.phoneCode.verifyCode(a),
      signUpSendPhoneCode: (a) => clerk.signUp.verifications.sendPhoneCode(a),
      emailLinkFlow: (a) => clerk.client.signIn.createEmailLinkFlow().startEmailLinkFlow(a),
      handleEmailLink: (a) => clerk.handleEmailLinkVerification(a),
      buildSignInUrl: (a) => clerk.buildSignInUrl(a),
      addListener: (a) => clerk.addListener(a),
    };
    const out = {};
    for (const [call, f] of Object.entries(calls)) {
      for (const [input, a] of Object.entries(inputs)) {
        out[`${call}(${input})`] = await Promise.race([
          Promise.resolve().then(() => f(a)).then(
            () => ({ outcome: 'ok' }),
            (e) => ({
              outcome: e?.own ? 'own' : e instanceof m.ClerkError && typeof e.code === 'string' ? 'typed'
                : e instanceof TypeError ? 'TypeError' : `untyped ${e?.name}: ${e?.message}`,
              code: e?.code,
            }),
          ),
          new Promise((done) => setTimeout(() => done({ outcome: 'hung' }), 25_000)),
        ]);
      }
    }
    // Anything the engine calls later (listeners, the next state push) runs now.
    await clerk.client.signIn.create({ identifier: '+15555550100' }).catch(() => {});
    await new Promise((done) => setTimeout(done, 200));
    return out;
  });
  const bad = Object.entries(r).filter(([, v]) => !['ok', 'typed', 'TypeError', 'own'].includes(v.outcome));
  assert.deepEqual(bad, [], 'every call settles with a typed error, a TypeError or the caller\'s own exception');
  for (const input of ['undefined', 'null', 'number', 'symbol', 'array', 'bigint', 'trap', 'cyclic']) {
    assert.deepEqual(r[`constructorKey(${input})`], { outcome: 'typed', code: 'invalid_publishable_key' }, input);
  }
  for (const input of ['undefined', 'null', 'number', 'string', 'symbolFields', 'trap']) {
    assert.deepEqual(r[`addListener(${input})`], { outcome: 'typed', code: 'invalid_listener' }, input);
  }
  assert.equal(r['signInCreate(huge)'].outcome, 'typed');
  assert.deepEqual(pageErrors, [], 'no uncaught error or wasm trap reached the page');
});
