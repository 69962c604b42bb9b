// Issue 13, items 1, 2 and 5: the engine under network faults, over real HTTP.
//
// A fault proxy (lib/fault-proxy.mjs) sits between Chromium and the emulator. Each case of
// the matrix is one Clerk of its own (own dev browser, own client) whose `proxyUrl` is a
// case URL of the proxy; the proxy faults that case's requests only, so the cases run side
// by side in one page. For every public async call × every fault the test checks that the
// call settles within a bound with the right typed error (never a bare TypeError or
// SyntaxError), leaves the state as it was, that GETs are retried on network failures
// (at once, 700 ms, 1400 ms: four tries) and POSTs never, and that the next call, the
// fault cleared, succeeds. Then the email-link wait, the token refresh, the browser going
// offline and online, and the mounted forms under the same faults. Last, the cells of the
// calls that need no code from the inbox again in Firefox (through WebDriver).
//
// Bounds ("settles without waiting for a person"): a stalled request is aborted by the
// SDK after its request deadline, 20 s (REQUEST_TIMEOUT_MS; 5 s for an email-link poll,
// POLL_TIMEOUT_MS): a stalled call must settle in [19 s, 24 s]. A call whose GET meets a
// network failure every time settles after its four tries (~2.1 s), within 5 s; any other
// faulted call within 3 s.
//
// What each fault must give (expected() below):
//   reset, nocors   ClerkNetworkError; a GET after 4 tries (_clerk_retry_attempt 0..3, gaps
//                   ~0/700/1400 ms), anything else after 1
//   stall           ClerkNetworkError "The request timed out." at the 20 s deadline; 1 try
//   500/502/503     ClerkAPIResponseError status N, code api_error; never retried
//   429             ClerkAPIResponseError 429, retryAfter 7 (the header), too_many_requests
//   malformed/empty ClerkRuntimeError decode_error; but a touch (setActive, finalize) or a
//                   sign-out needs no body: a 2xx is a success there
//   truncated       a network failure (ClerkNetworkError; a GET is retried and succeeds)
//   ctype           success (the body is read as JSON whatever its Content-Type)
//   offline (1.2 s) a call that only GETs outlasts it on its retries; else ClerkNetworkError
//   the email-link wait, under each: keeps polling, resolves once the link is opened
// and, for a failure: the state as before the call, nothing left running, fetchStatus idle,
// and the next call (the fault cleared) succeeds.
//
// Known engine bugs are marked `// ENGINE-BUG:` below (KNOWN); their cells check the
// correct behaviour and fail until the engine is fixed. SKIP_KNOWN=1 skips exactly those.
// DEBUG_CASE='<row>×<fault>' prints a case's outcome and its requests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, emulatorConfig, REPO, EMULATOR } from './lib/harness.mjs';
import { startServer } from '../../scripts/serve.mjs';
import {
  waitForCode, waitForMessage, relaxLimits, configure, uniquePhone, uniqueEmail,
} from './lib/emulator.mjs';
import { startFaultProxy } from './lib/fault-proxy.mjs';
import { firefox } from './lib/webdriver.mjs';

const SKIP_KNOWN = process.env.SKIP_KNOWN === '1';
const PAGE_JS = fs.readFileSync(path.join(REPO, 'tests/e2e/lib/fault-page.js'), 'utf8');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Engine bugs found by this suite: {fault, row (RegExp, default every row), why}. */
const KNOWN = [
  // (none open; fixed: a body cut off by the connection was read as decode_error)
];
const knownBug = (row, fault) => KNOWN.find((k) => k.fault === fault && (!k.row || k.row.test(row)));

let proxy, server, url, browser, key, root;
before(async () => {
  await relaxLimits();
  proxy = await startFaultProxy(EMULATOR);
  // A blank page on the test server (www/'s pages would load the package themselves).
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-wasm-faults-'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>faults</title></head><body><main></main></body></html>');
  // Firefox (WebDriver: a script it runs cannot import()): the page imports the package itself.
  fs.writeFileSync(path.join(root, 'firefox.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>faults</title>'
    + '<script type="module">import * as m from "/pkg/index.js"; window.__pkg = m;</script></head><body><main></main></body></html>');
  ({ server, url } = await startServer({
    root, mounts: { '/pkg': process.env.PKG_DIR ?? path.join(REPO, 'pkg') },
  }));
  ({ publishable_key: key } = await emulatorConfig());
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.close();
  await proxy?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

/** A page of a new browser context (its own cookies) with the in-page half loaded. */
async function labPage(entry = '/pkg/index.js') {
  const context = await browser.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('crash', () => errors.push('the page crashed'));
  await page.goto(`${url}/`);
  await page.exposeFunction('waitForCode', (to, since) => waitForCode(to, { since, timeout: 15000 }));
  await page.exposeFunction('openLink', (email, since, id) => openLinkElsewhere(email, since, id));
  await page.evaluate(PAGE_JS);
  await page.evaluate(([k, e]) => window.__faults.init(k, e), [key, entry]);
  const problems = async () => [...errors, ...(await page.evaluate(() => window.__faults.problems))];
  return { context, page, problems };
}

/** Opens the newest email link sent to `email` (after `since`) on "another device" (here,
 *  Node: no cookie, no dev browser); returns the query of the landing URL it redirects to,
 *  and the dev-browser JWT case `id` uses (the proxy saw it). */
async function openLinkElsewhere(email, since, id) {
  const msg = await waitForMessage(email, { since, timeout: 15000 });
  const res = await fetch(msg.link, { redirect: 'manual' });
  const to = res.headers.get('location');
  if (!to) throw new Error(`the link answered ${res.status} without a redirect`);
  const seen = proxy.requests(id).find((e) => /[?&]__clerk_db_jwt=/.test(e.query));
  return { query: new URL(to).search, db: seen && new URLSearchParams(seen.query).get('__clerk_db_jwt') };
}

/** Runs `tasks` (functions) with at most `n` at a time; resolves to their results in order. */
async function pool(tasks, n) {
  const out = [];
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (i < tasks.length) {
      const j = i;
      i += 1;
      out[j] = await tasks[j]();
    }
  }));
  return out;
}

// ---- the matrix ---------------------------------------------------------------------------

/** The calls: the page's row name, the request of the call the fault hits, and what the
 *  call does when the case goes offline for 1.2 s (`ok`: it only GETs, whose retries
 *  outlast the outage; else the first request fails at once). `anyBody`: the call needs
 *  nothing from the body of a 2xx (a touch: the token is fetched on its own; a sign-out),
 *  so an unreadable 2xx body is a success. `partial`: the fault hits a later request of the
 *  call, so the state may keep what the earlier ones did (the server did it too): the sign-in
 *  `sendCode` created. (The landing page of handleEmailLinkVerification sends no touch: its
 *  load already finds the new session active.) */
const ROWS = [
  { name: 'load', method: 'GET', path: /^\/v1\/client$/ },
  { name: 'load (handshake)', method: 'POST', path: /^\/v1\/dev_browser$/ },
  { name: 'load (environment)', method: 'PATCH', path: /^\/v1\/environment$/ },
  { name: 'signIn.create', method: 'POST', path: /^\/v1\/client\/sign_ins$/ },
  { name: 'signIn.prepareFirstFactor', method: 'POST', path: /\/prepare_first_factor$/ },
  { name: 'signIn.attemptFirstFactor', method: 'POST', path: /\/attempt_first_factor$/ },
  { name: 'signIn.reload', method: 'GET', path: /^\/v1\/client\/sign_ins\/[^/]+$/, offline: 'ok' },
  { name: 'signUp.create', method: 'POST', path: /^\/v1\/client\/sign_ups$/ },
  { name: 'signUp.preparePhoneNumberVerification', method: 'POST', path: /\/prepare_verification$/ },
  { name: 'signUp.attemptPhoneNumberVerification', method: 'POST', path: /\/attempt_verification$/ },
  { name: 'signIn.phoneCode.sendCode', method: 'POST', path: /^\/v1\/client\/sign_ins$/, newer: true },
  { name: 'signIn.phoneCode.sendCode (prepare)', method: 'POST', path: /\/prepare_first_factor$/, newer: true, partial: true },
  { name: 'signIn.phoneCode.verifyCode', method: 'POST', path: /\/attempt_first_factor$/, newer: true },
  { name: 'signUp.create (newer)', method: 'POST', path: /^\/v1\/client\/sign_ups$/, newer: true },
  { name: 'signUp.verifications.sendPhoneCode', method: 'POST', path: /\/prepare_verification$/, newer: true },
  { name: 'signUp.verifications.verifyPhoneCode', method: 'POST', path: /\/attempt_verification$/, newer: true },
  { name: 'signIn.finalize', method: 'POST', path: /\/touch$/, newer: true, anyBody: true },
  { name: 'setActive', method: 'POST', path: /\/touch$/, anyBody: true },
  { name: 'signOut', method: 'DELETE', path: /^\/v1\/client\/sessions$/, anyBody: true },
  { name: 'getToken', method: 'POST', path: /\/tokens$/ },
  { name: 'startEmailLinkFlow (prepare)', method: 'POST', path: /\/prepare_verification$/ },
  { name: 'email-link wait (polls)', method: 'GET', path: /^\/v1\/client\/sign_ups\/[^/]+$/, wait: true },
  { name: 'handleEmailLinkVerification', method: 'GET', path: /^\/v1\/client$/ },
];

/** The faults: the proxy rule, and for the email-link wait how many polls it hits. */
const FAULTS = {
  reset: { fault: 'reset', times: Infinity, polls: 3 },
  stall: { fault: 'stall', times: 1, polls: 1 },
  500: { fault: 'status', status: 500, times: 1, polls: 2 },
  502: { fault: 'status', status: 502, times: 1, polls: 2 },
  503: { fault: 'status', status: 503, times: 1, polls: 2 },
  429: { fault: '429', retryAfter: 7, times: 1, polls: 2 },
  malformed: { fault: 'malformed', times: 1, polls: 2 },
  truncated: { fault: 'truncated', times: 1, polls: 2 },
  empty: { fault: 'empty', times: 1, polls: 2 },
  ctype: { fault: 'wrong-ctype', times: 1, polls: 2 },
  nocors: { fault: 'nocors', times: Infinity, polls: 3 },
  offline: { offline: 1200, pollsOffline: 2500 },
};
const FAULT_NAMES = ['reset', 'stall', '500', '502', '503', '429', 'malformed', 'truncated', 'empty', 'ctype', 'nocors', 'offline'];
const NETWORK = new Set(['reset', 'nocors', 'offline', 'stall']);

const targets = (row, e) => e.effective === row.method && row.path.test(e.path);

/** What a call must do under a fault. */
function expected(row, fault) {
  if (row.wait) return { ok: true };
  const get = row.method === 'GET';
  switch (fault) {
    case 'reset':
    case 'nocors':
      return { err: 'ClerkNetworkError', code: 'network_error', tries: get ? 4 : 1 };
    case 'offline':
      return row.offline === 'ok' ? { ok: true } : { err: 'ClerkNetworkError', code: 'network_error' };
    case 'stall':
      return { err: 'ClerkNetworkError', code: 'network_error', tries: 1, stalled: true };
    case '500':
    case '502':
    case '503':
      return { err: 'ClerkAPIResponseError', code: 'api_error', status: Number(fault), tries: 1 };
    case '429':
      return { err: 'ClerkAPIResponseError', code: 'too_many_requests', status: 429, retryAfter: 7, tries: 1 };
    case 'malformed':
    case 'empty':
      if (row.anyBody) return { ok: true, tries: 1 };
      return { err: 'ClerkRuntimeError', code: 'decode_error', tries: 1 };
    case 'truncated':
      // The connection broke in the middle of the body: no answer, a network failure.
      return get ? { ok: true, tries: 2 } : { err: 'ClerkNetworkError', code: 'network_error', tries: 1 };
    case 'ctype':
      return { ok: true, tries: 1 };
    default:
      throw new Error(fault);
  }
}

/** The settle bound of a call under a fault, ms. */
function bound(row, fault) {
  // A poll answered 429 holds the next poll for its Retry-After (each faulted poll).
  if (row.wait && fault === '429') return 12000 + FAULTS[fault].polls * FAULTS[fault].retryAfter * 1000;
  if (row.wait) return fault === 'stall' ? 15000 : 12000;
  if (fault === 'stall') return 24000;
  if (row.method === 'GET' && NETWORK.has(fault)) return 5000;
  return 3000;
}

/** Runs one case: setup, arm, call, settle, clear, recover. */
async function runCase(page, row, fault, id) {
  try {
    return await runCaseInner(page, row, fault, id);
  } catch (e) {
    proxy.clear(id);
    return { id, row, fault, setupError: `the case broke: ${e.stack ?? e}` };
  }
}

async function runCaseInner(page, row, fault, id) {
  const x = { phone: uniquePhone(), email: uniqueEmail('fault') };
  const s = await page.evaluate(([i, r, u, v]) => window.__faults.setup(i, r, u, v), [id, row.name, await proxy.caseUrl(id), x]);
  if (s.error) return { id, row, fault, setupError: s.error };
  const spec = FAULTS[fault];
  let rule = null;
  const startAt = Date.now();
  const arm = () => {
    if (spec.offline) {
      proxy.offline(id, row.wait ? spec.pollsOffline : spec.offline);
    } else {
      const { fault: f, times, polls, ...opts } = spec;
      rule = proxy.arm({ case: id, method: row.method, path: row.path, fault: f, times: row.wait ? polls : times, ...opts });
    }
  };
  if (!row.wait) arm();
  await page.evaluate((i) => window.__faults.start(i), id);
  if (row.wait) {
    // Once the link went out (its prepare is not faulted), the faults hit the next polls;
    // then the link is opened elsewhere: the wait must still be there to see it.
    const msg = await waitForMessage(x.email, { since: startAt, timeout: 15000 });
    const armedAt = Date.now();
    arm();
    const deadline = Date.now() + 15000;
    if (spec.offline) await sleep(Math.max(0, armedAt + spec.pollsOffline - Date.now()));
    while (rule && rule.hits < rule.times && Date.now() < deadline) await sleep(50);
    // A hit counts when the poll arrives; its answer comes later (a pass-through fault such as
    // ctype forwards it to the emulator; a stalled poll ends when the SDK aborts it). The click
    // waits for every faulted poll to close, or the emulator could see the click first and the
    // last faulted poll already find the link verified.
    while (proxy.requests(id).some((e) => e.fault && !e.closedAt) && Date.now() < deadline) await sleep(50);
    await fetch(msg.link, { redirect: 'manual' });
  }
  const r = await page.evaluate(([i, l]) => window.__faults.settle(i, l), [id, 30000]);
  const endAt = Date.now();
  proxy.clear(id);
  if (spec.offline && !row.wait) await sleep(Math.max(0, startAt + spec.offline - Date.now()));
  const reqs = proxy.requests(id).filter((e) => e.at >= startAt && e.at <= endAt);
  let rec = null;
  if (!row.wait && (r.settled !== 'ok' || !r.ok)) rec = await page.evaluate((i) => window.__faults.recover(i), id);
  return { id, row, fault, r, rec, reqs, target: reqs.filter((e) => targets(row, e)) };
}

/** The checks of one cell: a list of problems (empty: as expected). */
function judge(c) {
  const p = [];
  if (c.setupError) return [`setup failed: ${JSON.stringify(c.setupError)}`];
  const { row, fault, r, rec, target } = c;
  const want = expected(row, fault);
  if (r.settled === 'hang') return [`did not settle within 30 s`];
  if (r.ms > bound(row, fault)) p.push(`settled after ${r.ms} ms (bound ${bound(row, fault)} ms)`);
  if (want.ok) {
    if (r.settled !== 'ok') p.push(`expected success, got ${fmtErr(r.error)}`);
    else if (!r.ok) p.push('resolved, but the state is not what a success leaves');
  } else {
    if (r.settled === 'ok') p.push(`expected ${want.err} (${want.code}), but the call succeeded`);
    else {
      const e = r.error;
      if (e.kind.startsWith('bare')) p.push(`a ${e.kind} (${e.message}): not a Clerk error`);
      if (e.kind !== want.err) p.push(`expected ${want.err}, got ${fmtErr(e)}`);
      if (want.code && e.code !== want.code) p.push(`code ${e.code}, expected ${want.code}`);
      if (want.status && e.status !== want.status) p.push(`status ${e.status}, expected ${want.status}`);
      if (want.retryAfter && e.retryAfter !== want.retryAfter) p.push(`retryAfter ${e.retryAfter}, expected ${want.retryAfter}`);
      if (want.stalled && !/timed out/.test(e.message)) p.push(`message "${e.message}", expected a timeout`);
      if (!row.partial && JSON.stringify(r.after) !== JSON.stringify(r.before)) {
        p.push(`state changed by the failed call: ${JSON.stringify(r.before)} → ${JSON.stringify(r.after)}`);
      }
    }
  }
  if (want.stalled) {
    if (r.ms < 19000) p.push(`a stalled call settled after ${r.ms} ms: before the 20 s deadline`);
    const held = target.find((e) => e.fault === 'stall');
    if (!held?.closedAt) p.push('the stalled request was never aborted');
  }
  // Retries: GETs on network failures (0, 700, 1400 ms), never a POST, never an HTTP status.
  if (want.tries !== undefined && !row.wait) {
    const n = target.length;
    if (n !== want.tries) p.push(`${n} tries of ${row.method} ${row.path}, expected ${want.tries}`);
    if (want.tries === 4 && n === 4) {
      const retries = target.map((e) => e.retry);
      if (JSON.stringify(retries) !== '[0,1,2,3]') p.push(`_clerk_retry_attempt ${retries}, expected 0,1,2,3`);
      const gaps = target.slice(1).map((e, i) => e.at - target[i].at);
      if (!(gaps[0] < 400 && gaps[1] >= 600 && gaps[1] <= 1300 && gaps[2] >= 1250 && gaps[2] <= 2300)) {
        p.push(`retry gaps ${gaps} ms, expected ~0, 700, 1400`);
      }
    }
  }
  if (fault === 'offline' && row.method !== 'GET' && target.length > 1) p.push(`${target.length} tries of a ${row.method}`);
  if (row.wait) {
    const polls = target.length;
    const spec = FAULTS[fault];
    if (!spec.offline && polls < spec.polls + 1) p.push(`${polls} polls: the wait stopped polling`);
    if (fault === '429') {
      // Told to back off, the wait polls again no sooner than Retry-After says.
      const gaps = target.slice(1).map((e, i) => [target[i], e.at - target[i].at]).filter(([e]) => e.fault === '429');
      const early = gaps.filter(([, ms]) => ms < spec.retryAfter * 1000 - 250).map(([, ms]) => ms);
      if (early.length) p.push(`polled again ${early} ms after a 429 with Retry-After ${spec.retryAfter}`);
    }
    if (fault === 'stall') {
      const held = target.find((e) => e.fault === 'stall');
      const heldMs = held?.closedAt ? held.closedAt - held.at : null;
      if (heldMs === null || heldMs < 4500 || heldMs > 7000) p.push(`the stalled poll was aborted after ${heldMs} ms, expected ~5000`);
      const next = target.find((e) => held && e.at > held.at);
      if (held?.closedAt && next && next.at - held.closedAt > 2000) p.push(`the next poll went ${next.at - held.closedAt} ms after the abort`);
    }
  }
  // Nothing left running: no call, no request but a token refresh, no fetch.
  if (r.live.calls !== 0) p.push(`${r.live.calls} calls still open`);
  if (r.live.requests > r.live.tokenFetches || r.live.fetches > r.live.tokenFetches) {
    p.push(`left running: ${JSON.stringify(r.live)}`);
  }
  if (row.newer && r.fetchStatus && r.fetchStatus.some((s) => s !== 'idle')) p.push(`fetchStatus ${r.fetchStatus} after the call`);
  if (rec && !rec.ok) p.push(`the next call, fault cleared, failed: ${rec.error ? fmtErr(rec.error) : JSON.stringify(rec.snap)}`);
  return p;
}

function fmtErr(e) {
  if (!e) return 'nothing';
  return `${e.kind}(${e.code}${e.status ? ` ${e.status}` : ''}${e.retryAfter ? ` retryAfter=${e.retryAfter}` : ''}: ${e.message})`;
}

/** A case with its problems and its cell text. */
function judged(c) {
  const problems = judge(c);
  return { ...c, problems, text: cell(c, problems) };
}

/** A cell of the printed matrix. */
function cell(c, problems) {
  if (c.setupError) return 'SETUP✗';
  const { r } = c;
  let s;
  if (r.settled === 'hang') s = 'HANG';
  else if (r.settled === 'ok') s = 'ok';
  else {
    const e = r.error;
    s = e.kind === 'ClerkNetworkError' ? (/timed out/.test(e.message) ? 'Net:timeout' : 'Net')
      : e.kind === 'ClerkAPIResponseError' ? `API${e.status}${e.retryAfter ? `/${e.retryAfter}s` : ''}`
        : e.kind === 'ClerkRuntimeError' ? (e.code === 'decode_error' ? 'decode' : `RT:${e.code}`)
          : e.kind;
  }
  if (r.ms >= 1000) s += ` ${(r.ms / 1000).toFixed(1)}s`;
  if (c.target.length > 1) s += ` ×${c.target.length}`;
  if (c.rec) s += c.rec.ok ? ' ↺' : ' ↺✗';
  if (problems.length) s += knownBug(c.row.name, c.fault) ? ' ‼' : ' ✗';
  return s;
}

function printMatrix(cells) {
  const w0 = Math.max(...ROWS.map((r) => r.name.length)) + 1;
  const cols = FAULT_NAMES.map((f) => Math.max(f.length, ...cells.filter((c) => c.fault === f).map((c) => c.text.length)) + 1);
  const line = (first, xs) => first.padEnd(w0) + xs.map((x, i) => `| ${x.padEnd(cols[i])}`).join('');
  const out = ['', 'Fault matrix (call × fault → outcome)', line('call', FAULT_NAMES), line('-'.repeat(w0 - 1), cols.map((n) => '-'.repeat(n)))];
  for (const row of ROWS) out.push(line(row.name, FAULT_NAMES.map((f) => cells.find((c) => c.row === row && c.fault === f)?.text ?? '?')));
  out.push(
    'ok: resolved (state as a success leaves it) · Net: ClerkNetworkError (Net:timeout: aborted at the request deadline) ·',
    'APINNN[/Ns]: ClerkAPIResponseError status [retryAfter] · decode: ClerkRuntimeError decode_error · Ns: time to settle ·',
    '×N: tries of the faulted request · ↺: the next call, fault cleared, succeeded (↺✗ failed) · ✗ unexpected · ‼ known ENGINE-BUG',
    'email-link wait: ok = the wait kept polling through the faulted polls and resolved when the link was opened',
  );
  console.log(out.join('\n'));
}

test('no fault: sign-up, setActive, getToken, sign-out and sign-in through the proxy', async () => {
  const { context, page, problems } = await labPage();
  try {
    const r = await page.evaluate(async ([u, phones]) => {
      const F = window.__faults;
      const out = [];
      for (const row of ['signUp.attemptPhoneNumberVerification', 'setActive', 'getToken', 'signOut', 'signIn.attemptFirstFactor']) {
        const id = `nofault-${row.replace(/[^a-z]/gi, '')}`;
        const s = await F.setup(id, row, u, { phone: phones.pop(), email: null });
        if (s.error) return { row, setup: s.error };
        F.start(id);
        const o = await F.settle(id, 10000);
        out.push([row, o.settled, o.ok]);
      }
      return out;
    }, [await proxy.caseUrl('nofault'), [1, 2, 3, 4, 5].map(() => uniquePhone())]);
    assert.deepEqual(r, [
      ['signUp.attemptPhoneNumberVerification', 'ok', true], ['setActive', 'ok', true],
      ['getToken', 'ok', true], ['signOut', 'ok', true], ['signIn.attemptFirstFactor', 'ok', true],
    ]);
    assert.deepEqual(await problems(), []);
  } finally {
    await context.close();
  }
});

/** Runs every case of the matrix; resolves to its cells (each with its problems). */
async function runMatrix() {
  const { context, page, problems } = await labPage();
  const t0 = Date.now();
  try {
    const all = [];
    ROWS.forEach((row, ri) => FAULT_NAMES.forEach((fault, fi) => all.push({ row, fault, id: `r${ri}f${fi}` })));
    // The stalled cases wait out a 20 s deadline: all at once, while the others run.
    const stalls = all.filter((c) => c.fault === 'stall').map((c) => runCase(page, c.row, c.fault, c.id));
    const rest = pool(all.filter((c) => c.fault !== 'stall').map((c) => () => runCase(page, c.row, c.fault, c.id)), 6);
    const results = [...(await Promise.all(stalls)), ...(await rest)];
    const cells = results.map(judged);
    return { cells, ms: Date.now() - t0, problems: await problems() };
  } finally {
    await context.close();
  }
}

// The matrix and the forms run side by side (each waits out 20 s stalls); their tests
// report them in turn.
let matrixRun;
let formsRun;
const startRuns = () => {
  matrixRun ??= runMatrix();
  formsRun ??= runForms();
  // Settled here or awaited by the tests; never an unhandled rejection.
  matrixRun.catch(() => {});
  formsRun.catch(() => {});
};

test('fault matrix: every public async call under every fault', async (t) => {
  startRuns();
  const { cells, ms, problems } = await matrixRun;
  printMatrix(cells);
  console.log(`matrix: ${cells.length} cases in ${(ms / 1000).toFixed(1)} s (alongside the forms)`);
  for (const c of cells.filter((x) => process.env.DEBUG_CASE && `${x.row.name}×${x.fault}`.includes(process.env.DEBUG_CASE))) {
    console.log(`DEBUG ${c.row.name} × ${c.fault}`, JSON.stringify(c.r), c.reqs.map((e) => `${e.at % 100000} ${e.method} ${e.effective} ${e.path} r${e.retry} ${e.fault} ${e.status} ${e.closedAt - e.at}`));
  }
  for (const c of cells.filter((x) => x.problems.length)) {
    console.log(`  ${knownBug(c.row.name, c.fault) ? 'ENGINE-BUG' : 'FAIL'} ${c.row.name} × ${c.fault}: ${c.problems.join('; ')}`);
  }
  assert.deepEqual(problems, [], 'no unhandled rejection, no page error (a wasm panic is "RuntimeError: unreachable")');
  for (const row of ROWS) {
    await t.test(row.name, async (t2) => {
      for (const fault of FAULT_NAMES) {
        const c = cells.find((x) => x.row === row && x.fault === fault);
        const bug = knownBug(row.name, fault);
        await t2.test(`${row.name} × ${fault}`, { skip: SKIP_KNOWN && bug ? `ENGINE-BUG: ${bug.why}` : false }, () => {
          assert.deepEqual(c.problems, [], `${row.name} × ${fault}: ${c.text}${bug ? ` — ENGINE-BUG: ${bug.why}` : ''}`);
        });
      }
    });
  }
});

test('forms under faults: the error is announced in a live region, no spinner is left, the form works again', async (t) => {
  startRuns();
  const { results, ms, problems } = await formsRun;
  const lines = ['', 'Forms under faults (action × fault → what is announced; ↺ resubmitted, the form went on)'];
  for (const a of FORM_ACTIONS) {
    lines.push(`${a.name}:`);
    for (const f of FAULT_NAMES) {
      const r = results.find((x) => x.action === a && x.fault === f);
      lines.push(`  ${f.padEnd(10)} ${r.text}${r.problems.length ? ` ✗ ${r.problems.join('; ')}` : ''}`);
    }
  }
  console.log(lines.join('\n'));
  console.log(`forms: ${results.length} cases in ${(ms / 1000).toFixed(1)} s (alongside the matrix)`);
  assert.deepEqual(problems, [], 'no unhandled rejection, no page error');
  for (const a of FORM_ACTIONS) {
    await t.test(a.name, () => {
      const bad = results.filter((r) => r.action === a && r.problems.length).map((r) => `${r.fault}: ${r.problems.join('; ')}`);
      assert.deepEqual(bad, []);
    });
  }
});

// ---- the email-link wait, the token refresh, the browser offline ---------------------------

test('email-link wait: a persistent network failure keeps it polling until the link\'s deadline; a 4xx poll ends it; a cancel during a stalled poll aborts it', async () => {
  await configure({ link_ttl_secs: 4 });
  const { context, page, problems } = await labPage();
  try {
    const id = 'deadline';
    const u = await proxy.caseUrl(id);
    const email = uniqueEmail('deadline');
    await page.evaluate(async ([u2, e]) => {
      const F = window.__faults;
      await F.setup('deadline', 'signUp.create (newer)', u2, { email: e });
      const { c } = F.cases.get('deadline');
      const r = await c.signUp.create({ emailAddress: e });
      if (r.error) throw r.error;
      const s = await c.signUp.verifications.sendEmailLink({ verificationUrl: `${location.origin}/` });
      if (s.error) throw s.error;
    }, [u, email]);
    const t0 = Date.now();
    proxy.arm({ case: id, method: 'GET', path: /^\/v1\/client\/sign_ups\//, fault: 'reset', times: Infinity });
    const r = await page.evaluate(async () => {
      const { c } = window.__faults.cases.get('deadline');
      const start = performance.now();
      const { error } = await c.signUp.verifications.waitForEmailLinkVerification();
      return { error: window.__faults.describe(error), ms: Math.round(performance.now() - start), expireAt: c.signUp.verifications.emailAddress?.expireAt };
    });
    const polls = proxy.requests(id).filter((e) => e.method === 'GET' && e.at >= t0);
    console.log(`deadline: ${JSON.stringify(r.error)} after ${r.ms} ms, ${polls.length} polls (all reset); expire_at − end ${r.expireAt - (t0 + r.ms)} ms`);
    assert.equal(r.error?.kind, 'EmailLinkError');
    assert.equal(r.error?.code, 'expired');
    assert.ok(r.ms >= 2500 && r.ms <= 6000, `the wait ended after ${r.ms} ms (the link lives 4 s)`);
    assert.ok(Math.abs(r.expireAt - (t0 + r.ms)) < 1500, 'it ended at the link\'s expire_at');
    assert.ok(polls.length >= 3, `${polls.length} polls: it kept polling through the failures`);
    assert.ok(polls.every((e) => e.retry === 0), 'a poll is not retried: the next poll is');
    proxy.clear(id);

    // A 4xx that is not 429 ends the wait with that error (the resource is gone).
    await configure({ link_ttl_secs: 600 });
    const r2 = await page.evaluate(async () => {
      const { c } = window.__faults.cases.get('deadline');
      const s = await c.signUp.verifications.sendEmailLink({ verificationUrl: `${location.origin}/` });
      if (s.error) throw s.error;
      return true;
    });
    assert.equal(r2, true);
    proxy.arm({ case: id, method: 'GET', path: /^\/v1\/client\/sign_ups\//, fault: 'status', status: 404, times: 1 });
    const r3 = await page.evaluate(async () => {
      const { c } = window.__faults.cases.get('deadline');
      const { error } = await c.signUp.verifications.waitForEmailLinkVerification();
      return window.__faults.describe(error);
    });
    assert.equal(r3.kind, 'ClerkAPIResponseError');
    assert.equal(r3.status, 404);

    // Cancelled while its poll is stalled: it settles at once, and the poll is aborted.
    proxy.arm({ case: id, method: 'GET', path: /^\/v1\/client\/sign_ups\//, fault: 'stall', times: 1 });
    await page.evaluate(() => {
      const { c } = window.__faults.cases.get('deadline');
      window.__ac = new AbortController();
      window.__wait = c.signUp.verifications.waitForEmailLinkVerification({ signal: window.__ac.signal });
    });
    const held = await proxy.next((e) => e.case === id && e.fault === 'stall', { timeout: 5000 });
    await sleep(500);
    const abortAt = Date.now();
    const r4 = await page.evaluate(async () => {
      const t = performance.now();
      window.__ac.abort();
      const { error } = await window.__wait;
      const ms = performance.now() - t;
      await new Promise((res) => setTimeout(res, 100));
      return { error: window.__faults.describe(error), ms, live: window.__faults.cases.get('deadline').c._live() };
    });
    await sleep(200);
    console.log(`cancel during a stalled poll: ${r4.error?.kind} after ${Math.round(r4.ms)} ms; the poll closed ${held.closedAt - abortAt} ms after the abort`);
    assert.equal(r4.error?.kind, 'ClerkCancelledError');
    assert.ok(r4.ms < 250, `settled ${r4.ms} ms after the abort`);
    assert.ok(held.closedAt && held.closedAt - abortAt < 1000, 'the stalled poll was aborted');
    assert.deepEqual([r4.live.calls, r4.live.requests, r4.live.fetches, r4.live.signals], [0, 0, 0, 0], JSON.stringify(r4.live));
    assert.deepEqual(await problems(), []);
  } finally {
    await configure({ link_ttl_secs: 600 });
    proxy.clear('deadline');
    await context.close();
  }
});

test('token refresh: a failed refresh is retried before expiry; getToken reports a failing fetch at once', async () => {
  // 20 s tokens: the refresh goes 17 s before expiry (3 s after minting); after a failure it
  // waits 5 s, so it retries at the second lead, 6 s before expiry (14 s after minting).
  await configure({ session_token_ttl_secs: 20 });
  const { context, page, problems } = await labPage();
  try {
    const id = 'refresh';
    const u = await proxy.caseUrl(id);
    proxy.arm({ case: id, method: 'POST', path: /\/tokens$/, fault: 'status', status: 503, times: 1 });
    const first = await page.evaluate(async ([u2, phone]) => {
      const F = window.__faults;
      const s = await F.setup('refresh', 'signOut', u2, { phone });
      if (s.error) throw new Error(JSON.stringify(s.error));
      const { c } = F.cases.get('refresh');
      window.__events = [];
      c.addListener(({ session }) => window.__events.push(session?.id ?? null));
      return { token: await c.session.getToken(), at: Date.now() };
    }, [u, uniquePhone()]);
    const exp = JSON.parse(Buffer.from(first.token.split('.')[1], 'base64url')).exp * 1000;
    const failed = await proxy.next((e) => e.case === id && /\/tokens$/.test(e.path), { timeout: 10000 });
    const retried = await proxy.next((e) => e.case === id && /\/tokens$/.test(e.path), { timeout: 20000 });
    await sleep(300);
    const after = await page.evaluate(async () => {
      const { c } = window.__faults.cases.get('refresh');
      return { token: await c.session.getToken(), signedIn: c.isSignedIn, events: window.__events };
    });
    const tokens = proxy.requests(id).filter((e) => /\/tokens$/.test(e.path));
    console.log(`refresh: failed (${failed.status}) ${exp - failed.at} ms before expiry, retried (${retried.status}) ${exp - retried.at} ms before expiry; ${tokens.length} token requests`);
    assert.equal(failed.status, 503);
    assert.ok(exp - failed.at > 15000 && exp - failed.at < 18500, `first refresh ${exp - failed.at} ms before expiry (17 s lead)`);
    assert.equal(retried.status, 200);
    assert.ok(exp - retried.at > 4000 && exp - retried.at < 7500, `retry ${exp - retried.at} ms before expiry (6 s lead)`);
    assert.equal(after.signedIn, true, 'still signed in after the failed refresh');
    assert.ok(!after.events.includes(null), 'listeners never heard of a sign-out');
    assert.notEqual(after.token, first.token, 'getToken serves the refreshed token');
    assert.equal(proxy.requests(id).filter((e) => /\/tokens$/.test(e.path)).length, tokens.length, 'from the cache');

    // A fetch that fails: getToken rejects at once (no retry of a POST), then works again.
    proxy.arm({ case: id, method: 'POST', path: /\/tokens$/, fault: 'reset', times: Infinity });
    const failing = await page.evaluate(async () => {
      const { c } = window.__faults.cases.get('refresh');
      const t = performance.now();
      const r = await c.session.getToken({ skipCache: true }).then((v) => ({ v }), (e) => ({ e: window.__faults.describe(e) }));
      return { ...r, ms: Math.round(performance.now() - t), signedIn: c.isSignedIn };
    });
    proxy.clear(id);
    assert.equal(failing.e?.kind, 'ClerkNetworkError');
    assert.ok(failing.ms < 2000, `getToken settled after ${failing.ms} ms`);
    assert.equal(failing.signedIn, true);
    const again = await page.evaluate(() => window.__faults.cases.get('refresh').c.session.getToken({ skipCache: true }));
    assert.equal(again.split('.').length, 3);
    assert.deepEqual(await problems(), []);
  } finally {
    await configure({ session_token_ttl_secs: 60 });
    proxy.clear('refresh');
    await context.close();
  }
});

test('browser offline, then online: a GET outlasts a short outage on its retries; a POST fails at once and works online; a link wait polls as the browser comes back', async () => {
  const { context, page, problems } = await labPage();
  try {
    const u = await proxy.caseUrl('offline-get');
    await page.evaluate(([u2, phone]) => window.__faults.setup('offline-get', 'signIn.reload', u2, { phone }), [u, uniquePhone()]);
    await context.setOffline(true);
    const get = page.evaluate(async () => {
      const { c } = window.__faults.cases.get('offline-get');
      const t = performance.now();
      const r = await c.client.signIn.reload().then(() => ({ ok: true }), (e) => ({ e: window.__faults.describe(e) }));
      return { ...r, ms: Math.round(performance.now() - t) };
    });
    await sleep(1000);
    const post = await page.evaluate(async (phone) => {
      const { c } = window.__faults.cases.get('offline-get');
      return c.client.signIn.create({ identifier: phone }).then(() => ({ ok: true }), (e) => ({ e: window.__faults.describe(e) }));
    }, uniquePhone());
    await context.setOffline(false);
    const g = await get;
    console.log(`browser offline: GET ${JSON.stringify(g)}; POST ${JSON.stringify(post)}`);
    assert.deepEqual(g.ok, true, `signIn.reload() across a 1 s outage: ${JSON.stringify(g)}`);
    assert.ok(g.ms >= 1500 && g.ms < 4000, `it took ${g.ms} ms (its 4th try, 2.1 s)`);
    assert.equal(post.e?.kind, 'ClerkNetworkError');
    const online = await page.evaluate(async () => {
      const { c } = window.__faults.cases.get('offline-get');
      await c.client.signIn.reload();
      return c.client.signIn.status;
    });
    assert.equal(online, 'needs_first_factor');

    // The link wait: offline while the link is opened elsewhere; back online, it polls at once.
    const w = await proxy.caseUrl('offline-wait');
    const email = uniqueEmail('offline');
    const since = Date.now();
    await page.evaluate(([w2, e]) => window.__faults.setup('offline-wait', 'email-link wait (polls)', w2, { email: e }), [w, email]);
    await page.evaluate(() => window.__faults.start('offline-wait'));
    const msg = await waitForMessage(email, { since });
    await sleep(300);
    await context.setOffline(true);
    await fetch(msg.link, { redirect: 'manual' });
    await sleep(2500);
    const onlineAt = Date.now();
    await context.setOffline(false);
    const r = await page.evaluate(() => window.__faults.settle('offline-wait', 10000));
    const polls = proxy.requests('offline-wait').filter((e) => e.method === 'GET' && e.at > onlineAt);
    const lag = polls.length ? polls[0].at - onlineAt : null;
    console.log(`browser offline: link wait ${r.settled}; first poll ${lag} ms after the browser came back`);
    assert.equal(r.settled, 'ok');
    assert.equal(r.ok, true);
    assert.ok(lag !== null && lag < 1200, `first poll ${lag} ms after going online`);
    assert.deepEqual(await problems(), []);
  } finally {
    await context.setOffline(false);
    await context.close();
  }
});

// ---- the forms ------------------------------------------------------------------------------

/** The forms' actions: the form, what the fault hits, and how to get there. */
const FORM_ACTIONS = [
  { name: 'sign-in: email', kind: 'signIn', user: true, method: 'POST', path: /^\/v1\/client\/sign_ins$/, next: 'code' },
  { name: 'sign-in: code', kind: 'signIn', user: true, method: 'POST', path: /\/attempt_first_factor$/, code: true, next: 'done' },
  { name: 'sign-up: email', kind: 'signUp', method: 'POST', path: /^\/v1\/client\/sign_ups$/, next: 'code' },
  { name: 'sign-up: code', kind: 'signUp', method: 'POST', path: /\/attempt_verification$/, code: true, next: 'done' },
  { name: 'sign-in: link wait', kind: 'signIn', user: true, method: 'GET', path: /^\/v1\/client\/sign_ins\/[^/]+$/, link: true, next: 'done' },
];

const formState = (page, id) => page.evaluate((i) => window.__faults.formState(i), id);
async function formUntil(page, id, pred, ms) {
  const end = Date.now() + ms;
  let s = await formState(page, id);
  while (!pred(s) && Date.now() < end) {
    await sleep(50);
    s = await formState(page, id);
  }
  return s;
}
const announced = (s, before) => s.alerts.filter((a) => (a.role === 'alert' || a.live) && !before.alerts.some((b) => b.text === a.text));

async function runForm(page, action, fault, id) {
  const x = { email: uniqueEmail('form'), user: !!action.user };
  await page.evaluate(([i, k, u, v]) => window.__faults.mountForm(i, k, u, v), [id, action.kind, await proxy.caseUrl(id), x]);
  let value = x.email;
  let since = Date.now();
  if (action.code) {
    await page.evaluate(([i, v]) => window.__faults.submitForm(i, v), [id, x.email]);
    await formUntil(page, id, (s) => s.step === 'code', 5000);
    value = await waitForCode(x.email, { since });
  }
  const spec = FAULTS[fault];
  let rule = null;
  const arm = () => {
    if (spec.offline) proxy.offline(id, action.link ? spec.pollsOffline : spec.offline);
    else {
      const { fault: f, times, polls, ...opts } = spec;
      rule = proxy.arm({ case: id, method: action.method, path: action.path, fault: f, times: action.link ? polls : times, ...opts });
    }
  };
  const before = await formState(page, id);
  const t0 = Date.now();
  if (action.link) {
    // Email me a link: the link step; the faults hit its polls; the link is opened elsewhere.
    since = Date.now();
    await page.evaluate(([i, v]) => { const F = window.__faults; F.cases.get(i).host.querySelector('.cw-input').value = v; return F.clickForm(i, 'link'); }, [id, x.email]);
    await formUntil(page, id, (s) => s.step === 'link', 5000);
    const msg = await waitForMessage(x.email, { since, timeout: 10000 });
    arm();
    const armedAt = Date.now();
    const during = [];
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline) {
      during.push(await formState(page, id));
      const done = spec.offline ? Date.now() > armedAt + spec.pollsOffline
        : rule.hits >= rule.times && (fault !== 'stall' || proxy.requests(id).some((e) => e.fault === 'stall' && e.closedAt));
      if (done) break;
      await sleep(100);
    }
    proxy.clear(id);
    await fetch(msg.link, { redirect: 'manual' });
    const end = await formUntil(page, id, (s) => s.success, 8000);
    const problems = [];
    const errs = during.flatMap((s) => s.alerts.filter((a) => !/We sent a link/.test(a.text)));
    if (errs.length) problems.push(`an error was announced while the wait went on: ${errs[0].text}`);
    if (during.some((s) => s.step !== 'link')) problems.push(`left the link step: ${during.find((s) => s.step !== 'link').step}`);
    if (during.some((s) => s.busy)) problems.push('aria-busy while waiting for the link');
    if (!end.success) problems.push(`not signed in after the link was opened (${end.text})`);
    return { action, fault, problems, text: end.success ? `waited ✓ ${((Date.now() - t0) / 1000).toFixed(1)}s` : 'stuck' };
  }
  arm();
  await page.evaluate(([i, v]) => window.__faults.submitForm(i, v), [id, value]);
  const want = expected({ method: action.method }, fault);
  const settledState = (s) => !s.busy && (s.step !== before.step || s.success || announced(s, before).length > 0);
  const s = await formUntil(page, id, settledState, fault === 'stall' ? 25000 : 6000);
  const ms = Date.now() - t0;
  proxy.clear(id);
  if (spec.offline) await sleep(Math.max(0, t0 + spec.offline - Date.now()));
  const problems = [];
  const news = announced(s, before);
  let text;
  if (!settledState(s)) {
    problems.push(`not settled after ${ms} ms: ${JSON.stringify(s)}`);
    text = 'stuck';
  } else if (want.ok) {
    if (s.step !== action.next && !(action.next === 'done' && s.success)) problems.push(`expected the ${action.next} step, got ${s.step}: ${s.text}`);
    text = `→${s.step}`;
  } else {
    if (!news.length) problems.push(`no error announced: ${JSON.stringify(s.alerts)}`);
    if (news.length && !news.some((a) => a.role === 'alert' || a.live === 'assertive' || a.live === 'polite')) problems.push('the error is not in a live region');
    if (s.busy) problems.push('aria-busy left on');
    if (s.disabled) problems.push('the submit button is left disabled');
    if (s.step !== before.step) problems.push(`the form moved from ${before.step} to ${s.step}`);
    if (!s.input || s.input.value !== value) problems.push(`what was typed is gone: ${JSON.stringify(s.input)}`);
    if (fault === 'stall' && ms < 19000) problems.push(`a stall ended after ${ms} ms`);
    // A network failure reads the same in every browser (not "Failed to fetch").
    if (['reset', 'stall', 'nocors', 'offline', 'truncated'].includes(fault)
      && !news.some((a) => /could not reach the server/.test(a.text))) problems.push(`network failure announced as ${JSON.stringify(news[0]?.text)}`);
    if (ms > (fault === 'stall' ? 24000 : 3000)) problems.push(`settled after ${ms} ms`);
    text = `“${news[0]?.text ?? ''}”`;
    // Usable again: the same submit, the fault cleared, goes on.
    await page.evaluate(([i, v]) => window.__faults.submitForm(i, v), [id, value]);
    const n = await formUntil(page, id, (z) => !z.busy && (z.step === action.next || z.success), 6000);
    if (!(n.step === action.next || n.success)) problems.push(`resubmitted, the form did not go on: ${n.step} ${JSON.stringify(n.alerts)}`);
    else text += ' ↺';
  }
  return { action, fault, problems, text: `${text}${ms >= 1000 ? ` ${(ms / 1000).toFixed(1)}s` : ''}` };
}

/** Runs every form case; resolves to their results. */
async function runForms() {
  const { context, page, problems } = await labPage('/pkg/ui/index.js');
  const t0 = Date.now();
  try {
    const all = [];
    FORM_ACTIONS.forEach((a, ai) => FAULT_NAMES.forEach((f, fi) => all.push({ a, f, id: `form${ai}f${fi}` })));
    const run = (c) => runForm(page, c.a, c.f, c.id).catch((e) => ({ action: c.a, fault: c.f, problems: [`the case broke: ${e.stack}`], text: 'broke' }));
    const stalls = all.filter((c) => c.f === 'stall').map(run);
    const rest = pool(all.filter((c) => c.f !== 'stall').map((c) => () => run(c)), 4);
    const results = [...(await Promise.all(stalls)), ...(await rest)];
    return { results, ms: Date.now() - t0, problems: await problems() };
  } finally {
    await context.close();
  }
}

// Firefox: the same cells for the calls that need no code from the inbox (a WebDriver page
// cannot call back into Node for one), one at a time (WebDriver runs one command at a time):
// Firefox words its fetch failures, aborts and cut-off bodies differently from Chromium,
// and each must still reach the caller as the same typed error.
const FIREFOX_ROWS = ['load', 'load (environment)', 'signUp.create'];
test('Firefox: load, the environment PATCH and signUp.create under every fault', async (t) => {
  const ff = await firefox();
  const cells = [];
  try {
    // A stalled call settles at its 20 s deadline: scripts may run that long.
    await ff.cmd('POST', '/timeouts', { script: 60000 });
    await ff.goto(`${url}/firefox.html`);
    await ff.waitFor(() => !!window.__pkg);
    await ff.cmd('POST', '/execute/sync', { script: `${PAGE_JS}\nreturn true;`, args: [] });
    await ff.run((k) => { window.__faults.m = window.__pkg; window.__faults.key = k; return true; }, key);
    const page = { evaluate: (fn, arg) => ff.run(fn, arg) };
    let n = 0;
    for (const name of FIREFOX_ROWS) {
      const row = ROWS.find((r) => r.name === name);
      // One stalled cell (a POST): the abort at the deadline, 20 s.
      const faults = FAULT_NAMES.filter((f) => f !== 'stall' || name === 'signUp.create');
      for (const fault of faults) {
        n += 1;
        const c = await runCase(page, row, fault, `ff${n}`);
        // Firefox resends a GET whose connection was reset by itself (up to 10 connections
        // per fetch, seen here): the SDK's tries are told apart by `_clerk_retry_attempt`.
        if (c.target) c.target = c.target.filter((e, i, all) => i === 0 || e.retry !== all[i - 1].retry);
        cells.push(judged(c));
      }
    }
    const problems = await ff.run(() => window.__faults.problems);
    console.log(`Firefox: ${cells.map((c) => `${c.row.name} × ${c.fault}: ${c.text}`).join(' · ')}`);
    assert.deepEqual(problems, [], 'no unhandled rejection, no page error');
  } finally {
    await ff.close();
  }
  for (const c of cells) {
    await t.test(`Firefox: ${c.row.name} × ${c.fault}`, () => {
      assert.deepEqual(c.problems, [], `${c.row.name} × ${c.fault}: ${c.text}`);
    });
  }
});
