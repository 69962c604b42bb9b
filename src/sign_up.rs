//! `clerk.sign_up()`: the classic methods (`create`, `update`,
//! `prepare_verification`, `attempt_verification`, the phone/email helpers)
//! and the newer `verifications.*` / `finalize`, each one engine operation.

use crate::clerk::{model, Clerk};
use crate::core::engine::Op;
use crate::core::errors::ClerkError;
use crate::core::model::SignUp;
use crate::core::request::Form;

/// Sign-up methods over a [`Clerk`].
#[derive(Debug, Clone, Copy)]
pub struct SignUpApi<'a> {
    clerk: &'a Clerk,
}

impl<'a> SignUpApi<'a> {
    pub(crate) fn new(clerk: &'a Clerk) -> Self {
        SignUpApi { clerk }
    }

    /// The latest sign-up attempt, if any.
    pub fn current(&self) -> Option<SignUp> {
        self.clerk.0.engine().state().sign_up_full()
    }

    async fn run(&self, op: Op, form: Form) -> Result<SignUp, ClerkError> {
        model(self.clerk.op(op, form).await?)
    }

    /// `POST /client/sign_ups` (`email_address`, `phone_number`, `first_name`, …; `locale` added).
    pub async fn create(&self, form: Form) -> Result<SignUp, ClerkError> {
        self.run(Op::SignUpCreate, form).await
    }

    /// `PATCH /client/sign_ups/{id}`.
    pub async fn update(&self, form: Form) -> Result<SignUp, ClerkError> {
        self.run(Op::SignUpUpdate, form).await
    }

    /// `prepare_verification` with the given fields (`strategy`, `redirect_url`, `channel`).
    pub async fn prepare_verification(&self, form: Form) -> Result<SignUp, ClerkError> {
        self.run(Op::SignUpPrepare, form).await
    }

    /// `attempt_verification` with the given fields (`strategy`, `code`).
    pub async fn attempt_verification(&self, form: Form) -> Result<SignUp, ClerkError> {
        self.run(Op::SignUpAttempt, form).await
    }

    /// `GET /client/sign_ups/{id}`.
    pub async fn reload(&self) -> Result<SignUp, ClerkError> {
        self.run(Op::SignUpReload, Form::new()).await
    }

    /// Sends an SMS code to the sign-up's phone number (`channel`: `sms`,
    /// the default, or `whatsapp`).
    pub async fn send_phone_code(&self, channel: Option<&str>) -> Result<SignUp, ClerkError> {
        self.run(
            Op::SignUpSendPhoneCode,
            Form::new().set_opt("channel", channel),
        )
        .await
    }

    /// Checks the SMS code.
    pub async fn verify_phone_code(&self, code: &str) -> Result<SignUp, ClerkError> {
        self.run(Op::SignUpVerifyPhoneCode, Form::new().set("code", code))
            .await
    }

    /// Sends an email code to the sign-up's email address.
    pub async fn send_email_code(&self) -> Result<SignUp, ClerkError> {
        self.run(Op::SignUpSendEmailCode, Form::new()).await
    }

    /// Checks the email code.
    pub async fn verify_email_code(&self, code: &str) -> Result<SignUp, ClerkError> {
        self.run(Op::SignUpVerifyEmailCode, Form::new().set("code", code))
            .await
    }

    /// Sends an email link landing on `verification_url` (absolute, or a path
    /// on this page's origin).
    pub async fn send_email_link(&self, verification_url: &str) -> Result<SignUp, ClerkError> {
        let form = Form::new().set("verification_url", verification_url);
        self.run(Op::SignUpSendLink, form).await
    }

    /// `attempt_verification` for any code strategy.
    pub async fn verify_code(&self, strategy: &str, code: &str) -> Result<SignUp, ClerkError> {
        let form = Form::new().set("strategy", strategy).set("code", code);
        self.run(Op::SignUpAttempt, form).await
    }

    /// `signUp.finalize()`: makes the created session active.
    pub async fn finalize(&self) -> Result<(), ClerkError> {
        self.clerk
            .op(Op::SignUpFinalize, Form::new())
            .await
            .map(drop)
    }
}
