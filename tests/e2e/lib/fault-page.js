// The in-page half of tests/e2e/faults.test.mjs, evaluated in the test page (a classic
// script: it defines `window.__faults`). Each *case* is one Clerk of its own (its own
// dev browser, hence its own client) whose `proxyUrl` is the fault proxy's case URL, so
// that many cases run side by side in one page without seeing each other's faults.
// Node drives a case in steps: setup (reach the state before the call, no fault armed),
// start (the call begins; Node has armed the fault), settle (its outcome, the state
// before and after, what the instance still holds), recover (the next call, fault cleared).
// Helpers exposed by Node: window.waitForCode(to, since), window.openLink(email, since).
(() => {
  const L = (window.__faults = { cases: new Map(), problems: [] });
  addEventListener('unhandledrejection', (e) => {
    L.problems.push(`unhandledrejection: ${e.reason?.name ?? ''} ${e.reason?.message ?? e.reason}`);
  });
  addEventListener('error', (e) => { L.problems.push(`error: ${e.message}`); });

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  /** Resolves once `f()` is truthy (checked every 10 ms); rejects after `ms`. */
  const until = async (f, ms = 10000) => {
    const end = performance.now() + ms;
    while (!f()) {
      if (performance.now() > end) throw new Error('until: timed out');
      await sleep(10);
    }
  };

  /** Loads the package (`/pkg/index.js`, or `/pkg/ui/index.js` for the forms). */
  L.init = async (key, entry) => { L.m = await import(entry); L.key = key; };

  /** A Clerk on a dev browser of its own (the page's dev-browser cookie is cleared first),
   *  or on the dev browser `db` (another page load of the same browser). */
  const fresh = (proxyUrl, db) => {
    for (const c of document.cookie.split('; ')) {
      const n = c.split('=')[0];
      if (n.startsWith('__clerk_db_jwt')) document.cookie = `${n}=; Path=/; Max-Age=0`;
    }
    if (db) document.cookie = `__clerk_db_jwt=${db}; Path=/`;
    return new L.m.Clerk(L.key, { proxyUrl });
  };

  /** What a caller can see of the state (compared before and after a failed call). */
  const snap = (c) => {
    if (!c.loaded) return { loaded: false };
    const si = c.client.signIn;
    const su = c.client.signUp;
    return {
      loaded: true,
      signedIn: c.isSignedIn,
      session: c.session?.id ?? null,
      user: c.user?.id ?? null,
      signIn: si.id && `${si.id} ${si.status} ${si.firstFactorVerification?.status ?? '-'}`,
      signUp: su.id && `${su.id} ${su.status} ${su.verifications.phoneNumber?.status ?? '-'} ${su.verifications.emailAddress?.status ?? '-'}`,
      sessions: c.client.sessions.map((s) => `${s.id}:${s.status}`).join(' '),
    };
  };

  /** An error as the test reports it (its class by `instanceof`, not by name alone). */
  const describe = (e) => {
    if (e == null) return null;
    const m = L.m;
    const kind = e instanceof m.ClerkNetworkError ? 'ClerkNetworkError'
      : e instanceof m.ClerkAPIResponseError ? 'ClerkAPIResponseError'
        : e instanceof m.ClerkRuntimeError ? 'ClerkRuntimeError'
          : e instanceof m.EmailLinkError ? 'EmailLinkError'
            : e instanceof m.ClerkCancelledError ? 'ClerkCancelledError'
              : e instanceof m.ClerkError ? 'ClerkError' : `bare ${e?.constructor?.name ?? typeof e}`;
    return {
      kind, name: e.name, code: e.code, status: e.status, retryAfter: e.retryAfter,
      message: String(e.message ?? e), first: e.errors?.[0]?.code,
    };
  };
  L.describe = describe;

  // ---- flows the setups share --------------------------------------------------------

  /** A user signed up by phone on `c`'s client; its session exists, not active. */
  async function phoneUser(c, x) {
    await c.load();
    const since = Date.now();
    await c.client.signUp.create({ phoneNumber: x.phone });
    await c.client.signUp.preparePhoneNumberVerification();
    const code = await window.waitForCode(x.phone, since);
    const su = await c.client.signUp.attemptPhoneNumberVerification({ code });
    x.sid = su.createdSessionId;
  }
  /** …and signed out again, so that a sign-in can start. */
  async function signedOutUser(c, x) { await phoneUser(c, x); await c.signOut(); }
  /** …signed in (active session). */
  async function signedIn(c, x) { await phoneUser(c, x); await c.setActive({ session: x.sid }); }
  const phoneFactor = (c) => c.client.signIn.supportedFirstFactors.find((f) => f.strategy === 'phone_code');
  async function signInCreated(c, x) {
    await signedOutUser(c, x);
    await c.client.signIn.create({ identifier: x.phone });
  }
  async function signInPrepared(c, x) {
    await signInCreated(c, x);
    const since = Date.now();
    await c.client.signIn.prepareFirstFactor({ strategy: 'phone_code', phoneNumberId: phoneFactor(c).phoneNumberId });
    x.code = await window.waitForCode(x.phone, since);
  }
  async function signUpPrepared(c, x) {
    await c.load();
    await c.client.signUp.create({ phoneNumber: x.phone });
    const since = Date.now();
    await c.client.signUp.preparePhoneNumberVerification();
    x.code = await window.waitForCode(x.phone, since);
  }
  /** The newer API's result: `{ error }` thrown, so that a case sees one outcome; a
   *  rejection (which the newer API must never do) becomes a bare Error the test flags. */
  const newer = async (p) => {
    let r;
    try {
      r = await p;
    } catch (e) {
      throw new Error(`the newer API rejected (it must resolve { error }): ${e?.name}: ${e?.message}`);
    }
    if (r?.error) throw r.error;
    return r;
  };
  const redirect = () => `${location.origin}/`;

  // ---- the calls of the matrix ----------------------------------------------------------
  // setup(c, x): the state before the call; call(c, x): the call; ok(c, x): the state a
  // successful call leaves; newer: the newer API (resolves `{ error }`, never rejects);
  // recover(c, x): the next call (default: the call again).
  const ROWS = {
    load: { setup: async () => {}, call: (c) => c.load(), ok: (c) => c.loaded && !!c.client },
    'load (handshake)': { setup: async () => {}, call: (c) => c.load(), ok: (c) => c.loaded && !!c.client },
    'signIn.create': {
      setup: signedOutUser,
      call: (c, x) => c.client.signIn.create({ identifier: x.phone }),
      ok: (c) => c.client.signIn.status === 'needs_first_factor',
    },
    'signIn.prepareFirstFactor': {
      setup: signInCreated,
      call: (c) => c.client.signIn.prepareFirstFactor({ strategy: 'phone_code', phoneNumberId: phoneFactor(c).phoneNumberId }),
      ok: (c) => c.client.signIn.firstFactorVerification?.status === 'unverified',
    },
    'signIn.attemptFirstFactor': {
      setup: signInPrepared,
      call: (c, x) => c.client.signIn.attemptFirstFactor({ strategy: 'phone_code', code: x.code }),
      ok: (c) => c.client.signIn.status === 'complete',
    },
    'signIn.reload': {
      setup: signInCreated,
      call: (c) => c.client.signIn.reload(),
      ok: (c) => c.client.signIn.status === 'needs_first_factor',
    },
    'signUp.create': {
      setup: (c) => c.load(),
      call: (c, x) => c.client.signUp.create({ phoneNumber: x.phone }),
      ok: (c) => c.client.signUp.status === 'missing_requirements',
    },
    'signUp.preparePhoneNumberVerification': {
      setup: async (c, x) => { await c.load(); await c.client.signUp.create({ phoneNumber: x.phone }); },
      call: (c) => c.client.signUp.preparePhoneNumberVerification(),
      ok: (c) => c.client.signUp.verifications.phoneNumber?.status === 'unverified',
    },
    'signUp.attemptPhoneNumberVerification': {
      setup: signUpPrepared,
      call: (c, x) => c.client.signUp.attemptPhoneNumberVerification({ code: x.code }),
      ok: (c) => c.client.signUp.status === 'complete',
    },
    'signIn.phoneCode.sendCode': {
      newer: true,
      setup: signedOutUser,
      call: (c, x) => newer(c.signIn.phoneCode.sendCode({ phoneNumber: x.phone })),
      ok: (c) => c.signIn.status === 'needs_first_factor' && c.signIn.firstFactorVerification?.status === 'unverified',
    },
    'signIn.phoneCode.verifyCode': {
      newer: true,
      setup: async (c, x) => {
        await signedOutUser(c, x);
        const since = Date.now();
        await newer(c.signIn.phoneCode.sendCode({ phoneNumber: x.phone }));
        x.code = await window.waitForCode(x.phone, since);
      },
      call: (c, x) => newer(c.signIn.phoneCode.verifyCode({ code: x.code })),
      ok: (c) => c.signIn.status === 'complete',
    },
    'signUp.create (newer)': {
      newer: true,
      setup: (c) => c.load(),
      call: (c, x) => newer(c.signUp.create({ phoneNumber: x.phone })),
      ok: (c) => c.signUp.status === 'missing_requirements',
    },
    'signUp.verifications.sendPhoneCode': {
      newer: true,
      setup: async (c, x) => { await c.load(); await newer(c.signUp.create({ phoneNumber: x.phone })); },
      call: (c) => newer(c.signUp.verifications.sendPhoneCode()),
      ok: (c) => c.signUp.verifications.phoneNumber?.status === 'unverified',
    },
    'signUp.verifications.verifyPhoneCode': {
      newer: true,
      setup: async (c, x) => {
        await c.load();
        await newer(c.signUp.create({ phoneNumber: x.phone }));
        const since = Date.now();
        await newer(c.signUp.verifications.sendPhoneCode());
        x.code = await window.waitForCode(x.phone, since);
      },
      call: (c, x) => newer(c.signUp.verifications.verifyPhoneCode({ code: x.code })),
      ok: (c) => c.signUp.status === 'complete',
    },
    'signIn.finalize': {
      newer: true,
      setup: async (c, x) => {
        await signedOutUser(c, x);
        const since = Date.now();
        await newer(c.signIn.phoneCode.sendCode({ phoneNumber: x.phone }));
        await newer(c.signIn.phoneCode.verifyCode({ code: await window.waitForCode(x.phone, since) }));
      },
      call: (c) => newer(c.signIn.finalize()),
      ok: (c) => c.isSignedIn && !!c.session,
    },
    setActive: {
      setup: phoneUser,
      call: (c, x) => c.setActive({ session: x.sid }),
      ok: (c, x) => c.isSignedIn && c.session?.id === x.sid,
    },
    signOut: {
      setup: signedIn,
      call: (c) => c.signOut(),
      ok: (c) => !c.isSignedIn && c.session === null,
    },
    getToken: {
      setup: signedIn,
      call: async (c, x) => { x.token = await c.session.getToken({ skipCache: true }); },
      ok: (c, x) => typeof x.token === 'string' && x.token.split('.').length === 3,
    },
    'startEmailLinkFlow (prepare)': {
      setup: async (c, x) => { await c.load(); await c.client.signUp.create({ emailAddress: x.email }); },
      // Resolves once the link went out (the verification is an email link's), then cancels.
      call: async (c) => {
        const flow = c.client.signUp.createEmailLinkFlow();
        let settled = false;
        const p = flow.startEmailLinkFlow({ redirectUrl: redirect() });
        p.then(() => {}, () => {}).finally(() => { settled = true; });
        const sent = () => c.client.signUp.verifications.emailAddress?.strategy === 'email_link';
        await until(() => settled || sent(), 60000);
        if (!sent()) return p;
        flow.cancelEmailLinkFlow();
        await p.catch(() => {});
        return null;
      },
      ok: (c) => c.client.signUp.verifications.emailAddress?.strategy === 'email_link',
    },
    'email-link wait (polls)': {
      // The wait, prepare included; the faults hit its polls; Node opens the link meanwhile.
      setup: async (c, x) => { await c.load(); await c.client.signUp.create({ emailAddress: x.email }); },
      call: (c) => c.client.signUp.createEmailLinkFlow().startEmailLinkFlow({ redirectUrl: redirect() }),
      ok: (c) => c.client.signUp.verifications.emailAddress?.status === 'verified',
      recover: async () => {},
    },
    handleEmailLinkVerification: {
      // This page asks for a link to sign up; it is opened on "another device" (by Node);
      // the landing page is this browser again, on a new page load: a new Clerk on the same
      // dev browser, not loaded yet, whose address bar holds the landing URL's query.
      setup: async (c, x, k) => {
        await c.load();
        await c.client.signUp.create({ emailAddress: x.email });
        const since = Date.now();
        await c.client.signUp.prepareEmailAddressVerification({ strategy: 'email_link', redirectUrl: redirect() });
        ({ query: x.query, db: x.db } = await window.openLink(x.email, since, x.id));
        k.c = fresh(x.proxyUrl, x.db);
      },
      call: (c, x) => {
        history.replaceState(null, '', `/${x.query}`);
        return c.handleEmailLinkVerification({}).then((r) => { x.outcome = r; });
      },
      ok: (c, x) => x.outcome === 'verified' && c.isSignedIn,
    },
  };
  // The same calls, the fault on another of their requests (Node says which).
  ROWS['load (environment)'] = ROWS.load;
  ROWS['signIn.phoneCode.sendCode (prepare)'] = ROWS['signIn.phoneCode.sendCode'];

  L.setup = async (id, row, proxyUrl, x) => {
    const c = fresh(proxyUrl);
    const k = { c, x: { ...x, id, proxyUrl }, row, R: ROWS[row] };
    L.cases.set(id, k);
    try {
      await k.R.setup(c, k.x, k);
    } catch (e) {
      return { error: describe(e), snap: snap(c) };
    }
    return { x: k.x };
  };

  L.start = (id) => {
    const k = L.cases.get(id);
    k.before = snap(k.c);
    k.t0 = performance.now();
    k.p = Promise.resolve()
      .then(() => k.R.call(k.c, k.x))
      .then(() => ({ settled: 'ok' }), (e) => ({ settled: 'error', error: describe(e) }))
      .then((r) => { r.ms = Math.round(performance.now() - k.t0); return r; });
    return true;
  };

  /** The outcome of the call (or `hang` after `limit` ms). */
  L.settle = async (id, limit) => {
    const k = L.cases.get(id);
    const r = await Promise.race([k.p, sleep(limit).then(() => ({ settled: 'hang', ms: limit }))]);
    r.before = k.before;
    r.after = snap(k.c);
    r.live = k.c._live();
    r.fetchStatus = k.c.loaded ? [k.c.signIn.fetchStatus, k.c.signUp.fetchStatus] : null;
    if (r.settled === 'ok') r.ok = !!k.R.ok(k.c, k.x);
    return r;
  };

  /** The next call, the fault cleared: succeeds, and leaves the state a success leaves. */
  L.recover = async (id) => {
    const k = L.cases.get(id);
    try {
      await (k.R.recover ?? k.R.call)(k.c, k.x);
      return { ok: !!k.R.ok(k.c, k.x), snap: snap(k.c) };
    } catch (e) {
      return { ok: false, error: describe(e), snap: snap(k.c) };
    }
  };

  // ---- the forms ------------------------------------------------------------------------

  /** Mounts a form (`kind` 'signIn' | 'signUp') of a new Clerk in a new host `#f-<id>`. */
  L.mountForm = async (id, kind, proxyUrl, x) => {
    const c = fresh(proxyUrl);
    await c.load();
    if (x.user) {
      const since = Date.now();
      await c.client.signUp.create({ emailAddress: x.email });
      await c.client.signUp.prepareEmailAddressVerification({ strategy: 'email_code' });
      const code = await window.waitForCode(x.email, since);
      await c.client.signUp.attemptEmailAddressVerification({ code });
      await c.signOut();
    }
    const host = document.createElement('section');
    host.id = `f-${id}`;
    document.body.append(host);
    if (kind === 'signIn') c.mountSignIn(host, { onSuccess: () => { host.dataset.success = 'true'; } });
    else c.mountSignUp(host, { onSuccess: () => { host.dataset.success = 'true'; } });
    L.cases.set(id, { c, host });
    await until(() => host.querySelector('.cw-input'));
    return true;
  };

  /** Types `value` in the form's first input and submits it, as Enter would. */
  L.submitForm = (id, value) => {
    const { host } = L.cases.get(id);
    const input = host.querySelector('.cw-input');
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    host.querySelector('form').requestSubmit();
    return true;
  };

  /** Clicks the form's `[data-cw=<cw>]` button (`link`, `resend`, `back`…). */
  L.clickForm = (id, cw) => {
    const { host } = L.cases.get(id);
    host.querySelector(`[data-cw=${cw}]`).click();
    return true;
  };

  /** The form as a person (and assistive technology) perceives it now. */
  L.formState = (id) => {
    const { host } = L.cases.get(id);
    const root = host.querySelector('.cw-root');
    const alerts = [...host.querySelectorAll('[role=alert], [aria-live], [role=status]')]
      .filter((e) => e.textContent.trim())
      .map((e) => ({ role: e.getAttribute('role'), live: e.getAttribute('aria-live'), text: e.textContent.trim() }));
    const submit = host.querySelector('button[type=submit]');
    const input = host.querySelector('.cw-input');
    return {
      busy: root?.getAttribute('aria-busy') === 'true',
      disabled: submit ? submit.disabled : null,
      input: input ? { name: input.name, value: input.value, invalid: input.getAttribute('aria-invalid') } : null,
      step: input?.autocomplete === 'one-time-code' ? 'code' : input ? 'start'
        : host.querySelector('[data-cw=relink]') ? 'link' : host.dataset.success === 'true' ? 'done' : 'other',
      buttons: [...host.querySelectorAll('button')].map((b) => `${b.dataset.cw ?? b.type}${b.disabled ? ':disabled' : ''}`),
      alerts,
      title: host.querySelector('.cw-title')?.textContent ?? null,
      success: host.dataset.success === 'true',
      text: root?.textContent.replace(/\s+/g, ' ').trim().slice(0, 200),
    };
  };
})();
