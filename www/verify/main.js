// The page email links land on: handleEmailLinkVerification reads and removes
// __clerk_status / __clerk_created_session, tells a waiting tab of this
// browser (BroadcastChannel), and activates the session when it is ours.
import { Clerk, EmailLinkError } from '/pkg/index.js';
import { publishableKey } from '/config.js';

const $ = (id) => document.getElementById(id);
const done = (outcome, text) => {
  $('message').textContent = text;
  document.body.dataset.outcome = outcome;
};
const clerk = new Clerk(await publishableKey());
// No `await clerk.load()` first: handleEmailLinkVerification announces the
// click to a waiting tab at once, then loads.
window.__landedAt = Date.now(); // for tests/e2e and scripts/bench-email-link.mjs
try {
  const outcome = await clerk.handleEmailLinkVerification({
    // Where to go when this browser is now signed in / must continue here.
    redirectUrlComplete: undefined,
    redirectUrl: '/email-link-sign-in/',
    onVerifiedOnOtherDevice: () => {},
  });
  const text = {
    verified: 'Verified: you are signed in here. If another tab was waiting, it has been told.',
    verified_on_other_device: 'Verified. Return to the device or tab where you started: it is signed in there.',
    transferable: 'Verified, but there is no account yet: sign up on the device where you started.',
    continue: 'Verified. Continue here.',
  }[outcome] ?? outcome;
  done(outcome, text);
} catch (error) {
  if (error instanceof EmailLinkError) {
    const text = {
      expired: 'This link has expired. Request a new one (or enter the code from the email instead).',
      failed: 'This link could not be used: it was already used or is invalid. Request a new one.',
      client_mismatch: 'Open the link in the same browser where you requested it, or enter the code from the email instead.',
    }[error.code] ?? error.message;
    done(error.code, text);
  } else {
    $('error').textContent = error.message;
    document.body.dataset.outcome = 'error';
  }
}
