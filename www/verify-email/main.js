// Verify an address added to the signed-in user (seed 004, third flow):
// user.createEmailAddress, then emailAddress.createEmailLinkFlow().
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
  show('signed-in', !!user); show('signed-out', !user);
  if (user) {
    $('user-id').textContent = user.id;
    $('addresses').textContent = user.emailAddresses
      .map((e) => `${e.emailAddress} (${e.verification?.status ?? 'unverified'})`).join(', ');
  }
}
clerk.addListener(render);
render();
if (clerk.user) { show('start'); setState('ready'); } else { setState('signed-out'); }

let flow;
let address;
$('start').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('error').textContent = ''; $('message').textContent = '';
  try {
    address = await clerk.user.createEmailAddress({ email: $('email').value });
    flow = address.createEmailLinkFlow();
    show('start', false); show('waiting'); show('use-code', emailCodeAllowed);
    $('sent-to').textContent = address.emailAddress;
    setState('waiting');
    const verified = await flow.startEmailLinkFlow({ redirectUrl: `${location.origin}/verify/` });
    show('waiting', false); show('start');
    const status = verified.verification?.status;
    $('message').textContent = status === 'verified' ? 'Address verified.' : 'The link expired. Request a new one.';
    setState(status === 'verified' ? 'verified' : 'expired');
  } catch (error) {
    if (error instanceof ClerkCancelledError) return;
    showError(error);
    setState('error');
  }
});

$('cancel').addEventListener('click', () => {
  flow?.cancelEmailLinkFlow();
  show('waiting', false); show('start');
  setState('cancelled');
});

$('use-code').addEventListener('click', async () => {
  flow?.cancelEmailLinkFlow();
  try {
    await address.prepareVerification({ strategy: 'email_code' });
    show('waiting', false); show('code-form');
    setState('code');
  } catch (error) { showError(error); }
});

$('code-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    await address.attemptVerification({ code: $('code').value });
    show('code-form', false); show('start');
    $('message').textContent = 'Address verified.';
    setState('verified');
  } catch (error) { showError(error); }
});
