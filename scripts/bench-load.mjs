#!/usr/bin/env node
// Benchmark (not a test): cold page load → `load()` resolved, ClerkJS against
// clerk-wasm, against the same emulator in the same Chromium; plus requests per
// seed flow for both. Prints markdown tables.
//
//   make bench                        builds the release package, starts an emulator, runs this
//   CLERK_EMULATOR_URL=http://127.0.0.1:PORT PKG_DIR=pkg node scripts/bench-load.mjs [--runs 30]
//
// Each sample is a fresh browser context (no cookies, no storage, no HTTP cache)
// loading a page that does only this:
//   ClerkJS:    <script src=".../clerk.browser.js"> (the CDN build, with proxyUrl) then Clerk.load()
//   clerk-wasm: <script type="module"> import { Clerk } from '/pkg/index.js'; new Clerk(key).load()
// and the time is performance.now() when load() resolved (0 = navigation start).
// The two libraries alternate, so drift on the (shared, 2-core) machine hits both.
// Requests per flow: clerk-wasm's are measured live (the flows of
// tests/e2e/sequence.test.mjs); ClerkJS's are its fixtures (tests/fixtures/clerkjs/).
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
  return i > 0 ? process.argv[i + 1] : dflt;
};
const RUNS = Number(arg('runs', process.env.BENCH_RUNS ?? 30));
const PKG_DIR = path.resolve(process.env.PKG_DIR ?? path.join(REPO, 'pkg'));

// The e2e helpers bring playwright-core (tests/e2e/node_modules) and Chromium's flags.
const { EMULATOR, CHROMIUM_ARGS, emulatorConfig } = await import('../tests/e2e/lib/harness.mjs');
const { chromium } = await import('../tests/e2e/node_modules/playwright-core/index.mjs');
const { startServer } = await import('./serve.mjs');
const { relaxLimits, uniquePhone, uniqueEmail } = await import('../tests/e2e/lib/emulator.mjs');
const { WasmFlows, clerkjsFixture } = await import('../tests/e2e/lib/seed-flows.mjs');
const { CLERKJS_DIST } = await import('../tests/e2e/conformance/lib.mjs');

const cfg = await emulatorConfig();
const clerkjsVersion = JSON.parse(fs.readFileSync(path.join(CLERKJS_DIST, '../package.json'), 'utf8')).version;
const wasmVersion = JSON.parse(fs.readFileSync(path.join(PKG_DIR, 'package.json'), 'utf8')).version;
const wasmBytes = fs.statSync(path.join(PKG_DIR, 'clerk_wasm_bg.wasm')).size;

const pages = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-wasm-bench-'));
const json = (v) => JSON.stringify(v);
fs.writeFileSync(path.join(pages, 'clerkjs.html'), `<!doctype html><meta charset="utf-8"><title>ClerkJS</title>
<script>window.__clerk_publishable_key = ${json(cfg.publishable_key)}; window.__clerk_proxy_url = ${json(cfg.frontend_api)};</script>
<script src="/clerkjs/clerk.browser.js"></script>
<script>
  window.Clerk.load().then(
    () => { window.__loaded = performance.now(); },
    (e) => { window.__failed = String(e && e.message || e); });
</script>`);
fs.writeFileSync(path.join(pages, 'wasm.html'), `<!doctype html><meta charset="utf-8"><title>clerk-wasm</title>
<script type="module">
  import { Clerk } from '/pkg/index.js';
  new Clerk(${json(cfg.publishable_key)}).load().then(
    () => { window.__loaded = performance.now(); },
    (e) => { window.__failed = String(e && e.message || e); });
</script>`);
fs.writeFileSync(path.join(pages, 'index.html'), '<!doctype html><meta charset="utf-8"><title>bench</title>');

const { server, url } = await startServer({
  root: pages, mounts: { '/clerkjs': CLERKJS_DIST, '/pkg': PKG_DIR },
  emulatorUrl: cfg.frontend_api, emulatorKey: cfg.publishable_key,
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS,
  ignoreDefaultArgs: ['--enable-automation'],
});

/** One cold load in a fresh context: ms from navigation start to load() resolved, and bytes received. */
async function sample(page) {
  const context = await browser.newContext();
  try {
    const p = await context.newPage();
    // Bytes on the wire as Chromium counts them (bodies of scripts and .wasm included); every
    // size is awaited before the context closes (a size read after it would be lost).
    const sizes = [];
    p.on('requestfinished', (r) => sizes.push(r.sizes().then((z) => z.responseBodySize)));
    await p.goto(`${url}/${page}`);
    await p.waitForFunction(() => window.__loaded !== undefined || window.__failed !== undefined, null, { timeout: 30000 });
    const r = await p.evaluate(() => ({ loaded: window.__loaded, failed: window.__failed }));
    if (r.failed) throw new Error(`${page}: load() failed: ${r.failed}`);
    await p.waitForLoadState('networkidle');
    const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
    return { ms: r.loaded, bytes };
  } finally {
    await context.close();
  }
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const fmt = (x) => x.toFixed(1);

try {
  await relaxLimits();
  // One warm-up of each (the server's first reads, Chromium's process start), not counted.
  await sample('clerkjs.html'); await sample('wasm.html');
  const times = { clerkjs: [], wasm: [] }; const bytes = { clerkjs: 0, wasm: 0 };
  for (let i = 0; i < RUNS; i++) {
    for (const lib of i % 2 ? ['wasm', 'clerkjs'] : ['clerkjs', 'wasm']) {
      const s = await sample(`${lib}.html`);
      times[lib].push(s.ms); bytes[lib] = s.bytes;
    }
  }

  // Requests per seed flow (clerk-wasm live, ClerkJS from its fixtures).
  const context = await browser.newContext();
  const page = await context.newPage();
  const flows = new WasmFlows(EMULATOR, page, `${url}/index.html`);
  const wasm = {};
  wasm.load = (await flows.load()).seq;
  wasm['phone-sign-up'] = await flows.phoneSignUp(uniquePhone());
  wasm['sign-out'] = await flows.signOut();
  wasm['phone-sign-in'] = await flows.phoneSignIn();
  wasm['load-signed-in'] = (await flows.load()).seq;
  await flows.signOut();
  wasm['email-code-sign-up'] = await flows.emailCodeSignUp(uniqueEmail('bench'));
  await flows.signOut();
  wasm['email-code-sign-in'] = await flows.emailCodeSignIn();
  await flows.signOut();
  wasm['newer-api-phone-sign-in'] = await flows.newerPhoneSignIn();
  await flows.signOut();
  await context.close();

  const med = { clerkjs: quantile(times.clerkjs, 0.5), wasm: quantile(times.wasm, 0.5) };
  const p90 = { clerkjs: quantile(times.clerkjs, 0.9), wasm: quantile(times.wasm, 0.9) };
  console.log(`\n## Cold page load → load() resolved (${RUNS} runs each, fresh context per run, ${os.cpus().length} cores)\n`);
  console.log(`| | ClerkJS ${clerkjsVersion} | clerk-wasm ${wasmVersion} | ClerkJS / clerk-wasm |`);
  console.log('|---|---:|---:|---:|');
  console.log(`| median ms | ${fmt(med.clerkjs)} | ${fmt(med.wasm)} | ${(med.clerkjs / med.wasm).toFixed(2)}× |`);
  console.log(`| p90 ms | ${fmt(p90.clerkjs)} | ${fmt(p90.wasm)} | ${(p90.clerkjs / p90.wasm).toFixed(2)}× |`);
  console.log(`| min–max ms | ${fmt(Math.min(...times.clerkjs))}–${fmt(Math.max(...times.clerkjs))} | ${fmt(Math.min(...times.wasm))}–${fmt(Math.max(...times.wasm))} | |`);
  console.log(`| bytes received (response bodies, as served) | ${bytes.clerkjs} | ${bytes.wasm} | ${(bytes.clerkjs / bytes.wasm).toFixed(1)}× |`);
  console.log(`\nclerk-wasm package: ${PKG_DIR} (.wasm ${wasmBytes} B)`);

  const FIXTURE_OF = { 'newer-api-phone-sign-in': 'phone-sign-in' };
  console.log('\n## Requests per seed flow\n');
  console.log('| flow | ClerkJS | clerk-wasm |');
  console.log('|---|---:|---:|');
  for (const [flow, seq] of Object.entries(wasm)) {
    console.log(`| ${flow} | ${clerkjsFixture(FIXTURE_OF[flow] ?? flow).length} | ${seq.length} |`);
  }
  console.log('\n(ClerkJS: tests/fixtures/clerkjs/, recorded with the same emulator key; '
    + 'the differences are listed in tests/e2e/sequence.test.mjs)');
} finally {
  await browser.close();
  server.close();
  fs.rmSync(pages, { recursive: true, force: true });
}
