//! The page's `Clerk` object (the JS shell of the package's entry) as the forms
//! see it: they read its state here and call its newer API
//! (`signIn.phoneCode.sendCode`, `signUp.verifications.*`, `finalize`, …)
//! through the driver like any page would, so the forms add only their own
//! code to the `.wasm`, not a second engine.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

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

/// The string at `path` from `obj` (`None` when absent or not a string).
pub(crate) fn string_at(obj: &JsValue, path: &str) -> Option<String> {
    at(obj, path).as_string()
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
        string_at(&self.0, "session.id")
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

    /// Calls `f(field name, message)` for each of the `{ fields, global }` of
    /// the attempt's last error (`signIn` / `signUp`; global ones have an
    /// empty name); returns whether there was any.
    pub(crate) fn errors(&self, attempt: &str, f: &mut dyn FnMut(&str, &str)) -> bool {
        let errors = get(&at(&self.0, attempt), "errors");
        let message = |item: &JsValue| {
            get(item, "longMessage")
                .as_string()
                .filter(|m| !m.is_empty())
                .or_else(|| get(item, "message").as_string())
                .unwrap_or_default()
        };
        let mut any = false;
        let fields = get(&errors, "fields");
        if fields.is_object() {
            for entry in Object::entries(fields.unchecked_ref()).iter() {
                let pair: Array = entry.unchecked_into();
                if let Some(name) = pair.get(0).as_string() {
                    f(&name, &message(&pair.get(1)));
                    any = true;
                }
            }
        }
        for item in list(&get(&errors, "global")).iter() {
            f("", &message(&item));
            any = true;
        }
        any
    }

    /// The string at `path` (`"signUp.phoneNumber"`), if any.
    pub(crate) fn string(&self, path: &str) -> Option<String> {
        string_at(&self.0, path)
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
        string_at(&self.0, "display_config.application_name").unwrap_or_default()
    }
}

/// What the forms need of a failed call's error (a `ClerkAPIResponseError`,
/// `EmailLinkError`, … of the page's `Clerk`).
pub(crate) struct Failure(pub(crate) JsValue);

impl Failure {
    /// Its `message`.
    pub(crate) fn message(&self) -> String {
        get(&self.0, "message").as_string().unwrap_or_default()
    }

    /// Its `retryAfter` (seconds, from a 429's `Retry-After`).
    pub(crate) fn retry_after(&self) -> Option<u32> {
        get(&self.0, "retryAfter").as_f64().map(|s| s as u32)
    }

    /// An `EmailLinkError` (the link expired or failed while waiting).
    pub(crate) fn is_email_link(&self) -> bool {
        get(&self.0, "name").as_string().as_deref() == Some("EmailLinkError")
    }
}
