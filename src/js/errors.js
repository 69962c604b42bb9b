// Error classes thrown by clerk-wasm, re-exported by the package entry so `instanceof`
// works in applications. Built only from Rust (src/interop.rs), through the factories below.

// Each class spells its own `name` (a static field, not the class's identifier), so the
// release build may minify identifiers and `err.name` stays ClerkJS's.

/** Base class of every clerk-wasm error: a real Error with a stable `code`. */
export class ClerkError extends Error {
  static name = 'ClerkError';
  constructor(message, code) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.clerkError = true;
  }
}

/** The Frontend API answered with an error envelope (ClerkJS's ClerkAPIResponseError). */
export class ClerkAPIResponseError extends ClerkError {
  static name = 'ClerkAPIResponseError';
  constructor(message, status, errors, retryAfter, clerkTraceId) {
    super(message, errors.length ? errors[0].code : 'api_error');
    this.status = status;
    this.errors = errors;
    this.retryAfter = retryAfter;
    this.clerkTraceId = clerkTraceId;
  }
}

/** The request never got an HTTP answer (offline, DNS, CORS, server down, timed out). */
export class ClerkNetworkError extends ClerkError {
  static name = 'ClerkNetworkError';
}

/** A call made in a state where it cannot work (no sign-in yet, no such factor…). */
export class ClerkRuntimeError extends ClerkError {
  static name = 'ClerkRuntimeError';
}

/** An email-link outcome that is not a success: expired, failed, client_mismatch. */
export class EmailLinkError extends ClerkError {
  static name = 'EmailLinkError';
}

/** A flow was cancelled (cancelEmailLinkFlow, an AbortSignal, a second start). */
export class ClerkCancelledError extends ClerkError {
  static name = 'ClerkCancelledError';
}

/** True when `err` is a ClerkAPIResponseError. */
export const isClerkAPIResponseError = (err) => err instanceof ClerkAPIResponseError;

/** True when `err` is an EmailLinkError. */
export const isEmailLinkError = (err) => err instanceof EmailLinkError;

/** True when `err` is a ClerkRuntimeError (a call that could not be made; nothing was sent). */
export const isClerkRuntimeError = (err) => err instanceof ClerkRuntimeError;

/** True when the Frontend API refused because the user is locked out (too many failed attempts). */
export const isUserLockedError = (err) => err instanceof ClerkAPIResponseError && err.errors?.[0]?.code === 'user_locked';

/** The codes of `EmailLinkError` (ClerkJS's `EmailLinkErrorCodeStatus`). */
export const EmailLinkErrorCodeStatus = Object.freeze({ Expired: 'expired', Failed: 'failed', ClientMismatch: 'client_mismatch' });

/** The codes of `EmailLinkError` (ClerkJS's older name). */
export const EmailLinkErrorCode = EmailLinkErrorCodeStatus;

// Factories called from Rust (src/interop.rs).
/** `errors`: the envelope's entries, already in ClerkJS's shape; with none, one from the status. */
export function __apiError(message, status, errors, retryAfter, traceId) {
  if (!errors.length) errors = [{ code: 'api_error', message, longMessage: message, meta: {} }];
  return new ClerkAPIResponseError(message, status, errors, retryAfter, traceId);
}
const KINDS = [ClerkNetworkError, ClerkCancelledError, EmailLinkError, ClerkRuntimeError];
/** kind: 0 network, 1 cancelled, 2 email link, 3 runtime. */
export const __error = (kind, message, code) => new KINDS[kind](message, code);
