#!/usr/bin/env node
// Email-link measurements against a running emulator, through the demo pages
// (www/email-link-sign-up/ waiting, www/verify/ landing) in headless Chromium:
//   - click → resolve latency when the link is opened in another tab of the same
//     browser (BroadcastChannel) and on "another device" (a second browser profile),
//   - polls per minute while waiting,
//   - requests after cancelEmailLinkFlow().
// Usage: CLERK_EMULATOR_URL=http://127.0.0.1:PORT PKG_DIR=/tmp/pkg node scripts/bench-email-link.mjs [runs]
// The same helpers back tests/e2e/email-link.test.mjs.
import { launch, serveDemo } from '../tests/e2e/lib/harness.mjs';
import { waitForMessage, relaxLimits, uniqueEmail } from '../tests/e2e/lib/emulator.mjs';
import { EMULATOR } from '../tests/e2e/lib/harness.mjs';

export const requestLog = async () => (await fetch(`${EMULATOR}/__emulator/requests`)).json();
export const clearRequests = () => fetch(`${EMULATOR}/__emulator/requests/clear`, { method: 'POST' });

/** Opens the sign-up page in `context` (cookies cleared first, so it starts signed
 * out on a new dev-browser client), asks for a link; returns {page, email, link}. */
export async function startSignUp(context, url) {
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(`${url}/email-link-sign-up/`);
  await page.waitForSelector('body[data-state="signed-out"]', { timeout: 15000 });
  const email = uniqueEmail('bench');
  const since = Date.now();
  await page.fill('#email', email);
  await page.click('#start button');
  await page.waitForSelector('body[data-state="waiting"]');
  const msg = await waitForMessage(email, { since });
  return { page, email, link: msg.link };
}

/** Opens `link` in a new tab of `context`; returns {landing, clickAt, outcome}. */
export async function openLink(context, link) {
  const landing = await context.newPage();
  const clickAt = Date.now();
  await landing.goto(link);
  await landing.waitForSelector('body[data-outcome]', { timeout: 15000 });
  const outcome = await landing.getAttribute('body', 'data-outcome');
  return { landing, clickAt, outcome };
}

/** Waits for the waiting page to resolve; returns its `Date.now()` at resolve. */
export async function resolvedAt(page) {
  await page.waitForFunction(() => window.__resolvedAt, null, { timeout: 15000 });
  return page.evaluate(() => window.__resolvedAt);
}

/** GET polls of sign-ups in the request log. */
export const pollsOf = (log) => log.filter((r) => r.method === 'GET' && /\/v1\/client\/sign_ups\//.test(r.path));

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `mean ${mean.toFixed(0)} ms, min ${s[0]} ms, max ${s[s.length - 1]} ms (n=${s.length})`;
};

async function main() {
  const runs = Number(process.argv[2] ?? 5);
  await relaxLimits();
  const { server, url } = await serveDemo();
  const a = await launch();
  const b = await launch(); // "another device": its own profile, cookies and client
  try {
    const same = []; const sameAnnounce = []; const other = [];
    for (let i = 0; i < runs; i += 1) {
      let w = await startSignUp(a.context, url);
      let l = await openLink(a.context, w.link);
      const t = await resolvedAt(w.page);
      same.push(t - l.clickAt);
      sameAnnounce.push(t - (await l.landing.evaluate(() => window.__landedAt)));
      await w.page.close(); await l.landing.close();
      w = await startSignUp(a.context, url);
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 800)); // random phase vs the 1 s poll
      l = await openLink(b.context, w.link);
      other.push((await resolvedAt(w.page)) - l.clickAt);
      await w.page.close(); await l.landing.close();
    }
    // Polls per minute (10 s sample ×6) and requests after cancel.
    const w = await startSignUp(a.context, url);
    await clearRequests();
    await new Promise((r) => setTimeout(r, 10000));
    const perMinute = pollsOf(await requestLog()).length * 6;
    await w.page.click('#cancel');
    await clearRequests();
    await new Promise((r) => setTimeout(r, 5000));
    const after = (await requestLog()).length;
    console.log('email-link measurements (clerk-wasm, emulator on loopback, headless Chromium)');
    console.log(`  same browser, click → resolve:            ${stats(same)}`);
    console.log(`  same browser, landing script → resolve:   ${stats(sameAnnounce)}`);
    console.log(`  other device, click → resolve:            ${stats(other)}`);
    console.log(`  polls per minute while waiting:           ${perMinute}`);
    console.log(`  requests in the 5 s after cancel:         ${after}`);
    console.log('  ClerkJS reference: 1 s polling (≈60/min), ≈0.5 s mean click → resolve, promise never settles on cancel');
  } finally {
    await a.close(); await b.close(); server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => { console.error(e); process.exit(1); });
}
