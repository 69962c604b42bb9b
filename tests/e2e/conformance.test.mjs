// Conformance: the official, unmodified @clerk/clerk-js (CDN build
// dist/clerk.browser.js, pinned in tests/e2e/package.json) runs every
// passwordless flow against clerk-emulator in Debian's Chromium, for three
// publishable keys:
//   dev          the development key the emulator prints (loopback host, so
//                ClerkJS skips the dev-browser handshake; the emulator falls
//                back to its __client cookie)
//   dev-browser  a development key for a `.lcl.dev` host: ClerkJS runs the
//                dev-browser handshake (POST /v1/dev_browser, __clerk_db_jwt)
//   prod         the production key (instance switched through /__emulator/config)
// ClerkJS reaches the emulator through `proxyUrl` = the emulator's frontend_api.
// Each flow's request sequence is compared with tests/fixtures/clerkjs/
// (UPDATE_FIXTURES=1 rewrites them).
import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { chromium } from 'playwright-core';
import { EMULATOR, CHROMIUM_ARGS, emulatorConfig, screenshot } from './lib/harness.mjs';
import { startServer } from '../../scripts/serve.mjs';
import {
  control, mailbox, wrongCode, verifyJwt, recorded, Fixtures, waitFor, sleep,
  CLERKJS_DIST, PAGE_DIR, UPDATE,
} from './conformance/lib.mjs';

const CLERKJS_VERSION = '6.40.0';
const LCL_HOST = 'clerk.emulator.lcl.dev';
const VARIANTS = ['dev', 'dev-browser', 'prod'];
const fixtures = new Fixtures();
const t0 = Date.now();

let browser, server, pageOrigin, original;

before(async () => {
  original = (await emulatorConfig()).config;
  // Many flows in a few seconds from one IP: the per-IP limits are off.
  // Everything else keeps the emulator's defaults: the resend throttle (30 s
  // per verification) and the per-identifier hourly cap stay on, so a phone
  // sign-up followed at once by a sign-in must work as it does on Clerk.
  await control(EMULATOR, 'PATCH', 'config', {
    rate_limits: { sign_in_create: 0, sign_up_create: 0, attempts: 0, prepare: 0, dev_browser: 0 },
    second_factor: false,
  });
  const live = (await emulatorConfig()).config;
  assert.equal(live.resend_throttle_secs, 30, 'the default resend throttle is on');
  assert.ok(live.identifier_codes_per_hour > 0, 'the per-identifier cap is on');
  // The page is served from 127.0.0.1 like the emulator: same-site, so the
  // emulator's SameSite=Lax __client cookie rides on ClerkJS's fetches.
  ({ server, url: pageOrigin } = await startServer({ root: PAGE_DIR, mounts: { '/clerkjs': CLERKJS_DIST } }));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: ['--enable-automation'],
  });
});

after(async () => {
  if (original) await control(EMULATOR, 'PATCH', 'config', original);
  await browser?.close();
  server?.close();
  if (UPDATE) fixtures.write(VARIANTS);
  console.log(`conformance: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});

const rand = () => crypto.randomBytes(4).toString('hex');
const randomPhone = () => `+1555${String(crypto.randomInt(0, 10_000_000)).padStart(7, '0')}`;

/** Runs `fn(arg)` in the page; a thrown Clerk API error comes back as {error:{status, code}}. */
async function inPage(page, fn, arg) {
  return page.evaluate(
    async ([src, a]) => {
      try {
        // eslint-disable-next-line no-new-func
        return await new Function(`return (${src})`)()(a);
      } catch (e) {
        return { error: { status: e.status, code: e.errors?.[0]?.code, message: String(e.message ?? e) } };
      }
    },
    [fn.toString(), arg],
  );
}

function noError(r, what) {
  assert.ok(r && !r.error, `${what}: ${JSON.stringify(r?.error)}`);
  return r;
}

for (const variant of VARIANTS) {
  describe(`ClerkJS ${CLERKJS_VERSION} with the ${variant} key`, () => {
    let context, page, cfg, key;
    const V = {}; // identifiers shared by the sign-up and sign-in flows
    const passed = []; // flows that completed, shown in the screenshot

    const clear = () => control(EMULATOR, 'POST', 'requests/clear');
    const seq = () => recorded(EMULATOR);

    /** setActive, getToken (cached and fresh, both verified against the JWKS), then signOut. */
    async function activateAndSignOut(flow, sessionId, expect) {
      const r = noError(await inPage(page, async (sid) => {
        await window.Clerk.setActive({ session: sid });
        const cached = await window.Clerk.session.getToken();
        const fresh = await window.Clerk.session.getToken({ skipCache: true });
        window.showState();
        return {
          isSignedIn: window.Clerk.isSignedIn, session: window.Clerk.session?.id,
          user: window.Clerk.user?.id, email: window.Clerk.user?.primaryEmailAddress?.emailAddress ?? null,
          phone: window.Clerk.user?.primaryPhoneNumber?.phoneNumber ?? null, cached, fresh,
        };
      }, sessionId), `${flow}: setActive/getToken`);
      assert.equal(r.isSignedIn, true);
      assert.equal(r.session, sessionId);
      assert.match(r.user, /^user_/);
      if (expect.email !== undefined) assert.equal(r.email, expect.email);
      if (expect.phone !== undefined) assert.equal(r.phone, expect.phone);
      for (const jwt of [r.cached, r.fresh]) {
        const c = await verifyJwt(EMULATOR, jwt);
        assert.equal(c.sid, sessionId);
        assert.equal(c.sub, r.user);
        assert.equal(c.iss, cfg.frontend_api);
        if (expect.secondFactor) assert.equal(c.fva[1], 0, 'fva records the second factor');
        else assert.deepEqual(c.fva, [0, -1]);
      }
      // ClerkJS wrote the token into the __session cookie on the page's host.
      const cookie = (await context.cookies(pageOrigin)).find((c) => c.name === '__session');
      assert.ok(cookie, 'ClerkJS set the __session cookie');
      assert.equal((await verifyJwt(EMULATOR, cookie.value)).sid, sessionId);
      fixtures.check(flow, variant, await seq());

      if (expect.reload) {
        // A page load while signed in restores the session from GET /v1/client.
        await clear();
        const again = await loadPage();
        assert.deepEqual([again.status, again.isSignedIn, again.session, again.user], ['ready', true, sessionId, r.user]);
        fixtures.check('load-signed-in', variant, await seq());
      }

      await clear();
      const out = noError(await inPage(page, async () => {
        await window.Clerk.signOut();
        window.showState();
        return {
          isSignedIn: window.Clerk.isSignedIn, session: window.Clerk.session ?? null,
          active: window.Clerk.client.sessions.filter((s) => s.status === 'active').length,
        };
      }), `${flow}: signOut`);
      assert.deepEqual(out, { isSignedIn: false, session: null, active: 0 });
      fixtures.check('sign-out', variant, await seq());
      await clear();
      return r;
    }

    /** The email link from the inbox, opened with a plain GET (like a mail client on another device). */
    async function openLink(link, sessionExpected) {
      assert.ok(link.startsWith(`${cfg.frontend_api}/v1/verify?token=`), link);
      const res = await fetch(link, { redirect: 'manual' });
      assert.equal(res.status, 303);
      const loc = new URL(res.headers.get('location'));
      assert.equal(`${loc.origin}${loc.pathname}`, `${pageOrigin}/landing.html`);
      assert.equal(loc.searchParams.get('__clerk_status'), 'verified');
      if (sessionExpected) assert.match(loc.searchParams.get('__clerk_created_session'), /^sess_/);
      // A second use of the same link verifies nothing.
      const again = await fetch(link, { redirect: 'manual' });
      assert.equal(new URL(again.headers.get('location')).searchParams.get('__clerk_status'), 'failed');
      return loc.searchParams.get('__clerk_created_session');
    }

    /** Waits until ClerkJS has polled `pathPart` at least once. */
    async function polled(pathPart) {
      await waitFor('the first email-link poll', async () => (await control(EMULATOR, 'GET', 'requests'))
        .some((r) => r.effective_method === 'GET' && r.path.includes(pathPart)));
    }

    before(async () => {
      const patch = { instance_type: variant === 'prod' ? 'production' : 'development' };
      await control(EMULATOR, 'PATCH', 'config', patch);
      cfg = await emulatorConfig();
      assert.equal(cfg.instance_type, patch.instance_type);
      key = variant === 'dev-browser'
        ? `pk_test_${Buffer.from(`${LCL_HOST}$`).toString('base64').replace(/=+$/, '')}`
        : cfg.publishable_key;
      assert.match(key, variant === 'prod' ? /^pk_live_/ : /^pk_test_/);
      context = await browser.newContext();
      page = await context.newPage();
      page.on('pageerror', (e) => console.log(`[${variant}] page error: ${e.message}`));
    });

    after(async () => {
      await context?.close();
    });

    // Each flow's fixture starts with its own first request.
    beforeEach(() => clear());

    /** A test that is listed in the screenshot once it passed. */
    const flow = (name, fn) => test(name, async () => { await fn(); passed.push(name); });

    /** (Re)loads the page and runs Clerk.load(); navigations are recorded, not performed. */
    async function loadPage() {
      const q = new URLSearchParams({ pk: key, proxy: cfg.frontend_api, variant });
      await page.goto(`${pageOrigin}/?${q}`);
      const r = noError(await inPage(page, async () => {
        await window.Clerk.load({
          routerPush: (to) => { window.__navigations.push(to); },
          routerReplace: (to) => { window.__navigations.push(to); },
        });
        window.showState();
        return {
          version: window.Clerk.version, status: window.Clerk.status, loaded: window.Clerk.loaded,
          isSignedIn: window.Clerk.isSignedIn, instanceType: window.Clerk.instanceType,
          session: window.Clerk.session?.id ?? null, user: window.Clerk.user?.id ?? null,
        };
      }), 'load');
      await sleep(300); // anything ClerkJS sends right after load() belongs to it
      return r;
    }

    flow('load() resolves ready', async () => {
      await clear();
      const r = await loadPage();
      assert.equal(await page.evaluate(() => navigator.webdriver), false);
      assert.equal(r.version, CLERKJS_VERSION);
      assert.equal(r.status, 'ready');
      assert.equal(r.loaded, true);
      assert.equal(r.isSignedIn, false);
      assert.equal(r.instanceType, variant === 'prod' ? 'production' : 'development');
      const s = await seq();
      const handshake = s.some((e) => e.method === 'POST' && e.path === '/v1/dev_browser');
      assert.equal(handshake, variant === 'dev-browser', 'POST /v1/dev_browser only for the .lcl.dev key');
      if (variant === 'dev-browser') {
        assert.ok(s.filter((e) => e.path !== '/v1/dev_browser').every((e) => e.query_keys.includes('__clerk_db_jwt')));
      }
      fixtures.check('load', variant, s);
      await clear();
    });

    flow('phone-code sign-up', async () => {
      V.phone = randomPhone();
      const sms = await mailbox(EMULATOR, V.phone);
      const created = noError(await inPage(page, async (phone) => {
        const su = await window.Clerk.client.signUp.create({ phoneNumber: phone });
        await su.preparePhoneNumberVerification({ strategy: 'phone_code' });
        return { id: su.id, status: su.status, unverified: su.unverifiedFields };
      }, V.phone), 'sign-up create/prepare');
      assert.match(created.id, /^sua_/);
      assert.equal(created.status, 'missing_requirements');
      assert.deepEqual(created.unverified, ['phone_number']);
      const code = await sms.next('code');
      assert.match(code, /^\d{6}$/);
      const wrong = await inPage(page, async (c) => window.Clerk.client.signUp.attemptPhoneNumberVerification({ code: c }), wrongCode(code));
      assert.deepEqual([wrong.error?.status, wrong.error?.code], [422, 'form_code_incorrect']);
      const done = noError(await inPage(page, async (c) => {
        const su = await window.Clerk.client.signUp.attemptPhoneNumberVerification({ code: c });
        return { status: su.status, session: su.createdSessionId, user: su.createdUserId };
      }, code), 'attempt');
      assert.equal(done.status, 'complete');
      assert.match(done.session, /^sess_/);
      assert.match(done.user, /^user_/);
      V.phoneUser = done.user;
      const r = await activateAndSignOut('phone-sign-up', done.session, { phone: V.phone });
      assert.equal(r.user, done.user);
    });

    flow('phone-code sign-in', async () => {
      const sms = await mailbox(EMULATOR, V.phone);
      const si = noError(await inPage(page, async (phone) => {
        const si = await window.Clerk.client.signIn.create({ identifier: phone });
        const f = si.supportedFirstFactors.find((x) => x.strategy === 'phone_code');
        await si.prepareFirstFactor({ strategy: 'phone_code', phoneNumberId: f.phoneNumberId });
        return { id: si.id, status: si.status, factor: f };
      }, V.phone), 'sign-in create/prepare');
      assert.match(si.id, /^sia_/);
      assert.equal(si.status, 'needs_first_factor');
      assert.match(si.factor.phoneNumberId, /^idn_/);
      const code = await sms.next('code');
      const wrong = await inPage(page, async (c) => window.Clerk.client.signIn.attemptFirstFactor({ strategy: 'phone_code', code: c }), wrongCode(code));
      assert.deepEqual([wrong.error?.status, wrong.error?.code], [422, 'form_code_incorrect']);
      const done = noError(await inPage(page, async (c) => {
        const si = await window.Clerk.client.signIn.attemptFirstFactor({ strategy: 'phone_code', code: c });
        return { status: si.status, session: si.createdSessionId };
      }, code), 'attempt');
      assert.equal(done.status, 'complete');
      assert.match(done.session, /^sess_/);
      const r = await activateAndSignOut('phone-sign-in', done.session, { phone: V.phone, reload: true });
      assert.equal(r.user, V.phoneUser, 'the sign-in reaches the user the sign-up created');
    });

    flow('email-code sign-up', async () => {
      V.email = `conf-${variant}-${rand()}@example.com`;
      const mail = await mailbox(EMULATOR, V.email);
      const created = noError(await inPage(page, async (email) => {
        const su = await window.Clerk.client.signUp.create({ emailAddress: email });
        await su.prepareEmailAddressVerification({ strategy: 'email_code' });
        return { id: su.id, status: su.status, unverified: su.unverifiedFields };
      }, V.email), 'sign-up create/prepare');
      assert.equal(created.status, 'missing_requirements');
      assert.deepEqual(created.unverified, ['email_address']);
      const code = await mail.next('code');
      const done = noError(await inPage(page, async (c) => {
        const su = await window.Clerk.client.signUp.attemptEmailAddressVerification({ code: c });
        return { status: su.status, session: su.createdSessionId, user: su.createdUserId };
      }, code), 'attempt');
      assert.equal(done.status, 'complete');
      V.emailUser = done.user;
      await activateAndSignOut('email-code-sign-up', done.session, { email: V.email });
    });

    flow('email-code sign-in', async () => {
      const mail = await mailbox(EMULATOR, V.email);
      const si = noError(await inPage(page, async (email) => {
        const si = await window.Clerk.client.signIn.create({ identifier: email });
        const f = si.supportedFirstFactors.find((x) => x.strategy === 'email_code');
        await si.prepareFirstFactor({ strategy: 'email_code', emailAddressId: f.emailAddressId });
        return { status: si.status, factor: f };
      }, V.email), 'sign-in create/prepare');
      assert.equal(si.status, 'needs_first_factor');
      assert.match(si.factor.emailAddressId, /^idn_/);
      const code = await mail.next('code');
      const done = noError(await inPage(page, async (c) => {
        const si = await window.Clerk.client.signIn.attemptFirstFactor({ strategy: 'email_code', code: c });
        return { status: si.status, session: si.createdSessionId };
      }, code), 'attempt');
      assert.equal(done.status, 'complete');
      const r = await activateAndSignOut('email-code-sign-in', done.session, { email: V.email });
      assert.equal(r.user, V.emailUser);
    });

    flow('email-link sign-up', async () => {
      V.linkEmail = `conf-link-${variant}-${rand()}@example.com`;
      const mail = await mailbox(EMULATOR, V.linkEmail);
      noError(await inPage(page, async ([email, redirectUrl]) => {
        const su = await window.Clerk.client.signUp.create({ emailAddress: email });
        const { startEmailLinkFlow } = su.createEmailLinkFlow();
        window.__linkFlow = startEmailLinkFlow({ redirectUrl }).then(
          (r) => ({ status: r.status, session: r.createdSessionId, user: r.createdUserId, email: r.verifications.emailAddress.status }),
          (e) => ({ error: { status: e.status, code: e.errors?.[0]?.code, message: String(e.message ?? e) } }),
        );
        return { id: su.id };
      }, [V.linkEmail, `${pageOrigin}/landing.html`]), 'sign-up create/start');
      const link = await mail.next('link');
      await polled('/v1/client/sign_ups/');
      const sess = await openLink(link, true);
      const done = noError(await page.evaluate(() => window.__linkFlow), 'email link flow');
      assert.deepEqual([done.status, done.email, done.session], ['complete', 'verified', sess]);
      V.linkUser = done.user;
      await activateAndSignOut('email-link-sign-up', done.session, { email: V.linkEmail });
    });

    flow('email-link sign-in', async () => {
      const mail = await mailbox(EMULATOR, V.linkEmail);
      noError(await inPage(page, async ([email, redirectUrl]) => {
        const si = await window.Clerk.client.signIn.create({ identifier: email });
        const f = si.supportedFirstFactors.find((x) => x.strategy === 'email_link');
        const { startEmailLinkFlow } = si.createEmailLinkFlow();
        window.__linkFlow = startEmailLinkFlow({ emailAddressId: f.emailAddressId, redirectUrl }).then(
          (r) => ({ status: r.status, session: r.createdSessionId, first: r.firstFactorVerification.status }),
          (e) => ({ error: { status: e.status, code: e.errors?.[0]?.code, message: String(e.message ?? e) } }),
        );
        return { id: si.id };
      }, [V.linkEmail, `${pageOrigin}/landing.html`]), 'sign-in create/start');
      const link = await mail.next('link');
      await polled('/v1/client/sign_ins/');
      const sess = await openLink(link, true);
      const done = noError(await page.evaluate(() => window.__linkFlow), 'email link flow');
      assert.deepEqual([done.status, done.first, done.session], ['complete', 'verified', sess]);
      const r = await activateAndSignOut('email-link-sign-in', done.session, { email: V.linkEmail });
      assert.equal(r.user, V.linkUser);
    });

    flow('second factor: email_code, then phone_code', async () => {
      const email = `conf-2fa-${variant}-${rand()}@example.com`;
      const phone = randomPhone();
      const mail = await mailbox(EMULATOR, email);
      const sms = await mailbox(EMULATOR, phone);
      // A user with a verified email address and phone number (a sign-up).
      noError(await inPage(page, async ([e, p]) => {
        const su = await window.Clerk.client.signUp.create({ emailAddress: e, phoneNumber: p });
        await su.prepareEmailAddressVerification({ strategy: 'email_code' });
        return {};
      }, [email, phone]), 'sign-up');
      noError(await inPage(page, async (c) => {
        const su = await window.Clerk.client.signUp.attemptEmailAddressVerification({ code: c });
        await su.preparePhoneNumberVerification({ strategy: 'phone_code' });
        return {};
      }, await mail.next('code')), 'sign-up email');
      const su = noError(await inPage(page, async (c) => {
        const su = await window.Clerk.client.signUp.attemptPhoneNumberVerification({ code: c });
        await window.Clerk.setActive({ session: su.createdSessionId });
        await window.Clerk.signOut();
        return { status: su.status, user: su.createdUserId };
      }, await sms.next('code')), 'sign-up phone');
      assert.equal(su.status, 'complete');

      await control(EMULATOR, 'PATCH', 'config', { second_factor: true });
      try {
        await clear();
        const first = noError(await inPage(page, async (e) => {
          const si = await window.Clerk.client.signIn.create({ identifier: e });
          const f = si.supportedFirstFactors.find((x) => x.strategy === 'email_code');
          await si.prepareFirstFactor({ strategy: 'email_code', emailAddressId: f.emailAddressId });
          return { status: si.status };
        }, email), 'first factor prepare');
        assert.equal(first.status, 'needs_first_factor');
        const second = noError(await inPage(page, async (c) => {
          const si = await window.Clerk.client.signIn.attemptFirstFactor({ strategy: 'email_code', code: c });
          const f = (si.supportedSecondFactors ?? []).find((x) => x.strategy === 'phone_code');
          if (si.status === 'needs_second_factor') {
            await si.prepareSecondFactor({ strategy: 'phone_code', phoneNumberId: f.phoneNumberId });
          }
          return { status: si.status, factor: f ?? null, session: si.createdSessionId };
        }, await mail.next('code')), 'first factor attempt');
        assert.equal(second.status, 'needs_second_factor');
        assert.equal(second.session, null);
        assert.match(second.factor.phoneNumberId, /^idn_/);
        const code = await sms.next('code');
        const wrong = await inPage(page, async (c) => window.Clerk.client.signIn.attemptSecondFactor({ strategy: 'phone_code', code: c }), wrongCode(code));
        assert.deepEqual([wrong.error?.status, wrong.error?.code], [422, 'form_code_incorrect']);
        const done = noError(await inPage(page, async (c) => {
          const si = await window.Clerk.client.signIn.attemptSecondFactor({ strategy: 'phone_code', code: c });
          return { status: si.status, session: si.createdSessionId, second: si.secondFactorVerification.status };
        }, code), 'second factor attempt');
        assert.deepEqual([done.status, done.second], ['complete', 'verified']);
        const r = await activateAndSignOut('second-factor', done.session, { email, phone, secondFactor: true });
        assert.equal(r.user, su.user);
      } finally {
        await control(EMULATOR, 'PATCH', 'config', { second_factor: false });
      }
    });

    test('Clerk API errors reach ClerkJS as ClerkAPIResponseError', async () => {
      const r = await inPage(page, async ([unknown, taken]) => {
        const err = async (p) => p.then(() => null, (e) => ({ status: e.status, code: e.errors?.[0]?.code, param: e.errors?.[0]?.meta?.paramName }));
        return {
          unknown: await err(window.Clerk.client.signIn.create({ identifier: unknown })),
          taken: await err(window.Clerk.client.signUp.create({ emailAddress: taken })),
          format: await err(window.Clerk.client.signUp.create({ phoneNumber: '12' })),
        };
      }, [`nobody-${rand()}@example.com`, V.email]);
      assert.deepEqual(r.unknown, { status: 422, code: 'form_identifier_not_found', param: 'identifier' });
      assert.deepEqual(r.taken, { status: 422, code: 'form_identifier_exists', param: 'email_address' });
      assert.deepEqual(r.format, { status: 422, code: 'form_param_format_invalid', param: 'phone_number' });
    });

    test('client identification and screenshot', async () => {
      // The dev-browser key is identified by __clerk_db_jwt only; the others by
      // the emulator's HttpOnly __client cookie.
      const jar = await context.cookies(cfg.frontend_api);
      const client = jar.find((c) => c.name === '__client');
      if (variant === 'dev-browser') {
        assert.equal(client, undefined);
        assert.ok(jar.some((c) => c.name === '__clerk_db_jwt'), 'ClerkJS stored the dev-browser JWT');
      } else {
        assert.ok(client?.httpOnly, 'an HttpOnly __client cookie');
        assert.equal(client.sameSite, 'Lax');
      }
      await inPage(page, async (a) => { window.showState(a); return {}; }, { variant, passed });
      await screenshot(page, `conformance-clerkjs-${variant}`);
    });
  });
}
