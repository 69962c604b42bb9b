// Types of the clerk-wasm package: ClerkJS's names and shapes. Timestamps are Unix
// milliseconds (numbers), as in Clerk's Frontend API.

/** Options of `new Clerk(publishableKey, options)`. */
export interface ClerkOptions {
  /** Reach the Frontend API here instead of the key's host: absolute http(s) URL or a path on this origin. */
  proxyUrl?: string;
  /** Run the token refresh and the email-link polls on a dedicated worker's timers, which
   *  browsers throttle less in background tabs. Needs `worker-src blob:` in the page's CSP;
   *  without it the page's timers are used. Default false. */
  workerTimers?: boolean;
}

export type SignInStatus =
  | 'needs_identifier' | 'needs_first_factor' | 'needs_second_factor' | 'needs_client_trust'
  | 'needs_new_password' | 'complete' | 'abandoned' | (string & {});
export type SignUpStatus = 'missing_requirements' | 'complete' | 'abandoned' | (string & {});
export type SessionStatus = 'active' | 'pending' | 'ended' | 'removed' | 'revoked' | 'expired' | 'abandoned' | (string & {});
export type VerificationStatus = 'unverified' | 'verified' | 'transferable' | 'failed' | 'expired' | (string & {});
export type Strategy = 'phone_code' | 'email_code' | 'email_link' | 'totp' | 'backup_code' | (string & {});
export type FetchStatus = 'idle' | 'fetching';

/** A JSON value (what `unsafeMetadata` and similar fields hold). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface Verification {
  /** Whether the verification was completed on this client (an email link opened in this browser). */
  verifiedFromTheSameClient(): boolean;
  status: VerificationStatus | null;
  strategy: Strategy | null;
  attempts: number | null;
  expireAt: number | null;
  verifiedAtClient?: string | null;
  nextAction?: 'needs_prepare' | 'needs_attempt' | '' | null;
  supportedStrategies?: Strategy[];
  channel?: 'sms' | 'whatsapp' | null;
}

export interface Factor {
  strategy: Strategy;
  safeIdentifier?: string;
  emailAddressId?: string;
  phoneNumberId?: string;
  primary?: boolean | null;
  default?: boolean;
  channel?: string;
}

/** An email address as plain JSON (in `user.emailAddresses`, `toJSON()`). */
export interface EmailAddressJSON {
  id: string;
  object: 'email_address';
  emailAddress: string;
  verification: Verification | null;
  createdAt?: number;
  updatedAt?: number;
}

export interface PhoneNumber {
  id: string;
  object: 'phone_number';
  phoneNumber: string;
  verification: Verification | null;
  reservedForSecondFactor?: boolean;
  defaultSecondFactor?: boolean;
}

/** A user as plain JSON (camelCase), e.g. `session.user`. */
export interface UserJSON {
  id: string;
  firstName: string | null;
  lastName: string | null;
  username: string | null;
  imageUrl?: string;
  hasImage?: boolean;
  primaryEmailAddressId: string | null;
  primaryPhoneNumberId: string | null;
  emailAddresses: EmailAddressJSON[];
  phoneNumbers: PhoneNumber[];
  twoFactorEnabled?: boolean;
  publicMetadata?: { [key: string]: Json };
  unsafeMetadata?: { [key: string]: Json };
  createdAt: number;
  updatedAt: number;
}

/** The signed-in user (`clerk.user`), as ClerkJS's User: the JSON plus the primary identifiers resolved. */
export interface User extends UserJSON {
  /** `firstName` and `lastName` joined by a space, or null when both are empty (as ClerkJS). */
  fullName: string | null;
  primaryEmailAddress: EmailAddressJSON | null;
  primaryPhoneNumber: PhoneNumber | null;
  /** Adds an email address to the user (`POST /v1/me/email_addresses`); verify it with
   *  `createEmailLinkFlow()` or `prepareVerification`. `emailAddress` is accepted as an alias of `email`. */
  createEmailAddress(params: { email: string } | { emailAddress: string }): Promise<EmailAddress>;
}

/** An email address of the signed-in user, as a live resource (`user.createEmailAddress()`'s result). */
export class EmailAddress {
  private constructor();
  readonly id: string;
  /** `null` once the address is no longer on the user. */
  readonly emailAddress: string | null;
  readonly verification: Verification | null;
  /** `{ startEmailLinkFlow({ redirectUrl, signal? }), cancelEmailLinkFlow() }`; resolves to this address. */
  createEmailLinkFlow(): EmailLinkFlow<EmailAddress>;
  prepareVerification(params?: { strategy?: 'email_code' | 'email_link'; redirectUrl?: string }): Promise<EmailAddress>;
  attemptVerification(params: { code: string }): Promise<EmailAddress>;
  reload(): Promise<EmailAddress>;
  toJSON(): EmailAddressJSON | null;
}

/** One error of a Frontend API error answer (camelCase). */
export interface ClerkAPIErrorJSON {
  code: string;
  message: string;
  longMessage: string;
  meta: { paramName?: string | null; sessionId?: string | null; emailAddresses?: string[]; identifiers?: string[] };
}

/** Base class of every clerk-wasm error: a real Error with a stable `code`. */
export class ClerkError extends Error {
  readonly code: string;
  readonly clerkError: true;
}
/** The Frontend API answered with an error (ClerkJS's ClerkAPIResponseError). */
export class ClerkAPIResponseError extends ClerkError {
  readonly status: number;
  readonly errors: ClerkAPIErrorJSON[];
  /** Seconds to wait, from `Retry-After` (429 answers). */
  readonly retryAfter: number | undefined;
  readonly clerkTraceId: string | undefined;
}
/** No HTTP answer (offline, DNS, CORS, server down). `code` is `network_error`. */
export class ClerkNetworkError extends ClerkError {}
/** A call made in a state where it cannot work (`sign_in_missing`, `factor_not_found`, `invalid_publishable_key`, …). */
export class ClerkRuntimeError extends ClerkError {}
/** An email-link outcome that is not a success: `expired`, `failed` or `client_mismatch`. */
export class EmailLinkError extends ClerkError {}
/** A flow was cancelled (`cancelEmailLinkFlow`, an AbortSignal, a second start). `code` is `cancelled`. */
export class ClerkCancelledError extends ClerkError {}
export function isClerkAPIResponseError(err: unknown): err is ClerkAPIResponseError;
export function isEmailLinkError(err: unknown): err is EmailLinkError;

/** The newer API's error view of the last call. */
export interface FieldErrors<F extends string> {
  fields: Partial<Record<F, ClerkAPIErrorJSON>>;
  raw: ClerkAPIErrorJSON[];
  global: ClerkAPIErrorJSON[];
}
/** Every newer-API call resolves to this; it never rejects for API errors. */
export interface NewerResult {
  error: ClerkError | null;
}

export interface NavigateParams {
  /** Called after the session became active (instead of `redirectUrl`). */
  navigate?: (args: { session: Session | null }) => void | Promise<unknown>;
  redirectUrl?: string;
}

/** Parameters of sign-in `create` (camelCase; sent snake_case). */
export interface SignInCreateParams {
  identifier?: string;
  strategy?: Strategy;
  redirectUrl?: string;
  transfer?: boolean;
  [field: string]: Json | undefined;
}
export interface PrepareFactorParams {
  strategy: Strategy;
  phoneNumberId?: string;
  emailAddressId?: string;
  redirectUrl?: string;
  channel?: 'sms' | 'whatsapp';
  /** The wire names (seed 000 writes `phone_number_id`); sent as they are. */
  phone_number_id?: string;
  email_address_id?: string;
  redirect_url?: string;
}
export interface AttemptFactorParams {
  strategy: Strategy;
  code: string;
}

/** `signIn.phoneCode` / `signIn.emailCode` (newer API). */
export class SignInCode {
  private constructor();
  sendCode(params?: { phoneNumber?: string; phoneNumberId?: string; channel?: 'sms' | 'whatsapp'; emailAddress?: string; emailAddressId?: string }): Promise<NewerResult>;
  verifyCode(params: { code: string }): Promise<NewerResult>;
}

/** `signIn.mfa` (newer API): second factors. */
export class SignInMfa {
  private constructor();
  sendPhoneCode(): Promise<NewerResult>;
  sendEmailCode(): Promise<NewerResult>;
  verifyPhoneCode(params: { code: string }): Promise<NewerResult>;
  verifyEmailCode(params: { code: string }): Promise<NewerResult>;
  verifyTotp(params: { code: string }): Promise<NewerResult>;
  verifyBackupCode(params: { code: string }): Promise<NewerResult>;
}

/** The outcome of an email link, read from the landing URL. */
export interface EmailLinkVerification {
  status: 'verified' | 'expired' | 'failed' | 'client_mismatch' | 'transferable' | (string & {});
  createdSessionId: string;
  verifiedFromTheSameClient: boolean;
}

/** `{ startEmailLinkFlow, cancelEmailLinkFlow }` of `createEmailLinkFlow()`. */
export interface EmailLinkFlow<R> {
  /** Prepares the link, then polls every second; resolves to the resource when verified or expired.
   *  Rejects with ClerkCancelledError on cancel (unlike ClerkJS, whose promise never settles). */
  startEmailLinkFlow(params: { redirectUrl: string; emailAddressId?: string; signal?: AbortSignal }): Promise<R>;
  /** Stops polling and aborts the request in flight; idempotent. */
  cancelEmailLinkFlow(): void;
}

/** `signIn.emailLink` (newer API). */
export class SignInEmailLink {
  private constructor();
  /** Creates the sign-in when needed (`emailAddress`), then sends the link to `verificationUrl`. */
  sendLink(params: { emailAddress?: string; emailAddressId?: string; verificationUrl: string }): Promise<NewerResult>;
  /** Polls until verified (`{ error: null }`) or expired (`{ error: EmailLinkError }`); an abort gives `ClerkCancelledError`. */
  waitForVerification(params?: { signal?: AbortSignal }): Promise<NewerResult>;
  /** On the landing page: the outcome read from the URL, or `null`. */
  readonly verification: EmailLinkVerification | null;
}

/** A sign-in attempt. `clerk.client.signIn` is the classic skin (methods resolve to the
 *  resource and throw ClerkAPIResponseError); `clerk.signIn` is the newer skin, whose
 *  `create` resolves to `{ error }`. Getters are live: they show what the server said last. */
export class SignIn {
  private constructor();
  readonly id: string | null;
  readonly status: SignInStatus | null;
  readonly identifier: string | null;
  readonly supportedFirstFactors: Factor[] | null;
  readonly supportedSecondFactors: Factor[] | null;
  readonly firstFactorVerification: Verification | null;
  readonly secondFactorVerification: Verification | null;
  readonly createdSessionId: string | null;
  readonly userData: { firstName: string | null; lastName: string | null; imageUrl?: string; hasImage?: boolean } | null;
  readonly errors: FieldErrors<'identifier' | 'password' | 'code'>;
  readonly fetchStatus: FetchStatus;
  readonly phoneCode: SignInCode;
  readonly emailCode: SignInCode;
  readonly mfa: SignInMfa;
  readonly emailLink: SignInEmailLink;
  create(params: SignInCreateParams): Promise<SignIn>;
  prepareFirstFactor(params: PrepareFactorParams): Promise<SignIn>;
  attemptFirstFactor(params: AttemptFactorParams): Promise<SignIn>;
  prepareSecondFactor(params: PrepareFactorParams): Promise<SignIn>;
  attemptSecondFactor(params: AttemptFactorParams): Promise<SignIn>;
  reload(): Promise<SignIn>;
  finalize(params?: NavigateParams): Promise<NewerResult>;
  reset(): void;
  /** `{ startEmailLinkFlow({ redirectUrl, emailAddressId?, signal? }), cancelEmailLinkFlow() }`; resolves to the sign-in. */
  createEmailLinkFlow(): EmailLinkFlow<SignIn>;
}

/** `clerk.signIn`: the same resource with the newer API's contract: every call
 *  resolves to `{ error }` and never rejects for API errors. */
export type SignInFuture = Omit<SignIn, 'create' | 'prepareFirstFactor' | 'attemptFirstFactor' | 'prepareSecondFactor' | 'attemptSecondFactor' | 'reload'> & {
  create(params: SignInCreateParams): Promise<NewerResult>;
  prepareFirstFactor(params: PrepareFactorParams): Promise<NewerResult>;
  attemptFirstFactor(params: AttemptFactorParams): Promise<NewerResult>;
  prepareSecondFactor(params: PrepareFactorParams): Promise<NewerResult>;
  attemptSecondFactor(params: AttemptFactorParams): Promise<NewerResult>;
  reload(): Promise<NewerResult>;
};

export interface SignUpCreateParams {
  emailAddress?: string;
  phoneNumber?: string;
  firstName?: string;
  lastName?: string;
  username?: string;
  unsafeMetadata?: { [key: string]: Json };
  legalAccepted?: boolean;
  [field: string]: Json | undefined;
}

/** `signUp.verifications`: the verification states and the newer API's senders. */
export class SignUpVerifications {
  private constructor();
  readonly emailAddress: Verification | null;
  readonly phoneNumber: Verification | null;
  sendPhoneCode(params?: { channel?: 'sms' | 'whatsapp' }): Promise<NewerResult>;
  verifyPhoneCode(params: { code: string }): Promise<NewerResult>;
  sendEmailCode(): Promise<NewerResult>;
  verifyEmailCode(params: { code: string }): Promise<NewerResult>;
  /** Sends the verification link to the sign-up's email address. */
  sendEmailLink(params: { verificationUrl: string }): Promise<NewerResult>;
  /** Polls until verified (`{ error: null }`) or expired (`{ error: EmailLinkError }`). */
  waitForEmailLinkVerification(params?: { signal?: AbortSignal }): Promise<NewerResult>;
  /** On the landing page: the outcome read from the URL, or `null`. */
  readonly emailLinkVerification: EmailLinkVerification | null;
}

/** `signUp.phoneCode` / `signUp.emailCode`: seed 003's names for the verifications' senders. */
export interface SignUpCode {
  sendCode(params?: { channel?: 'sms' | 'whatsapp' }): Promise<NewerResult>;
  verifyCode(params: { code: string }): Promise<NewerResult>;
}

/** A sign-up attempt (`clerk.client.signUp` classic, `clerk.signUp` newer). */
export class SignUp {
  private constructor();
  /** `verifications.sendPhoneCode` / `verifyPhoneCode`. */
  readonly phoneCode: SignUpCode;
  /** `verifications.sendEmailCode` / `verifyEmailCode`. */
  readonly emailCode: SignUpCode;
  readonly id: string | null;
  readonly status: SignUpStatus | null;
  readonly requiredFields: string[] | null;
  readonly missingFields: string[] | null;
  readonly unverifiedFields: string[] | null;
  readonly emailAddress: string | null;
  readonly phoneNumber: string | null;
  readonly createdSessionId: string | null;
  readonly createdUserId: string | null;
  readonly verifications: SignUpVerifications;
  readonly errors: FieldErrors<'firstName' | 'lastName' | 'emailAddress' | 'phoneNumber' | 'password' | 'username' | 'code' | 'captcha' | 'legalAccepted'>;
  readonly fetchStatus: FetchStatus;
  create(params: SignUpCreateParams): Promise<SignUp>;
  update(params: SignUpCreateParams): Promise<SignUp>;
  prepareVerification(params: PrepareFactorParams): Promise<SignUp>;
  attemptVerification(params: AttemptFactorParams): Promise<SignUp>;
  preparePhoneNumberVerification(params?: { strategy?: 'phone_code'; channel?: 'sms' | 'whatsapp' }): Promise<SignUp>;
  attemptPhoneNumberVerification(params: { code: string }): Promise<SignUp>;
  prepareEmailAddressVerification(params?: { strategy?: 'email_code' | 'email_link'; redirectUrl?: string }): Promise<SignUp>;
  attemptEmailAddressVerification(params: { code: string }): Promise<SignUp>;
  reload(): Promise<SignUp>;
  finalize(params?: NavigateParams): Promise<NewerResult>;
  reset(): void;
  /** `{ startEmailLinkFlow({ redirectUrl, signal? }), cancelEmailLinkFlow() }`; resolves to the sign-up. */
  createEmailLinkFlow(): EmailLinkFlow<SignUp>;
}

type SignUpClassicMethods = 'create' | 'update' | 'prepareVerification' | 'attemptVerification'
  | 'preparePhoneNumberVerification' | 'attemptPhoneNumberVerification'
  | 'prepareEmailAddressVerification' | 'attemptEmailAddressVerification' | 'reload';

/** `clerk.signUp`: the same resource with the newer API's contract (every call resolves to `{ error }`). */
export type SignUpFuture = Omit<SignUp, SignUpClassicMethods> & {
  [M in SignUpClassicMethods]: (...args: Parameters<SignUp[M]>) => Promise<NewerResult>;
};

export interface SessionJSON {
  id: string;
  status: SessionStatus;
  expireAt: number;
  lastActiveAt: number;
  user: UserJSON | null;
  lastActiveToken: { object: 'token'; jwt: string } | null;
}

/** A session. */
export class Session {
  private constructor();
  readonly id: string;
  readonly status: SessionStatus | null;
  readonly user: UserJSON | null;
  readonly publicUserData: { firstName: string | null; lastName: string | null; identifier?: string; userId?: string } | null;
  readonly expireAt: number | null;
  readonly lastActiveAt: number | null;
  /** The session JWT (60 s lifetime), cached while more than 5 s remain; one refresh in flight. */
  getToken(options?: { template?: string }): Promise<string | null>;
  toJSON(): SessionJSON | null;
}

/** `clerk.client`. */
export class Client {
  private constructor();
  readonly id: string | null;
  readonly signIn: SignIn;
  readonly signUp: SignUp;
  readonly sessions: SessionJSON[];
  readonly signedInSessions: SessionJSON[];
  readonly lastActiveSessionId: string | null;
  readonly createdAt: number | null;
  readonly updatedAt: number | null;
}

/** What listeners receive. */
export interface ListenerArgs {
  client: Client;
  session: Session | null;
  user: User | null;
}

/** ClerkJS's redirect options (`load()` options, `buildSignInUrl()` props, form props). */
export interface RedirectOptions {
  /** Where to go afterwards (beaten by a force URL, beats a fallback). */
  redirectUrl?: string;
  signInForceRedirectUrl?: string;
  signInFallbackRedirectUrl?: string;
  signUpForceRedirectUrl?: string;
  signUpFallbackRedirectUrl?: string;
}

/** Options of `clerk.load()`. */
export interface LoadOptions extends RedirectOptions {
  /** The sign-in page (default: the instance's, `display_config.sign_in_url`). */
  signInUrl?: string;
  /** The sign-up page (default: the instance's). */
  signUpUrl?: string;
  /** Where redirects may go besides this page's origin: origins, or `https://*.example.com` patterns. */
  allowedRedirectOrigins?: Array<string | URL>;
  /** @deprecated use `signInFallbackRedirectUrl`. */
  afterSignInUrl?: string;
  /** @deprecated use `signUpFallbackRedirectUrl`. */
  afterSignUpUrl?: string;
}

/** The Clerk object: `new Clerk(publishableKey, { proxyUrl })`, then `await clerk.load()`.
 *  The constructor throws `ClerkRuntimeError` (`invalid_publishable_key`) for a key that is
 *  missing, not a string or malformed, and (`invalid_proxy_url`) for a bad `proxyUrl`. */
export class Clerk {
  constructor(publishableKey: string, options?: ClerkOptions);
  load(options?: LoadOptions): Promise<void>;
  readonly loaded: boolean;
  /** `loading` until `load()` resolves, then `ready`; `error` when it failed. */
  readonly status: 'loading' | 'ready' | 'degraded' | 'error';
  readonly frontendApi: string;
  readonly instanceType: 'development' | 'production';
  readonly client: Client | undefined;
  readonly session: Session | null | undefined;
  readonly user: User | null;
  readonly isSignedIn: boolean;
  /** The newer sign-in API (what `useSignIn()` returns as `signIn`). */
  readonly signIn: SignInFuture;
  /** The newer sign-up API (what `useSignUp()` returns as `signUp`). */
  readonly signUp: SignUpFuture;
  readonly environment: { [key: string]: Json } | null;
  setActive(params: { session: string | Session | SessionJSON | null } & NavigateParams): Promise<void>;
  /** Signs out of every session, or only of `sessionId` (ClerkJS `SignOutOptions`); `redirectUrl` is visited when the active session ended.
   *  The other tabs of this browser on the same client are signed out too, at once (their listeners run). */
  signOut(options?: { sessionId?: string; redirectUrl?: string }): Promise<void>;
  /** ClerkJS's other form: `callback` runs (and is awaited) instead of the redirect once the active session ended. */
  signOut(callback: () => void | Promise<unknown>, options?: { sessionId?: string; redirectUrl?: string }): Promise<void>;
  /** Called now (when loaded) and after every change, including a sign-in or sign-out in another
   *  tab of this browser on the same client; returns the unsubscribe function.
   *  Throws `ClerkRuntimeError` (`invalid_listener`) when `callback` is not a function. */
  addListener(callback: (args: ListenerArgs) => void): () => void;
  /** The hosted sign-in page's URL: `redirect_url` (default: this page) and the other redirect
   *  options in its hash; a development instance's URL on another origin carries the dev browser. */
  buildSignInUrl(props?: RedirectOptions & { initialValues?: { [key: string]: string } }): string;
  /** The hosted sign-up page's URL (as `buildSignInUrl`). */
  buildSignUpUrl(props?: RedirectOptions & { initialValues?: { [key: string]: string } }): string;
  /** The hosted user-profile page's URL. */
  buildUserProfileUrl(): string;
  /** Where the user goes after signing in (force URL, `redirectUrl`, fallback, else `/`). */
  buildAfterSignInUrl(): string;
  /** Where the user goes after signing up. */
  buildAfterSignUpUrl(): string;
  /** Goes to `buildSignInUrl(props)`. */
  redirectToSignIn(props?: RedirectOptions): Promise<void>;
  /** Goes to `buildSignUpUrl(props)`. */
  redirectToSignUp(props?: RedirectOptions): Promise<void>;
  /** Goes to the hosted user-profile page. */
  redirectToUserProfile(): Promise<void>;
  /** Goes to `buildAfterSignInUrl()`. */
  redirectToAfterSignIn(): Promise<void>;
  /** Goes to `buildAfterSignUpUrl()`. */
  redirectToAfterSignUp(): Promise<void>;
  /** On the page an email link lands on: reads (and removes) `__clerk_status` / `__clerk_created_session`,
   *  tells waiting tabs, then activates the session and goes to `redirectUrlComplete`, continues on
   *  `redirectUrl`, or calls `onVerifiedOnOtherDevice()`. Rejects with EmailLinkError
   *  (`expired`, `failed`, `client_mismatch`). */
  handleEmailLinkVerification(
    params: HandleEmailLinkVerificationParams,
    customNavigate?: (to: string) => void | Promise<unknown>,
  ): Promise<'verified' | 'continue' | 'verified_on_other_device' | 'transferable'>;

  // The mountable forms: present only in the build with the `ui` feature
  // (`clerk-wasm/ui`, and the script-tag loader); `undefined` in the headless entry.
  /** Renders the sign-in form inside `element` (ui build only). */
  mountSignIn?(element: Element, props?: SignInProps): void;
  /** Renders the sign-up form (exactly the fields the instance requires) inside `element` (ui build only). */
  mountSignUp?(element: Element, props?: SignUpProps): void;
  /** Removes the sign-in form from `element` with its listeners and timers (ui build only). */
  unmountSignIn?(element: Element): void;
  /** Removes the sign-up form from `element` (ui build only). */
  unmountSignUp?(element: Element): void;
  /** Opens the sign-in form in a modal `<dialog>` (ui build only). */
  openSignIn?(props?: SignInProps): void;
  /** Opens the sign-up form in a modal `<dialog>` (ui build only). */
  openSignUp?(props?: SignUpProps): void;
  /** Closes the sign-in modal (ui build only). */
  closeSignIn?(): void;
  /** Closes the sign-up modal (ui build only). */
  closeSignUp?(): void;
  /** The signed-in user with a sign-out menu; empty while signed out (ui build only). */
  mountUserButton?(element: Element, props?: { afterSignOutUrl?: string }): void;
  /** Removes the user button from `element` (ui build only). */
  unmountUserButton?(element: Element): void;
}

/** Parameters of `clerk.handleEmailLinkVerification`. */
export interface HandleEmailLinkVerificationParams {
  /** Where to go when the session was created and is now active here. */
  redirectUrlComplete?: string;
  /** Where to go when the flow continues on this device (more requirements). */
  redirectUrl?: string;
  /** Called when the link was verified from another device (or is transferable). */
  onVerifiedOnOtherDevice?: () => void;
}

/** Props of `mountSignIn` / `openSignIn`. */
export interface SignInProps {
  /** Where to go after signing in (beaten by `forceRedirectUrl`, beats `fallbackRedirectUrl`). */
  redirectUrl?: string;
  /** Always go here after signing in. */
  forceRedirectUrl?: string;
  /** Go here after signing in when nothing else says where. */
  fallbackRedirectUrl?: string;
  /** @deprecated use `fallbackRedirectUrl`. */
  afterSignInUrl?: string;
  /** The link to the sign-up page. */
  signUpUrl?: string;
  /** Called after a successful sign-in (instead of navigating). */
  onSuccess?: () => void;
}

/** Props of `mountSignUp` / `openSignUp`. */
export interface SignUpProps {
  /** Where to go after signing up (beaten by `forceRedirectUrl`, beats `fallbackRedirectUrl`). */
  redirectUrl?: string;
  /** Always go here after signing up. */
  forceRedirectUrl?: string;
  /** Go here after signing up when nothing else says where. */
  fallbackRedirectUrl?: string;
  /** @deprecated use `fallbackRedirectUrl`. */
  afterSignUpUrl?: string;
  /** The link to the sign-in page. */
  signInUrl?: string;
  /** Called after a successful sign-up (instead of navigating). */
  onSuccess?: () => void;
}

/** The SDK version. */
export function version(): string;

/** True when `err` is a ClerkRuntimeError. */
export function isClerkRuntimeError(err: unknown): err is ClerkRuntimeError;
/** True when the Frontend API refused because the user is locked out (`user_locked`). */
export function isUserLockedError(err: unknown): err is ClerkAPIResponseError;
/** The codes of `EmailLinkError` (ClerkJS's `EmailLinkErrorCodeStatus`). */
export const EmailLinkErrorCodeStatus: { readonly Expired: 'expired'; readonly Failed: 'failed'; readonly ClientMismatch: 'client_mismatch' };
/** The codes of `EmailLinkError` (ClerkJS's older name). */
export const EmailLinkErrorCode: typeof EmailLinkErrorCodeStatus;
