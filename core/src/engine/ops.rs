//! The operations a caller can ask of the engine ([`Op`]) and one call of
//! them ([`Call`]). The names are spelled once, here: the npm package's JS
//! skin refers to operations by these names through `ops.js`, which
//! `examples/ops_js.rs` generates from [`Op::NAMES`] at build.

use crate::request::Form;

macro_rules! ops {
    ($($(#[$m:meta])* $v:ident = $name:literal,)*) => {
        /// Every operation of the client object. Each names one public method
        /// of ClerkJS's object shapes (classic and newer API alike).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(u8)]
        pub enum Op { $($(#[$m])* $v,)* }

        impl Op {
            /// The operations' names, in discriminant order (the JS skin's table).
            pub const NAMES: &'static [&'static str] = &[$($name,)*];
            const ALL: &'static [Op] = &[$(Op::$v,)*];

            /// The operation with this number (`None` for anything else).
            pub fn from_index(i: u32) -> Option<Op> {
                Op::ALL.get(i as usize).copied()
            }

            /// Its name (as in [`Op::NAMES`]).
            pub fn name(self) -> &'static str {
                Op::NAMES[self as usize]
            }
        }
    };
}

ops! {
    /// `clerk.load()`: the dev-browser handshake, then the environment and the client.
    Load = "load",
    /// `clerk.setActive({ session, redirectUrl })` (form: `session`, `redirect_url`).
    SetActive = "setActive",
    /// `clerk.signOut({ sessionId, redirectUrl })`; resolves `true` when the active session ended.
    SignOut = "signOut",
    /// `session.getToken({ template, skipCache })` (form: `session`, `template`, `skip_cache`).
    GetToken = "getToken",
    /// Reloads the client (`GET /v1/client`).
    ReloadClient = "reloadClient",
    /// `handleEmailLinkVerification(params)` (target: the page's query; form:
    /// `redirect_url_complete`, `redirect_url`); resolves with the outcome.
    HandleEmailLink = "handleEmailLinkVerification",
    /// `user.createEmailAddress({ emailAddress })`; resolves with the new address.
    CreateEmailAddress = "createEmailAddress",
    /// `signIn.create(params)`.
    SignInCreate = "signInCreate",
    /// `signIn.prepareFirstFactor(params)`.
    SignInPrepareFirstFactor = "signInPrepareFirstFactor",
    /// `signIn.attemptFirstFactor(params)`.
    SignInAttemptFirstFactor = "signInAttemptFirstFactor",
    /// `signIn.prepareSecondFactor(params)`.
    SignInPrepareSecondFactor = "signInPrepareSecondFactor",
    /// `signIn.attemptSecondFactor(params)`.
    SignInAttemptSecondFactor = "signInAttemptSecondFactor",
    /// `signIn.reload()`.
    SignInReload = "signInReload",
    /// `signIn.phoneCode.sendCode` / `emailCode.sendCode` (form: `strategy`,
    /// `phone_number`/`email_address`, `phone_number_id`/`email_address_id`, `channel`):
    /// creates the sign-in when there is none or the identifier changed.
    SignInSendCode = "signInSendCode",
    /// `signIn.{phone,email}Code.verifyCode({ code })` (form: `strategy`, `code`).
    SignInVerifyCode = "signInVerifyCode",
    /// `signIn.mfa.sendPhoneCode()` / `sendEmailCode()` (form: `strategy`).
    SignInMfaSend = "signInMfaSend",
    /// `signIn.mfa.verify*({ code })` (form: `strategy`, `code`).
    SignInMfaVerify = "signInMfaVerify",
    /// `signIn.emailLink.sendLink({ emailAddress, emailAddressId, verificationUrl })`.
    SignInSendLink = "signInSendLink",
    /// `signIn.emailLink.waitForVerification()`: an expired link is an `EmailLinkError`.
    SignInWaitLink = "signInWaitLink",
    /// `signIn.createEmailLinkFlow().startEmailLinkFlow({ redirectUrl, emailAddressId })`.
    SignInLinkFlow = "signInLinkFlow",
    /// `signIn.finalize({ redirectUrl })`.
    SignInFinalize = "signInFinalize",
    /// `signIn.reset()`.
    SignInReset = "signInReset",
    /// `signUp.create(params)`.
    SignUpCreate = "signUpCreate",
    /// `signUp.update(params)`.
    SignUpUpdate = "signUpUpdate",
    /// `signUp.prepareVerification(params)` (an `email_link` strategy gets an absolute `redirect_url`).
    SignUpPrepare = "signUpPrepare",
    /// `signUp.attemptVerification(params)`.
    SignUpAttempt = "signUpAttempt",
    /// `signUp.reload()`.
    SignUpReload = "signUpReload",
    /// `signUp.verifications.sendPhoneCode({ channel })`.
    SignUpSendPhoneCode = "signUpSendPhoneCode",
    /// `signUp.verifications.verifyPhoneCode({ code })`.
    SignUpVerifyPhoneCode = "signUpVerifyPhoneCode",
    /// `signUp.verifications.sendEmailCode()`.
    SignUpSendEmailCode = "signUpSendEmailCode",
    /// `signUp.verifications.verifyEmailCode({ code })`.
    SignUpVerifyEmailCode = "signUpVerifyEmailCode",
    /// `signUp.verifications.sendEmailLink({ verificationUrl })`.
    SignUpSendLink = "signUpSendLink",
    /// `signUp.verifications.waitForEmailLinkVerification()`: an expired link is an `EmailLinkError`.
    SignUpWaitLink = "signUpWaitLink",
    /// `signUp.createEmailLinkFlow().startEmailLinkFlow({ redirectUrl })`.
    SignUpLinkFlow = "signUpLinkFlow",
    /// `signUp.finalize({ redirectUrl })`.
    SignUpFinalize = "signUpFinalize",
    /// `signUp.reset()`.
    SignUpReset = "signUpReset",
    /// `emailAddress.prepareVerification(params)` (target: its id).
    EmailPrepare = "emailAddressPrepare",
    /// `emailAddress.attemptVerification({ code })` (target: its id).
    EmailAttempt = "emailAddressAttempt",
    /// `emailAddress.reload()` (target: its id).
    EmailReload = "emailAddressReload",
    /// `emailAddress.createEmailLinkFlow().startEmailLinkFlow({ redirectUrl })` (target: its id).
    EmailLinkFlow = "emailAddressLinkFlow",
}

/// The resource an operation works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// The client object itself.
    Clerk,
    /// The sign-in attempt.
    SignIn,
    /// The sign-up attempt.
    SignUp,
    /// A user's email address (the call's target).
    EmailAddress,
}

impl Op {
    /// Which resource it works on (its answer becomes that resource).
    pub fn resource(self) -> Resource {
        let i = self as u8;
        if i >= Op::EmailPrepare as u8 {
            Resource::EmailAddress
        } else if i >= Op::SignUpCreate as u8 {
            Resource::SignUp
        } else if i >= Op::SignInCreate as u8 {
            Resource::SignIn
        } else {
            Resource::Clerk
        }
    }

    /// An email-link wait (one per resource runs at a time).
    pub fn waits_for_link(self) -> bool {
        matches!(
            self,
            Op::SignInWaitLink
                | Op::SignInLinkFlow
                | Op::SignUpWaitLink
                | Op::SignUpLinkFlow
                | Op::EmailLinkFlow
        )
    }
}

/// One call: the operation, its parameters as form fields (snake_case, as
/// the request builders take them), the target id where the operation needs
/// one, and whether the newer API tracks it (`fetchStatus`, `errors`).
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// What to do.
    pub op: Op,
    /// Its parameters (ClerkJS's camelCase parameters, snake_cased).
    pub form: Form,
    /// The email address id of [`Resource::EmailAddress`] operations; the
    /// page's query string for [`Op::HandleEmailLink`].
    pub target: Option<String>,
    /// Tracked by the newer API: `fetchStatus` is `fetching` while it runs and
    /// its error is kept for `errors` (sign-in and sign-up operations only).
    pub tracked: bool,
}

impl Call {
    /// A call of `op` with `form`, untracked and without target.
    pub fn new(op: Op, form: Form) -> Call {
        Call {
            op,
            form,
            target: None,
            tracked: false,
        }
    }

    /// The same call with a target.
    pub fn with_target(mut self, target: impl Into<String>) -> Call {
        self.target = Some(target.into());
        self
    }

    /// The same call, tracked by the newer API.
    pub fn tracked(mut self) -> Call {
        self.tracked = true;
        self
    }

    /// The string parameter `key` (non-empty), if given.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.form.get(key).filter(|v| !v.is_empty())
    }
}
