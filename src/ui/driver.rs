//! The forms' DOM events in `driver.js`: it listens on the widgets' own
//! elements and asks WebOTP for codes; every event comes back through the
//! `uiEvent` export as `(id, kind, value)`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/ui/driver.js")]
extern "C" {
    /// Starts widget `id`: `submit` / `click` / `close` on `el`, delivered to
    /// `deliver` (the `uiEvent` export).
    #[wasm_bindgen(js_name = uiListen)]
    pub(crate) fn listen(id: u32, el: &JsValue, deliver: &JsValue);
    /// A new step: ends the last step's WebOTP request; `mode` [`STEP`],
    /// [`STEP_OTP`] (and WebOTP: [`OTP`] with the code) or [`END`].
    #[wasm_bindgen(js_name = uiStep)]
    pub(crate) fn step(id: u32, mode: u32);
}

/// [`step`]: a new step.
pub(crate) const STEP: u32 = 0;
/// [`step`]: a new step that waits for an SMS code (WebOTP, where the browser has it).
pub(crate) const STEP_OTP: u32 = 1;
/// [`step`]: the widget is gone; nothing more is delivered for it.
pub(crate) const END: u32 = 2;

/// The form was submitted.
pub(crate) const SUBMIT: u32 = 0;
/// A `data-cw` button was clicked, or the dialog closed.
pub(crate) const ACTION: u32 = 1;
/// WebOTP read a code.
pub(crate) const OTP: u32 = 5;
