// Package entry (`clerk-wasm`, the headless build). Instantiates the WebAssembly module
// once, with top-level await, from the .wasm file next to this one, so `new Clerk(key)`
// works right after the import, as with ClerkJS. Works in a bare <script type="module">
// and in bundlers. The build with the mountable forms is the `clerk-wasm/ui` entry (ui/):
// a page imports one of the two, never both (each is its own WebAssembly instance).
import init from './clerk_wasm.js';

const ENTRY = Symbol.for('clerk-wasm.entry');
if (globalThis[ENTRY] === 'clerk-wasm/ui') {
  console.warn("clerk-wasm: both 'clerk-wasm' and 'clerk-wasm/ui' are loaded (two separate instances); import only one.");
}
globalThis[ENTRY] ??= 'clerk-wasm';

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
