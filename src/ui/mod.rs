//! Mountable forms for plain HTML pages (cargo feature `ui`): sign-in and
//! sign-up forms driven by `/v1/environment`, the same forms in a modal
//! `<dialog>`, and a user button. Plain DOM, no inline styles (a strict CSP
//! works); the optional `clerk-wasm.css` styles the `cw-*` classes.
//!
//! The widgets are synchronous state machines: the driver (`driver.js`)
//! listens, waits and calls the page's `Clerk`, and hands each outcome to
//! [`dispatch`], which finds the widget by id in the registry. Unmounting drops
//! the registry entry, which tells the driver to forget the id (listeners,
//! timer, abort signal: the email-link wait and WebOTP end with it).

mod dom;
mod driver;
mod exports;
mod form;
mod host;
mod user_button;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

use js_sys::Function;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use web_sys::{Element, HtmlDialogElement};

use form::Form;
use host::Host;
use user_button::UserButton;

pub use crate::core::form_plan::Kind;

/// Options of a mounted form (ClerkJS's component props, the passwordless subset).
#[derive(Clone, Default)]
pub struct Props {
    /// Where to navigate after success (`redirectUrl`, `afterSignInUrl`,
    /// `afterSignUpUrl`; after sign-out for the user button).
    pub redirect_url: Option<String>,
    /// The other form's page, linked under the form (`signUpUrl` / `signInUrl`).
    pub other_url: Option<String>,
    /// Called after success, before any redirect.
    pub on_success: Option<Function>,
}

/// What a widget asks for after an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum After {
    /// Nothing more.
    Stay,
    /// Signed in (or out, for the user button): `onSuccess`, then close a
    /// modal, then the redirect.
    Success,
    /// The modal's close button or Escape.
    Close,
}

enum Widget {
    Form(Form),
    User(UserButton),
}

/// Registry slot: forms and user buttons by host; modals by kind alone.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Form(Kind),
    User,
    Modal(Kind),
}

struct Entry {
    id: u32,
    host: Option<Element>,
    slot: Slot,
    /// What unmounting removes: the widget's root, or the modal's dialog.
    frame: Element,
    widget: Rc<RefCell<Widget>>,
}

impl Drop for Entry {
    fn drop(&mut self) {
        driver::step(self.id, driver::END);
        if let Slot::Modal(_) = self.slot {
            self.frame.unchecked_ref::<HtmlDialogElement>().close();
        }
        self.frame.remove();
    }
}

thread_local! {
    static MOUNTS: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
}

/// The last widget id given out (wasm32 has one thread: relaxed is exact).
static NEXT_ID: AtomicU32 = AtomicU32::new(0);

/// A new widget id and its element-id prefix (`cw1-`, `cw2-`, …).
fn new_id() -> (u32, String) {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed) + 1;
    let mut ids = String::from("cw");
    dom::push_num(&mut ids, id.into());
    ids.push('-');
    (id, ids)
}

/// One event from the driver for widget `id` (gone widgets ignore it).
fn dispatch(id: u32, event: u32, seq: u32, value: JsValue) {
    let Some((widget, slot)) = MOUNTS
        .try_with(|m| {
            m.borrow()
                .iter()
                .find(|e| e.id == id)
                .map(|e| (e.widget.clone(), e.slot))
        })
        .ok()
        .flatten()
    else {
        return;
    };
    let after = match &mut *widget.borrow_mut() {
        Widget::Form(f) => f.event(event, seq, &value),
        Widget::User(u) => u.event(event, seq, &value),
    };
    let kind = match slot {
        Slot::Modal(kind) => Some(kind),
        _ => None,
    };
    match after {
        After::Stay => {}
        After::Close => {
            if let Some(kind) = kind {
                close(kind);
            }
        }
        After::Success => {
            let props = match &*widget.borrow() {
                Widget::Form(f) => f.props.clone(),
                Widget::User(u) => u.props.clone(),
            };
            if let Some(f) = &props.on_success {
                let _ = f.call0(&JsValue::NULL);
            }
            if let Some(kind) = kind {
                close(kind);
            }
            if let Some(url) = &props.redirect_url {
                driver::go(url);
            }
        }
    }
}

/// Registers `entry` (replacing the one in its slot) and starts its events.
fn insert(entry: Entry, clerk: &Host, deliver: &JsValue) {
    remove(entry.host.as_ref(), entry.slot);
    driver::listen(entry.id, &entry.frame, &clerk.0, deliver);
    let _ = MOUNTS.try_with(|m| m.borrow_mut().push(entry));
}

/// Takes the entry out first, then drops it (its drop may re-enter the registry).
fn remove(host: Option<&Element>, slot: Slot) {
    let taken = MOUNTS.try_with(|m| {
        let mut v = m.borrow_mut();
        let i = v
            .iter()
            .position(|e| e.slot == slot && (host.is_none() || e.host.as_ref() == host))?;
        Some(v.remove(i))
    });
    drop(taken);
}

/// Mounts a sign-in or sign-up form inside `host` (replacing one already
/// there). `deliver` is the `uiEvent` export, where the driver sends events.
pub(crate) fn mount(clerk: &Host, deliver: &JsValue, host: &Element, kind: Kind, props: Props) {
    let (id, ids) = new_id();
    let Some(f) = Form::mount(id, ids, clerk, host, kind, props) else {
        return;
    };
    let entry = Entry {
        id,
        host: Some(host.clone()),
        slot: Slot::Form(kind),
        frame: f.root.clone(),
        widget: Rc::new(RefCell::new(Widget::Form(f))),
    };
    insert(entry, clerk, deliver);
}

/// Unmounts the form of `kind` from `host`; nothing happens when there is none.
pub(crate) fn unmount(host: &Element, kind: Kind) {
    remove(Some(host), Slot::Form(kind));
}

/// Opens the form in a modal `<dialog>` (Escape or the close button closes it;
/// so does success).
pub(crate) fn open(clerk: &Host, deliver: &JsValue, kind: Kind, props: Props) {
    close(kind);
    let (id, ids) = new_id();
    let Some(dialog) = driver::body().and_then(|body| {
        dom::build(
            &body,
            "<dialog class=cw-modal aria-labelledby=@h><button class=cw-close type=button data-cw=close aria-label=Close>×</button></dialog>",
            &ids,
            &[],
        )
    }) else {
        return;
    };
    let Some(f) = Form::mount(id, ids, clerk, &dialog, kind, props) else {
        dialog.remove();
        return;
    };
    let _ = dialog.unchecked_ref::<HtmlDialogElement>().show_modal();
    let entry = Entry {
        id,
        host: None,
        slot: Slot::Modal(kind),
        frame: dialog,
        widget: Rc::new(RefCell::new(Widget::Form(f))),
    };
    insert(entry, clerk, deliver);
}

/// Closes the modal form of `kind`, if open.
pub(crate) fn close(kind: Kind) {
    remove(None, Slot::Modal(kind));
}

/// Mounts the user button (the signed-in user's name and a sign-out menu)
/// inside `host`. `props.redirect_url` is where sign-out navigates.
pub(crate) fn mount_user_button(clerk: &Host, deliver: &JsValue, host: &Element, props: Props) {
    let (id, ids) = new_id();
    let Some(u) = UserButton::mount(id, ids, clerk, host, props) else {
        return;
    };
    let entry = Entry {
        id,
        host: Some(host.clone()),
        slot: Slot::User,
        frame: u.root.clone(),
        widget: Rc::new(RefCell::new(Widget::User(u))),
    };
    insert(entry, clerk, deliver);
}

/// Unmounts the user button from `host`.
pub(crate) fn unmount_user_button(host: &Element) {
    remove(Some(host), Slot::User);
}
