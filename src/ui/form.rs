//! The sign-in / sign-up widget: a small state machine (identifier → code →
//! done) rendered into one root element. Events are delegated to the root
//! (`submit`, `click`), so three listeners cover every step; they, the Clerk
//! listener, the resend countdown and WebOTP all end on [`Widget::destroy`].

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, Event};

use super::dom::{self, cat, el, flag, listen, set, spawn, text, Job};
use super::host::{object, Host, Listener};
use super::{Kind, Props};
use crate::core::errors::ClerkError;
use crate::core::flow::resend_available_at_ms;
use crate::core::model::{strategy, Environment};
use crate::core::phone::normalize_e164;
use crate::timers::{sleep, Cancel};

/// Unix milliseconds from the browser clock.
fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// How a code is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Channel {
    Email,
    Phone,
}

/// Where the widget is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Waiting for `clerk.load()`.
    Loading,
    /// Identifier (and, for sign-up, the required fields).
    Start,
    /// A code was sent over this channel.
    Code(Channel),
    /// Waiting for the email link to be opened.
    Link,
    /// Signed in.
    Done,
}

struct Field {
    name: &'static str,
    phone: bool,
    input: Element,
    err: Element,
}

struct St {
    step: Step,
    method: Channel,
    identifier: String,
    busy: bool,
    sent_at: u64,
    resend_at: u64,
    fields: Vec<Field>,
    alert: Option<Element>,
    note: Option<Element>,
    buttons: Vec<Element>,
    resend: Option<Element>,
    step_cancel: Cancel,
    listeners: Vec<dom::Listener>,
    clerk_listener: Option<Listener>,
}

/// A mounted sign-in or sign-up form.
pub(crate) struct Widget {
    clerk: Host,
    kind: Kind,
    props: Props,
    root: Element,
    ids: String,
    cancel: Cancel,
    st: RefCell<St>,
}

const PHONE_HINT: &str = "Include the country code, for example +1 555 555 0100.";
const REQUIRED: &str = "This field is required.";

/// `(email, phone)`: which identifiers this form may use.
fn channels(env: &Environment, kind: Kind) -> (bool, bool) {
    let a = &env.user_settings.attributes;
    match kind {
        Kind::SignIn => (
            a.email_address.allows_first_factor(strategy::EMAIL_CODE),
            a.phone_number.allows_first_factor(strategy::PHONE_CODE),
        ),
        Kind::SignUp => (
            a.email_address.allows_verification(strategy::EMAIL_CODE),
            a.phone_number.allows_verification(strategy::PHONE_CODE),
        ),
    }
}

/// Whether the instance allows an email link for this form.
fn link_ok(env: &Environment, kind: Kind) -> bool {
    let e = &env.user_settings.attributes.email_address;
    match kind {
        Kind::SignIn => e.allows_first_factor(strategy::EMAIL_LINK),
        Kind::SignUp => e.allows_verification(strategy::EMAIL_LINK),
    }
}

impl Widget {
    /// Renders into a new root under `host` and starts listening.
    pub(crate) fn mount(
        clerk: &Host,
        host: &Element,
        kind: Kind,
        props: Props,
    ) -> Option<Rc<Widget>> {
        let root = el(host, "div", "cw-root", &[], "")?;
        let w = Rc::new(Widget {
            clerk: clerk.clone(),
            kind,
            props,
            root: root.clone(),
            ids: dom::id_prefix(),
            cancel: Cancel::new(),
            st: RefCell::new(St {
                step: Step::Loading,
                method: Channel::Email,
                identifier: String::new(),
                busy: false,
                sent_at: 0,
                resend_at: 0,
                fields: Vec::new(),
                alert: None,
                note: None,
                buttons: Vec::new(),
                resend: None,
                step_cancel: Cancel::new(),
                listeners: Vec::new(),
                clerk_listener: None,
            }),
        });
        let weak = Rc::downgrade(&w);
        let on_submit = listen(&root, "submit", move |ev: Event| {
            ev.prevent_default();
            if let Some(w) = weak.upgrade() {
                w.submit(false);
            }
        });
        let weak = Rc::downgrade(&w);
        let on_click = listen(&root, "click", move |ev: Event| {
            if let (Some(w), Some(act)) = (weak.upgrade(), dom::action_of(&ev)) {
                w.action(&act);
            }
        });
        let weak = Rc::downgrade(&w);
        let listener = clerk.add_listener(move || {
            if let Some(w) = weak.upgrade() {
                w.on_clerk_change();
            }
        });
        {
            let mut st = w.st.borrow_mut();
            st.listeners = vec![on_submit, on_click];
            st.clerk_listener = Some(listener);
        }
        w.render(Step::Loading, false);
        w.on_clerk_change();
        Some(w)
    }

    /// Stops everything (listeners, timers, requests, WebOTP) and removes the root.
    pub(crate) fn destroy(&self) {
        self.cancel.cancel();
        let (listeners, listener, sc) = {
            let mut st = self.st.borrow_mut();
            st.fields.clear();
            st.buttons.clear();
            (
                std::mem::take(&mut st.listeners),
                st.clerk_listener.take(),
                st.step_cancel.clone(),
            )
        };
        sc.cancel();
        drop(listeners);
        drop(listener);
        self.root.remove();
    }

    /// The heading's id (a modal is labelled by it).
    pub(crate) fn heading_id(&self) -> String {
        cat(&self.ids, "h")
    }

    fn on_clerk_change(self: &Rc<Self>) {
        if self.cancel.is_cancelled() {
            return;
        }
        let (step, busy) = {
            let st = self.st.borrow();
            (st.step, st.busy)
        };
        let signed_in = self.clerk.session_id().is_some();
        let next = match step {
            Step::Loading if self.clerk.environment().is_some() => {
                if signed_in {
                    Step::Done
                } else {
                    Step::Start
                }
            }
            Step::Done if !signed_in => Step::Start,
            Step::Start | Step::Code(_) if signed_in && !busy => Step::Done,
            _ => return,
        };
        self.render(next, false);
    }

    fn action(self: &Rc<Self>, act: &str) {
        if self.st.borrow().busy {
            return;
        }
        match act {
            "switch" => {
                {
                    let mut st = self.st.borrow_mut();
                    st.method = match st.method {
                        Channel::Email => Channel::Phone,
                        Channel::Phone => Channel::Email,
                    };
                }
                self.render(Step::Start, true);
            }
            "back" => self.render(Step::Start, true),
            "resend" => self.resend(),
            "link" => self.submit(true),
            "relink" => self.render(Step::Link, true),
            "code" => {
                let st = self.st.borrow();
                st.step_cancel.cancel();
                let op = Op::Send(st.identifier.clone(), Channel::Email);
                spawn(self.clone().run(op, false));
            }
            _ => {}
        }
    }

    // ---- rendering -------------------------------------------------------

    fn render(self: &Rc<Self>, step: Step, focus: bool) {
        let old = {
            let mut st = self.st.borrow_mut();
            st.step = step;
            st.fields.clear();
            st.buttons.clear();
            st.resend = None;
            st.alert = None;
            st.note = None;
            std::mem::replace(&mut st.step_cancel, Cancel::new())
        };
        old.cancel();
        dom::clear(&self.root);
        if self.cancel.is_cancelled() {
            return;
        }
        let _ = self.build(step);
        if focus {
            if let Some(f) = self.st.borrow().fields.first() {
                dom::focus(&f.input);
            }
        }
        if step == Step::Link {
            self.wait_link();
        }
        if let Step::Code(ch) = step {
            self.tick();
            if ch == Channel::Phone {
                let _ = self.web_otp();
            }
        }
    }

    fn build(self: &Rc<Self>, step: Step) -> Option<()> {
        let root = &self.root;
        let sign_in = self.kind == Kind::SignIn;
        let env = self.clerk.environment();
        let heading = |t: &str| el(root, "h2", "cw-title", &[("id", &self.heading_id())], t);
        let sub = |t: &str| el(root, "p", "cw-sub", &[], t);
        match step {
            Step::Loading => {
                el(root, "p", "cw-sub", &[("role", "status")], "Loading…")?;
            }
            Step::Done => {
                heading(if sign_in {
                    "Signed in"
                } else {
                    "Account created"
                })?;
                el(
                    root,
                    "p",
                    "cw-sub",
                    &[("role", "status")],
                    "You are signed in.",
                )?;
            }
            Step::Start => {
                let env = env?;
                let (email, phone) = channels(&env, self.kind);
                heading(if sign_in {
                    "Sign in"
                } else {
                    "Create your account"
                })?;
                let app = &env.display_config.application_name;
                if !app.is_empty() {
                    sub(&cat("to continue to ", app))?;
                }
                let mut method = self.st.borrow().method;
                if !email && phone {
                    method = Channel::Phone;
                } else if email && !phone {
                    method = Channel::Email;
                }
                self.st.borrow_mut().method = method;
                let form = self.form()?;
                let a = &env.user_settings.attributes;
                let mut toggle = email && phone;
                let mut link = method == Channel::Email && link_ok(&env, self.kind);
                if sign_in {
                    self.field(&form, "identifier", method)?;
                } else {
                    if a.first_name.enabled && a.first_name.required {
                        self.field(&form, "firstName", method)?;
                    }
                    if a.last_name.enabled && a.last_name.required {
                        self.field(&form, "lastName", method)?;
                    }
                    let (need_email, need_phone) = (
                        email && a.email_address.required,
                        phone && a.phone_number.required,
                    );
                    if need_email || need_phone {
                        toggle = false;
                        link = need_email && !need_phone && link_ok(&env, self.kind);
                        if need_email {
                            self.field(&form, "emailAddress", Channel::Email)?;
                        }
                        if need_phone {
                            self.field(&form, "phoneNumber", Channel::Phone)?;
                        }
                    } else if email || phone {
                        let name = match method {
                            Channel::Email => "emailAddress",
                            Channel::Phone => "phoneNumber",
                        };
                        self.field(&form, name, method)?;
                    }
                }
                self.submit_button(&form, "Continue")?;
                if link {
                    self.button(
                        &form,
                        "link",
                        if sign_in {
                            "Email me a sign-in link"
                        } else {
                            "Email me a verification link"
                        },
                    )?;
                }
                if toggle {
                    let label = match method {
                        Channel::Email => "Use phone number instead",
                        Channel::Phone => "Use email address instead",
                    };
                    self.button(root, "switch", label)?;
                }
                let other = if sign_in {
                    ("Don’t have an account? ", "Sign up")
                } else {
                    ("Already have an account? ", "Sign in")
                };
                if let Some(url) = &self.props.other_url {
                    let p = el(root, "p", "cw-foot", &[], other.0)?;
                    el(&p, "a", "cw-a", &[("href", url)], other.1)?;
                }
            }
            Step::Code(ch) => {
                heading(match ch {
                    Channel::Email => "Check your email",
                    Channel::Phone => "Check your phone",
                })?;
                let ident = self.st.borrow().identifier.clone();
                sub(&cat(&cat("We sent a code to ", &ident), "."))?;
                let form = self.form()?;
                self.field(&form, "code", ch)?;
                self.submit_button(&form, "Verify")?;
                let note = el(root, "p", "cw-note", &[("role", "status")], "")?;
                let row = el(root, "div", "cw-row", &[], "")?;
                let resend = self.button(&row, "resend", "Resend code")?;
                self.button(&row, "back", "Use another email or phone")?;
                let mut st = self.st.borrow_mut();
                st.resend = Some(resend);
                st.note = Some(note);
            }
            Step::Link => {
                let h = heading("Check your email")?;
                set(&h, "tabindex", "-1");
                let ident = self.st.borrow().identifier.clone();
                let note = el(
                    root,
                    "p",
                    "cw-sub",
                    &[("role", "status"), ("aria-live", "polite")],
                    &cat(&cat("We sent a link to ", &ident), "."),
                )?;
                let row = el(root, "div", "cw-row", &[], "")?;
                self.button(&row, "relink", "Resend link")?;
                self.button(&row, "code", "Enter a code instead")?;
                self.button(&row, "back", "Cancel")?;
                dom::focus(&h);
                let mut st = self.st.borrow_mut();
                st.alert = Some(note.clone());
                st.note = Some(note);
            }
        }
        Some(())
    }

    fn form(&self) -> Option<Element> {
        el(&self.root, "form", "cw-form", &[("novalidate", "")], "")
    }

    fn submit_button(&self, form: &Element, label: &str) -> Option<Element> {
        let alert = el(form, "p", "cw-alert", &[("role", "alert")], "")?;
        self.st.borrow_mut().alert = Some(alert);
        let b = el(form, "button", "cw-btn", &[("type", "submit")], label)?;
        self.st.borrow_mut().buttons.push(b.clone());
        Some(b)
    }

    fn button(&self, parent: &Element, act: &str, label: &str) -> Option<Element> {
        let b = el(
            parent,
            "button",
            "cw-link",
            &[("type", "button"), ("data-cw", act)],
            label,
        )?;
        self.st.borrow_mut().buttons.push(b.clone());
        Some(b)
    }

    /// A labelled input with its hint and its own `aria-live` error line.
    fn field(&self, form: &Element, name: &'static str, method: Channel) -> Option<()> {
        let phone = match name {
            "identifier" => method == Channel::Phone,
            "phoneNumber" => true,
            _ => false,
        };
        let (label, attrs): (&str, &[(&str, &str)]) = match name {
            "firstName" => ("First name", &[("autocomplete", "given-name")]),
            "lastName" => ("Last name", &[("autocomplete", "family-name")]),
            "code" => (
                "Verification code",
                &[
                    ("autocomplete", "one-time-code"),
                    ("inputmode", "numeric"),
                    ("enterkeyhint", "done"),
                ],
            ),
            _ if phone => ("Phone number", &[("type", "tel"), ("autocomplete", "tel")]),
            _ => (
                "Email address",
                &[
                    ("type", "email"),
                    ("autocomplete", "email"),
                    ("spellcheck", "false"),
                ],
            ),
        };
        let id = cat(&self.ids, name);
        let hint_id = cat(&id, "-hint");
        let err_id = cat(&id, "-err");
        let wrap = el(form, "div", "cw-field", &[], "")?;
        el(&wrap, "label", "cw-label", &[("for", &id)], label)?;
        let described = if phone {
            cat(&cat(&hint_id, " "), &err_id)
        } else {
            err_id.clone()
        };
        let input = el(
            &wrap,
            "input",
            "cw-input",
            &[
                ("id", &id),
                ("name", name),
                ("aria-describedby", &described),
            ],
            "",
        )?;
        for (k, v) in attrs {
            set(&input, k, v);
        }
        if phone {
            el(&wrap, "p", "cw-hint", &[("id", &hint_id)], PHONE_HINT)?;
        }
        let err = el(
            &wrap,
            "p",
            "cw-err",
            &[("id", &err_id), ("aria-live", "polite")],
            "",
        )?;
        self.st.borrow_mut().fields.push(Field {
            name,
            phone,
            input,
            err,
        });
        Some(())
    }

    // ---- state helpers ---------------------------------------------------

    fn set_busy(&self, busy: bool) {
        {
            let mut st = self.st.borrow_mut();
            st.busy = busy;
            for b in &st.buttons {
                flag(b, "disabled", busy);
            }
            if busy {
                set(&self.root, "aria-busy", "true");
            } else {
                flag(&self.root, "aria-busy", false);
            }
        }
        self.update_resend();
    }

    fn clear_errors(&self) {
        let st = self.st.borrow();
        for f in &st.fields {
            text(&f.err, "");
            flag(&f.input, "aria-invalid", false);
        }
        for e in st.alert.iter().chain(st.note.iter()) {
            text(e, "");
        }
    }

    /// Shows `msg` under the field `name` (or in the form's alert when there
    /// is no such field) and focuses that field.
    fn field_error(&self, name: &str, msg: &str) {
        let st = self.st.borrow();
        match st.fields.iter().find(|f| f.name == name) {
            Some(f) => {
                text(&f.err, msg);
                set(&f.input, "aria-invalid", "true");
            }
            None => {
                if let Some(a) = &st.alert {
                    let mut s = a.text_content().unwrap_or_default();
                    if !s.is_empty() {
                        s.push(' ');
                    }
                    s.push_str(msg);
                    text(a, &s);
                }
            }
        }
    }

    fn focus_invalid(&self) {
        let st = self.st.borrow();
        let f = st
            .fields
            .iter()
            .find(|f| f.input.has_attribute("aria-invalid"))
            .or(st.fields.first());
        if let Some(f) = f {
            dom::focus(&f.input);
        }
    }

    /// Shows the attempt's errors as the page's `Clerk` keeps them (`errors.fields`
    /// next to their inputs, `errors.global` in the alert), else `e`'s message.
    fn show_error(&self, e: &ClerkError) {
        let attempt = match self.kind {
            Kind::SignIn => "signIn",
            Kind::SignUp => "signUp",
        };
        let errors = self.clerk.errors(attempt);
        if errors.is_empty() {
            self.field_error("", e.message());
        }
        for (name, message) in &errors {
            self.field_error(name, message);
        }
        self.focus_invalid();
    }

    /// Runs one user action: buttons disabled meanwhile, errors shown when
    /// it fails, then the next step. After unmount it touches nothing.
    async fn run(self: Rc<Self>, op: Op, resend: bool) {
        self.clear_errors();
        self.set_busy(true);
        let job: Job = Box::pin(perform(self.clerk.clone(), self.kind, op));
        let r = self.cancel.run(job).await;
        if self.cancel.is_cancelled() {
            return;
        }
        self.set_busy(false);
        let now = now_ms();
        match r {
            Ok(DONE) => self.success(),
            Ok(LINK) => self.render(Step::Link, true),
            Ok(sent) => {
                {
                    let mut st = self.st.borrow_mut();
                    st.sent_at = now;
                    st.resend_at = resend_available_at_ms(now, None, now);
                }
                if !resend {
                    let ch = if sent == PHONE {
                        Channel::Phone
                    } else {
                        Channel::Email
                    };
                    return self.render(Step::Code(ch), true);
                }
                if let Some(n) = &self.st.borrow().note {
                    text(n, "A new code was sent. Use the newest code.");
                }
                self.tick();
            }
            Err(e) => {
                self.show_error(&e);
                if resend {
                    let mut st = self.st.borrow_mut();
                    st.resend_at = resend_available_at_ms(st.sent_at, e.retry_after_secs(), now);
                }
                self.tick();
            }
        }
    }

    /// The form was submitted (button, Enter, or WebOTP); `link`: by email link.
    fn submit(self: &Rc<Self>, link: bool) {
        let (step, method) = {
            let st = self.st.borrow();
            if st.busy {
                return;
            }
            (st.step, st.method)
        };
        let Some(values) = self.read_fields() else {
            return;
        };
        let op = match step {
            Step::Start => {
                let ident = values
                    .iter()
                    .find(|(n, _)| matches!(*n, "identifier" | "emailAddress" | "phoneNumber"))
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                self.st.borrow_mut().identifier = ident.clone();
                match self.kind {
                    Kind::SignIn if link => Op::Link(ident),
                    Kind::SignIn => Op::Send(ident, method),
                    Kind::SignUp => Op::Create(values, link),
                }
            }
            Step::Code(ch) => {
                let code = values
                    .into_iter()
                    .next()
                    .map(|(_, v)| v)
                    .unwrap_or_default();
                Op::Verify(code, ch)
            }
            _ => return,
        };
        spawn(self.clone().run(op, false));
    }

    fn resend(self: &Rc<Self>) {
        let st = self.st.borrow();
        if let Step::Code(ch) = st.step {
            spawn(self.clone().run(Op::Send(st.identifier.clone(), ch), true));
        }
    }

    /// Reads and checks the fields: `(name, value)` pairs, phones normalised.
    fn read_fields(&self) -> Option<Vec<(&'static str, String)>> {
        self.clear_errors();
        let mut out = Vec::new();
        let mut ok = true;
        let st = self.st.borrow();
        for f in &st.fields {
            let raw = dom::value(&f.input);
            let mut v = raw.trim().to_string();
            if f.name == "code" {
                v.retain(|c| c.is_ascii_digit());
            }
            let problem = if v.is_empty() {
                Some(REQUIRED)
            } else if f.phone {
                match normalize_e164(&v) {
                    Ok(n) => {
                        dom::set_value(&f.input, &n);
                        v = n;
                        None
                    }
                    Err(e) => Some(e.message()),
                }
            } else {
                None
            };
            if let Some(msg) = problem {
                ok = false;
                text(&f.err, msg);
                set(&f.input, "aria-invalid", "true");
            }
            out.push((f.name, v));
        }
        drop(st);
        if !ok {
            self.focus_invalid();
            return None;
        }
        Some(out)
    }

    fn success(self: &Rc<Self>) {
        self.render(Step::Done, false);
        if let Some(f) = &self.props.on_success {
            f();
        }
        if let (Some(url), Some(w)) = (&self.props.redirect_url, web_sys::window()) {
            let _ = w.location().assign(url);
        }
    }

    /// Seconds until resend is allowed; updates the button.
    fn update_resend(&self) -> u64 {
        let st = self.st.borrow();
        let Some(b) = &st.resend else {
            return 0;
        };
        let left = st.resend_at.saturating_sub(now_ms()).div_ceil(1000);
        let mut s = String::from("Resend code");
        if left > 0 {
            s.push_str(" in ");
            dom::push_num(&mut s, left);
            s.push_str(" s");
        }
        text(b, &s);
        flag(b, "disabled", left > 0 || st.busy);
        left
    }

    /// The resend countdown: one tick a second until resend is allowed.
    fn tick(self: &Rc<Self>) {
        let w = self.clone();
        let sc = self.st.borrow().step_cancel.clone();
        spawn(async move {
            while w.update_resend() > 0 {
                let wait: Job = Box::pin(async {
                    sleep(1000).await;
                    Ok(DONE)
                });
                if sc.run(wait).await.is_err() {
                    break;
                }
            }
        });
    }

    /// The link wait of [`Step::Link`]: sends the link and polls until it is
    /// opened (then finalizes) or expires; ends with the step or on unmount.
    fn wait_link(self: &Rc<Self>) {
        let sc = self.st.borrow().step_cancel.clone();
        let (clerk, kind) = (self.clerk.clone(), self.kind);
        let redirect_url = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        let (ident, signal) = (self.st.borrow().identifier.clone(), sc.signal());
        let job: Job = Box::pin(async move {
            let wait = Object::new();
            if let Some(signal) = &signal {
                let _ = Reflect::set(&wait, &"signal".into(), signal);
            }
            let (send, send_args, wait_path, attempt) = match kind {
                Kind::SignIn => (
                    "signIn.emailLink.sendLink",
                    object(&[("emailAddress", &ident), ("verificationUrl", &redirect_url)]),
                    "signIn.emailLink.waitForVerification",
                    "signIn.finalize",
                ),
                Kind::SignUp => (
                    "signUp.verifications.sendEmailLink",
                    object(&[("verificationUrl", &redirect_url)]),
                    "signUp.verifications.waitForEmailLinkVerification",
                    "signUp.finalize",
                ),
            };
            clerk.call(send, send_args).await?;
            match clerk.call(wait_path, wait.into()).await {
                Err(ClerkError::EmailLink(_)) => return Ok(LINK),
                other => other?,
            }
            clerk.call(attempt, JsValue::UNDEFINED).await?;
            Ok(DONE)
        });
        let w = self.clone();
        spawn(async move {
            let r = sc.run(job).await;
            if sc.is_cancelled() {
                return;
            }
            w.clear_errors();
            match r {
                Ok(DONE) => w.success(),
                Ok(_) => w.field_error("", "The link has expired. Resend it to try again."),
                Err(e) => w.show_error(&e),
            }
        });
    }

    /// WebOTP (Chromium): fills and submits the code from an SMS whose last
    /// line is `@host #code`; aborted when the step changes or on unmount.
    fn web_otp(self: &Rc<Self>) -> Option<()> {
        let win = web_sys::window()?;
        if !Reflect::has(&win, &"OTPCredential".into()).ok()? {
            return None;
        }
        let sc = self.st.borrow().step_cancel.clone();
        let creds = Reflect::get(&win.navigator(), &"credentials".into()).ok()?;
        let get: Function = Reflect::get(&creds, &"get".into()).ok()?.dyn_into().ok()?;
        let opts = Object::new();
        let otp = Object::new();
        Reflect::set(&otp, &"transport".into(), &Array::of1(&"sms".into())).ok()?;
        Reflect::set(&opts, &"otp".into(), &otp).ok()?;
        Reflect::set(&opts, &"signal".into(), &sc.signal()?.into()).ok()?;
        let p: Promise = get.call1(&creds, &opts).ok()?.dyn_into().ok()?;
        let w = self.clone();
        spawn(async move {
            let cred = JsFuture::from(p).await.unwrap_or(JsValue::UNDEFINED);
            let code = Reflect::get(&cred, &"code".into())
                .ok()
                .and_then(|c| c.as_string());
            let input = w.st.borrow().fields.first().map(|f| f.input.clone());
            if let (false, Some(code), Some(input)) = (sc.is_cancelled(), code, input) {
                dom::set_value(&input, &code);
                w.submit(false);
            }
        });
        Some(())
    }
}

/// `run`'s outcomes: signed in, a code went out by email or phone, or
/// ready for an email link (the link wait: expired).
const DONE: u8 = 0;
const EMAIL: u8 = 1;
const PHONE: u8 = 2;
const LINK: u8 = 3;

/// A user action.
enum Op {
    /// Send (or resend) a code to this identifier.
    Send(String, Channel),
    /// Create the sign-up with these `(field, value)` pairs, then send its
    /// first code (or, when `true` and the email is next, get ready for a link).
    Create(Vec<(&'static str, String)>, bool),
    /// Sign-in: start one for this identifier, to send it a link.
    Link(String),
    /// Check a code; then sign in, or send the sign-up's next code.
    Verify(String, Channel),
}

/// Every call the forms make on the page's `Clerk`, in one future (size).
async fn perform(clerk: Host, kind: Kind, op: Op) -> Result<u8, ClerkError> {
    let phone = |ch| ch == Channel::Phone;
    let sent = |ch| if phone(ch) { PHONE } else { EMAIL };
    // Sign-up: which identifier still needs its code.
    let next = |c: &Host| {
        let unverified = c.unverified_fields();
        let has = |f: &str| unverified.iter().any(|x| x == f);
        if has("phone_number") {
            Some(Channel::Phone)
        } else if has("email_address") {
            Some(Channel::Email)
        } else {
            None
        }
    };
    let code_api = |ch| {
        if phone(ch) {
            "signIn.phoneCode"
        } else {
            "signIn.emailCode"
        }
    };
    let send = match (kind, op) {
        (Kind::SignIn, Op::Send(id, ch)) => {
            let key = if phone(ch) {
                "phoneNumber"
            } else {
                "emailAddress"
            };
            clerk
                .call(&cat(code_api(ch), ".sendCode"), object(&[(key, &id)]))
                .await?;
            return Ok(sent(ch));
        }
        (Kind::SignIn, Op::Verify(code, ch)) => {
            clerk
                .call(
                    &cat(code_api(ch), ".verifyCode"),
                    object(&[("code", &code)]),
                )
                .await?;
            clerk.call("signIn.finalize", JsValue::UNDEFINED).await?;
            return Ok(DONE);
        }
        (Kind::SignIn, Op::Link(id)) => {
            clerk
                .call("signIn.create", object(&[("identifier", &id)]))
                .await?;
            return Ok(LINK);
        }
        (Kind::SignIn, Op::Create(..)) => return Ok(DONE),
        (Kind::SignUp, Op::Link(_)) => return Ok(LINK),
        (Kind::SignUp, Op::Send(_, ch)) => Some(ch),
        (Kind::SignUp, Op::Create(fields, link)) => {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            clerk.call("signUp.create", object(&pairs)).await?;
            let n = next(&clerk);
            if link && n == Some(Channel::Email) {
                return Ok(LINK);
            }
            n
        }
        (Kind::SignUp, Op::Verify(code, ch)) => {
            let path = if phone(ch) {
                "signUp.verifications.verifyPhoneCode"
            } else {
                "signUp.verifications.verifyEmailCode"
            };
            clerk.call(path, object(&[("code", &code)])).await?;
            next(&clerk)
        }
    };
    match send {
        Some(ch) => {
            let path = if phone(ch) {
                "signUp.verifications.sendPhoneCode"
            } else {
                "signUp.verifications.sendEmailCode"
            };
            clerk.call(path, JsValue::UNDEFINED).await?;
            Ok(sent(ch))
        }
        None => {
            clerk.call("signUp.finalize", JsValue::UNDEFINED).await?;
            Ok(DONE)
        }
    }
}
