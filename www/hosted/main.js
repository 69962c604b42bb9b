// The hosted pages: no form here. redirectToSignIn() / redirectToSignUp() go to the
// emulator's /sign-in and /sign-up (its own origin; for a development instance the dev
// browser travels in the URL), which send the user back here signed in.
import { Clerk } from '/pkg/index.js';
import { publishableKey, inboxUrl } from '/config.js';

const $ = (id) => document.getElementById(id);
$('inbox').href = await inboxUrl();
// A page may pass another key (the tests' production instance): ?key=pk_…
const clerk = new Clerk(new URLSearchParams(location.search).get('key') ?? await publishableKey());
await clerk.load();
const show = () => {
  const u = clerk.user;
  $('status').textContent = u
    ? `Signed in as ${u.fullName ?? u.primaryPhoneNumber?.phoneNumber ?? u.primaryEmailAddress?.emailAddress ?? u.id}.`
    : 'Signed out.';
  document.body.dataset.state = u ? 'signed-in' : 'signed-out';
  $('sign-in').hidden = $('sign-up').hidden = !!u;
  $('profile').hidden = $('sign-out').hidden = !u;
};
clerk.addListener(show);
// Back to this very page (without the key parameter the page adds itself).
const here = () => location.href;
$('sign-in').addEventListener('click', () => clerk.redirectToSignIn({ redirectUrl: here() }));
$('sign-up').addEventListener('click', () => clerk.redirectToSignUp({ redirectUrl: here() }));
$('profile').addEventListener('click', () => clerk.redirectToUserProfile());
$('sign-out').addEventListener('click', () => clerk.signOut());
document.body.dataset.ready = 'true';
