// Package entry (`clerk-wasm`). The client object runs in the .wasm: the Rust engine
// (clerk-core) under its driver (fetch, timers, cookies, BroadcastChannel, tab events),
// reached through src/npm.rs. This file keeps only ClerkJS's object shapes: every method
// forwards to `call(op, …)`, every getter reads the latest state snapshot the engine
// pushed. The build with the mountable forms is `clerk-wasm/ui` (ui/): a page imports one
// of the two, never both (each is its own WebAssembly instance).
import init, {
  create, call, listen, unlisten, linkVerification, dispose, url, __live,
} from './clerk_wasm.js';
// The engine's operations by number, under the names clerk-core's `Op` spells (ops.js is
// generated from it by build-pkg.sh; the release bundle inlines the numbers).
import * as O from './ops.js';

/** The SDK's version: the crate's (Cargo.toml), written here by build-pkg.sh, as in package.json. */
export const version = () => '0.0.0-template';
export {
  ClerkError, ClerkAPIResponseError, ClerkNetworkError, ClerkRuntimeError, EmailLinkError,
  ClerkCancelledError, isClerkAPIResponseError, isEmailLinkError, isClerkRuntimeError,
  isUserLockedError, EmailLinkErrorCode, EmailLinkErrorCodeStatus,
} from '__ERRORS_JS__';

// build-pkg.sh writes this file twice: as the headless entry and as ui/index.js.
const ENTRY = Symbol.for('clerk-wasm.entry');
// The forms' export, in the ui build only: build-pkg.sh turns the next line of ui/index.js
// into `import { ui } from './clerk_wasm.js';` (the headless glue has no such export).
const ui = undefined;
const THIS_ENTRY = ui ? 'clerk-wasm/ui' : 'clerk-wasm';
if (globalThis[ENTRY] && globalThis[ENTRY] !== THIS_ENTRY) {
  console.warn("clerk-wasm: both 'clerk-wasm' and 'clerk-wasm/ui' are loaded (two separate instances); import only one.");
}
globalThis[ENTRY] ??= THIS_ENTRY;

await init();

const gone = new FinalizationRegistry(dispose);

/** `param_name` → `paramName`, deeply (FAPI JSON → ClerkJS's shapes). */
const camel = (k) => k.replace(/_+([a-z0-9])/g, (_, c) => c.toUpperCase());
const camelize = (v) => (v == null ? null : Array.isArray(v) ? v.map(camelize)
  : typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), camelize(x)])) : v);
/** The newer API's result: `{ error }`, never a rejection. */
const result = (p) => p.then(() => ({ error: null }), (error) => ({ error }));
const SIGNED_IN = (s) => s.status === 'active' || s.status === 'pending';

/** A verification in ClerkJS's shape, with `verifiedFromTheSameClient()`. */
const verification = (raw, c) => {
  const v = camelize(raw);
  if (v) Object.defineProperty(v, 'verifiedFromTheSameClient', { value: () => !!v.verifiedAtClient && v.verifiedAtClient === c.s().client?.id });
  return v;
};

/** Read-only getters over `this._raw()` (snake_case) as camelCase; `lists` default to []. */
function fields(cls, names, lists = '') {
  for (const [list, spec] of [[false, names], [true, lists]]) {
    for (const name of spec.split(' ').filter(Boolean)) {
      const key = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      Object.defineProperty(cls.prototype, name, {
        configurable: true,
        get() {
          const v = camelize(this._raw()?.[key]);
          return list && v === null ? [] : v;
        },
      });
    }
  }
}

/** `createEmailLinkFlow()`: `startEmailLinkFlow` runs operation `op`; cancel aborts the latest. */
function linkFlow(c, op, resource, target = null) {
  let ac = null;
  return {
    startEmailLinkFlow: ({ redirectUrl, emailAddressId, signal } = {}) => {
      ac = new AbortController();
      const both = signal ? AbortSignal.any([ac.signal, signal]) : ac.signal;
      return c.call(op, { redirectUrl, emailAddressId }, target, false, both).then(() => resource);
    },
    cancelEmailLinkFlow: () => ac?.abort(),
  };
}

// ---- resources -------------------------------------------------------------------------

/** A sign-in attempt: `clerk.client.signIn` (classic: methods throw) or `clerk.signIn` (newer: `{ error }`). */
export class SignIn {
  #c; #future;
  constructor(c, future) {
    this.#c = c; this.#future = future;
    const t = (op, p = {}, signal) => result(c.call(op, p, null, true, signal));
    const code = (strategy) => ({
      sendCode: (p = {}) => t(O.signInSendCode, { ...p, strategy }),
      verifyCode: ({ code: x } = {}) => t(O.signInVerifyCode, { strategy, code: x }),
    });
    this.phoneCode = code('phone_code');
    this.emailCode = code('email_code');
    const mfa = (op, strategy) => (p = {}) => t(op, { strategy, code: p.code });
    this.mfa = {
      sendPhoneCode: mfa(O.signInMfaSend, 'phone_code'),
      sendEmailCode: mfa(O.signInMfaSend, 'email_code'),
      verifyPhoneCode: mfa(O.signInMfaVerify, 'phone_code'),
      verifyEmailCode: mfa(O.signInMfaVerify, 'email_code'),
      verifyTotp: mfa(O.signInMfaVerify, 'totp'),
      verifyBackupCode: mfa(O.signInMfaVerify, 'backup_code'),
    };
    this.emailLink = {
      sendLink: (p = {}) => t(O.signInSendLink, p),
      waitForVerification: ({ signal } = {}) => t(O.signInWaitLink, {}, signal),
      get verification() { return linkVerification(c.inst()); },
    };
  }
  _raw() { return this.#c.s().signIn; }
  get firstFactorVerification() { return verification(this._raw()?.first_factor_verification, this.#c); }
  get secondFactorVerification() { return verification(this._raw()?.second_factor_verification, this.#c); }
  #run(op, p = {}) {
    const r = this.#c.call(op, p, null, this.#future);
    return this.#future ? result(r) : r.then(() => this);
  }
  create(p) { return this.#run(O.signInCreate, p); }
  prepareFirstFactor(p) { return this.#run(O.signInPrepareFirstFactor, p); }
  attemptFirstFactor(p) { return this.#run(O.signInAttemptFirstFactor, p); }
  prepareSecondFactor(p) { return this.#run(O.signInPrepareSecondFactor, p); }
  attemptSecondFactor(p) { return this.#run(O.signInAttemptSecondFactor, p); }
  reload() { return this.#run(O.signInReload); }
  finalize(p = {}) { return result(this.#c.navigate(O.signInFinalize, p, true)); }
  reset() { this.#c.call(O.signInReset); }
  createEmailLinkFlow() { return linkFlow(this.#c, O.signInLinkFlow, this); }
  get errors() { return this.#c.s().signInStatus.errors; }
  get fetchStatus() { return this.#c.s().signInStatus.fetching ? 'fetching' : 'idle'; }
}
fields(SignIn, 'id status identifier createdSessionId userData',
  'supportedFirstFactors supportedSecondFactors');

/** A sign-up attempt: `clerk.client.signUp` (classic) or `clerk.signUp` (newer). */
export class SignUp {
  #c; #future;
  constructor(c, future) {
    this.#c = c; this.#future = future;
    const t = (op, p = {}, signal) => result(c.call(op, p, null, true, signal));
    const v = (f) => verification(c.s().signUp?.verifications?.[f], c);
    this.verifications = {
      get emailAddress() { return v('email_address'); },
      get phoneNumber() { return v('phone_number'); },
      sendPhoneCode: (p = {}) => t(O.signUpSendPhoneCode, p),
      verifyPhoneCode: ({ code } = {}) => t(O.signUpVerifyPhoneCode, { code }),
      sendEmailCode: () => t(O.signUpSendEmailCode),
      verifyEmailCode: ({ code } = {}) => t(O.signUpVerifyEmailCode, { code }),
      sendEmailLink: ({ verificationUrl } = {}) => t(O.signUpSendLink, { verificationUrl }),
      waitForEmailLinkVerification: ({ signal } = {}) => t(O.signUpWaitLink, {}, signal),
      get emailLinkVerification() { return linkVerification(c.inst()); },
    };
    // Seed 003's names for the same calls.
    this.phoneCode = { sendCode: this.verifications.sendPhoneCode, verifyCode: this.verifications.verifyPhoneCode };
    this.emailCode = { sendCode: this.verifications.sendEmailCode, verifyCode: this.verifications.verifyEmailCode };
  }
  _raw() { return this.#c.s().signUp; }
  #run(op, p = {}) {
    const r = this.#c.call(op, p, null, this.#future);
    return this.#future ? result(r) : r.then(() => this);
  }
  create(p) { return this.#run(O.signUpCreate, p); }
  update(p) { return this.#run(O.signUpUpdate, p); }
  prepareVerification(p) { return this.#run(O.signUpPrepare, p); }
  attemptVerification(p) { return this.#run(O.signUpAttempt, p); }
  preparePhoneNumberVerification(p = {}) { return this.#run(O.signUpPrepare, { strategy: 'phone_code', ...p }); }
  attemptPhoneNumberVerification(p = {}) { return this.#run(O.signUpAttempt, { strategy: 'phone_code', ...p }); }
  prepareEmailAddressVerification(p = {}) { return this.#run(O.signUpPrepare, { strategy: 'email_code', ...p }); }
  attemptEmailAddressVerification(p = {}) { return this.#run(O.signUpAttempt, { strategy: 'email_code', ...p }); }
  reload() { return this.#run(O.signUpReload); }
  finalize(p = {}) { return result(this.#c.navigate(O.signUpFinalize, p, true)); }
  reset() { this.#c.call(O.signUpReset); }
  createEmailLinkFlow() { return linkFlow(this.#c, O.signUpLinkFlow, this); }
  get errors() { return this.#c.s().signUpStatus.errors; }
  get fetchStatus() { return this.#c.s().signUpStatus.fetching ? 'fetching' : 'idle'; }
}
fields(SignUp, 'id status emailAddress phoneNumber createdSessionId createdUserId', 'requiredFields missingFields unverifiedFields');

/** A session of the client (`clerk.session`). */
export class Session {
  #c;
  constructor(c, id) { this.#c = c; this.id = id; }
  _raw() { return this.#c.s().client?.sessions?.find((s) => s.id === this.id) ?? null; }
  /** The session JWT (cached while more than 5 s of it remain), or `null` when this session is not the active one. */
  getToken({ template, skipCache } = {}) {
    return this.#c.call(O.getToken, { session: this.id, template, skipCache }).then((t) => t ?? null);
  }
  toJSON() { return camelize(this._raw()); }
}
fields(Session, 'status user publicUserData expireAt lastActiveAt');

/** `clerk.client`: sessions and the sign-in / sign-up attempts. */
export class Client {
  #c;
  constructor(c) { this.#c = c; this.signIn = new SignIn(c, false); this.signUp = new SignUp(c, false); }
  _raw() { return this.#c.s().client; }
  get signedInSessions() { return this.sessions.filter(SIGNED_IN); }
}
fields(Client, 'id lastActiveSessionId createdAt updatedAt', 'sessions');

/** An email address of the signed-in user (`user.createEmailAddress()`). */
export class EmailAddress {
  #c;
  constructor(c, id) { this.#c = c; this.id = id; }
  _raw() {
    return this.#c.s().emailAddresses[this.id]
      ?? this.#c.active()?.user?.email_addresses?.find((e) => e.id === this.id) ?? null;
  }
  get emailAddress() { return this._raw()?.email_address ?? null; }
  get verification() { return verification(this._raw()?.verification, this.#c); }
  #run(op, p) { return this.#c.call(op, p, this.id).then(() => this); }
  prepareVerification(p = {}) { return this.#run(O.emailAddressPrepare, p); }
  attemptVerification({ code } = {}) { return this.#run(O.emailAddressAttempt, { code }); }
  reload() { return this.#run(O.emailAddressReload, {}); }
  createEmailLinkFlow() { return linkFlow(this.#c, O.emailAddressLinkFlow, this, this.id); }
  toJSON() { return camelize(this._raw()); }
}

// ---- the client object -----------------------------------------------------------------

export class Clerk {
  #inst; #s; #c; #client;

  constructor(publishableKey, options = {}) {
    const c = {
      inst: () => this.#inst,
      s: () => this.#s,
      call: (op, p = {}, target = null, tracked = false, signal = undefined) =>
        new Promise((resolve, reject) => call(this.#inst, op, p, target, tracked, signal, resolve, reject)),
      active: () => this.#active(),
      /** `op` with `redirectUrl`, or `navigate({ session })` after it when given (ClerkJS). */
      navigate: (op, { navigate, redirectUrl, ...p } = {}, tracked = false) => {
        const go = typeof navigate === 'function';
        return c.call(op, { ...p, redirectUrl: go ? undefined : redirectUrl }, null, tracked)
          .then(async () => { if (go) await navigate({ session: this.session }); });
      },
    };
    this.#c = c;
    this.#client = new Client(c);
    this.signIn = new SignIn(c, true);
    this.signUp = new SignUp(c, true);
    this.#inst = create(publishableKey, options, (s) => {
      this.#s = s;
      return { client: this.client, session: this.session, user: this.user };
    });
    gone.register(this, this.#inst);
  }

  #active() { return this.#s.client?.sessions?.find((s) => s.id === this.#s.sessionId) ?? null; }

  get loaded() { return this.#s.loaded; }
  /** `loading` until `load()` resolves, then `ready`; `error` when it failed. */
  get status() { return this.#s.status; }
  get frontendApi() { return this.#s.frontendApi; }
  get instanceType() { return this.#s.instanceType; }
  get client() { return this.loaded ? this.#client : undefined; }
  get isSignedIn() { return !!this.#s.sessionId; }
  get environment() { return camelize(this.#s.environment); }
  get session() {
    if (!this.loaded) return undefined;
    return this.#active() ? new Session(this.#c, this.#s.sessionId) : null;
  }
  get user() {
    const u = camelize(this.#active()?.user);
    if (!u) return null;
    u.fullName = [u.firstName, u.lastName].filter(Boolean).join(' ') || null;
    u.primaryEmailAddress = u.emailAddresses?.find((e) => e.id === u.primaryEmailAddressId) ?? null;
    u.primaryPhoneNumber = u.phoneNumbers?.find((p) => p.id === u.primaryPhoneNumberId) ?? null;
    u.createEmailAddress = ({ email, emailAddress } = {}) => this.#c.call(O.createEmailAddress, { emailAddress: emailAddress ?? email })
      .then((r) => new EmailAddress(this.#c, r.id));
    return u;
  }

  /** Loads the environment and the client (after the dev-browser handshake on development
   *  instances) and picks the last active session. `options`: ClerkJS's redirect options
   *  (`signInUrl`, `signUpUrl`, `signInForceRedirectUrl`, `signInFallbackRedirectUrl`, … ,
   *  `allowedRedirectOrigins`). */
  load(options = {}) {
    const { allowedRedirectOrigins: a, ...rest } = options;
    return this.#c.call(O.load, { ...rest, allowedRedirectOrigins: a?.map(String) });
  }

  /** Makes `session` active (touch, token), then `navigate({ session })` or `redirectUrl`. */
  setActive({ session, ...p } = {}) {
    return this.#c.navigate(O.setActive, { ...p, session: typeof session === 'string' ? session : session?.id ?? null });
  }

  /** Signs out of every session, or of `sessionId` only; then `callback` or `redirectUrl`. */
  signOut(first, second) {
    const [callback, o] = typeof first === 'function' ? [first, second] : [null, first];
    return this.#c.call(O.signOut, { sessionId: o?.sessionId, redirectUrl: callback ? undefined : o?.redirectUrl })
      .then(async (ended) => { if (ended && callback) await callback(); });
  }

  /** Calls `callback({ client, session, user })` now (when loaded) and after every change. */
  addListener(callback) {
    const id = listen(this.#inst, callback);
    return () => unlisten(this.#inst, id);
  }

  /** The landing page of an email link: tells a waiting tab of this browser at once, then
   *  activates the session when it is on this client. Resolves `verified`, `continue`,
   *  `verified_on_other_device` or `transferable`; throws `EmailLinkError` otherwise. */
  async handleEmailLinkVerification(params = {}, customNavigate) {
    const { redirectUrlComplete, redirectUrl } = params;
    const r = await this.#c.call(O.handleEmailLinkVerification, customNavigate ? {} : { redirectUrlComplete, redirectUrl });
    const to = r === 'verified' ? redirectUrlComplete : r === 'continue' ? redirectUrl : null;
    if (customNavigate && to) await customNavigate(to);
    if (r === 'verified_on_other_device' || r === 'transferable') params.onVerifiedOnOtherDevice?.();
    return r;
  }

  /** Leak checks (tests, the memory bench): what this instance keeps alive; see src/npm.rs. */
  _live() {
    const n = __live(this.#inst);
    return Object.fromEntries(['calls', 'requests', 'tokenFetches', 'timers', 'fetches', 'replies', 'signals', 'listeners', 'tabListeners'].map((k, i) => [k, n[i]]));
  }

  // The hosted pages (ClerkJS's Account Portal): URLs with the redirect parameters in their hash
  // and, for a development instance on another origin, the dev browser; `redirectTo…` goes there.
  buildSignInUrl(props = {}) { return url(this.#inst, 0, props, false); }
  buildSignUpUrl(props = {}) { return url(this.#inst, 1, props, false); }
  buildUserProfileUrl() { return url(this.#inst, 2, {}, false); }
  buildAfterSignInUrl() { return url(this.#inst, 3, {}, false); }
  buildAfterSignUpUrl() { return url(this.#inst, 4, {}, false); }
  async redirectToSignIn(props = {}) { url(this.#inst, 0, props, true); }
  async redirectToSignUp(props = {}) { url(this.#inst, 1, props, true); }
  async redirectToUserProfile() { url(this.#inst, 2, {}, true); }
  async redirectToAfterSignIn() { url(this.#inst, 3, {}, true); }
  async redirectToAfterSignUp() { url(this.#inst, 4, {}, true); }

  // The `clerk-wasm/ui` build: ClerkJS's component methods, drawn by the Rust forms (cargo
  // feature `ui`) on this same engine.
  static {
    if (ui) {
      ['mountSignIn', 'mountSignUp', 'unmountSignIn', 'unmountSignUp', 'openSignIn', 'openSignUp',
        'closeSignIn', 'closeSignUp', 'mountUserButton', 'unmountUserButton'].forEach((name, op) => {
        Clerk.prototype[name] = function (a, b) { ui(op, this.#inst, a, b); };
      });
    }
  }
}
