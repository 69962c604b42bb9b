//! The user button: when signed in, a disclosure button with the user's name
//! that reveals "Signed in as …" and a sign-out button. Empty when signed out.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::{Element, Event};

use super::dom::{self, cat, el, flag, listen, set, spawn, Job, Listener};
use super::Props;
use crate::clerk::{Clerk, ListenerId};
use crate::timers::Cancel;

struct St {
    listener: Option<Listener>,
    clerk_listener: Option<ListenerId>,
    menu: Option<(Element, Element)>,
    shown_for: Option<String>,
}

/// A mounted user button.
pub(crate) struct UserButton {
    clerk: Clerk,
    props: Props,
    root: Element,
    ids: String,
    cancel: Cancel,
    st: RefCell<St>,
}

impl UserButton {
    /// Renders into a new root under `host` and follows sign-in and sign-out.
    pub(crate) fn mount(clerk: &Clerk, host: &Element, props: Props) -> Option<Rc<UserButton>> {
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
        let id = clerk.add_listener(move || {
            if let Some(u) = weak.upgrade() {
                u.render();
            }
        });
        {
            let mut st = u.st.borrow_mut();
            st.listener = Some(l);
            st.clerk_listener = Some(id);
        }
        u.render();
        Some(u)
    }

    /// Removes the listeners and the root.
    pub(crate) fn destroy(&self) {
        self.cancel.cancel();
        let (l, id) = {
            let mut st = self.st.borrow_mut();
            st.menu = None;
            (st.listener.take(), st.clerk_listener.take())
        };
        drop(l);
        if let Some(id) = id {
            self.clerk.remove_listener(id);
        }
        self.root.remove();
    }

    fn render(&self) {
        if self.cancel.is_cancelled() {
            return;
        }
        let user = self.clerk.user();
        let key = user.as_ref().map(|u| u.id.clone());
        if self.st.borrow().shown_for == key {
            return;
        }
        dom::clear(&self.root);
        let menu = user.and_then(|u| {
            let name = [u.first_name.as_deref(), u.last_name.as_deref()]
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let ident = u
                .primary_email_address()
                .map(|e| e.email_address.clone())
                .or_else(|| u.primary_phone_number().map(|p| p.phone_number.clone()))
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
