//! The user button: when signed in, a disclosure button with the user's name
//! that reveals "Signed in as …" and a sign-out button. Empty when signed out.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::{Element, Event};

use super::dom::{self, cat, el, flag, listen, set, spawn, Job};
use super::host::{get, Host, Listener};
use super::Props;
use crate::timers::Cancel;

struct St {
    listener: Option<dom::Listener>,
    clerk_listener: Option<Listener>,
    menu: Option<(Element, Element)>,
    shown_for: Option<String>,
}

/// A mounted user button.
pub(crate) struct UserButton {
    clerk: Host,
    props: Props,
    root: Element,
    ids: String,
    cancel: Cancel,
    st: RefCell<St>,
}

impl UserButton {
    /// Renders into a new root under `host` and follows sign-in and sign-out.
    pub(crate) fn mount(clerk: &Host, host: &Element, props: Props) -> Option<Rc<UserButton>> {
        let root = el(host, "div", "cw-user", &[], "")?;
        let u = Rc::new(UserButton {
            clerk: clerk.clone(),
            props,
            root: root.clone(),
            ids: dom::id_prefix(),
            cancel: Cancel::new(),
            st: RefCell::new(St {
                listener: None,
                clerk_listener: None,
                menu: None,
                shown_for: None,
            }),
        });
        let weak = Rc::downgrade(&u);
        let l = listen(&root, "click", move |ev: Event| {
            if let (Some(u), Some(act)) = (weak.upgrade(), dom::action_of(&ev)) {
                u.action(&act);
            }
        });
        let weak = Rc::downgrade(&u);
        let listener = clerk.add_listener(move || {
            if let Some(u) = weak.upgrade() {
                u.render();
            }
        });
        {
            let mut st = u.st.borrow_mut();
            st.listener = Some(l);
            st.clerk_listener = Some(listener);
        }
        u.render();
        Some(u)
    }

    /// Removes the listeners and the root.
    pub(crate) fn destroy(&self) {
        self.cancel.cancel();
        let (l, listener) = {
            let mut st = self.st.borrow_mut();
            st.menu = None;
            (st.listener.take(), st.clerk_listener.take())
        };
        drop(l);
        drop(listener);
        self.root.remove();
    }

    fn render(&self) {
        if self.cancel.is_cancelled() {
            return;
        }
        let user = self.clerk.user();
        let key = user.as_ref().and_then(|u| get(u, "id").as_string());
        if self.st.borrow().shown_for == key {
            return;
        }
        dom::clear(&self.root);
        let menu = user.and_then(|u| {
            let (first, last) = (
                get(&u, "firstName").as_string(),
                get(&u, "lastName").as_string(),
            );
            let name = [first.as_deref(), last.as_deref()]
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let ident = get(&get(&u, "primaryEmailAddress"), "emailAddress")
                .as_string()
                .or_else(|| get(&get(&u, "primaryPhoneNumber"), "phoneNumber").as_string())
                .unwrap_or_default();
            let label = if name.is_empty() { &ident } else { &name };
            let menu_id = cat(&self.ids, "menu");
            let btn = el(
                &self.root,
                "button",
                "cw-user-btn",
                &[
                    ("type", "button"),
                    ("data-cw", "menu"),
                    ("aria-expanded", "false"),
                    ("aria-controls", &menu_id),
                ],
                "",
            )?;
            let initial: String = label
                .chars()
                .find(|c| c.is_alphanumeric())
                .into_iter()
                .collect();
            el(
                &btn,
                "span",
                "cw-avatar",
                &[("aria-hidden", "true")],
                &initial,
            )?;
            el(&btn, "span", "cw-user-name", &[], label)?;
            let menu = el(
                &self.root,
                "div",
                "cw-menu",
                &[("id", &menu_id), ("hidden", "")],
                "",
            )?;
            el(&menu, "p", "cw-sub", &[], &cat("Signed in as ", &ident))?;
            el(
                &menu,
                "button",
                "cw-link",
                &[("type", "button"), ("data-cw", "signout")],
                "Sign out",
            )?;
            Some((btn, menu))
        });
        let mut st = self.st.borrow_mut();
        st.shown_for = if menu.is_some() { key } else { None };
        st.menu = menu;
    }

    fn action(self: &Rc<Self>, act: &str) {
        match act {
            "menu" => {
                if let Some((btn, menu)) = &self.st.borrow().menu {
                    let open = menu.has_attribute("hidden");
                    flag(menu, "hidden", !open);
                    set(btn, "aria-expanded", if open { "true" } else { "false" });
                }
            }
            "signout" => {
                let u = self.clone();
                spawn(async move {
                    let clerk = u.clerk.clone();
                    let job: Job = Box::pin(async move { clerk.sign_out().await.map(|_| 0) });
                    let r = u.cancel.run(job).await;
                    if let (Ok(_), Some(url), Some(w)) =
                        (r, &u.props.redirect_url, web_sys::window())
                    {
                        let _ = w.location().assign(url);
                    }
                });
            }
            _ => {}
        }
    }
}
