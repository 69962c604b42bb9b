//! The `#[wasm_bindgen]` facade: what JavaScript sees.
use wasm_bindgen::prelude::*;

/// The SDK's version (the crate version), e.g. `"0.1.0"`.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").into()
}
