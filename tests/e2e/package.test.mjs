// The npm package as users get it, completing a phone-code sign-in in Chromium:
// 1. a bare <script type="module"> page importing the package by URL
//    (www/sms/, seed 001's page: `import { Clerk } from '/pkg/index.js'`);
// 2. `npm pack` of the built package (PKG_DIR), installed from the tarball into
//    a fresh Vite app (vite from tests/e2e/node_modules: no network), built with
//    `vite build` and served from its dist/ alone. The app has two pages: one
//    imports 'clerk-wasm' (headless, a hand-made phone-code form), the other
//    'clerk-wasm/ui' and 'clerk-wasm/clerk-wasm.css' (a mounted sign-in form).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { launch, serveDemo, emulatorConfig, REPO, screenshot } from './lib/harness.mjs';
import { waitForCode, relaxLimits, uniquePhone } from './lib/emulator.mjs';
import { startServer } from '../../scripts/serve.mjs';

const PKG_DIR = process.env.PKG_DIR ?? path.join(REPO, 'pkg');
const phone = uniquePhone();
let browser, tmp, headlessWasm;

before(async () => {
  await relaxLimits();
  browser = await launch();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-wasm-package-'));
});
after(async () => {
  await browser?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Opens `url` in a new page without cookies (each server has its own origin, so its own storage). */
async function open(url) {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(url);
  return { page, errors, requests };
}

test('bare <script type="module"> page (www/sms/): sign-up, sign-out, phone-code sign-in', async () => {
  const { server, url } = await serveDemo();
  try {
    const { page, errors, requests } = await open(`${url}/sms/`);
    await page.waitForSelector('body[data-state="signed-out"]', { timeout: 15000 });
    // The page is plain HTML with one module script that imports the package by URL.
    const scripts = await page.$$eval('script', (s) => s.map((x) => ({ type: x.type, src: x.getAttribute('src') })));
    assert.deepEqual(scripts, [{ type: 'module', src: '/otp.js' }]);
    assert.match(fs.readFileSync(path.join(REPO, 'www/otp.js'), 'utf8'), /^import \{ Clerk \} from '\/pkg\/index\.js';$/m);
    assert.ok(requests.includes('/pkg/index.js') && requests.includes('/pkg/clerk_wasm_bg.wasm'), requests.join(' '));

    let since = Date.now();
    await page.fill('#sign-up-phone', phone);
    await page.click('#sign-up-form button');
    await page.waitForSelector('#verifying:not([hidden])');
    await page.fill('#code', await waitForCode(phone, { since }));
    await page.click('#verify-button');
    await page.waitForSelector('body[data-state="signed-in"]');
    await page.click('#sign-out');
    await page.waitForSelector('body[data-state="signed-out"]');

    since = Date.now();
    await page.fill('#sign-in-phone', phone);
    await page.click('#sign-in-form button');
    await page.waitForSelector('#sign-in-verifying:not([hidden])');
    await page.fill('#sign-in-code', await waitForCode(phone, { since }));
    await page.click('#sign-in-verifying button');
    await page.waitForSelector('body[data-state="signed-in"]');
    assert.equal(await page.textContent('#user-phone'), phone);
    assert.match(await page.textContent('#user-id'), /^user_/);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    server.close();
  }
});

const APP_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="UTF-8" /><title>clerk-wasm in a Vite app</title></head>
<body>
  <form id="phone-form"><input id="phone" name="phone" /><button>Send code</button></form>
  <form id="code-form" hidden><input id="code" name="code" /><button>Verify</button></form>
  <p id="user"></p><p id="error"></p>
  <script type="module" src="/main.js"></script>
</body>
</html>
`;

// Seed 001's sign-in, as an application module importing the package by name.
const APP_MAIN = `import { Clerk, isClerkAPIResponseError, version } from 'clerk-wasm';

const $ = (id) => document.getElementById(id);
const { publishable_key } = await (await fetch('/emulator.json')).json();
const clerk = new Clerk(publishable_key);
await clerk.load();
const show = () => {
  $('user').textContent = clerk.user ? clerk.user.id + ' ' + clerk.user.primaryPhoneNumber?.phoneNumber : '';
  document.body.dataset.state = clerk.user ? 'signed-in' : 'signed-out';
};
clerk.addListener(show);
document.body.dataset.version = version();

$('phone-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    const { signIn } = clerk.client;
    const { supportedFirstFactors } = await signIn.create({ identifier: $('phone').value });
    const factor = supportedFirstFactors.find((f) => f.strategy === 'phone_code');
    await signIn.prepareFirstFactor({ strategy: 'phone_code', phoneNumberId: factor.phoneNumberId });
    $('phone-form').hidden = true;
    $('code-form').hidden = false;
  } catch (err) {
    $('error').textContent = isClerkAPIResponseError(err) ? err.errors[0].longMessage : String(err);
  }
});

$('code-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    const attempt = await clerk.client.signIn.attemptFirstFactor({ strategy: 'phone_code', code: $('code').value });
    if (attempt.status === 'complete') await clerk.setActive({ session: attempt.createdSessionId });
  } catch (err) {
    $('error').textContent = isClerkAPIResponseError(err) ? err.errors[0].longMessage : String(err);
  }
});
`;

// The forms entry: a mounted sign-in form styled by the package's CSS.
const UI_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="UTF-8" /><title>clerk-wasm/ui in a Vite app</title></head>
<body>
  <main><div id="sign-in"></div><p id="user"></p></main>
  <script type="module" src="/ui-main.js"></script>
</body>
</html>
`;

const UI_MAIN = `import { Clerk, version } from 'clerk-wasm/ui';
import 'clerk-wasm/clerk-wasm.css';

const { publishable_key } = await (await fetch('/emulator.json')).json();
const clerk = new Clerk(publishable_key);
await clerk.load();
clerk.mountSignIn(document.getElementById('sign-in'));
clerk.addListener(({ user }) => {
  document.getElementById('user').textContent = user ? user.id + ' ' + user.primaryPhoneNumber?.phoneNumber : '';
  document.body.dataset.state = user ? 'signed-in' : 'signed-out';
});
document.body.dataset.version = version();
`;

test('npm pack → npm install of the tarball in a Vite app → vite build → phone-code sign-in (headless and clerk-wasm/ui)', async () => {
  // The tarball.
  const packDir = path.join(tmp, 'pack');
  fs.mkdirSync(packDir);
  const packed = JSON.parse(execFileSync('npm', ['pack', PKG_DIR, '--pack-destination', packDir, '--json', '--silent'], { encoding: 'utf8' }));
  const tarball = path.join(packDir, packed[0].filename);
  const files = packed[0].files.map((f) => f.path).sort();
  for (const f of ['package.json', 'index.js', 'index.d.ts', 'clerk_wasm_bg.wasm', 'README.md',
    'ui/index.js', 'ui/index.d.ts', 'ui/clerk_wasm_bg.wasm', 'clerk-wasm.css', 'script.js']) {
    assert.ok(files.includes(f), `the tarball has ${f}: ${files.join(' ')}`);
  }
  // The release entries carry their glue and snippets bundled in (build-pkg.sh): nothing else to load.
  assert.deepEqual(files.filter((f) => f.endsWith('.js')).sort(), ['index.js', 'script.js', 'ui/index.js']);
  // The shipped .wasm names no directory of the machine that built it (build-pkg.sh remaps the
  // cargo home in panic locations; only the toolchain's own `/rustc/<commit>/library/…` remain).
  for (const w of ['clerk_wasm_bg.wasm', 'ui/clerk_wasm_bg.wasm']) {
    const text = fs.readFileSync(path.join(PKG_DIR, w)).toString('latin1');
    for (const dir of [`${os.homedir()}/`, `${REPO}/`, '.cargo/registry']) {
      assert.ok(!text.includes(dir), `${w} names the build machine's ${dir}`);
    }
  }

  // A fresh app that depends on the tarball.
  const app = path.join(tmp, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'vite-app', private: true, type: 'module' }, null, 2));
  fs.writeFileSync(path.join(app, 'index.html'), APP_HTML);
  fs.writeFileSync(path.join(app, 'main.js'), APP_MAIN);
  fs.writeFileSync(path.join(app, 'ui.html'), UI_HTML);
  fs.writeFileSync(path.join(app, 'ui-main.js'), UI_MAIN);
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', tarball], { cwd: app, stdio: 'pipe' });
  const installed = JSON.parse(fs.readFileSync(path.join(app, 'node_modules/clerk-wasm/package.json'), 'utf8'));
  assert.equal(installed.name, 'clerk-wasm');
  assert.match(JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8')).dependencies['clerk-wasm'], /^file:.*\.tgz$/);

  // vite build (top-level await needs an es2022 target).
  const dist = path.join(app, 'dist');
  const warnings = [];
  await build({
    root: app, logLevel: 'warn', configFile: false,
    build: {
      outDir: dist, target: 'es2022',
      rollupOptions: {
        input: { main: path.join(app, 'index.html'), ui: path.join(app, 'ui.html') },
        onwarn: (w) => warnings.push(w.message),
      },
    },
  });
  // A user's build stays quiet: e.g. no "ui is not exported" for the headless entry.
  assert.deepEqual(warnings, [], 'the bundler warned about the package');
  const assets = fs.readdirSync(path.join(dist, 'assets'));
  assert.equal(assets.filter((f) => f.endsWith('.wasm')).length, 2, `vite emitted both .wasm files: ${assets.join(' ')}`);
  assert.ok(assets.some((f) => f.endsWith('.js')), `vite emitted a bundle: ${assets.join(' ')}`);
  assert.ok(assets.some((f) => f.endsWith('.css')), `vite emitted clerk-wasm.css: ${assets.join(' ')}`);
  assert.ok(!fs.readFileSync(path.join(dist, 'index.html'), 'utf8').includes('clerk-wasm\''), 'the bare specifier was bundled');
  const wasmOf = (reqs) => reqs.filter((p) => p.startsWith('/assets/') && p.endsWith('.wasm'));

  // Served from dist/ alone (no /pkg mount), plus the emulator's key at /emulator.json.
  const cfg = await emulatorConfig();
  const { server, url } = await startServer({ root: dist, emulatorUrl: cfg.frontend_api, emulatorKey: cfg.publishable_key });
  try {
    const { page, errors, requests } = await open(`${url}/`);
    await page.waitForSelector('body[data-state="signed-out"]', { timeout: 15000 });
    assert.equal(await page.getAttribute('body', 'data-version'), installed.version);
    assert.ok(!requests.some((p) => p.startsWith('/pkg/')), 'nothing comes from /pkg');
    assert.equal(wasmOf(requests).length, 1, `one .wasm: ${requests.join(' ')}`);
    headlessWasm = wasmOf(requests)[0];
    const since = Date.now();
    await page.fill('#phone', phone);
    await page.click('#phone-form button');
    await page.waitForSelector('#code-form:not([hidden])');
    await page.fill('#code', await waitForCode(phone, { since }));
    await page.click('#code-form button');
    await page.waitForSelector('body[data-state="signed-in"]');
    assert.match(await page.textContent('#user'), new RegExp(`^user_\\w+ \\${phone}$`));
    assert.equal(await page.textContent('#error'), '');
    await screenshot(page, 'vite-app-signed-in');
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    server.close();
  }

  // The clerk-wasm/ui page, on a server of its own (a fresh origin: signed out).
  const ui = await startServer({ root: dist, emulatorUrl: cfg.frontend_api, emulatorKey: cfg.publishable_key });
  try {
    const { page, errors, requests } = await open(`${ui.url}/ui.html`);
    await page.waitForSelector('body[data-state="signed-out"]', { timeout: 15000 });
    await page.waitForSelector('#sign-in .cw-input');
    assert.equal(await page.getAttribute('body', 'data-version'), installed.version);
    // Its own .wasm (the ui build), not the headless one; the package's CSS applies.
    assert.equal(wasmOf(requests).length, 1, `one .wasm: ${requests.join(' ')}`);
    assert.notEqual(wasmOf(requests)[0], headlessWasm, 'the ui page loads the ui build\'s .wasm');
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('#sign-in .cw-root')).getPropertyValue('--cw-accent').trim()), '#4338ca');
    await page.click('#sign-in [data-cw=switch]');
    const since = Date.now();
    await page.fill('#sign-in .cw-input', phone);
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('#sign-in input[autocomplete="one-time-code"]');
    await page.fill('#sign-in .cw-input', await waitForCode(phone, { since }));
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('body[data-state="signed-in"]');
    assert.match(await page.textContent('#user'), new RegExp(`^user_\\w+ \\${phone}$`));
    assert.match(await page.textContent('#sign-in'), /You are signed in/);
    await screenshot(page, 'vite-app-ui-signed-in');
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    ui.server.close();
  }
});
