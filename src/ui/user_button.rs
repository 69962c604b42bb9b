//! The user button: when signed in, a disclosure button with the user's name
//! that reveals "Signed in as …" and a sign-out button. Empty when signed out.

use std::rc::Rc;

use web_sys::Element;

use super::dom::{build, find, flag, set, text};
use super::{later, After, Event, Props};
use crate::core::engine::{Call, Op};
use crate::core::errors::ClerkError;
use crate::core::model::decode::Source;
use crate::core::request::Form;
use crate::driver::Driver;
use crate::interop::Js;

/// A mounted user button.
pub(crate) struct UserButton {
    id: u32,
    ids: String,
    clerk: Rc<Driver>,
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
        clerk: &Rc<Driver>,
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

    /// One event: sign-in / sign-out, the menu, sign-out's end.
    pub(crate) fn event(&mut self, event: Event) -> After {
        match event {
            Event::Changed => self.render(),
            Event::Action(a) if a == "menu" => {
                if let (Some(btn), Some(menu)) =
                    (find(&self.root, "button"), find(&self.root, ".cw-menu"))
                {
                    let open = menu.get_attribute("hidden").is_some();
                    flag(&menu, "hidden", !open);
                    set(&btn, "aria-expanded", if open { "true" } else { "false" });
                }
            }
            Event::Action(a) if a == "signout" => {
                self.seq += 1;
                let (id, seq) = (self.id, self.seq);
                let reply = Box::new(move |r: Result<_, ClerkError>| {
                    later(id, Event::Settled(seq, r.err()));
                });
                self.clerk
                    .call(Call::new(Op::SignOut, Form::new()), None, reply);
            }
            Event::Settled(seq, None) if seq == self.seq => return After::Success,
            _ => {}
        }
        After::Stay
    }

    fn render(&mut self) {
        let user = self
            .clerk
            .engine()
            .state()
            .session_json()
            .and_then(|s| s.field("user"));
        let s = |v: &Js, k: &str| v.field(k).and_then(|x| x.string()).unwrap_or_default();
        let Some(user) = user else {
            if self.shown_for.take().is_some() {
                text(&self.root, "");
            }
            return;
        };
        let id = s(&user, "id");
        if self.shown_for.as_deref() == Some(id.as_str()) {
            return;
        }
        text(&self.root, "");
        let mut name = s(&user, "first_name");
        let last = s(&user, "last_name");
        if !name.is_empty() && !last.is_empty() {
            name.push(' ');
        }
        name.push_str(&last);
        // The primary email address, else the primary phone number. Read
        // in place: `User::decode` + `User::primary_*` would link the whole
        // user decoder, which the headless build never needs (measured:
        // +0.8 KB gzip on the ui build).
        let primary = |list: &str, id_key: &str, value: &str| {
            let want = s(&user, id_key);
            user.field(list)
                .map(|l| l.items())
                .unwrap_or_default()
                .iter()
                .find(|e| s(e, "id") == want)
                .map(|e| s(e, value))
                .filter(|v| !v.is_empty())
        };
        let ident = primary(
            "email_addresses",
            "primary_email_address_id",
            "email_address",
        )
        .or_else(|| primary("phone_numbers", "primary_phone_number_id", "phone_number"))
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
        self.shown_for = Some(id);
    }
}
