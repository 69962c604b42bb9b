//! The one place that reads and builds `JsValue`s: the browser's parsed JSON
//! as the core's [`Source`], parameter objects as forms, and (for the npm
//! package and the forms) the engine's results and errors as JS values.

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::model::decode::Source;

/// A parsed JSON value from the browser (`Response.json()`, a parameter
/// object), read by the core in place: no serde, no copy.
#[derive(Debug, Clone, PartialEq)]
pub struct Js(pub JsValue);

impl Source for Js {
    fn field(&self, key: &str) -> Option<Self> {
        let v = get(&self.0, key);
        (!v.is_null() && !v.is_undefined()).then_some(Js(v))
    }

    fn string(&self) -> Option<String> {
        self.0.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.0.as_bool()
    }

    fn items(&self) -> Vec<Self> {
        let mut items = Vec::new();
        if let Some(a) = self.0.dyn_ref::<Array>() {
            // A loop, not `collect`: see `core::list`.
            for item in a.iter() {
                items.push(Js(item));
            }
        }
        items
    }

    fn entries(&self) -> Vec<(String, Self)> {
        if !self.0.is_object() {
            return Vec::new();
        }
        let mut entries = Vec::new();
        for e in Object::entries(self.0.unchecked_ref()).iter() {
            let pair: Array = e.unchecked_into();
            let v = pair.get(1);
            if let Some(key) = pair.get(0).as_string() {
                if !v.is_undefined() && !v.is_function() {
                    entries.push((key, Js(v)));
                }
            }
        }
        entries
    }

    fn text(&self) -> Option<String> {
        if let Some(s) = self.0.as_string() {
            return Some(s);
        }
        self.0.as_f64()?;
        // JS's own Number#toString: no float formatting code in the wasm.
        let n: &js_sys::Number = self.0.unchecked_ref();
        n.to_string_with_radix(10).ok().map(String::from)
    }

    fn json_text(&self) -> Option<String> {
        if !self.0.is_object() {
            return None;
        }
        JSON::stringify(&self.0).ok()?.as_string()
    }

    fn is_null(&self) -> bool {
        self.0.is_null()
    }

    fn is_list(&self) -> bool {
        Array::is_array(&self.0)
    }

    fn is_object(&self) -> bool {
        self.0.is_object() && !Array::is_array(&self.0)
    }

    fn parse(text: &str) -> Option<Self> {
        JSON::parse(text).ok().map(Js)
    }
}

/// `obj[key]` (`undefined` when absent or when `obj` is not an object).
pub fn get(obj: &JsValue, key: &str) -> JsValue {
    if !obj.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Follows `path` (`"user.first_name"`) from `obj`; a string there, if any.
pub fn string_at(obj: &JsValue, path: &str) -> Option<String> {
    crate::core::ascii::split(path, b".")
        .fold(obj.clone(), |o, k| get(&o, k))
        .as_string()
}

/// `obj[key] = value`.
pub fn set(obj: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// A new plain object with these members.
pub fn object(members: &[(&str, JsValue)]) -> JsValue {
    let o: JsValue = Object::new().into();
    for (k, v) in members {
        set(&o, k, v);
    }
    o
}

#[cfg(feature = "npm")]
pub use self::js_results::*;

/// The engine's results and errors as JS values (the npm package's and the
/// forms' view).
#[cfg(feature = "npm")]
mod js_results {
    use js_sys::Array;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsValue;

    use super::{object, Js};
    use crate::core::engine::Output;
    use crate::core::errors::{ClerkError, FieldErrors};
    use crate::core::response::ApiErrorItem;

    #[wasm_bindgen(module = "/src/js/errors.js")]
    extern "C" {
        fn __apiError(
            message: &str,
            status: u16,
            errors: JsValue,
            retry_after: Option<u32>,
            trace_id: Option<String>,
        ) -> JsValue;
        fn __error(kind: u8, message: &str, code: &str) -> JsValue;
    }

    /// One API error entry in ClerkJS's shape (`code`, `message`,
    /// `longMessage`, `meta.paramName`, …).
    pub fn error_item(e: &ApiErrorItem) -> JsValue {
        let strings = |v: &[String]| -> JsValue {
            v.iter()
                .map(|s| JsValue::from_str(s))
                .collect::<Array>()
                .into()
        };
        let meta = object(&[
            ("paramName", e.meta.param_name.as_deref().into()),
            ("sessionId", e.meta.session_id.as_deref().into()),
            ("emailAddresses", strings(&e.meta.email_addresses)),
            ("identifiers", strings(&e.meta.identifiers)),
        ]);
        object(&[
            ("code", e.code.as_str().into()),
            ("message", e.message.as_str().into()),
            ("longMessage", e.display_message().into()),
            ("meta", meta),
        ])
    }

    fn items(list: &[ApiErrorItem]) -> JsValue {
        list.iter().map(error_item).collect::<Array>().into()
    }

    /// The error as one of the package's `Error` subclasses, with its `code`
    /// (and `status`, `errors`, `retryAfter`, `clerkTraceId` for API errors).
    pub fn error(e: &ClerkError) -> JsValue {
        let kind = match e {
            ClerkError::Api(api) => {
                return __apiError(
                    e.message(),
                    api.status,
                    items(&api.errors),
                    api.retry_after_secs,
                    api.trace_id.clone(),
                )
            }
            ClerkError::Network { .. } => 0,
            ClerkError::Cancelled => 1,
            ClerkError::EmailLink(_) => 2,
            _ => 3,
        };
        __error(kind, e.message(), e.code())
    }

    /// The newer API's `errors`: `{ fields, raw, global }`.
    pub fn field_errors(f: &FieldErrors) -> JsValue {
        let fields = object(&[]);
        for (name, item) in &f.fields {
            super::set(&fields, name, &error_item(item));
        }
        object(&[
            ("fields", fields),
            ("raw", items(&f.raw)),
            ("global", items(&f.global)),
        ])
    }

    /// What a call resolves with.
    pub fn output(o: Output<Js>) -> JsValue {
        match o {
            Output::None => JsValue::UNDEFINED,
            Output::Text(s) => s.into(),
            Output::Json(v) => v.0,
            Output::Flag(b) => b.into(),
        }
    }
}
