// Shared set-up for the end-to-end tests: Debian's Chromium through playwright-core
// (never a downloaded browser), the static server for www/ + pkg/, and the emulator
// that `make test` started (CLERK_EMULATOR_URL).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../../scripts/serve.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const ARTIFACTS = path.join(REPO, 'tests/e2e/artifacts');
export const EMULATOR = process.env.CLERK_EMULATOR_URL;
if (!EMULATOR) throw new Error('CLERK_EMULATOR_URL is not set: run through `make test`');

/** Flags that keep Chromium off the (closed) network and hide the automation flag. */
export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--disable-blink-features=AutomationControlled',
];

/** Launches Debian's Chromium with a fresh profile; returns a persistent context. */
export async function launch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-wasm-e2e-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: ['--enable-automation'],
  });
  const close = async () => { await context.close(); fs.rmSync(dir, { recursive: true, force: true }); };
  return { context, close };
}

/** The emulator's config: {publishable_key, frontend_api, instance_type}. */
export async function emulatorConfig() {
  return (await fetch(`${EMULATOR}/__emulator/config`)).json();
}

/** Serves www/ at /, the built package at /pkg (`pkgDir`, else PKG_DIR: headless at
 *  /pkg/index.js, forms at /pkg/ui/index.js). */
export async function serveDemo({ pkgDir } = {}) {
  const cfg = await emulatorConfig();
  return startServer({
    root: path.join(REPO, 'www'),
    mounts: {
      '/pkg': pkgDir ?? process.env.PKG_DIR ?? path.join(REPO, 'pkg'),
    },
    emulatorUrl: cfg.frontend_api,
    emulatorKey: cfg.publishable_key,
  });
}

/** Saves a screenshot under tests/e2e/artifacts/ and returns its path. */
export async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Launches Debian's Chromium as a browser of its own, for tests that need several isolated
 *  contexts (cookie jars) at once: `browser.newContext()`. */
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: ['--enable-automation'],
  });
  return { browser, close: () => browser.close() };
}
