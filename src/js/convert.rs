//! Conversions at the JS boundary: FAPI JSON (snake_case) → ClerkJS-shaped
//! objects (camelCase), JS parameter objects → form fields, option readers.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Reads `obj[key]` (undefined when `obj` is not an object).
pub(crate) fn get(obj: &JsValue, key: &str) -> JsValue {
    if !obj.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Reads a string option.
pub(crate) fn get_str(obj: &JsValue, key: &str) -> Option<String> {
    get(obj, key).as_string()
}

/// Sets `obj[key] = value`.
pub(crate) fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// `snake_case` → `camelCase`.
fn camel(key: &str) -> String {
    crate::core::request::camel_case(key)
}

/// A deep copy of FAPI JSON with camelCase keys (ClerkJS's resource shape).
/// `null`/`undefined` become `null`.
pub(crate) fn camelize(value: &JsValue) -> JsValue {
    if value.is_undefined() || value.is_null() {
        return JsValue::NULL;
    }
    if Array::is_array(value) {
        let arr: &Array = value.unchecked_ref();
        return arr.iter().map(|v| camelize(&v)).collect::<Array>().into();
    }
    if !value.is_object() {
        return value.clone();
    }
    let out = Object::new();
    for entry in Object::entries(value.unchecked_ref()).iter() {
        let pair: Array = entry.unchecked_into();
        if let Some(k) = pair.get(0).as_string() {
            set(&out, &camel(&k), &camelize(&pair.get(1)));
        }
    }
    out.into()
}

/// The camelized field `key` (snake_case) of `raw`, `null` when absent.
pub(crate) fn field(raw: &Option<JsValue>, key: &str) -> JsValue {
    match raw {
        Some(r) => camelize(&get(r, key)),
        None => JsValue::NULL,
    }
}

/// Like [`field`] for list fields: `[]` instead of `null` when absent.
pub(crate) fn list_field(raw: &Option<JsValue>, key: &str) -> JsValue {
    let v = field(raw, key);
    if v.is_null() {
        Array::new().into()
    } else {
        v
    }
}

/// `{ error }`: the newer API's result object.
pub(crate) fn error_result(error: JsValue) -> JsValue {
    let out = Object::new();
    set(&out, "error", &error);
    out.into()
}
