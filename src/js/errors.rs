//! `ClerkError` → a real JS `Error` subclass (see `errors.js`) with a stable
//! `code`, and for API errors `status`, `errors[]` (camelCase: `longMessage`,
//! `meta.paramName`), `retryAfter` (seconds) and `clerkTraceId`.

use wasm_bindgen::prelude::*;

use crate::core::errors::ClerkError;

#[wasm_bindgen(module = "/src/js/errors.js")]
extern "C" {
    fn __apiError(
        message: &str,
        status: u16,
        errors: JsValue,
        retry_after: Option<u32>,
        trace_id: Option<String>,
    ) -> JsValue;
    fn __networkError(message: &str) -> JsValue;
    fn __runtimeError(message: &str, code: &str) -> JsValue;
    fn __emailLinkError(message: &str, code: &str) -> JsValue;
    fn __cancelledError(message: &str) -> JsValue;
}

/// Serializes with plain objects for maps and `null` for `None`.
pub(crate) fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// The JS error thrown (or returned as `{error}`) for `err`.
pub(crate) fn to_js_error(err: &ClerkError) -> JsValue {
    match err {
        ClerkError::Api(api) => __apiError(
            api.message(),
            api.status,
            to_js(&api.errors),
            api.retry_after_secs,
            api.trace_id.clone(),
        ),
        ClerkError::Network { message } => __networkError(message),
        ClerkError::Cancelled => __cancelledError(err.message()),
        ClerkError::EmailLink(_) => __emailLinkError(err.message(), err.code()),
        _ => __runtimeError(err.message(), err.code()),
    }
}

impl From<ClerkError> for JsValue {
    fn from(err: ClerkError) -> JsValue {
        to_js_error(&err)
    }
}
