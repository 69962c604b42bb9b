//! Calls in progress. Each [`Task`] is one user call: a short program of
//! requests decided by the flow functions of [`crate::flow`] from the state
//! and the call's parameters, resumed by each answer. Shared steps: `load()`
//! (one for every caller), activating a session (touch, then its token), and
//! reloading the client.

use super::net::{Owner, Reply};
use super::ops::{Call, Op, Resource};
use super::state::{Attempt, AttemptStatus, Raw};
use super::{Broadcast, CallId, Cmd, Engine, Output, ReqId, TimerId};
use crate::endpoints::{self, client, environment, me, sessions, sign_ins, sign_ups};
use crate::errors::{precondition, ClerkError};
use crate::flow::email_link::{
    absolute_redirect_url, landing_outcome, query_string, strip_link_params, LandingOutcome,
    CREATED_SESSION_PARAM, STATUS_PARAM,
};
use crate::flow::sign_in::{self as sign_in_flow, Delivery, SendPlan, Target};
use crate::flow::{require_session, sign_up as sign_up_flow, Finalize};
use crate::model::decode::Source;
use crate::model::strategy;
use crate::request::{Form, FormValue, Request};
use crate::url::parse_query;

/// What resumes a task.
#[derive(Debug)]
pub(super) enum Input<V> {
    /// The answer to the request it waits for.
    Reply(Reply<V>),
    /// The token it waits for.
    Token(Result<String, ClerkError>),
    /// `load()` finished.
    Loaded(Result<(), ClerkError>),
    /// Its poll timer fired.
    Timer,
}

/// Where a task is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// Waiting for its main request.
    Main,
    /// Waiting for the sign-in it creates first.
    Create,
    /// Waiting for `GET /client`.
    ReloadClient,
    /// Activating a session: waiting for the touch.
    Touch,
    /// Waiting for a token.
    Token,
    /// Waiting for `load()`.
    Loading,
    /// An email-link wait between polls.
    Sleep,
    /// An email-link wait: a poll in flight.
    Poll,
}

/// One call in progress.
#[derive(Debug)]
pub(super) struct Task {
    pub(super) id: CallId,
    pub(super) call: Call,
    pub(super) phase: Phase,
    /// The session being activated, removed or finalized.
    pub(super) sid: Option<String>,
    /// An email-link wait's target.
    pub(super) watch: Option<super::link::Watch>,
    /// A nudge arrived during a poll: poll again at once.
    pub(super) nudged: bool,
    /// An email-link wait told to back off (429 `Retry-After`): no poll, nudged
    /// or not, before this time (ms).
    pub(super) hold_until_ms: u64,
    /// `signOut`: the active session ends; landing: the client was reloaded once.
    pub(super) flag: bool,
}

impl Task {
    /// An email-link wait between or during polls (the tab is watched).
    pub(super) fn watches_tab(&self) -> bool {
        matches!(self.phase, Phase::Sleep | Phase::Poll)
    }
}

/// What a task does next.
pub(super) enum Step<V> {
    /// It waits (for an answer, a token, `load()` or its timer).
    Wait,
    /// It is over.
    Done(Result<Output<V>, ClerkError>),
}

/// The shared `load()`: the environment and the client, fetched together.
#[derive(Debug)]
pub(super) struct LoadJob<V> {
    env_req: ReqId,
    client_req: ReqId,
    env: Option<V>,
    client: Option<Option<V>>,
    waiters: Vec<CallId>,
}

/// The attempt a newer-API call tracks.
fn attempt_of(op: Op) -> Option<Attempt> {
    match op.resource() {
        Resource::SignIn => Some(Attempt::SignIn),
        Resource::SignUp => Some(Attempt::SignUp),
        _ => None,
    }
}

/// `{ response }` of an envelope (a resource) — a decode error when absent.
pub(super) fn response<V: Source>(body: Option<V>) -> Result<V, ClerkError> {
    body.and_then(|b| b.field("response"))
        .ok_or_else(ClerkError::decode_failed)
}

impl<V: Source + Clone> Engine<V> {
    pub(super) fn start(&mut self, id: CallId, call: Call, now_ms: u64) {
        if call.tracked {
            if let Some(a) = attempt_of(call.op) {
                self.state.attempts[a as usize] = AttemptStatus {
                    fetching: true,
                    error: None,
                };
                self.dirty = true;
            }
        }
        let task = Task {
            id,
            call,
            phase: Phase::Main,
            sid: None,
            watch: None,
            nudged: false,
            hold_until_ms: 0,
            flag: false,
        };
        self.run(task, None, now_ms);
    }

    /// Resumes call `id` with `input` (a call that is gone ignores it).
    pub(super) fn resume(&mut self, id: CallId, input: Input<V>, now_ms: u64) {
        if let Some(i) = self.tasks.iter().position(|t| t.id == id) {
            let task = self.tasks.remove(i);
            self.run(task, Some(input), now_ms);
        }
    }

    fn run(&mut self, mut task: Task, input: Option<Input<V>>, now_ms: u64) {
        let step = match input {
            None => self.begin(&mut task, now_ms),
            Some(input) => self.advance(&mut task, input, now_ms),
        };
        match step {
            Step::Wait => self.tasks.push(task),
            Step::Done(result) => self.finish(task, result),
        }
    }

    /// Settles a task; a tracked one leaves its status for `fetchStatus`/`errors`.
    pub(super) fn finish(&mut self, task: Task, result: Result<Output<V>, ClerkError>) {
        if task.call.tracked {
            if let Some(a) = attempt_of(task.call.op) {
                self.state.attempts[a as usize] = AttemptStatus {
                    fetching: false,
                    error: result.as_ref().err().cloned(),
                };
                self.dirty = true;
            }
        }
        self.settle(task.id, result);
    }

    /// Cancels call `id` with `error`: its requests, timer and waits go.
    pub(super) fn cancel_task(&mut self, id: CallId, error: ClerkError) {
        let Some(i) = self.tasks.iter().position(|t| t.id == id) else {
            return;
        };
        let task = self.tasks.remove(i);
        for req in self.net.owned_by(Owner::Task(id)) {
            self.abort(req);
        }
        if task.watch.is_some() {
            self.push(Cmd::ClearTimer(TimerId::Poll(id)));
        }
        if let Some(load) = &mut self.load {
            crate::list::remove_where(&mut load.waiters, |w| *w == id);
        }
        self.tokens.forget_waiter(id);
        self.finish(task, Err(error));
    }

    fn begin(&mut self, t: &mut Task, now_ms: u64) -> Step<V> {
        match self.plan(t, now_ms) {
            Ok(step) => step,
            Err(e) => Step::Done(Err(e)),
        }
    }

    /// The first step of a call (preconditions fail here; nothing is sent).
    fn plan(&mut self, t: &mut Task, now_ms: u64) -> Result<Step<V>, ClerkError> {
        let op = t.call.op;
        if op.waits_for_link() {
            return self.begin_link(t, now_ms);
        }
        let req = match op {
            Op::Load => {
                if !t.call.form.is_empty() {
                    self.options = super::Options::from_form(&t.call.form);
                }
                if self.state.loaded {
                    return Ok(Step::Done(Ok(Output::None)));
                }
                self.join_load(t.id);
                t.phase = Phase::Loading;
                return Ok(Step::Wait);
            }
            Op::SetActive => {
                let Some(sid) = t.call.param("session").map(String::from) else {
                    self.state.session_id = None;
                    self.dirty = true;
                    self.navigate(t.call.param("redirect_url"));
                    return Ok(Step::Done(Ok(Output::None)));
                };
                if !self.state.is_signed_in_session(&sid) {
                    return Err(precondition::SESSION_NOT_FOUND);
                }
                return Ok(self.activate(t, sid));
            }
            Op::SignOut => {
                let signed_in = self.state.signed_in_ids();
                match t.call.param("session_id") {
                    Some(sid) if signed_in.len() != 1 => {
                        if !signed_in.contains(&sid) {
                            return Ok(Step::Done(Ok(Output::Flag(false))));
                        }
                        t.flag = self.state.session_id.as_deref() == Some(sid);
                        t.sid = Some(sid.into());
                        sessions::remove(sid)?
                    }
                    _ => {
                        t.flag = true;
                        client::delete_sessions()
                    }
                }
            }
            Op::GetToken => {
                let active = self.state.session_id.clone();
                let asked = t.call.param("session");
                let sid = match (active, asked) {
                    (Some(a), Some(s)) if a == s => a,
                    (Some(a), None) => a,
                    _ => return Ok(Step::Done(Ok(Output::None))),
                };
                let template = t.call.param("template").map(String::from);
                let skip = t.call.param("skip_cache") == Some("true");
                return Ok(match self.token_for(t.id, &sid, template, skip) {
                    Some(r) => Step::Done(r.map(Output::Text)),
                    None => {
                        t.phase = Phase::Token;
                        Step::Wait
                    }
                });
            }
            Op::ReloadClient => {
                t.phase = Phase::ReloadClient;
                client::get()
            }
            Op::HandleEmailLink => return self.begin_landing(t),
            Op::CreateEmailAddress => {
                me::create_email_address(t.call.param("email_address").unwrap_or("").trim())
            }
            Op::SignInReset | Op::SignUpReset => {
                if op == Op::SignInReset {
                    self.state.sign_in = None;
                    self.state.attempts[0] = AttemptStatus::default();
                } else {
                    self.state.sign_up = None;
                    self.state.attempts[1] = AttemptStatus::default();
                }
                self.dirty = true;
                return Ok(Step::Done(Ok(Output::None)));
            }
            Op::SignInFinalize | Op::SignUpFinalize => {
                let view = &self.state.client_view;
                let plan = if op == Op::SignInFinalize {
                    sign_in_flow::finalize_sign_in(self.state.sign_in_model(), view)?
                } else {
                    sign_up_flow::finalize_sign_up(self.state.sign_up_model(), view)?
                };
                return Ok(match plan {
                    Finalize::SetActive(sid) => self.activate(t, sid),
                    Finalize::ReloadClientThenSetActive(sid) => {
                        t.sid = Some(sid);
                        t.phase = Phase::ReloadClient;
                        self.send(Owner::Task(t.id), client::get(), false);
                        Step::Wait
                    }
                });
            }
            Op::SignInSendCode => {
                let (delivery, target) = self.send_code_args(&t.call);
                match sign_in_flow::plan_send(self.state.sign_in_model(), delivery, target)? {
                    SendPlan::Prepare(r) => r,
                    SendPlan::CreateThenPrepare(r) => {
                        t.phase = Phase::Create;
                        self.with_locale(r)
                    }
                }
            }
            Op::SignInSendLink => {
                let email = t.call.param("email_address");
                let current = self.state.sign_in_model().and_then(|s| {
                    s.identifier
                        .as_deref()
                        .filter(|_| !s.id.is_empty())
                        .map(String::from)
                });
                match email {
                    Some(e)
                        if current
                            .as_deref()
                            .is_none_or(|c| !sign_in_flow::same_identifier(c, e)) =>
                    {
                        t.phase = Phase::Create;
                        self.with_locale(sign_in_flow::create_with_identifier(e.trim()))
                    }
                    _ => self.sign_in_link_prepare(&t.call)?,
                }
            }
            _ => self.resource_request(&t.call)?,
        };
        self.send(Owner::Task(t.id), req, false);
        Ok(Step::Wait)
    }

    /// `(delivery, target)` of `signIn.{phone,email}Code.sendCode`.
    fn send_code_args<'c>(&self, call: &'c Call) -> (Delivery<'c>, Target<'c>) {
        if call.param("strategy") == Some(strategy::PHONE_CODE) {
            (
                Delivery::PhoneCode {
                    channel: Some(call.param("channel").unwrap_or("sms")),
                },
                Target {
                    identifier: call.param("phone_number"),
                    identifier_id: call.param("phone_number_id"),
                },
            )
        } else {
            (
                Delivery::EmailCode,
                Target {
                    identifier: call.param("email_address"),
                    identifier_id: call.param("email_address_id"),
                },
            )
        }
    }

    /// The email-link prepare of the current sign-in.
    pub(super) fn sign_in_link_prepare(&self, call: &Call) -> Result<Request, ClerkError> {
        let url = self.absolute(
            call.param("verification_url")
                .or(call.param("redirect_url"))
                .unwrap_or(""),
        )?;
        let si = self
            .state
            .sign_in_model()
            .filter(|s| !s.id.is_empty())
            .ok_or(precondition::SIGN_IN_MISSING)?;
        let factor =
            crate::flow::email_link::sign_in_link_factor(si, call.param("email_address_id"))?;
        sign_in_flow::prepare_email_link(Some(si), factor, &url)
    }

    /// A redirect URL made absolute against the page (`invalid_redirect_url`).
    pub(super) fn absolute(&self, url: &str) -> Result<String, ClerkError> {
        absolute_redirect_url(url, self.page.origin.as_deref())
    }

    /// `locale` on creates, as ClerkJS sends it (unless given).
    fn with_locale(&self, mut req: Request) -> Request {
        if let Some(l) = &self.page.locale {
            if !req.form.iter().any(|(k, _)| k == "locale") {
                req.form.push(("locale".into(), l.clone()));
            }
        }
        req
    }

    /// The form of an email-link prepare: `strategy=email_link` and the
    /// page's `redirect_url` made absolute.
    pub(super) fn link_form(&self, redirect_url: Option<&str>) -> Result<Form, ClerkError> {
        let url = self.absolute(redirect_url.unwrap_or(""))?;
        Ok(Form::new()
            .set("strategy", strategy::EMAIL_LINK)
            .set("redirect_url", url))
    }

    /// The single request of a sign-in, sign-up or email-address operation:
    /// which FAPI call each operation makes, and the form it sends (the
    /// caller's parameters, or one the operation fixes).
    fn resource_request(&self, call: &Call) -> Result<Request, ClerkError> {
        use crate::request::Method::{Get, Patch, Post};
        use endpoints::{
            ATTEMPT_FIRST_FACTOR, ATTEMPT_SECOND_FACTOR, ATTEMPT_VERIFICATION as ATTEMPT,
            PREPARE_FIRST_FACTOR, PREPARE_SECOND_FACTOR, PREPARE_VERIFICATION as PREPARE,
        };
        let code = call.param("code").unwrap_or("");
        let strat = call.param("strategy").unwrap_or("");
        let code_form = |strategy| Some(crate::flow::code_form(strategy, code));
        let (method, suffix, fixed) = match call.op {
            Op::SignInCreate | Op::SignUpCreate => (Post, "", None),
            Op::SignInMfaSend => {
                let delivery = if strat == strategy::PHONE_CODE {
                    Delivery::PhoneCode { channel: None }
                } else {
                    Delivery::EmailCode
                };
                let si = self.state.sign_in_model();
                return sign_in_flow::prepare_second(si, delivery, Target::default());
            }
            Op::SignInReload | Op::SignUpReload | Op::EmailReload => (Get, "", None),
            Op::SignInPrepareFirstFactor => (Post, PREPARE_FIRST_FACTOR, None),
            Op::SignInAttemptFirstFactor => (Post, ATTEMPT_FIRST_FACTOR, None),
            Op::SignInVerifyCode => (Post, ATTEMPT_FIRST_FACTOR, code_form(strat)),
            Op::SignInPrepareSecondFactor => (Post, PREPARE_SECOND_FACTOR, None),
            Op::SignInAttemptSecondFactor => (Post, ATTEMPT_SECOND_FACTOR, None),
            Op::SignInMfaVerify => (Post, ATTEMPT_SECOND_FACTOR, code_form(strat)),
            Op::SignUpUpdate => (Patch, "", None),
            Op::SignUpPrepare | Op::EmailPrepare => (Post, PREPARE, None),
            Op::SignUpSendPhoneCode => {
                let channel = call.param("channel").unwrap_or("sms");
                let form = Form::new()
                    .set("strategy", strategy::PHONE_CODE)
                    .set("channel", channel);
                (Post, PREPARE, Some(form))
            }
            Op::SignUpSendEmailCode => {
                let form = Form::new().set("strategy", strategy::EMAIL_CODE);
                (Post, PREPARE, Some(form))
            }
            Op::SignUpSendLink => {
                let form = self.link_form(call.param("verification_url"))?;
                (Post, PREPARE, Some(form))
            }
            Op::SignUpAttempt => (Post, ATTEMPT, None),
            Op::SignUpVerifyPhoneCode => (Post, ATTEMPT, code_form(strategy::PHONE_CODE)),
            Op::SignUpVerifyEmailCode => (Post, ATTEMPT, code_form(strategy::EMAIL_CODE)),
            Op::EmailAttempt => (Post, ATTEMPT, Some(Form::new().set("code", code))),
            _ => return Err(precondition::INVALID_ID),
        };
        let form = match fixed {
            Some(form) => form,
            None => {
                let mut form = call.form.clone();
                // A link's redirect URL is made absolute against the page.
                if form.get("strategy") == Some(strategy::EMAIL_LINK) {
                    if let Some(url) = form.take("redirect_url") {
                        form.push("redirect_url", FormValue::Str(self.absolute(&url)?));
                    }
                }
                if call.op == Op::EmailPrepare && !form.contains("strategy") {
                    form.push("strategy", FormValue::Str(strategy::EMAIL_CODE.into()));
                }
                form
            }
        };
        match call.op {
            Op::SignInCreate => return Ok(self.with_locale(sign_ins::create(form))),
            Op::SignUpCreate => return Ok(self.with_locale(sign_ups::create(form))),
            _ => {}
        }
        let (base, id) = match call.op.resource() {
            Resource::SignIn => (
                sign_ins::BASE,
                sign_in_flow::require_id(self.state.sign_in_model())?,
            ),
            Resource::SignUp => (
                sign_ups::BASE,
                sign_up_flow::require_id(self.state.sign_up_model())?,
            ),
            _ => (me::EMAILS, call.target.as_deref().unwrap_or_default()),
        };
        endpoints::at(method, base, id, suffix, form)
    }

    fn advance(&mut self, t: &mut Task, input: Input<V>, now_ms: u64) -> Step<V> {
        match input {
            Input::Reply(reply) => match t.phase {
                Phase::Main => self.main_reply(t, reply, now_ms),
                Phase::Create => self.created(t, reply),
                Phase::ReloadClient => self.client_reloaded(t, reply),
                Phase::Touch => self.touched(t, reply),
                Phase::Poll => self.polled(t, reply, now_ms),
                _ => Step::Wait,
            },
            Input::Token(result) => match t.call.op {
                Op::GetToken => Step::Done(result.map(Output::Text)),
                _ => self.activated(t, result),
            },
            Input::Loaded(Err(e)) => Step::Done(Err(e)),
            Input::Loaded(Ok(())) => match t.call.op {
                Op::HandleEmailLink => {
                    self.strip_landing(&Self::landing_params(t));
                    self.decide_landing(t)
                }
                _ => Step::Done(Ok(Output::None)),
            },
            Input::Timer => self.poll_link(t),
        }
    }

    /// The answer to a call's main request.
    fn main_reply(&mut self, t: &mut Task, reply: Reply<V>, now_ms: u64) -> Step<V> {
        let body = match reply {
            Ok(b) => b,
            Err(e) => return Step::Done(Err(e)),
        };
        if t.call.op == Op::SignOut {
            if let Some(sid) = &t.sid {
                self.state.tokens.remove_session(sid);
            } else {
                self.state.session_id = None;
                self.state.tokens.clear();
                if let Some(c) = body.and_then(|b| b.field("response")).filter(|c| {
                    c.field("object").and_then(|o| o.string()).as_deref() == Some("client")
                }) {
                    self.state.apply_client(Some(c));
                }
            }
            self.dirty = true;
            self.announce_client(false);
            if t.flag {
                self.navigate(t.call.param("redirect_url"));
            }
            return Step::Done(Ok(Output::Flag(t.flag)));
        }
        let resource = match response(body) {
            Ok(r) => r,
            Err(e) => return Step::Done(Err(e)),
        };
        self.store(t, resource.clone());
        if t.watch.is_some() {
            return self.begin_wait(t, now_ms);
        }
        Step::Done(Ok(Output::Json(resource)))
    }

    /// Keeps an operation's answer as its resource.
    pub(super) fn store(&mut self, t: &Task, resource: V) {
        match t.call.op.resource() {
            Resource::SignIn => self.state.sign_in = Some(Raw::decode(resource)),
            Resource::SignUp => self.state.sign_up = Some(Raw::decode(resource)),
            Resource::EmailAddress | Resource::Clerk => {
                let id = resource
                    .field("id")
                    .and_then(|i| i.string())
                    .or_else(|| t.call.target.clone())
                    .unwrap_or_default();
                crate::list::remove_where(&mut self.state.email_addresses, |(i, _)| *i == id);
                self.state.email_addresses.push((id, resource));
            }
        }
        self.dirty = true;
    }

    /// The sign-in a send created: now its prepare.
    fn created(&mut self, t: &mut Task, reply: Reply<V>) -> Step<V> {
        let created = match reply.and_then(response) {
            Ok(r) => r,
            Err(e) => return Step::Done(Err(e)),
        };
        self.store(t, created);
        let req = if t.call.op == Op::SignInSendLink {
            self.sign_in_link_prepare(&t.call)
        } else {
            let (delivery, target) = self.send_code_args(&t.call);
            match self.state.sign_in_model() {
                Some(si) => sign_in_flow::prepare(si, delivery, target),
                None => Err(precondition::SIGN_IN_MISSING),
            }
        };
        match req {
            Ok(req) => {
                t.phase = Phase::Main;
                self.send(Owner::Task(t.id), req, false);
                Step::Wait
            }
            Err(e) => Step::Done(Err(e)),
        }
    }

    /// `GET /client` answered (reload, finalize, landing).
    fn client_reloaded(&mut self, t: &mut Task, reply: Reply<V>) -> Step<V> {
        let body = match reply {
            Ok(b) => b,
            Err(e) => return Step::Done(Err(e)),
        };
        let client = body.as_ref().and_then(|b| b.field("response"));
        if body.is_none() {
            return Step::Done(Err(ClerkError::decode_failed()));
        }
        self.state.apply_client(client.clone());
        self.dirty = true;
        match t.call.op {
            Op::HandleEmailLink => self.decide_landing(t),
            Op::SignInFinalize | Op::SignUpFinalize => {
                let sid = t.sid.clone().unwrap_or_default();
                match require_session(&self.state.client_view, &sid) {
                    Ok(()) => self.activate(t, sid),
                    Err(e) => Step::Done(Err(e)),
                }
            }
            _ => Step::Done(Ok(client.map_or(Output::None, Output::Json))),
        }
    }

    /// Activates `sid`: touch it, then have its token; only then is it the
    /// active session (listeners hear of it with its token already cached,
    /// as ClerkJS's `setActive` warms the token before it emits).
    fn activate(&mut self, t: &mut Task, sid: String) -> Step<V> {
        let req = match sessions::touch(&sid, None, "select_session") {
            Ok(r) => r,
            Err(e) => return Step::Done(Err(e)),
        };
        t.sid = Some(sid);
        t.phase = Phase::Touch;
        self.send(Owner::Task(t.id), req, false);
        Step::Wait
    }

    fn touched(&mut self, t: &mut Task, reply: Reply<V>) -> Step<V> {
        if let Err(e) = reply {
            return Step::Done(Err(e));
        }
        let sid = t.sid.clone().unwrap_or_default();
        if !self.state.is_signed_in_session(&sid) {
            return Step::Done(Err(precondition::SESSION_NOT_FOUND));
        }
        match self.token_for(t.id, &sid, None, false) {
            Some(r) => self.activated(t, r),
            None => {
                t.phase = Phase::Token;
                Step::Wait
            }
        }
    }

    /// The session has its token: it is the active one; the call is done.
    fn activated(&mut self, t: &mut Task, token: Result<String, ClerkError>) -> Step<V> {
        if let Err(e) = token {
            return Step::Done(Err(e));
        }
        let sid = t.sid.clone().unwrap_or_default();
        if !self.state.is_signed_in_session(&sid) {
            return Step::Done(Err(precondition::SESSION_NOT_FOUND));
        }
        self.state.session_id = Some(sid);
        self.dirty = true;
        self.announce_client(true);
        if t.call.op == Op::HandleEmailLink {
            self.navigate(t.call.param("redirect_url_complete"));
            return Step::Done(Ok(Output::Text("verified".into())));
        }
        self.navigate(t.call.param("redirect_url"));
        Step::Done(Ok(Output::None))
    }

    /// Tells the other tabs on this client that this one signed in or out.
    fn announce_client(&mut self, signed_in: bool) {
        if let Some(client) = self.state.client_id() {
            let app = self.app_scope();
            self.push(Cmd::Post(Broadcast::ClientChanged {
                app,
                client,
                signed_in,
            }));
        }
    }

    /// Sends the page to `url` (if any) once the call settles; a URL that
    /// could run script goes to `/` instead ([`crate::redirect::navigable`]).
    fn navigate(&mut self, url: Option<&str>) {
        if let Some(u) = url {
            let u = if crate::redirect::navigable(u) {
                u
            } else {
                "/"
            };
            self.after.push(Cmd::Navigate(u.into()));
        }
    }

    // ---- load -----------------------------------------------------------------------

    /// Joins the `load()` in progress, or starts it.
    fn join_load(&mut self, waiter: CallId) {
        if let Some(job) = &mut self.load {
            job.waiters.push(waiter);
            return;
        }
        let env = if self.key.is_development() {
            environment::touch()
        } else {
            environment::get()
        };
        let env_req = self.send(Owner::Load, env, false);
        let client_req = self.send(Owner::Load, client::get(), false);
        self.load = Some(LoadJob {
            env_req,
            client_req,
            env: None,
            client: None,
            waiters: vec![waiter],
        });
    }

    pub(super) fn load_reply(&mut self, req: ReqId, reply: Reply<V>, now_ms: u64) {
        let Some(mut job) = self.load.take() else {
            return;
        };
        let failed = match reply {
            Ok(Some(body)) if req == job.env_req => {
                job.env = Some(body);
                None
            }
            Ok(Some(body)) if req == job.client_req => {
                job.client = Some(body.field("response"));
                None
            }
            Ok(_) => Some(ClerkError::decode_failed()),
            Err(e) => Some(e),
        };
        if let Some(e) = failed {
            self.state.load_failed = !self.state.loaded;
            self.dirty = true;
            for other in [job.env_req, job.client_req] {
                self.abort(other);
            }
            for w in job.waiters {
                self.resume(w, Input::Loaded(Err(e.clone())), now_ms);
            }
            return;
        }
        if job.env.is_none() || job.client.is_none() {
            self.load = Some(job);
            return;
        }
        let (Some(env), Some(client)) = (job.env, job.client) else {
            return;
        };
        self.state.environment = Some(env);
        self.state.apply_client(client);
        self.state.session_id = self.state.client_view.pick_active().map(String::from);
        self.state.loaded = true;
        self.state.load_failed = false;
        self.dirty = true;
        for w in job.waiters {
            self.resume(w, Input::Loaded(Ok(())), now_ms);
        }
    }

    /// The client reload another tab asked for: sessions ended there end here;
    /// with no active session, the one the client marks active is taken (as
    /// `load()` does). A failure leaves the state as it was.
    pub(super) fn synced(&mut self, reply: Reply<V>) {
        let again = self.sync.take().is_some_and(|(_, again)| again);
        if let Ok(Some(body)) = reply {
            self.state.apply_client(body.field("response"));
            if self.state.session_id.is_none() {
                self.state.session_id = self.state.client_view.pick_active().map(String::from);
            }
            self.dirty = true;
        }
        if again {
            self.start_sync();
        }
    }

    /// Sends the client reload another tab asked for.
    pub(super) fn start_sync(&mut self) {
        let req = self.send(Owner::Sync, client::get(), false);
        self.sync = Some((req, false));
    }

    // ---- the email link's landing page ------------------------------------------------

    fn landing_params(t: &Task) -> Vec<(String, String)> {
        parse_query(t.call.target.as_deref().unwrap_or(""))
    }

    /// `handleEmailLinkVerification`: tells the waiting tabs, fails on an
    /// unsuccessful link before loading anything, loads when needed, clears the
    /// link's parameters from the address bar (once loaded), then decides.
    fn begin_landing(&mut self, t: &mut Task) -> Result<Step<V>, ClerkError> {
        let params = Self::landing_params(t);
        let status = params
            .iter()
            .find(|(k, _)| k == STATUS_PARAM)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        self.push(Cmd::Post(Broadcast::EmailLink { status }));
        let outcome = landing_outcome(&params, &super::state::ClientView::default());
        if outcome.is_ok() && !self.state.loaded {
            // The parameters stay in the address bar until the client is loaded:
            // if loading fails, reloading the page can still finish the flow.
            self.join_load(t.id);
            t.phase = Phase::Loading;
            return Ok(Step::Wait);
        }
        self.strip_landing(&params);
        match outcome {
            Err(code) => Err(ClerkError::EmailLink(code)),
            Ok(LandingOutcome::Transferable) => {
                Ok(Step::Done(Ok(Output::Text("transferable".into()))))
            }
            Ok(_) => Ok(self.decide_landing(t)),
        }
    }

    /// Takes the link's parameters out of the address bar.
    pub(super) fn strip_landing(&mut self, params: &[(String, String)]) {
        if params
            .iter()
            .any(|(k, _)| k == STATUS_PARAM || k == CREATED_SESSION_PARAM)
        {
            let kept = query_string(&strip_link_params(params));
            self.push(Cmd::ReplaceQuery(kept));
        }
    }

    fn decide_landing(&mut self, t: &mut Task) -> Step<V> {
        let params = Self::landing_params(t);
        let outcome = match landing_outcome(&params, &self.state.client_view) {
            Ok(o) => o,
            Err(code) => return Step::Done(Err(ClerkError::EmailLink(code))),
        };
        let text = match outcome {
            LandingOutcome::VerifiedOnOtherDevice
                if !t.flag
                    && params
                        .iter()
                        .any(|(k, v)| k == CREATED_SESSION_PARAM && !v.is_empty()) =>
            {
                // The click may have completed this client's attempt after it loaded.
                t.flag = true;
                t.phase = Phase::ReloadClient;
                self.send(Owner::Task(t.id), client::get(), false);
                return Step::Wait;
            }
            LandingOutcome::VerifiedSessionHere(sid) => {
                if self.state.session_id.as_deref() != Some(sid.as_str()) {
                    return self.activate(t, sid);
                }
                self.navigate(t.call.param("redirect_url_complete"));
                "verified"
            }
            LandingOutcome::ContinueHere => {
                self.navigate(t.call.param("redirect_url"));
                "continue"
            }
            LandingOutcome::VerifiedOnOtherDevice => "verified_on_other_device",
            LandingOutcome::Transferable => "transferable",
        };
        Step::Done(Ok(Output::Text(text.into())))
    }
}
