// Package entry. Instantiates the WebAssembly module once, with top-level await,
// from the .wasm file next to this one, so `new Clerk(key)` works right after the
// import, as with ClerkJS. Works in a bare <script type="module"> and in bundlers.
import init from './clerk_wasm.js';

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
