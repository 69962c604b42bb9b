//! The mountable forms on the JS `Clerk` class (cargo feature `ui`):
//! `mountSignIn`, `mountSignUp`, `openSignIn`, `mountUserButton`, … with
//! ClerkJS's names. The forms themselves live in [`crate::ui`].

use std::rc::Rc;

use js_sys::Function;
use wasm_bindgen::prelude::*;
use web_sys::Element;

use crate::js::clerk::JsClerk;
use crate::js::convert::{get, get_str};
use crate::ui::{self, Kind, Props};

fn element(el: JsValue) -> Result<Element, JsValue> {
    el.dyn_into::<Element>()
        .map_err(|_| js_sys::TypeError::new("clerk-wasm: expected a DOM element").into())
}

/// Reads `{ redirectUrl, afterSignInUrl | afterSignUpUrl, signUpUrl | signInUrl, onSuccess }`.
fn props(p: &JsValue, after: &str, other: &str) -> Props {
    let on_success = get(p, "onSuccess").dyn_into::<Function>().ok().map(|f| {
        Rc::new(move || {
            let _ = f.call0(&JsValue::NULL);
        }) as Rc<dyn Fn()>
    });
    Props {
        redirect_url: get_str(p, "redirectUrl").or_else(|| get_str(p, after)),
        other_url: get_str(p, other),
        on_success,
    }
}

fn form_props(p: &JsValue, kind: Kind) -> Props {
    match kind {
        Kind::SignIn => props(p, "afterSignInUrl", "signUpUrl"),
        Kind::SignUp => props(p, "afterSignUpUrl", "signInUrl"),
    }
}

#[wasm_bindgen(js_class = Clerk)]
impl JsClerk {
    /// `mountSignIn(el, { redirectUrl?, afterSignInUrl?, signUpUrl?, onSuccess? })`:
    /// renders the sign-in form inside `el`.
    #[wasm_bindgen(js_name = mountSignIn)]
    pub fn mount_sign_in(&self, el: JsValue, props: JsValue) -> Result<(), JsValue> {
        ui::mount(
            &self.clerk,
            &element(el)?,
            Kind::SignIn,
            form_props(&props, Kind::SignIn),
        );
        Ok(())
    }

    /// `mountSignUp(el, { redirectUrl?, afterSignUpUrl?, signInUrl?, onSuccess? })`:
    /// renders the sign-up form (exactly the fields the instance requires).
    #[wasm_bindgen(js_name = mountSignUp)]
    pub fn mount_sign_up(&self, el: JsValue, props: JsValue) -> Result<(), JsValue> {
        ui::mount(
            &self.clerk,
            &element(el)?,
            Kind::SignUp,
            form_props(&props, Kind::SignUp),
        );
        Ok(())
    }

    /// Removes the sign-in form from `el` with all its listeners and timers.
    #[wasm_bindgen(js_name = unmountSignIn)]
    pub fn unmount_sign_in(&self, el: JsValue) -> Result<(), JsValue> {
        ui::unmount(&element(el)?, Kind::SignIn);
        Ok(())
    }

    /// Removes the sign-up form from `el` with all its listeners and timers.
    #[wasm_bindgen(js_name = unmountSignUp)]
    pub fn unmount_sign_up(&self, el: JsValue) -> Result<(), JsValue> {
        ui::unmount(&element(el)?, Kind::SignUp);
        Ok(())
    }

    /// Opens the sign-in form in a modal `<dialog>` (same props as `mountSignIn`).
    #[wasm_bindgen(js_name = openSignIn)]
    pub fn open_sign_in(&self, props: JsValue) {
        ui::open(&self.clerk, Kind::SignIn, form_props(&props, Kind::SignIn));
    }

    /// Opens the sign-up form in a modal `<dialog>` (same props as `mountSignUp`).
    #[wasm_bindgen(js_name = openSignUp)]
    pub fn open_sign_up(&self, props: JsValue) {
        ui::open(&self.clerk, Kind::SignUp, form_props(&props, Kind::SignUp));
    }

    /// Closes the sign-in modal.
    #[wasm_bindgen(js_name = closeSignIn)]
    pub fn close_sign_in(&self) {
        ui::close(Kind::SignIn);
    }

    /// Closes the sign-up modal.
    #[wasm_bindgen(js_name = closeSignUp)]
    pub fn close_sign_up(&self) {
        ui::close(Kind::SignUp);
    }

    /// `mountUserButton(el, { afterSignOutUrl? })`: the signed-in user with a
    /// sign-out menu; empty while signed out.
    #[wasm_bindgen(js_name = mountUserButton)]
    pub fn mount_user_button(&self, el: JsValue, props: JsValue) -> Result<(), JsValue> {
        let p = Props {
            redirect_url: get_str(&props, "afterSignOutUrl"),
            ..Props::default()
        };
        ui::mount_user_button(&self.clerk, &element(el)?, p);
        Ok(())
    }

    /// Removes the user button from `el`.
    #[wasm_bindgen(js_name = unmountUserButton)]
    pub fn unmount_user_button(&self, el: JsValue) -> Result<(), JsValue> {
        ui::unmount_user_button(&element(el)?);
        Ok(())
    }
}
