// Types of the clerk-wasm package: ClerkJS's names and shapes. Timestamps are Unix
// milliseconds (numbers), as in Clerk's Frontend API.

/** Options of `new Clerk(publishableKey, options)`. */
export interface ClerkOptions {
  /** Reach the Frontend API here instead of the key's host: absolute http(s) URL or a path on this origin. */
  proxyUrl?: string;
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

export interface EmailAddress {
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

/** The signed-in user, as ClerkJS's User (camelCase JSON plus the primary identifiers). */
export interface User {
  id: string;
  firstName: string | null;
  lastName: string | null;
  username: string | null;
  imageUrl?: string;
  hasImage?: boolean;
  primaryEmailAddressId: string | null;
  primaryPhoneNumberId: string | null;
  primaryEmailAddress: EmailAddress | null;
  primaryPhoneNumber: PhoneNumber | null;
  emailAddresses: EmailAddress[];
  phoneNumbers: PhoneNumber[];
  twoFactorEnabled?: boolean;
  publicMetadata?: { [key: string]: Json };
  unsafeMetadata?: { [key: string]: Json };
  createdAt: number;
  updatedAt: number;
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
  create(params: SignInCreateParams): Promise<SignIn>;
  prepareFirstFactor(params: PrepareFactorParams): Promise<SignIn>;
  attemptFirstFactor(params: AttemptFactorParams): Promise<SignIn>;
  prepareSecondFactor(params: PrepareFactorParams): Promise<SignIn>;
  attemptSecondFactor(params: AttemptFactorParams): Promise<SignIn>;
  reload(): Promise<SignIn>;
  finalize(params?: NavigateParams): Promise<NewerResult>;
  reset(): void;
}

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
}

/** A sign-up attempt (`clerk.client.signUp` classic, `clerk.signUp` newer). */
export class SignUp {
  private constructor();
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
  preparePhoneNumberVerification(params?: { channel?: 'sms' | 'whatsapp' }): Promise<SignUp>;
  attemptPhoneNumberVerification(params: { code: string }): Promise<SignUp>;
  prepareEmailAddressVerification(params?: { strategy?: 'email_code' | 'email_link'; redirectUrl?: string }): Promise<SignUp>;
  attemptEmailAddressVerification(params: { code: string }): Promise<SignUp>;
  reload(): Promise<SignUp>;
  finalize(params?: NavigateParams): Promise<NewerResult>;
  reset(): void;
}

export interface SessionJSON {
  id: string;
  status: SessionStatus;
  expireAt: number;
  lastActiveAt: number;
  user: User | null;
  lastActiveToken: { object: 'token'; jwt: string } | null;
}

/** A session. */
export class Session {
  private constructor();
  readonly id: string;
  readonly status: SessionStatus | null;
  readonly user: User | null;
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

/** The Clerk object: `new Clerk(publishableKey, { proxyUrl })`, then `await clerk.load()`. */
export class Clerk {
  constructor(publishableKey: string, options?: ClerkOptions);
  load(options?: object): Promise<void>;
  readonly loaded: boolean;
  readonly frontendApi: string;
  readonly instanceType: 'development' | 'production';
  readonly client: Client | undefined;
  readonly session: Session | null | undefined;
  readonly user: User | null;
  readonly isSignedIn: boolean;
  /** The newer sign-in API (what `useSignIn()` returns as `signIn`). */
  readonly signIn: SignIn;
  /** The newer sign-up API (what `useSignUp()` returns as `signUp`). */
  readonly signUp: SignUp;
  readonly environment: { [key: string]: Json } | null;
  setActive(params: { session: string | Session | null } & NavigateParams): Promise<void>;
  signOut(options?: { redirectUrl?: string }): Promise<void>;
  /** Called now (when loaded) and after every change; returns the unsubscribe function. */
  addListener(callback: (args: ListenerArgs) => void): () => void;
  redirectToSignIn(): void;
  redirectToSignUp(): void;
}

/** The SDK version. */
export function version(): string;
