// The JS API's contract, checked in Chromium against the emulator: error classes
// and fields, live resources, listeners, getToken, signOut.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveDemo } from './lib/harness.mjs';
import { waitForCode, relaxLimits, uniquePhone, configure } from './lib/emulator.mjs';

let server, url, browser, page;
before(async () => {
  await relaxLimits();
  ({ server, url } = await serveDemo());
  browser = await launch();
  page = await browser.context.newPage();
  await page.goto(`${url}/`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.exposeFunction('waitForCode', (to, since) => waitForCode(to, { since }));
});
after(async () => { await browser?.close(); server?.close(); });

test('API errors are ClerkAPIResponseError with code, status, errors[].meta.paramName', async () => {
  const r = await page.evaluate(async (phone) => {
    const m = await import('/pkg/index.js');
    const key = (await (await fetch('/emulator.json')).json()).publishable_key;
    const clerk = new m.Clerk(key);
    await clerk.load();
    try {
      await clerk.client.signIn.create({ identifier: phone });
      return { thrown: false };
    } catch (e) {
      return {
        thrown: true, isError: e instanceof Error, isApi: e instanceof m.ClerkAPIResponseError,
        helper: m.isClerkAPIResponseError(e), name: e.name, code: e.code, status: e.status,
        first: e.errors[0], message: e.message, stack: typeof e.stack,
      };
    }
  }, uniquePhone());
  assert.equal(r.thrown, true);
  assert.equal(r.isError, true);
  assert.equal(r.isApi, true);
  assert.equal(r.helper, true);
  assert.equal(r.name, 'ClerkAPIResponseError');
  assert.equal(r.code, 'form_identifier_not_found');
  assert.equal(r.status, 422);
  assert.equal(r.first.meta.paramName, 'identifier');
  assert.equal(typeof r.first.longMessage, 'string');
  assert.equal(r.message, r.first.longMessage);
  assert.equal(r.stack, 'string');
});

test('429 carries retryAfter; a bad key and a dead server throw typed errors', async () => {
  await configure({ rate_limits: { sign_in_create: 1, window_secs: 60 } });
  try {
    const r = await page.evaluate(async (phones) => {
      const m = await import('/pkg/index.js');
      const key = (await (await fetch('/emulator.json')).json()).publishable_key;
      const clerk = new m.Clerk(key);
      await clerk.load();
      let last;
      for (const p of phones) {
        try { await clerk.client.signIn.create({ identifier: p }); } catch (e) { last = e; }
      }
      let badKey;
      try { new m.Clerk('pk_test_bad'); } catch (e) { badKey = { name: e.name, code: e.code, isError: e instanceof m.ClerkError }; }
      let down;
      try { await new m.Clerk('pk_test_MTI3LjAuMC4xOjkk').load(); } catch (e) {
        down = { name: e.name, code: e.code, isNet: e instanceof m.ClerkNetworkError };
      }
      return { code: last.code, status: last.status, retryAfter: last.retryAfter, badKey, down };
    }, [uniquePhone(), uniquePhone(), uniquePhone()]);
    assert.equal(r.code, 'too_many_requests');
    assert.equal(r.status, 429);
    assert.ok(r.retryAfter > 0, `retryAfter ${r.retryAfter}`);
    assert.deepEqual(r.badKey, { name: 'ClerkRuntimeError', code: 'invalid_publishable_key', isError: true });
    assert.deepEqual(r.down, { name: 'ClerkNetworkError', code: 'network_error', isNet: true });
  } finally {
    await relaxLimits();
  }
});

test('live resources, listeners, getToken, signOut', async () => {
  const phone = uniquePhone();
  const r = await page.evaluate(async (phone) => {
    const m = await import('/pkg/index.js');
    document.cookie = '__clerk_db_jwt=; Path=/; Max-Age=0';
    const key = (await (await fetch('/emulator.json')).json()).publishable_key;
    const clerk = new m.Clerk(key);
    await clerk.load();
    const events = [];
    const unsubscribe = clerk.addListener(({ session, user }) => events.push([session?.id ?? null, user?.id ?? null]));
    const signUp = clerk.client.signUp; // kept, read again later: live
    const since = Date.now();
    await signUp.create({ phoneNumber: phone });
    const statusAfterCreate = signUp.status;
    const unverified = signUp.unverifiedFields;
    await signUp.preparePhoneNumberVerification();
    const code = await window.waitForCode(phone, since);
    const done = await signUp.attemptPhoneNumberVerification({ code });
    await clerk.setActive({ session: done.createdSessionId });
    const token = await clerk.session.getToken();
    const token2 = await clerk.session.getToken();
    const signedIn = { isSignedIn: clerk.isSignedIn, sessionId: clerk.session.id, userPhone: clerk.user.primaryPhoneNumber.phoneNumber };
    await clerk.signOut();
    const after = { isSignedIn: clerk.isSignedIn, session: clerk.session ?? null, user: clerk.user };
    unsubscribe();
    const n = events.length;
    await clerk.client.signIn.create({ identifier: phone }).catch(() => {});
    return { statusAfterCreate, unverified, finalStatus: done.status, token, same: token === token2, signedIn, after, events, n, nAfter: events.length };
  }, phone);
  assert.equal(r.statusAfterCreate, 'missing_requirements');
  assert.deepEqual(r.unverified, ['phone_number']);
  assert.equal(r.finalStatus, 'complete');
  assert.equal(r.token.split('.').length, 3);
  assert.equal(r.same, true, 'second getToken is served from the cache');
  const claims = JSON.parse(Buffer.from(r.token.split('.')[1], 'base64url').toString());
  assert.equal(claims.sid, r.signedIn.sessionId);
  assert.equal(r.signedIn.isSignedIn, true);
  assert.equal(r.signedIn.userPhone, phone);
  assert.deepEqual(r.after, { isSignedIn: false, session: null, user: null });
  assert.ok(r.events.some(([s]) => s === r.signedIn.sessionId), 'a listener saw the session');
  assert.deepEqual(r.events.at(-1), [null, null], 'the last event is signed out');
  assert.equal(r.nAfter, r.n, 'no events after unsubscribe');
});
