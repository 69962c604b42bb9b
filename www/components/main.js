// Seed 000 ("Using Clerk Components", the ClerkJS tab) with clerk-wasm's ui build:
// the package's `clerk-wasm/ui` entry (served at /pkg/ui/) is imported instead of loaded by a
// script tag (see ../script-tag/ for that).
import { Clerk } from '/pkg/ui/index.js';
import { publishableKey, inboxUrl } from '/config.js';

document.getElementById('inbox').href = await inboxUrl();
window.Clerk = new Clerk(await publishableKey());
await window.Clerk.load();

// --- seed 000, verbatim -------------------------------------------------
const signUpEl = document.getElementById("sign-up");
// Mount the pre-built Clerk SignUp component
// in an HTMLElement on your page.
window.Clerk.mountSignUp(signUpEl);

const signInEl = document.getElementById("sign-in");
// Mount the pre-built Clerk SignIn component
// in an HTMLElement on your page.
window.Clerk.mountSignIn(signInEl);
// ------------------------------------------------------------------------

// Render the SignIn / SignUp component as a modal on the page (seed 000's
// `window.Clerk.openSignIn()`), here on a button press rather than at load.
document.getElementById('open-sign-in').addEventListener('click', () => window.Clerk.openSignIn());
document.getElementById('open-sign-up').addEventListener('click', () => window.Clerk.openSignUp());

// Seed 001's user button, once signed in.
window.Clerk.mountUserButton(document.getElementById('user-button'));

const status = document.getElementById('status');
window.Clerk.addListener(({ user }) => {
  status.textContent = user ? `Signed in as ${user.id}.` : 'Signed out.';
  document.body.dataset.state = user ? 'signed-in' : 'signed-out';
});

// The forms' email links lead back to this page. Landing here: tell the tab that waits
// for the link (it finishes at once), and sign in here too when it is the same browser.
if (new URLSearchParams(location.search).has('__clerk_status')) {
  window.Clerk.handleEmailLinkVerification({
    onVerifiedOnOtherDevice: () => {
      status.textContent = 'Email verified. Continue in the tab or on the device where you asked for the link.';
    },
  }).then(
    (outcome) => { document.body.dataset.link = outcome; },
    (error) => { status.textContent = error.message; document.body.dataset.link = error.code ?? 'error'; },
  );
}
