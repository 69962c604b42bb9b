//! The sign-in resource for JS: classic methods (throwing, resolving to the
//! resource) and the newer API (`phoneCode`, `emailCode`, `mfa`, `finalize`,
//! `errors`, `fetchStatus`; resolving to `{ error }`). Both skins call the same
//! Rust [`SignInApi`](crate::sign_in::SignInApi).

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::clerk::{Attempt, Clerk};
use crate::core::errors::{FieldErrors, FieldSet};
use crate::core::flow::sign_in::Delivery;
use crate::core::model::strategy;
use crate::js::clerk::{promise, tracked};
use crate::js::convert::{field, get_str, list_field};
use crate::js::errors::to_js;
use crate::json::to_form;

/// `{ fields, raw, global }` for the attempt's last error.
pub(crate) fn errors_of(clerk: &Clerk, attempt: Attempt, set: FieldSet) -> JsValue {
    let errors = clerk
        .attempt_status(attempt)
        .error
        .map(|e| FieldErrors::from_error(&e, set))
        .unwrap_or_default();
    to_js(&errors)
}

/// `'fetching'` while a newer-API call runs, else `'idle'`.
pub(crate) fn fetch_status_of(clerk: &Clerk, attempt: Attempt) -> String {
    if clerk.attempt_status(attempt).fetching {
        "fetching"
    } else {
        "idle"
    }
    .into()
}

/// A sign-in attempt (`clerk.client.signIn`, or `clerk.signIn` for the newer API).
#[wasm_bindgen(js_name = SignIn)]
pub struct JsSignIn {
    clerk: Clerk,
    future: bool,
}

impl JsSignIn {
    pub(crate) fn new(clerk: Clerk, future: bool) -> JsSignIn {
        JsSignIn { clerk, future }
    }

    fn raw(&self) -> Option<JsValue> {
        self.clerk.sign_in_raw()
    }

    /// Runs a classic call resolving to the sign-in resource.
    fn classic(&self, params: JsValue, op: Op) -> Promise {
        let clerk = self.clerk.clone();
        let future = self.future;
        let call = async move {
            let form = to_form(&params);
            let api = clerk.sign_in();
            match op {
                Op::Create => api.create(form).await,
                Op::PrepareFirst => api.prepare_first_factor(form).await,
                Op::AttemptFirst => api.attempt_first_factor(form).await,
                Op::PrepareSecond => api.prepare_second_factor(form).await,
                Op::AttemptSecond => api.attempt_second_factor(form).await,
                Op::Reload => api.reload().await,
            }
        };
        if future {
            return tracked(&self.clerk, Attempt::SignIn, call);
        }
        let clerk = self.clerk.clone();
        promise(async move {
            call.await?;
            Ok(JsSignIn::new(clerk, false))
        })
    }
}

#[derive(Clone, Copy)]
enum Op {
    Create,
    PrepareFirst,
    AttemptFirst,
    PrepareSecond,
    AttemptSecond,
    Reload,
}

#[wasm_bindgen(js_class = SignIn)]
impl JsSignIn {
    /// Sign-in id (`sia_…`), `null` before `create`.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> JsValue {
        field(&self.raw(), "id")
    }

    /// `needs_identifier`, `needs_first_factor`, `needs_second_factor`, `complete`, …
    #[wasm_bindgen(getter)]
    pub fn status(&self) -> JsValue {
        field(&self.raw(), "status")
    }

    /// The identifier used.
    #[wasm_bindgen(getter)]
    pub fn identifier(&self) -> JsValue {
        field(&self.raw(), "identifier")
    }

    /// `[{ strategy, safeIdentifier, phoneNumberId | emailAddressId, primary }]`.
    #[wasm_bindgen(getter, js_name = supportedFirstFactors)]
    pub fn supported_first_factors(&self) -> JsValue {
        list_field(&self.raw(), "supported_first_factors")
    }

    /// Second factors, when `status` is `needs_second_factor`.
    #[wasm_bindgen(getter, js_name = supportedSecondFactors)]
    pub fn supported_second_factors(&self) -> JsValue {
        list_field(&self.raw(), "supported_second_factors")
    }

    /// `{ status, strategy, attempts, expireAt, … }` of the first factor.
    #[wasm_bindgen(getter, js_name = firstFactorVerification)]
    pub fn first_factor_verification(&self) -> JsValue {
        field(&self.raw(), "first_factor_verification")
    }

    /// The second factor's verification.
    #[wasm_bindgen(getter, js_name = secondFactorVerification)]
    pub fn second_factor_verification(&self) -> JsValue {
        field(&self.raw(), "second_factor_verification")
    }

    /// The session created when `status` is `complete`.
    #[wasm_bindgen(getter, js_name = createdSessionId)]
    pub fn created_session_id(&self) -> JsValue {
        field(&self.raw(), "created_session_id")
    }

    /// `{ firstName, lastName, imageUrl, hasImage }` of the user signing in.
    #[wasm_bindgen(getter, js_name = userData)]
    pub fn user_data(&self) -> JsValue {
        field(&self.raw(), "user_data")
    }

    /// Newer API: `{ fields: { identifier, code, … }, raw, global }` of the last call.
    #[wasm_bindgen(getter)]
    pub fn errors(&self) -> JsValue {
        errors_of(&self.clerk, Attempt::SignIn, FieldSet::SignIn)
    }

    /// Newer API: `'fetching'` or `'idle'`.
    #[wasm_bindgen(getter, js_name = fetchStatus)]
    pub fn fetch_status(&self) -> String {
        fetch_status_of(&self.clerk, Attempt::SignIn)
    }

    /// `create({ identifier, strategy, redirectUrl, … })`.
    pub fn create(&self, params: JsValue) -> Promise {
        self.classic(params, Op::Create)
    }

    /// `prepareFirstFactor({ strategy, phoneNumberId | emailAddressId, redirectUrl })`.
    #[wasm_bindgen(js_name = prepareFirstFactor)]
    pub fn prepare_first_factor(&self, params: JsValue) -> Promise {
        self.classic(params, Op::PrepareFirst)
    }

    /// `attemptFirstFactor({ strategy, code })`.
    #[wasm_bindgen(js_name = attemptFirstFactor)]
    pub fn attempt_first_factor(&self, params: JsValue) -> Promise {
        self.classic(params, Op::AttemptFirst)
    }

    /// `prepareSecondFactor({ strategy, phoneNumberId | emailAddressId })`.
    #[wasm_bindgen(js_name = prepareSecondFactor)]
    pub fn prepare_second_factor(&self, params: JsValue) -> Promise {
        self.classic(params, Op::PrepareSecond)
    }

    /// `attemptSecondFactor({ strategy, code })`.
    #[wasm_bindgen(js_name = attemptSecondFactor)]
    pub fn attempt_second_factor(&self, params: JsValue) -> Promise {
        self.classic(params, Op::AttemptSecond)
    }

    /// Fetches the attempt again (`GET /client/sign_ins/{id}`).
    pub fn reload(&self) -> Promise {
        self.classic(JsValue::UNDEFINED, Op::Reload)
    }

    /// Newer API: `signIn.phoneCode.sendCode/verifyCode`.
    #[wasm_bindgen(getter, js_name = phoneCode)]
    pub fn phone_code(&self) -> SignInCode {
        SignInCode {
            clerk: self.clerk.clone(),
            phone: true,
        }
    }

    /// Newer API: `signIn.emailCode.sendCode/verifyCode`.
    #[wasm_bindgen(getter, js_name = emailCode)]
    pub fn email_code(&self) -> SignInCode {
        SignInCode {
            clerk: self.clerk.clone(),
            phone: false,
        }
    }

    /// Newer API: second factors (`signIn.mfa.*`).
    #[wasm_bindgen(getter)]
    pub fn mfa(&self) -> SignInMfa {
        SignInMfa {
            clerk: self.clerk.clone(),
        }
    }

    /// Newer API: `finalize({ navigate })` activates the created session.
    pub fn finalize(&self, params: JsValue) -> Promise {
        crate::js::clerk::finalize(&self.clerk, Attempt::SignIn, &params)
    }

    /// Newer API: forgets the local attempt.
    pub fn reset(&self) {
        self.clerk.reset(Attempt::SignIn);
    }

    /// Classic: `{ startEmailLinkFlow({ redirectUrl, emailAddressId?, signal? }),
    /// cancelEmailLinkFlow() }`; start prepares the link, polls, and resolves
    /// to this sign-in (cancel rejects with `ClerkCancelledError`).
    #[wasm_bindgen(js_name = createEmailLinkFlow)]
    pub fn create_email_link_flow(&self) -> JsValue {
        crate::js::email_link::flow_object(&self.clerk, crate::email_link::LinkTarget::SignIn)
    }

    /// Newer API: `signIn.emailLink.sendLink/waitForVerification/verification`.
    #[wasm_bindgen(getter, js_name = emailLink)]
    pub fn email_link(&self) -> crate::js::email_link::SignInEmailLink {
        crate::js::email_link::SignInEmailLink::new(self.clerk.clone())
    }
}

/// `signIn.phoneCode` / `signIn.emailCode`.
#[wasm_bindgen]
pub struct SignInCode {
    clerk: Clerk,
    phone: bool,
}

#[wasm_bindgen]
impl SignInCode {
    /// `sendCode({ phoneNumber | phoneNumberId, channel })` or
    /// `sendCode({ emailAddress | emailAddressId })`: creates the sign-in when
    /// needed, then sends the code. Resolves to `{ error }`.
    #[wasm_bindgen(js_name = sendCode)]
    pub fn send_code(&self, params: JsValue) -> Promise {
        let clerk = self.clerk.clone();
        let phone = self.phone;
        tracked(&self.clerk, Attempt::SignIn, async move {
            let (ident, id) = if phone {
                (
                    get_str(&params, "phoneNumber"),
                    get_str(&params, "phoneNumberId"),
                )
            } else {
                (
                    get_str(&params, "emailAddress"),
                    get_str(&params, "emailAddressId"),
                )
            };
            let channel = get_str(&params, "channel").unwrap_or_else(|| "sms".into());
            let delivery = if phone {
                Delivery::PhoneCode {
                    channel: Some(&channel),
                }
            } else {
                Delivery::EmailCode
            };
            let target = crate::core::flow::sign_in::Target {
                identifier: ident.as_deref(),
                identifier_id: id.as_deref(),
            };
            clerk.sign_in().send_first_factor(delivery, target).await
        })
    }

    /// `verifyCode({ code })`. Resolves to `{ error }`.
    #[wasm_bindgen(js_name = verifyCode)]
    pub fn verify_code(&self, params: JsValue) -> Promise {
        let clerk = self.clerk.clone();
        let strat = if self.phone {
            strategy::PHONE_CODE
        } else {
            strategy::EMAIL_CODE
        };
        let code = get_str(&params, "code").unwrap_or_default();
        tracked(&self.clerk, Attempt::SignIn, async move {
            clerk.sign_in().verify_code(strat, &code).await
        })
    }
}

/// `signIn.mfa`: second factors.
#[wasm_bindgen]
pub struct SignInMfa {
    clerk: Clerk,
}

impl SignInMfa {
    fn send(&self, phone: bool) -> Promise {
        let clerk = self.clerk.clone();
        tracked(&self.clerk, Attempt::SignIn, async move {
            let delivery = if phone {
                Delivery::PhoneCode { channel: None }
            } else {
                Delivery::EmailCode
            };
            clerk.sign_in().send_second_factor(delivery).await
        })
    }

    fn verify(&self, strategy: &'static str, params: JsValue) -> Promise {
        let clerk = self.clerk.clone();
        let code = get_str(&params, "code").unwrap_or_default();
        tracked(&self.clerk, Attempt::SignIn, async move {
            clerk.sign_in().verify_second_factor(strategy, &code).await
        })
    }
}

#[wasm_bindgen]
impl SignInMfa {
    /// Sends an SMS code to the second-factor phone number.
    #[wasm_bindgen(js_name = sendPhoneCode)]
    pub fn send_phone_code(&self) -> Promise {
        self.send(true)
    }

    /// Sends an email code as second factor.
    #[wasm_bindgen(js_name = sendEmailCode)]
    pub fn send_email_code(&self) -> Promise {
        self.send(false)
    }

    /// `verifyPhoneCode({ code })`.
    #[wasm_bindgen(js_name = verifyPhoneCode)]
    pub fn verify_phone_code(&self, params: JsValue) -> Promise {
        self.verify(strategy::PHONE_CODE, params)
    }

    /// `verifyEmailCode({ code })`.
    #[wasm_bindgen(js_name = verifyEmailCode)]
    pub fn verify_email_code(&self, params: JsValue) -> Promise {
        self.verify(strategy::EMAIL_CODE, params)
    }

    /// `verifyTotp({ code })`.
    #[wasm_bindgen(js_name = verifyTotp)]
    pub fn verify_totp(&self, params: JsValue) -> Promise {
        self.verify("totp", params)
    }

    /// `verifyBackupCode({ code })`.
    #[wasm_bindgen(js_name = verifyBackupCode)]
    pub fn verify_backup_code(&self, params: JsValue) -> Promise {
        self.verify("backup_code", params)
    }
}
