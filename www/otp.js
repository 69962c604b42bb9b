// Seed 001 ("custom SMS/email OTP flow", plain JavaScript), with clerk-wasm in place
// of @clerk/clerk-js: only the import and the key lookup differ. One script serves
// the SMS page (/sms/) and the email-code page (/email-code/): <body data-channel>.
import { Clerk } from '/pkg/index.js';
import { publishableKey, inboxUrl } from '/config.js';

const EMAIL = document.body.dataset.channel === 'email';
// The seed's email variant: email_address / email_code and the EmailAddress helpers.
const field = EMAIL ? 'emailAddress' : 'phoneNumber';
const strategy = EMAIL ? 'email_code' : 'phone_code';
const idKey = EMAIL ? 'emailAddressId' : 'phoneNumberId';

const $ = (id) => document.getElementById(id);
const showError = (error) => {
  console.error(error);
  $('error').textContent = error.errors?.[0]?.longMessage ?? error.message;
};
$('inbox').href = await inboxUrl();

// Initialize Clerk with your Clerk publishable key
const clerk = new Clerk(await publishableKey());
await clerk.load();

function render() {
  const user = clerk.user;
  $('signed-in').hidden = !user;
  $('signed-out').hidden = !!user;
  if (user) {
    $('user-id').textContent = user.id;
    $('user-phone').textContent = EMAIL
      ? user.primaryEmailAddress?.emailAddress ?? ''
      : user.primaryPhoneNumber?.phoneNumber ?? '';
  }
  document.body.dataset.state = user ? 'signed-in' : 'signed-out';
}
clerk.addListener(render);

$('sign-out').addEventListener('click', async () => {
  await clerk.signOut();
  location.reload();
});

// Handle the sign-up form
$('sign-up-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const formData = new FormData(e.target);
  const identifier = formData.get('phone');
  try {
    // Start the sign-up process using the phone number (or email address) method
    await clerk.client.signUp.create({ [field]: identifier });
    if (EMAIL) await clerk.client.signUp.prepareEmailAddressVerification();
    else await clerk.client.signUp.preparePhoneNumberVerification();
    // Hide sign-up form, show verification form
    $('sign-up').setAttribute('hidden', '');
    $('sign-in').setAttribute('hidden', '');
    $('verifying').removeAttribute('hidden');
  } catch (error) {
    showError(error);
  }
});

// Handle the verification form
$('verifying').addEventListener('submit', async (e) => {
  e.preventDefault();
  const formData = new FormData(e.target);
  const code = formData.get('code');
  try {
    // Verify the phone number (or email address)
    const verify = EMAIL
      ? await clerk.client.signUp.attemptEmailAddressVerification({ code })
      : await clerk.client.signUp.attemptPhoneNumberVerification({ code });
    // Now that the user is created, set the session to active.
    await clerk.setActive({ session: verify.createdSessionId });
  } catch (error) {
    showError(error);
  }
});

// Handle the sign-in form
$('sign-in-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const formData = new FormData(e.target);
  const phone = formData.get('phone');
  try {
    // Start the sign-in process using the phone number method
    const { supportedFirstFactors } = await clerk.client.signIn.create({ identifier: phone });
    // Filter the returned array to find the 'phone_code' (or 'email_code') entry
    const codeFactor = supportedFirstFactors?.find((f) => f.strategy === strategy);
    if (codeFactor) {
      // Send the OTP code to the user
      await clerk.client.signIn.prepareFirstFactor({ strategy, [idKey]: codeFactor[idKey] });
      $('sign-up').setAttribute('hidden', '');
      $('sign-in').setAttribute('hidden', '');
      $('sign-in-verifying').removeAttribute('hidden');
    }
  } catch (error) {
    showError(error);
  }
});

$('sign-in-verifying').addEventListener('submit', async (e) => {
  e.preventDefault();
  const code = new FormData(e.target).get('code');
  try {
    // Use the code provided by the user and attempt verification
    const signInAttempt = await clerk.client.signIn.attemptFirstFactor({ strategy, code });
    if (signInAttempt.status === 'complete') {
      await clerk.setActive({ session: signInAttempt.createdSessionId });
    } else {
      console.error(signInAttempt);
    }
  } catch (error) {
    showError(error);
  }
});
