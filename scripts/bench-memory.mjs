#!/usr/bin/env node
// Memory benchmark (issue 13, item 4; not a timed test): in one page, 1,000 phone-code
// sign-in/sign-out cycles and 100 email-link start/cancel cycles on one `Clerk` of the
// headless entry; in a second page, mount/unmount cycles of the forms of the `clerk-wasm/ui`
// entry. Prints the wasm memory and the JS heap (after a forced GC) at start, middle and
// end, and counts what stays alive after every sign-out, cancel and unmount, two ways:
//   - `clerk._live()`: {calls, requests, tokenFetches, timers, fetches, replies, signals,
//     listeners, tabListeners}, the SDK's own counts (src/npm.rs);
//   - the page's: timers armed (setTimeout/setInterval not yet fired or cleared), fetches
//     in flight, listeners on window/document, BroadcastChannels open — counted by wrappers
//     a classic script installs before the package loads (which also captures the module's
//     `WebAssembly.Memory` from `WebAssembly.instantiate*`: the shipped package is unchanged).
// Expected after each: calls = requests = tokenFetches = fetches = replies = signals =
// tabListeners = 0, timers ≤ 1 (the token refresh, only while signed in), listeners = 1 (the
// skin's own; +1 per mounted form); and the wasm memory does not grow after warm-up by more
// than one 64 KiB page. Exits 1 when a count is wrong or memory grows (the table says where).
//
// The emulator keeps every ended session in the client (each with its user), so over the
// sign-in/sign-out cycles the client the SDK receives and keeps grows by ~1.7 KiB a cycle (the
// table's client column); the SDK's slim view of it too (~1 wasm page per 1,000 sessions).
// So the growth rule is applied to a control page instead: user A stays signed in and each
// cycle signs user B in and out (`signOut({ sessionId })` removes that session: the client
// stays at one session). The JS heap (`performance.memory.usedJSHeapSize`, V8's heap after
// `gc()`) creeps a little in every phase; MEM_HEAP_DIFF=1 prints a heap-snapshot diff of the
// control phase by constructor: V8's compiled code and Blink's DevTools network records
// (Playwright watches every request), no objects of the SDK.
//
//   make bench        (scripts/bench.sh: the release package, a fresh emulator, then this)
//   CLERK_EMULATOR_URL=http://127.0.0.1:PORT PKG_DIR=target/bench-pkg node scripts/bench-memory.mjs \
//     [--cycles 1000] [--link-cycles 100] [--control-cycles 1000] [--mount-cycles 100]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!process.env.CLERK_EMULATOR_URL) {
  console.error('CLERK_EMULATOR_URL is not set: run `make bench` (or start an emulator and set it)');
  process.exit(2);
}
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i > 0 ? process.argv[i + 1] : dflt);
};
const CYCLES = arg('cycles', process.env.MEM_CYCLES ?? 1000);
const LINK_CYCLES = arg('link-cycles', process.env.MEM_LINK_CYCLES ?? 100);
const MOUNT_CYCLES = arg('mount-cycles', process.env.MEM_MOUNT_CYCLES ?? 100);
const CONTROL_CYCLES = arg('control-cycles', process.env.MEM_CONTROL_CYCLES ?? CYCLES);
const WARMUP = Math.min(50, Math.floor(CYCLES / 10));
const CONTROL_WARMUP = Math.min(50, Math.floor(CONTROL_CYCLES / 10));
const PKG_DIR = path.resolve(process.env.PKG_DIR ?? path.join(REPO, 'pkg'));
if (!fs.existsSync(path.join(PKG_DIR, 'ui/index.js'))) {
  console.error(`${PKG_DIR}/ui/index.js is missing: build the package with its forms (scripts/build-pkg.sh release DIR)`);
  process.exit(2);
}

const { EMULATOR, CHROMIUM_ARGS, emulatorConfig } = await import('../tests/e2e/lib/harness.mjs');
const { chromium } = await import('../tests/e2e/node_modules/playwright-core/index.mjs');
const { startServer } = await import('./serve.mjs');
const { relaxLimits, configure, uniquePhone } = await import('../tests/e2e/lib/emulator.mjs');

const cfg = await emulatorConfig();
const WASM_PAGE = 65536;

// ---- the pages ----------------------------------------------------------------------------

/** Installed before the package: captures wasm memories, counts timers, fetches, listeners. */
const HOOK = `(() => {
  const FAPI = ${JSON.stringify(new URL(cfg.frontend_api).origin)};
  const memories = window.__memories = [];
  const grab = (r) => {
    const inst = r instanceof WebAssembly.Instance ? r : r.instance;
    for (const v of Object.values(inst.exports)) if (v instanceof WebAssembly.Memory) memories.push(v);
    return r;
  };
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const f = WebAssembly[name];
    if (f) WebAssembly[name] = function (...a) { return f.apply(WebAssembly, a).then(grab); };
  }
  const timers = new Set(); let fetches = 0; const channels = new Set(); const listeners = new Map();
  const st = window.setTimeout, ct = window.clearTimeout, si = window.setInterval, ci = window.clearInterval;
  window.setTimeout = function (fn, ms, ...rest) {
    const id = st.call(window, function (...a) { timers.delete(id); if (typeof fn === 'function') return fn.apply(this, a); }, ms, ...rest);
    timers.add(id); return id;
  };
  window.clearTimeout = function (id) { timers.delete(id); return ct.call(window, id); };
  window.setInterval = function (...a) { const id = si.apply(window, a); timers.add(id); return id; };
  window.clearInterval = function (id) { timers.delete(id); return ci.call(window, id); };
  const f = window.fetch;
  // Only the Frontend API's (not the .wasm, streamed into instantiateStreaming).
  window.fetch = function (...a) {
    const target = String(a[0]?.url ?? a[0]);
    if (!target.startsWith(FAPI)) return f.apply(this, a);
    fetches += 1;
    const p = f.apply(this, a);
    // In flight until the body is read (or the request fails or is aborted).
    return p.then((res) => {
      const done = () => { fetches -= 1; };
      for (const m of ['json', 'text', 'arrayBuffer', 'blob']) {
        const read = res[m];
        res[m] = function () { const q = read.call(res); q.then(done, done); return q; };
      }
      return res;
    }, (e) => { fetches -= 1; throw e; });
  };
  const BC = window.BroadcastChannel;
  if (BC) {
    window.BroadcastChannel = class extends BC {
      constructor(n) { super(n); channels.add(this); }
      close() { channels.delete(this); return super.close(); }
    };
  }
  const add = EventTarget.prototype.addEventListener, remove = EventTarget.prototype.removeEventListener;
  // The events an SDK listens to (Playwright adds its own input listeners: not counted).
  const TYPES = new Set(['visibilitychange', 'focus', 'blur', 'online', 'offline', 'message', 'messageerror',
    'storage', 'pageshow', 'pagehide', 'beforeunload', 'unload', 'popstate', 'hashchange', 'freeze', 'resume']);
  const counted = (t, type) => (t === window || t === document || (BC && t instanceof BC)) && TYPES.has(type);
  const key = (t, type, fn, o) => [t === window ? 'window' : t === document ? 'document' : 'channel', type, !!(o === true || o?.capture)];
  EventTarget.prototype.addEventListener = function (type, fn, o) {
    if (counted(this, type) && fn) {
      const k = key(this, type, fn, o).join(' ');
      const set = listeners.get(k) ?? new Set(); listeners.set(k, set);
      set.add(fn);
    }
    return add.call(this, type, fn, o);
  };
  EventTarget.prototype.removeEventListener = function (type, fn, o) {
    if (counted(this, type) && fn) listeners.get(key(this, type, fn, o).join(' '))?.delete(fn);
    return remove.call(this, type, fn, o);
  };
  window.__pageCounts = () => {
    let n = 0; const kinds = [];
    for (const [k, set] of listeners) { n += set.size; if (set.size) kinds.push(k); }
    return { timers: timers.size, fetches, listeners: n, listenerKinds: kinds.join(', '), channels: channels.size };
  };
  window.__measure = async () => {
    for (let i = 0; i < 3; i++) { gc(); await new Promise((r) => st.call(window, r, 0)); }
    return {
      wasm: memories.reduce((s, m) => s + m.buffer.byteLength, 0),
      heap: performance.memory.usedJSHeapSize,
    };
  };
  // The size of the client as the Frontend API sends it now (it grows on the emulator,
  // which keeps ended sessions); fetched outside the SDK, with the page's dev browser.
  window.__clientBytes = async () => {
    const m = document.cookie.match(/(?:^|; )__clerk_db_jwt=([^;]*)/);
    const r = await f(FAPI + '/v1/client' + (m ? '?__clerk_db_jwt=' + m[1] : ''), { credentials: 'include' });
    return (await r.text()).length;
  };
  window.__sleep = (ms) => new Promise((r) => st.call(window, r, ms));
})();`;

const page = (entry) => `<!doctype html><meta charset="utf-8"><title>memory</title>
<div id="host"></div>
<script>${HOOK}</script>
<script type="module">
  import { Clerk } from '${entry}';
  window.clerk = new Clerk(${JSON.stringify(cfg.publishable_key)});
  window.clerk.load().then(() => { window.__ready = true; }, (e) => { window.__failed = String(e?.message ?? e); });
</script>`;

const pages = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-wasm-mem-'));
fs.writeFileSync(path.join(pages, 'headless.html'), page('/pkg/index.js'));
fs.writeFileSync(path.join(pages, 'ui.html'), page('/pkg/ui/index.js'));
fs.writeFileSync(path.join(pages, 'verify.html'), '<!doctype html><title>verify</title>');

const { server, url } = await startServer({
  root: pages, mounts: { '/pkg': PKG_DIR },
  emulatorUrl: cfg.frontend_api, emulatorKey: cfg.publishable_key,
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
  args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc', '--enable-precise-memory-info'],
  ignoreDefaultArgs: ['--enable-automation'],
});

// ---- checks ---------------------------------------------------------------------------------

const problems = [];
/** Counts after a sign-out, cancel or unmount: what must be back to zero. */
function expectIdle(where, live, pageCounts, { listeners = 1, timers = 1 } = {}) {
  const bad = [];
  for (const k of ['calls', 'requests', 'tokenFetches', 'fetches', 'replies', 'signals', 'tabListeners']) {
    if (live[k] !== 0) bad.push(`${k}=${live[k]}`);
  }
  if (live.timers > timers) bad.push(`timers=${live.timers}`);
  if (live.listeners !== listeners) bad.push(`listeners=${live.listeners} (want ${listeners})`);
  if (pageCounts.fetches !== 0) bad.push(`page fetches in flight=${pageCounts.fetches}`);
  if (pageCounts.timers > live.timers) bad.push(`page timers=${pageCounts.timers} > the SDK's ${live.timers}`);
  if (bad.length) problems.push(`${where}: ${bad.join(', ')} — _live() ${JSON.stringify(live)}, page ${JSON.stringify(pageCounts)}`);
}

/** The most of each count seen while something ran (a zero after it then means cleaned up). */
const peaks = {};
function peak(phase, live, pageCounts) {
  const p = (peaks[phase] ??= {});
  for (const [k, v] of Object.entries(live)) p[k] = Math.max(p[k] ?? 0, v);
  for (const k of ['timers', 'fetches', 'listeners']) p[`page ${k}`] = Math.max(p[`page ${k}`] ?? 0, pageCounts?.[k] ?? 0);
}

const mib = (b) => (b / 1048576).toFixed(2);

/** MEM_HEAP_DIFF=1: a V8 heap snapshot's live objects by kind and constructor (count, bytes). */
async function heapSummary(p) {
  const cdp = await p.context().newCDPSession(p);
  const chunks = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (e) => chunks.push(e.chunk));
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await cdp.detach();
  const snap = JSON.parse(chunks.join(''));
  const f = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [iType, iName, iSize, n] = [f.indexOf('type'), f.indexOf('name'), f.indexOf('self_size'), f.length];
  const out = new Map();
  for (let i = 0; i < snap.nodes.length; i += n) {
    const type = types[snap.nodes[i + iType]];
    let name = snap.strings[snap.nodes[i + iName]];
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = '(string)';
    if (type === 'code') name = '(code)';
    if (type === 'number') name = '(number)';
    const k = `${type} ${name}`.slice(0, 80);
    const v = out.get(k) ?? { count: 0, size: 0 };
    v.count += 1; v.size += snap.nodes[i + iSize];
    out.set(k, v);
  }
  return out;
}

function heapDiff(label, a, b) {
  const rows = [];
  for (const [k, v] of b) {
    const o = a.get(k) ?? { count: 0, size: 0 };
    if (v.size - o.size !== 0 || v.count - o.count !== 0) rows.push([k, v.count - o.count, v.size - o.size]);
  }
  rows.sort((x, y) => y[2] - x[2]);
  console.log(`\n### Heap growth by constructor, ${label} (top 20 by bytes)\n`);
  console.log('| kind and constructor | objects | bytes |');
  console.log('|---|---:|---:|');
  for (const [k, c, sz] of rows.slice(0, 20)) console.log(`| \`${k.replaceAll('|', '/')}\` | ${c > 0 ? '+' : ''}${c} | ${sz > 0 ? '+' : ''}${sz} |`);
}
const HEAP_DIFF = !!process.env.MEM_HEAP_DIFF;
const heapDiffs = [];
const rows = [];
async function snapshot(p, label) {
  const m = await p.evaluate(() => window.__measure());
  const c = await p.evaluate(() => ({
    live: window.clerk._live(), page: window.__pageCounts(),
    // What the server sent: the emulator keeps ended sessions in the client.
    sessions: window.clerk.client?.sessions?.length ?? 0,
  }));
  c.clientBytes = await p.evaluate(() => window.__clientBytes());
  rows.push({ label, ...m, ...c });
  return m;
}

async function open(file) {
  const p = await browser.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(e.message));
  await p.goto(`${url}/${file}`);
  await p.waitForFunction(() => window.__ready || window.__failed, null, { timeout: 30000 });
  const failed = await p.evaluate(() => window.__failed);
  if (failed) throw new Error(`${file}: load() failed: ${failed}`);
  return { p, errors };
}

/** Waits for the message to `to` in the emulator's inbox (cleared before each send). */
async function code(to) {
  const end = Date.now() + 15000;
  for (;;) {
    const list = await (await fetch(`${EMULATOR}/__emulator/inbox?to=${encodeURIComponent(to)}`)).json();
    const m = list.find((x) => x.code);
    if (m) return m.code;
    if (Date.now() > end) throw new Error(`no code for ${to}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const clearInbox = () => fetch(`${EMULATOR}/__emulator/inbox`, { method: 'DELETE' });

// ---- page 1: sign-in/sign-out and email-link cycles ---------------------------------------------

let exitCode = 0;
const t0 = Date.now();
try {
  await relaxLimits();
  const { p, errors } = await open('headless.html');
  const phone = uniquePhone();

  // The user (a phone sign-up), then signed out.
  await clearInbox();
  await p.evaluate(async (ph) => {
    const su = await clerk.client.signUp.create({ phoneNumber: ph });
    await su.preparePhoneNumberVerification({ strategy: 'phone_code' });
  }, phone);
  const c0 = await code(phone);
  await p.evaluate(async (c) => {
    const su = await clerk.client.signUp.attemptPhoneNumberVerification({ code: c });
    await clerk.setActive({ session: su.createdSessionId });
    await clerk.signOut();
  }, c0);
  await snapshot(p, 'start (loaded, signed out)');

  let warm;
  for (let i = 1; i <= CYCLES; i++) {
    await clearInbox();
    await p.evaluate(async (ph) => {
      const si = await clerk.client.signIn.create({ identifier: ph });
      const f = si.supportedFirstFactors.find((x) => x.strategy === 'phone_code');
      await si.prepareFirstFactor({ strategy: 'phone_code', phoneNumberId: f.phoneNumberId });
    }, phone);
    const c = await code(phone);
    const r = await p.evaluate(async (cd) => {
      const a = await clerk.client.signIn.attemptFirstFactor({ strategy: 'phone_code', code: cd });
      await clerk.setActive({ session: a.createdSessionId });
      const jwt = await clerk.session.getToken();
      const signedIn = { isSignedIn: clerk.isSignedIn, jwt: jwt?.split('.').length, live: clerk._live(), page: window.__pageCounts() };
      await clerk.signOut();
      return { signedIn, isSignedIn: clerk.isSignedIn, live: clerk._live(), page: window.__pageCounts() };
    }, c);
    if (!r.signedIn.isSignedIn || r.signedIn.jwt !== 3 || r.isSignedIn) {
      problems.push(`sign-in cycle ${i}: signed in ${r.signedIn.isSignedIn}, token parts ${r.signedIn.jwt}, after sign-out ${r.isSignedIn}`);
    }
    peak('signed in', r.signedIn.live, r.signedIn.page);
    expectIdle(`sign-out ${i}`, r.live, r.page, { timers: 0 });
    if (i === WARMUP) warm = await snapshot(p, `sign-in/out ${i} (end of warm-up)`);
    if (i === Math.floor(CYCLES / 2)) await snapshot(p, `sign-in/out ${i} (middle)`);
    if (i % 100 === 0) process.stderr.write(`  ${i} sign-in/sign-out cycles\n`);
  }
  const afterSignIns = await snapshot(p, `sign-in/out ${CYCLES} (end)`);
  // Not a failure here: the emulator keeps each ended session in the client, so what the
  // SDK holds grows with the cycles; the control page below has a client that does not.
  const grownWithClient = warm ? afterSignIns.wasm - warm.wasm : 0;

  // Email-link start/cancel: a new sign-up each time; cancelled at once, right after the
  // link went out, or while the wait polls; by cancelEmailLinkFlow() or an AbortSignal.
  const linkOutcomes = {};
  for (let i = 1; i <= LINK_CYCLES; i++) {
    const r = await p.evaluate(async (n) => {
      await clerk.client.signUp.create({ emailAddress: `mem-${Date.now()}-${n}@example.com` });
      const flow = clerk.client.signUp.createEmailLinkFlow();
      const ac = n % 2 ? new AbortController() : null;
      const started = flow.startEmailLinkFlow({ redirectUrl: `${location.origin}/verify.html`, signal: ac?.signal });
      const settled = started.then(() => 'resolved', (e) => e?.code ?? String(e));
      if (n % 3 === 1) await window.__sleep(150);
      if (n % 3 === 2) await window.__sleep(1300);
      const during = { live: clerk._live(), page: window.__pageCounts() };
      if (ac) ac.abort(); else flow.cancelEmailLinkFlow();
      const outcome = await settled;
      return { outcome, during, live: clerk._live(), page: window.__pageCounts() };
    }, i);
    linkOutcomes[r.outcome] = (linkOutcomes[r.outcome] ?? 0) + 1;
    peak(`email-link wait (before cancel, ${['at once', 'after 150 ms', 'after 1.3 s'][i % 3]})`, r.during.live, r.during.page);
    if (r.outcome !== 'cancelled') problems.push(`email-link cycle ${i}: settled with ${r.outcome}, not cancelled`);
    expectIdle(`email-link cancel ${i}`, r.live, r.page, { timers: 0 });
    if (i === Math.floor(LINK_CYCLES / 2)) await snapshot(p, `email-link ${i} (middle)`);
  }
  const afterLinks = await snapshot(p, `email-link ${LINK_CYCLES} (end)`);
  if (afterLinks.wasm - afterSignIns.wasm > WASM_PAGE) {
    problems.push(`wasm memory grew by ${afterLinks.wasm - afterSignIns.wasm} B during the email-link cycles`);
  }
  if (errors.length) problems.push(`page errors: ${errors.join('; ')}`);
  await p.close();

  // ---- page 2 (control): a client that does not grow ----------------------------------------------
  // User A stays signed in; each cycle signs user B in and signs that session out
  // (`signOut({ sessionId })` removes it: the emulator drops it from the client).

  let control = null;
  if (CONTROL_CYCLES > 0) {
    await configure({ multi_session: true });
    try {
      const c2 = await open('headless.html');
      const cp = c2.p;
      const [phoneA, phoneB] = [uniquePhone(), uniquePhone()];
      for (const ph of [phoneA, phoneB]) {
        await clearInbox();
        await cp.evaluate(async (x) => {
          const su = await clerk.client.signUp.create({ phoneNumber: x });
          await su.preparePhoneNumberVerification({ strategy: 'phone_code' });
        }, ph);
        const c = await code(ph);
        await cp.evaluate(async ([cd, last]) => {
          const su = await clerk.client.signUp.attemptPhoneNumberVerification({ code: cd });
          await clerk.setActive({ session: su.createdSessionId });
          if (last) await clerk.signOut({ sessionId: su.createdSessionId });
        }, [c, ph === phoneB]);
      }
      await snapshot(cp, 'control: start (A signed in)');
      let cWarm;
      for (let i = 1; i <= CONTROL_CYCLES; i++) {
        await clearInbox();
        await cp.evaluate(async (x) => {
          const si = await clerk.client.signIn.create({ identifier: x });
          const f = si.supportedFirstFactors.find((y) => y.strategy === 'phone_code');
          await si.prepareFirstFactor({ strategy: 'phone_code', phoneNumberId: f.phoneNumberId });
        }, phoneB);
        const c = await code(phoneB);
        const r = await cp.evaluate(async (cd) => {
          const a = await clerk.client.signIn.attemptFirstFactor({ strategy: 'phone_code', code: cd });
          await clerk.setActive({ session: a.createdSessionId });
          const jwt = await clerk.session.getToken();
          const signedIn = { session: clerk.session?.id === a.createdSessionId, jwt: jwt?.split('.').length, live: clerk._live(), page: window.__pageCounts() };
          await clerk.signOut({ sessionId: a.createdSessionId });
          return { signedIn, sessions: clerk.client.sessions.length, live: clerk._live(), page: window.__pageCounts() };
        }, c);
        if (!r.signedIn.session || r.signedIn.jwt !== 3) problems.push(`control cycle ${i}: not signed in as B`);
        if (r.sessions !== 1) problems.push(`control cycle ${i}: ${r.sessions} sessions in the client after removing B`);
        peak('control: A and B signed in', r.signedIn.live, r.signedIn.page);
        expectIdle(`control sign-out ${i}`, r.live, r.page, { timers: 1 });
        if (i === CONTROL_WARMUP) cWarm = await snapshot(cp, `control: sign-in/out ${i} (end of warm-up)`);
        if (HEAP_DIFF && i === CONTROL_WARMUP) heapDiffs.push(await heapSummary(cp));
        if (i === Math.floor(CONTROL_CYCLES / 2)) await snapshot(cp, `control: sign-in/out ${i} (middle)`);
        if (i % 100 === 0) process.stderr.write(`  ${i} control cycles\n`);
      }
      const cEnd = await snapshot(cp, `control: sign-in/out ${CONTROL_CYCLES} (end)`);
      if (HEAP_DIFF) heapDiffs.push(await heapSummary(cp));
      control = cWarm ? cEnd.wasm - cWarm.wasm : 0;
      if (control > WASM_PAGE) problems.push(`control: wasm memory grew by ${control} B after warm-up with a client that does not grow`);
      if (c2.errors.length) problems.push(`control page errors: ${c2.errors.join('; ')}`);
      await cp.close();
    } finally {
      await configure({ multi_session: false });
    }
  }

  // ---- page 3: the forms (clerk-wasm/ui) ---------------------------------------------------------

  const ui = await open('ui.html');
  const q = ui.p;
  await snapshot(q, 'ui: start');
  let uiWarm;
  const kinds = [['mountSignIn', 'unmountSignIn'], ['mountSignUp', 'unmountSignUp'], ['openSignIn', 'closeSignIn'], ['mountUserButton', 'unmountUserButton']];
  for (let i = 1; i <= MOUNT_CYCLES; i++) {
    for (const [mount, unmount] of kinds) {
      const r = await q.evaluate(async ([m, u]) => {
        const el = document.getElementById('host');
        clerk[m](el);
        for (let k = 0; k < 200 && !document.querySelector('.cw-form, .cw-modal, .cw-user'); k++) await window.__sleep(5);
        const mounted = { drawn: !!document.querySelector('.cw-form, .cw-modal .cw-form'), live: clerk._live(), page: window.__pageCounts() };
        clerk[u](el);
        await window.__sleep(0);
        return { mounted, live: clerk._live(), page: window.__pageCounts(), left: document.querySelectorAll('.cw-form, .cw-modal, .cw-user, .cw-user-btn').length };
      }, [mount, unmount]);
      if (mount !== 'mountUserButton' && !r.mounted.drawn) problems.push(`${mount} ${i}: no form drawn`);
      if (mount !== 'mountUserButton' && r.mounted.live.listeners !== 2) problems.push(`${mount} ${i}: ${r.mounted.live.listeners} listeners while mounted (want 2)`);
      peak(`${mount} (mounted)`, r.mounted.live, r.mounted.page);
      if (r.left) problems.push(`${unmount} ${i}: ${r.left} elements left in the page`);
      expectIdle(`${unmount} ${i}`, r.live, r.page, { timers: 0 });
    }
    if (i === Math.min(10, MOUNT_CYCLES)) uiWarm = await snapshot(q, `ui: mount/unmount ×4 kinds, ${i} (end of warm-up)`);
    if (i === Math.floor(MOUNT_CYCLES / 2)) await snapshot(q, `ui: mount/unmount ×4 kinds, ${i} (middle)`);
  }
  // A form unmounted mid-flow: a code sent (its resend countdown running), then unmount.
  const MID = Math.max(1, Math.floor(MOUNT_CYCLES / 5));
  for (let i = 1; i <= MID; i++) {
    await clearInbox();
    await q.evaluate(() => clerk.mountSignIn(document.getElementById('host')));
    await q.waitForSelector('#host .cw-input');
    if (await q.locator('#host [data-cw=switch]').count()) {
      const type = await q.getAttribute('#host .cw-input', 'type');
      if (type !== 'tel') await q.click('#host [data-cw=switch]');
    }
    await q.fill('#host .cw-input', phone);
    await q.click('#host button[type=submit]');
    await q.waitForSelector('#host input[autocomplete="one-time-code"]');
    const r = await q.evaluate(async () => {
      const during = { live: clerk._live(), page: window.__pageCounts() };
      clerk.unmountSignIn(document.getElementById('host'));
      await window.__sleep(0);
      return { during, live: clerk._live(), page: window.__pageCounts() };
    });
    peak('sign-in form, code sent (before unmount)', r.during.live, r.during.page);
    if (r.during.page.timers < 1) problems.push(`mid-flow ${i}: no resend countdown timer while the code step shows`);
    expectIdle(`unmount mid-flow ${i}`, r.live, r.page, { timers: 0 });
    if (r.page.timers !== 0) problems.push(`unmount mid-flow ${i}: ${r.page.timers} page timers left (the resend countdown?)`);
  }
  const uiEnd = await snapshot(q, `ui: end (+${MID} unmounted mid-flow)`);
  if (uiWarm && uiEnd.wasm - uiWarm.wasm > WASM_PAGE) {
    problems.push(`ui: wasm memory grew by ${uiEnd.wasm - uiWarm.wasm} B after warm-up`);
  }
  if (ui.errors.length) problems.push(`ui page errors: ${ui.errors.join('; ')}`);
  await q.close();

  // ---- the report ------------------------------------------------------------------------------

  const fmtLive = (l) => `${l.calls}/${l.requests}/${l.tokenFetches}/${l.timers}/${l.fetches}/${l.replies}/${l.signals}/${l.listeners}/${l.tabListeners}`;
  console.log(`\n## Memory: ${CYCLES} sign-in/sign-out cycles, ${LINK_CYCLES} email-link start/cancel cycles (one page, one Clerk); control: ${CONTROL_CYCLES} sign-in/sign-out cycles with a client that does not grow; ${MOUNT_CYCLES}× mount/unmount of 4 forms + ${MID} mid-flow unmounts (clerk-wasm/ui)\n`);
  console.log('| point | wasm memory | JS heap (after GC) | client: sessions, JSON | `_live()` calls/requests/tokenFetches/timers/fetches/replies/signals/listeners/tabListeners | page: timers, fetches, listeners, channels |');
  console.log('|---|---:|---:|---:|---|---|');
  for (const r of rows) {
    console.log(`| ${r.label} | ${r.wasm} B (${r.wasm / WASM_PAGE} pages) | ${mib(r.heap)} MiB | ${r.sessions}, ${(r.clientBytes / 1024).toFixed(0)} KiB | ${fmtLive(r.live)} | ${r.page.timers}, ${r.page.fetches}, ${r.page.listeners}, ${r.page.channels} |`);
  }
  console.log(`\nThe emulator keeps every ended session in the client (each with its user), so over the ${CYCLES} `
    + `sign-in/sign-out cycles the client the SDK receives and keeps grows (sessions column): wasm memory grew by `
    + `${grownWithClient} B after warm-up there. The control page keeps its client at one session`
    + (control === null ? '.' : `: ${control} B after warm-up.`));
  if (heapDiffs.length === 2) heapDiff(`control page, cycle ${CONTROL_WARMUP} → ${CONTROL_CYCLES}`, heapDiffs[0], heapDiffs[1]);
  console.log('\nWhile running (the most seen; each is back to the table\'s values after):\n');
  console.log('| while | `_live()` calls/requests/tokenFetches/timers/fetches/replies/signals/listeners/tabListeners | page: timers, fetches, listeners |');
  console.log('|---|---|---|');
  for (const [phase, p] of Object.entries(peaks)) {
    console.log(`| ${phase} | ${fmtLive(p)} | ${p['page timers']}, ${p['page fetches']}, ${p['page listeners']} |`);
  }
  console.log(`email-link outcomes: ${JSON.stringify(linkOutcomes)}`);
  console.log(`package: ${PKG_DIR}; ${Math.round((Date.now() - t0) / 1000)} s`);
  if (problems.length) {
    console.log(`\n${problems.length} problem(s):`);
    for (const x of problems.slice(0, 40)) console.log(`- ${x}`);
    if (problems.length > 40) console.log(`- … ${problems.length - 40} more`);
    exitCode = 1;
  } else {
    console.log('\nEvery count back to zero after each sign-out, cancel and unmount; no wasm growth after warm-up '
      + 'beyond one page where the client does not grow (control, email-link, forms).');
  }
} catch (e) {
  console.error(e);
  exitCode = 1;
} finally {
  await browser.close();
  server.close();
  fs.rmSync(pages, { recursive: true, force: true });
}
process.exit(exitCode);
