// The hosted pages' script (served by clerk-emulator at /__hosted/app.js): the clerk-wasm/ui
// forms on the emulator's own origin, as Clerk's Account Portal. An app sends the user here
// with `clerk.redirectToSignIn()` (or ClerkJS's): the redirect options arrive in the hash
// (`#/?redirect_url=…`), a development instance's dev browser in `?__clerk_db_jwt=` (the SDK
// takes it from the URL and removes it), and after signing in the forms send the user back
// there — with the same dev browser, so the app is signed in.
import { Clerk } from '/__clerk-wasm/ui/index.js';

const meta = (name) => document.querySelector(`meta[name="clerk-${name}"]`)?.content ?? '';
const $ = (id) => document.getElementById(id);
const page = document.body.dataset.page;
const keep = location.hash; // the other pages keep the app's redirect
const hash = new URLSearchParams(location.hash.replace(/^#\/?\??/, ''));
const opt = (k) => hash.get(k) || undefined;
const clerk = new Clerk(meta('publishable-key'));
window.Clerk = clerk; // for tests and the curious

try {
  await clerk.load({
    signInUrl: '/sign-in',
    signUpUrl: '/sign-up',
    redirectUrl: opt('redirect_url'),
    signInForceRedirectUrl: opt('sign_in_force_redirect_url'),
    signInFallbackRedirectUrl: opt('sign_in_fallback_redirect_url') ?? `/user${keep}`,
    signUpForceRedirectUrl: opt('sign_up_force_redirect_url'),
    signUpFallbackRedirectUrl: opt('sign_up_fallback_redirect_url') ?? `/user${keep}`,
    allowedRedirectOrigins: JSON.parse(meta('allowed-origins') || '[]'),
  });
} catch (error) {
  $('status').textContent = `The Frontend API could not be reached: ${error.message}`;
  document.body.dataset.ready = 'error';
  throw error;
}

const back = opt('redirect_url') ? clerk.buildAfterSignInUrl() : null;
if (page === 'user') {
  if (!clerk.user) {
    location.replace(`/sign-in${keep}`);
  } else {
    showUser();
  }
} else if (clerk.isSignedIn && back) {
  // Already signed in: straight back, as the Account Portal does.
  await clerk.redirectToAfterSignIn();
} else if (page === 'sign-up') {
  clerk.mountSignUp($('clerk'), { signInUrl: `/sign-in${keep}` });
} else {
  clerk.mountSignIn($('clerk'), { signUpUrl: `/sign-up${keep}` });
}
document.body.dataset.ready = 'true';

/** The signed-in user, a way back to the app, and sign-out. */
function showUser() {
  const u = clerk.user;
  const rows = [
    ['Name', u.fullName],
    ['Email address', u.primaryEmailAddress?.emailAddress],
    ['Phone number', u.primaryPhoneNumber?.phoneNumber],
    ['User ID', u.id],
  ].filter(([, v]) => v);
  const dl = document.createElement('dl');
  dl.className = 'hp-user';
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  const h = document.createElement('h2');
  h.className = 'cw-title';
  h.textContent = 'Your account';
  const actions = document.createElement('div');
  actions.className = 'cw-row';
  if (back) {
    const a = document.createElement('a');
    a.className = 'cw-btn hp-back';
    a.href = back;
    a.textContent = 'Back to the application';
    actions.append(a);
  }
  const out = document.createElement('button');
  out.type = 'button';
  out.className = 'cw-link';
  out.dataset.hp = 'signout';
  out.textContent = 'Sign out';
  out.addEventListener('click', async () => {
    out.disabled = true;
    await clerk.signOut({ redirectUrl: `/sign-in${keep}` });
  });
  actions.append(out);
  const box = document.createElement('section');
  box.className = 'cw-root';
  box.setAttribute('aria-labelledby', 'hp-user-title');
  h.id = 'hp-user-title';
  box.append(h, dl, actions);
  $('clerk').append(box);
}
