//! Parsed JSON from `Response.json()` as a [`Source`] for the core's model
//! decoder: the browser parses, Rust reads the few fields it needs.

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::errors::ClerkError;
use crate::core::model::decode::{Decode, Source};
use crate::core::request::{snake_case, Form, FormValue};

/// A parsed JSON value from the browser, readable by the core's decoder.
#[derive(Debug, Clone)]
pub struct Js(pub JsValue);

impl Source for Js {
    fn field(&self, key: &str) -> Option<Self> {
        if !self.0.is_object() {
            return None;
        }
        Reflect::get(&self.0, &JsValue::from_str(key))
            .ok()
            .filter(|v| !v.is_null() && !v.is_undefined())
            .map(Js)
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
        if Array::is_array(&self.0) {
            self.0.unchecked_ref::<Array>().iter().map(Js).collect()
        } else {
            Vec::new()
        }
    }
}

/// Decodes a resource object; `decode_error` when the value is not an object.
pub fn decode<T: Decode>(value: &JsValue) -> Result<T, ClerkError> {
    if value.is_object() {
        Ok(T::decode(&Js(value.clone())))
    } else {
        Err(ClerkError::decode_failed())
    }
}

/// A JS parameter object → form fields by ClerkJS's rules: camelCase keys →
/// snake_case; `undefined` dropped; `null` → empty; booleans `true`/`false`;
/// arrays repeated; nested objects as JSON.
pub fn to_form(params: &JsValue) -> Form {
    let mut form = Form::new();
    if !params.is_object() {
        return form;
    }
    for entry in Object::entries(params.unchecked_ref()).iter() {
        let pair: Array = entry.unchecked_into();
        let Some(key) = pair.get(0).as_string() else {
            continue;
        };
        if let Some(v) = to_form_value(&pair.get(1)) {
            form.push(&snake_case(&key), v);
        }
    }
    form
}

fn to_form_value(v: &JsValue) -> Option<FormValue> {
    if v.is_undefined() || v.is_function() {
        return None;
    }
    if v.is_null() {
        return Some(FormValue::Null);
    }
    if let Some(b) = v.as_bool() {
        return Some(FormValue::Bool(b));
    }
    if let Some(s) = v.as_string() {
        return Some(FormValue::Str(s));
    }
    if Array::is_array(v) {
        let arr: &Array = v.unchecked_ref();
        let items = arr.iter().filter_map(|x| scalar_string(&x)).collect();
        return Some(FormValue::List(items));
    }
    if v.is_object() {
        return JSON::stringify(v)
            .ok()
            .and_then(|s| s.as_string())
            .map(FormValue::Json);
    }
    scalar_string(v).map(FormValue::Str)
}

/// Strings, and numbers through JS's own `Number#toString` (no float
/// formatting code in the wasm).
fn scalar_string(v: &JsValue) -> Option<String> {
    if let Some(s) = v.as_string() {
        return Some(s);
    }
    v.as_f64()?;
    let n: &js_sys::Number = v.unchecked_ref();
    n.to_string_with_radix(10).ok().map(String::from)
}
