//! The forms' two entry points for the JS skin of the `clerk-wasm/ui` entry,
//! which installs ClerkJS's component methods on its `Clerk` as calls of
//! [`ui`]: `mountSignIn(el, props)`, `mountSignUp`, `unmountSignIn(el)`,
//! `unmountSignUp`, `openSignIn(props)`, `openSignUp`, `closeSignIn()`,
//! `closeSignUp`, `mountUserButton(el, props)`, `unmountUserButton(el)` — in
//! that order, `op` 0 to 9. The DOM events come back through [`ui_event`].

use wasm_bindgen::prelude::*;
use web_sys::Element;

use super::{driver, Event, Kind, Props};
use crate::core::engine::Options;
use crate::core::request::Form;
use crate::interop::{get, string_at, Js};

fn element(el: JsValue) -> Result<Element, JsValue> {
    el.dyn_into::<Element>()
        .map_err(|_| js_sys::TypeError::new("clerk-wasm: expected a DOM element").into())
}

/// ClerkJS's props: `redirectUrl`, `forceRedirectUrl`, `fallbackRedirectUrl`
/// (for this form's kind), `signInForceRedirectUrl` & co., the deprecated
/// `afterSignInUrl` / `afterSignUpUrl`; `signUpUrl` | `signInUrl`; `onSuccess`.
fn props(p: &JsValue, kind: Kind) -> Props {
    let other = match kind {
        Kind::SignIn => "signUpUrl",
        Kind::SignUp => "signInUrl",
    };
    let mut r = Options::from_form(&Form::from_source(&Js(p.clone()))).redirects;
    let (force, fallback) = match kind {
        Kind::SignIn => (&mut r.sign_in_force, &mut r.sign_in_fallback),
        Kind::SignUp => (&mut r.sign_up_force, &mut r.sign_up_fallback),
    };
    if force.is_none() {
        *force = string_at(p, "forceRedirectUrl");
    }
    if fallback.is_none() {
        *fallback = string_at(p, "fallbackRedirectUrl");
    }
    Props {
        redirects: r,
        // The form's link to the other form: never a `javascript:`-like href.
        other_url: string_at(p, other).filter(|u| crate::core::redirect::navigable(u)),
        on_success: get(p, "onSuccess").dyn_into().ok(),
        ..Props::default()
    }
}

thread_local! {
    static DELIVER: JsValue = Closure::<dyn Fn(u32, u32, JsValue)>::new(ui_event).into_js_value();
}

/// Where `driver.js` delivers the DOM events (one function for every widget).
pub(super) fn deliver() -> JsValue {
    DELIVER.with(JsValue::clone)
}

/// ClerkJS's component method number `op` (see the module) on the `Clerk`
/// instance `inst`, with its arguments `a` and `b`.
#[wasm_bindgen]
pub fn ui(op: u8, inst: u32, a: JsValue, b: JsValue) -> Result<(), JsValue> {
    let Some(clerk) = crate::npm::driver(inst) else {
        return Ok(());
    };
    let kind = if op & 1 == 1 {
        Kind::SignUp
    } else {
        Kind::SignIn
    };
    match op {
        0 | 1 => super::mount(&clerk, &element(a)?, kind, props(&b, kind)),
        2 | 3 => super::unmount(&element(a)?, kind),
        4 | 5 => super::open(&clerk, kind, props(&a, kind)),
        6 | 7 => super::close(kind),
        8 => {
            let props = Props {
                after_sign_out: string_at(&b, "afterSignOutUrl"),
                ..Props::default()
            };
            super::mount_user_button(&clerk, &element(a)?, props);
        }
        _ => super::unmount_user_button(&element(a)?),
    }
    Ok(())
}

/// One DOM event of `driver.js` for widget `id` (already in a later microtask).
fn ui_event(id: u32, kind: u32, value: JsValue) {
    let event = match (kind, value.as_string()) {
        (driver::SUBMIT, _) => Event::Submit,
        (driver::ACTION, Some(a)) => Event::Action(a),
        (driver::OTP, Some(code)) => Event::Otp(code),
        _ => return,
    };
    super::dispatch(id, event);
}
