//! Email links for JS: the classic `createEmailLinkFlow()` objects, the
//! `EmailAddress` resource of `user.createEmailAddress`, the newer API's
//! `signIn.emailLink` / `signUp.verifications.*EmailLink*`, and
//! `clerk.handleEmailLinkVerification` — all over [`crate::email_link`].
//!
//! Unlike ClerkJS, cancelling (`cancelEmailLinkFlow()`, an `AbortSignal`, or a
//! second start) settles the pending promise: it rejects with
//! `ClerkCancelledError` (code `cancelled`); the newer API resolves
//! `{ error: ClerkCancelledError }`.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::clerk::{page_origin, Attempt, Clerk};
use crate::core::endpoints::me;
use crate::core::errors::{ClerkError, EmailLinkErrorCode};
use crate::core::flow::email_link::{absolute_redirect_url, link_verification};
use crate::core::flow::sign_in::{Delivery, Target};
use crate::core::model::strategy;
use crate::core::request::Form;
use crate::email_link::{
    handle_landing, page_query, strip_page_link_params, EmailLinkFlow, EmailLinkOutcome,
    LandingOutcome, LinkOutcome, LinkTarget, StartParams,
};
use crate::js::clerk::{promise, tracked};
use crate::js::convert::{camelize, get, get_str, set};
use crate::js::errors::to_js;
use crate::js::resources::session_raw;
use crate::js::sign_in::JsSignIn;
use crate::js::sign_up::JsSignUp;
use crate::timers::Cancel;

/// Cancels `cancel` when `signal` aborts (at once when it already has); the
/// listener is removed on drop.
struct AbortHook {
    signal: AbortSignal,
    callback: Closure<dyn FnMut()>,
}

impl AbortHook {
    fn new(signal: Option<AbortSignal>, cancel: Cancel) -> Option<AbortHook> {
        let signal = signal?;
        if signal.aborted() {
            cancel.cancel();
            return None;
        }
        let callback = Closure::<dyn FnMut()>::new(move || cancel.cancel());
        signal
            .add_event_listener_with_callback("abort", callback.as_ref().unchecked_ref())
            .ok()?;
        Some(AbortHook { signal, callback })
    }
}

impl Drop for AbortHook {
    fn drop(&mut self) {
        let _ = self
            .signal
            .remove_event_listener_with_callback("abort", self.callback.as_ref().unchecked_ref());
    }
}

fn signal_of(params: &JsValue) -> Option<AbortSignal> {
    get(params, "signal").dyn_into::<AbortSignal>().ok()
}

/// The classic resource a finished flow resolves to.
fn resource(clerk: &Clerk, target: &LinkTarget) -> JsValue {
    match target {
        LinkTarget::SignIn => JsSignIn::new(clerk.clone(), false).into(),
        LinkTarget::SignUp => JsSignUp::new(clerk.clone(), false).into(),
        LinkTarget::EmailAddress(id) => JsEmailAddress {
            clerk: clerk.clone(),
            id: id.clone(),
        }
        .into(),
    }
}

fn start_classic(flow: &Rc<EmailLinkFlow>, clerk: &Clerk, params: &JsValue) -> Promise {
    let fut = flow.start(StartParams {
        redirect_url: get_str(params, "redirectUrl").unwrap_or_default(),
        email_address_id: get_str(params, "emailAddressId"),
    });
    let hook = AbortHook::new(signal_of(params), flow.cancel_token());
    let keep = flow.clone();
    let clerk = clerk.clone();
    promise(async move {
        let _hook = hook;
        let result = fut.await;
        let target = keep.target().clone();
        drop(keep);
        result?;
        Ok(resource(&clerk, &target))
    })
}

/// `createEmailLinkFlow()`: a plain object (its functions may be
/// destructured) `{ startEmailLinkFlow(params), cancelEmailLinkFlow() }`.
/// `startEmailLinkFlow({ redirectUrl, emailAddressId?, signal? })` prepares
/// the link, polls until it is verified or expired, and resolves to the
/// resource; cancel rejects it with `ClerkCancelledError`.
pub(crate) fn flow_object(clerk: &Clerk, target: LinkTarget) -> JsValue {
    let flow = Rc::new(EmailLinkFlow::new(clerk, target));
    let obj = Object::new();
    let f = flow.clone();
    let c = clerk.clone();
    let start = Closure::<dyn Fn(JsValue) -> Promise>::new(move |params: JsValue| {
        start_classic(&f, &c, &params)
    });
    set(&obj, "startEmailLinkFlow", &start.into_js_value());
    let cancel = Closure::<dyn Fn()>::new(move || flow.cancel());
    set(&obj, "cancelEmailLinkFlow", &cancel.into_js_value());
    obj.into()
}

/// An email address of the signed-in user (`user.createEmailAddress()`'s result).
#[wasm_bindgen(js_name = EmailAddress)]
pub struct JsEmailAddress {
    clerk: Clerk,
    id: String,
}

impl JsEmailAddress {
    fn raw(&self) -> JsValue {
        let Some(session) = self
            .clerk
            .session_id()
            .and_then(|s| session_raw(&self.clerk, &s))
        else {
            return JsValue::NULL;
        };
        js_sys::Array::from(&get(&get(&session, "user"), "email_addresses"))
            .iter()
            .find(|e| get_str(e, "id").as_deref() == Some(self.id.as_str()))
            .unwrap_or(JsValue::NULL)
    }

    fn call(&self, req: Result<crate::core::request::Request, ClerkError>) -> Promise {
        let clerk = self.clerk.clone();
        let id = self.id.clone();
        promise(async move {
            clerk.call_email_address_with(req?, None).await?;
            Ok(JsEmailAddress { clerk, id })
        })
    }
}

#[wasm_bindgen(js_class = EmailAddress)]
impl JsEmailAddress {
    /// Identifier id (`idn_…`).
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.id.clone()
    }

    /// The address (`null` once it is no longer on the user).
    #[wasm_bindgen(getter, js_name = emailAddress)]
    pub fn email_address(&self) -> JsValue {
        get(&self.raw(), "email_address")
    }

    /// `{ status, strategy, expireAt, … }` (camelCase), or `null`.
    #[wasm_bindgen(getter)]
    pub fn verification(&self) -> JsValue {
        camelize(&get(&self.raw(), "verification"))
    }

    /// `{ startEmailLinkFlow({ redirectUrl, signal? }), cancelEmailLinkFlow() }`;
    /// start resolves to this email address once verified or expired.
    #[wasm_bindgen(js_name = createEmailLinkFlow)]
    pub fn create_email_link_flow(&self) -> JsValue {
        flow_object(&self.clerk, LinkTarget::EmailAddress(self.id.clone()))
    }

    /// `prepareVerification({ strategy: 'email_code' | 'email_link', redirectUrl? })`.
    #[wasm_bindgen(js_name = prepareVerification)]
    pub fn prepare_verification(&self, params: JsValue) -> Promise {
        let strat = get_str(&params, "strategy").unwrap_or_else(|| strategy::EMAIL_CODE.into());
        let mut form = Form::new().set("strategy", strat.as_str());
        if let Some(url) = get_str(&params, "redirectUrl") {
            match absolute_redirect_url(&url, page_origin().as_deref()) {
                Ok(u) => form = form.set("redirect_url", u.as_str()),
                Err(e) => return promise(async move { Err::<JsValue, _>(e) }),
            }
        }
        self.call(me::prepare_email_address_verification(&self.id, form))
    }

    /// `attemptVerification({ code })` for an email code.
    #[wasm_bindgen(js_name = attemptVerification)]
    pub fn attempt_verification(&self, params: JsValue) -> Promise {
        let code = get_str(&params, "code").unwrap_or_default();
        self.call(me::attempt_email_address_verification(
            &self.id,
            code.trim(),
        ))
    }

    /// Fetches the address again.
    pub fn reload(&self) -> Promise {
        self.call(me::get_email_address(&self.id))
    }

    /// The address as plain JSON (camelCase).
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> JsValue {
        camelize(&self.raw())
    }
}

thread_local! {
    static CREATE_EMAIL_FNS: RefCell<Vec<(Clerk, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// `user.createEmailAddress({ email })` for `clerk` (one function per Clerk,
/// created once): `POST /v1/me/email_addresses`, resolves to an `EmailAddress`.
pub(crate) fn create_email_address_fn(clerk: &Clerk) -> JsValue {
    let cached = CREATE_EMAIL_FNS.with(|c| {
        c.borrow()
            .iter()
            .find(|(k, _)| k.ptr_eq(clerk))
            .map(|(_, f)| f.clone())
    });
    if let Some(f) = cached {
        return f;
    }
    let c = clerk.clone();
    let f = Closure::<dyn Fn(JsValue) -> Promise>::new(move |params: JsValue| {
        let clerk = c.clone();
        let email = get_str(&params, "email")
            .or_else(|| get_str(&params, "emailAddress"))
            .unwrap_or_default();
        promise(async move {
            let e = crate::email_link::create_email_address(&clerk, &email).await?;
            Ok(JsEmailAddress { clerk, id: e.id })
        })
    })
    .into_js_value();
    CREATE_EMAIL_FNS.with(|cache| cache.borrow_mut().push((clerk.clone(), f.clone())));
    f
}

/// A newer-API wait: `expired` becomes an `EmailLinkError`; `Cancelled`
/// stays an error; verified and transferable are success.
async fn wait_newer(clerk: Clerk, target: LinkTarget, params: JsValue) -> Result<(), ClerkError> {
    let flow = EmailLinkFlow::new(&clerk, target);
    let fut = flow.wait();
    let _hook = AbortHook::new(signal_of(&params), flow.cancel_token());
    match fut.await? {
        LinkOutcome::Expired => Err(ClerkError::EmailLink(EmailLinkErrorCode::Expired)),
        LinkOutcome::Verified | LinkOutcome::Transferable => Ok(()),
    }
}

/// `verification` of the newer API: `{ status, createdSessionId,
/// verifiedFromTheSameClient }` from the landing URL, or `null`.
fn page_verification(clerk: &Clerk) -> JsValue {
    let client = clerk.client().unwrap_or_default();
    link_verification(&page_query(), &client).map_or(JsValue::NULL, |v| to_js(&v))
}

/// Newer API: `signIn.emailLink`.
#[wasm_bindgen]
pub struct SignInEmailLink {
    clerk: Clerk,
}

impl SignInEmailLink {
    pub(crate) fn new(clerk: Clerk) -> SignInEmailLink {
        SignInEmailLink { clerk }
    }
}

#[wasm_bindgen]
impl SignInEmailLink {
    /// `sendLink({ emailAddress | emailAddressId, verificationUrl })`: creates
    /// the sign-in when needed, then sends the link. Resolves to `{ error }`.
    #[wasm_bindgen(js_name = sendLink)]
    pub fn send_link(&self, params: JsValue) -> Promise {
        let clerk = self.clerk.clone();
        tracked(&self.clerk, Attempt::SignIn, async move {
            let url = absolute_redirect_url(
                &get_str(&params, "verificationUrl").unwrap_or_default(),
                page_origin().as_deref(),
            )?;
            let email = get_str(&params, "emailAddress");
            let id = get_str(&params, "emailAddressId");
            let target = Target {
                identifier: email.as_deref(),
                identifier_id: id.as_deref(),
            };
            let delivery = Delivery::EmailLink { redirect_url: &url };
            clerk.sign_in().send_first_factor(delivery, target).await
        })
    }

    /// `waitForVerification({ signal? })`: polls until the link is verified
    /// (`{ error: null }`) or expired (`{ error: EmailLinkError('expired') }`);
    /// aborting or a new wait resolves `{ error: ClerkCancelledError }`.
    #[wasm_bindgen(js_name = waitForVerification)]
    pub fn wait_for_verification(&self, params: JsValue) -> Promise {
        let clerk = self.clerk.clone();
        tracked(
            &self.clerk,
            Attempt::SignIn,
            wait_newer(clerk, LinkTarget::SignIn, params),
        )
    }

    /// On the landing page: `{ status, createdSessionId,
    /// verifiedFromTheSameClient }` from the URL, or `null`.
    #[wasm_bindgen(getter)]
    pub fn verification(&self) -> JsValue {
        page_verification(&self.clerk)
    }
}

/// Newer API `signUp.verifications.sendEmailLink({ verificationUrl })`.
pub(crate) fn sign_up_send_link(clerk: &Clerk, params: JsValue) -> Promise {
    let c = clerk.clone();
    tracked(clerk, Attempt::SignUp, async move {
        let url = get_str(&params, "verificationUrl").unwrap_or_default();
        c.sign_up().send_email_link(&url).await
    })
}

/// Newer API `signUp.verifications.waitForEmailLinkVerification({ signal? })`.
pub(crate) fn sign_up_wait(clerk: &Clerk, params: JsValue) -> Promise {
    tracked(
        clerk,
        Attempt::SignUp,
        wait_newer(clerk.clone(), LinkTarget::SignUp, params),
    )
}

/// Newer API `signUp.verifications.emailLinkVerification`.
pub(crate) fn sign_up_verification(clerk: &Clerk) -> JsValue {
    page_verification(clerk)
}

/// Navigates with `custom(url)` when it is a function (awaited), else
/// `location.assign(url)`.
async fn navigate(custom: &JsValue, url: Option<String>) {
    let Some(url) = url.filter(|u| !u.is_empty()) else {
        return;
    };
    if let Some(f) = custom.dyn_ref::<Function>() {
        if let Ok(r) = f.call1(&JsValue::NULL, &JsValue::from_str(&url)) {
            if let Some(p) = r.dyn_ref::<Promise>() {
                let _ = JsFuture::from(p.clone()).await;
            }
        }
    } else if let Some(w) = web_sys::window() {
        let _ = w.location().assign(&url);
    }
}

/// `clerk.handleEmailLinkVerification({ redirectUrlComplete, redirectUrl,
/// onVerifiedOnOtherDevice }, customNavigate?)` on the landing page.
pub(crate) fn handle_email_link_verification(
    clerk: &Clerk,
    params: JsValue,
    custom_navigate: JsValue,
) -> Promise {
    let clerk = clerk.clone();
    let complete = get_str(&params, "redirectUrlComplete");
    let redirect = get_str(&params, "redirectUrl");
    let on_other = get(&params, "onVerifiedOnOtherDevice");
    promise(async move {
        let query = page_query();
        strip_page_link_params();
        let outcome = handle_landing(&clerk, &query).await?;
        match &outcome {
            LandingOutcome::VerifiedSessionHere(_) => navigate(&custom_navigate, complete).await,
            LandingOutcome::ContinueHere => navigate(&custom_navigate, redirect).await,
            LandingOutcome::VerifiedOnOtherDevice | LandingOutcome::Transferable => {
                if let Some(f) = on_other.dyn_ref::<Function>() {
                    let _ = f.call0(&JsValue::NULL);
                }
            }
        }
        Ok(JsValue::from_str(EmailLinkOutcome::from(&outcome).as_str()))
    })
}
