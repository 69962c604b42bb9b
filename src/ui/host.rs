//! The page's `Clerk` object (the JS shell of the package's entry) as the forms
//! see it: they read its state here and call its newer API
//! (`signIn.phoneCode.sendCode`, `signUp.verifications.*`, `finalize`, …)
//! through the driver like any page would, so the forms add only their own
//! code to the `.wasm`, not a second engine.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::errors::{ClerkError, EmailLinkErrorCode};
use crate::core::response::ApiError;

/// `obj[key]` (`undefined` when absent or not an object).
pub(crate) fn get(obj: &JsValue, key: &str) -> JsValue {
    if !obj.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Follows `path` (`"signIn.phoneCode"`) from `obj`.
fn at(obj: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(obj.clone(), |o, k| get(&o, k))
}

/// A plain object from string pairs.
pub(crate) fn object(pairs: &[(&str, &str)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o.into()
}

/// The JS `Clerk` the forms are mounted for.
#[derive(Clone)]
pub(crate) struct Host(pub(crate) JsValue);

impl Host {
    /// The instance's settings (the shell's raw `/v1/environment`), once loaded.
    pub(crate) fn settings(&self) -> Option<Settings> {
        let raw = self.call0("_environmentRaw");
        raw.is_object().then_some(Settings(raw))
    }

    /// The active session's id.
    pub(crate) fn session_id(&self) -> Option<String> {
        get(&get(&self.0, "session"), "id").as_string()
    }

    /// The signed-in user (ClerkJS's camelCase shape), if any.
    pub(crate) fn user(&self) -> Option<JsValue> {
        let u = get(&self.0, "user");
        u.is_object().then_some(u)
    }

    fn call0(&self, method: &str) -> JsValue {
        get(&self.0, method)
            .dyn_into::<Function>()
            .ok()
            .and_then(|f| f.call0(&self.0).ok())
            .unwrap_or(JsValue::NULL)
    }

    /// The `{ fields, global }` of the attempt's last error (`signIn` / `signUp`):
    /// `(field name, message)` pairs, global ones with an empty name.
    pub(crate) fn errors(&self, attempt: &str) -> Vec<(String, String)> {
        let errors = get(&at(&self.0, attempt), "errors");
        let message = |item: &JsValue| {
            get(item, "longMessage")
                .as_string()
                .filter(|m| !m.is_empty())
                .or_else(|| get(item, "message").as_string())
                .unwrap_or_default()
        };
        let mut out = Vec::new();
        let fields = get(&errors, "fields");
        if fields.is_object() {
            for entry in Object::entries(fields.unchecked_ref()).iter() {
                let pair: Array = entry.unchecked_into();
                if let Some(name) = pair.get(0).as_string() {
                    out.push((name, message(&pair.get(1))));
                }
            }
        }
        for item in list(&get(&errors, "global")).iter() {
            out.push((String::new(), message(&item)));
        }
        out
    }

    /// Whether the sign-up's `unverifiedFields` has `field` (snake_case).
    pub(crate) fn unverified(&self, field: &str) -> bool {
        has(&at(&self.0, "signUp.unverifiedFields"), field)
    }
}

/// `v` if it is an array, else an empty one.
fn list(v: &JsValue) -> Array {
    v.dyn_ref::<Array>().cloned().unwrap_or_default()
}

/// Whether the array `v` has the string `s`.
fn has(v: &JsValue, s: &str) -> bool {
    list(v).includes(&JsValue::from_str(s), 0)
}

/// The settings of `/v1/environment` the forms need, read in place (the
/// snake_case JSON): which identifiers, strategies and fields are on.
pub(crate) struct Settings(JsValue);

impl Settings {
    fn attr(&self, name: &str) -> JsValue {
        get(&at(&self.0, "user_settings.attributes"), name)
    }

    fn on(&self, attr: &str, key: &str) -> bool {
        get(&self.attr(attr), key).as_bool() == Some(true)
    }

    /// `attr` (`email_address`, `first_name`, …) is enabled and required.
    pub(crate) fn required(&self, attr: &str) -> bool {
        self.on(attr, "enabled") && self.on(attr, "required")
    }

    /// `attr` is enabled and signs in (first factor) with `strategy`.
    pub(crate) fn first_factor(&self, attr: &str, strategy: &str) -> bool {
        self.on(attr, "enabled")
            && self.on(attr, "used_for_first_factor")
            && has(&get(&self.attr(attr), "first_factors"), strategy)
    }

    /// `attr` is enabled and is verified at sign-up with `strategy`.
    pub(crate) fn verifies(&self, attr: &str, strategy: &str) -> bool {
        self.on(attr, "enabled") && has(&get(&self.attr(attr), "verifications"), strategy)
    }

    /// `display_config.application_name` ("" when absent).
    pub(crate) fn app_name(&self) -> String {
        at(&self.0, "display_config.application_name")
            .as_string()
            .unwrap_or_default()
    }
}

/// A JS error (or `{ error }`) as the typed error the forms branch on:
/// cancelled, an expired email link, or an API error with its `Retry-After`.
pub(crate) fn failure(e: &JsValue) -> ClerkError {
    let code = get(e, "code").as_string().unwrap_or_default();
    match code.as_str() {
        "cancelled" => ClerkError::Cancelled,
        "expired" if get(e, "name").as_string().as_deref() == Some("EmailLinkError") => {
            ClerkError::EmailLink(EmailLinkErrorCode::Expired)
        }
        _ => {
            let status = get(e, "status").as_f64().unwrap_or(0.0) as u16;
            let retry = get(e, "retryAfter")
                .as_f64()
                .map(|s| (s as u32).to_string());
            ClerkError::Api(ApiError::without_body(status, retry.as_deref()))
        }
    }
}
