//! The sign-up resource for JS: classic methods (`create`, `update`,
//! `preparePhoneNumberVerification`, `attemptEmailAddressVerification`, …) and
//! the newer API (`verifications.sendPhoneCode/verifyPhoneCode/…`, `finalize`,
//! `errors`, `fetchStatus`), both over [`SignUpApi`](crate::sign_up::SignUpApi).

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::clerk::{Attempt, Clerk};
use crate::core::errors::FieldSet;
use crate::core::model::strategy;
use crate::core::request::Form;
use crate::js::clerk::{promise, tracked};
use crate::js::convert::{field, get, get_str, list_field};
use crate::js::sign_in::{errors_of, fetch_status_of};
use crate::json::to_form;

/// A sign-up attempt (`clerk.client.signUp`, or `clerk.signUp` for the newer API).
#[wasm_bindgen(js_name = SignUp)]
pub struct JsSignUp {
    clerk: Clerk,
    future: bool,
}

#[derive(Clone, Copy)]
enum Op {
    Create,
    Update,
    Prepare,
    Attempt,
    Reload,
}

impl JsSignUp {
    pub(crate) fn new(clerk: Clerk, future: bool) -> JsSignUp {
        JsSignUp { clerk, future }
    }

    fn raw(&self) -> Option<JsValue> {
        self.clerk.sign_up_raw()
    }

    /// A classic call (resolves to the resource, throws), or on the newer API
    /// object a tracked call (resolves to `{ error }`).
    fn call(&self, form: Form, op: Op) -> Promise {
        let clerk = self.clerk.clone();
        let call = async move {
            let api = clerk.sign_up();
            match op {
                Op::Create => api.create(form).await,
                Op::Update => api.update(form).await,
                Op::Prepare => api.prepare_verification(form).await,
                Op::Attempt => api.attempt_verification(form).await,
                Op::Reload => api.reload().await,
            }
        };
        if self.future {
            return tracked(&self.clerk, Attempt::SignUp, call);
        }
        let clerk = self.clerk.clone();
        promise(async move {
            call.await?;
            Ok(JsSignUp::new(clerk, false))
        })
    }

    fn with_strategy(params: &JsValue, strategy: &str) -> Form {
        let mut form = to_form(params);
        if !form.contains("strategy") {
            form.push("strategy", strategy.into());
        }
        form
    }
}

#[wasm_bindgen(js_class = SignUp)]
impl JsSignUp {
    /// Sign-up id (`sua_…`), `null` before `create`.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> JsValue {
        field(&self.raw(), "id")
    }

    /// `missing_requirements`, `complete` or `abandoned`.
    #[wasm_bindgen(getter)]
    pub fn status(&self) -> JsValue {
        field(&self.raw(), "status")
    }

    /// Fields the instance requires.
    #[wasm_bindgen(getter, js_name = requiredFields)]
    pub fn required_fields(&self) -> JsValue {
        list_field(&self.raw(), "required_fields")
    }

    /// Fields still missing.
    #[wasm_bindgen(getter, js_name = missingFields)]
    pub fn missing_fields(&self) -> JsValue {
        list_field(&self.raw(), "missing_fields")
    }

    /// Fields given but not verified yet (`email_address`, `phone_number`).
    #[wasm_bindgen(getter, js_name = unverifiedFields)]
    pub fn unverified_fields(&self) -> JsValue {
        list_field(&self.raw(), "unverified_fields")
    }

    /// The email address given.
    #[wasm_bindgen(getter, js_name = emailAddress)]
    pub fn email_address(&self) -> JsValue {
        field(&self.raw(), "email_address")
    }

    /// The phone number given.
    #[wasm_bindgen(getter, js_name = phoneNumber)]
    pub fn phone_number(&self) -> JsValue {
        field(&self.raw(), "phone_number")
    }

    /// The session created when `status` is `complete`.
    #[wasm_bindgen(getter, js_name = createdSessionId)]
    pub fn created_session_id(&self) -> JsValue {
        field(&self.raw(), "created_session_id")
    }

    /// The user created when `status` is `complete`.
    #[wasm_bindgen(getter, js_name = createdUserId)]
    pub fn created_user_id(&self) -> JsValue {
        field(&self.raw(), "created_user_id")
    }

    /// Verifications (`emailAddress`, `phoneNumber`) and the newer API's
    /// `sendPhoneCode`, `verifyPhoneCode`, `sendEmailCode`, `verifyEmailCode`.
    #[wasm_bindgen(getter)]
    pub fn verifications(&self) -> SignUpVerifications {
        SignUpVerifications {
            clerk: self.clerk.clone(),
        }
    }

    /// Newer API: `{ fields: { phoneNumber, emailAddress, code, … }, raw, global }`.
    #[wasm_bindgen(getter)]
    pub fn errors(&self) -> JsValue {
        errors_of(&self.clerk, Attempt::SignUp, FieldSet::SignUp)
    }

    /// Newer API: `'fetching'` or `'idle'`.
    #[wasm_bindgen(getter, js_name = fetchStatus)]
    pub fn fetch_status(&self) -> String {
        fetch_status_of(&self.clerk, Attempt::SignUp)
    }

    /// `create({ phoneNumber, emailAddress, firstName, … })`.
    pub fn create(&self, params: JsValue) -> Promise {
        self.call(to_form(&params), Op::Create)
    }

    /// `update({ … })`.
    pub fn update(&self, params: JsValue) -> Promise {
        self.call(to_form(&params), Op::Update)
    }

    /// `prepareVerification({ strategy, redirectUrl, channel })`.
    #[wasm_bindgen(js_name = prepareVerification)]
    pub fn prepare_verification(&self, params: JsValue) -> Promise {
        self.call(to_form(&params), Op::Prepare)
    }

    /// `attemptVerification({ strategy, code })`.
    #[wasm_bindgen(js_name = attemptVerification)]
    pub fn attempt_verification(&self, params: JsValue) -> Promise {
        self.call(to_form(&params), Op::Attempt)
    }

    /// Sends an SMS code to the sign-up's phone number.
    #[wasm_bindgen(js_name = preparePhoneNumberVerification)]
    pub fn prepare_phone_number_verification(&self, params: JsValue) -> Promise {
        self.call(
            Self::with_strategy(&params, strategy::PHONE_CODE),
            Op::Prepare,
        )
    }

    /// `attemptPhoneNumberVerification({ code })`.
    #[wasm_bindgen(js_name = attemptPhoneNumberVerification)]
    pub fn attempt_phone_number_verification(&self, params: JsValue) -> Promise {
        self.call(
            Self::with_strategy(&params, strategy::PHONE_CODE),
            Op::Attempt,
        )
    }

    /// Sends an email code (or, with `{ strategy: 'email_link', redirectUrl }`, a link).
    #[wasm_bindgen(js_name = prepareEmailAddressVerification)]
    pub fn prepare_email_address_verification(&self, params: JsValue) -> Promise {
        self.call(
            Self::with_strategy(&params, strategy::EMAIL_CODE),
            Op::Prepare,
        )
    }

    /// `attemptEmailAddressVerification({ code })`.
    #[wasm_bindgen(js_name = attemptEmailAddressVerification)]
    pub fn attempt_email_address_verification(&self, params: JsValue) -> Promise {
        self.call(
            Self::with_strategy(&params, strategy::EMAIL_CODE),
            Op::Attempt,
        )
    }

    /// Fetches the attempt again.
    pub fn reload(&self) -> Promise {
        self.call(Form::new(), Op::Reload)
    }

    /// Newer API: `finalize({ navigate })` activates the created session.
    pub fn finalize(&self, params: JsValue) -> Promise {
        crate::js::clerk::finalize(&self.clerk, Attempt::SignUp, &params)
    }

    /// Newer API: forgets the local attempt.
    pub fn reset(&self) {
        self.clerk.reset(Attempt::SignUp);
    }

    /// Classic: `{ startEmailLinkFlow({ redirectUrl, signal? }),
    /// cancelEmailLinkFlow() }`; start prepares the link, polls, and resolves
    /// to this sign-up (cancel rejects with `ClerkCancelledError`).
    #[wasm_bindgen(js_name = createEmailLinkFlow)]
    pub fn create_email_link_flow(&self) -> JsValue {
        crate::js::email_link::flow_object(&self.clerk, crate::email_link::LinkTarget::SignUp)
    }
}

/// `signUp.verifications`: the verification states and the newer API's senders.
#[wasm_bindgen]
pub struct SignUpVerifications {
    clerk: Clerk,
}

#[wasm_bindgen]
impl SignUpVerifications {
    /// The email address verification (`{ status, strategy, expireAt, … }`).
    #[wasm_bindgen(getter, js_name = emailAddress)]
    pub fn email_address(&self) -> JsValue {
        crate::js::convert::camelize(&get(
            &get(
                &self.clerk.sign_up_raw().unwrap_or(JsValue::NULL),
                "verifications",
            ),
            "email_address",
        ))
    }

    /// The phone number verification.
    #[wasm_bindgen(getter, js_name = phoneNumber)]
    pub fn phone_number(&self) -> JsValue {
        crate::js::convert::camelize(&get(
            &get(
                &self.clerk.sign_up_raw().unwrap_or(JsValue::NULL),
                "verifications",
            ),
            "phone_number",
        ))
    }

    /// `sendPhoneCode({ channel = 'sms' })`. Resolves to `{ error }`.
    #[wasm_bindgen(js_name = sendPhoneCode)]
    pub fn send_phone_code(&self, params: JsValue) -> Promise {
        let clerk = self.clerk.clone();
        let channel = get_str(&params, "channel").unwrap_or_else(|| "sms".into());
        tracked(&self.clerk, Attempt::SignUp, async move {
            clerk.sign_up().send_phone_code(Some(&channel)).await
        })
    }

    /// `verifyPhoneCode({ code })`. Resolves to `{ error }`.
    #[wasm_bindgen(js_name = verifyPhoneCode)]
    pub fn verify_phone_code(&self, params: JsValue) -> Promise {
        let clerk = self.clerk.clone();
        let code = get_str(&params, "code").unwrap_or_default();
        tracked(&self.clerk, Attempt::SignUp, async move {
            clerk.sign_up().verify_phone_code(&code).await
        })
    }

    /// `sendEmailCode()`. Resolves to `{ error }`.
    #[wasm_bindgen(js_name = sendEmailCode)]
    pub fn send_email_code(&self) -> Promise {
        let clerk = self.clerk.clone();
        tracked(&self.clerk, Attempt::SignUp, async move {
            clerk.sign_up().send_email_code().await
        })
    }

    /// `sendEmailLink({ verificationUrl })`. Resolves to `{ error }`.
    #[wasm_bindgen(js_name = sendEmailLink)]
    pub fn send_email_link(&self, params: JsValue) -> Promise {
        crate::js::email_link::sign_up_send_link(&self.clerk, params)
    }

    /// `waitForEmailLinkVerification({ signal? })`: polls until verified
    /// (`{ error: null }`) or expired (`{ error: EmailLinkError('expired') }`).
    #[wasm_bindgen(js_name = waitForEmailLinkVerification)]
    pub fn wait_for_email_link_verification(&self, params: JsValue) -> Promise {
        crate::js::email_link::sign_up_wait(&self.clerk, params)
    }

    /// On the landing page: `{ status, createdSessionId,
    /// verifiedFromTheSameClient }` from the URL, or `null`.
    #[wasm_bindgen(getter, js_name = emailLinkVerification)]
    pub fn email_link_verification(&self) -> JsValue {
        crate::js::email_link::sign_up_verification(&self.clerk)
    }

    /// `verifyEmailCode({ code })`. Resolves to `{ error }`.
    #[wasm_bindgen(js_name = verifyEmailCode)]
    pub fn verify_email_code(&self, params: JsValue) -> Promise {
        let clerk = self.clerk.clone();
        let code = get_str(&params, "code").unwrap_or_default();
        tracked(&self.clerk, Attempt::SignUp, async move {
            clerk.sign_up().verify_email_code(&code).await
        })
    }
}
