// Issue 6: the mountable forms (the package's `clerk-wasm/ui` entry, served at
// /pkg/ui/) used as a person would, in Chromium: www/components/ (seed 000's
// mountSignIn / mountSignUp / openSignIn, under a strict CSP with Trusted Types) and www/script-tag/. Every step is checked
// with axe-core (0 violations) and saved as a screenshot in tests/e2e/artifacts/ui-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, serveDemo, screenshot, REPO, EMULATOR } from './lib/harness.mjs';
import {
  waitForCode, waitForMessage, relaxLimits, configure, uniquePhone, uniqueEmail,
} from './lib/emulator.mjs';

const AXE = path.join(REPO, 'tests/e2e/node_modules/axe-core/axe.min.js');
const AXE_SOURCE = fs.readFileSync(AXE, 'utf8');

let server, url, browser;
before(async () => {
  await relaxLimits();
  ({ server, url } = await serveDemo());
  browser = await launch();
});
after(async () => { await browser?.close(); server?.close(); });

/** Opens a page (a path of the demo server or an absolute URL, in `context`, default the
 *  main browser); collects page errors and CSP violations, and the paths it requested. */
async function open(pagePath, { fakeClock = false, context = browser.context } = {}) {
  const page = await context.newPage();
  if (fakeClock) await page.clock.install();
  const problems = [];
  const requests = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  await page.goto(/^https?:/.test(pagePath) ? pagePath : `${url}${pagePath}`);
  await page.waitForSelector('body[data-state]', { timeout: 20000 });
  return { page, problems, requests };
}

let shots = 0;
/** axe-core: 0 violations on the page as it is now; then a screenshot. */
async function check(page, name) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    // Evaluated through the DevTools protocol: the pages' CSP (Trusted Types on
    // www/components/) rightly refuses a script element that a page script adds.
    await page.evaluate(AXE_SOURCE);
  }
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const violations = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  assert.deepEqual(violations, [], `axe-core violations at step "${name}"`);
  shots += 1;
  await screenshot(page, `ui-${String(shots).padStart(2, '0')}-${name}`);
}

const form = (page, host) => ({
  input: page.locator(`${host} .cw-input`).first(),
  submit: page.locator(`${host} button[type=submit]`),
  title: page.locator(`${host} .cw-title`),
  err: page.locator(`${host} .cw-err`).first(),
});

async function signOut(page) {
  await page.click('.cw-user-btn');
  await page.click('.cw-menu [data-cw=signout]');
  await page.waitForSelector('body[data-state="signed-out"]');
}

test('sign up with a phone number, then sign in with a wrong and a right code (mounted forms)', async () => {
  const { page, problems } = await open('/components/');
  const phone = uniquePhone();
  await page.waitForSelector('#sign-up .cw-input');
  await check(page, 'components-start');

  // Sign up: switch to phone, type it with separators (normalised to E.164).
  const up = form(page, '#sign-up');
  await page.click('#sign-up [data-cw=switch]');
  assert.equal(await up.input.getAttribute('type'), 'tel');
  assert.equal(await up.input.getAttribute('autocomplete'), 'tel');
  await up.input.fill('12345');
  await up.submit.click();
  assert.match(await up.err.textContent(), /country code/);
  assert.equal(await up.input.getAttribute('aria-invalid'), 'true');
  await check(page, 'sign-up-phone-invalid');
  let since = Date.now();
  await up.input.fill(`${phone.slice(0, 2)} ${phone.slice(2, 5)}-${phone.slice(5, 8)} ${phone.slice(8)}`);
  await up.submit.click();
  await page.waitForSelector('#sign-up input[autocomplete="one-time-code"]');
  assert.match(await up.title.textContent(), /Check your phone/);
  const code = form(page, '#sign-up').input;
  assert.equal(await code.getAttribute('inputmode'), 'numeric');
  assert.match(await page.textContent('#sign-up [data-cw=resend]'), /Resend code in \d+ s/);
  assert.equal(await page.isDisabled('#sign-up [data-cw=resend]'), true);
  await check(page, 'sign-up-code');
  await code.fill(await waitForCode(phone, { since }));
  await form(page, '#sign-up').submit.click();
  await page.waitForSelector('body[data-state="signed-in"]');
  await page.waitForSelector('.cw-user-btn');
  assert.match(await page.textContent('#sign-in'), /You are signed in/);
  await check(page, 'signed-in');
  await page.click('.cw-user-btn');
  assert.equal(await page.getAttribute('.cw-user-btn', 'aria-expanded'), 'true');
  assert.match(await page.textContent('.cw-menu'), new RegExp(`Signed in as \\${phone}`));
  await check(page, 'user-menu');
  await page.click('.cw-menu [data-cw=signout]');
  await page.waitForSelector('body[data-state="signed-out"]');
  await page.waitForSelector('#sign-in .cw-input');

  // Sign in: a wrong code shows its error next to the field; the right one signs in.
  const inn = form(page, '#sign-in');
  await page.click('#sign-in [data-cw=switch]');
  since = Date.now();
  await inn.input.fill(phone);
  await inn.submit.click();
  await page.waitForSelector('#sign-in input[autocomplete="one-time-code"]');
  const right = await waitForCode(phone, { since });
  const c = form(page, '#sign-in');
  await c.input.fill(right === '000000' ? '111111' : '000000');
  await c.submit.click();
  await page.waitForFunction(() => document.querySelector('#sign-in .cw-err')?.textContent.length > 0);
  assert.match(await c.err.textContent(), /incorrect/i);
  assert.equal(await c.input.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getAttribute('#sign-in .cw-err', 'aria-live'), 'polite');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('autocomplete')), 'one-time-code');
  await check(page, 'sign-in-wrong-code');
  await c.input.fill(right);
  await c.submit.click();
  await page.waitForSelector('body[data-state="signed-in"]');
  await signOut(page);
  assert.deepEqual(problems, []);
  await page.close();
});

test('sign-up that requires an email and a phone: both fields; each code step names where its code went', async () => {
  await configure({ email_address: { required: true }, phone_number: { required: true } });
  try {
    const { page, problems } = await open('/components/');
    await page.waitForSelector('#sign-up .cw-input');
    assert.deepEqual(
      await page.$$eval('#sign-up .cw-input', (els) => els.map((e) => e.name)),
      ['emailAddress', 'phoneNumber'],
      'exactly the required fields',
    );
    assert.equal(await page.locator('#sign-up [data-cw=switch]').count(), 0, 'no email/phone toggle');
    const email = uniqueEmail('both');
    const phone = uniquePhone();
    let since = Date.now();
    await page.fill('#sign-up input[name=emailAddress]', email);
    await page.fill('#sign-up input[name=phoneNumber]', phone);
    await page.click('#sign-up button[type=submit]');
    // The phone is verified first: its step names the phone, not the email.
    await page.waitForSelector('#sign-up input[autocomplete="one-time-code"]');
    assert.match(await page.textContent('#sign-up .cw-title'), /Check your phone/);
    assert.equal(await page.textContent('#sign-up .cw-sub'), `We sent a code to ${phone}.`);
    await check(page, 'sign-up-both-phone-code');
    await page.fill('#sign-up .cw-input', await waitForCode(phone, { since }));
    since = Date.now();
    await page.click('#sign-up button[type=submit]');
    await page.waitForFunction(() => /Check your email/.test(document.querySelector('#sign-up .cw-title')?.textContent));
    assert.equal(await page.textContent('#sign-up .cw-sub'), `We sent a code to ${email}.`);
    await page.fill('#sign-up .cw-input', await waitForCode(email, { since }));
    await page.click('#sign-up button[type=submit]');
    await page.waitForSelector('body[data-state="signed-in"]');
    await signOut(page);
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    await configure({ email_address: { required: false }, phone_number: { required: false } });
  }
});

test('keyboard only: Tab and Enter through sign-in', async () => {
  const { page: setup } = await open('/components/');
  const phone = uniquePhone();
  // An account to sign in to (made with the sign-up form).
  await setup.click('#sign-up [data-cw=switch]');
  let since = Date.now();
  await form(setup, '#sign-up').input.fill(phone);
  await form(setup, '#sign-up').submit.click();
  await setup.waitForSelector('#sign-up input[autocomplete="one-time-code"]');
  await form(setup, '#sign-up').input.fill(await waitForCode(phone, { since }));
  await form(setup, '#sign-up').submit.click();
  await setup.waitForSelector('body[data-state="signed-in"]');
  await signOut(setup);
  await setup.close();

  const { page, problems } = await open('/components/');
  await page.waitForSelector('#sign-in .cw-input');
  const focused = () => page.evaluate(() => {
    const a = document.activeElement;
    return `${a.closest('[id^=sign-]')?.id ?? ''} ${a.tagName} ${a.getAttribute('data-cw') ?? a.getAttribute('type') ?? ''}`;
  });
  // Tab to the sign-in form's "Use phone number instead", press Enter.
  let steps = 0;
  while ((await focused()) !== 'sign-in BUTTON switch') {
    await page.keyboard.press('Tab');
    assert.ok(++steps < 30, 'the switch button is reachable with Tab');
  }
  await page.keyboard.press('Enter');
  // Focus moved to the phone field.
  assert.equal(await focused(), 'sign-in INPUT tel');
  since = Date.now();
  await page.keyboard.type(phone);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#sign-in input[autocomplete="one-time-code"]');
  assert.equal(await focused(), 'sign-in INPUT ');
  await check(page, 'keyboard-code');
  await page.keyboard.type(await waitForCode(phone, { since }));
  await page.keyboard.press('Enter');
  await page.waitForSelector('body[data-state="signed-in"]');
  await check(page, 'keyboard-signed-in');
  await signOut(page);
  assert.deepEqual(problems, []);
  await page.close();
});

test('modal: openSignUp and openSignIn with an email code; Escape closes', async () => {
  const { page, problems } = await open('/components/');
  const email = uniqueEmail('modal');
  await page.click('#open-sign-up');
  await page.waitForSelector('dialog.cw-modal[open] .cw-input');
  assert.equal(await page.getAttribute('dialog.cw-modal .cw-input', 'type'), 'email');
  await check(page, 'modal-sign-up');
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog.cw-modal', { state: 'detached' });

  await page.click('#open-sign-up');
  await page.waitForSelector('dialog.cw-modal[open] .cw-input');
  let since = Date.now();
  await page.fill('dialog.cw-modal .cw-input', email);
  await page.click('dialog.cw-modal button[type=submit]');
  await page.waitForSelector('dialog.cw-modal input[autocomplete="one-time-code"]');
  assert.match(await page.textContent('dialog.cw-modal .cw-title'), /Check your email/);
  await check(page, 'modal-sign-up-code');
  await page.fill('dialog.cw-modal .cw-input', await waitForCode(email, { since }));
  await page.click('dialog.cw-modal button[type=submit]');
  await page.waitForSelector('body[data-state="signed-in"]');
  await page.waitForSelector('dialog.cw-modal', { state: 'detached' });
  await signOut(page);

  await page.click('#open-sign-in');
  await page.waitForSelector('dialog.cw-modal[open] .cw-input');
  since = Date.now();
  await page.fill('dialog.cw-modal .cw-input', email);
  await page.click('dialog.cw-modal button[type=submit]');
  await page.waitForSelector('dialog.cw-modal input[autocomplete="one-time-code"]');
  await check(page, 'modal-sign-in-code');
  await page.fill('dialog.cw-modal .cw-input', await waitForCode(email, { since }));
  await page.click('dialog.cw-modal button[type=submit]');
  await page.waitForSelector('body[data-state="signed-in"]');
  await page.waitForSelector('dialog.cw-modal', { state: 'detached' });
  await signOut(page);
  assert.deepEqual(problems, []);
  await page.close();
});

test('resend: 30 s countdown, then the server\'s Retry-After', async () => {
  const { page, problems } = await open('/components/', { fakeClock: true });
  await page.waitForSelector('#sign-in .cw-input');
  const email = uniqueEmail('resend');
  await page.fill('#sign-in .cw-input', email);
  await page.click('#sign-in button[type=submit]');
  // A new email signs up rather than in: the sign-in form reports it.
  await page.waitForFunction(() => document.querySelector('#sign-in .cw-err')?.textContent.length > 0);
  await check(page, 'sign-in-unknown-email');
  // Sign up with the email instead, then wait out the countdown.
  await page.fill('#sign-up .cw-input', email);
  await page.click('#sign-up button[type=submit]');
  await page.waitForSelector('#sign-up input[autocomplete="one-time-code"]');
  const resend = '#sign-up [data-cw=resend]';
  assert.match(await page.textContent(resend), /in (29|30) s/);
  await page.clock.runFor(10_000);
  assert.match(await page.textContent(resend), /in (19|20) s/);
  await page.clock.runFor(21_000);
  assert.equal(await page.textContent(resend), 'Resend code');
  assert.equal(await page.isDisabled(resend), false);
  // The server still throttles (60 s): its Retry-After restarts the countdown.
  await configure({ resend_throttle_secs: 60 });
  try {
    await page.click(resend);
    await page.waitForFunction((sel) => /in \d+ s/.test(document.querySelector(sel).textContent), resend);
    const left = Number((await page.textContent(resend)).match(/in (\d+) s/)[1]);
    assert.ok(left > 40 && left <= 60, `countdown follows Retry-After (${left} s)`);
    await check(page, 'resend-retry-after');
  } finally {
    await relaxLimits();
  }
  await page.clock.runFor(61_000);
  await page.click(resend);
  await page.waitForFunction(() => /newest code/.test(document.querySelector('#sign-up .cw-note').textContent));
  // Unmount mid-countdown: the form goes, and no timer or listener fires afterwards.
  await page.evaluate(() => window.Clerk.unmountSignUp(document.getElementById('sign-up')));
  assert.equal(await page.locator('#sign-up').innerHTML(), '');
  await page.clock.runFor(35_000);
  await page.evaluate(() => document.getElementById('sign-up').click());
  assert.deepEqual(problems, []);
  await page.close();
});

/** GET /v1/client/sign_ins/… requests the emulator saw since `clear` (the link wait's polls). */
const signInPolls = async () => (await (await fetch(`${EMULATOR}/__emulator/requests`)).json())
  .filter((r) => r.method === 'GET' && /\/v1\/client\/sign_ins\//.test(r.path));
const clearRequests = () => fetch(`${EMULATOR}/__emulator/requests/clear`, { method: 'POST' });
const clock = (secs) => fetch(`${EMULATOR}/__emulator/clock`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance_secs: secs }),
});
const sleepMs = (ms) => new Promise((r) => setTimeout(r, ms));

test('email link: sign in by a link opened elsewhere; Cancel stops polling; enter a code instead; unmount', async () => {
  const { page, problems } = await open('/components/');
  const email = uniqueEmail('link');
  // An account to sign in to (made with the sign-up form and an email code).
  await page.waitForSelector('#sign-up .cw-input');
  let since = Date.now();
  await page.fill('#sign-up .cw-input', email);
  await page.click('#sign-up button[type=submit]');
  await page.waitForSelector('#sign-up input[autocomplete="one-time-code"]');
  await page.fill('#sign-up .cw-input', await waitForCode(email, { since }));
  await page.click('#sign-up button[type=submit]');
  await page.waitForSelector('body[data-state="signed-in"]');
  await signOut(page);

  // Sign in by link: the waiting screen, then the link opened on another device (node).
  const startLink = async () => {
    await page.waitForSelector('#sign-in [data-cw=link]');
    await page.fill('#sign-in .cw-input', email);
    await page.click('#sign-in [data-cw=link]');
    await page.waitForSelector('#sign-in [data-cw=relink]');
  };
  await check(page, 'sign-in-link-offer');
  since = Date.now();
  await startLink();
  assert.match(await page.textContent('#sign-in .cw-title'), /Check your email/);
  assert.equal(await page.evaluate(() => document.activeElement.className), 'cw-title');
  const status = page.locator('#sign-in [role=status]');
  assert.equal(await status.getAttribute('aria-live'), 'polite');
  assert.ok((await status.textContent()).includes(email));
  await check(page, 'sign-in-link-wait');
  const msg = await waitForMessage(email, { since });
  assert.ok(msg.link, 'the email has a link');
  const res = await fetch(msg.link, { redirect: 'manual' });
  assert.ok(res.status < 400, `link answered ${res.status}`);
  await page.waitForSelector('body[data-state="signed-in"]');
  assert.match(await page.textContent('#sign-in'), /You are signed in/);
  await check(page, 'sign-in-link-signed-in');
  await signOut(page);

  // Cancel: back to the identifier step, and no poll afterwards.
  await startLink();
  await clearRequests();
  for (let i = 0; (await signInPolls()).length === 0; i++) {
    assert.ok(i < 50, 'the wait polls');
    await sleepMs(100);
  }
  await page.click('#sign-in [data-cw=back]');
  await page.waitForSelector('#sign-in .cw-input');
  // A poll already on the wire when Cancel aborted it may still reach the server.
  await sleepMs(300);
  await clearRequests();
  await sleepMs(2500);
  assert.equal((await signInPolls()).length, 0, 'polls after Cancel');

  // "Enter a code instead": the wait ends and a fresh email code goes out.
  await startLink();
  since = Date.now();
  await page.click('#sign-in [data-cw=code]');
  await page.waitForSelector('#sign-in input[autocomplete="one-time-code"]');
  await sleepMs(300);
  await clearRequests();
  await check(page, 'sign-in-link-code-instead');
  await page.fill('#sign-in .cw-input', await waitForCode(email, { since }));
  await page.click('#sign-in button[type=submit]');
  await page.waitForSelector('body[data-state="signed-in"]');
  assert.equal((await signInPolls()).length, 0, 'polls after "Enter a code instead"');
  await signOut(page);

  // Expired (the emulator clock moves past the link's 10 min): the message is
  // in the live region, and "Resend link" sends a new one.
  await startLink();
  await clock(700);
  try {
    await page.waitForFunction(() => /expired/.test(document.querySelector('#sign-in [role=status]').textContent));
  } finally { await clock(-700); }
  await check(page, 'sign-in-link-expired');
  since = Date.now();
  await page.click('#sign-in [data-cw=relink]');
  assert.ok((await waitForMessage(email, { since })).link, 'a new link');
  assert.ok((await status.textContent()).includes(email));

  // Unmounting the waiting screen ends the wait too.
  await page.evaluate(() => window.Clerk.unmountSignIn(document.getElementById('sign-in')));
  await sleepMs(300);
  await clearRequests();
  await sleepMs(2500);
  assert.equal((await signInPolls()).length, 0, 'polls after unmount');
  assert.deepEqual(problems, []);
  await page.close();
});

test('email link: sign up by a verification link opened on another device, then in another tab', async () => {
  // An instance where sign-up needs an email address (and no phone number).
  await configure({ phone_number: { enabled: false }, email_address: { required: true } });
  const other = await launch(); // a second browser profile: the other device
  try {
    const { page, problems } = await open('/components/');
    const up = form(page, '#sign-up');
    const signUpByLink = async (email) => {
      await page.waitForSelector('#sign-up [data-cw=link]');
      assert.equal(await page.locator('#sign-up .cw-input').count(), 1, 'only the email field');
      assert.equal(await up.input.getAttribute('type'), 'email');
      assert.equal(await page.locator('#sign-up [data-cw=switch]').count(), 0, 'no phone option');
      assert.equal(await page.textContent('#sign-up [data-cw=link]'), 'Email me a verification link');
      const since = Date.now();
      await up.input.fill(email);
      await page.click('#sign-up [data-cw=link]');
      await page.waitForSelector('#sign-up [data-cw=relink]');
      assert.match(await up.title.textContent(), /Check your email/);
      const status = page.locator('#sign-up [role=status]');
      assert.equal(await status.getAttribute('aria-live'), 'polite');
      assert.ok((await status.textContent()).includes(email), 'the waiting screen names the address');
      assert.equal(await page.getAttribute('body', 'data-state'), 'signed-out');
      const msg = await waitForMessage(email, { since });
      assert.ok(msg.link, 'the email has a verification link');
      assert.equal(msg.code ?? null, null, 'a link, not a code');
      return msg.link;
    };
    /** The waiting form finished: signed in as `email`, the form in its done state. */
    const signedUp = async (p, email) => {
      await p.waitForSelector('body[data-state="signed-in"]');
      await p.waitForFunction(() => /You are signed in/.test(document.querySelector('#sign-up').textContent));
      assert.equal(await p.textContent('#sign-up .cw-title'), 'Account created');
      assert.equal(await p.locator('#sign-up form').count(), 0, 'no form left in the done state');
      const user = await p.evaluate(() => ({
        email: window.Clerk.user?.primaryEmailAddress?.emailAddress,
        verified: window.Clerk.user?.primaryEmailAddress?.verification?.status,
        session: window.Clerk.session?.status,
      }));
      assert.deepEqual(user, { email, verified: 'verified', session: 'active' });
    };

    await page.waitForSelector('#sign-up [data-cw=link]');
    await check(page, 'sign-up-link-offer');

    // 1. The link opened on another device: it shows "verified" there, signs in nobody
    //    there, and the waiting form signs in on its next poll.
    const first = uniqueEmail('uplink');
    const link1 = await signUpByLink(first);
    await check(page, 'sign-up-link-wait');
    const { page: landing1, problems: landingProblems1 } = await open(link1, { context: other.context });
    await landing1.waitForSelector('body[data-link]', { timeout: 15000 });
    assert.equal(await landing1.getAttribute('body', 'data-link'), 'verified_on_other_device');
    assert.doesNotMatch(landing1.url(), /__clerk_status|__clerk_created_session/);
    assert.match(await landing1.textContent('#status'), /Email verified/);
    assert.equal(await landing1.evaluate(() => window.Clerk.user), null, 'nobody is signed in on the other device');
    await check(landing1, 'sign-up-link-other-device-landing');
    await signedUp(page, first);
    await check(page, 'sign-up-link-signed-in');
    assert.deepEqual(landingProblems1, []);
    await landing1.close();
    await signOut(page);

    // 2. The link opened in another tab of the same browser: both tabs end signed in.
    const second = uniqueEmail('uplink-tab');
    const link2 = await signUpByLink(second);
    const { page: landing2, problems: landingProblems2 } = await open(link2);
    await landing2.waitForSelector('body[data-link]', { timeout: 15000 });
    assert.equal(await landing2.getAttribute('body', 'data-link'), 'verified');
    await signedUp(landing2, second);
    await check(landing2, 'sign-up-link-same-browser-landing');
    await signedUp(page, second);
    await check(page, 'sign-up-link-same-browser-signed-in');
    assert.deepEqual(landingProblems2, []);
    await landing2.close();
    await signOut(page);
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    await other.close();
    await configure({ phone_number: { enabled: true }, email_address: { required: false } });
  }
});

test('script tag: data-clerk-publishable-key, mounted sign-up and sign-in', async () => {
  const { page, problems, requests: loaded } = await open('/script-tag/');
  assert.match(await page.getAttribute('script[data-clerk-publishable-key]', 'data-clerk-publishable-key'), /^pk_test_/);
  await page.waitForSelector('#sign-up .cw-input');
  // script.js loaded the forms build (pkg/ui/), and only that one.
  assert.ok(loaded.includes('/pkg/ui/index.js') && loaded.includes('/pkg/ui/clerk_wasm_bg.wasm'), loaded.join(' '));
  assert.ok(!loaded.includes('/pkg/index.js') && !loaded.includes('/pkg/clerk_wasm_bg.wasm'), loaded.join(' '));
  await check(page, 'script-tag-start');
  const email = uniqueEmail('script');
  const since = Date.now();
  await page.fill('#sign-up .cw-input', email);
  await page.click('#sign-up button[type=submit]');
  await page.waitForSelector('#sign-up input[autocomplete="one-time-code"]');
  await page.fill('#sign-up .cw-input', await waitForCode(email, { since }));
  await page.click('#sign-up button[type=submit]');
  await page.waitForSelector('body[data-state="signed-in"]');
  await check(page, 'script-tag-signed-in');
  // Unmounting removes the form; the listeners go with it.
  await page.evaluate(() => window.Clerk.unmountSignIn(document.getElementById('sign-in')));
  assert.equal(await page.locator('#sign-in .cw-root').count(), 0);
  await signOut(page);
  // Importing the headless entry as well (two WebAssembly instances) is reported.
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await page.evaluate(() => import('/pkg/index.js'));
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0], /both 'clerk-wasm' and 'clerk-wasm\/ui' are loaded/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the link to the other form takes signUpUrl / signInUrl as given, and never a javascript:-like one', async () => {
  const { page, problems } = await open('/script-tag/');
  await page.waitForSelector('#sign-up .cw-input');
  const links = await page.evaluate(async () => {
    const out = {};
    const cases = { path: '/sign-up?from=x', absolute: 'https://accounts.example.com/sign-up', script: 'javascript:alert(1)', hidden: ' java\tscript:alert(1)' };
    for (const [name, signUpUrl] of Object.entries(cases)) {
      const el = document.createElement('div');
      document.body.append(el);
      window.Clerk.mountSignIn(el, { signUpUrl });
      for (let i = 0; i < 100 && !el.querySelector('.cw-input'); i += 1) await new Promise((r) => setTimeout(r, 20));
      out[name] = [...el.querySelectorAll('a')].map((a) => a.getAttribute('href'));
      window.Clerk.unmountSignIn(el);
      el.remove();
    }
    return out;
  });
  assert.deepEqual(links, {
    path: ['/sign-up?from=x'], absolute: ['https://accounts.example.com/sign-up'], script: [], hidden: [],
  });
  assert.deepEqual(problems, []);
  await page.close();
});

test("seed 001's script-tag sample, verbatim: window 'load' → await Clerk.load(), phone sign-up, reload → user button", async () => {
  // www/seed-001-script-tag/ is the seed's page with clerk-wasm's script.js as its src
  // (loaded `async`, as the seed does): `Clerk` must be usable from the page's `load`
  // handler. As in the seed, the code form has no preventDefault(): its submit reloads
  // the page. The test holds that navigation until the attempt has been answered (the
  // seed's race, not the SDK's), then the reloaded page must find the user signed in.
  const page = await browser.context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  let attempted;
  const answered = new Promise((resolve) => { attempted = resolve; });
  page.on('response', (r) => { if (/\/attempt_verification/.test(r.url())) attempted(r.status()); });
  await page.route(/\/seed-001-script-tag\/\?code=/, async (route) => { await answered; await route.continue(); });
  await page.goto(`${url}/seed-001-script-tag/`);
  // The page's load handler awaited Clerk.load() on the loader's stand-in; once loaded,
  // its form handlers are in place (a person is slower than this).
  await page.waitForFunction(() => window.Clerk?.loaded === true && window.Clerk.status === 'ready', null, { timeout: 15000 });
  assert.equal(await page.evaluate(() => window.Clerk.user), null);
  const phone = uniquePhone();
  const since = Date.now();
  await page.fill('#sign-up-phone', phone);
  await page.click('#sign-up-form button[type=submit]');
  await page.waitForSelector('#verifying:not([hidden])', { timeout: 15000 });
  assert.equal(await page.getAttribute('#sign-up', 'hidden'), '');
  await screenshot(page, 'seed-001-script-tag-code');
  await page.fill('#code', await waitForCode(phone, { since }));
  await page.click('#verify-button');
  assert.equal(await answered, 200, 'the code attempt succeeded');
  await page.waitForURL(/\?code=/);
  await page.waitForSelector('#user-button .cw-user-btn', { timeout: 15000 });
  assert.equal(await page.evaluate(() => window.Clerk.user?.primaryPhoneNumber?.phoneNumber), phone);
  assert.ok(await page.isHidden('#verifying'));
  await screenshot(page, 'seed-001-script-tag-signed-in');
  await page.evaluate(() => window.Clerk.signOut());
  assert.deepEqual(problems, []);
  await page.close();
});
