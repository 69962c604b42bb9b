// Package entry `clerk-wasm/ui`: the build with the mountable forms (cargo feature `ui`):
// the whole headless API plus mountSignIn / mountSignUp / openSignIn / openSignUp /
// mountUserButton and their unmount / close. Its own .wasm sits next to this file.
// Style the forms with `clerk-wasm/clerk-wasm.css` (optional). A page imports this entry
// or `clerk-wasm`, never both: each is its own WebAssembly instance with its own state.
import init from './clerk_wasm.js';

const ENTRY = Symbol.for('clerk-wasm.entry');
if (globalThis[ENTRY] === 'clerk-wasm') {
  console.warn("clerk-wasm: both 'clerk-wasm' and 'clerk-wasm/ui' are loaded (two separate instances); import only one.");
}
globalThis[ENTRY] ??= 'clerk-wasm/ui';

await init();

export { Clerk, Client, SignIn, SignUp, Session, EmailAddress, version } from './clerk_wasm.js';
export {
  ClerkError,
  ClerkAPIResponseError,
  ClerkNetworkError,
  ClerkRuntimeError,
  EmailLinkError,
  ClerkCancelledError,
  isClerkAPIResponseError,
  isEmailLinkError,
} from '__ERRORS_JS__';
