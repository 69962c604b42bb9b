//! The forms' entry points for the JS shell of the `clerk-wasm/ui` entry, which
//! installs them as ClerkJS's `clerk.mountSignIn(el, props)`, `mountSignUp`,
//! `unmount*`, `openSignIn` / `openSignUp`, `close*`, `mountUserButton` and
//! `unmountUserButton`. `clerk` is that JS `Clerk` object; `kind` is 0 for
//! sign-in, 1 for sign-up.

use std::rc::Rc;

use js_sys::Function;
use wasm_bindgen::prelude::*;
use web_sys::Element;

use super::host::{get, Host};
use super::{Kind, Props};

fn element(el: JsValue) -> Result<Element, JsValue> {
    el.dyn_into::<Element>()
        .map_err(|_| js_sys::TypeError::new("clerk-wasm: expected a DOM element").into())
}

fn kind(k: u8) -> Kind {
    if k == 1 {
        Kind::SignUp
    } else {
        Kind::SignIn
    }
}

fn string(p: &JsValue, key: &str) -> Option<String> {
    get(p, key).as_string()
}

/// `{ redirectUrl, afterSignInUrl | afterSignUpUrl, signUpUrl | signInUrl, onSuccess }`.
fn props(p: &JsValue, kind: Kind) -> Props {
    let (after, other) = match kind {
        Kind::SignIn => ("afterSignInUrl", "signUpUrl"),
        Kind::SignUp => ("afterSignUpUrl", "signInUrl"),
    };
    let on_success = get(p, "onSuccess").dyn_into::<Function>().ok().map(|f| {
        Rc::new(move || {
            let _ = f.call0(&JsValue::NULL);
        }) as Rc<dyn Fn()>
    });
    Props {
        redirect_url: string(p, "redirectUrl").or_else(|| string(p, after)),
        other_url: string(p, other),
        on_success,
    }
}

/// `mountSignIn` / `mountSignUp`: renders the form inside `el`.
#[wasm_bindgen(js_name = uiMount)]
pub fn ui_mount(clerk: JsValue, el: JsValue, k: u8, p: JsValue) -> Result<(), JsValue> {
    super::mount(&Host(clerk), &element(el)?, kind(k), props(&p, kind(k)));
    Ok(())
}

/// `unmountSignIn` / `unmountSignUp`: removes the form with its listeners and timers.
#[wasm_bindgen(js_name = uiUnmount)]
pub fn ui_unmount(el: JsValue, k: u8) -> Result<(), JsValue> {
    super::unmount(&element(el)?, kind(k));
    Ok(())
}

/// `openSignIn` / `openSignUp`: the form in a modal `<dialog>`.
#[wasm_bindgen(js_name = uiOpen)]
pub fn ui_open(clerk: JsValue, k: u8, p: JsValue) {
    super::open(&Host(clerk), kind(k), props(&p, kind(k)));
}

/// `closeSignIn` / `closeSignUp`.
#[wasm_bindgen(js_name = uiClose)]
pub fn ui_close(k: u8) {
    super::close(kind(k));
}

/// `mountUserButton(el, { afterSignOutUrl })`.
#[wasm_bindgen(js_name = uiMountUserButton)]
pub fn ui_mount_user_button(clerk: JsValue, el: JsValue, p: JsValue) -> Result<(), JsValue> {
    let props = Props {
        redirect_url: string(&p, "afterSignOutUrl"),
        ..Props::default()
    };
    super::mount_user_button(&Host(clerk), &element(el)?, props);
    Ok(())
}

/// `unmountUserButton(el)`.
#[wasm_bindgen(js_name = uiUnmountUserButton)]
pub fn ui_unmount_user_button(el: JsValue) -> Result<(), JsValue> {
    super::unmount_user_button(&element(el)?);
    Ok(())
}
