//! `ClerkError` → a real JS `Error` subclass (see `errors.js`) with a stable
//! `code`, and for API errors `status`, `errors[]` (camelCase: `longMessage`,
//! `meta.paramName`), `retryAfter` (seconds) and `clerkTraceId`.

use wasm_bindgen::prelude::*;

use crate::core::errors::ClerkError;

use crate::error_classes::{
    __apiError, __cancelledError, __emailLinkError, __networkError, __runtimeError,
};

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
            api.code(),
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
