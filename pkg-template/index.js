// Package entry (`clerk-wasm`, the headless build). Its .wasm is the Rust core
// (src/shell.rs): it parses the key, builds every request, decodes error envelopes and
// decides when an email-link wait is over. This file is the thin JS shell around it:
// fetch, timers, BroadcastChannel and cookies, and the state behind ClerkJS's object
// shapes. Instantiated once with top-level await, so `new Clerk(key)` works right after
// the import. The build with the mountable forms is the `clerk-wasm/ui` entry (ui/):
// a page imports one of the two, never both (each is its own WebAssembly instance).
import init, {
  coreKey, coreRequest, coreCheck, coreWritesClientUat, coreDomains, corePoll,
} from './clerk_wasm.js';
import * as wasm from './clerk_wasm.js';
import {
  ClerkNetworkError, ClerkRuntimeError, ClerkCancelledError, EmailLinkError, __camel as camel, __camelize as camelize,
} from '__ERRORS_JS__';

export { version } from './clerk_wasm.js';
export {
  ClerkError, ClerkAPIResponseError, ClerkNetworkError, ClerkRuntimeError, EmailLinkError,
  ClerkCancelledError, isClerkAPIResponseError, isEmailLinkError,
} from '__ERRORS_JS__';

// build-pkg.sh writes this file twice: as the headless entry and as ui/index.js (the
// `clerk-wasm/ui` build, whose .wasm adds the forms: see the end of this file).
const ENTRY = Symbol.for('clerk-wasm.entry');
// The forms' exports, in the ui build only: read from a copy of the module, so that bundlers
// do not warn that the headless build lacks them.
const { ui: uiExport, uiEvent } = { ...wasm };
const THIS_ENTRY = uiExport ? 'clerk-wasm/ui' : 'clerk-wasm';
if (globalThis[ENTRY] && globalThis[ENTRY] !== THIS_ENTRY) {
  console.warn("clerk-wasm: both 'clerk-wasm' and 'clerk-wasm/ui' are loaded (two separate instances); import only one.");
}
globalThis[ENTRY] ??= THIS_ENTRY;

await init();

// ---- helpers ---------------------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The timers of the token refresh and the email-link polls: the page's, or with
 *  `workerTimers: true` a dedicated worker's, which browsers throttle less in background tabs.
 *  The worker is made from a blob: URL (CSP `worker-src blob:`); when it cannot start, the page's
 *  timers take over, also for what it already had. `set` returns an id for `clear`. */
function timers(useWorker) {
  const due = new Map();
  let n = 0, w = null;
  const fire = (id) => { const t = due.get(id); if (t) { due.delete(id); t.f(); } };
  const onPage = (id, t) => { t.h = setTimeout(fire, t.ms, id); };
  if (useWorker) {
    try {
      w = new Worker(URL.createObjectURL(new Blob(['onmessage=(e)=>setTimeout(postMessage,e.data[1],e.data[0])'],
        { type: 'text/javascript' })));
      w.onmessage = (e) => fire(e.data);
      w.onerror = () => { w = null; due.forEach((t, id) => onPage(id, t)); };
    } catch { w = null; }
  }
  return {
    set(f, ms) {
      const id = ++n, t = { f, ms };
      due.set(id, t);
      if (w) w.postMessage([id, ms]); else onPage(id, t);
      return id;
    },
    clear(id) { clearTimeout(due.get(id)?.h); due.delete(id); },
  };
}
const cookie = (n) => document.cookie.split('; ').find((c) => c.startsWith(`${n}=`))?.slice(n.length + 1);
/** A JWT's `exp` (Unix seconds), read by the browser. */
const tokenExp = (jwt) => {
  try { return JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp ?? 0; } catch { return 0; }
};
/** ClerkJS's cookie suffix: URL-safe base64 of SHA-1(publishable key), 8 characters. */
const suffixOf = async (key) => {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(key.trim())));
  return btoa(String.fromCharCode(...d)).replace(/\+/g, '-').replace(/\//g, '_').slice(0, 8);
};
const NO_SESSION = 'The attempt has not created a session yet.';
/** The `document.cookie` assignment (as core::cookies::cookie_string); an empty value removes it. */
const cookieString = (name, suffix, value, strict, secure, domain) => `${name}${suffix ? `_${suffix}` : ''}=${value}`
  + `; Path=/; SameSite=${strict ? 'Strict' : 'Lax'}; Max-Age=${value ? 31536000 : 0}${secure ? '; Secure' : ''}${domain ? `; Domain=${domain}` : ''}`;
const SIGNED_IN = (s) => s.status === 'active' || s.status === 'pending';
const DB = '__clerk_db_jwt';
const LINK_CHANNEL = 'clerk-wasm:email-link';
const TOKEN_CHANNEL = 'clerk-wasm:token';
/** A cached token is not served with less than this left; a refresh is due this long before exp. */
const MIN_LEFT_MS = 5000;
const REFRESH_LEAD_MS = 17000;
const LINK_ERRORS = {
  expired: 'This link has expired. Request a new one.',
  failed: 'The link could not be verified. Request a new one.',
  client_mismatch: 'Open the link on the device and browser where you started.',
};
const cancelled = () => new ClerkCancelledError('The email link flow was cancelled.');
/** One running email-link wait per resource: a second start cancels the first. */
const running = new Map();
const SIGN_IN_FIELDS = ['identifier', 'password', 'code'];
const SIGN_UP_FIELDS = ['firstName', 'lastName', 'emailAddress', 'phoneNumber', 'password', 'username', 'code', 'captcha', 'legalAccepted'];

/** `{ status, createdSessionId, verifiedFromTheSameClient }` from this page's link parameters. */
function pageLinkVerification(client) {
  const q = new URLSearchParams(location.search);
  const status = q.get('__clerk_status');
  const sid = q.get('__clerk_created_session');
  if (status === null || sid === null) return null;
  return {
    status, createdSessionId: sid,
    verifiedFromTheSameClient: status === 'verified' && !!client?.sessions?.some((s) => s.id === sid),
  };
}

/** Defines read-only getters reading `raw()` (snake_case) as camelCase; `lists` default to []. */
function fields(cls, names, lists = '') {
  for (const [list, spec] of [[false, names], [true, lists]]) {
    for (const name of spec.split(' ').filter(Boolean)) {
      const key = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      Object.defineProperty(cls.prototype, name, {
        configurable: true,
        get() { const v = camelize(this._raw()?.[key]); return list && v === null ? [] : v; },
      });
    }
  }
}

// ---- resources -------------------------------------------------------------------------

/** A sign-in attempt: `clerk.client.signIn` (classic: methods throw) or `clerk.signIn` (newer: `{ error }`). */
export class SignIn {
  #c; #future;
  constructor(shell, future) {
    this.#c = shell; this.#future = future;
    const code = (strategy) => ({
      sendCode: (p = {}) => shell.tracked('signIn', () => shell.sendCode(strategy, p)),
      verifyCode: ({ code: c }) => shell.tracked('signIn', () => shell.call('signIn', 'signIn.verifyCode', { strategy, code: c }, true)),
    });
    this.phoneCode = code('phone_code');
    this.emailCode = code('email_code');
    const mfa = (op, strategy) => (p = {}) => shell.tracked('signIn', () => shell.call('signIn', op, { strategy, code: p.code }, true));
    this.mfa = {
      sendPhoneCode: mfa('signIn.mfaSend', 'phone_code'),
      sendEmailCode: mfa('signIn.mfaSend', 'email_code'),
      verifyPhoneCode: mfa('signIn.mfaVerify', 'phone_code'),
      verifyEmailCode: mfa('signIn.mfaVerify', 'email_code'),
      verifyTotp: mfa('signIn.mfaVerify', 'totp'),
      verifyBackupCode: mfa('signIn.mfaVerify', 'backup_code'),
    };
    this.emailLink = {
      sendLink: ({ emailAddress, emailAddressId, verificationUrl }) => shell.tracked('signIn', async () => {
        if (emailAddress && shell.raw('signIn')?.identifier !== emailAddress) await shell.call('signIn', 'signIn.create', { identifier: emailAddress });
        await shell.call('signIn', 'signIn.prepareLink', { redirectUrl: verificationUrl, emailAddressId }, true);
      }),
      waitForVerification: ({ signal } = {}) => shell.tracked('signIn', () => shell.waitLink('signIn', null, signal, true)),
      get verification() { return pageLinkVerification(shell.clientRaw()); },
    };
  }
  _raw() { return this.#c.raw('signIn'); }
  #run(op, params) {
    const p = this.#c.call('signIn', op, params);
    return this.#future ? this.#c.tracked('signIn', () => p) : p.then(() => this);
  }
  create(p = {}) { return this.#run('signIn.create', p); }
  prepareFirstFactor(p = {}) { return this.#run('signIn.prepareFirst', p); }
  attemptFirstFactor(p = {}) { return this.#run('signIn.attemptFirst', p); }
  prepareSecondFactor(p = {}) { return this.#run('signIn.prepareSecond', p); }
  attemptSecondFactor(p = {}) { return this.#run('signIn.attemptSecond', p); }
  reload() { return this.#run('signIn.reload', {}); }
  finalize(p = {}) { return this.#c.tracked('signIn', () => this.#c.finalize('signIn', p)); }
  reset() { this.#c.reset('signIn'); }
  createEmailLinkFlow() { return this.#c.linkFlow('signIn', this); }
  get errors() { return this.#c.errors('signIn'); }
  get fetchStatus() { return this.#c.fetchStatus('signIn'); }
}
fields(SignIn, 'id status identifier firstFactorVerification secondFactorVerification createdSessionId userData',
  'supportedFirstFactors supportedSecondFactors');

/** A sign-up attempt: `clerk.client.signUp` (classic) or `clerk.signUp` (newer). */
export class SignUp {
  #c; #future;
  constructor(shell, future) {
    this.#c = shell; this.#future = future;
    const t = (fn) => shell.tracked('signUp', fn);
    const v = (f) => camelize(shell.raw('signUp')?.verifications?.[f]);
    this.verifications = {
      get emailAddress() { return v('email_address'); },
      get phoneNumber() { return v('phone_number'); },
      sendPhoneCode: (p = {}) => t(() => shell.call('signUp', 'signUp.sendPhoneCode', p, true)),
      verifyPhoneCode: ({ code }) => t(() => shell.call('signUp', 'signUp.verifyPhoneCode', { code }, true)),
      sendEmailCode: () => t(() => shell.call('signUp', 'signUp.sendEmailCode', {}, true)),
      verifyEmailCode: ({ code }) => t(() => shell.call('signUp', 'signUp.verifyEmailCode', { code }, true)),
      sendEmailLink: ({ verificationUrl }) => t(() => shell.call('signUp', 'signUp.prepareLink', { redirectUrl: verificationUrl }, true)),
      waitForEmailLinkVerification: ({ signal } = {}) => t(() => shell.waitLink('signUp', null, signal, true)),
      get emailLinkVerification() { return pageLinkVerification(shell.clientRaw()); },
    };
  }
  _raw() { return this.#c.raw('signUp'); }
  #run(op, params) {
    const p = this.#c.call('signUp', op, params);
    return this.#future ? this.#c.tracked('signUp', () => p) : p.then(() => this);
  }
  create(p = {}) { return this.#run('signUp.create', p); }
  update(p = {}) { return this.#run('signUp.update', p); }
  prepareVerification(p = {}) { return this.#run('signUp.prepare', p); }
  attemptVerification(p = {}) { return this.#run('signUp.attempt', p); }
  preparePhoneNumberVerification(p = {}) { return this.#run('signUp.prepare', { strategy: 'phone_code', ...p }); }
  attemptPhoneNumberVerification(p = {}) { return this.#run('signUp.attempt', { strategy: 'phone_code', ...p }); }
  prepareEmailAddressVerification(p = {}) {
    const q = { strategy: 'email_code', ...p };
    if (q.strategy === 'email_link') return this.#run('signUp.prepareLink', q);
    return this.#run('signUp.prepare', q);
  }
  attemptEmailAddressVerification(p = {}) { return this.#run('signUp.attempt', { strategy: 'email_code', ...p }); }
  reload() { return this.#run('signUp.reload', {}); }
  finalize(p = {}) { return this.#c.tracked('signUp', () => this.#c.finalize('signUp', p)); }
  reset() { this.#c.reset('signUp'); }
  createEmailLinkFlow() { return this.#c.linkFlow('signUp', this); }
  get errors() { return this.#c.errors('signUp'); }
  get fetchStatus() { return this.#c.fetchStatus('signUp'); }
}
fields(SignUp, 'id status emailAddress phoneNumber createdSessionId createdUserId', 'requiredFields missingFields unverifiedFields');

/** A session of the client (`clerk.session`). */
export class Session {
  #c;
  constructor(shell, id) { this.#c = shell; this.id = id; }
  _raw() { return this.#c.clientRaw()?.sessions?.find((s) => s.id === this.id) ?? null; }
  /** The session JWT (cached while more than 5 s of it remain), or `null` when this session is not the active one. */
  getToken(o = {}) { return this.#c.token(this.id, o); }
  toJSON() { return camelize(this._raw()); }
}
fields(Session, 'status user publicUserData expireAt lastActiveAt');

/** `clerk.client`: sessions and the sign-in / sign-up attempts. */
export class Client {
  #c;
  constructor(shell) { this.#c = shell; this.signIn = shell.classic.signIn; this.signUp = shell.classic.signUp; }
  _raw() { return this.#c.clientRaw(); }
  get signedInSessions() { return this.sessions.filter(SIGNED_IN); }
}
fields(Client, 'id lastActiveSessionId createdAt updatedAt', 'sessions');

/** An email address of the signed-in user (`user.createEmailAddress()`). */
export class EmailAddress {
  #c;
  constructor(shell, id) { this.#c = shell; this.id = id; }
  _raw() { return this.#c.emailAddressRaw(this.id); }
  get emailAddress() { return this._raw()?.email_address ?? null; }
  get verification() { return camelize(this._raw()?.verification); }
  #run(op, p) { return this.#c.call(`emailAddress:${this.id}`, op, p).then(() => this); }
  prepareVerification(p = {}) { return this.#run(p.strategy === 'email_link' ? 'emailAddress.prepareLink' : 'me.prepareEmail', { strategy: 'email_code', ...p }); }
  attemptVerification({ code }) { return this.#run('me.attemptEmail', { code }); }
  reload() { return this.#run('emailAddress.reload', {}); }
  createEmailLinkFlow() { return this.#c.linkFlow(`emailAddress:${this.id}`, this); }
  toJSON() { return camelize(this._raw()); }
}

// ---- the client object -----------------------------------------------------------------

export class Clerk {
  #cfg; #key; #then = false; #db = null; #dbPending = null; #domain;
  #env = null; #client = null; #sid = null; #raw = {};
  #tokens = new Map(); #tokenPending = new Map(); #refresh = null; #tokenChannel = null; #timers;
  #attempts = { signIn: {}, signUp: {} };
  #listeners = new Set();
  #shell;

  constructor(publishableKey, options = {}) {
    this.#cfg = coreKey(publishableKey, options.proxyUrl ?? null);
    this.#key = publishableKey;
    this.#timers = timers(!!options.workerTimers);
    this.#db = this.#cfg.development ? cookie(DB) ?? null : null;
    this.loaded = false;
    // What the resource classes may call (not part of the public API).
    const shell = {
      raw: (k) => this.#raw[k] ?? null,
      clientRaw: () => this.#client,
      emailAddressRaw: (id) => this.#raw[`emailAddress:${id}`]
        ?? this.#activeRaw()?.user?.email_addresses?.find((e) => e.id === id) ?? null,
      call: (k, op, p, current) => this.#call(k, op, p, current),
      tracked: (k, fn) => this.#tracked(k, fn),
      errors: (k) => this.#errors(k),
      fetchStatus: (k) => (this.#attempts[k].fetching ? 'fetching' : 'idle'),
      sendCode: (strategy, p) => this.#sendCode(strategy, p),
      finalize: (k, p) => this.#finalize(k, p),
      reset: (k) => { delete this.#raw[k]; this.#attempts[k] = {}; this.#emit(); },
      linkFlow: (k, resource) => this.#linkFlow(k, resource),
      waitLink: (k, prepare, signal, throwExpired) => this.#waitLink(k, prepare, signal, throwExpired),
      token: (sid, o) => (this.#sid === sid ? this.#token(sid, !!o.skipCache, o.template) : Promise.resolve(null)),
    };
    this.#shell = shell;
    shell.classic = { signIn: new SignIn(shell, false), signUp: new SignUp(shell, false) };
    this.signIn = new SignIn(shell, true);
    this.signUp = new SignUp(shell, true);
    this.#clientObj = new Client(shell);
  }

  #clientObj;

  get frontendApi() { return this.#cfg.fapi; }
  get instanceType() { return this.#cfg.development ? 'development' : 'production'; }
  get client() { return this.loaded ? this.#clientObj : undefined; }
  get isSignedIn() { return !!this.#sid; }
  get environment() { return camelize(this.#env); }
  get session() {
    if (!this.loaded) return undefined;
    return this.#sid && this.#activeRaw() ? new Session(this.#shell, this.#sid) : null;
  }
  get user() {
    const u = camelize(this.#activeRaw()?.user);
    if (!u) return null;
    u.fullName = [u.firstName, u.lastName].filter(Boolean).join(' ') || null;
    u.primaryEmailAddress = u.emailAddresses?.find((e) => e.id === u.primaryEmailAddressId) ?? null;
    u.primaryPhoneNumber = u.phoneNumbers?.find((p) => p.id === u.primaryPhoneNumberId) ?? null;
    u.createEmailAddress = async (p) => {
      const r = await this.#call('me', 'me.createEmail', { emailAddress: p.emailAddress ?? p.email });
      this.#raw[`emailAddress:${r.id}`] = r;
      return new EmailAddress(this.#shell, r.id);
    };
    return u;
  }

  /** The raw `/v1/environment` (snake_case), for the mounted forms. */
  _environmentRaw() { return this.#env; }

  /** The client's signed-in (active or pending) sessions. */
  #signedIn() { return (this.#client?.sessions ?? []).filter(SIGNED_IN); }

  #activeRaw() { return this.#client?.sessions?.find((s) => s.id === this.#sid) ?? null; }

  // ---- transport -----------------------------------------------------------------------

  /** Sends one core-built request; applies the piggybacked client; returns the resource. */
  async #send(op, id = '', args = {}, current = null, signal = undefined) {
    if (this.#cfg.development && !this.#db) {
      // One handshake even when load() sends two requests at once.
      this.#dbPending ??= (async () => {
        const [m, u] = coreRequest('dev_browser', '', null, null, this.#cfg.base, [], null, null);
        const j = coreCheck(...await this.#fetch(m, u, null, false));
        this.#db = j.id;
        this.#cookie(DB, j.id);
      })().finally(() => { this.#dbPending = null; });
      await this.#dbPending;
    }
    const extra = this.#db ? [[DB, this.#db]] : [];
    const [method, url, body, then] = coreRequest(op, id, args, current, this.#cfg.base, extra, this.#sid, navigator.language || null);
    const out = coreCheck(...await this.#fetch(method, url, body, true, signal));
    const client = out?.client ?? out?.meta?.client;
    if (client !== undefined) this.#apply(client);
    this.#then = then;
    return out && typeof out === 'object' && 'response' in out ? out.response : out;
  }

  /** fetch with credentials; GETs are retried on network errors (0, 700, 1400 ms; 4 tries). */
  async #fetch(method, url, body, credentials, signal) {
    for (let i = 0; ; i += 1) {
      try {
        const res = await fetch(url, {
          method, body: body ?? undefined, credentials: credentials ? 'include' : 'omit', signal,
          headers: body == null ? undefined : { 'content-type': 'application/x-www-form-urlencoded' },
        });
        const jwt = res.headers.get('clerk-db-jwt');
        if (jwt && this.#cfg.development && jwt !== this.#db) { this.#db = jwt; this.#cookie(DB, jwt); }
        const json = res.status === 204 ? null : await res.json().catch(() => null);
        return [res.status, json, res.headers.get('retry-after')];
      } catch (e) {
        if (signal?.aborted) throw cancelled();
        if (method !== 'GET' || i >= 3) throw new ClerkNetworkError(e.message);
        await sleep(i ? Math.min(700 << (i - 1), 5000) : 0);
      }
    }
  }

  /** A sign-in/sign-up/email-address call: the answer becomes that resource. */
  async #call(kind, op, args, withCurrent = false) {
    const id = kind.startsWith('emailAddress:') ? kind.slice(13) : this.#raw[kind]?.id ?? '';
    if (op.endsWith('Link')) args = { ...args, pageOrigin: location.origin };
    const r = await this.#send(op, id, args, withCurrent || op.endsWith('Link') ? this.#raw[kind] ?? null : null);
    if (kind !== 'me') this.#raw[kind] = r;
    this.#emit();
    return r;
  }

  #apply(client) {
    this.#client = client;
    if (client?.sign_in) this.#raw.signIn = client.sign_in;
    if (client?.sign_up) this.#raw.signUp = client.sign_up;
    for (const s of client?.sessions ?? []) {
      const jwt = s.last_active_token?.jwt;
      if (jwt && tokenExp(jwt) > tokenExp(this.#tokens.get(s.id) ?? '')) this.#tokens.set(s.id, jwt);
    }
    if (this.#sid && !this.#signedIn().some((s) => s.id === this.#sid)) this.#sid = null;
    this.#schedule();
    this.#emit();
  }

  #emit() {
    if (!this.loaded || !this.#listeners.size) return;
    const args = { client: this.client, session: this.session, user: this.user };
    for (const f of [...this.#listeners]) f(args);
  }

  // ---- cookies ---------------------------------------------------------------------------

  /** Writes `name` and `name_<suffix>` on the page (an empty value removes them). */
  #cookie(name, value, strict = false) {
    const secure = location.protocol === 'https:';
    let domain = null;
    if (strict) {
      if (this.#domain === undefined) {
        this.#domain = null;
        const cands = coreDomains(location.hostname);
        for (const d of cands.slice(0, -1)) {
          document.cookie = cookieString('__clerk_test_etld', null, '1', true, secure, d);
          const ok = cookie('__clerk_test_etld') !== undefined;
          document.cookie = cookieString('__clerk_test_etld', null, '', true, secure, d);
          if (ok) { this.#domain = d; break; }
        }
        if (this.#domain === null && cands.length) this.#domain = cands.at(-1);
      }
      domain = this.#domain;
    }
    for (const sfx of this.#cfg.suffix ? [this.#cfg.suffix, null] : [null]) {
      document.cookie = cookieString(name, sfx, value, strict, secure, domain);
    }
  }

  /** `__session` (the active session's JWT) and `__client_uat`, as ClerkJS writes them. */
  #authCookies() {
    this.#cookie('__session', (this.#sid && this.#tokens.get(this.#sid)) || '');
    const signedIn = this.#signedIn().length > 0;
    if (coreWritesClientUat(this.#cfg.development, this.#cfg.fapi, location.host)) {
      const at = this.#client?.updated_at ?? 0;
      this.#cookie('__client_uat', signedIn && at > 0 ? String(Math.floor(at / 1000)) : '0', true);
    }
  }

  // ---- newer API bookkeeping -------------------------------------------------------------

  /** Runs a newer-API call: `fetchStatus` while it runs, its error kept; resolves `{ error }`. */
  async #tracked(kind, fn) {
    const a = this.#attempts[kind];
    a.fetching = true; a.error = null; this.#emit();
    let error = null;
    try { await fn(); } catch (e) { error = e; }
    a.fetching = false; a.error = error; this.#emit();
    return { error };
  }

  /** `{ fields, raw, global }`: the first error per known field; the rest in `global`. */
  #errors(kind) {
    const e = this.#attempts[kind].error;
    const out = { fields: {}, raw: [], global: [] };
    if (!e) return out;
    const allowed = kind === 'signIn' ? SIGN_IN_FIELDS : SIGN_UP_FIELDS;
    const items = e.errors ?? [{ code: e.code, message: e.message, longMessage: e.message, meta: {} }];
    out.raw = items;
    for (const it of items) {
      let f = it.meta?.paramName && camel(it.meta.paramName);
      if (!f && !e.errors && e.code === 'invalid_phone_number') f = kind === 'signIn' ? 'identifier' : 'phoneNumber';
      if (f && allowed.includes(f) && !out.fields[f]) out.fields[f] = it; else out.global.push(it);
    }
    return out;
  }

  async #sendCode(strategy, p) {
    const a = { strategy, identifier: p.phoneNumber ?? p.emailAddress, identifierId: p.phoneNumberId ?? p.emailAddressId, channel: p.channel };
    const r = await this.#send('signIn.sendCode', '', a, this.#raw.signIn ?? null);
    this.#raw.signIn = r;
    if (this.#then) this.#raw.signIn = await this.#send('signIn.sendCodePrepare', '', a, r);
    this.#emit();
  }

  async #finalize(kind, { navigate, redirectUrl } = {}) {
    const sid = this.#raw[kind]?.created_session_id;
    if (!sid) throw new ClerkRuntimeError(NO_SESSION, 'no_created_session');
    // The session may not be on the client yet: reload it first.
    if (!this.#client?.sessions?.some((s) => s.id === sid)) this.#apply(await this.#send('client'));
    await this.setActive({ session: sid, navigate, redirectUrl });
  }

  // ---- email links -----------------------------------------------------------------------

  /** Prepares the link (with `prepare` args) and polls the resource until it is verified or
   *  expired: 1 s after each poll ends, at once when a landing tab of this browser says so or
   *  the tab comes back (focus, visible, online). Cancel (the
   *  function returned, `signal`, or a second start) rejects with ClerkCancelledError. */
  #emailLink(kind, prepare, signal) {
    running.get(kind)?.();
    const ac = new AbortController();
    let stop = false;
    let wake = null;
    const cancel = () => { if (!stop) { stop = true; ac.abort(); wake?.(); } };
    running.set(kind, cancel);
    if (signal?.aborted) cancel(); else signal?.addEventListener('abort', cancel, { once: true });
    const bc = typeof BroadcastChannel === 'function' ? new BroadcastChannel(LINK_CHANNEL) : null;
    if (bc) bc.onmessage = () => wake?.();
    // Back to the tab, or back online: poll at once.
    const nudge = () => { if (document.visibilityState === 'visible') wake?.(); };
    for (const t of ['focus', 'online']) addEventListener(t, nudge);
    document.addEventListener('visibilitychange', nudge);
    const pollKind = kind === 'signIn' ? 0 : kind === 'signUp' ? 1 : 2;
    const id = () => (pollKind === 2 ? kind.slice(13) : this.#raw[kind]?.id ?? '');
    const promise = (async () => {
      try {
        if (stop) throw cancelled();
        if (prepare) {
          const op = pollKind === 0 ? 'signIn.prepareLink' : pollKind === 1 ? 'signUp.prepareLink' : 'emailAddress.prepareLink';
          this.#raw[kind] = await this.#send(op, id(), { ...prepare, pageOrigin: location.origin }, this.#raw[kind] ?? null, ac.signal);
          this.#emit();
        }
        for (;;) {
          if (stop) throw cancelled();
          const outcome = corePoll(pollKind, this.#raw[kind] ?? null, Date.now());
          if (outcome) return outcome;
          await new Promise((r) => { wake = r; this.#timers.set(r, 1000); });
          wake = null;
          if (stop) throw cancelled();
          const op = pollKind === 0 ? 'signIn.reload' : pollKind === 1 ? 'signUp.reload' : 'emailAddress.reload';
          this.#raw[kind] = await this.#send(op, id(), {}, null, ac.signal);
          this.#emit();
        }
      } catch (e) {
        throw stop ? cancelled() : e;
      } finally {
        bc?.close();
        for (const t of ['focus', 'online']) removeEventListener(t, nudge);
        document.removeEventListener('visibilitychange', nudge);
        if (running.get(kind) === cancel) running.delete(kind);
        signal?.removeEventListener('abort', cancel);
      }
    })();
    return { promise, cancel };
  }

  async #waitLink(kind, prepare, signal, throwExpired) {
    const outcome = await this.#emailLink(kind, prepare, signal).promise;
    if (throwExpired && outcome === 'expired') throw new EmailLinkError(LINK_ERRORS.expired, 'expired');
    return outcome;
  }

  /** `createEmailLinkFlow()`: `{ startEmailLinkFlow(params), cancelEmailLinkFlow() }`. */
  #linkFlow(kind, resource) {
    let current = null;
    return {
      startEmailLinkFlow: async ({ redirectUrl, emailAddressId, signal } = {}) => {
        current = this.#emailLink(kind, { redirectUrl, emailAddressId }, signal);
        await current.promise;
        return resource;
      },
      cancelEmailLinkFlow: () => current?.cancel(),
    };
  }

  /** The landing page of an email link: tells a waiting tab of this browser at once, then
   *  loads and activates the session when it is on this client. */
  async handleEmailLinkVerification(params = {}, customNavigate) {
    const q = new URLSearchParams(location.search);
    const status = q.get('__clerk_status');
    const sid = q.get('__clerk_created_session');
    if (status !== null) {
      const u = new URL(location.href);
      u.searchParams.delete('__clerk_status');
      u.searchParams.delete('__clerk_created_session');
      history.replaceState(history.state, '', u);
    }
    if (typeof BroadcastChannel === 'function') {
      const bc = new BroadcastChannel(LINK_CHANNEL);
      bc.postMessage({ status });
      bc.close();
    }
    const code = status === 'verified' || status === 'transferable' ? null
      : status === 'expired' || status === 'client_mismatch' ? status : 'failed';
    if (code) throw new EmailLinkError(LINK_ERRORS[code], code);
    if (!this.loaded) await this.load();
    const go = async (url) => { if (url) await (customNavigate ?? ((to) => location.assign(to)))(url); };
    if (status === 'transferable') return 'transferable';
    if (sid && this.#signedIn().some((s) => s.id === sid)) {
      await this.setActive({ session: sid });
      await go(params.redirectUrlComplete);
      return 'verified';
    }
    if (this.#client?.sign_in?.status === 'needs_second_factor' || this.#client?.sign_up?.status === 'missing_requirements') {
      await go(params.redirectUrl);
      return 'continue';
    }
    params.onVerifiedOnOtherDevice?.();
    return 'verified_on_other_device';
  }

  // ---- tokens ----------------------------------------------------------------------------

  /** The session JWT: cached while more than 5 s remain; one request in flight per session. */
  async #token(sid, skipCache = false, template = undefined) {
    if (template) return (await this.#send('tokenTemplate', sid, { template }))?.jwt ?? null;
    const t = this.#tokens.get(sid);
    if (!skipCache && t && tokenExp(t) * 1000 - Date.now() > MIN_LEFT_MS) return t;
    if (!this.#tokenPending.has(sid)) {
      this.#tokenPending.set(sid, (async () => {
        try {
          const r = await this.#send('token', sid, { skipCache });
          if (r?.jwt) {
            this.#tokens.set(sid, r.jwt);
            this.#tokenChannel?.postMessage({ sid, jwt: r.jwt });
          }
          this.#authCookies();
          this.#schedule();
          return r?.jwt ?? null;
        } finally { this.#tokenPending.delete(sid); }
      })());
    }
    return this.#tokenPending.get(sid);
  }

  /** The proactive refresh: 17 s before the active session's token expires. */
  #schedule() {
    this.#timers.clear(this.#refresh);
    const t = this.#sid && this.#tokens.get(this.#sid);
    if (!t) return;
    const sid = this.#sid;
    this.#refresh = this.#timers.set(() => { if (this.#sid === sid) this.#token(sid, true).catch(() => {}); },
      Math.max(0, tokenExp(t) * 1000 - REFRESH_LEAD_MS - Date.now()));
  }

  // ---- the public API --------------------------------------------------------------------

  /** Loads the environment and the client (after the dev-browser handshake on development
   *  instances) and picks the last active session. */
  async load() {
    this.#cfg.suffix = await suffixOf(this.#key);
    if (this.#cfg.development) this.#db = cookie(`${DB}_${this.#cfg.suffix}`) ?? this.#db;
    const [env, client] = await Promise.all([this.#send(this.#cfg.development ? 'env.touch' : 'env'), this.#send('client')]);
    this.#env = env;
    const signedIn = (client?.sessions ?? []).filter(SIGNED_IN);
    this.#sid = (signedIn.find((s) => s.id === client?.last_active_session_id) ?? signedIn[0])?.id ?? null;
    this.#apply(client);
    if (typeof BroadcastChannel === 'function' && !this.#tokenChannel) {
      this.#tokenChannel = new BroadcastChannel(TOKEN_CHANNEL);
      this.#tokenChannel.onmessage = ({ data }) => {
        if (data?.sid && data.jwt && tokenExp(data.jwt) > tokenExp(this.#tokens.get(data.sid) ?? '')) {
          this.#tokens.set(data.sid, data.jwt);
          if (data.sid === this.#sid) { this.#authCookies(); this.#schedule(); }
        }
      };
    }
    this.loaded = true;
    this.#authCookies();
    this.#emit();
  }

  /** Makes `session` active: touches it, warms its token, then `navigate` or `redirectUrl`. */
  async setActive({ session, navigate, redirectUrl } = {}) {
    const id = typeof session === 'string' ? session : session?.id ?? null;
    if (id) {
      if (!this.#signedIn().some((s) => s.id === id)) {
        throw new ClerkRuntimeError('The session was not found on this client.', 'session_not_found');
      }
      this.#sid = id;
      await this.#send('touch', id);
      this.#sid = id;
      await this.#token(id);
    } else {
      this.#sid = null;
    }
    this.#authCookies();
    this.#schedule();
    this.#emit();
    if (typeof navigate === 'function') await navigate({ session: this.session });
    else if (redirectUrl) location.assign(redirectUrl);
  }

  /** Signs out of every session, or of `sessionId` only; `callback` or `redirectUrl` after. */
  async signOut(first, second) {
    const [callback, options] = typeof first === 'function' ? [first, second] : [null, first];
    const sid = options?.sessionId;
    const signedIn = this.#signedIn();
    let ended = true;
    if (sid && signedIn.length !== 1) {
      if (!signedIn.some((s) => s.id === sid)) return;
      ended = this.#sid === sid;
      await this.#send('remove', sid);
      this.#tokens.delete(sid);
    } else {
      const client = await this.#send('signOut'); // the answer is the client
      this.#sid = null;
      if (client?.object === 'client') this.#apply(client);
    }
    this.#authCookies();
    this.#schedule();
    this.#emit();
    if (!ended) return;
    if (callback) await callback();
    else if (options?.redirectUrl) location.assign(options.redirectUrl);
  }

  /** Calls `callback({ client, session, user })` now (when loaded) and after every change. */
  addListener(callback) {
    this.#listeners.add(callback);
    if (this.loaded) callback({ client: this.client, session: this.session, user: this.user });
    return () => { this.#listeners.delete(callback); };
  }

  redirectToSignIn() { const u = this.#env?.display_config?.sign_in_url; if (u) location.assign(u); }
  redirectToSignUp() { const u = this.#env?.display_config?.sign_up_url; if (u) location.assign(u); }
}

// The `clerk-wasm/ui` build: ClerkJS's component methods, drawn by the Rust forms (cargo
// feature `ui`), which drive this same `Clerk` through its public API.
if (uiExport) {
  ['mountSignIn', 'mountSignUp', 'unmountSignIn', 'unmountSignUp', 'openSignIn', 'openSignUp',
    'closeSignIn', 'closeSignUp', 'mountUserButton', 'unmountUserButton'].forEach((name, op) => {
    Clerk.prototype[name] = function (a, b) { uiExport(op, this, a, b, uiEvent); };
  });
}
