// PROTOTYPE (size measurement): a JS shell over the sans-IO Rust core. JS does fetch,
// state and Promises; the .wasm parses keys, builds every request (paths, form
// encoding, query), turns error envelopes into ClerkAPIResponseError and decides
// which session load() activates. Covers seed 001's API only.
import init, { coreKey, coreRequest, coreCheck, coreFinalizeReload, coreCookie, coreClientUat, coreDomains } from './clerk_wasm.js';
export { version } from './clerk_wasm.js';
export * from './errors.js';
import { ClerkNetworkError } from './errors.js';

await init();

const camel = (k) => k.replace(/_+([a-z0-9])/g, (_, c) => c.toUpperCase());
const camelize = (v) => (v == null ? null : Array.isArray(v) ? v.map(camelize)
  : typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), camelize(x)])) : v);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const DB = '__clerk_db_jwt';
/** A JWT's `exp` (Unix seconds), read by the browser. */
const tokenExp = (jwt) => {
  try { return JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp ?? 0; } catch { return 0; }
};
/** ClerkJS's cookie suffix: URL-safe base64 of SHA-1(publishable key), 8 characters. */
const suffixOf = async (key) => {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(key.trim())));
  return btoa(String.fromCharCode(...d)).replace(/\+/g, '-').replace(/\//g, '_').slice(0, 8);
};
const SIGNED_IN = (s) => s.status === 'active' || s.status === 'pending';
const cookie = (n) => document.cookie.split('; ').find((c) => c.startsWith(`${n}=`))?.slice(n.length + 1);

function resource(clerk, kind, methods) {
  const r = {};
  for (const f of ['id', 'status', 'identifier', 'supported_first_factors', 'created_session_id',
    'unverified_fields', 'missing_fields', 'first_factor_verification', 'verifications']) {
    Object.defineProperty(r, camel(f), { enumerable: true, get: () => camelize(clerk._raw(kind)?.[f]) });
  }
  for (const [name, op] of Object.entries(methods)) {
    r[name] = async (args = {}) => { await clerk._call(op, kind === 'signUp' ? 'sign_up' : 'sign_in', args); return r; };
  }
  return r;
}

export class Clerk {
  #cfg; #db; #client = null; #env = null; #sid = null; #listeners = new Set(); #tokens = new Map();
  #raw = {};
  #key;
  #domain;
  #dbPending = null;
  #attempts = { signIn: {}, signUp: {} };
  #futures;
  constructor(publishableKey, options = {}) {
    this.#cfg = coreKey(publishableKey, options.proxyUrl ?? null);
    this.#db = this.#cfg.development ? cookie(DB) ?? null : null;
    this.#key = publishableKey;
    this.loaded = false;
    const su = { create: 'signUp.create', update: 'signUp.update', prepareVerification: 'signUp.prepare', attemptVerification: 'signUp.attempt' };
    this._signUp = resource(this, 'signUp', su);
    this._signUp.preparePhoneNumberVerification = (a = {}) => this._signUp.prepareVerification({ strategy: 'phone_code', ...a });
    this._signUp.attemptPhoneNumberVerification = (a) => this._signUp.attemptVerification({ strategy: 'phone_code', ...a });
    this._signUp.prepareEmailAddressVerification = (a = {}) => this._signUp.prepareVerification({ strategy: 'email_code', ...a });
    this._signUp.attemptEmailAddressVerification = (a) => this._signUp.attemptVerification({ strategy: 'email_code', ...a });
    this._signIn = resource(this, 'signIn', { create: 'signIn.create', prepareFirstFactor: 'signIn.prepareFirst', attemptFirstFactor: 'signIn.attemptFirst' });
    this.#futures = { signIn: this.#future('signIn'), signUp: this.#future('signUp') };
  }

  _raw(kind) { return this.#raw[kind]; }

  /** Writes `name` and `name_<suffix>` on the page (empty value removes them). */
  #cookie(name, value, strict = false) {
    const secure = location.protocol === 'https:';
    let domain = null;
    if (strict) {
      if (this.#domain === undefined) {
        this.#domain = null;
        const cands = coreDomains(location.hostname);
        for (const d of cands.slice(0, -1)) {
          document.cookie = coreCookie('__clerk_test_etld', null, '1', true, secure, d);
          const ok = cookie('__clerk_test_etld') !== undefined;
          document.cookie = coreCookie('__clerk_test_etld', null, '', true, secure, d);
          if (ok) { this.#domain = d; break; }
        }
        if (this.#domain === null && cands.length) this.#domain = cands.at(-1);
      }
      domain = this.#domain;
    }
    for (const sfx of [this.#cfg.suffix, null]) document.cookie = coreCookie(name, sfx, value, strict, secure, domain);
  }

  /** `__session` (the active session's JWT) and `__client_uat`, as ClerkJS writes them. */
  #authCookies() {
    this.#cookie('__session', (this.#sid && this.#tokens.get(this.#sid)) || '');
    const signedIn = (this.#client?.sessions ?? []).some((s) => s.status === 'active' || s.status === 'pending');
    const uat = coreClientUat(this.#cfg.development, this.#cfg.fapi, location.host, this.#client?.updated_at ?? 0, signedIn);
    if (uat != null) this.#cookie('__client_uat', uat, true);
  }

  /** Newer API: fetchStatus while running, errors kept; resolves to { error }. */
  async #tracked(kind, fn) {
    const a = this.#attempts[kind];
    a.fetching = true; a.error = null; this.#emit();
    let error = null;
    try { await fn(); } catch (e) { error = e; }
    a.fetching = false; a.error = error; this.#emit();
    return { error };
  }

  #errors(kind) {
    const e = this.#attempts[kind].error;
    const out = { fields: {}, raw: [], global: [] };
    if (!e) return out;
    const allowed = kind === 'signIn' ? ['identifier', 'password', 'code']
      : ['emailAddress', 'phoneNumber', 'firstName', 'lastName', 'username', 'password', 'code'];
    const items = e.errors ?? [{ code: e.code, message: e.message, longMessage: e.message }];
    out.raw = items;
    for (const it of items) {
      let f = it.meta?.paramName && camel(it.meta.paramName);
      if (!f && !e.errors && e.code === 'invalid_phone_number') f = kind === 'signIn' ? 'identifier' : 'phoneNumber';
      if (f && allowed.includes(f) && !out.fields[f]) out.fields[f] = it; else out.global.push(it);
    }
    return out;
  }

  async #sendCode(strategy, args) {
    const a = { strategy, identifier: args.phoneNumber ?? args.emailAddress, identifierId: args.phoneNumberId ?? args.emailAddressId };
    const r = await this.#send('signIn.sendCode', '', a, this.#raw.signIn ?? null);
    this.#raw.signIn = r;
    if (this.then) this.#raw.signIn = await this.#send('signIn.sendCodePrepare', '', a, r);
  }

  async #finalize(kind, navigate) {
    const sid = this.#raw[kind]?.created_session_id ?? null;
    if (coreFinalizeReload(sid, !!this.#client?.sessions?.some((s) => s.id === sid))) this.#apply(await this.#send('client'));
    await this.setActive({ session: sid });
    if (navigate) await navigate({ session: this.session });
  }

  #future(kind) {
    const r = kind === 'signIn' ? this._signIn : this._signUp;
    const f = Object.create(r);
    Object.defineProperty(f, 'errors', { get: () => this.#errors(kind) });
    Object.defineProperty(f, 'fetchStatus', { get: () => (this.#attempts[kind].fetching ? 'fetching' : 'idle') });
    f.finalize = ({ navigate } = {}) => this.#tracked(kind, () => this.#finalize(kind, navigate));
    if (kind === 'signIn') {
      for (const [k, strategy] of [['phoneCode', 'phone_code'], ['emailCode', 'email_code']]) {
        f[k] = {
          sendCode: (args = {}) => this.#tracked(kind, () => this.#sendCode(strategy, args)),
          verifyCode: ({ code }) => this.#tracked(kind, async () => {
            this.#raw.signIn = await this.#send('signIn.verifyCode', '', { strategy, code }, this.#raw.signIn ?? null);
          }),
        };
      }
    } else {
      f.create = (args) => this.#tracked(kind, () => r.create(args));
      Object.defineProperty(f, 'verifications', { value: {
        sendPhoneCode: () => this.#tracked(kind, async () => {
          this.#raw.signUp = await this.#send('signUp.sendPhoneCode', '', {}, this.#raw.signUp ?? null);
        }),
        verifyPhoneCode: ({ code }) => this.#tracked(kind, async () => {
          this.#raw.signUp = await this.#send('signUp.verifyPhoneCode', '', { code }, this.#raw.signUp ?? null);
        }),
      } });
    }
    return f;
  }

  get signIn() { return this.#futures.signIn; }
  get signUp() { return this.#futures.signUp; }

  async #send(op, id = '', args = {}, current = null) {
    if (this.#cfg.development && !this.#db) {
      // One handshake even when load() sends two requests at once.
      this.#dbPending ??= (async () => {
        const [m, u] = coreRequest('dev_browser', '', null, null, this.#cfg.base, [], null, null);
        const j = coreCheck(...await this.#fetch(m, u, null));
        this.#db = j.id;
        this.#cookie(DB, j.id);
      })().finally(() => { this.#dbPending = null; });
      await this.#dbPending;
    }
    const extra = this.#db ? [[DB, this.#db]] : [];
    const [method, url, body, then] = coreRequest(op, id, args, current, this.#cfg.base, extra, this.#sid, navigator.language || null);
    const out = coreCheck(...await this.#fetch(method, url, body, true));
    this.then = then;
    const client = out?.client ?? out?.meta?.client;
    if (client !== undefined) this.#apply(client);
    return out && typeof out === 'object' && 'response' in out ? out.response : out;
  }

  async #fetch(method, url, body, credentials) {
    for (let i = 0; ; i += 1) {
      try {
        const res = await fetch(url, {
          method, body: body ?? undefined, credentials: credentials ? 'include' : 'omit',
          headers: body == null ? undefined : { 'content-type': 'application/x-www-form-urlencoded' },
        });
        const json = res.status === 204 ? null : await res.json().catch(() => null);
        return [res.status, json, res.headers.get('retry-after')];
      } catch (e) {
        if (method !== 'GET' || i >= 3) throw new ClerkNetworkError(e.message);
        await sleep(i ? Math.min(700 << (i - 1), 5000) : 0);
      }
    }
  }

  #apply(client) {
    this.#client = client;
    if (client?.sign_in) this.#raw.signIn = client.sign_in;
    if (client?.sign_up) this.#raw.signUp = client.sign_up;
    for (const s of client?.sessions ?? []) if (s.last_active_token) this.#tokens.set(s.id, s.last_active_token.jwt);
    if (this.#sid && !client?.sessions?.some((s) => s.id === this.#sid && s.status === 'active')) this.#sid = null;
    this.#emit();
  }

  #emit() { for (const f of this.#listeners) f({ client: this.client, session: this.session, user: this.user }); }

  async _call(op, kind, args) {
    const id = this.#raw[kind === 'sign_up' ? 'signUp' : 'signIn']?.id ?? '';
    const r = await this.#send(op, id, args);
    this.#raw[kind === 'sign_up' ? 'signUp' : 'signIn'] = r;
    this.#emit();
    return r;
  }

  async load() {
    this.#cfg.suffix = await suffixOf(this.#key);
    if (this.#cfg.development) this.#db = cookie(`${DB}_${this.#cfg.suffix}`) ?? this.#db;
    const [env, client] = await Promise.all([this.#send(this.#cfg.development ? 'env.touch' : 'env'), this.#send('client')]);
    this.#env = env;
    this.#apply(client);
    const signedIn = (client?.sessions ?? []).filter(SIGNED_IN);
    this.#sid = (signedIn.find((s) => s.id === client?.last_active_session_id) ?? signedIn[0])?.id ?? null;
    this.loaded = true;
    this.#authCookies();
    this.#emit();
  }

  get client() { return this.loaded ? { signUp: this._signUp, signIn: this._signIn, sessions: camelize(this.#client?.sessions ?? []) } : undefined; }
  get isSignedIn() { return !!this.#sid; }
  get session() {
    const s = this.#client?.sessions?.find((x) => x.id === this.#sid);
    if (!s) return null;
    const c = camelize(s);
    c.getToken = (o = {}) => (this.#sid === s.id ? this.#token(s.id, !!o.skipCache) : Promise.resolve(null));
    return c;
  }
  get user() {
    const u = this.session?.user;
    if (!u) return null;
    u.primaryPhoneNumber = u.phoneNumbers?.find((p) => p.id === u.primaryPhoneNumberId) ?? null;
    u.primaryEmailAddress = u.emailAddresses?.find((p) => p.id === u.primaryEmailAddressId) ?? null;
    return u;
  }

  async #token(sid, skipCache = false) {
    const t = this.#tokens.get(sid);
    if (!skipCache && t && tokenExp(t) * 1000 - Date.now() > 5000) return t;
    const r = await this.#send('token', sid, { skipCache });
    this.#tokens.set(sid, r?.jwt);
    this.#authCookies();
    return r?.jwt ?? null;
  }

  async setActive({ session }) {
    const id = typeof session === 'string' ? session : session?.id ?? null;
    if (id) await this.#send('touch', id);
    this.#sid = id;
    if (id) await this.#token(id);
    this.#authCookies();
    this.#emit();
  }

  async signOut(first, second) {
    const [callback, options] = typeof first === 'function' ? [first, second] : [null, first];
    const sid = options?.sessionId;
    const signedIn = (this.#client?.sessions ?? []).filter((s) => s.status === 'active' || s.status === 'pending');
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
    this.#emit();
    if (!ended) return;
    if (callback) await callback();
    else if (options?.redirectUrl) location.assign(options.redirectUrl);
  }

  addListener(f) { this.#listeners.add(f); if (this.loaded) f({ client: this.client, session: this.session, user: this.user }); return () => this.#listeners.delete(f); }
}
