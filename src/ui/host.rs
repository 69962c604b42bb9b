//! The page's `Clerk` object (the JS shell of the package's entry) as the forms
//! see it: they read its state and call its newer API (`signIn.phoneCode.sendCode`,
//! `signUp.verifications.*`, `finalize`, …) like any page would, so the forms
//! add only their own code to the `.wasm`, not a second engine.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::core::errors::{ClerkError, EmailLinkErrorCode};
use crate::core::model::Environment;
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
    /// The instance settings (decoded from the shell's raw `/v1/environment`).
    pub(crate) fn environment(&self) -> Option<Environment> {
        let raw = self.call0("_environmentRaw");
        crate::json::decode(&raw).ok()
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

    /// `addListener(f)`; the returned function unsubscribes.
    pub(crate) fn add_listener(&self, f: impl Fn() + 'static) -> Listener {
        let closure = Closure::<dyn Fn(JsValue)>::new(move |_: JsValue| f());
        let unsubscribe = get(&self.0, "addListener")
            .dyn_into::<Function>()
            .ok()
            .and_then(|add| add.call1(&self.0, closure.as_ref()).ok())
            .and_then(|u| u.dyn_into::<Function>().ok());
        Listener {
            _closure: closure,
            unsubscribe,
        }
    }

    /// Calls the newer-API method at `path` (e.g. `signIn.phoneCode.sendCode`)
    /// with `args`; its `{ error }` becomes `Err`.
    pub(crate) async fn call(&self, path: &str, args: JsValue) -> Result<(), ClerkError> {
        let (owner, method) = path.rsplit_once('.').unwrap_or(("", path));
        let owner = if owner.is_empty() {
            self.0.clone()
        } else {
            at(&self.0, owner)
        };
        let f: Function = get(&owner, method)
            .dyn_into()
            .map_err(|_| crate::core::errors::precondition::INVALID_ID)?;
        let p: Promise = f
            .call1(&owner, &args)
            .and_then(|p| p.dyn_into())
            .map_err(|e| failure(&e))?;
        let out = JsFuture::from(p).await.map_err(|e| failure(&e))?;
        match get(&out, "error") {
            e if e.is_object() => Err(failure(&e)),
            _ => Ok(()),
        }
    }

    /// `clerk.signOut()`.
    pub(crate) async fn sign_out(&self) -> Result<(), ClerkError> {
        let p = self.call0("signOut");
        if let Ok(p) = p.dyn_into::<Promise>() {
            JsFuture::from(p).await.map_err(|e| failure(&e))?;
        }
        Ok(())
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
                let pair: js_sys::Array = entry.unchecked_into();
                if let Some(name) = pair.get(0).as_string() {
                    out.push((name, message(&pair.get(1))));
                }
            }
        }
        for item in js_sys::Array::from(&get(&errors, "global")).iter() {
            out.push((String::new(), message(&item)));
        }
        out
    }

    /// `unverifiedFields` of the sign-up (snake_case names).
    pub(crate) fn unverified_fields(&self) -> Vec<String> {
        js_sys::Array::from(&at(&self.0, "signUp.unverifiedFields"))
            .iter()
            .filter_map(|v| v.as_string())
            .collect()
    }
}

/// A JS error (or `{ error }`) as the typed error the forms branch on:
/// cancelled, an expired email link, or an API error with its `Retry-After`.
fn failure(e: &JsValue) -> ClerkError {
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

/// A `Clerk` listener; dropping it unsubscribes.
pub(crate) struct Listener {
    _closure: Closure<dyn Fn(JsValue)>,
    unsubscribe: Option<Function>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Some(u) = &self.unsubscribe {
            let _ = u.call0(&JsValue::NULL);
        }
    }
}
