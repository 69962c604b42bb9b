// A programmable HTTP proxy in front of the emulator, for tests of the SDK under network
// faults (tests/e2e/faults.test.mjs). Real HTTP on loopback: the browser talks to it
// exactly as to the emulator, and it forwards requests, cookies and CORS headers as they
// are, until a rule says otherwise.
//
// Requests are grouped by *case*: a Clerk made with `proxyUrl: await proxy.caseUrl(id)`
// sends `/c/<id>/v1/...` to a port of the case's own, which the proxy forwards as `/v1/...`
// and logs under case `id`. A rule applies to one case (or `*`, every case) and to requests matching its
// method and path, for its next `times` matching requests (default 1; Infinity until
// `clear(case)`). Every faulted request is answered by the proxy alone: the emulator never
// sees it (except `wrong-ctype`, which forwards it).
//
// Faults (`fault` of a rule):
//   reset        the TCP connection is reset before any answer (ECONNRESET)
//   stall        no answer: held until the client gives up
//   status       `status` (500, 502, 503…) with an HTML body, as a gateway answers
//   429          429 with `Retry-After: <retryAfter>` (default 7) and Clerk's error envelope
//   malformed    200, `application/json`, a body that is not JSON
//   truncated    200, `Content-Length` 4096, 41 bytes of JSON, then the connection is cut
//   empty        200 with an empty body
//   wrong-ctype  forwarded; the real answer with `Content-Type: text/html`
//   nocors       200 JSON without any `Access-Control-*` header (the browser hides it)
//   offline      see `offline(case, ms)`: every request of the case is reset meanwhile
// Keep-alive is off (`Connection: close` on every answer) so that Chromium never resends a
// request on its own after a reset (it does so on reused connections), and each try the SDK
// makes is one connection here.
import http from 'node:http';

const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade']);

/** CORS headers as the emulator sends them to a loopback origin. */
function cors(req) {
  const origin = req.headers.origin;
  if (!origin) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'Clerk-Db-Jwt, Retry-After, x-country, Authorization',
    vary: 'Origin',
  };
}

const HTML = (status) => `<!DOCTYPE html>\n<html><head><title>${status} Bad Gateway</title></head>`
  + `<body><center><h1>${status} Error</h1></center><hr><center>nginx</center></body></html>\n`;

/**
 * Starts the proxy in front of `target` (the emulator's URL). Resolves to the proxy object.
 * @param {string} target
 */
export async function startFaultProxy(target) {
  const up = new URL(target);
  /** @type {{case: string, method?: string, path?: RegExp, fault: string, times: number, hits: number, [k: string]: any}[]} */
  let rules = [];
  /** case → Unix ms until which the case is offline. */
  const offlineUntil = new Map();
  /** Every request: {case, method, path, query, retry, at, fault, closedAt, status}. */
  const log = [];
  const sockets = new Set();
  const listeners = new Set();

  const servers = [];
  /** The handler of the server of case `fixed` (`null`: the case is read from the path). */
  const handler = (fixed) => (req, res) => {
    const u = new URL(req.url, 'http://x');
    let kase = fixed ?? '*';
    let path = u.pathname;
    const m = /^\/c\/([A-Za-z0-9_-]+)(\/.*)$/.exec(path);
    if (m) { kase = m[1]; path = m[2]; }
    const method = req.method;
    const entry = {
      case: kase, method, path, query: u.search,
      retry: Number(u.searchParams.get('_clerk_retry_attempt') ?? 0),
      effective: (u.searchParams.get('_method') ?? method).toUpperCase(),
      at: Date.now(), fault: null, closedAt: null, status: null,
    };
    log.push(entry);
    res.on('close', () => { entry.closedAt ??= Date.now(); });

    let rule = null;
    if (method !== 'OPTIONS') {
      if ((offlineUntil.get(kase) ?? 0) > Date.now() || (offlineUntil.get('*') ?? 0) > Date.now()) {
        rule = { fault: 'offline' };
      } else {
        rule = rules.find((r) => (r.case === kase || r.case === '*') && r.hits < r.times
          && (!r.method || r.method === entry.effective || r.method === method)
          && (!r.path || r.path.test(path)));
        if (rule) rule.hits += 1;
      }
    }
    entry.fault = rule?.fault ?? null;
    for (const l of listeners) l(entry);
    // Drain the request body before answering (a POST's urlencoded form).
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!rule) return forward(req, res, path + u.search, body, entry);
      answerFault(rule, req, res, path + u.search, body, entry);
    });
  };

  /** Starts a server for case `fixed` on a port of its own. */
  async function listen(fixed) {
    const server = http.createServer(handler(fixed));
    server.keepAliveTimeout = 1;
    server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    servers.push(server);
    return `http://127.0.0.1:${server.address().port}`;
  }

  function forward(req, res, pathAndQuery, body, entry, edit = (h) => h) {
    const headers = { ...req.headers, host: up.host };
    delete headers.connection;
    headers['content-length'] = String(body.length);
    const pr = http.request({
      host: up.hostname, port: up.port, method: req.method, path: pathAndQuery, headers,
    }, (up2) => {
      const out = [];
      for (let i = 0; i < up2.rawHeaders.length; i += 2) {
        const k = up2.rawHeaders[i];
        if (HOP.has(k.toLowerCase())) continue;
        out.push([k, up2.rawHeaders[i + 1]]);
      }
      const data = [];
      up2.on('data', (c) => data.push(c));
      up2.on('end', () => {
        const buf = Buffer.concat(data);
        let hs = edit(out.filter(([k]) => k.toLowerCase() !== 'content-length'));
        hs = [...hs, ['content-length', String(buf.length)], ['connection', 'close']];
        entry.status = up2.statusCode;
        if (res.destroyed) return;
        res.writeHead(up2.statusCode, hs.flat());
        res.end(buf);
      });
    });
    pr.on('error', () => { entry.status = 'upstream-error'; res.destroy(); });
    pr.end(body);
  }

  function send(res, entry, status, headers, body) {
    entry.status = status;
    if (res.destroyed) return;
    res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body), connection: 'close', 'cache-control': 'no-store' });
    res.end(body);
  }

  function answerFault(rule, req, res, pathAndQuery, body, entry) {
    const c = cors(req);
    switch (rule.fault) {
      case 'reset':
      case 'offline':
        entry.status = 'reset';
        req.socket.resetAndDestroy();
        return;
      case 'stall':
        entry.status = 'stalled';
        return; // held until the client aborts (req 'close' records when)
      case 'status':
        return send(res, entry, rule.status, { 'content-type': 'text/html; charset=utf-8', ...c }, HTML(rule.status));
      case '429':
        return send(res, entry, 429, {
          'content-type': 'application/json', 'retry-after': String(rule.retryAfter ?? 7), ...c,
        }, JSON.stringify({
          errors: [{
            code: 'too_many_requests', message: 'Too many requests',
            long_message: 'Too many requests. Please try again in a bit.', meta: {},
          }],
        }));
      case 'malformed':
        return send(res, entry, 200, { 'content-type': 'application/json', ...c },
          '{"response": {"object": "client", "id": "client_1"');
      case 'truncated': {
        entry.status = 'truncated';
        if (res.destroyed) return;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 4096, connection: 'close', ...c });
        res.write('{"response":{"object":"client","id":"cli');
        setTimeout(() => req.socket.destroy(), 30);
        return;
      }
      case 'empty':
        return send(res, entry, 200, { 'content-type': 'application/json', ...c }, '');
      case 'wrong-ctype':
        return forward(req, res, pathAndQuery, body, entry,
          (hs) => [...hs.filter(([k]) => k.toLowerCase() !== 'content-type'), ['content-type', 'text/html; charset=utf-8']]);
      case 'nocors':
        return send(res, entry, 200, { 'content-type': 'application/json' }, '{"response":null,"client":null}');
      default:
        throw new Error(`unknown fault ${rule.fault}`);
    }
  }

  const caseUrls = new Map();

  return {
    /** The `proxyUrl` of case `id`: a port of its own, so that the browser's six
     *  connections per host are the case's own (a stalled case holds some). */
    async caseUrl(id) {
      if (!caseUrls.has(id)) caseUrls.set(id, `${await listen(id)}/c/${id}`);
      return caseUrls.get(id);
    },
    /** Adds a rule: {case='*', method, path (RegExp), fault, times=1, ...fault options}. Returns it. */
    arm(rule) {
      const r = { case: '*', times: 1, ...rule, hits: 0 };
      rules.push(r);
      return r;
    },
    /** Removes the rules of `kase` (every rule without argument). */
    clear(kase) {
      rules = kase === undefined ? [] : rules.filter((r) => r.case !== kase);
      if (kase === undefined) offlineUntil.clear(); else offlineUntil.delete(kase);
    },
    /** Every request of `kase` (`*`: all cases) is reset for `ms` from now. */
    offline(kase, ms) { offlineUntil.set(kase, Date.now() + ms); },
    /** The log entries of `kase`. */
    requests: (kase) => log.filter((e) => e.case === kase),
    /** Resolves with the first request matching `pred` logged from now on. */
    next(pred, { timeout = 15000 } = {}) {
      return new Promise((resolve, reject) => {
        const l = (e) => { if (pred(e)) { listeners.delete(l); clearTimeout(t); resolve(e); } };
        const t = setTimeout(() => { listeners.delete(l); reject(new Error('no such request in time')); }, timeout);
        listeners.add(l);
      });
    },
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((srv) => new Promise((r) => srv.close(r))));
    },
  };
}
