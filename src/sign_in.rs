//! `clerk.sign_in()`: the classic methods (`create`, `prepare_first_factor`,
//! `attempt_first_factor`, …) and the newer ones (`send_phone_code`,
//! `verify_code`, `finalize`, …), each one engine operation. Nothing here
//! decides what to send.

use crate::clerk::{model, Clerk};
use crate::core::engine::Op;
use crate::core::errors::ClerkError;
use crate::core::model::{strategy, SignIn};
use crate::core::request::Form;

/// Sign-in methods over a [`Clerk`].
#[derive(Debug, Clone, Copy)]
pub struct SignInApi<'a> {
    clerk: &'a Clerk,
}

impl<'a> SignInApi<'a> {
    pub(crate) fn new(clerk: &'a Clerk) -> Self {
        SignInApi { clerk }
    }

    /// The latest sign-in attempt, if any.
    pub fn current(&self) -> Option<SignIn> {
        self.clerk.0.engine().state().sign_in_model().cloned()
    }

    async fn run(&self, op: Op, form: Form) -> Result<SignIn, ClerkError> {
        model(self.clerk.op(op, form).await?)
    }

    /// `POST /client/sign_ins` with the given fields (`identifier`, `strategy`,
    /// `redirect_url`, …; `locale` is added).
    pub async fn create(&self, form: Form) -> Result<SignIn, ClerkError> {
        self.run(Op::SignInCreate, form).await
    }

    /// `prepare_first_factor` (`strategy` + `phone_number_id`/`email_address_id`…).
    pub async fn prepare_first_factor(&self, form: Form) -> Result<SignIn, ClerkError> {
        self.run(Op::SignInPrepareFirstFactor, form).await
    }

    /// `attempt_first_factor` (`strategy` + `code`).
    pub async fn attempt_first_factor(&self, form: Form) -> Result<SignIn, ClerkError> {
        self.run(Op::SignInAttemptFirstFactor, form).await
    }

    /// `prepare_second_factor`.
    pub async fn prepare_second_factor(&self, form: Form) -> Result<SignIn, ClerkError> {
        self.run(Op::SignInPrepareSecondFactor, form).await
    }

    /// `attempt_second_factor`.
    pub async fn attempt_second_factor(&self, form: Form) -> Result<SignIn, ClerkError> {
        self.run(Op::SignInAttemptSecondFactor, form).await
    }

    /// `GET /client/sign_ins/{id}` (the client is updated).
    pub async fn reload(&self) -> Result<SignIn, ClerkError> {
        self.run(Op::SignInReload, Form::new()).await
    }

    /// `signIn.phoneCode.sendCode({ phoneNumber, phoneNumberId })`: creates the
    /// sign-in when there is none or the number changed, then sends the SMS.
    pub async fn send_phone_code(
        &self,
        phone_number: Option<&str>,
        phone_number_id: Option<&str>,
    ) -> Result<SignIn, ClerkError> {
        let form = Form::new()
            .set("strategy", strategy::PHONE_CODE)
            .set_opt("phone_number", phone_number)
            .set_opt("phone_number_id", phone_number_id);
        self.run(Op::SignInSendCode, form).await
    }

    /// `signIn.emailCode.sendCode({ emailAddress, emailAddressId })`.
    pub async fn send_email_code(
        &self,
        email_address: Option<&str>,
        email_address_id: Option<&str>,
    ) -> Result<SignIn, ClerkError> {
        let form = Form::new()
            .set("strategy", strategy::EMAIL_CODE)
            .set_opt("email_address", email_address)
            .set_opt("email_address_id", email_address_id);
        self.run(Op::SignInSendCode, form).await
    }

    /// `verifyCode({ code })` for a first-factor strategy.
    pub async fn verify_code(&self, strategy: &str, code: &str) -> Result<SignIn, ClerkError> {
        let form = Form::new().set("strategy", strategy).set("code", code);
        self.run(Op::SignInVerifyCode, form).await
    }

    /// `signIn.phoneCode.verifyCode({ code })`.
    pub async fn verify_phone_code(&self, code: &str) -> Result<SignIn, ClerkError> {
        self.verify_code(strategy::PHONE_CODE, code).await
    }

    /// `signIn.emailCode.verifyCode({ code })`.
    pub async fn verify_email_code(&self, code: &str) -> Result<SignIn, ClerkError> {
        self.verify_code(strategy::EMAIL_CODE, code).await
    }

    /// `signIn.mfa.sendPhoneCode()` (`phone_code`) / `sendEmailCode()` (`email_code`).
    pub async fn send_second_factor(&self, strategy: &str) -> Result<SignIn, ClerkError> {
        self.run(Op::SignInMfaSend, Form::new().set("strategy", strategy))
            .await
    }

    /// `signIn.mfa.verifyPhoneCode({ code })` / `verifyEmailCode` / `verifyTotp` / `verifyBackupCode`.
    pub async fn verify_second_factor(
        &self,
        strategy: &str,
        code: &str,
    ) -> Result<SignIn, ClerkError> {
        let form = Form::new().set("strategy", strategy).set("code", code);
        self.run(Op::SignInMfaVerify, form).await
    }

    /// `signIn.finalize()`: makes the created session active (reloading the
    /// client first when the session is not on it yet).
    pub async fn finalize(&self) -> Result<(), ClerkError> {
        self.clerk
            .op(Op::SignInFinalize, Form::new())
            .await
            .map(drop)
    }
}
