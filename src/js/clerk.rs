//! `new Clerk(publishableKey, options)`: ClerkJS's client object for JS.

use js_sys::{Function, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::clerk::{Attempt, Clerk, ClerkOptions};
use crate::core::errors::ClerkError;
use crate::js::convert::{camelize, get, get_str, set};
use crate::js::errors::to_js_error;
use crate::js::resources::{session_raw, JsClient, JsSession};
use crate::js::sign_in::JsSignIn;
use crate::js::sign_up::JsSignUp;

type BoxedCall = std::pin::Pin<Box<dyn std::future::Future<Output = Result<JsValue, ClerkError>>>>;

/// One `future_to_promise` instantiation for every call (keeps the wasm small).
fn boxed_promise(fut: BoxedCall) -> Promise {
    future_to_promise(async move { fut.await.map_err(|e| to_js_error(&e)) })
}

/// Turns a Rust future into a JS Promise that rejects with a clerk-wasm error.
pub(crate) fn promise<T: Into<JsValue>>(
    fut: impl std::future::Future<Output = Result<T, ClerkError>> + 'static,
) -> Promise {
    boxed_promise(Box::pin(async move { fut.await.map(Into::into) }))
}

/// Runs a newer-API call: resolves to `{ error }`, never rejects; tracks
/// `fetchStatus` and `errors` on the attempt.
pub(crate) fn tracked<T: 'static>(
    clerk: &Clerk,
    attempt: Attempt,
    fut: impl std::future::Future<Output = Result<T, ClerkError>> + 'static,
) -> Promise {
    tracked_boxed(
        clerk,
        attempt,
        Box::pin(async move { fut.await.map(|_| ()) }),
    )
}

/// The one instance of the tracking future that every newer-API call shares (size).
fn tracked_boxed(
    clerk: &Clerk,
    attempt: Attempt,
    fut: std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), ClerkError>>>>,
) -> Promise {
    let clerk = clerk.clone();
    boxed_promise(Box::pin(async move {
        let error = match clerk.track(attempt, fut).await {
            Ok(_) => JsValue::NULL,
            Err(e) => to_js_error(&e),
        };
        Ok(crate::js::convert::error_result(error))
    }))
}

/// The active session as a JS `Session`, or `null`.
pub(crate) fn session_value(clerk: &Clerk) -> JsValue {
    clerk
        .session_id()
        .map_or(JsValue::NULL, |id| JsSession::new(clerk.clone(), id).into())
}

/// Newer API `finalize({ navigate, redirectUrl })` for either attempt: activates
/// the created session, then navigates; resolves to `{ error }`.
pub(crate) fn finalize(clerk: &Clerk, attempt: Attempt, params: &JsValue) -> Promise {
    let c = clerk.clone();
    let navigate = get(params, "navigate");
    let redirect = get_str(params, "redirectUrl");
    tracked(clerk, attempt, async move {
        match attempt {
            Attempt::SignIn => c.sign_in().finalize().await?,
            Attempt::SignUp => c.sign_up().finalize().await?,
        }
        after_activation(navigate, redirect, session_value(&c)).await;
        Ok(())
    })
}

/// Navigates with `navigate({session})` when given, else to `redirect_url`.
pub(crate) async fn after_activation(
    navigate: JsValue,
    redirect_url: Option<String>,
    session: JsValue,
) {
    if let Some(f) = navigate.dyn_ref::<Function>() {
        let arg = Object::new();
        set(&arg, "session", &session);
        if let Ok(r) = f.call1(&JsValue::NULL, &arg) {
            if let Some(p) = r.dyn_ref::<Promise>() {
                let _ = wasm_bindgen_futures::JsFuture::from(p.clone()).await;
            }
        }
    } else if let Some(url) = redirect_url {
        if let Some(w) = web_sys::window() {
            let _ = w.location().assign(&url);
        }
    }
}

/// The Clerk object: `new Clerk(publishableKey, { proxyUrl })`, then `await clerk.load()`.
#[wasm_bindgen(js_name = Clerk)]
pub struct JsClerk {
    pub(crate) clerk: Clerk,
}

#[wasm_bindgen(js_class = Clerk)]
impl JsClerk {
    /// Parses the key (throws `ClerkRuntimeError` with code
    /// `invalid_publishable_key` / `invalid_proxy_url`); sends nothing.
    #[wasm_bindgen(constructor)]
    pub fn new(publishable_key: &str, options: JsValue) -> Result<JsClerk, JsValue> {
        let opts = ClerkOptions {
            proxy_url: get_str(&options, "proxyUrl"),
        };
        Ok(JsClerk {
            clerk: Clerk::new(publishable_key, opts)?,
        })
    }

    /// Loads the environment and the client; resolves when ready.
    pub fn load(&self, _options: JsValue) -> Promise {
        let clerk = self.clerk.clone();
        promise(async move { clerk.load().await.map(|_| JsValue::UNDEFINED) })
    }

    /// True once `load()` resolved.
    #[wasm_bindgen(getter)]
    pub fn loaded(&self) -> bool {
        self.clerk.loaded()
    }

    /// The Frontend API base URL requests go to.
    #[wasm_bindgen(getter, js_name = frontendApi)]
    pub fn frontend_api(&self) -> String {
        self.clerk.frontend_api().into()
    }

    /// `development` or `production` (from the key).
    #[wasm_bindgen(getter, js_name = instanceType)]
    pub fn instance_type(&self) -> String {
        self.clerk.publishable_key().instance_type.as_str().into()
    }

    /// The client (`undefined` before `load()`).
    #[wasm_bindgen(getter)]
    pub fn client(&self) -> Option<JsClient> {
        self.clerk
            .loaded()
            .then(|| JsClient::new(self.clerk.clone()))
    }

    /// The active session, or `null` (`undefined` before `load()`, as in ClerkJS).
    #[wasm_bindgen(getter)]
    pub fn session(&self) -> JsValue {
        if !self.clerk.loaded() {
            return JsValue::UNDEFINED;
        }
        session_value(&self.clerk)
    }

    /// The signed-in user (ClerkJS's shape, camelCase), or `null`.
    #[wasm_bindgen(getter)]
    pub fn user(&self) -> JsValue {
        user_of(&self.clerk)
    }

    /// True when a session is active.
    #[wasm_bindgen(getter, js_name = isSignedIn)]
    pub fn is_signed_in(&self) -> bool {
        self.clerk.session_id().is_some()
    }

    /// The newer sign-in API (what `useSignIn()` returns as `signIn`): every
    /// method resolves to `{ error }`; read `errors` and `fetchStatus`.
    #[wasm_bindgen(getter, js_name = signIn)]
    pub fn sign_in(&self) -> JsSignIn {
        JsSignIn::new(self.clerk.clone(), true)
    }

    /// The newer sign-up API (what `useSignUp()` returns as `signUp`).
    #[wasm_bindgen(getter, js_name = signUp)]
    pub fn sign_up(&self) -> JsSignUp {
        JsSignUp::new(self.clerk.clone(), true)
    }

    /// The instance environment (camelCase), or `null` before `load()`.
    #[wasm_bindgen(getter)]
    pub fn environment(&self) -> JsValue {
        self.clerk
            .environment_raw()
            .map_or(JsValue::NULL, |e| camelize(&e))
    }

    /// `setActive({ session, redirectUrl, navigate })`: `session` is a session
    /// id, a session object, or `null` (sign out locally).
    #[wasm_bindgen(js_name = setActive)]
    pub fn set_active(&self, params: JsValue) -> Promise {
        let clerk = self.clerk.clone();
        let session = get(&params, "session");
        let id = session.as_string().or_else(|| get_str(&session, "id"));
        let navigate = get(&params, "navigate");
        let redirect = get_str(&params, "redirectUrl");
        promise(async move {
            clerk.set_active(id.as_deref()).await?;
            let s = session_value(&clerk);
            after_activation(navigate, redirect, s).await;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `signOut({ sessionId, redirectUrl })` or `signOut(callback, options)`:
    /// signs out of all sessions, or of `sessionId` only (`POST
    /// …/sessions/{id}/remove` while other sessions stay signed in). When the
    /// active session ended, calls `callback` (awaited) or else navigates to
    /// `redirectUrl`.
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(&self, first: JsValue, second: JsValue) -> Promise {
        let (callback, options) = if first.is_function() {
            (first, second)
        } else {
            (JsValue::UNDEFINED, first)
        };
        let clerk = self.clerk.clone();
        let redirect = get_str(&options, "redirectUrl");
        let session_id = get_str(&options, "sessionId");
        promise(async move {
            let ended = match session_id {
                Some(id) => clerk.sign_out_session(&id).await?,
                None => clerk.sign_out().await.map(|_| true)?,
            };
            if ended {
                after_activation(callback, redirect, JsValue::NULL).await;
            }
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Calls `callback({ client, session, user })` now (when loaded) and after
    /// every change; returns a function that unsubscribes.
    #[wasm_bindgen(js_name = addListener)]
    pub fn add_listener(&self, callback: Function) -> Function {
        let clerk = self.clerk.clone();
        let notify = move || {
            let arg = Object::new();
            set(&arg, "client", &JsClient::new(clerk.clone()).into());
            set(&arg, "session", &session_value(&clerk));
            set(&arg, "user", &user_of(&clerk));
            let _ = callback.call1(&JsValue::NULL, &arg);
        };
        if self.clerk.loaded() {
            notify();
        }
        let id = self.clerk.add_listener(notify);
        let clerk = self.clerk.clone();
        Closure::<dyn Fn()>::new(move || clerk.remove_listener(id))
            .into_js_value()
            .unchecked_into()
    }

    /// `handleEmailLinkVerification({ redirectUrlComplete, redirectUrl,
    /// onVerifiedOnOtherDevice }, customNavigate?)` on the page an email link
    /// lands on: reads and removes `__clerk_status`/`__clerk_created_session`,
    /// tells waiting tabs of this browser, and then makes the session active
    /// and goes to `redirectUrlComplete`, continues on `redirectUrl`, or calls
    /// `onVerifiedOnOtherDevice()`. Resolves to `'verified'`, `'continue'`,
    /// `'verified_on_other_device'` or `'transferable'`; rejects with
    /// `EmailLinkError` (`expired`, `failed`, `client_mismatch`).
    #[wasm_bindgen(js_name = handleEmailLinkVerification)]
    pub fn handle_email_link_verification(
        &self,
        params: JsValue,
        custom_navigate: JsValue,
    ) -> Promise {
        crate::js::email_link::handle_email_link_verification(&self.clerk, params, custom_navigate)
    }

    /// Navigates to the instance's sign-in page (`display_config.sign_in_url`).
    #[wasm_bindgen(js_name = redirectToSignIn)]
    pub fn redirect_to_sign_in(&self) {
        self.redirect_to("sign_in_url");
    }

    /// Navigates to the instance's sign-up page (`display_config.sign_up_url`).
    #[wasm_bindgen(js_name = redirectToSignUp)]
    pub fn redirect_to_sign_up(&self) {
        self.redirect_to("sign_up_url");
    }

    fn redirect_to(&self, key: &str) {
        let env = self.clerk.environment_raw().unwrap_or(JsValue::NULL);
        if let (Some(url), Some(w)) = (
            get_str(&get(&env, "display_config"), key),
            web_sys::window(),
        ) {
            let _ = w.location().assign(&url);
        }
    }
}

/// The active session's user, camelCase, with `primaryEmailAddress` and
/// `primaryPhoneNumber` resolved like ClerkJS's User resource.
pub(crate) fn user_of(clerk: &Clerk) -> JsValue {
    let Some(raw) = clerk.session_id().and_then(|id| session_raw(clerk, &id)) else {
        return JsValue::NULL;
    };
    let user = camelize(&get(&raw, "user"));
    if !user.is_object() {
        return JsValue::NULL;
    }
    for (list, id_key, out_key) in [
        (
            "emailAddresses",
            "primaryEmailAddressId",
            "primaryEmailAddress",
        ),
        ("phoneNumbers", "primaryPhoneNumberId", "primaryPhoneNumber"),
    ] {
        let id = get(&user, id_key);
        let found = js_sys::Array::from(&get(&user, list))
            .iter()
            .find(|e| !id.is_null() && get(e, "id") == id)
            .unwrap_or(JsValue::NULL);
        set(user.unchecked_ref(), out_key, &found);
    }
    set(
        user.unchecked_ref(),
        "createEmailAddress",
        &crate::js::email_link::create_email_address_fn(clerk),
    );
    user
}
