//! The sign-in / sign-up form: a synchronous state machine (identifier → code
//! or email link → done) drawn into one root element. Its events arrive
//! through [`Form::event`]; each user action is a [`Job`] of
//! [`crate::core::form_plan`], whose engine operations it runs one at a time.

use std::rc::Rc;

use web_sys::Element;

use super::dom::{self, build, cat, find, find_all, flag, set, text};
use super::{driver, later, After, Event, Props};
use crate::core::engine::{Attempt, CallId};
use crate::core::errors::ClerkError;
use crate::core::flow::resend_available_at_ms;
use crate::core::form_plan::{Channel, Job, Kind, Next, Op, Outcome};
use crate::core::model::decode::{Decode, Source};
use crate::core::model::strategy;
use crate::core::model::Attribute;
use crate::core::phone::normalize_e164;
use crate::driver::Driver;
use crate::interop::Js;
use crate::page::now_ms;
use crate::timers::Timer;

/// Where the form is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Waiting for `clerk.load()`.
    Loading,
    /// Identifier (and, for sign-up, the required fields).
    Start,
    /// A code was sent over this channel.
    Code(Channel),
    /// The sign-in's second factor: its code was sent over this channel.
    Second(Channel),
    /// Waiting for the email link to be opened.
    Link,
    /// Signed in.
    Done,
}

/// The job in flight: `seq` tells its answers from stale ones; `resend`: a
/// resend from the code step (which stays).
struct Running {
    seq: u32,
    resend: bool,
    job: Job,
}

const PHONE_HINT: &str = "Include the country code, for example +1 555 555 0100.";
const REQUIRED: &str = "This field is required.";
const EXPIRED: &str = "The link has expired. Resend it to try again.";

/// A mounted sign-in or sign-up form.
pub(crate) struct Form {
    id: u32,
    ids: String,
    clerk: Rc<Driver>,
    kind: Kind,
    pub(crate) props: Props,
    pub(crate) root: Element,
    step: Step,
    method: Channel,
    identifier: String,
    busy: bool,
    sent_at: u64,
    resend_at: u64,
    seq: u32,
    job: Option<Running>,
    /// The resend countdown's next tick.
    timer: Option<Timer>,
    /// The email-link wait in progress (cancelled when the form moves on).
    wait: Option<CallId>,
}

impl Drop for Form {
    fn drop(&mut self) {
        self.cancel_wait();
    }
}

/// The instance's settings, read in place from `/v1/environment` (the few
/// fields the forms need; no full decode).
struct Settings(Js);

impl Settings {
    /// The settings of user attribute `name` (all off when absent).
    fn attr(&self, name: &str) -> Attribute {
        self.0
            .field("user_settings")
            .and_then(|u| u.field("attributes"))
            .and_then(|a| a.field(name))
            .map(|a| Attribute::decode(&a))
            .unwrap_or_default()
    }

    /// `strategy` is on for this form: sign-in by `name`, or its
    /// verification at sign-up.
    fn allows(&self, name: &str, kind: Kind, strategy: &str) -> bool {
        let a = self.attr(name);
        match kind {
            Kind::SignIn => a.allows_first_factor(strategy),
            Kind::SignUp => a.allows_verification(strategy),
        }
    }

    /// The attribute is enabled and required at sign-up.
    fn required(&self, name: &str) -> bool {
        let a = self.attr(name);
        a.enabled && a.required
    }

    fn app_name(&self) -> String {
        self.0
            .field("display_config")
            .and_then(|d| d.field("application_name"))
            .and_then(|n| n.string())
            .unwrap_or_default()
    }
}

/// `(email, phone)`: which identifiers this form may use.
fn channels(env: &Settings, kind: Kind) -> (bool, bool) {
    (
        env.allows(EMAIL_ADDRESS, kind, strategy::EMAIL_CODE),
        env.allows(PHONE_NUMBER, kind, strategy::PHONE_CODE),
    )
}

/// Whether the instance allows an email link for this form.
fn link_ok(env: &Settings, kind: Kind) -> bool {
    env.allows(EMAIL_ADDRESS, kind, strategy::EMAIL_LINK)
}

const EMAIL_ADDRESS: &str = "email_address";
const PHONE_NUMBER: &str = "phone_number";

/// Appends the pieces to the template.
fn push(t: &mut String, parts: &[&str]) {
    for p in parts {
        t.push_str(p);
    }
}

/// A text button with a `data-cw` action.
fn button(t: &mut String, act: &str, label: &str) {
    push(
        t,
        &[
            "<button class=cw-link type=button data-cw=",
            act,
            ">",
            label,
            "</button>",
        ],
    );
}

/// A labelled input with its hint and its own `aria-live` error line.
fn field(t: &mut String, name: &str, phone: bool) {
    let (label, attrs) = match name {
        "firstName" => ("First name", "autocomplete=given-name"),
        "lastName" => ("Last name", "autocomplete=family-name"),
        "code" => (
            "Verification code",
            "autocomplete=one-time-code inputmode=numeric enterkeyhint=done",
        ),
        _ if phone => ("Phone number", "type=tel autocomplete=tel"),
        _ => (
            "Email address",
            "type=email autocomplete=email spellcheck=false",
        ),
    };
    push(
        t,
        &[
            "<div class=cw-field><label class=cw-label for=@",
            name,
            ">",
            label,
            "</label><input class=cw-input id=@",
            name,
            " name=",
            name,
            " aria-describedby=\"",
        ],
    );
    if phone {
        push(t, &["@", name, "-hint "]);
    }
    push(t, &["@", name, "-err\" ", attrs, " />"]);
    if phone {
        push(
            t,
            &["<p class=cw-hint id=@", name, "-hint>", PHONE_HINT, "</p>"],
        );
    }
    push(
        t,
        &[
            "<p class=cw-err id=@",
            name,
            "-err aria-live=polite></p></div>",
        ],
    );
}

/// The heading (`extra`: more attributes).
fn heading(t: &mut String, title: &str, extra: &str) {
    push(t, &["<h2 class=cw-title id=@h", extra, ">", title, "</h2>"]);
}

/// The alert line and the submit button, closing the form.
fn submit_row(t: &mut String, label: &str) {
    push(
        t,
        &[
            "<p class=cw-alert id=@alert role=alert></p><button class=cw-btn type=submit>",
            label,
            "</button>",
        ],
    );
}

impl Form {
    /// Draws the form into a new root under `host`.
    pub(crate) fn mount(
        id: u32,
        ids: String,
        clerk: &Rc<Driver>,
        host: &Element,
        kind: Kind,
        props: Props,
    ) -> Option<Form> {
        let root = build(host, "<div class=cw-root></div>", "", &[])?;
        let mut f = Form {
            id,
            ids,
            clerk: clerk.clone(),
            kind,
            props,
            root,
            step: Step::Loading,
            method: Channel::Email,
            identifier: String::new(),
            busy: false,
            sent_at: 0,
            resend_at: 0,
            seq: 0,
            job: None,
            timer: None,
            wait: None,
        };
        f.render(Step::Loading, false);
        f.on_clerk_change();
        Some(f)
    }

    /// One event (see [`Event`]).
    pub(crate) fn event(&mut self, event: Event) -> After {
        match event {
            Event::Submit => return self.submit(false),
            Event::Action(a) if a == "close" => return After::Close,
            Event::Action(a) => return self.action(&a),
            Event::Changed => self.on_clerk_change(),
            Event::Timer => self.tick(),
            Event::Settled(seq, error) => return self.settled(seq, error),
            Event::Otp(code) => {
                if let (Step::Code(_) | Step::Second(_), Some(input)) =
                    (self.step, find(&self.root, "input"))
                {
                    dom::set_value(&input, &code);
                    return self.submit(false);
                }
            }
        }
        After::Stay
    }

    /// Where to go after success, if anything says: the page's own redirect
    /// parameters (query or hash, as a hosted page gets them), then the props,
    /// then the `load()` options.
    pub(crate) fn after_url(&self) -> Option<String> {
        use crate::core::redirect::RedirectUrls;
        let loc = web_sys::window().map(|w| w.location());
        let part = |hash: bool| {
            loc.as_ref()
                .and_then(|l| if hash { l.hash().ok() } else { l.search().ok() })
                .unwrap_or_default()
        };
        let r = RedirectUrls::from_params(&part(true))
            .or(RedirectUrls::from_params(&part(false)))
            .or(self.props.redirects.clone())
            .or(self.clerk.engine().options().redirects.clone());
        (r != RedirectUrls::default()).then(|| r.after(self.kind == Kind::SignUp).into())
    }

    /// The instance's settings, once loaded.
    fn env(&self) -> Option<Settings> {
        let engine = self.clerk.engine();
        let s = engine.state();
        s.environment.clone().filter(|_| s.loaded).map(Settings)
    }

    fn on_clerk_change(&mut self) {
        let signed_in = self.clerk.engine().state().session_id.is_some();
        let next = match self.step {
            Step::Loading if self.env().is_some() => {
                if signed_in {
                    Step::Done
                } else {
                    Step::Start
                }
            }
            Step::Done if !signed_in => Step::Start,
            Step::Start | Step::Code(_) | Step::Second(_) if signed_in && !self.busy => Step::Done,
            _ => return,
        };
        self.render(next, false);
    }

    fn cancel_wait(&mut self) {
        if let Some(id) = self.wait.take() {
            self.clerk.cancel(id);
        }
    }

    fn action(&mut self, act: &str) -> After {
        if self.busy {
            return After::Stay;
        }
        match act {
            "switch" => {
                self.method = match self.method {
                    Channel::Email => Channel::Phone,
                    Channel::Phone => Channel::Email,
                };
                self.render(Step::Start, true);
            }
            "back" => self.render(Step::Start, true),
            "resend" => match self.step {
                Step::Code(ch) => return self.start(Op::Send(self.identifier.clone(), ch), true),
                Step::Second(ch) => return self.start(Op::Send2(ch), true),
                _ => {}
            },
            "link" => return self.submit(true),
            "relink" => self.render(Step::Link, true),
            "code" => {
                driver::step(self.id, driver::STEP);
                self.cancel_wait();
                return self.start(Op::Send(self.identifier.clone(), Channel::Email), false);
            }
            _ => {}
        }
        After::Stay
    }

    // ---- drawing ---------------------------------------------------------

    fn render(&mut self, step: Step, focus: bool) {
        let mode = if matches!(
            step,
            Step::Code(Channel::Phone) | Step::Second(Channel::Phone)
        ) {
            driver::STEP_OTP
        } else {
            driver::STEP
        };
        driver::step(self.id, mode);
        self.cancel_wait();
        self.timer = None;
        self.step = step;
        self.job = None;
        text(&self.root, "");
        let ident = self.identifier.clone();
        // A sign-up's code step names the address its code went to (with an
        // email and a phone, the phone's code goes to the phone).
        let shown = {
            let engine = self.clerk.engine();
            let su = engine.state().sign_up_full();
            match (step, self.kind) {
                (Step::Code(Channel::Phone), Kind::SignUp) => su.and_then(|s| s.phone_number),
                (Step::Code(Channel::Email), Kind::SignUp) => su.and_then(|s| s.email_address),
                _ => None,
            }
        }
        .unwrap_or_else(|| ident.clone());
        let other = self.props.other_url.clone().unwrap_or_default();
        let (tpl, arg) = self.template(step);
        build(
            &self.root,
            &tpl,
            &self.ids,
            &[arg.as_deref().unwrap_or(&shown), &other],
        );
        if focus {
            if let Some(input) = find(&self.root, "input") {
                dom::focus(&input);
            }
        }
        match step {
            Step::Link => {
                if let Some(h) = find(&self.root, "h2") {
                    dom::focus(&h);
                }
                let here = web_sys::window()
                    .and_then(|w| w.location().href().ok())
                    .unwrap_or_default();
                self.start(Op::Wait(ident, here), false);
            }
            Step::Code(_) | Step::Second(_) => self.tick(),
            _ => {}
        }
    }

    /// The step's template; `{0}` is the identifier unless the second value
    /// says otherwise (the application's name), `{1}` the other form's URL.
    fn template(&mut self, step: Step) -> (String, Option<String>) {
        let sign_in = self.kind == Kind::SignIn;
        let mut t = String::new();
        let mut arg = None;
        match step {
            Step::Loading => t.push_str("<p class=cw-sub role=status>Loading…</p>"),
            Step::Done => {
                heading(
                    &mut t,
                    if sign_in {
                        "Signed in"
                    } else {
                        "Account created"
                    },
                    "",
                );
                t.push_str("<p class=cw-sub role=status>You are signed in.</p>");
            }
            Step::Code(ch) | Step::Second(ch) => {
                let second = matches!(step, Step::Second(_));
                heading(
                    &mut t,
                    match (second, ch) {
                        (true, _) => "Two-step verification",
                        (_, Channel::Email) => "Check your email",
                        (_, Channel::Phone) => "Check your phone",
                    },
                    "",
                );
                t.push_str(match (second, ch) {
                    (false, _) => "<p class=cw-sub>We sent a code to {0}.</p>",
                    (_, Channel::Phone) => {
                        "<p class=cw-sub>Enter the code we sent to your phone.</p>"
                    }
                    (_, Channel::Email) => {
                        "<p class=cw-sub>Enter the code we sent to your email.</p>"
                    }
                });
                t.push_str("<form class=cw-form novalidate>");
                field(&mut t, "code", false);
                submit_row(&mut t, "Verify");
                t.push_str("</form><p class=cw-note id=@note role=status></p><div class=cw-row>");
                button(&mut t, "resend", "Resend code");
                button(
                    &mut t,
                    "back",
                    if second {
                        "Start over"
                    } else {
                        "Use another email or phone"
                    },
                );
                t.push_str("</div>");
            }
            Step::Link => {
                heading(&mut t, "Check your email", " tabindex=-1");
                t.push_str("<p class=cw-sub id=@alert role=status aria-live=polite>We sent a link to {0}.</p><div class=cw-row>");
                button(&mut t, "relink", "Resend link");
                button(&mut t, "code", "Enter a code instead");
                button(&mut t, "back", "Cancel");
                t.push_str("</div>");
            }
            Step::Start => {
                let Some(env) = self.env() else {
                    return (t, arg);
                };
                let (email, phone) = channels(&env, self.kind);
                heading(
                    &mut t,
                    if sign_in {
                        "Sign in"
                    } else {
                        "Create your account"
                    },
                    "",
                );
                let app = env.app_name();
                if !app.is_empty() {
                    t.push_str("<p class=cw-sub>to continue to {0}</p>");
                    arg = Some(app);
                }
                if !email && phone {
                    self.method = Channel::Phone;
                } else if email && !phone {
                    self.method = Channel::Email;
                }
                let method = self.method;
                t.push_str("<form class=cw-form novalidate>");
                let mut toggle = email && phone;
                let mut link = method == Channel::Email && link_ok(&env, self.kind);
                if sign_in {
                    field(&mut t, "identifier", method == Channel::Phone);
                } else {
                    if env.required("first_name") {
                        field(&mut t, "firstName", false);
                    }
                    if env.required("last_name") {
                        field(&mut t, "lastName", false);
                    }
                    let need_email = email && env.required(EMAIL_ADDRESS);
                    let need_phone = phone && env.required(PHONE_NUMBER);
                    if need_email || need_phone {
                        toggle = false;
                        link = need_email && !need_phone && link_ok(&env, self.kind);
                        if need_email {
                            field(&mut t, "emailAddress", false);
                        }
                        if need_phone {
                            field(&mut t, "phoneNumber", true);
                        }
                    } else if email || phone {
                        match method {
                            Channel::Email => field(&mut t, "emailAddress", false),
                            Channel::Phone => field(&mut t, "phoneNumber", true),
                        }
                    }
                }
                submit_row(&mut t, "Continue");
                if link {
                    button(
                        &mut t,
                        "link",
                        if sign_in {
                            "Email me a sign-in link"
                        } else {
                            "Email me a verification link"
                        },
                    );
                }
                t.push_str("</form>");
                if toggle {
                    button(
                        &mut t,
                        "switch",
                        match method {
                            Channel::Email => "Use phone number instead",
                            Channel::Phone => "Use email address instead",
                        },
                    );
                }
                if self.props.other_url.is_some() {
                    t.push_str(if sign_in {
                        "<p class=cw-foot><span>Don’t have an account? </span><a class=cw-a href={1}>Sign up</a></p>"
                    } else {
                        "<p class=cw-foot><span>Already have an account? </span><a class=cw-a href={1}>Sign in</a></p>"
                    });
                }
            }
        }
        (t, arg)
    }

    /// The element `#<ids><name>` of this form.
    fn part(&self, name: &str) -> Option<Element> {
        find(&self.root, &cat(&cat("#", &self.ids), name))
    }

    // ---- state helpers ---------------------------------------------------

    fn set_busy(&mut self, busy: bool) {
        self.busy = busy;
        for b in find_all(&self.root, "button") {
            flag(&b, "disabled", busy);
        }
        if busy {
            set(&self.root, "aria-busy", "true");
        } else {
            flag(&self.root, "aria-busy", false);
        }
        self.tick();
    }

    fn clear_errors(&self) {
        for e in find_all(&self.root, ".cw-err,[id$=alert],[id$=note]") {
            text(&e, "");
        }
        for input in find_all(&self.root, "[aria-invalid]") {
            flag(&input, "aria-invalid", false);
        }
    }

    /// Shows `msg` under the field `name` (or in the form's alert when there
    /// is no such field).
    fn field_error(&self, name: &str, msg: &str) {
        // A global error (`name` ""): no element has the bare prefix as its id.
        match (self.part(name), self.part(&cat(name, "-err"))) {
            (Some(input), Some(err)) => {
                text(&err, msg);
                set(&input, "aria-invalid", "true");
            }
            _ => {
                if let Some(a) = self.part("alert") {
                    let mut s = a.text_content().unwrap_or_default();
                    if !s.is_empty() {
                        s.push(' ');
                    }
                    s.push_str(msg);
                    text(&a, &s);
                }
            }
        }
    }

    fn focus_invalid(&self) {
        let input = find(&self.root, "input[aria-invalid]").or_else(|| find(&self.root, "input"));
        if let Some(input) = input {
            dom::focus(&input);
        }
    }

    /// Shows the attempt's errors as the engine keeps them (`errors.fields`
    /// next to their inputs, `errors.global` in the alert), else `e`'s message.
    fn show_error(&self, e: &ClerkError) {
        let attempt = match self.kind {
            Kind::SignIn => Attempt::SignIn,
            Kind::SignUp => Attempt::SignUp,
        };
        // The browser's own words for a network failure ("Failed to fetch",
        // "NetworkError when attempting…") differ by browser: say it plainly.
        if let ClerkError::Network { .. } = e {
            self.field_error(
                "",
                "We could not reach the server. Check your connection and try again.",
            );
        } else {
            let errors =
                self.clerk.engine().state().attempts[attempt as usize].field_errors(attempt);
            for (name, item) in &errors.fields {
                self.field_error(name, item.display_message());
            }
            for item in &errors.global {
                self.field_error("", item.display_message());
            }
            if errors.is_empty() {
                self.field_error("", e.message());
            }
        }
        self.focus_invalid();
    }

    // ---- jobs ------------------------------------------------------------

    /// Starts a user action: buttons disabled meanwhile (not for the link
    /// wait, which can be cancelled), errors cleared.
    fn start(&mut self, op: Op, resend: bool) -> After {
        if !matches!(op, Op::Wait(..)) {
            self.clear_errors();
            self.set_busy(true);
        }
        self.seq += 1;
        self.job = Some(Running {
            seq: self.seq,
            resend,
            job: Job::new(op),
        });
        self.advance()
    }

    /// Runs the job's next operation, or finishes it.
    fn advance(&mut self) -> After {
        let Some(run) = &mut self.job else {
            return After::Stay;
        };
        let next = {
            let engine = self.clerk.engine();
            let su = engine.state().sign_up_full();
            let unverified = |f: &str| {
                su.as_ref()
                    .is_some_and(|s| s.unverified_fields.iter().any(|u| u == f))
            };
            // The sign-in waits for a second factor: over SMS where it can, else email.
            let second = engine
                .state()
                .sign_in_model()
                .filter(|si| si.status.needs_second_factor())
                .and_then(|si| {
                    let has = |s: &str| si.supported_second_factors.iter().any(|f| f.strategy == s);
                    if has(strategy::PHONE_CODE) {
                        Some(Channel::Phone)
                    } else if has(strategy::EMAIL_CODE) {
                        Some(Channel::Email)
                    } else {
                        None
                    }
                });
            run.job.next(self.kind, &unverified, second)
        };
        match next {
            Next::Call(call) => {
                let (id, seq) = (self.id, run.seq);
                let wait = call.op.waits_for_link();
                let reply = Box::new(move |r: Result<_, ClerkError>| {
                    later(id, Event::Settled(seq, r.err()));
                });
                let call = self.clerk.call(call, None, reply);
                if wait {
                    self.wait = Some(call);
                }
                After::Stay
            }
            Next::End(outcome) => self.finish(Ok(outcome)),
        }
    }

    /// Call `seq` of the job settled (`error`: `None` when it succeeded).
    fn settled(&mut self, seq: u32, error: Option<ClerkError>) -> After {
        let Some(run) = &mut self.job else {
            return After::Stay;
        };
        if run.seq != seq {
            return After::Stay;
        }
        if let Some(e) = error {
            // The link wait's expiry is an outcome, not an error.
            let expired =
                matches!(run.job.op, Op::Wait(..)) && matches!(e, ClerkError::EmailLink(_));
            return self.finish(if expired { Ok(Outcome::Link) } else { Err(e) });
        }
        run.job.stage += 1;
        self.advance()
    }

    /// The job ended: errors shown, or the next step.
    fn finish(&mut self, r: Result<Outcome, ClerkError>) -> After {
        let Some(run) = self.job.take() else {
            return After::Stay;
        };
        self.wait = None;
        if let Op::Wait(..) = run.job.op {
            self.clear_errors();
            match r {
                Ok(Outcome::Done) => return self.success(),
                Ok(Outcome::Second(ch)) => self.render(Step::Second(ch), true),
                Ok(_) => self.field_error("", EXPIRED),
                Err(e) => self.show_error(&e),
            }
            return After::Stay;
        }
        let now = now_ms();
        match &r {
            Ok(Outcome::Sent(_) | Outcome::Second(_)) => {
                self.sent_at = now;
                self.resend_at = resend_available_at_ms(now, None, now);
            }
            Err(e) if run.resend => {
                self.resend_at = resend_available_at_ms(self.sent_at, e.retry_after_secs(), now);
            }
            _ => {}
        }
        // Also redraws the resend countdown from the times just set.
        self.set_busy(false);
        match r {
            Ok(Outcome::Done) => return self.success(),
            Ok(Outcome::Link) => self.render(Step::Link, true),
            Ok(Outcome::Sent(ch)) if !run.resend => self.render(Step::Code(ch), true),
            Ok(Outcome::Second(ch)) if !run.resend => self.render(Step::Second(ch), true),
            Ok(Outcome::Sent(_) | Outcome::Second(_)) => {
                if let Some(n) = self.part("note") {
                    text(&n, "A new code was sent. Use the newest code.");
                }
            }
            Err(e) => self.show_error(&e),
        }
        After::Stay
    }

    /// The form was submitted (button, Enter, or WebOTP); `link`: by email link.
    fn submit(&mut self, link: bool) -> After {
        if self.busy {
            return After::Stay;
        }
        let Some(values) = self.read_fields() else {
            return After::Stay;
        };
        let op = match self.step {
            Step::Start => {
                let ident = values
                    .iter()
                    .find(|(n, _)| {
                        matches!(n.as_str(), "identifier" | "emailAddress" | "phoneNumber")
                    })
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                self.identifier = ident.clone();
                match self.kind {
                    Kind::SignIn if link => Op::Link(ident),
                    Kind::SignIn => Op::Send(ident, self.method),
                    Kind::SignUp => Op::Create(values, link),
                }
            }
            Step::Code(ch) | Step::Second(ch) => {
                let mut values = values;
                let code = values.pop().map(|(_, v)| v).unwrap_or_default();
                if self.step == Step::Second(ch) {
                    Op::Verify2(code, ch)
                } else {
                    Op::Verify(code, ch)
                }
            }
            _ => return After::Stay,
        };
        self.start(op, false)
    }

    /// Reads and checks the inputs: `(name, value)` pairs, phones normalised.
    fn read_fields(&self) -> Option<Vec<(String, String)>> {
        self.clear_errors();
        let mut out = Vec::new();
        let mut ok = true;
        for input in find_all(&self.root, "input") {
            let name = input.get_attribute("name").unwrap_or_default();
            let mut v = dom::value(&input).trim().to_string();
            if name == "code" {
                v.retain(|c| c.is_ascii_digit());
            }
            let problem = if v.is_empty() {
                Some(REQUIRED)
            } else if input.get_attribute("type").as_deref() == Some("tel") {
                match normalize_e164(&v) {
                    Ok(n) => {
                        dom::set_value(&input, &n);
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
                if let Some(err) = self.part(&cat(&name, "-err")) {
                    text(&err, msg);
                }
                set(&input, "aria-invalid", "true");
            }
            out.push((name, v));
        }
        if !ok {
            self.focus_invalid();
            return None;
        }
        Some(out)
    }

    fn success(&mut self) -> After {
        self.render(Step::Done, false);
        After::Success
    }

    /// Updates the resend button; while it counts down, ticks again in a second.
    fn tick(&mut self) {
        let Some(b) = find(&self.root, "[data-cw=resend]") else {
            return;
        };
        let left = self.resend_at.saturating_sub(now_ms()).div_ceil(1000);
        let mut s = String::from("Resend code");
        if left > 0 {
            s.push_str(" in ");
            dom::push_num(&mut s, left);
            s.push_str(" s");
            let id = self.id;
            self.timer = Some(
                self.clerk
                    .timers()
                    .timeout(1000, move || later(id, Event::Timer)),
            );
        }
        text(&b, &s);
        flag(&b, "disabled", left > 0 || self.busy);
    }
}
