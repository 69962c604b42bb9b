//! The forms' two entry points for the JS shell of the `clerk-wasm/ui` entry,
//! which installs ClerkJS's component methods on its `Clerk` as calls of
//! [`ui`]: `mountSignIn(el, props)`, `mountSignUp`, `unmountSignIn(el)`,
//! `unmountSignUp`, `openSignIn(props)`, `openSignUp`, `closeSignIn()`,
//! `closeSignUp`, `mountUserButton(el, props)`, `unmountUserButton(el)` — in
//! that order, `op` 0 to 9. The driver's events come back through [`ui_event`].

use wasm_bindgen::prelude::*;
use web_sys::Element;

use super::host::{get, string_at, Host};
use super::{Kind, Props};

fn element(el: JsValue) -> Result<Element, JsValue> {
    el.dyn_into::<Element>()
        .map_err(|_| js_sys::TypeError::new("clerk-wasm: expected a DOM element").into())
}

/// `{ redirectUrl, afterSignInUrl | afterSignUpUrl, signUpUrl | signInUrl, onSuccess }`.
fn props(p: &JsValue, kind: Kind) -> Props {
    let (after, other) = match kind {
        Kind::SignIn => ("afterSignInUrl", "signUpUrl"),
        Kind::SignUp => ("afterSignUpUrl", "signInUrl"),
    };
    Props {
        redirect_url: string_at(p, "redirectUrl").or_else(|| string_at(p, after)),
        other_url: string_at(p, other),
        on_success: get(p, "onSuccess").dyn_into().ok(),
    }
}

/// ClerkJS's component method number `op` (see the module) on the page's
/// `clerk`, with its arguments `a` and `b`. `deliver` is [`ui_event`], which
/// the driver calls with every event.
#[wasm_bindgen]
pub fn ui(op: u8, clerk: JsValue, a: JsValue, b: JsValue, deliver: JsValue) -> Result<(), JsValue> {
    let clerk = Host(clerk);
    let kind = if op & 1 == 1 {
        Kind::SignUp
    } else {
        Kind::SignIn
    };
    match op {
        0 | 1 => super::mount(&clerk, &deliver, &element(a)?, kind, props(&b, kind)),
        2 | 3 => super::unmount(&element(a)?, kind),
        4 | 5 => super::open(&clerk, &deliver, kind, props(&a, kind)),
        6 | 7 => super::close(kind),
        8 => {
            let props = Props {
                redirect_url: string_at(&b, "afterSignOutUrl"),
                ..Props::default()
            };
            super::mount_user_button(&clerk, &deliver, &element(a)?, props);
        }
        _ => super::unmount_user_button(&element(a)?),
    }
    Ok(())
}

/// One event of the driver for widget `id` (see `driver.js`).
#[wasm_bindgen(js_name = uiEvent)]
pub fn ui_event(id: u32, event: u32, seq: u32, value: JsValue) {
    super::dispatch(id, event, seq, value);
}
