// The JS API's contract, checked in Chromium against the emulator: error classes
// and fields, live resources, listeners, getToken, signOut.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveDemo, EMULATOR } from './lib/harness.mjs';
import { waitForCode, relaxLimits, uniquePhone, uniqueEmail, configure } from './lib/emulator.mjs';

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

test("a page's fetch wrapper that throws, rejects with a non-Error or answers a non-Response: ClerkNetworkError, no trap, and the next call works", async () => {
  const trapped = [];
  const onError = (e) => trapped.push(e.message);
  page.on('pageerror', onError);
  try {
    const r = await page.evaluate(async () => {
      const m = await import('/pkg/index.js');
      const key = (await (await fetch('/emulator.json')).json()).publishable_key;
      const real = window.fetch;
      const wrappers = {
        throws: () => { throw new TypeError('blocked by the page'); },
        rejectsString: () => Promise.reject('nope'),
        answersObject: () => Promise.resolve({ ok: true }),
      };
      const out = {};
      for (const [name, wrapper] of Object.entries(wrappers)) {
        const clerk = new m.Clerk(key);
        const seen = {};
        window.fetch = wrapper;
        try {
          await clerk.load();
          seen.load = 'resolved';
        } catch (e) {
          seen.load = [e instanceof m.ClerkNetworkError, e.code, e.message];
        }
        window.fetch = real;
        await clerk.load();
        seen.loadedAfter = clerk.loaded;
        window.fetch = wrapper;
        try {
          await clerk.client.signIn.create({ identifier: '+15555550100' });
          seen.create = 'resolved';
        } catch (e) {
          seen.create = [e instanceof m.ClerkNetworkError, e.code];
        }
        window.fetch = real;
        out[name] = seen;
      }
      return out;
    });
    assert.deepEqual(r.throws.load, [true, 'network_error', 'blocked by the page']);
    assert.deepEqual(r.rejectsString.load, [true, 'network_error', 'Failed to fetch']);
    assert.deepEqual(r.answersObject.load, [true, 'network_error', 'fetch did not answer with a Response.']);
    for (const seen of Object.values(r)) {
      assert.equal(seen.loadedAfter, true, 'the same instance loads once fetch is back');
      assert.deepEqual(seen.create, [true, 'network_error']);
    }
    assert.deepEqual(trapped, [], 'no wasm trap or uncaught error');
  } finally {
    page.off('pageerror', onError);
  }
});

test('a redirectUrl that would run script (javascript:, hidden by a tab or spaces) is never followed: the page goes to / as with ClerkJS', async () => {
  const tab = await browser.context.newPage();
  let ran = 0;
  await tab.exposeFunction('pwned', () => { ran += 1; });
  try {
    for (const redirectUrl of ['javascript:pwned()', ' java\tscript:pwned()', 'JAVASCRIPT:pwned()']) {
      await tab.goto(`${url}/?case=${encodeURIComponent(redirectUrl)}`);
      await tab.waitForSelector('body[data-ready="true"]');
      const landed = tab.waitForURL(`${url}/`);
      await tab.evaluate(async (to) => {
        const m = await import('/pkg/index.js');
        const key = (await (await fetch('/emulator.json')).json()).publishable_key;
        const clerk = new m.Clerk(key);
        await clerk.load();
        await clerk.setActive({ session: null, redirectUrl: to });
      }, redirectUrl);
      await landed;
    }
    assert.equal(ran, 0, 'the script in the URL never ran');
  } finally {
    await tab.close();
  }
});

test('a call on an attempt that does not exist yet is a ClerkRuntimeError and sends nothing', async () => {
  await fetch(`${EMULATOR}/__emulator/requests/clear`, { method: 'POST' });
  const r = await page.evaluate(async () => {
    const m = await import('/pkg/index.js');
    for (const c of document.cookie.split('; ')) {
      if (c.startsWith('__clerk_db_jwt')) document.cookie = `${c.split('=')[0]}=; Path=/; Max-Age=0`;
    }
    const clerk = new m.Clerk((await (await fetch('/emulator.json')).json()).publishable_key);
    await clerk.load();
    const out = {};
    try { await clerk.client.signIn.prepareFirstFactor({ strategy: 'phone_code' }); } catch (e) {
      out.signIn = [e.name, e.code, e instanceof m.ClerkRuntimeError];
    }
    try { await clerk.client.signUp.attemptPhoneNumberVerification({ code: '123456' }); } catch (e) {
      out.signUp = [e.name, e.code];
    }
    const { error } = await clerk.signIn.phoneCode.verifyCode({ code: '123456' });
    out.newer = error?.code;
    return out;
  });
  assert.deepEqual(r, {
    signIn: ['ClerkRuntimeError', 'sign_in_missing', true],
    signUp: ['ClerkRuntimeError', 'sign_up_missing'],
    newer: 'sign_in_missing',
  });
  const log = await (await fetch(`${EMULATOR}/__emulator/requests`)).json();
  assert.deepEqual(log.filter((e) => /sign_(ins|ups)/.test(e.path)), [], 'nothing was sent for them');
});

test('live resources, listeners, getToken, signOut', async () => {
  const phone = uniquePhone();
  const r = await page.evaluate(async (phone) => {
    const m = await import('/pkg/index.js');
    for (const c of document.cookie.split('; ')) {
      if (c.startsWith('__clerk_db_jwt')) document.cookie = `${c.split('=')[0]}=; Path=/; Max-Age=0`;
    }
    const key = (await (await fetch('/emulator.json')).json()).publishable_key;
    const clerk = new m.Clerk(key);
    await clerk.load();
    const events = [];
    const unsubscribe = clerk.addListener(({ session, user }) => events.push([session?.id ?? null, user?.id ?? null]));
    const signUp = clerk.client.signUp; // kept, read again later: live
    const since = Date.now();
    await signUp.create({ phoneNumber: phone, firstName: 'Ada', lastName: 'Lovelace' });
    const statusAfterCreate = signUp.status;
    const unverified = signUp.unverifiedFields;
    await signUp.preparePhoneNumberVerification();
    const code = await window.waitForCode(phone, since);
    const done = await signUp.attemptPhoneNumberVerification({ code });
    await clerk.setActive({ session: done.createdSessionId });
    const token = await clerk.session.getToken();
    const token2 = await clerk.session.getToken();
    const signedIn = { isSignedIn: clerk.isSignedIn, sessionId: clerk.session.id, userPhone: clerk.user.primaryPhoneNumber.phoneNumber, fullName: clerk.user.fullName };
    const jar = () => Object.fromEntries(document.cookie.split('; ').map((c) => c.split('=')));
    const cookiesIn = jar();
    let calledBack = 0;
    await clerk.signOut(() => { calledBack += 1; }); // ClerkJS's callback form
    const cookiesOut = jar();
    const after = { isSignedIn: clerk.isSignedIn, session: clerk.session ?? null, user: clerk.user };
    // ClerkJS's cookie suffix: URL-safe base64 of SHA-1(publishable key), 8 characters.
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(key)));
    const suffix = btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').slice(0, 8);
    unsubscribe();
    const n = events.length;
    await clerk.client.signIn.create({ identifier: phone }).catch(() => {});
    return { calledBack, statusAfterCreate, unverified, finalStatus: done.status, token, same: token === token2, signedIn, after, events, n, nAfter: events.length, cookiesIn, cookiesOut, suffix };
  }, phone);
  assert.equal(r.calledBack, 1, 'signOut(callback) calls the callback once');
  assert.equal(r.statusAfterCreate, 'missing_requirements');
  assert.deepEqual(r.unverified, ['phone_number']);
  assert.equal(r.finalStatus, 'complete');
  assert.equal(r.token.split('.').length, 3);
  assert.equal(r.same, true, 'second getToken is served from the cache');
  const claims = JSON.parse(Buffer.from(r.token.split('.')[1], 'base64url').toString());
  assert.equal(claims.sid, r.signedIn.sessionId);
  assert.equal(r.signedIn.isSignedIn, true);
  assert.equal(r.signedIn.userPhone, phone);
  assert.equal(r.signedIn.fullName, 'Ada Lovelace', 'user.fullName, as ClerkJS');
  assert.deepEqual(r.after, { isSignedIn: false, session: null, user: null });
  // The app-domain cookies ClerkJS writes: __session (the JWT getToken returns) and,
  // for a development key on the app's own domain, __client_uat; each also suffixed.
  const { cookiesIn: cin, cookiesOut: cout, suffix } = r;
  assert.equal(cin.__session, r.token);
  assert.equal(cin[`__session_${suffix}`], r.token);
  assert.match(cin.__client_uat, /^[1-9][0-9]{9}$/);
  assert.equal(cin[`__client_uat_${suffix}`], cin.__client_uat);
  assert.ok(Math.abs(Number(cin.__client_uat) - Date.now() / 1000) < 120, `__client_uat ${cin.__client_uat}`);
  assert.ok(cin[`__clerk_db_jwt_${suffix}`] && cin[`__clerk_db_jwt_${suffix}`] === cin.__clerk_db_jwt, 'the dev-browser JWT is also under the suffixed name');
  assert.equal(cout.__client_uat, '0');
  assert.equal(cout[`__client_uat_${suffix}`], '0');
  assert.equal('__session' in cout, false);
  assert.equal(`__session_${suffix}` in cout, false);
  assert.ok(r.events.some(([s]) => s === r.signedIn.sessionId), 'a listener saw the session');
  assert.deepEqual(r.events.at(-1), [null, null], 'the last event is signed out');
  assert.equal(r.nAfter, r.n, 'no events after unsubscribe');
});

// Two tabs of one browser: `openTab` loads a Clerk in page `p` as `window.tab`, recording the
// session id its listeners hear; `waitForSession` polls a tab for a session id (or null), 5 s.
const openTab = (p) => p.evaluate(async () => {
  const m = await import('/pkg/index.js');
  const key = (await (await fetch('/emulator.json')).json()).publishable_key;
  const clerk = new m.Clerk(key);
  await clerk.load();
  window.tab = { clerk, events: [] };
  clerk.addListener(({ session }) => window.tab.events.push(session?.id ?? null));
});
const forgetDevBrowser = (p) => p.evaluate(() => {
  for (const c of document.cookie.split('; ')) {
    if (c.startsWith('__clerk_db_jwt')) document.cookie = `${c.split('=')[0]}=; Path=/; Max-Age=0`;
  }
});
const waitForSession = (p, want) => p.evaluate(async (want) => {
  const t0 = performance.now();
  while ((window.tab.clerk.session?.id ?? null) !== want) {
    if (performance.now() - t0 > 5000) return { ms: null, events: window.tab.events };
    await new Promise((r) => setTimeout(r, 20));
  }
  return { ms: performance.now() - t0, events: window.tab.events };
}, want);
const newTab = async () => {
  const b = await browser.context.newPage();
  await b.goto(`${url}/`);
  await b.waitForSelector('body[data-ready="true"]');
  return b;
};
/** Tab `p` signs up with a new phone number and activates the session; resolves its id. */
const signUpAndActivate = async (p) => {
  const phone = uniquePhone();
  const since = Date.now();
  return p.evaluate(async ([phone, since]) => {
    const { clerk } = window.tab;
    await clerk.client.signUp.create({ phoneNumber: phone });
    await clerk.client.signUp.preparePhoneNumberVerification();
    const code = await window.waitForCode(phone, since);
    const done = await clerk.client.signUp.attemptPhoneNumberVerification({ code });
    await clerk.setActive({ session: done.createdSessionId });
    return clerk.session.id;
  }, [phone, since]);
};

test('a sign-in or sign-out in one tab reaches the other tabs on its client at once', async () => {
  const phone = uniquePhone();
  // Tab A starts a sign-up (its first request makes the browser's client), then tab B opens
  // on the same dev browser: one client, as two tabs of one browser.
  await forgetDevBrowser(page);
  await openTab(page);
  const since = Date.now();
  await page.evaluate(async (phone) => {
    await window.tab.clerk.client.signUp.create({ phoneNumber: phone });
    await window.tab.clerk.client.signUp.preparePhoneNumberVerification();
  }, phone);
  const b = await newTab();
  try {
    await openTab(b);
    const clients = [await page.evaluate(() => window.tab.clerk.client.id), await b.evaluate(() => window.tab.clerk.client.id)];
    assert.ok(clients[0] && clients[0] === clients[1], `one client: ${clients}`);
    // Hostile messages on the channel (any script of the origin can post there): ignored,
    // no page error, no request, no state change.
    const errors = [];
    b.on('pageerror', (e) => errors.push(e.message));
    const sent = await page.evaluate((client) => {
      const ch = new BroadcastChannel('clerk-wasm:session');
      const junk = [null, 42, 'x', [], {}, { type: 'signed_in' }, { type: 'signed_out', app: 1, client },
        { type: 'signed_in', app: 'someone_else', client }, { type: 'signed_in', app: {}, client: [] },
        { type: 'token', sid: 1, jwt: null }, { type: 'token', sid: 'sess_x', jwt: 'not.a.jwt' },
        { type: 'signed_out', app: 'x'.repeat(1e6), client }];
      for (const m of junk) ch.postMessage(m);
      ch.close();
      return junk.length;
    }, clients[0]);
    await new Promise((r) => setTimeout(r, 300));
    const afterJunk = await b.evaluate(() => ({ live: window.tab.clerk._live(), session: window.tab.clerk.session ?? null, events: window.tab.events.length }));
    assert.equal(sent, 12);
    assert.deepEqual(errors, []);
    assert.equal(afterJunk.session, null);
    assert.equal(afterJunk.live.requests, 0, 'no reload for junk');
    assert.equal(afterJunk.events, 1, 'listeners heard nothing but the first call');
    assert.equal(await b.evaluate(() => window.tab.clerk.session ?? null), null);
    const waitFor = (want) => waitForSession(b, want);
    // A finishes the sign-up and activates the session: B takes it.
    const sid = await page.evaluate(async ([phone, since]) => {
      const { clerk } = window.tab;
      const code = await window.waitForCode(phone, since);
      const done = await clerk.client.signUp.attemptPhoneNumberVerification({ code });
      await clerk.setActive({ session: done.createdSessionId });
      return clerk.session.id;
    }, [phone, since]);
    const signedIn = await waitFor(sid);
    assert.ok(signedIn.ms !== null, `tab B never saw the sign-in: ${JSON.stringify(signedIn.events)}`);
    assert.equal(await b.evaluate(() => window.tab.clerk.user?.primaryPhoneNumber?.phoneNumber), phone);
    // A signs out: B is signed out too, its listeners told, without a reload of the page.
    await page.evaluate(() => window.tab.clerk.signOut());
    const signedOut = await waitFor(null);
    assert.ok(signedOut.ms !== null, `tab B stayed signed in: ${JSON.stringify(signedOut.events)}`);
    assert.equal(signedOut.events.at(-1), null, 'the last event B heard is signed out');
    assert.equal(await b.evaluate(() => window.tab.clerk.isSignedIn), false);
    console.log(`other tab: sign-in seen after ${signedIn.ms.toFixed(0)} ms, sign-out after ${signedOut.ms.toFixed(0)} ms`);
  } finally {
    await b.close();
  }
});

test('a tab opened before the browser had a client takes the session signed in in another tab', async () => {
  // A first visit: both tabs load on one fresh dev browser, and neither has a client yet.
  await forgetDevBrowser(page);
  await openTab(page);
  const b = await newTab();
  try {
    await openTab(b);
    assert.equal(await page.evaluate(() => window.tab.clerk.client.id ?? null), null, 'no client yet');
    assert.equal(await b.evaluate(() => window.tab.clerk.client.id ?? null), null, 'no client yet');
    const sid = await signUpAndActivate(page);
    const seen = await waitForSession(b, sid);
    assert.ok(seen.ms !== null, `tab B never saw the sign-in: ${JSON.stringify(seen.events)}`);
    assert.equal(await b.evaluate(() => window.tab.clerk.client.id), await page.evaluate(() => window.tab.clerk.client.id));
    assert.equal((await b.evaluate(() => window.tab.clerk._live())).requests, 0, 'nothing left running');
    console.log(`tab without a client: sign-in seen after ${seen.ms.toFixed(0)} ms`);
  } finally {
    await b.close();
  }
});

test('signOut({ sessionId }) removes just that session; with one left, signs out of all', async () => {
  await configure({ multi_session: true });
  await page.exposeFunction('clearRequests', async () => { await fetch(`${EMULATOR}/__emulator/requests/clear`, { method: 'POST' }); });
  await page.exposeFunction('requestLog', async () => (await fetch(`${EMULATOR}/__emulator/requests`)).json());
  try {
    const phones = [uniquePhone(), uniquePhone()];
    const r = await page.evaluate(async (phones) => {
      const m = await import('/pkg/index.js');
      for (const c of document.cookie.split('; ')) {
        if (c.startsWith('__clerk_db_jwt')) document.cookie = `${c.split('=')[0]}=; Path=/; Max-Age=0`;
      }
      const key = (await (await fetch('/emulator.json')).json()).publishable_key;
      const clerk = new m.Clerk(key);
      await clerk.load();
      const ids = [];
      for (const phone of phones) {
        const since = Date.now();
        await clerk.client.signUp.create({ phoneNumber: phone });
        await clerk.client.signUp.preparePhoneNumberVerification();
        const done = await clerk.client.signUp.attemptPhoneNumberVerification({ code: await window.waitForCode(phone, since) });
        await clerk.setActive({ session: done.createdSessionId });
        ids.push(done.createdSessionId);
      }
      const signedIn = () => clerk.client.sessions.filter((s) => s.status === 'active').map((s) => s.id);
      const before = signedIn();
      const events = [];
      clerk.addListener(({ session }) => events.push(session?.id ?? null));
      await window.clearRequests();
      const jwt = await clerk.session.getToken();
      // The other (not active) session: only it goes; the active one stays.
      await clerk.signOut({ sessionId: ids[0] });
      const afterOther = { active: clerk.session?.id, signedIn: signedIn(), events: events.length, session: document.cookie.includes(`__session=${jwt}`) };
      // The last one: ClerkJS signs out of all (DELETE /v1/client/sessions).
      await clerk.signOut({ sessionId: ids[1] });
      const afterLast = { active: clerk.session ?? null, signedIn: signedIn(), last: events.at(-1) };
      const log = await window.requestLog();
      const calls = log.filter((e) => e.path.startsWith('/v1/client/sessions') && !e.path.endsWith('/tokens') && !e.path.endsWith('/touch'))
        .map((e) => `${e.method} ${e.effective_method} ${e.path} ${e.status}`);
      return { ids, before, afterOther, afterLast, calls };
    }, phones);
    assert.deepEqual(r.before, r.ids);
    assert.deepEqual(r.afterOther.active, r.ids[1]);
    assert.deepEqual(r.afterOther.signedIn, [r.ids[1]]);
    assert.ok(r.afterOther.events > 0, 'listeners heard the removal');
    assert.equal(r.afterOther.session, true, '__session still holds the active session');
    assert.deepEqual(r.afterLast, { active: null, signedIn: [], last: null });
    assert.deepEqual(r.calls, [
      `POST POST /v1/client/sessions/${r.ids[0]}/remove 200`,
      'POST DELETE /v1/client/sessions 200',
    ]);
  } finally {
    await configure({ multi_session: false });
  }
});

test('seed gaps: clerk.status, isClerkRuntimeError, isUserLockedError, EmailLinkErrorCode(Status), signUp.emailCode, snake_case params', async () => {
  const email = uniqueEmail('gaps');
  const r = await page.evaluate(async (email) => {
    const m = await import('/pkg/index.js');
    for (const c of document.cookie.split('; ')) {
      if (c.startsWith('__client_uat') || c.startsWith('__session')) document.cookie = `${c.split('=')[0]}=; Path=/; Max-Age=0`;
    }
    const clerk = new m.Clerk((await (await fetch('/emulator.json')).json()).publishable_key);
    const out = { before: clerk.status };
    const loading = clerk.load();
    out.during = clerk.status;
    await loading;
    out.after = clerk.status;
    out.codes = [m.EmailLinkErrorCode.Expired, m.EmailLinkErrorCode.Failed, m.EmailLinkErrorCode.ClientMismatch,
      m.EmailLinkErrorCodeStatus.Expired];
    try { await clerk.client.signIn.attemptFirstFactor({ strategy: 'email_code', code: '1' }); } catch (e) {
      out.runtime = [m.isClerkRuntimeError(e), m.isClerkAPIResponseError(e), m.isUserLockedError(e)];
    }
    out.notErrors = [m.isClerkRuntimeError(new Error('x')), m.isUserLockedError(new Error('x'))];
    // Seed 003: signUp.emailCode.sendCode()/verifyCode() as the verifications' alias.
    out.create = (await clerk.signUp.create({ emailAddress: email })).error?.code ?? null;
    out.send = (await clerk.signUp.emailCode.sendCode()).error?.code ?? null;
    const code = await window.waitForCode(email, Date.now() - 60000);
    out.verify = (await clerk.signUp.emailCode.verifyCode({ code })).error?.code ?? null;
    out.status = clerk.signUp.status;
    out.fin = (await clerk.signUp.finalize()).error?.code ?? null;
    out.signedIn = !!clerk.user && clerk.user.primaryEmailAddress?.emailAddress === email;
    await clerk.signOut();
    // Seed 000: prepareFirstFactor with the snake_case id.
    const si = await clerk.client.signIn.create({ identifier: email });
    const factor = si.supportedFirstFactors.find((f) => f.strategy === 'email_code');
    const prepared = await si.prepareFirstFactor({ strategy: 'email_code', email_address_id: factor.emailAddressId });
    out.snake = prepared.firstFactorVerification.status;
    return out;
  }, email);
  assert.deepEqual(r, {
    before: 'loading', during: 'loading', after: 'ready',
    codes: ['expired', 'failed', 'client_mismatch', 'expired'],
    runtime: [true, false, false],
    notErrors: [false, false],
    create: null, send: null, verify: null, status: 'complete', fin: null, signedIn: true,
    snake: 'unverified',
  });
});
