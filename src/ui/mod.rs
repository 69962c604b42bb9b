//! Mountable forms for plain HTML pages (cargo feature `ui`): sign-in and
//! sign-up forms driven by `/v1/environment`, the same forms in a modal
//! `<dialog>`, and a user button. Plain DOM, no inline styles (a strict CSP
//! works); the optional `clerk-wasm.css` styles the `cw-*` classes.
//!
//! Every mount is kept in a registry keyed by its host element; unmounting
//! drops it, which removes its listeners, stops its timers and requests and
//! aborts WebOTP.

mod dom;
mod exports;
mod form;
mod host;
mod user_button;

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlDialogElement};

use dom::{el, listen, set, Listener};
use form::Widget;
use host::Host;
use user_button::UserButton;

/// Which form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The sign-in form.
    SignIn,
    /// The sign-up form.
    SignUp,
}

/// Options of a mounted form (ClerkJS's component props, the passwordless subset).
#[derive(Clone, Default)]
pub struct Props {
    /// Where to navigate after success (`redirectUrl`, `afterSignInUrl`,
    /// `afterSignUpUrl`; after sign-out for the user button).
    pub redirect_url: Option<String>,
    /// The other form's page, linked under the form (`signUpUrl` / `signInUrl`).
    pub other_url: Option<String>,
    /// Called after success, before any redirect.
    pub on_success: Option<Rc<dyn Fn()>>,
}

enum Mounted {
    Form(Rc<Widget>),
    User(Rc<UserButton>),
    Modal(Rc<Widget>, HtmlDialogElement, Vec<Listener>),
}

impl Drop for Mounted {
    fn drop(&mut self) {
        match self {
            Mounted::Form(w) => w.destroy(),
            Mounted::User(u) => u.destroy(),
            Mounted::Modal(w, d, listeners) => {
                listeners.clear();
                w.destroy();
                d.close();
                d.remove();
            }
        }
    }
}

/// Registry slot: forms and user buttons by host; modals by kind alone.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Form(Kind),
    User,
    Modal(Kind),
}

thread_local! {
    static MOUNTS: RefCell<Vec<(Option<Element>, Slot, Mounted)>> = const { RefCell::new(Vec::new()) };
}

fn insert(host: Option<Element>, slot: Slot, m: Mounted) {
    remove(host.as_ref(), slot);
    MOUNTS.with(|r| r.borrow_mut().push((host, slot, m)));
}

/// Takes the entry out first, then drops it (its drop may re-enter the registry).
fn remove(host: Option<&Element>, slot: Slot) {
    let taken = MOUNTS.with(|r| {
        let mut v = r.borrow_mut();
        let i = v
            .iter()
            .position(|(h, s, _)| *s == slot && (host.is_none() || h.as_ref() == host))?;
        Some(v.remove(i))
    });
    drop(taken);
}

/// Mounts a sign-in or sign-up form inside `host` (replacing one already there).
pub(crate) fn mount(clerk: &Host, host: &Element, kind: Kind, props: Props) {
    if let Some(w) = Widget::mount(clerk, host, kind, props) {
        insert(Some(host.clone()), Slot::Form(kind), Mounted::Form(w));
    }
}

/// Unmounts the form of `kind` from `host`; nothing happens when there is none.
pub(crate) fn unmount(host: &Element, kind: Kind) {
    remove(Some(host), Slot::Form(kind));
}

/// Opens the form in a modal `<dialog>` (Escape or the close button closes it;
/// so does success).
pub(crate) fn open(clerk: &Host, kind: Kind, props: Props) {
    close(kind);
    let _ = open_modal(clerk, kind, props);
}

fn open_modal(clerk: &Host, kind: Kind, mut props: Props) -> Option<()> {
    let body = dom::document()?.body()?;
    let dialog = el(&body, "dialog", "cw-modal", &[], "")?;
    el(
        &dialog,
        "button",
        "cw-close",
        &[
            ("type", "button"),
            ("data-cw", "close"),
            ("aria-label", "Close"),
        ],
        "×",
    )?;
    let user_cb = props.on_success.take();
    props.on_success = Some(Rc::new(move || {
        if let Some(f) = &user_cb {
            f();
        }
        close(kind);
    }));
    let Some(w) = Widget::mount(clerk, &dialog, kind, props) else {
        dialog.remove();
        return None;
    };
    set(&dialog, "aria-labelledby", &w.heading_id());
    let listeners = vec![
        listen(&dialog, "close", move |_| close(kind)),
        listen(&dialog, "click", move |ev| {
            if dom::action_of(&ev).as_deref() == Some("close") {
                close(kind);
            }
        }),
    ];
    let dialog: HtmlDialogElement = dialog.unchecked_into();
    let _ = dialog.show_modal();
    insert(
        None,
        Slot::Modal(kind),
        Mounted::Modal(w, dialog, listeners),
    );
    Some(())
}

/// Closes the modal form of `kind`, if open.
pub(crate) fn close(kind: Kind) {
    remove(None, Slot::Modal(kind));
}

/// Mounts the user button (the signed-in user's name and a sign-out menu)
/// inside `host`. `props.redirect_url` is where sign-out navigates.
pub(crate) fn mount_user_button(clerk: &Host, host: &Element, props: Props) {
    if let Some(u) = UserButton::mount(clerk, host, props) {
        insert(Some(host.clone()), Slot::User, Mounted::User(u));
    }
}

/// Unmounts the user button from `host`.
pub(crate) fn unmount_user_button(host: &Element) {
    remove(Some(host), Slot::User);
}
