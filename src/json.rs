//! Parsed JSON from `Response.json()` as a [`Source`] for the core's model
//! decoder: the browser parses, Rust reads the few fields it needs.

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::errors::ClerkError;
use crate::core::model::decode::{Decode, Source};

impl Source for JsValue {
    fn field(&self, key: &str) -> Option<Self> {
        if !self.is_object() {
            return None;
        }
        Reflect::get(self, &JsValue::from_str(key))
            .ok()
            .filter(|v| !v.is_null() && !v.is_undefined())
    }

    fn string(&self) -> Option<String> {
        self.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn items(&self) -> Vec<Self> {
        if Array::is_array(self) {
            self.unchecked_ref::<Array>().iter().collect()
        } else {
            Vec::new()
        }
    }
}

/// Decodes a resource object; `decode_error` when the value is not an object.
pub fn decode<T: Decode>(value: &JsValue) -> Result<T, ClerkError> {
    if value.is_object() {
        Ok(T::decode(value))
    } else {
        Err(ClerkError::decode_failed())
    }
}
