// Helpers for the ClerkJS conformance suite (tests/e2e/conformance.test.mjs):
// emulator control, the inbox, JWT verification against the JWKS, and the
// request-sequence fixtures in tests/fixtures/clerkjs/.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from '../lib/harness.mjs';

export const FIXTURES = path.join(REPO, 'tests/fixtures/clerkjs');
export const CLERKJS_DIST = path.join(REPO, 'tests/e2e/node_modules/@clerk/clerk-js/dist');
export const PAGE_DIR = path.join(REPO, 'tests/e2e/conformance/page');
export const UPDATE = process.env.UPDATE_FIXTURES === '1';

/** JSON control call on the emulator. */
export async function control(base, method, route, body) {
  const res = await fetch(`${base}/__emulator/${route}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} /__emulator/${route}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until `fn()` returns a truthy value (polling every `every` ms). */
export async function waitFor(what, fn, { timeout = 15000, every = 50 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(every);
  }
}

/**
 * The inbox of one address: `next(field)` waits for a message that was not
 * there when the mailbox was opened (nor returned before) and gives its
 * `code` or `link`.
 */
export async function mailbox(base, to) {
  const seen = new Set();
  for (const m of await control(base, 'GET', `inbox?to=${encodeURIComponent(to)}`)) seen.add(m.id);
  return {
    async next(field) {
      const msg = await waitFor(`a message to ${to}`, async () => {
        const list = await control(base, 'GET', `inbox?to=${encodeURIComponent(to)}`);
        return list.find((m) => !seen.has(m.id) && m[field]);
      });
      for (const m of await control(base, 'GET', `inbox?to=${encodeURIComponent(to)}`)) seen.add(m.id);
      assert.equal(msg.to.toLowerCase(), to.toLowerCase());
      return msg[field];
    },
  };
}

/** A 6-digit code that is not `code`. */
export function wrongCode(code) {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

const b64url = (s) => Buffer.from(s, 'base64url');

/**
 * Verifies an RS256 session JWT against the emulator's JWKS and returns its
 * claims; asserts the header, the signature and the time claims.
 */
export async function verifyJwt(base, jwt) {
  const parts = jwt.split('.');
  assert.equal(parts.length, 3, 'a JWT has three parts');
  const header = JSON.parse(b64url(parts[0]).toString());
  const claims = JSON.parse(b64url(parts[1]).toString());
  assert.equal(header.alg, 'RS256');
  const jwks = await (await fetch(`${base}/.well-known/jwks.json`)).json();
  const jwk = jwks.keys.find((k) => !header.kid || k.kid === header.kid);
  assert.ok(jwk, `no JWKS key for kid ${header.kid}`);
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  const ok = crypto.verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), key, b64url(parts[2]));
  assert.ok(ok, 'the JWT signature verifies against /.well-known/jwks.json');
  // A tampered payload must not verify (proves the check is real).
  const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'user_forged' })).toString('base64url');
  assert.equal(crypto.verify('RSA-SHA256', Buffer.from(`${parts[0]}.${forged}`), key, b64url(parts[2])), false);
  const now = Math.floor(Date.now() / 1000);
  assert.ok(claims.exp > now, `exp ${claims.exp} is in the future`);
  assert.ok(claims.iat <= now + 5 && claims.nbf <= now + 5, 'iat/nbf are not in the future');
  assert.equal(claims.exp - claims.iat, 60, 'session tokens live 60 s');
  return claims;
}

// ---------------------------------------------------------------------------
// Request-sequence fixtures

/** Ids in paths become placeholders named after their prefix: sia_… → {sia}. */
export function placeholders(p) {
  return p.replace(/\b(sia|sua|sess|idn|user|client|dvb|msg)_[A-Za-z0-9]+/g, '{$1}');
}

/** Paths ClerkJS polls during email-link flows (one GET per second). */
const POLL = /^\/v1\/(client\/sign_ins\/\{sia\}|client\/sign_ups\/\{sua\}|me\/email_addresses\/\{idn\})$/;

/**
 * Requests the suite itself makes: the email link opened "in the mail client"
 * and the JWKS fetched to verify tokens. They are not ClerkJS's, so they are
 * left out of the fixtures.
 */
const NOT_CLERKJS = new Set(['/v1/verify', '/.well-known/jwks.json']);

/**
 * Turns the emulator's request log into a fixture: `{method, path, form_keys,
 * query_keys, status}` per request, key names sorted, ids replaced; a run of
 * one or more identical poll GETs becomes one entry with `repeat: true`
 * (so the entry means "polled until the status changed"; the number of polls
 * depends on timing). The suite's own requests are left out.
 * `method` is the effective method; a tunnelled one has `_method` among the
 * query keys (ClerkJS sends it as POST).
 */
export function normalise(log) {
  const out = [];
  for (const r of log) {
    if (NOT_CLERKJS.has(r.path)) continue;
    const e = {
      method: r.effective_method,
      path: placeholders(r.path),
      form_keys: [...new Set(r.form_keys)].sort(),
      query_keys: [...new Set(r.query_keys)].sort(),
      status: r.status,
    };
    if (e.method === 'GET' && POLL.test(e.path)) {
      e.repeat = true;
      const prev = out[out.length - 1];
      if (prev && prev.repeat && JSON.stringify({ ...prev }) === JSON.stringify(e)) continue;
    }
    out.push(e);
  }
  // ClerkJS fetches the environment and the client concurrently while
  // loading, so they arrive in either order: list the environment first.
  for (let i = 0; i + 1 < out.length; i++) {
    if (out[i].path === '/v1/client' && out[i + 1].path === '/v1/environment') {
      [out[i], out[i + 1]] = [out[i + 1], out[i]];
    }
  }
  return out;
}

/** The live sequence of one flow, for one variant. */
export async function recorded(base) {
  return normalise(await control(base, 'GET', 'requests'));
}

/**
 * Collected sequences: flow → variant → sequence. `write()` stores them as
 * `<flow>.json` (the `dev` variant, i.e. the key the emulator prints) plus
 * `<flow>.<variant>.json` for each variant whose sequence differs from it.
 */
export class Fixtures {
  constructor() { this.flows = new Map(); }

  /** Records a sequence and, unless updating, asserts it equals the committed fixture. */
  check(flow, variant, seq) {
    if (!this.flows.has(flow)) this.flows.set(flow, new Map());
    this.flows.get(flow).set(variant, seq);
    if (UPDATE) return;
    const own = path.join(FIXTURES, `${flow}.${variant}.json`);
    const shared = path.join(FIXTURES, `${flow}.json`);
    const file = fs.existsSync(own) ? own : shared;
    assert.ok(fs.existsSync(file), `missing fixture ${path.relative(REPO, file)}: run with UPDATE_FIXTURES=1`);
    const want = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(seq, want, `ClerkJS's ${flow} sequence (${variant}) differs from ${path.relative(REPO, file)}`);
  }

  /** Writes the fixtures (UPDATE_FIXTURES=1). */
  write(variants) {
    fs.mkdirSync(FIXTURES, { recursive: true });
    for (const [flow, byVariant] of this.flows) {
      const base = byVariant.get('dev') ?? byVariant.get(variants.find((v) => byVariant.has(v)));
      const dump = (v) => JSON.stringify(v, null, 2) + '\n';
      fs.writeFileSync(path.join(FIXTURES, `${flow}.json`), dump(base));
      for (const v of variants) {
        const file = path.join(FIXTURES, `${flow}.${v}.json`);
        const seq = byVariant.get(v);
        if (seq && JSON.stringify(seq) !== JSON.stringify(base)) fs.writeFileSync(file, dump(seq));
        else fs.rmSync(file, { force: true });
      }
    }
  }
}
