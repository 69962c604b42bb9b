// The demo page loads the wasm package in Chromium and reaches the emulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { launch, serveDemo, screenshot } from './lib/harness.mjs';

test('the demo page loads the WebAssembly module and sees the emulator', async () => {
  const { server, url } = await serveDemo();
  const { context, close } = await launch();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}/`);
    await page.waitForSelector('body[data-ready]', { timeout: 15000 });
    assert.equal(await page.getAttribute('body', 'data-ready'), 'true', await page.textContent('#status'));
    assert.match(await page.textContent('#sdk-version'), /^\d+\.\d+\.\d+/);
    assert.match(await page.textContent('#emulator'), /^clerk-emulator /);
    assert.equal(await page.evaluate(() => navigator.webdriver), false);
    const shot = await screenshot(page, 'demo-index');
    assert.ok(fs.statSync(shot).size > 1000);
    assert.deepEqual(errors, []);
  } finally {
    await close();
    server.close();
  }
});
