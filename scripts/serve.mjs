#!/usr/bin/env node
// A small static server for the demo pages and the end-to-end tests.
//   /            → www/ (the demo pages)
//   /pkg/...     → the built npm package (PKG_DIR, default ./pkg): the headless entry at
//                  /pkg/index.js, the forms at /pkg/ui/index.js, /pkg/clerk-wasm.css, /pkg/script.js
//   In .html files, __CLERK_PUBLISHABLE_KEY__ is replaced by the emulator's key (www/script-tag/).
//   /emulator.json → {frontend_api, publishable_key, inbox} of the running emulator
// Node's own http module only: no dependency, so `make demo` works before any npm install.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ts': 'text/plain; charset=utf-8', '.map': 'application/json',
};

/**
 * Starts the server. Resolves to {server, url}.
 * @param {{root: string, mounts?: Record<string,string>, emulatorUrl?: string, emulatorKey?: string, port?: number, host?: string}} opts
 */
export function startServer({ root, mounts = {}, emulatorUrl, emulatorKey, port = 0, host = '127.0.0.1' }) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let pathname = decodeURIComponent(url.pathname);
    if (pathname === '/emulator.json') {
      const body = JSON.stringify({
        frontend_api: emulatorUrl ?? null,
        publishable_key: emulatorKey ?? null,
        inbox: emulatorUrl ? `${emulatorUrl}/__emulator/` : null,
      });
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return res.end(body);
    }
    let base = root;
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (pathname === prefix || pathname.startsWith(prefix + '/')) {
        base = dir; pathname = pathname.slice(prefix.length) || '/'; break;
      }
    }
    let file = path.join(base, path.normalize(pathname));
    if (!file.startsWith(path.resolve(base))) { res.writeHead(403); return res.end(); }
    try {
      if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      let data = fs.readFileSync(file);
      if (file.endsWith('.html') && emulatorKey) {
        data = data.toString().replaceAll('__CLERK_PUBLISHABLE_KEY__', emulatorKey);
      }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(data);
    } catch {
      // No favicon in www/: an empty answer, not a 404 in every page's console.
      if (pathname === '/favicon.ico') { res.writeHead(204); return res.end(); }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: p } = server.address();
      resolve({ server, url: `http://${host}:${p}` });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const { url } = await startServer({
    root: path.resolve(arg('root', path.join(repo, 'www'))),
    mounts: {
      '/pkg': path.resolve(arg('pkg', process.env.PKG_DIR ?? path.join(repo, 'pkg'))),
    },
    emulatorUrl: arg('emulator', process.env.EMU_URL),
    emulatorKey: arg('key', process.env.EMU_KEY),
    port: Number(arg('port', 8080)),
  });
  console.log(`Demo: ${url}/`);
}
