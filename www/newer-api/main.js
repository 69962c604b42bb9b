// Seed 003 (the newer API) in plain JavaScript: what `useSignUp()`/`useSignIn()`
// return in React is `clerk.signUp` / `clerk.signIn` here. Calls resolve to
// { error } and never throw; `errors.fields` and `fetchStatus` drive the UI.
import { Clerk } from '/pkg/index.js';
import { publishableKey, inboxUrl } from '/config.js';

const $ = (id) => document.getElementById(id);
$('inbox').href = await inboxUrl();
const clerk = new Clerk(await publishableKey());
await clerk.load();
const mode = () => document.querySelector('input[name=mode]:checked').value;

function render() {
  const user = clerk.user;
  $('signed-in').hidden = !user;
  $('signed-out').hidden = !!user;
  if (user) {
    $('user-id').textContent = user.id;
    $('user-phone').textContent = user.primaryPhoneNumber?.phoneNumber ?? '';
  }
  const resource = mode() === 'sign-up' ? clerk.signUp : clerk.signIn;
  const { errors, fetchStatus } = resource;
  $('phone-error').textContent = errors.fields.phoneNumber?.longMessage ?? errors.fields.identifier?.longMessage ?? '';
  $('code-error').textContent = errors.fields.code?.longMessage ?? '';
  $('global-error').textContent = errors.global[0]?.longMessage ?? '';
  for (const b of document.querySelectorAll('button[type=submit]')) b.disabled = fetchStatus === 'fetching';
  document.body.dataset.state = user ? 'signed-in' : 'signed-out';
  document.body.dataset.fetch = fetchStatus;
}
clerk.addListener(render);

$('sign-out').addEventListener('click', async () => {
  await clerk.signOut();
  location.reload();
});

$('phone-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const phoneNumber = new FormData(e.target).get('phoneNumber');
  if (mode() === 'sign-up') {
    await clerk.signUp.create({ phoneNumber });
    if (clerk.signUp.errors.raw.length) return render();
    await clerk.signUp.verifications.sendPhoneCode();
    if (clerk.signUp.errors.raw.length) return render();
  } else {
    const { error } = await clerk.signIn.phoneCode.sendCode({ phoneNumber });
    if (error) return render();
  }
  $('phone-form').hidden = true;
  $('code-form').hidden = false;
  render();
});

$('code-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const code = new FormData(e.target).get('code');
  if (mode() === 'sign-up') {
    await clerk.signUp.verifications.verifyPhoneCode({ code });
    if (clerk.signUp.status === 'complete') await clerk.signUp.finalize({ navigate: () => render() });
  } else {
    await clerk.signIn.phoneCode.verifyCode({ code });
    if (clerk.signIn.status === 'complete') await clerk.signIn.finalize({ navigate: () => render() });
  }
  render();
});
