// The seed flows (seed 001 classic API, seed 003 newer API) driven through
// clerk-wasm in a page, one function per flow, each doing exactly what the
// ClerkJS conformance suite does for the fixture of the same name
// (tests/e2e/conformance.test.mjs, tests/fixtures/clerkjs/README.md): so the
// emulator's request log of a flow can be compared with ClerkJS's fixture.
// Used by tests/e2e/sequence.test.mjs and scripts/bench-load.mjs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { control, normalise, mailbox, wrongCode, sleep, FIXTURES } from '../conformance/lib.mjs';

/** ClerkJS's normalised sequence of `flow` (the `dev` variant: the key the emulator prints). */
export function clerkjsFixture(flow) {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${flow}.json`), 'utf8'));
}

/** Runs `fn(arg)` in the page; a rejection comes back as {error:{name, status, code, message}}. */
export async function inPage(page, fn, arg) {
  return page.evaluate(
    async ([src, a]) => {
      try {
        // eslint-disable-next-line no-new-func
        return await new Function(`return (${src})`)()(a);
      } catch (e) {
        return { error: { name: e?.name, status: e?.status, code: e?.code ?? e?.errors?.[0]?.code, message: String(e?.message ?? e) } };
      }
    },
    [fn.toString(), arg],
  );
}

function ok(r, what) {
  assert.ok(r && !r.error, `${what}: ${JSON.stringify(r?.error)}`);
  return r;
}

/**
 * The seed flows against clerk-wasm. `base` is the emulator URL, `page` a page on
 * a same-site origin that serves the package at `/pkg/index.js` and the emulator's
 * key at `/emulator.json`. Every flow method clears the request log first and
 * returns the normalised sequence it produced.
 */
export class WasmFlows {
  constructor(base, page, pageUrl) {
    this.base = base; this.page = page; this.pageUrl = pageUrl;
    this.V = {};
  }

  clear() { return control(this.base, 'POST', 'requests/clear'); }

  /** The log since the last clear, after a short settle (anything sent right after belongs to the flow). */
  async seq() {
    await sleep(250);
    return normalise(await control(this.base, 'GET', 'requests'));
  }

  /** Page load → `load()` resolved. Returns {seq, state}. */
  async load() {
    await this.clear();
    await this.page.goto(this.pageUrl);
    const state = ok(await inPage(this.page, async () => {
      const m = await import('/pkg/index.js');
      const key = (await (await fetch('/emulator.json')).json()).publishable_key;
      window.clerk = new m.Clerk(key);
      await window.clerk.load();
      return { loaded: window.clerk.loaded, isSignedIn: window.clerk.isSignedIn, session: window.clerk.session?.id ?? null };
    }), 'load');
    assert.equal(state.loaded, true);
    return { seq: await this.seq(), state };
  }

  /** setActive, getToken() (cached), getToken({skipCache: true}); asserts the session is active. */
  async activate(sessionId) {
    const r = ok(await inPage(this.page, async (sid) => {
      await window.clerk.setActive({ session: sid });
      const cached = await window.clerk.session.getToken();
      const fresh = await window.clerk.session.getToken({ skipCache: true });
      return { isSignedIn: window.clerk.isSignedIn, session: window.clerk.session?.id, user: window.clerk.user?.id, cached, fresh };
    }, sessionId), 'setActive/getToken');
    assert.deepEqual([r.isSignedIn, r.session], [true, sessionId]);
    assert.match(r.user, /^user_/);
    assert.equal(r.cached.split('.').length, 3, 'getToken() gives a JWT');
    assert.equal(r.fresh.split('.').length, 3, 'getToken({skipCache}) gives a JWT');
    return r;
  }

  async phoneSignUp(phone) {
    await this.clear();
    this.V.phone = phone;
    const sms = await mailbox(this.base, phone);
    const created = ok(await inPage(this.page, async (p) => {
      const su = await window.clerk.client.signUp.create({ phoneNumber: p });
      await su.preparePhoneNumberVerification({ strategy: 'phone_code' });
      return { status: su.status, unverified: su.unverifiedFields };
    }, phone), 'sign-up create/prepare');
    assert.deepEqual(created, { status: 'missing_requirements', unverified: ['phone_number'] });
    const code = await sms.next('code');
    const wrong = await inPage(this.page, async (c) => window.clerk.client.signUp.attemptPhoneNumberVerification({ code: c }), wrongCode(code));
    assert.deepEqual([wrong.error?.status, wrong.error?.code], [422, 'form_code_incorrect']);
    const done = ok(await inPage(this.page, async (c) => {
      const su = await window.clerk.client.signUp.attemptPhoneNumberVerification({ code: c });
      return { status: su.status, session: su.createdSessionId };
    }, code), 'sign-up attempt');
    assert.equal(done.status, 'complete');
    this.V.phoneUser = (await this.activate(done.session)).user;
    return this.seq();
  }

  async phoneSignIn() {
    await this.clear();
    const sms = await mailbox(this.base, this.V.phone);
    ok(await inPage(this.page, async (p) => {
      const si = await window.clerk.client.signIn.create({ identifier: p });
      const f = si.supportedFirstFactors.find((x) => x.strategy === 'phone_code');
      await si.prepareFirstFactor({ strategy: 'phone_code', phoneNumberId: f.phoneNumberId });
      return {};
    }, this.V.phone), 'sign-in create/prepare');
    const code = await sms.next('code');
    const wrong = await inPage(this.page, async (c) => window.clerk.client.signIn.attemptFirstFactor({ strategy: 'phone_code', code: c }), wrongCode(code));
    assert.deepEqual([wrong.error?.status, wrong.error?.code], [422, 'form_code_incorrect']);
    const done = ok(await inPage(this.page, async (c) => {
      const si = await window.clerk.client.signIn.attemptFirstFactor({ strategy: 'phone_code', code: c });
      return { status: si.status, session: si.createdSessionId };
    }, code), 'sign-in attempt');
    assert.equal(done.status, 'complete');
    const r = await this.activate(done.session);
    assert.equal(r.user, this.V.phoneUser, 'the sign-in reaches the user the sign-up created');
    return this.seq();
  }

  async emailCodeSignUp(email) {
    await this.clear();
    this.V.email = email;
    const mail = await mailbox(this.base, email);
    const created = ok(await inPage(this.page, async (e) => {
      const su = await window.clerk.client.signUp.create({ emailAddress: e });
      await su.prepareEmailAddressVerification({ strategy: 'email_code' });
      return { status: su.status, unverified: su.unverifiedFields };
    }, email), 'sign-up create/prepare');
    assert.deepEqual(created, { status: 'missing_requirements', unverified: ['email_address'] });
    const done = ok(await inPage(this.page, async (c) => {
      const su = await window.clerk.client.signUp.attemptEmailAddressVerification({ code: c });
      return { status: su.status, session: su.createdSessionId };
    }, await mail.next('code')), 'sign-up attempt');
    assert.equal(done.status, 'complete');
    this.V.emailUser = (await this.activate(done.session)).user;
    return this.seq();
  }

  async emailCodeSignIn() {
    await this.clear();
    const mail = await mailbox(this.base, this.V.email);
    ok(await inPage(this.page, async (e) => {
      const si = await window.clerk.client.signIn.create({ identifier: e });
      const f = si.supportedFirstFactors.find((x) => x.strategy === 'email_code');
      await si.prepareFirstFactor({ strategy: 'email_code', emailAddressId: f.emailAddressId });
      return {};
    }, this.V.email), 'sign-in create/prepare');
    const done = ok(await inPage(this.page, async (c) => {
      const si = await window.clerk.client.signIn.attemptFirstFactor({ strategy: 'email_code', code: c });
      return { status: si.status, session: si.createdSessionId };
    }, await mail.next('code')), 'sign-in attempt');
    assert.equal(done.status, 'complete');
    assert.equal((await this.activate(done.session)).user, this.V.emailUser);
    return this.seq();
  }

  /** Seed 003: `clerk.signIn.phoneCode.sendCode/verifyCode`, `finalize()`. */
  async newerPhoneSignIn() {
    await this.clear();
    const sms = await mailbox(this.base, this.V.phone);
    const sent = await inPage(this.page, async (p) => {
      const { error } = await window.clerk.signIn.phoneCode.sendCode({ phoneNumber: p });
      return { error: error && { code: error.code }, status: window.clerk.signIn.status };
    }, this.V.phone);
    assert.deepEqual(sent, { error: null, status: 'needs_first_factor' });
    const code = await sms.next('code');
    const wrong = await inPage(this.page, async (c) => {
      const { error } = await window.clerk.signIn.phoneCode.verifyCode({ code: c });
      return { status: error?.status, code: error?.code, field: window.clerk.signIn.errors.fields.code?.code };
    }, wrongCode(code));
    assert.deepEqual(wrong, { status: 422, code: 'form_code_incorrect', field: 'form_code_incorrect' });
    const done = ok(await inPage(this.page, async (c) => {
      const v = await window.clerk.signIn.phoneCode.verifyCode({ code: c });
      if (v.error) throw v.error;
      const status = window.clerk.signIn.status;
      let navigated = null;
      const f = await window.clerk.signIn.finalize({ navigate: ({ session }) => { navigated = session?.id ?? null; } });
      if (f.error) throw f.error;
      const cached = await window.clerk.session.getToken();
      const fresh = await window.clerk.session.getToken({ skipCache: true });
      return { status, navigated, session: window.clerk.session?.id, user: window.clerk.user?.id, cached, fresh };
    }, code), 'newer verifyCode/finalize');
    assert.equal(done.status, 'complete');
    assert.match(done.session, /^sess_/);
    assert.equal(done.navigated, done.session, 'finalize({navigate}) gets the session');
    assert.equal(done.user, this.V.phoneUser);
    assert.equal(done.cached.split('.').length, 3);
    return this.seq();
  }

  /** `signOut()` resolved; asserts nothing is signed in any more. */
  async signOut() {
    await this.clear();
    const out = ok(await inPage(this.page, async () => {
      await window.clerk.signOut();
      return { isSignedIn: window.clerk.isSignedIn, session: window.clerk.session ?? null, user: window.clerk.user };
    }), 'signOut');
    assert.deepEqual(out, { isSignedIn: false, session: null, user: null });
    return this.seq();
  }
}
