// Email-link sign-up with the classic API (seed 004): create, then
// createEmailLinkFlow().startEmailLinkFlow({ redirectUrl }) polls until the
// link is opened (here or on another device). Cancel rejects the promise.
import { Clerk, ClerkCancelledError } from '/pkg/index.js';
import { publishableKey, inboxUrl } from '/config.js';

const $ = (id) => document.getElementById(id);
const show = (id, on = true) => { $(id).hidden = !on; };
const setState = (s) => { document.body.dataset.state = s; };
const showError = (error) => { $('error').textContent = error.errors?.[0]?.longMessage ?? error.message; };
$('inbox').href = await inboxUrl();

const clerk = new Clerk(await publishableKey());
await clerk.load();
const emailCodeAllowed = (clerk.environment?.userSettings?.attributes?.emailAddress?.verifications ?? [])
  .includes('email_code');

function render() {
  const user = clerk.user;
  show('signed-in', !!user);
  if (user) {
    $('user-email').textContent = user.primaryEmailAddress?.emailAddress ?? '';
    $('user-id').textContent = user.id;
    ['start', 'waiting', 'code-form'].forEach((id) => show(id, false));
    setState('signed-in');
  }
}
clerk.addListener(render);
if (!clerk.user) { show('start'); setState('signed-out'); }

let flow;
$('sign-out').addEventListener('click', async () => { await clerk.signOut(); location.reload(); });

$('start').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('error').textContent = '';
  const emailAddress = $('email').value;
  try {
    const signUp = await clerk.client.signUp.create({ emailAddress });
    flow = signUp.createEmailLinkFlow();
    show('start', false); show('waiting'); show('use-code', emailCodeAllowed);
    $('sent-to').textContent = emailAddress;
    setState('waiting');
    const su = await flow.startEmailLinkFlow({ redirectUrl: `${location.origin}/verify/` });
    window.__resolvedAt = Date.now(); // for tests/e2e and scripts/bench-email-link.mjs
    const verification = su.verifications.emailAddress;
    if (verification.status === 'expired') {
      show('waiting', false); show('start');
      setState('expired');
      $('error').textContent = 'The link expired. Request a new one.';
      return;
    }
    show('waiting', false);
    // The landing page may already have activated the session (same browser).
    if (su.status === 'complete' && clerk.session?.id !== su.createdSessionId) {
      await clerk.setActive({ session: su.createdSessionId });
    }
    // Seed 004: was the link opened by this browser's client? (ClerkJS's
    // verifiedFromTheSameClient(); on a development instance the link reaches the Frontend
    // API without the dev browser, so it is false there even in this browser, as with Clerk.)
    const here = verification.verifiedFromTheSameClient();
    window.__verifiedHere = here; // for tests/e2e
    $('message').textContent = here ? 'Email verified in this browser.' : 'Email verified.';
    setState(clerk.user ? 'signed-in' : 'verified');
  } catch (error) {
    if (error instanceof ClerkCancelledError) return; // cancel / use a code
    showError(error);
    setState('error');
  }
});

$('cancel').addEventListener('click', () => {
  flow?.cancelEmailLinkFlow();
  show('waiting', false); show('start');
  $('message').textContent = 'Cancelled.';
  setState('cancelled');
});

$('use-code').addEventListener('click', async () => {
  flow?.cancelEmailLinkFlow();
  try {
    await clerk.client.signUp.prepareEmailAddressVerification({ strategy: 'email_code' });
    show('waiting', false); show('code-form');
    setState('code');
  } catch (error) { showError(error); }
});

$('code-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    const su = await clerk.client.signUp.attemptEmailAddressVerification({ code: $('code').value });
    await clerk.setActive({ session: su.createdSessionId });
  } catch (error) { showError(error); }
});
