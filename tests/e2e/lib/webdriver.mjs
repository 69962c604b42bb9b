// A minimal W3C WebDriver client for geckodriver + Debian's firefox-esr: the handful of
// commands the Firefox end-to-end tests need. playwright-core only drives its own patched
// Firefox build (which may not be downloaded here), so Firefox is driven the standard way.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The element-reference key of the WebDriver spec. */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
/** WebDriver key codes. */
export const Keys = { ENTER: '\uE007', TAB: '\uE004' };

const freePort = () => new Promise((resolve, reject) => {
  const srv = net.createServer();
  srv.on('error', reject);
  srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
});

/** The geckodriver that scripts/install.sh put in the tools dir (GECKODRIVER overrides). */
export function geckodriverPath() {
  if (process.env.GECKODRIVER) return process.env.GECKODRIVER;
  const tools = process.env.CLERK_WASM_TOOLS ?? path.join(os.homedir(), '.cache/clerk-wasm-tools');
  return path.join(tools, 'bin/geckodriver');
}

/** Starts geckodriver and a headless Firefox session; returns a `Session`. */
export async function firefox({ binary = process.env.FIREFOX ?? '/usr/bin/firefox-esr' } = {}) {
  const port = await freePort();
  const driver = spawn(geckodriverPath(), ['--port', String(port), '--log', 'error'], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    try { if ((await fetch(`${base}/status`)).ok) break; } catch { /* not up yet */ }
    if (i > 100) { driver.kill(); throw new Error('geckodriver did not start'); }
    await new Promise((r) => setTimeout(r, 100));
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-wasm-ff-'));
  const caps = {
    capabilities: {
      alwaysMatch: {
        browserName: 'firefox',
        'moz:firefoxOptions': { binary, args: ['-headless', '-profile', profile], prefs: { 'network.dns.disableIPv6': true } },
      },
    },
  };
  const res = await (await fetch(`${base}/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(caps),
  })).json();
  if (!res.value?.sessionId) { driver.kill(); throw new Error(`no Firefox session: ${JSON.stringify(res.value)}`); }
  return new Session(`${base}/session/${res.value.sessionId}`, () => {
    driver.kill();
    fs.rmSync(profile, { recursive: true, force: true });
  });
}

/** One browser session. Every method throws on a WebDriver error. */
export class Session {
  constructor(url, cleanup) { this.url = url; this.cleanup = cleanup; }

  async cmd(method, route, body) {
    const res = await fetch(`${this.url}${route}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`WebDriver ${method} ${route}: ${json.value?.error}: ${json.value?.message}`);
    return json.value;
  }

  goto(url) { return this.cmd('POST', '/url', { url }); }
  /** Runs `fn` (a function) in the page with `args`; resolves to its (awaited) result. */
  run(fn, ...args) {
    return this.cmd('POST', '/execute/async', {
      script: `const done = arguments[arguments.length - 1];
        Promise.resolve((${fn}).apply(null, Array.from(arguments).slice(0, -1))).then(done, (e) => done({ __error: String(e) }));`,
      args,
    }).then((v) => { if (v && v.__error) throw new Error(v.__error); return v; });
  }
  /** Waits until `fn(...args)` is truthy in the page; returns its value. */
  async waitFor(fn, args = [], { timeout = 15000 } = {}) {
    const end = Date.now() + timeout;
    for (;;) {
      const v = await this.run(fn, ...args).catch(() => null);
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${fn}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  async find(css) {
    const v = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    const ref = v[ELEMENT];
    if (!ref) throw new Error(`no element reference for ${css}: ${JSON.stringify(v)}`);
    return ref;
  }
  async click(css) { return this.cmd('POST', `/element/${await this.find(css)}/click`, {}); }
  async type(css, text) { return this.cmd('POST', `/element/${await this.find(css)}/value`, { text }); }
  async clear(css) { return this.cmd('POST', `/element/${await this.find(css)}/clear`, {}); }
  /** Keys typed into whatever has focus (W3C actions). */
  async keys(text) {
    const actions = [...text].flatMap((c) => [{ type: 'keyDown', value: c }, { type: 'keyUp', value: c }]);
    await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.cmd('DELETE', '/actions');
  }
  async screenshot(file) { fs.writeFileSync(file, Buffer.from(await this.cmd('GET', '/screenshot'), 'base64')); }
  async close() { try { await this.cmd('DELETE', ''); } finally { this.cleanup(); } }
}
