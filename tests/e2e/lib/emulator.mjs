// The emulator's control API, for tests: inbox, config, request log.
import { EMULATOR } from './harness.mjs';

/** Waits for the newest inbox message to `to` created after `since` (ms). */
export async function waitForMessage(to, { since = 0, timeout = 10000 } = {}) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const res = await fetch(`${EMULATOR}/__emulator/inbox?to=${encodeURIComponent(to)}`);
    const list = await res.json();
    const msg = list.find((m) => m.created_at >= since);
    if (msg) return msg;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no message to ${to} within ${timeout} ms`);
}

/** The code of the newest message to `to` sent after `since`. */
export async function waitForCode(to, opts) {
  const msg = await waitForMessage(to, opts);
  if (!msg.code) throw new Error(`message to ${to} has no code`);
  return msg.code;
}

/** PATCH /__emulator/config with a JSON subset of the instance config. */
export async function configure(patch) {
  const res = await fetch(`${EMULATOR}/__emulator/config`, {
    method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch),
  });
  if (!res.ok) throw new Error(`PATCH config: ${res.status} ${await res.text()}`);
}

/** Rate limits, the resend throttle and the per-identifier cap off, so many flows can run back to back. */
export const relaxLimits = () => configure({
  rate_limits: { sign_in_create: 0, sign_up_create: 0, attempts: 0, prepare: 0, dev_browser: 0 },
  resend_throttle_secs: 0, identifier_codes_per_hour: 0,
});

/** A unique E.164 test number and email address. */
let seq = 0;
export function uniquePhone() {
  seq += 1;
  return `+1555${String(Date.now() % 10000000).padStart(7, '0').slice(-5)}${String(seq % 100).padStart(2, '0')}`;
}
export function uniqueEmail(tag = 'user') {
  seq += 1;
  return `${tag}-${Date.now().toString(36)}-${seq}@example.com`;
}
