//! The user button: when signed in, a disclosure button with the user's name
//! that reveals "Signed in as …" and a sign-out button. Empty when signed out.

use wasm_bindgen::JsValue;
use web_sys::Element;

use super::dom::{build, find, flag, set, text};
use super::driver;
use super::host::{get, Host};
use super::{After, Props};

/// A mounted user button.
pub(crate) struct UserButton {
    id: u32,
    ids: String,
    clerk: Host,
    pub(crate) props: Props,
    pub(crate) root: Element,
    shown_for: Option<String>,
    seq: u32,
}

impl UserButton {
    /// Draws into a new root under `host`.
    pub(crate) fn mount(
        id: u32,
        ids: String,
        clerk: &Host,
        host: &Element,
        props: Props,
    ) -> Option<UserButton> {
        let root = build(host, "<div class=cw-user></div>", "", &[])?;
        let mut u = UserButton {
            id,
            ids,
            clerk: clerk.clone(),
            props,
            root,
            shown_for: None,
            seq: 0,
        };
        u.render();
        Some(u)
    }

    /// One event from the driver: sign-in / sign-out, the menu, sign-out's end.
    pub(crate) fn event(&mut self, event: u32, seq: u32, value: &JsValue) -> After {
        match event {
            driver::CHANGED => self.render(),
            driver::ACTION => match value.as_string().as_deref() {
                Some("menu") => {
                    if let (Some(btn), Some(menu)) =
                        (find(&self.root, "button"), find(&self.root, ".cw-menu"))
                    {
                        let open = menu.get_attribute("hidden").is_some();
                        flag(&menu, "hidden", !open);
                        set(&btn, "aria-expanded", if open { "true" } else { "false" });
                    }
                }
                Some("signout") => {
                    self.seq += 1;
                    driver::call(
                        self.id,
                        self.seq,
                        &self.clerk.0,
                        "signOut",
                        &JsValue::UNDEFINED,
                    );
                }
                _ => {}
            },
            driver::SETTLED if seq == self.seq && !value.is_object() => return After::Success,
            _ => {}
        }
        After::Stay
    }

    fn render(&mut self) {
        let user = self.clerk.user();
        let key = user.as_ref().and_then(|u| get(u, "id").as_string());
        if self.shown_for == key {
            return;
        }
        text(&self.root, "");
        self.shown_for = None;
        let Some(u) = user else {
            return;
        };
        let name = get(&u, "fullName").as_string().unwrap_or_default();
        let ident = get(&get(&u, "primaryEmailAddress"), "emailAddress")
            .as_string()
            .or_else(|| get(&get(&u, "primaryPhoneNumber"), "phoneNumber").as_string())
            .unwrap_or_default();
        let label = if name.is_empty() { &ident } else { &name };
        let initial: String = label
            .chars()
            .find(|c| !c.is_ascii_punctuation() && *c != ' ')
            .into_iter()
            .collect();
        build(
            &self.root,
            "<button class=cw-user-btn type=button data-cw=menu aria-expanded=false aria-controls=@menu>\
             <span class=cw-avatar aria-hidden=true>{0}</span><span class=cw-user-name>{1}</span></button>\
             <div class=cw-menu id=@menu hidden><p class=cw-sub>Signed in as {2}</p>\
             <button class=cw-link type=button data-cw=signout>Sign out</button></div>",
            &self.ids,
            &[&initial, label, &ident],
        );
        self.shown_for = key;
    }
}
