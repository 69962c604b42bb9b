// Email-link sign-in with the classic API (seed 004): create with the
// identifier, pick the email_link factor, then startEmailLinkFlow polls until
// the link is opened (here or on another device). Cancel rejects the promise.
import { Clerk, ClerkCancelledError } from '/pkg/index.js';
import { publishableKey, inboxUrl } from '/config.js';

const $ = (id) => document.getElementById(id);
const show = (id, on = true) => { $(id).hidden = !on; };
const setState = (s) => { document.body.dataset.state = s; };
const showError = (error) => { $('error').textContent = error.errors?.[0]?.longMessage ?? error.message; };
$('inbox').href = await inboxUrl();

const clerk = new Clerk(await publishableKey());
await clerk.load();

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
let signIn;
$('sign-out').addEventListener('click', async () => { await clerk.signOut(); location.reload(); });

$('start').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('error').textContent = '';
  const identifier = $('email').value;
  try {
    signIn = await clerk.client.signIn.create({ identifier });
    const factor = signIn.supportedFirstFactors.find((f) => f.strategy === 'email_link');
    if (!factor) throw new Error('Email links are not enabled for this account.');
    const { startEmailLinkFlow, cancelEmailLinkFlow } = signIn.createEmailLinkFlow();
    flow = { cancelEmailLinkFlow };
    show('start', false); show('waiting');
    show('use-code', signIn.supportedFirstFactors.some((f) => f.strategy === 'email_code'));
    $('sent-to').textContent = identifier;
    setState('waiting');
    const si = await startEmailLinkFlow({
      emailAddressId: factor.emailAddressId,
      redirectUrl: `${location.origin}/verify/`,
    });
    const verification = si.firstFactorVerification;
    show('waiting', false);
    if (verification.status === 'expired') {
      show('start');
      setState('expired');
      $('error').textContent = 'The link expired. Request a new one.';
      return;
    }
    if (si.status === 'complete' && clerk.session?.id !== si.createdSessionId) {
      await clerk.setActive({ session: si.createdSessionId });
    }
    setState(clerk.user ? 'signed-in' : si.status);
  } catch (error) {
    if (error instanceof ClerkCancelledError) return;
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
    const factor = signIn.supportedFirstFactors.find((f) => f.strategy === 'email_code');
    await clerk.client.signIn.prepareFirstFactor({ strategy: 'email_code', emailAddressId: factor.emailAddressId });
    show('waiting', false); show('code-form');
    setState('code');
  } catch (error) { showError(error); }
});

$('code-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    const si = await clerk.client.signIn.attemptFirstFactor({ strategy: 'email_code', code: $('code').value });
    await clerk.setActive({ session: si.createdSessionId });
  } catch (error) { showError(error); }
});
