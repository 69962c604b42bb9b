//! The forms' event loop in `driver.js`: it listens, waits and calls; every
//! outcome comes back through [`super::dispatch`] as `(id, event, seq, value)`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/ui/driver.js")]
extern "C" {
    /// Starts widget `id`: `submit` / `click` / `close` on `el`, and `clerk`'s
    /// listener; events go to `deliver` (the `uiEvent` export).
    #[wasm_bindgen(js_name = uiListen)]
    pub(crate) fn listen(id: u32, el: &JsValue, clerk: &JsValue, deliver: &JsValue);
    /// A new step: aborts the last step's signal and timer; `mode` [`STEP`],
    /// [`STEP_OTP`] (and WebOTP: [`OTP`] with the code) or [`END`].
    #[wasm_bindgen(js_name = uiStep)]
    pub(crate) fn step(id: u32, mode: u32);
    /// [`TIMER`] after `ms`.
    #[wasm_bindgen(js_name = uiTimer)]
    pub(crate) fn timer(id: u32, ms: u32);
    /// `clerk.<path>(args)` (`args` null: `{ signal }`, the step's
    /// `AbortSignal`); then [`SETTLED`] with `seq` and the error or null.
    #[wasm_bindgen(js_name = uiCall)]
    pub(crate) fn call(id: u32, seq: u32, clerk: &JsValue, path: &str, args: &JsValue);
    /// `location.assign(url)`.
    #[wasm_bindgen(js_name = uiGo)]
    pub(crate) fn go(url: &str);
    /// `location.href`.
    #[wasm_bindgen(js_name = uiHere)]
    pub(crate) fn here() -> String;
    /// `document.body`.
    #[wasm_bindgen(js_name = uiBody)]
    pub(crate) fn body() -> Option<web_sys::Element>;
}

/// [`step`]: a new step.
pub(crate) const STEP: u32 = 0;
/// [`step`]: a new step that waits for an SMS code (WebOTP, where the browser has it).
pub(crate) const STEP_OTP: u32 = 1;
/// [`step`]: the widget is gone; nothing more is delivered for it.
pub(crate) const END: u32 = 2;

/// The form was submitted (its default already prevented).
pub(crate) const SUBMIT: u32 = 0;
/// A `data-cw` button was clicked (value: the action), or the dialog closed (`close`).
pub(crate) const ACTION: u32 = 1;
/// The page's `Clerk` emitted (sign-in, sign-out, load).
pub(crate) const CHANGED: u32 = 2;
/// The timer fired.
pub(crate) const TIMER: u32 = 3;
/// A call settled (value: its error, or null).
pub(crate) const SETTLED: u32 = 4;
/// WebOTP read a code (value: the code).
pub(crate) const OTP: u32 = 5;
