#!/usr/bin/env node
// Emulator throughput benchmark (not a test): a load generator in its own
// process, over loopback, against a running clerk-emulator. Two phases:
//
//   GET  /v1/client            a signed-in client (its session carries a
//                              last_active_token: tokens are minted)
//   POST /v1/client/sign_ins   sign-in create for a known identifier on a
//                              signed-out client (a write per request)
//   POST …/sessions/{id}/tokens  (informational) a fresh RS256 token per
//                              request: what RSA signing costs
//
// Each phase: CONNS keep-alive connections, each sending its next request as
// soon as the previous answered, for DURATION seconds after a WARMUP. Prints
// requests/s and p50/p90/p99 latency per phase (and the errors, which must be 0).
//
//   scripts/bench-emulator.sh                       builds a release emulator, starts it, runs this
//   CLERK_EMULATOR_URL=http://127.0.0.1:PORT node scripts/bench-emulator.mjs [--conns 32] [--duration 5]
//
// Set-up goes through the control API: the per-IP rate limits, the resend
// throttle and the per-identifier cap are switched off (they would answer 429
// to a load generator), and restored afterwards.
import http from 'node:http';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const BASE = process.env.CLERK_EMULATOR_URL;
if (!BASE) {
  console.error('CLERK_EMULATOR_URL is not set: run scripts/bench-emulator.sh (or start an emulator and set it)');
  process.exit(2);
}
const CONNS = Number(arg('conns', process.env.BENCH_CONNS ?? 16));
const DURATION = Number(arg('duration', process.env.BENCH_DURATION ?? 5));
const WARMUP = Number(arg('warmup', 1));
const ORIGIN = 'http://localhost:3000';
const Q = '__clerk_api_version=2026-08-20&_clerk_js_version=6.40.0';
const url = new URL(BASE);
const agent = new http.Agent({ keepAlive: true, maxSockets: CONNS, maxFreeSockets: CONNS });

/** One HTTP request; resolves {status, headers, body}. */
function request(method, path, { cookie, form, json } = {}) {
  return new Promise((resolve, reject) => {
    const headers = { origin: ORIGIN };
    let body = null;
    if (form) {
      body = new URLSearchParams(form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (json) {
      body = JSON.stringify(json);
      headers['content-type'] = 'application/json';
      delete headers.origin;
    }
    if (body !== null) headers['content-length'] = Buffer.byteLength(body);
    if (cookie) headers.cookie = cookie;
    const req = http.request({ host: url.hostname, port: url.port, path, method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (body !== null) req.write(body);
    req.end();
  });
}

const cookieOf = (res) => (res.headers['set-cookie'] ?? [])
  .map((c) => c.split(';')[0]).find((c) => c.startsWith('__client=') && c !== '__client=');
const control = async (method, route, json) => {
  const r = await request(method, `/__emulator/${route}`, { json });
  if (r.status !== 200) throw new Error(`${method} /__emulator/${route}: ${r.status} ${r.body}`);
  return JSON.parse(r.body.toString());
};
const parse = (r) => JSON.parse(r.body.toString());

/** Signs up `email` (email code) on a fresh client; returns the signed-in client's cookie. */
async function signUp(email) {
  let r = await request('POST', `/v1/client/sign_ups?${Q}`, { form: { email_address: email, strategy: 'email_code' } });
  if (r.status !== 200) throw new Error(`sign-up: ${r.status} ${r.body}`);
  let cookie = cookieOf(r);
  const id = parse(r).response.id;
  const inbox = await control('GET', `inbox?to=${encodeURIComponent(email)}`);
  r = await request('POST', `/v1/client/sign_ups/${id}/attempt_verification?${Q}`,
    { cookie, form: { strategy: 'email_code', code: inbox[0].code } });
  const done = parse(r);
  if (r.status !== 200 || done.response.status !== 'complete') throw new Error(`attempt: ${r.status} ${r.body}`);
  // The client's token rotates when the session is created.
  return { cookie: cookieOf(r) ?? cookie, session: done.response.created_session_id };
}

function percentile(sorted, p) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.round((sorted.length - 1) * p))];
}

/** Runs CONNS loops of `send(i)` for WARMUP + DURATION seconds; stats of the timed part. */
async function phase(name, send, check) {
  const lat = [];
  let errors = 0;
  let firstError = null;
  const t0 = performance.now();
  const start = t0 + WARMUP * 1000;
  const end = start + DURATION * 1000;
  const loops = Array.from({ length: CONNS }, async (_, i) => {
    for (;;) {
      const t = performance.now();
      if (t >= end) return;
      let ok = false;
      try {
        const r = await send(i);
        ok = check(r);
        if (!ok && !firstError) firstError = `${r.status} ${r.body.toString().slice(0, 200)}`;
      } catch (e) {
        if (!firstError) firstError = String(e);
      }
      const done = performance.now();
      if (t >= start && done <= end + 1000) {
        lat.push(done - t);
        if (!ok) errors += 1;
      }
    }
  });
  await Promise.all(loops);
  lat.sort((a, b) => a - b);
  const rps = lat.length / DURATION;
  const row = {
    name, conns: CONNS, secs: DURATION, requests: lat.length, rps: Math.round(rps),
    p50: percentile(lat, 0.5).toFixed(2), p90: percentile(lat, 0.9).toFixed(2),
    p99: percentile(lat, 0.99).toFixed(2), max: (lat[lat.length - 1] ?? 0).toFixed(1), errors,
  };
  console.log(`bench: ${name}: ${row.requests} req in ${DURATION} s = ${row.rps} req/s, `
    + `p50 ${row.p50} ms, p90 ${row.p90} ms, p99 ${row.p99} ms, max ${row.max} ms, ${errors} errors`
    + (firstError ? ` (first: ${firstError})` : ''));
  return row;
}

const before = (await control('GET', 'config')).config;
try {
  await control('PATCH', 'config', {
    rate_limits: { sign_in_create: 0, sign_up_create: 0, attempts: 0, prepare: 0, dev_browser: 0 },
    resend_throttle_secs: 0, identifier_codes_per_hour: 0,
  });
} catch {
  // An emulator from before these keys existed (to measure a baseline).
  await control('PATCH', 'config', {
    rate_limits: { sign_in_create: 0, sign_up_create: 0, attempts: 0 }, resend_throttle_secs: 0,
  });
}
try {
  const tag = Date.now().toString(36);
  const email = `bench-${tag}@example.com`;
  // One signed-in client per connection (each has its own session and token).
  const signedIn = [];
  signedIn.push(await signUp(email));
  for (let i = 1; i < CONNS; i++) signedIn.push(await signUp(`bench-${tag}-${i}@example.com`));
  // One signed-out client per connection, for sign-in creates.
  const signedOut = [];
  for (let i = 0; i < CONNS; i++) {
    const r = await request('POST', `/v1/client?${Q}`, { form: {} });
    signedOut.push(cookieOf(r));
  }
  console.log(`bench: ${BASE}, ${CONNS} connections, ${WARMUP} s warm-up + ${DURATION} s per phase`);
  const rows = [];
  rows.push(await phase('GET /v1/client (signed in)',
    (i) => request('GET', `/v1/client?${Q}`, { cookie: signedIn[i].cookie }),
    (r) => r.status === 200 && parse(r).response?.sessions?.[0]?.last_active_token?.jwt !== undefined));
  rows.push(await phase('POST /v1/client/sign_ins',
    (i) => request('POST', `/v1/client/sign_ins?${Q}`, { cookie: signedOut[i], form: { identifier: email } }),
    (r) => r.status === 200 && parse(r).response?.status === 'needs_first_factor'));
  if (!process.argv.includes('--no-tokens')) {
    rows.push(await phase('POST /v1/client/sessions/{id}/tokens',
      (i) => request('POST', `/v1/client/sessions/${signedIn[i].session}/tokens?${Q}`, { cookie: signedIn[i].cookie, form: {} }),
      (r) => r.status === 200 && typeof parse(r).jwt === 'string'));
  }
  console.log('\n| endpoint | conns | req/s | p50 ms | p90 ms | p99 ms | errors |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.conns} | ${r.rps} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.errors} |`);
  if (rows.some((r) => r.errors > 0)) process.exitCode = 1;
} finally {
  await control('PATCH', 'config', before);
  agent.destroy();
}
