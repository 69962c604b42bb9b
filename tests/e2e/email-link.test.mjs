// Email links (seed 004) through the demo pages and the JS API in headless
// Chromium: same-browser tab (BroadcastChannel), another device (a second
// browser profile), landing errors, cancel semantics, and the newer API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveDemo, screenshot, EMULATOR } from './lib/harness.mjs';
import { waitForMessage, relaxLimits, uniqueEmail, configure } from './lib/emulator.mjs';
import {
  startSignUp, openLink, resolvedAt, requestLog, clearRequests, pollsOf,
} from '../../scripts/bench-email-link.mjs';

let server, url, a, b;
before(async () => {
  await relaxLimits();
  ({ server, url } = await serveDemo());
  a = await launch();
  b = await launch();
});
after(async () => { await a?.close(); await b?.close(); server?.close(); });

const clock = (secs) => fetch(`${EMULATOR}/__emulator/clock`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance_secs: secs }),
});

test('same browser: the landing tab resolves the waiting tab at once (BroadcastChannel)', async () => {
  await a.context.clearCookies();
  const w = await startSignUp(a.context, url);
  const errors = [];
  w.page.on('pageerror', (e) => errors.push(e.message));
  const l = await openLink(a.context, w.link);
  assert.equal(l.outcome, 'verified');
  // The link parameters are gone from the address bar.
  assert.doesNotMatch(l.landing.url(), /__clerk_status|__clerk_created_session/);
  const resolved = await resolvedAt(w.page);
  const landed = await l.landing.evaluate(() => window.__landedAt);
  console.log(`same browser: click → resolve ${resolved - l.clickAt} ms, landing script → resolve ${resolved - landed} ms`);
  // Target ≤ 100 ms (tests/email_link.rs asserts it in-page); two headless tabs
  // loading at once on a small CI machine get some slack here.
  assert.ok(resolved - landed <= 700, `landing → resolve took ${resolved - landed} ms`);
  await w.page.waitForSelector('body[data-state="signed-in"]');
  // verification.verifiedFromTheSameClient(): false on a development instance even in
  // the same browser, as with Clerk (PROTOCOL.md §3.6: the click reaches the Frontend API
  // without the dev browser, so verified_at_client is null).
  assert.equal(await w.page.evaluate(() => window.__verifiedHere), false);
  await screenshot(w.page, 'email-link-same-browser');
  assert.deepEqual(errors, []);
  await w.page.close(); await l.landing.close();
});

test('another device: the waiting tab completes on its next poll', async () => {
  await a.context.clearCookies();
  const w = await startSignUp(a.context, url);
  const l = await openLink(b.context, w.link);
  assert.equal(l.outcome, 'verified_on_other_device');
  const resolved = await resolvedAt(w.page);
  console.log(`other device: click → resolve ${resolved - l.clickAt} ms`);
  assert.ok(resolved - l.clickAt <= 3000, `took ${resolved - l.clickAt} ms (1 s interval)`);
  await w.page.waitForSelector('body[data-state="signed-in"]');
  assert.equal(await w.page.evaluate(() => window.__verifiedHere), false);
  assert.equal(await w.page.textContent('#message'), 'Email verified.');
  await screenshot(l.landing, 'email-link-other-device-landing');
  await w.page.close(); await l.landing.close();
});

test('landing page: expired, reused and client_mismatch links throw EmailLinkError', async () => {
  await a.context.clearCookies();
  // Reused: open once on "another device", then again.
  let w = await startSignUp(a.context, url);
  let l = await openLink(b.context, w.link);
  assert.equal(l.outcome, 'verified_on_other_device');
  await l.landing.close();
  l = await openLink(b.context, w.link);
  assert.equal(l.outcome, 'failed');
  await l.landing.close(); await w.page.close();
  // Expired: the emulator clock moves past the link's 10 min.
  await a.context.clearCookies();
  w = await startSignUp(a.context, url);
  await clock(700);
  try {
    await w.page.waitForSelector('body[data-state="expired"]', { timeout: 3000 });
    l = await openLink(b.context, w.link);
  } finally { await clock(-700); }
  assert.equal(l.outcome, 'expired');
  assert.match(await l.landing.textContent('#message'), /expired/);
  await l.landing.close(); await w.page.close();
  // client_mismatch: same-client required; a browser's link click carries no dev-browser token.
  await a.context.clearCookies();
  w = await startSignUp(a.context, url);
  await configure({ require_same_client: true });
  try { l = await openLink(a.context, w.link); } finally { await configure({ require_same_client: false }); }
  assert.equal(l.outcome, 'client_mismatch');
  assert.equal(await w.page.getAttribute('body', 'data-state'), 'waiting');
  // "Enter a code instead" is offered and works.
  const since = Date.now();
  await w.page.click('#use-code');
  await w.page.waitForSelector('body[data-state="code"]');
  const msg = await waitForMessage(w.email, { since });
  await w.page.fill('#code', msg.code);
  await w.page.click('#code-form button');
  await w.page.waitForSelector('body[data-state="signed-in"]');
  await l.landing.close(); await w.page.close();
});

test('classic cancel rejects with ClerkCancelledError and stops polling; AbortSignal; second start', async () => {
  await a.context.clearCookies();
  const page = await a.context.newPage();
  await page.goto(`${url}/email-link-sign-up/`);
  await page.waitForSelector('body[data-state]');
  const email = uniqueEmail('cancel');
  const r = await page.evaluate(async (email) => {
    const { Clerk, ClerkCancelledError } = await import('/pkg/index.js');
    const { publishableKey } = await import('/config.js');
    const clerk = new Clerk(await publishableKey());
    await clerk.load();
    const signUp = await clerk.client.signUp.create({ emailAddress: email });
    const out = {};
    // Destructured, like ClerkJS's docs use it.
    const { startEmailLinkFlow, cancelEmailLinkFlow } = signUp.createEmailLinkFlow();
    const p = startEmailLinkFlow({ redirectUrl: '/verify/' });
    await new Promise((res) => setTimeout(res, 1500));
    const t0 = performance.now();
    cancelEmailLinkFlow(); cancelEmailLinkFlow();
    try { await p; out.settled = 'resolved'; } catch (e) {
      out.settled = e.constructor.name; out.code = e.code; out.instance = e instanceof ClerkCancelledError;
    }
    out.cancelMs = performance.now() - t0;
    // An AbortSignal cancels too.
    const ac = new AbortController();
    const p2 = signUp.createEmailLinkFlow().startEmailLinkFlow({ redirectUrl: '/verify/', signal: ac.signal });
    setTimeout(() => ac.abort(), 300);
    out.abort = await p2.then(() => 'resolved', (e) => e.code);
    // A second start (another flow object) cancels the first.
    const f1 = signUp.createEmailLinkFlow();
    const p3 = f1.startEmailLinkFlow({ redirectUrl: '/verify/' });
    await new Promise((res) => setTimeout(res, 200));
    const f2 = signUp.createEmailLinkFlow();
    out.p4Start = Date.now();
    const p4 = f2.startEmailLinkFlow({ redirectUrl: '/verify/' });
    out.first = await p3.then(() => 'resolved', (e) => e.code);
    window.__p4 = p4.then((su) => su.verifications.emailAddress.status, (e) => e.code);
    window.__f2 = f2;
    return out;
  }, email);
  assert.deepEqual(
    { settled: r.settled, code: r.code, instance: r.instance, abort: r.abort, first: r.first },
    { settled: 'ClerkCancelledError', code: 'cancelled', instance: true, abort: 'cancelled', first: 'cancelled' },
  );
  assert.ok(r.cancelMs < 250, `cancel took ${r.cancelMs} ms`);
  // The second flow still works: open its link elsewhere. Each prepare voids the
  // previous link, so take the email sent after the second start began.
  const msg = await waitForMessage(email, { since: r.p4Start });
  const l = await openLink(b.context, msg.link);
  assert.equal(l.outcome, 'verified_on_other_device');
  assert.equal(await page.evaluate(() => window.__p4), 'verified');
  await l.landing.close();
  // Polls per minute while waiting, and nothing after cancel.
  await a.context.clearCookies();
  const w = await startSignUp(a.context, url);
  await clearRequests();
  await new Promise((res) => setTimeout(res, 3000));
  const polls = pollsOf(await requestLog()).length;
  assert.ok(polls >= 2 && polls <= 4, `${polls} polls in 3 s`);
  await w.page.click('#cancel');
  await clearRequests();
  await new Promise((res) => setTimeout(res, 2500));
  assert.equal((await requestLog()).length, 0, 'requests after cancel');
  await page.close(); await w.page.close();
});

test('newer API: signIn.emailLink.sendLink / waitForVerification, signUp.verifications.sendEmailLink', async () => {
  await a.context.clearCookies();
  const page = await a.context.newPage();
  await page.goto(`${url}/email-link-sign-in/`);
  await page.waitForSelector('body[data-state]');
  const email = uniqueEmail('newer');
  // Sign up by link (newer API), opened on "another device".
  const su = page.evaluate(async (email) => {
    const { Clerk } = await import('/pkg/index.js');
    const { publishableKey } = await import('/config.js');
    const clerk = new Clerk(await publishableKey());
    await clerk.load();
    window.__clerk = clerk;
    let { error } = await clerk.signUp.create({ emailAddress: email });
    if (error) return `create: ${error.code}`;
    ({ error } = await clerk.signUp.verifications.sendEmailLink({ verificationUrl: '/verify/' }));
    if (error) return `send: ${error.code}`;
    ({ error } = await clerk.signUp.verifications.waitForEmailLinkVerification());
    if (error) return `wait: ${error.code}`;
    ({ error } = await clerk.signUp.finalize());
    return error ? `finalize: ${error.code}` : clerk.signUp.status;
  }, email);
  let msg = await waitForMessage(email, { since: 0 });
  let l = await openLink(b.context, msg.link);
  assert.equal(await su, 'complete');
  await l.landing.close();
  // Sign out, then sign in by link with the newer API.
  const since = Date.now();
  const si = page.evaluate(async (email) => {
    const clerk = window.__clerk;
    await clerk.signOut();
    let { error } = await clerk.signIn.emailLink.sendLink({ emailAddress: email, verificationUrl: '/verify/' });
    if (error) return `send: ${error.code}`;
    ({ error } = await clerk.signIn.emailLink.waitForVerification());
    if (error) return `wait: ${error.code}`;
    ({ error } = await clerk.signIn.finalize());
    return error ? `finalize: ${error.code}` : `${clerk.signIn.status} ${clerk.isSignedIn}`;
  }, email);
  msg = await waitForMessage(email, { since });
  l = await openLink(b.context, msg.link);
  assert.equal(await si, 'complete true');
  await l.landing.close();
  // An aborted wait resolves { error: ClerkCancelledError }.
  const aborted = await page.evaluate(async () => {
    const ac = new AbortController();
    const p = window.__clerk.signIn.emailLink.waitForVerification({ signal: ac.signal });
    ac.abort();
    const { error } = await p;
    return error?.code;
  });
  // The sign-in is complete, so the wait ends at once or is cancelled; either way it settles.
  assert.ok(aborted === 'cancelled' || aborted === undefined, String(aborted));
  await page.close();
});

test('worker timers (opt-in): the link wait polls on a worker; without worker-src blob: on the page\'s timers', { timeout: 90_000 }, async () => {
  // On the demo's index page; `workerSrc`, when given, becomes a CSP `worker-src` added by a
  // <meta> before the Clerk is made.
  const run = async (workerSrc) => {
    await a.context.clearCookies();
    const page = await a.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}/`);
    await page.waitForSelector('body[data-ready]');
    const email = uniqueEmail('worker');
    const since = Date.now();
    const done = page.evaluate(async ({ email, workerSrc }) => {
      const seen = { made: 0, posts: 0, violations: 0 };
      if (workerSrc) {
        document.addEventListener('securitypolicyviolation', () => { seen.violations += 1; });
        const meta = document.createElement('meta');
        meta.httpEquiv = 'Content-Security-Policy';
        meta.content = `worker-src ${workerSrc}`;
        document.head.append(meta);
      }
      // Count the workers made and the timers they were given.
      const Native = window.Worker;
      window.Worker = class extends Native {
        constructor(...args) { super(...args); seen.made += 1; }
        postMessage(...args) { seen.posts += 1; return super.postMessage(...args); }
      };
      const { Clerk } = await import('/pkg/index.js');
      const { publishableKey } = await import('/config.js');
      const clerk = new Clerk(await publishableKey(), { workerTimers: true });
      await clerk.load();
      let { error } = await clerk.signUp.create({ emailAddress: email });
      if (!error) ({ error } = await clerk.signUp.verifications.sendEmailLink({ verificationUrl: '/verify/' }));
      if (!error) ({ error } = await clerk.signUp.verifications.waitForEmailLinkVerification());
      if (!error) ({ error } = await clerk.signUp.finalize());
      return { status: error ? error.code : clerk.signUp.status, signedIn: clerk.isSignedIn, ...seen };
    }, { email, workerSrc });
    // Opened on another device after a few polls, so the wait really waited on its timers.
    const msg = await waitForMessage(email, { since });
    await new Promise((r) => setTimeout(r, 2500));
    const l = await openLink(b.context, msg.link);
    const r = await done;
    await l.landing.close(); await page.close();
    assert.deepEqual(errors, []);
    return r;
  };
  const withWorker = await run(null);
  console.log('worker timers:', JSON.stringify(withWorker));
  assert.deepEqual([withWorker.status, withWorker.signedIn, withWorker.made], ['complete', true, 1]);
  assert.ok(withWorker.posts >= 2, `the polls waited on the worker (${withWorker.posts} timers)`);
  const without = await run("'none'");
  console.log("worker-src 'none':", JSON.stringify(without));
  assert.deepEqual([without.status, without.signedIn], ['complete', true], 'the page\'s timers took over');
  assert.ok(without.violations >= 1, 'the CSP refused the worker');
});
