//! The JS error classes of `src/js/errors.js` as Rust imports: one declaration
//! for both builds (the `#[wasm_bindgen]` facade and the JS shell's exports),
//! each of which calls the subset it needs.
#![allow(dead_code)] // each build links only the factories it calls

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
    /// `ClerkNetworkError` (`network_error`).
    pub(crate) fn __networkError(message: &str) -> JsValue;
    /// `ClerkRuntimeError` with `code`.
    pub(crate) fn __runtimeError(message: &str, code: &str) -> JsValue;
    /// `EmailLinkError` with `code`.
    pub(crate) fn __emailLinkError(message: &str, code: &str) -> JsValue;
    /// `ClerkCancelledError` (`cancelled`).
    pub(crate) fn __cancelledError(message: &str) -> JsValue;
}
