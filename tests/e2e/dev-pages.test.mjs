// Every demo page, served with the **dev** build of the package — what `make demo`
// serves — opened in Chromium: no page error, no console error or warning, and no
// failed request (the favicon included). (The other suites run the release package.)
// Then the emulator's own pages (the inbox, the hosted pages) under the same rule.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, serveDemo, REPO, EMULATOR } from './lib/harness.mjs';

const DEV = process.env.PKG_DEV_DIR ?? path.join(REPO, 'pkg');
const PAGES = fs.readdirSync(path.join(REPO, 'www'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(REPO, 'www', d.name, 'index.html')))
  .map((d) => `/${d.name}/`);

let server, url, browser;
before(async () => {
  assert.ok(fs.existsSync(path.join(DEV, 'ui/index.js')), `the dev package is built at ${DEV}`);
  ({ server, url } = await serveDemo({ pkgDir: DEV }));
  browser = await launch();
});
after(async () => { await browser?.close(); server?.close(); });

test('the dev package is the dev build (unoptimised, with debug names)', () => {
  const wasm = fs.statSync(path.join(DEV, 'clerk_wasm_bg.wasm')).size;
  assert.ok(wasm > 400_000, `dev .wasm is ${wasm} B: the release build was served`);
});

/** The emulator's own pages: the dev inbox and the hosted pages. */
const EMULATOR_PAGES = ['/__emulator/', '/sign-in', '/sign-up', '/user'];

/** Each page: its name in the test's title and its URL (the servers start in `before`). */
const CASES = [
  ...['/', ...PAGES].map((p) => ({ page: `dev build: ${p}`, at: () => `${url}${p}` })),
  ...EMULATOR_PAGES.map((p) => ({ page: `emulator ${p}`, at: () => `${EMULATOR}${p}` })),
];

for (const { page, at } of CASES) {
  test(`${page} loads without errors`, async () => {
    const tab = await browser.context.newPage();
    const problems = [];
    tab.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    // Everything counts, the favicon too (the demo server answers it with 204).
    tab.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') {
        problems.push(`console.${m.type()}: ${m.text()} (${m.location()?.url ?? ''})`);
      }
    });
    tab.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    tab.on('requestfailed', (r) => {
      problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
    });
    try {
      await tab.goto(at(), { waitUntil: 'load' });
      // Let the module run: load(), mounting, the first state change.
      await tab.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {});
      await tab.waitForTimeout(500);
      assert.deepEqual(problems, [], `${page}:\n${problems.join('\n')}`);
    } finally {
      await tab.close();
    }
  });
}
