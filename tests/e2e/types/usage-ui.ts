// The `clerk-wasm/ui` entry's types (the build with the forms), resolved through the
// package's `exports` map as an app's bundler or tsc resolves them. Type-checked,
// never run, by tests/e2e/types.test.mjs. The forms are always there (no `?.`), the
// whole headless API comes along, and `@ts-expect-error` lines are misuse that must fail.
import {
  Clerk,
  ClerkAPIResponseError,
  EmailLinkError,
  isClerkAPIResponseError,
  version,
} from 'clerk-wasm/ui';
import type { SignInProps, SignUpProps, User, NewerResult } from 'clerk-wasm/ui';

/** Compiles only when `value`'s type is not `any`. */
function notAny<T>(value: 0 extends 1 & T ? never : T): T { return value; }

const clerk = new Clerk('pk_test_Y2xlcmsuZXhhbXBsZS5jb20k', { proxyUrl: '/__clerk' });

// Seed 000 (the ClerkJS components tab), with every mount and its props.
async function components(signUpEl: HTMLElement, signInEl: HTMLDivElement, userEl: Element): Promise<void> {
  await clerk.load();
  clerk.mountSignUp(signUpEl);
  clerk.mountSignIn(signInEl, { afterSignInUrl: '/', signUpUrl: '/sign-up', onSuccess: () => undefined });
  clerk.mountUserButton(userEl, { afterSignOutUrl: '/' });
  const props: SignUpProps = { redirectUrl: '/', signInUrl: '/sign-in' };
  clerk.openSignUp(props);
  clerk.closeSignUp();
  const inProps: SignInProps = { redirectUrl: '/' };
  clerk.openSignIn(inProps);
  clerk.closeSignIn();
  clerk.unmountSignIn(signInEl);
  clerk.unmountSignUp(signUpEl);
  clerk.unmountUserButton(userEl);
  // Optional chaining still compiles (code written for either entry).
  clerk.mountSignIn?.(signInEl);
}

// The headless API is all there.
async function headless(): Promise<void> {
  await clerk.load();
  const user: User | null = clerk.user;
  const r: NewerResult = await clerk.signIn.emailCode.sendCode({ emailAddress: 'a@example.com' });
  notAny(r.error);
  notAny(clerk.client);
  try {
    await clerk.client!.signIn.create({ identifier: 'a@example.com' });
  } catch (err) {
    if (isClerkAPIResponseError(err)) console.log(err.errors[0]?.longMessage);
    if (err instanceof ClerkAPIResponseError || err instanceof EmailLinkError) console.log(err.code);
  }
  clerk.addListener(({ user: u }) => console.log(u?.primaryEmailAddress?.emailAddress, user));
  console.log(version());
}

function misuse(el: HTMLElement): void {
  // @ts-expect-error mountSignIn needs the element
  clerk.mountSignIn();
  // @ts-expect-error redirectUrl is a string
  clerk.mountSignUp(el, { redirectUrl: 1 });
  // @ts-expect-error no such prop
  clerk.openSignIn({ appearance: {} });
  // @ts-expect-error mountUserButton takes an element, not a selector
  clerk.mountUserButton('#user-button');
}

console.log(components, headless, misuse);
