// Loads the npm package the way a page without a bundler does, then asks the
// emulator's health endpoint how it is doing.
import { version } from '/pkg/index.js';

const $ = (id) => document.getElementById(id);
try {
  $('sdk-version').textContent = version();
  const cfg = await (await fetch('/emulator.json')).json();
  const health = await (await fetch(`${cfg.frontend_api}/__emulator/health`)).json();
  $('emulator').textContent = `${health.service} ${health.version} (${health.instance_type}) at ${cfg.frontend_api}`;
  $('inbox').href = cfg.inbox; $('inbox').textContent = cfg.inbox;
  $('status').textContent = 'WebAssembly module loaded.';
  document.body.dataset.ready = 'true';
} catch (err) {
  $('status').textContent = `Failed: ${err.message}`;
  document.body.dataset.ready = 'error';
}
