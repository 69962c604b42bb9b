//! Mountable forms for plain HTML pages (cargo feature `ui`): sign-in and
//! sign-up forms driven by `/v1/environment`, the same forms in a modal
//! `<dialog>`, and a user button. Plain DOM, no inline styles (a strict CSP
//! works); the optional `clerk-wasm.css` styles the `cw-*` classes.
//!
//! The widgets are synchronous state machines over the page's engine (the
//! [`Driver`] of its `Clerk`): they read its state, run its operations
//! (tracked, as the newer API's are) and hear its changes; their resend
//! countdown is a [`crate::timers::Timer`]. Only the DOM events of their own
//! elements (and WebOTP) come from a small JS module (`driver.js`). Every
//! event reaches a widget through [`dispatch`] in a later microtask, never
//! re-entrantly. Unmounting drops the registry entry: its listeners, timer
//! and email-link wait go with it.

mod dom;
mod driver;
mod exports;
mod form;
mod user_button;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

use js_sys::Function;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use web_sys::{Element, HtmlDialogElement};

use crate::core::errors::ClerkError;
use crate::driver::Driver;
use form::Form;
use user_button::UserButton;

pub use crate::core::form_plan::Kind;

/// Options of a mounted form (ClerkJS's component props, the passwordless subset).
#[derive(Clone, Default)]
pub struct Props {
    /// Where to go after success (`redirectUrl`, `forceRedirectUrl`,
    /// `fallbackRedirectUrl`, … ; see [`crate::core::redirect`]).
    pub redirects: crate::core::redirect::RedirectUrls,
    /// The user button: where to go after signing out (`afterSignOutUrl`).
    pub after_sign_out: Option<String>,
    /// The other form's page, linked under the form (`signUpUrl` / `signInUrl`).
    pub other_url: Option<String>,
    /// Called after success, before any redirect.
    pub on_success: Option<Function>,
}

/// What a widget hears.
#[derive(Debug)]
pub(crate) enum Event {
    /// Its form was submitted (the default already prevented).
    Submit,
    /// A `data-cw` button was clicked (the action), or the dialog closed (`close`).
    Action(String),
    /// The engine's state changed.
    Changed,
    /// Its timer fired.
    Timer,
    /// Call `seq` of its job settled (`Some`: its error).
    Settled(u32, Option<ClerkError>),
    /// WebOTP read an SMS code.
    Otp(String),
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
    driver: Rc<Driver>,
    listener: u32,
    widget: Rc<RefCell<Widget>>,
}

impl Drop for Entry {
    fn drop(&mut self) {
        driver::step(self.id, driver::END);
        self.driver.remove_listener(self.listener);
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

/// Delivers `event` to widget `id` in a later microtask (a gone widget ignores it).
pub(crate) fn later(id: u32, event: Event) {
    wasm_bindgen_futures::spawn_local(async move { dispatch(id, event) });
}

/// One event for widget `id`.
fn dispatch(id: u32, event: Event) {
    let Some((widget, slot, driver)) = MOUNTS
        .try_with(|m| {
            m.borrow()
                .iter()
                .find(|e| e.id == id)
                .map(|e| (e.widget.clone(), e.slot, e.driver.clone()))
        })
        .ok()
        .flatten()
    else {
        return;
    };
    let Ok(mut w) = widget.try_borrow_mut() else {
        return;
    };
    let after = match &mut *w {
        Widget::Form(f) => f.event(event),
        Widget::User(u) => u.event(event),
    };
    // What a success does (the callback, where to go): only worked out on one.
    let (on_success, target) = match (&after, &*w) {
        (After::Success, Widget::Form(f)) => (f.props.on_success.clone(), f.after_url()),
        (After::Success, Widget::User(u)) => {
            (u.props.on_success.clone(), u.props.after_sign_out.clone())
        }
        _ => (None, None),
    };
    drop(w);
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
            if let Some(f) = &on_success {
                let _ = f.call0(&JsValue::NULL);
            }
            if let Some(kind) = kind {
                close(kind);
            }
            // Only where redirects may go; the dev browser travels to another origin.
            if let Some(url) = target.and_then(|u| driver.engine().checked_url(&u)) {
                crate::page::navigate(&url);
            }
        }
    }
}

/// Registers a widget (replacing the one in its slot) and starts its events.
fn insert(
    id: u32,
    clerk: &Rc<Driver>,
    host: Option<&Element>,
    slot: Slot,
    frame: Element,
    widget: Widget,
) {
    remove(host, slot);
    driver::listen(id, &frame, &exports::deliver());
    let listener = clerk.add_listener(Rc::new(move || later(id, Event::Changed)));
    let entry = Entry {
        id,
        host: host.cloned(),
        slot,
        frame,
        driver: clerk.clone(),
        listener,
        widget: Rc::new(RefCell::new(widget)),
    };
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

/// Mounts a sign-in or sign-up form inside `host` (replacing one already there).
pub(crate) fn mount(clerk: &Rc<Driver>, host: &Element, kind: Kind, props: Props) {
    let (id, ids) = new_id();
    if let Some(f) = Form::mount(id, ids, clerk, host, kind, props) {
        let frame = f.root.clone();
        insert(
            id,
            clerk,
            Some(host),
            Slot::Form(kind),
            frame,
            Widget::Form(f),
        );
    }
}

/// Unmounts the form of `kind` from `host`; nothing happens when there is none.
pub(crate) fn unmount(host: &Element, kind: Kind) {
    remove(Some(host), Slot::Form(kind));
}

/// Opens the form in a modal `<dialog>` (Escape or the close button closes it;
/// so does success).
pub(crate) fn open(clerk: &Rc<Driver>, kind: Kind, props: Props) {
    close(kind);
    let (id, ids) = new_id();
    let body = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body());
    let Some(dialog) = body.and_then(|body| {
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
    insert(id, clerk, None, Slot::Modal(kind), dialog, Widget::Form(f));
}

/// Closes the modal form of `kind`, if open.
pub(crate) fn close(kind: Kind) {
    remove(None, Slot::Modal(kind));
}

/// Mounts the user button (the signed-in user's name and a sign-out menu)
/// inside `host`. `props.after_sign_out` is where sign-out navigates.
pub(crate) fn mount_user_button(clerk: &Rc<Driver>, host: &Element, props: Props) {
    let (id, ids) = new_id();
    if let Some(u) = UserButton::mount(id, ids, clerk, host, props) {
        let frame = u.root.clone();
        insert(id, clerk, Some(host), Slot::User, frame, Widget::User(u));
    }
}

/// Unmounts the user button from `host`.
pub(crate) fn unmount_user_button(host: &Element) {
    remove(Some(host), Slot::User);
}
