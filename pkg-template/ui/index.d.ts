// Types of the `clerk-wasm/ui` entry: every type of the headless package (../index.d.ts),
// with the mountable forms declared as always present on `Clerk` (they are optional
// there, because the headless build lacks them).
import { Clerk as HeadlessClerk } from '../index.js';
import type { SignInProps, SignUpProps } from '../index.js';

export * from '../index.js';

/** The Clerk object of the build with forms: the headless API plus the mountable forms. */
export declare class Clerk extends HeadlessClerk {
  /** Renders the sign-in form inside `element` (replaces a form already mounted there). */
  mountSignIn(element: Element, props?: SignInProps): void;
  /** Renders the sign-up form (exactly the fields the instance requires) inside `element`. */
  mountSignUp(element: Element, props?: SignUpProps): void;
  /** Removes the sign-in form from `element` with its listeners and timers. */
  unmountSignIn(element: Element): void;
  /** Removes the sign-up form from `element` with its listeners and timers. */
  unmountSignUp(element: Element): void;
  /** Opens the sign-in form in a modal `<dialog>`. */
  openSignIn(props?: SignInProps): void;
  /** Opens the sign-up form in a modal `<dialog>`. */
  openSignUp(props?: SignUpProps): void;
  /** Closes the sign-in modal. */
  closeSignIn(): void;
  /** Closes the sign-up modal. */
  closeSignUp(): void;
  /** The signed-in user with a sign-out menu; empty while signed out. */
  mountUserButton(element: Element, props?: { afterSignOutUrl?: string }): void;
  /** Removes the user button from `element`. */
  unmountUserButton(element: Element): void;
}
