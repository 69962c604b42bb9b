//! `clerk.sign_up()`: the classic methods (`create`, `update`,
//! `prepare_verification`, `attempt_verification`, the phone/email helpers)
//! and the newer `verifications.*` / `finalize`. Both go through
//! [`crate::core::flow::sign_up`].

use crate::clerk::Clerk;
use crate::core::endpoints::sign_ups;
use crate::core::errors::ClerkError;
use crate::core::flow::email_link::absolute_redirect_url;
use crate::core::flow::sign_up as flow;
use crate::core::model::SignUp;
use crate::core::request::{Form, Request};
use crate::sign_in::{finalize, with_locale};

/// Sign-up methods over a [`Clerk`].
#[derive(Debug, Clone, Copy)]
pub struct SignUpApi<'a> {
    clerk: &'a Clerk,
}

impl<'a> SignUpApi<'a> {
    pub(crate) fn new(clerk: &'a Clerk) -> Self {
        SignUpApi { clerk }
    }

    /// The current sign-up attempt, if any.
    pub fn current(&self) -> Option<SignUp> {
        self.clerk.current_sign_up()
    }

    async fn send(&self, req: Request) -> Result<SignUp, ClerkError> {
        self.clerk.call_sign_up(req).await
    }

    fn id(&self) -> Result<String, ClerkError> {
        flow::require_id(self.current().as_ref()).map(Into::into)
    }

    /// `POST /client/sign_ups` (`email_address`, `phone_number`, `first_name`, …; `locale` added).
    pub async fn create(&self, form: Form) -> Result<SignUp, ClerkError> {
        self.send(sign_ups::create(with_locale(form))).await
    }

    /// `PATCH /client/sign_ups/{id}`.
    pub async fn update(&self, form: Form) -> Result<SignUp, ClerkError> {
        self.send(sign_ups::update(&self.id()?, form)?).await
    }

    /// `prepare_verification` with the given fields (`strategy`, `redirect_url`, `channel`).
    pub async fn prepare_verification(&self, form: Form) -> Result<SignUp, ClerkError> {
        self.send(sign_ups::prepare_verification(&self.id()?, form)?)
            .await
    }

    /// `attempt_verification` with the given fields (`strategy`, `code`).
    pub async fn attempt_verification(&self, form: Form) -> Result<SignUp, ClerkError> {
        self.send(sign_ups::attempt_verification(&self.id()?, form)?)
            .await
    }

    /// `GET /client/sign_ups/{id}`.
    pub async fn reload(&self) -> Result<SignUp, ClerkError> {
        self.send(sign_ups::get(&self.id()?)?).await
    }

    /// Sends an SMS code to the sign-up's phone number (`channel` defaults to none:
    /// the server picks SMS).
    pub async fn send_phone_code(&self, channel: Option<&str>) -> Result<SignUp, ClerkError> {
        self.send(flow::send_phone_code(self.current().as_ref(), channel)?)
            .await
    }

    /// Checks the SMS code.
    pub async fn verify_phone_code(&self, code: &str) -> Result<SignUp, ClerkError> {
        self.send(flow::verify_phone_code(self.current().as_ref(), code)?)
            .await
    }

    /// Sends an email code to the sign-up's email address.
    pub async fn send_email_code(&self) -> Result<SignUp, ClerkError> {
        self.send(flow::send_email_code(self.current().as_ref())?)
            .await
    }

    /// Checks the email code.
    pub async fn verify_email_code(&self, code: &str) -> Result<SignUp, ClerkError> {
        self.send(flow::verify_email_code(self.current().as_ref(), code)?)
            .await
    }

    /// Sends an email link landing on `verification_url` (absolute, or a path
    /// on this page's origin).
    pub async fn send_email_link(&self, verification_url: &str) -> Result<SignUp, ClerkError> {
        let url = absolute_redirect_url(verification_url, crate::clerk::page_origin().as_deref())?;
        self.send(flow::send_email_link(self.current().as_ref(), &url)?)
            .await
    }

    /// `attempt_verification` for any code strategy.
    pub async fn verify_code(&self, strategy: &str, code: &str) -> Result<SignUp, ClerkError> {
        self.send(flow::attempt(self.current().as_ref(), strategy, code)?)
            .await
    }

    /// `signUp.finalize()`: makes the created session active.
    pub async fn finalize(&self) -> Result<(), ClerkError> {
        let client = self.clerk.client().unwrap_or_default();
        finalize(
            self.clerk,
            flow::finalize_sign_up(self.current().as_ref(), &client)?,
        )
        .await
    }
}
