// Behaviours the one engine settled where the old JS shell and the old Rust engine
// differed (issue 11), pinned in Chromium against the emulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveDemo } from './lib/harness.mjs';
import { relaxLimits } from './lib/emulator.mjs';

let server, url, browser, page;
before(async () => {
  await relaxLimits();
  ({ server, url } = await serveDemo());
  browser = await launch();
  page = await browser.context.newPage();
  await page.goto(`${url}/`);
  await page.waitForSelector('body[data-ready="true"]');
});
after(async () => { await browser?.close(); server?.close(); });

/** Forgets the dev browser, so the next Clerk gets a new client. */
const FRESH = `for (const c of document.cookie.split('; ')) {
  if (c.startsWith('__clerk_db_jwt')) document.cookie = c.split('=')[0] + '=; Path=/; Max-Age=0';
}`;

test('a new listener is called at once once loaded; a throwing one is reported and never fails a call', async () => {
  const r = await page.evaluate(async (fresh) => {
    new Function(fresh)();
    const m = await import('/pkg/index.js');
    const key = (await (await fetch('/emulator.json')).json()).publishable_key;
    const clerk = new m.Clerk(key);
    const early = [];
    clerk.addListener(() => early.push(1)); // before load: not called yet
    const beforeLoad = early.length;
    await clerk.load();
    const calls = [];
    clerk.addListener(({ client }) => calls.push(client?.id ?? null));
    const atOnce = calls.length;
    const reported = [];
    window.addEventListener('error', (e) => { reported.push(e.error?.message ?? e.message); e.preventDefault(); });
    clerk.addListener(() => { throw new Error('listener boom'); });
    let outcome;
    try {
      await clerk.client.signUp.create({ emailAddress: `contract-${Date.now()}@example.test` });
      outcome = { ok: true, status: clerk.client.signUp.status };
    } catch (e) { outcome = { ok: false, error: e.message }; }
    return { beforeLoad, atOnce, after: calls.length, outcome, reported };
  }, FRESH);
  assert.equal(r.beforeLoad, 0, 'not called before load');
  assert.equal(r.atOnce, 1, 'called at once after load (as ClerkJS)');
  assert.ok(r.after > r.atOnce, 'called after the change');
  assert.deepEqual(r.outcome, { ok: true, status: 'missing_requirements' }, 'the call succeeded despite the throwing listener');
  assert.ok(r.reported.includes('listener boom'), `the listener's error was reported: ${JSON.stringify(r.reported)}`);
});

test("two Clerk instances on one page never cancel each other's email-link waits", async () => {
  const r = await page.evaluate(async (fresh) => {
    new Function(fresh)();
    const m = await import('/pkg/index.js');
    const key = (await (await fetch('/emulator.json')).json()).publishable_key;
    const a = new m.Clerk(key);
    await a.load();
    await a.client.signUp.create({ emailAddress: `two-${Date.now()}@example.test` });
    const b = new m.Clerk(key);
    await b.load(); // the same client: the same sign-up
    const settle = (p) => p.then(() => 'resolved', (e) => e.code);
    const fa = a.client.signUp.createEmailLinkFlow();
    const pa = settle(fa.startEmailLinkFlow({ redirectUrl: '/verify/' }));
    await new Promise((r) => setTimeout(r, 300));
    const fb = b.client.signUp.createEmailLinkFlow();
    const pb = settle(fb.startEmailLinkFlow({ redirectUrl: '/verify/' }));
    await new Promise((r) => setTimeout(r, 300));
    fb.cancelEmailLinkFlow();
    const bOutcome = await pb;
    const race = await Promise.race([pa, new Promise((r) => setTimeout(() => r('pending'), 500))]);
    fa.cancelEmailLinkFlow();
    return { bOutcome, aAfterB: race, aOutcome: await pa };
  }, FRESH);
  assert.equal(r.bOutcome, 'cancelled');
  assert.equal(r.aAfterB, 'pending', "b's start and cancel left a's wait running");
  assert.equal(r.aOutcome, 'cancelled', 'a settles on its own cancel');
});
