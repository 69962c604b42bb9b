//! The JS error classes of `src/js/errors.js` that the core's exports construct.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/errors.js")]
extern "C" {
    /// `ClerkAPIResponseError`: `errors` are the envelope's entries (snake_case
    /// or camelCase); with none, one entry is made from `code`.
    pub(crate) fn __apiError(
        message: &str,
        status: u16,
        errors: JsValue,
        retry_after: Option<u32>,
        trace_id: Option<String>,
        code: &str,
    ) -> JsValue;
    /// `ClerkRuntimeError` with `code`.
    pub(crate) fn __runtimeError(message: &str, code: &str) -> JsValue;
}
