//! The `#[wasm_bindgen]` facade: what JavaScript sees. ClerkJS's names and
//! shapes over the Rust API in [`crate::clerk`]; no flow logic lives here.

use wasm_bindgen::prelude::*;

pub mod clerk;
mod convert;
pub mod email_link;
pub mod errors;
pub mod resources;
pub mod sign_in;
pub mod sign_up;
#[cfg(feature = "ui")]
mod ui;

/// The SDK's version (the crate version), e.g. `"0.1.0"`.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").into()
}
