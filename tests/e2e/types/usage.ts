// The package's public types, exercised the way the seed examples use the API
// (seed 001: the classic `client.signUp` / `client.signIn` flow with SMS or email
// codes; seed 003: the newer `clerk.signUp` / `clerk.signIn` API), plus email
// links, errors and the ui build's forms. Type-checked, never run, by
// tests/e2e/types.test.mjs: `tsc --noEmit --strict` against the built package's
// index.d.ts. Every `@ts-expect-error` line is a misuse the types must reject
// (tsc fails when such a line compiles).
import {
  Clerk,
  Client,
  Session,
  SignIn,
  SignUp,
  EmailAddress,
  ClerkError,
  ClerkAPIResponseError,
  ClerkNetworkError,
  ClerkRuntimeError,
  EmailLinkError,
  ClerkCancelledError,
  isClerkAPIResponseError,
  isEmailLinkError,
  version,
} from 'clerk-wasm';
import type {
  User, SignInFuture, SignUpFuture, NewerResult, ClerkAPIErrorJSON, Factor, SessionJSON, EmailLinkVerification,
} from 'clerk-wasm';

/** Compiles only when `value`'s type is not `any`. */
function notAny<T>(value: 0 extends 1 & T ? never : T): T { return value; }

const publishableKey = 'pk_test_Y2xlcmsuZXhhbXBsZS5jb20k';
const clerk = new Clerk(publishableKey, { proxyUrl: '/__clerk', workerTimers: true });
const v: string = version();

// ---------------------------------------------------------------------------
// Seed 001, plain JS, SMS: sign-up with the classic API.
async function seed001SignUp(phoneNumber: string, code: string): Promise<void> {
  await clerk.load();
  const loaded: boolean = clerk.loaded;
  const client = clerk.client;
  if (!client) return;
  const signUp: SignUp = client.signUp;
  try {
    await signUp.create({ phoneNumber });
    await signUp.preparePhoneNumberVerification({ strategy: 'phone_code' });
    const verify = await client.signUp.attemptPhoneNumberVerification({ code });
    if (verify.status === 'complete') {
      await clerk.setActive({ session: verify.createdSessionId });
    } else {
      const missing: string[] | null = verify.missingFields;
      const unverified: string[] | null = verify.unverifiedFields;
      console.error(JSON.stringify(verify), missing, unverified, loaded);
    }
  } catch (err) {
    if (isClerkAPIResponseError(err)) {
      const first: ClerkAPIErrorJSON | undefined = err.errors[0];
      const param: string | null | undefined = first?.meta.paramName;
      const status: number = err.status;
      const retry: number | undefined = err.retryAfter;
      console.error(first?.longMessage, param, status, retry);
    } else if (err instanceof ClerkNetworkError || err instanceof ClerkRuntimeError) {
      console.error(err.code, err.message);
    }
  }
}

// Seed 001, SMS sign-in: create, prepareFirstFactor with the phone factor, attempt.
async function seed001SignIn(identifier: string, code: string): Promise<string | null> {
  await clerk.load();
  const { signIn } = clerk.client!;
  const { supportedFirstFactors } = await signIn.create({ identifier });
  const phoneCodeFactor: Factor | undefined = supportedFirstFactors?.find((f) => f.strategy === 'phone_code');
  if (phoneCodeFactor?.phoneNumberId) {
    await signIn.prepareFirstFactor({ strategy: 'phone_code', phoneNumberId: phoneCodeFactor.phoneNumberId });
  }
  const attempt: SignIn = await signIn.attemptFirstFactor({ strategy: 'phone_code', code });
  if (attempt.status === 'complete') await clerk.setActive({ session: attempt.createdSessionId });
  // Email-code variant.
  const email = (await signIn.create({ identifier: 'a@example.com' })).supportedFirstFactors?.find((f) => f.strategy === 'email_code');
  if (email?.emailAddressId) await signIn.prepareFirstFactor({ strategy: 'email_code', emailAddressId: email.emailAddressId });
  await signIn.attemptFirstFactor({ strategy: 'email_code', code });
  await clerk.client!.signUp.prepareEmailAddressVerification({ strategy: 'email_code' });
  await clerk.client!.signUp.attemptEmailAddressVerification({ code });

  // Signed in: the user, the session and its token; sign out.
  const user: User | null = clerk.user;
  const phone: string | undefined = user?.primaryPhoneNumber?.phoneNumber;
  const mail: string | undefined = user?.primaryEmailAddress?.emailAddress;
  const fullName: string | null | undefined = user?.fullName;
  const session: Session | null | undefined = clerk.session;
  const token: string | null = (await session?.getToken()) ?? null;
  const templ: string | null = (await clerk.session?.getToken({ template: 'supabase' })) ?? null;
  const json: SessionJSON | null | undefined = session?.toJSON();
  const sessions: SessionJSON[] = clerk.client!.signedInSessions;
  const unsubscribe: () => void = clerk.addListener(({ client, session: s, user: u }) => {
    const c: Client = client;
    console.log(c.id, s?.id, u?.id);
  });
  unsubscribe();
  await clerk.signOut();
  await clerk.signOut({ redirectUrl: '/' });
  await clerk.signOut({ sessionId: 'sess_123', redirectUrl: '/' });
  await clerk.signOut(() => undefined);
  await clerk.signOut(async () => {}, { sessionId: 'sess_123' });
  console.log(phone, mail, templ, json, sessions.length);
  return token;
}

// ---------------------------------------------------------------------------
// Seed 003: the newer API (what useSignUp()/useSignIn() return).
async function seed003(phoneNumber: string, code: string): Promise<void> {
  const signUp: SignUpFuture = clerk.signUp;
  const { errors, fetchStatus } = signUp;
  const created: NewerResult = await signUp.create({ phoneNumber });
  await signUp.verifications.sendPhoneCode();
  await signUp.verifications.verifyPhoneCode({ code });
  if (signUp.status === 'complete') {
    await signUp.finalize({ navigate: ({ session }) => { console.log(session?.id); } });
  }
  const needsPhone = signUp.status === 'missing_requirements' && !!signUp.unverifiedFields?.includes('phone_number');
  const disabled: boolean = fetchStatus === 'fetching';
  const phoneErr: string | undefined = errors.fields.phoneNumber?.message;
  const codeErr: string | undefined = errors.fields.code?.longMessage;

  const signIn: SignInFuture = clerk.signIn;
  const sent = await signIn.phoneCode.sendCode({ phoneNumber });
  if (sent.error) {
    const e: ClerkError = sent.error;
    console.error(e.code, signIn.errors.fields.identifier?.message, signIn.errors.global[0]?.message);
  }
  await signIn.phoneCode.verifyCode({ code });
  if (signIn.status === 'complete') await signIn.finalize({ navigate: async () => undefined });
  if (signIn.status === 'needs_second_factor') {
    await signIn.mfa.sendPhoneCode();
    await signIn.mfa.verifyPhoneCode({ code });
  }
  await signIn.emailCode.sendCode({ emailAddress: 'a@example.com' });
  await signIn.emailCode.verifyCode({ code });
  const r: NewerResult = await signIn.create({ identifier: phoneNumber });
  signIn.reset();
  console.log(created.error, needsPhone, disabled, phoneErr, codeErr, r.error);
}

// ---------------------------------------------------------------------------
// Email links: classic flows, the newer API, the landing page, a user's new address.
async function emailLinks(emailAddress: string): Promise<void> {
  const su = await clerk.client!.signUp.create({ emailAddress });
  const { startEmailLinkFlow, cancelEmailLinkFlow } = su.createEmailLinkFlow();
  const controller = new AbortController();
  const done: SignUp = await startEmailLinkFlow({ redirectUrl: `${location.origin}/verify`, signal: controller.signal });
  cancelEmailLinkFlow();
  const ev: string | null | undefined = done.verifications.emailAddress?.status;

  const si = await clerk.client!.signIn.create({ identifier: emailAddress });
  const f = si.supportedFirstFactors?.find((x) => x.strategy === 'email_link');
  const signedIn: SignIn = await si.createEmailLinkFlow().startEmailLinkFlow({ emailAddressId: f?.emailAddressId, redirectUrl: '/verify' });

  await clerk.signIn.emailLink.sendLink({ emailAddress, verificationUrl: '/verify' });
  const waited: NewerResult = await clerk.signIn.emailLink.waitForVerification({ signal: controller.signal });
  const landing: EmailLinkVerification | null = clerk.signIn.emailLink.verification;
  await clerk.signUp.verifications.sendEmailLink({ verificationUrl: '/verify' });
  await clerk.signUp.verifications.waitForEmailLinkVerification();
  const landing2: boolean | undefined = clerk.signUp.verifications.emailLinkVerification?.verifiedFromTheSameClient;

  const outcome = await clerk.handleEmailLinkVerification(
    { redirectUrlComplete: '/', redirectUrl: '/continue', onVerifiedOnOtherDevice: () => undefined },
    (to) => { history.pushState(null, '', to); },
  );
  const o: 'verified' | 'continue' | 'verified_on_other_device' | 'transferable' = outcome;

  const added: EmailAddress | undefined = await clerk.user?.createEmailAddress({ email: 'b@example.com' });
  if (added) {
    const verified: EmailAddress = await added.createEmailLinkFlow().startEmailLinkFlow({ redirectUrl: '/verify' });
    const s: string | null | undefined = verified.verification?.status;
    await added.prepareVerification({ strategy: 'email_code' });
    await added.attemptVerification({ code: '123456' });
    console.log(s, added.toJSON()?.emailAddress);
  }
  try {
    await clerk.handleEmailLinkVerification({});
  } catch (err) {
    if (isEmailLinkError(err)) console.log(err.code);
    if (err instanceof ClerkCancelledError || err instanceof EmailLinkError) console.log(err.message);
  }
  console.log(ev, signedIn.status, waited.error, landing?.status, landing2, o);
}

// ---------------------------------------------------------------------------
// The ui build's forms (optional members: absent from the headless package).
function forms(el: HTMLElement): void {
  clerk.mountSignIn?.(el, { afterSignInUrl: '/', signUpUrl: '/sign-up', onSuccess: () => undefined });
  clerk.mountSignUp?.(el, { redirectUrl: '/' });
  clerk.openSignIn?.();
  clerk.openSignUp?.({ signInUrl: '/sign-in' });
  clerk.closeSignIn?.();
  clerk.closeSignUp?.();
  clerk.mountUserButton?.(el, { afterSignOutUrl: '/' });
  clerk.unmountUserButton?.(el);
  clerk.unmountSignIn?.(el);
  clerk.unmountSignUp?.(el);
}

// ---------------------------------------------------------------------------
// No `any` reaches the caller.
async function noAny(): Promise<void> {
  notAny(clerk.user);
  notAny(clerk.client);
  notAny(clerk.session);
  notAny(clerk.environment);
  notAny(clerk.signIn.errors);
  notAny(clerk.signIn.supportedFirstFactors);
  notAny(clerk.signUp.verifications.phoneNumber);
  notAny(await clerk.load());
  notAny(await clerk.signIn.phoneCode.sendCode());
  notAny(await clerk.client!.signIn.create({ identifier: 'x' }));
  notAny(await clerk.session!.getToken());
  notAny(clerk.client!.sessions);
  notAny(clerk.session!.user);
  notAny(clerk.session!.publicUserData);
}

// ---------------------------------------------------------------------------
// Misuse the types reject.
async function misuse(el: HTMLElement): Promise<void> {
  // @ts-expect-error the publishable key is required
  new Clerk();
  // @ts-expect-error proxyUrl is a string
  new Clerk(publishableKey, { proxyUrl: 1 });
  // @ts-expect-error workerTimers is a boolean
  new Clerk(publishableKey, { workerTimers: 'yes' });
  // @ts-expect-error client is undefined before load()
  clerk.client.signIn;
  // @ts-expect-error the user is null while signed out
  clerk.user.id;
  // @ts-expect-error identifier is a string
  await clerk.client!.signIn.create({ identifier: 123 });
  // @ts-expect-error attempt needs the code
  await clerk.client!.signUp.attemptPhoneNumberVerification({});
  // @ts-expect-error prepareFirstFactor needs a strategy
  await clerk.client!.signIn.prepareFirstFactor({ phoneNumberId: 'idn_1' });
  // @ts-expect-error preparePhoneNumberVerification only takes phone_code
  await clerk.client!.signUp.preparePhoneNumberVerification({ strategy: 'email_code' });
  // @ts-expect-error the newer API resolves to { error }, not to the resource
  (await clerk.signIn.create({ identifier: 'x' })).status;
  // @ts-expect-error the newer API's verifyCode needs { code }
  await clerk.signIn.phoneCode.verifyCode();
  // @ts-expect-error a session id is a string (or a Session, or null)
  await clerk.setActive({ session: 42 });
  // @ts-expect-error fetchStatus is 'idle' | 'fetching'
  if (clerk.signIn.fetchStatus === 'loading') return;
  // @ts-expect-error sign-in errors have no such field
  clerk.signIn.errors.fields.firstName;
  // @ts-expect-error getToken resolves to string | null
  const t: string = await clerk.session!.getToken();
  // @ts-expect-error a classic flow resolves to the resource, not to { error }
  (await clerk.client!.signUp.createEmailLinkFlow().startEmailLinkFlow({ redirectUrl: '/' })).error;
  // @ts-expect-error startEmailLinkFlow needs the redirectUrl
  await clerk.client!.signUp.createEmailLinkFlow().startEmailLinkFlow({});
  // @ts-expect-error the forms exist only in the ui build: call them with ?.
  clerk.mountSignIn(el);
  // @ts-expect-error status is read-only
  clerk.client!.signIn.status = 'complete';
  try { await clerk.load(); } catch (err) {
    // @ts-expect-error a caught value is unknown until narrowed
    console.log(err.status);
  }
  // @ts-expect-error the resources have no public constructor
  new SignIn();
  console.log(t);
}

export { seed001SignUp, seed001SignIn, seed003, emailLinks, forms, noAny, misuse, v, ClerkAPIResponseError };
