//! `clerk.sign_in()`: the classic methods (`create`, `prepare_first_factor`,
//! `attempt_first_factor`, …) and the newer ones (`send_phone_code`,
//! `verify_code`, `finalize`, …). Both go through the flow functions in
//! [`crate::core::flow::sign_in`]; nothing here decides what to send.

use crate::clerk::Clerk;
use crate::core::endpoints::sign_ins;
use crate::core::errors::ClerkError;
use crate::core::flow::sign_in::{self as flow, Delivery, SendPlan, Target};
use crate::core::flow::{require_session, Finalize};
use crate::core::model::{strategy, SignIn};
use crate::core::request::{Form, FormValue, Request};

/// The browser's language, as ClerkJS sends it on create (`locale`).
pub(crate) fn with_locale(mut form: Form) -> Form {
    if !form.contains("locale") {
        if let Some(lang) = web_sys::window().and_then(|w| w.navigator().language()) {
            form.push("locale", FormValue::Str(lang));
        }
    }
    form
}

/// Sign-in methods over a [`Clerk`].
#[derive(Debug, Clone, Copy)]
pub struct SignInApi<'a> {
    clerk: &'a Clerk,
}

impl<'a> SignInApi<'a> {
    pub(crate) fn new(clerk: &'a Clerk) -> Self {
        SignInApi { clerk }
    }

    /// The current sign-in attempt on the client, if any.
    pub fn current(&self) -> Option<SignIn> {
        self.clerk.current_sign_in()
    }

    async fn send(&self, req: Request) -> Result<SignIn, ClerkError> {
        self.clerk.call_sign_in(req).await
    }

    fn id(&self) -> Result<String, ClerkError> {
        flow::require_id(self.current().as_ref()).map(Into::into)
    }

    /// `POST /client/sign_ins` with the given fields (`identifier`, `strategy`,
    /// `redirect_url`, …; `locale` is added).
    pub async fn create(&self, form: Form) -> Result<SignIn, ClerkError> {
        self.send(sign_ins::create(with_locale(form))).await
    }

    /// `prepare_first_factor` (`strategy` + `phone_number_id`/`email_address_id`…).
    pub async fn prepare_first_factor(&self, form: Form) -> Result<SignIn, ClerkError> {
        self.send(sign_ins::prepare_first_factor(&self.id()?, form)?)
            .await
    }

    /// `attempt_first_factor` (`strategy` + `code`).
    pub async fn attempt_first_factor(&self, form: Form) -> Result<SignIn, ClerkError> {
        self.send(sign_ins::attempt_first_factor(&self.id()?, form)?)
            .await
    }

    /// `prepare_second_factor`.
    pub async fn prepare_second_factor(&self, form: Form) -> Result<SignIn, ClerkError> {
        self.send(sign_ins::prepare_second_factor(&self.id()?, form)?)
            .await
    }

    /// `attempt_second_factor`.
    pub async fn attempt_second_factor(&self, form: Form) -> Result<SignIn, ClerkError> {
        self.send(sign_ins::attempt_second_factor(&self.id()?, form)?)
            .await
    }

    /// `GET /client/sign_ins/{id}` (the client is updated).
    pub async fn reload(&self) -> Result<SignIn, ClerkError> {
        self.send(sign_ins::get(&self.id()?)?).await
    }

    /// Newer API `sendCode`/`sendLink`: creates the sign-in when there is none
    /// or the identifier changed, then prepares the first factor.
    pub async fn send_first_factor(
        &self,
        delivery: Delivery<'_>,
        target: Target<'_>,
    ) -> Result<SignIn, ClerkError> {
        let current = self.current();
        match flow::plan_send(current.as_ref(), delivery, target)? {
            SendPlan::Prepare(req) => self.send(req).await,
            SendPlan::CreateThenPrepare(create) => {
                let mut create = create;
                create.form.extend(with_locale(Form::new()).into_pairs());
                let created = self.send(create).await?;
                self.send(flow::prepare(&created, delivery, target)?).await
            }
        }
    }

    /// `signIn.phoneCode.sendCode({phoneNumber, phoneNumberId, channel})`.
    pub async fn send_phone_code(
        &self,
        phone_number: Option<&str>,
        phone_number_id: Option<&str>,
    ) -> Result<SignIn, ClerkError> {
        let target = Target {
            identifier: phone_number,
            identifier_id: phone_number_id,
        };
        self.send_first_factor(
            Delivery::PhoneCode {
                channel: Some("sms"),
            },
            target,
        )
        .await
    }

    /// `signIn.emailCode.sendCode({emailAddress, emailAddressId})`.
    pub async fn send_email_code(
        &self,
        email_address: Option<&str>,
        email_address_id: Option<&str>,
    ) -> Result<SignIn, ClerkError> {
        let target = Target {
            identifier: email_address,
            identifier_id: email_address_id,
        };
        self.send_first_factor(Delivery::EmailCode, target).await
    }

    /// `verifyCode({code})` for a first-factor strategy.
    pub async fn verify_code(&self, strategy: &str, code: &str) -> Result<SignIn, ClerkError> {
        self.send(flow::attempt(self.current().as_ref(), strategy, code)?)
            .await
    }

    /// `signIn.phoneCode.verifyCode({code})`.
    pub async fn verify_phone_code(&self, code: &str) -> Result<SignIn, ClerkError> {
        self.verify_code(strategy::PHONE_CODE, code).await
    }

    /// `signIn.emailCode.verifyCode({code})`.
    pub async fn verify_email_code(&self, code: &str) -> Result<SignIn, ClerkError> {
        self.verify_code(strategy::EMAIL_CODE, code).await
    }

    /// `signIn.mfa.sendPhoneCode()` / `sendEmailCode()`.
    pub async fn send_second_factor(&self, delivery: Delivery<'_>) -> Result<SignIn, ClerkError> {
        let req = flow::prepare_second(self.current().as_ref(), delivery, Target::default())?;
        self.send(req).await
    }

    /// `signIn.mfa.verifyPhoneCode({code})` / `verifyEmailCode` / `verifyTotp` / `verifyBackupCode`.
    pub async fn verify_second_factor(
        &self,
        strategy: &str,
        code: &str,
    ) -> Result<SignIn, ClerkError> {
        self.send(flow::attempt_second(
            self.current().as_ref(),
            strategy,
            code,
        )?)
        .await
    }

    /// `signIn.finalize()`: makes the created session active (reloading the
    /// client first when the session is not on it yet).
    pub async fn finalize(&self) -> Result<(), ClerkError> {
        let client = self.clerk.client().unwrap_or_default();
        finalize(
            self.clerk,
            flow::finalize_sign_in(self.current().as_ref(), &client)?,
        )
        .await
    }
}

/// Shared by sign-in and sign-up `finalize()`.
pub(crate) async fn finalize(clerk: &Clerk, plan: Finalize) -> Result<(), ClerkError> {
    let sid = match plan {
        Finalize::SetActive(sid) => sid,
        Finalize::ReloadClientThenSetActive(sid) => {
            let client = clerk.reload_client().await?.unwrap_or_default();
            require_session(&client, &sid)?;
            sid
        }
    };
    clerk.set_active(Some(&sid)).await
}
