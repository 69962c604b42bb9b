// Seed 001 ("custom SMS OTP flow", plain JavaScript), with clerk-wasm in place of
// @clerk/clerk-js: only the import and the key lookup differ.
import { Clerk } from '/pkg/index.js';
import { publishableKey, inboxUrl } from '/config.js';

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
    $('user-phone').textContent = user.primaryPhoneNumber?.phoneNumber ?? '';
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
  const phoneNumber = formData.get('phone');
  try {
    // Start the sign-up process using the phone number method
    await clerk.client.signUp.create({ phoneNumber });
    await clerk.client.signUp.preparePhoneNumberVerification();
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
    // Verify the phone number
    const verify = await clerk.client.signUp.attemptPhoneNumberVerification({ code });
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
    // Filter the returned array to find the 'phone_code' entry
    const phoneCodeFactor = supportedFirstFactors?.find((f) => f.strategy === 'phone_code');
    if (phoneCodeFactor) {
      const { phoneNumberId } = phoneCodeFactor;
      // Send the OTP code to the user
      await clerk.client.signIn.prepareFirstFactor({ strategy: 'phone_code', phoneNumberId });
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
    const signInAttempt = await clerk.client.signIn.attemptFirstFactor({ strategy: 'phone_code', code });
    if (signInAttempt.status === 'complete') {
      await clerk.setActive({ session: signInAttempt.createdSessionId });
    } else {
      console.error(signInAttempt);
    }
  } catch (error) {
    showError(error);
  }
});
