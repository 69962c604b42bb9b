// Error classes thrown by clerk-wasm. Constructed by the JS shell and from Rust (src/error_classes.rs), and
// re-exported by the package entry so `instanceof` works in applications.

/** Base class of every clerk-wasm error: a real Error with a stable `code`. */
export class ClerkError extends Error {
  constructor(message, code) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.clerkError = true;
  }
}

/** The Frontend API answered with an error envelope (ClerkJS's ClerkAPIResponseError). */
export class ClerkAPIResponseError extends ClerkError {
  constructor(message, status, errors, retryAfter, clerkTraceId) {
    super(message, errors.length ? errors[0].code : 'api_error');
    this.status = status;
    this.errors = errors;
    this.retryAfter = retryAfter;
    this.clerkTraceId = clerkTraceId;
  }
}

/** The request never got an HTTP answer (offline, DNS, CORS, server down). */
export class ClerkNetworkError extends ClerkError {
  constructor(message) {
    super(message, 'network_error');
  }
}

/** A call made in a state where it cannot work (no sign-in yet, no such factor…). */
export class ClerkRuntimeError extends ClerkError {}

/** An email-link outcome that is not a success: expired, failed, client_mismatch. */
export class EmailLinkError extends ClerkError {}

/** A flow was cancelled (cancelEmailLinkFlow, an AbortSignal, a second start). */
export class ClerkCancelledError extends ClerkError {
  constructor(message) {
    super(message, 'cancelled');
  }
}

/** True when `err` is a ClerkAPIResponseError. */
export function isClerkAPIResponseError(err) {
  return err instanceof ClerkAPIResponseError;
}

/** True when `err` is an EmailLinkError. */
export function isEmailLinkError(err) {
  return err instanceof EmailLinkError;
}

// Factories called from Rust (src/error_classes.rs).
/** `param_name` → `paramName` (also used by the JS shell). */
export const __camel = (k) => k.replace(/_+([a-z0-9])/g, (_, c) => c.toUpperCase());
/** A deep copy of FAPI JSON with camelCase keys; `null`/`undefined` become `null`. */
export const __camelize = (v) => (v == null ? null : Array.isArray(v) ? v.map(__camelize)
  : typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [__camel(k), __camelize(x)])) : v);
/** `errors`: the envelope's entries as received (snake_case), given ClerkJS's shape here.
 *  With none, one entry is made from `code`. */
export function __apiError(message, status, errors, retryAfter, traceId, code) {
  const raw = Array.isArray(errors) && errors.length ? errors : [{ code, message, long_message: message }];
  const items = raw.map((e) => ({
    code: '', message: '', longMessage: e.message ?? '', ...__camelize(e), meta: __camelize(e.meta ?? {}),
  }));
  return new ClerkAPIResponseError(message, status, items, retryAfter, traceId);
}
export function __networkError(message) {
  return new ClerkNetworkError(message);
}
export function __runtimeError(message, code) {
  return new ClerkRuntimeError(message, code);
}
export function __emailLinkError(message, code) {
  return new EmailLinkError(message, code);
}
export function __cancelledError(message) {
  return new ClerkCancelledError(message);
}
