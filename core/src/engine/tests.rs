//! The engine against a scripted Frontend API and a fake clock: every
//! command is recorded, answers are given by hand, timers fire when the
//! clock passes them.

use serde_json::{json, Value};

use super::*;
use crate::jwt::tests::jwt;
use crate::request::Form;

const DEV_KEY: &str = "pk_test_MTI3LjAuMC4xOjQwMTAk"; // 127.0.0.1:4010
const T0: u64 = 1_767_225_600_000;

#[derive(Debug, Clone)]
struct Sent {
    req: ReqId,
    method: &'static str,
    url: String,
    body: Option<String>,
    credentials: bool,
}

impl Sent {
    fn path(&self) -> &str {
        let rest = &self.url["http://127.0.0.1:4010/v1".len()..];
        rest.split('?').next().unwrap()
    }
    fn query(&self, key: &str) -> Option<String> {
        let q = self.url.split_once('?')?.1;
        crate::url::parse_query(q)
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
}

struct H {
    e: Engine<Value>,
    now: u64,
    /// Requests on the wire, not answered yet.
    wire: Vec<Sent>,
    /// Every request sent, in order.
    log: Vec<Sent>,
    timers: Vec<(TimerId, u64)>,
    cookies: Vec<(&'static str, String)>,
    posts: Vec<Broadcast>,
    done: Vec<(CallId, Result<Output<Value>, ClerkError>)>,
    notifies: usize,
    navigations: Vec<String>,
    queries: Vec<String>,
    aborted: Vec<ReqId>,
    watching: bool,
}

fn config(key: &str, db: Option<&str>) -> Config {
    Config {
        publishable_key: key.into(),
        proxy_url: None,
        page: Page {
            origin: Some("http://localhost:3000".into()),
            host: "localhost:3000".into(),
            secure: false,
            locale: Some("en-US".into()),
        },
        dev_browser_jwt: db.map(Into::into),
    }
}

impl H {
    fn new(db: Option<&str>) -> H {
        H {
            e: Engine::new(config(DEV_KEY, db)).unwrap(),
            now: T0,
            wire: Vec::new(),
            log: Vec::new(),
            timers: Vec::new(),
            cookies: Vec::new(),
            posts: Vec::new(),
            done: Vec::new(),
            notifies: 0,
            navigations: Vec::new(),
            queries: Vec::new(),
            aborted: Vec::new(),
            watching: false,
        }
    }

    fn drain(&mut self) {
        while let Some(cmd) = self.e.poll() {
            match cmd {
                Cmd::Send {
                    req,
                    method,
                    url,
                    body,
                    credentials,
                } => {
                    let s = Sent {
                        req,
                        method,
                        url,
                        body,
                        credentials,
                    };
                    self.wire.push(s.clone());
                    self.log.push(s);
                }
                Cmd::Abort(req) => {
                    self.wire.retain(|s| s.req != req);
                    self.aborted.push(req);
                }
                Cmd::SetTimer { timer, ms } => {
                    self.timers.retain(|(t, _)| *t != timer);
                    self.timers.push((timer, self.now + u64::from(ms)));
                }
                Cmd::ClearTimer(timer) => self.timers.retain(|(t, _)| *t != timer),
                Cmd::Cookie { name, value, .. } => self.cookies.push((name, value)),
                Cmd::Post(b) => self.posts.push(b),
                Cmd::WatchTab(w) => self.watching = w,
                Cmd::Notify => self.notifies += 1,
                Cmd::Done { call, result } => self.done.push((call, result)),
                Cmd::Navigate(u) => self.navigations.push(u),
                Cmd::ReplaceQuery(q) => self.queries.push(q),
            }
        }
    }

    fn call(&mut self, op: Op, form: Form) -> CallId {
        let id = self.e.call(Call::new(op, form), self.now);
        self.drain();
        id
    }

    fn call_with(&mut self, call: Call) -> CallId {
        let id = self.e.call(call, self.now);
        self.drain();
        id
    }

    /// The oldest request on the wire whose path is `path`.
    fn pending(&self, path: &str) -> Sent {
        self.wire
            .iter()
            .find(|s| s.path() == path)
            .cloned()
            .unwrap_or_else(|| panic!("no request for {path}; on the wire: {:?}", self.paths()))
    }

    fn paths(&self) -> Vec<String> {
        self.wire.iter().map(|s| s.path().to_string()).collect()
    }

    fn answer(&mut self, path: &str, status: u16, body: Option<Value>) -> Sent {
        self.answer_with(path, status, body, None)
    }

    fn answer_with(
        &mut self,
        path: &str,
        status: u16,
        body: Option<Value>,
        retry_after: Option<&str>,
    ) -> Sent {
        let s = self.pending(path);
        self.wire.retain(|w| w.req != s.req);
        let answer = Answer::Response {
            status,
            body,
            retry_after: retry_after.map(Into::into),
            dev_browser_jwt: None,
        };
        self.e.http(s.req, answer, self.now);
        self.drain();
        s
    }

    fn fail(&mut self, path: &str) -> Sent {
        let s = self.pending(path);
        self.wire.retain(|w| w.req != s.req);
        self.e
            .http(s.req, Answer::Failed("Failed to fetch".into()), self.now);
        self.drain();
        s
    }

    /// Moves the clock, firing due timers in order.
    fn advance(&mut self, ms: u64) {
        let end = self.now + ms;
        loop {
            let next = self
                .timers
                .iter()
                .filter(|(_, at)| *at <= end)
                .min_by_key(|(_, at)| *at)
                .copied();
            let Some((timer, at)) = next else { break };
            self.now = self.now.max(at);
            self.timers.retain(|(t, _)| *t != timer);
            self.e.timer(timer, self.now);
            self.drain();
        }
        self.now = end;
    }

    fn result(&self, id: CallId) -> Option<&Result<Output<Value>, ClerkError>> {
        self.done.iter().find(|(c, _)| *c == id).map(|(_, r)| r)
    }

    fn ok(&self, id: CallId) -> &Output<Value> {
        match self.result(id) {
            Some(Ok(o)) => o,
            other => panic!("call {id}: {other:?}"),
        }
    }

    fn err(&self, id: CallId) -> &ClerkError {
        match self.result(id) {
            Some(Err(e)) => e,
            other => panic!("call {id} did not fail: {other:?}"),
        }
    }

    fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// `reloadClient()` answered with `client`, then `setActive` of its first
    /// session (touched).
    fn answer_client_then_activate(&mut self, client: &Value) {
        self.call(Op::ReloadClient, Form::new());
        self.answer("/client", 200, Some(json!({ "response": client })));
        let sid = client["sessions"][0]["id"].as_str().unwrap().to_string();
        let id = self.call(Op::SetActive, Form::new().set("session", sid.as_str()));
        let touch = format!("/client/sessions/{sid}/touch");
        self.answer(
            &touch,
            200,
            Some(json!({ "response": {}, "client": client })),
        );
        assert_eq!(self.ok(id), &Output::None);
    }

    /// A loaded engine with this client.
    fn loaded(client: Value) -> H {
        let mut h = H::new(Some("db_jwt_1"));
        let id = h.call(Op::Load, Form::new());
        h.answer("/environment", 200, Some(environment()));
        h.answer("/client", 200, Some(json!({ "response": client })));
        assert_eq!(h.ok(id), &Output::None);
        h
    }
}

fn environment() -> Value {
    json!({ "object": "environment", "auth_config": {}, "display_config": { "application_name": "Test" } })
}

fn token(sid: &str, exp_ms: u64) -> String {
    jwt(&format!(
        r#"{{"sid":"{sid}","iat":{},"exp":{}}}"#,
        (exp_ms - 60_000) / 1000,
        exp_ms / 1000
    ))
}

fn session(id: &str, status: &str, jwt: Option<&str>) -> Value {
    json!({
        "object": "session", "id": id, "status": status,
        "user": { "id": "user_1", "first_name": "Ada", "email_addresses": [], "phone_numbers": [] },
        "last_active_token": jwt.map(|j| json!({ "object": "token", "jwt": j })),
    })
}

fn client(sessions: Vec<Value>) -> Value {
    json!({ "object": "client", "id": "client_1", "sessions": sessions,
            "last_active_session_id": null, "updated_at": T0, "sign_in": null, "sign_up": null })
}

fn sign_in(status: &str, extra: Value) -> Value {
    let mut v = json!({
        "object": "sign_in_attempt", "id": "sia_1", "status": status, "identifier": "+15555550100",
        "supported_first_factors": [
            { "strategy": "phone_code", "safe_identifier": "+15555550100", "phone_number_id": "idn_phone" },
            { "strategy": "email_link", "safe_identifier": "a@example.test", "email_address_id": "idn_mail" }
        ],
        "supported_second_factors": [
            { "strategy": "phone_code", "safe_identifier": "+15555550100", "phone_number_id": "idn_phone" },
            { "strategy": "email_link", "safe_identifier": "a@example.test", "email_address_id": "idn_mail" }
        ],
        "first_factor_verification": null, "second_factor_verification": null,
        "created_session_id": null,
    });
    if let (Some(o), Some(x)) = (v.as_object_mut(), extra.as_object()) {
        for (k, val) in x {
            o.insert(k.clone(), val.clone());
        }
    }
    v
}

fn sign_up(email_status: Option<&str>, expire_at: u64) -> Value {
    json!({
        "object": "sign_up_attempt", "id": "sua_1", "status": "missing_requirements",
        "email_address": "a@example.test",
        "verifications": { "email_address": email_status.map(|s| json!({ "status": s, "strategy": "email_link", "expire_at": expire_at })) },
        "unverified_fields": ["email_address"],
    })
}

fn envelope(response: Value) -> Option<Value> {
    Some(json!({ "response": response, "client": null }))
}

fn api_error(code: &str, param: Option<&str>) -> Option<Value> {
    Some(
        json!({ "errors": [{ "code": code, "message": "m", "long_message": "long", "meta": { "param_name": param } }] }),
    )
}

// ---- load and the dev-browser handshake ----------------------------------------------

#[test]
fn load_makes_one_dev_browser_then_fetches_environment_and_client_together() {
    let mut h = H::new(None);
    let a = h.call(Op::Load, Form::new());
    let b = h.call(Op::Load, Form::new());
    assert_eq!(
        h.paths(),
        ["/dev_browser"],
        "everything waits for one handshake"
    );
    let hs = h.answer("/dev_browser", 200, Some(json!({ "id": "db_1" })));
    assert!(!hs.credentials, "the handshake goes without credentials");
    assert_eq!(h.cookie("__clerk_db_jwt"), Some("db_1"));
    assert_eq!(h.paths(), ["/environment", "/client"]);
    let env = h.pending("/environment");
    assert_eq!(
        env.method, "POST",
        "development instances touch the environment"
    );
    assert_eq!(env.query("_method").as_deref(), Some("PATCH"));
    assert_eq!(env.query("__clerk_db_jwt").as_deref(), Some("db_1"));
    assert!(env.credentials);
    h.answer("/environment", 200, Some(environment()));
    assert!(h.result(a).is_none(), "load waits for both answers");
    let jwt = token("sess_1", T0 + 60_000);
    let c = client(vec![session("sess_1", "active", Some(&jwt))]);
    h.answer("/client", 200, Some(json!({ "response": c })));
    assert_eq!(h.ok(a), &Output::None);
    assert_eq!(h.ok(b), &Output::None);
    assert!(h.e.state().loaded);
    assert_eq!(h.e.state().session_id.as_deref(), Some("sess_1"));
    assert_eq!(h.cookie("__session"), Some(jwt.as_str()));
    assert_eq!(h.cookie("__client_uat").map(str::len), Some(10));
    assert_eq!(h.log.len(), 3, "one handshake, one environment, one client");
    assert_eq!(h.notifies, 1);
}

#[test]
fn a_failed_load_fails_every_caller_and_a_second_load_starts_again() {
    let mut h = H::new(Some("db"));
    let a = h.call(Op::Load, Form::new());
    h.answer("/environment", 502, None);
    assert_eq!(h.err(a).status(), Some(502));
    assert!(
        h.wire.is_empty(),
        "the client request was aborted: {:?}",
        h.paths()
    );
    let b = h.call(Op::Load, Form::new());
    h.answer("/environment", 200, Some(environment()));
    h.answer("/client", 200, Some(json!({ "response": null })));
    assert_eq!(h.ok(b), &Output::None);
    assert!(h.e.state().client.is_none());
}

#[test]
fn dev_browser_unauthenticated_renews_the_dev_browser_once_and_resends() {
    let mut h = H::loaded(client(vec![]));
    let id = h.call(
        Op::SignInCreate,
        Form::new().set("identifier", "+15555550100"),
    );
    h.answer(
        "/client/sign_ins",
        401,
        api_error("dev_browser_unauthenticated", None),
    );
    assert_eq!(
        h.cookie("__clerk_db_jwt"),
        Some(""),
        "the stale JWT is dropped"
    );
    h.answer("/dev_browser", 200, Some(json!({ "id": "db_2" })));
    let again = h.pending("/client/sign_ins");
    assert_eq!(again.query("__clerk_db_jwt").as_deref(), Some("db_2"));
    h.answer(
        "/client/sign_ins",
        401,
        api_error("dev_browser_unauthenticated", None),
    );
    assert_eq!(
        h.err(id).code(),
        "dev_browser_unauthenticated",
        "renewed once, then the error"
    );
}

// ---- requests: retries, deadlines, bodies ------------------------------------------

#[test]
fn gets_are_retried_on_network_failures_posts_never() {
    let mut h = H::loaded(client(vec![]));
    h.call(
        Op::SignInCreate,
        Form::new().set("identifier", "+15555550100"),
    );
    h.answer(
        "/client/sign_ins",
        200,
        envelope(sign_in("needs_first_factor", json!({}))),
    );
    let reload = h.call(Op::SignInReload, Form::new());
    h.fail("/client/sign_ins/sia_1");
    assert_eq!(
        h.pending("/client/sign_ins/sia_1")
            .query("_clerk_retry_attempt")
            .as_deref(),
        Some("1"),
        "the first retry goes at once"
    );
    h.fail("/client/sign_ins/sia_1");
    assert!(h.wire.is_empty());
    h.advance(699);
    assert!(h.wire.is_empty(), "the second retry waits 700 ms");
    h.advance(1);
    h.fail("/client/sign_ins/sia_1");
    h.advance(1_400);
    h.fail("/client/sign_ins/sia_1");
    assert_eq!(h.err(reload).code(), "network_error", "four tries in all");
    let post = h.call(Op::SignInAttemptFirstFactor, Form::new().set("code", "1"));
    h.fail("/client/sign_ins/sia_1/attempt_first_factor");
    assert_eq!(h.err(post).code(), "network_error");
    assert!(h.wire.is_empty(), "a POST is never retried");
}

#[test]
fn a_stalled_request_is_aborted_and_fails_after_the_deadline() {
    let mut h = H::loaded(client(vec![]));
    let id = h.call(
        Op::SignInCreate,
        Form::new().set("identifier", "x@example.test"),
    );
    let s = h.pending("/client/sign_ins");
    h.advance(u64::from(REQUEST_TIMEOUT_MS) - 1);
    assert!(h.result(id).is_none());
    h.advance(1);
    assert_eq!(h.err(id).code(), "network_error");
    assert_eq!(h.aborted, [s.req]);
    // A late answer is ignored.
    h.e.http(
        s.req,
        Answer::Response {
            status: 200,
            body: envelope(sign_in("needs_first_factor", json!({}))),
            retry_after: None,
            dev_browser_jwt: None,
        },
        h.now,
    );
    h.drain();
    assert!(h.e.state().sign_in.is_none());
    assert_eq!(h.done.iter().filter(|(c, _)| *c == id).count(), 1);
}

#[test]
fn error_answers_become_typed_errors() {
    let mut h = H::loaded(client(vec![]));
    let a = h.call(
        Op::SignInCreate,
        Form::new().set("identifier", "+15555550100"),
    );
    h.answer_with(
        "/client/sign_ins",
        429,
        api_error("too_many_requests", None),
        Some("17"),
    );
    let e = h.err(a);
    assert_eq!(
        (e.code(), e.status(), e.retry_after_secs()),
        ("too_many_requests", Some(429), Some(17))
    );
    let b = h.call(
        Op::SignInCreate,
        Form::new().set("identifier", "+15555550100"),
    );
    h.answer("/client/sign_ins", 502, None); // an HTML page: no JSON body
    assert_eq!(
        (h.err(b).status(), h.err(b).code()),
        (Some(502), "api_error")
    );
    let c = h.call(
        Op::SignInCreate,
        Form::new().set("identifier", "+15555550100"),
    );
    h.answer("/client/sign_ins", 200, Some(json!(["garbage"])));
    assert_eq!(h.err(c).code(), "decode_error", "a 200 without a resource");
    let d = h.call(
        Op::SignInCreate,
        Form::new().set("identifier", "+15555550100"),
    );
    h.answer("/client/sign_ins", 200, None);
    assert_eq!(h.err(d).code(), "decode_error", "an empty 200");
    assert!(h.e.state().sign_in.is_none(), "nothing half-applied");
}

// ---- sign-in and sign-up -------------------------------------------------------------

#[test]
fn send_code_creates_then_prepares_and_tracks_the_attempt() {
    let mut h = H::loaded(client(vec![]));
    let form = Form::new()
        .set("strategy", "phone_code")
        .set("phone_number", "+1 (555) 555-0100");
    let id = h.call_with(Call::new(Op::SignInSendCode, form).tracked());
    assert!(h.e.state().attempts[0].fetching);
    let create = h.answer(
        "/client/sign_ins",
        200,
        envelope(sign_in("needs_first_factor", json!({}))),
    );
    assert_eq!(
        create.body.as_deref(),
        Some("identifier=%2B15555550100&locale=en-US")
    );
    let prepare = h.answer(
        "/client/sign_ins/sia_1/prepare_first_factor",
        200,
        envelope(sign_in("needs_first_factor", json!({}))),
    );
    assert_eq!(
        prepare.body.as_deref(),
        Some("phone_number_id=idn_phone&strategy=phone_code&channel=sms")
    );
    assert!(matches!(h.ok(id), Output::Json(_)));
    assert!(!h.e.state().attempts[0].fetching);
    // Same identifier again: only the prepare.
    h.call_with(
        Call::new(
            Op::SignInSendCode,
            Form::new()
                .set("strategy", "phone_code")
                .set("phone_number", "+15555550100"),
        )
        .tracked(),
    );
    assert_eq!(h.paths(), ["/client/sign_ins/sia_1/prepare_first_factor"]);
}

#[test]
fn each_resource_operation_sends_its_fapi_call() {
    let mut h = H::loaded(client(vec![]));
    h.call(
        Op::SignInCreate,
        Form::new().set("identifier", "+15555550100"),
    );
    h.answer(
        "/client/sign_ins",
        200,
        envelope(sign_in("needs_first_factor", json!({}))),
    );
    h.call(
        Op::SignUpCreate,
        Form::new().set("email_address", "a@example.test"),
    );
    h.answer("/client/sign_ups", 200, envelope(sign_up(None, T0)));
    let si = "/client/sign_ins/sia_1";
    let su = "/client/sign_ups/sua_1";
    let em = "/me/email_addresses/idn_mail";
    let f = |pairs: &[(&str, &str)]| pairs.iter().fold(Form::new(), |f, (k, v)| f.set(k, *v));
    let email =
        json!({ "object": "email_address", "id": "idn_mail", "email_address": "a@example.test" });
    // (operation, its form, the path after the resource, `_method`, the body sent)
    type Row = (
        Op,
        Form,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
    );
    let rows: &[Row] = &[
        (
            Op::SignInPrepareFirstFactor,
            f(&[("strategy", "phone_code"), ("phone_number_id", "idn_phone")]),
            "/prepare_first_factor",
            None,
            Some("strategy=phone_code&phone_number_id=idn_phone"),
        ),
        (
            Op::SignInAttemptFirstFactor,
            f(&[("strategy", "phone_code"), ("code", "123456")]),
            "/attempt_first_factor",
            None,
            Some("strategy=phone_code&code=123456"),
        ),
        (
            Op::SignInVerifyCode,
            f(&[("strategy", "phone_code"), ("code", " 424242 "), ("x", "y")]),
            "/attempt_first_factor",
            None,
            Some("strategy=phone_code&code=424242"),
        ),
        (
            Op::SignInPrepareSecondFactor,
            f(&[("strategy", "phone_code")]),
            "/prepare_second_factor",
            None,
            Some("strategy=phone_code"),
        ),
        (
            Op::SignInMfaSend,
            f(&[("strategy", "phone_code")]),
            "/prepare_second_factor",
            None,
            Some("phone_number_id=idn_phone&strategy=phone_code"),
        ),
        (
            Op::SignInAttemptSecondFactor,
            f(&[("strategy", "totp"), ("code", "1")]),
            "/attempt_second_factor",
            None,
            Some("strategy=totp&code=1"),
        ),
        (
            Op::SignInMfaVerify,
            f(&[("strategy", "totp"), ("code", "123456\n")]),
            "/attempt_second_factor",
            None,
            Some("strategy=totp&code=123456"),
        ),
        (Op::SignInReload, Form::new(), "", None, None),
        (
            Op::SignUpUpdate,
            f(&[("username", "ada")]),
            "",
            Some("PATCH"),
            Some("username=ada"),
        ),
        (
            Op::SignUpPrepare,
            f(&[("strategy", "email_code")]),
            "/prepare_verification",
            None,
            Some("strategy=email_code"),
        ),
        (
            Op::SignUpSendPhoneCode,
            Form::new(),
            "/prepare_verification",
            None,
            Some("strategy=phone_code&channel=sms"),
        ),
        (
            Op::SignUpSendPhoneCode,
            f(&[("channel", "whatsapp")]),
            "/prepare_verification",
            None,
            Some("strategy=phone_code&channel=whatsapp"),
        ),
        (
            Op::SignUpSendEmailCode,
            f(&[("x", "y")]),
            "/prepare_verification",
            None,
            Some("strategy=email_code"),
        ),
        (
            Op::SignUpSendLink,
            f(&[("verification_url", "/verify")]),
            "/prepare_verification",
            None,
            Some("strategy=email_link&redirect_url=http%3A%2F%2Flocalhost%3A3000%2Fverify"),
        ),
        (
            Op::SignUpAttempt,
            f(&[("strategy", "email_code"), ("code", "1")]),
            "/attempt_verification",
            None,
            Some("strategy=email_code&code=1"),
        ),
        (
            Op::SignUpVerifyPhoneCode,
            f(&[("code", " 123456\n")]),
            "/attempt_verification",
            None,
            Some("strategy=phone_code&code=123456"),
        ),
        (
            Op::SignUpVerifyEmailCode,
            f(&[("code", "654321")]),
            "/attempt_verification",
            None,
            Some("strategy=email_code&code=654321"),
        ),
        (Op::SignUpReload, Form::new(), "", None, None),
        (
            Op::EmailPrepare,
            Form::new(),
            "/prepare_verification",
            None,
            Some("strategy=email_code"),
        ),
        (
            Op::EmailPrepare,
            f(&[("strategy", "email_link"), ("redirect_url", "/v")]),
            "/prepare_verification",
            None,
            Some("strategy=email_link&redirect_url=http%3A%2F%2Flocalhost%3A3000%2Fv"),
        ),
        (
            Op::EmailAttempt,
            f(&[("code", "1"), ("x", "y")]),
            "/attempt_verification",
            None,
            Some("code=1"),
        ),
        (Op::EmailReload, Form::new(), "", None, None),
    ];
    for (op, form, suffix, method, body) in rows {
        let mut call = Call::new(*op, form.clone());
        let (base, answer) = match op.resource() {
            Resource::SignIn => (si, sign_in("needs_first_factor", json!({}))),
            Resource::SignUp => (su, sign_up(None, T0)),
            _ => {
                call = call.with_target("idn_mail");
                (em, email.clone())
            }
        };
        let id = h.call_with(call);
        let path = format!("{base}{suffix}");
        let sent = h.answer(&path, 200, envelope(answer));
        let wire = if body.is_some() { "POST" } else { "GET" };
        assert_eq!(
            (
                sent.method,
                sent.query("_method").as_deref(),
                sent.body.as_deref()
            ),
            (wire, *method, *body),
            "{op:?}"
        );
        assert!(matches!(h.ok(id), Output::Json(_)), "{op:?}");
    }
    // An email-address operation without a target sends nothing.
    let sent = h.log.len();
    let id = h.call(Op::EmailAttempt, f(&[("code", "1")]));
    assert_eq!(h.err(id).code(), "invalid_id");
    assert_eq!(h.log.len(), sent);
}

#[test]
fn calls_on_a_missing_attempt_fail_without_sending() {
    let mut h = H::loaded(client(vec![]));
    let sent = h.log.len();
    let a = h.call(
        Op::SignInPrepareFirstFactor,
        Form::new().set("strategy", "phone_code"),
    );
    let b = h.call(Op::SignUpAttempt, Form::new().set("code", "1"));
    let c = h.call_with(Call::new(Op::SignInVerifyCode, Form::new().set("code", "1")).tracked());
    assert_eq!(h.err(a).code(), "sign_in_missing");
    assert_eq!(h.err(b).code(), "sign_up_missing");
    assert_eq!(h.err(c).code(), "sign_in_missing");
    for op in [
        Op::SignInMfaVerify,
        Op::SignUpSendPhoneCode,
        Op::SignUpSendEmailCode,
        Op::SignUpSendLink,
        Op::SignUpVerifyPhoneCode,
        Op::SignUpVerifyEmailCode,
    ] {
        let form = Form::new().set("code", "1").set("verification_url", "/v");
        let id = h.call(op, form);
        let missing = if op.resource() == Resource::SignIn {
            "sign_in_missing"
        } else {
            "sign_up_missing"
        };
        assert_eq!(h.err(id).code(), missing, "{op:?}");
    }
    assert_eq!(
        h.e.state().attempts[0].field_errors(Attempt::SignIn).global[0].code,
        "sign_in_missing"
    );
    assert_eq!(h.log.len(), sent);
}

#[test]
fn tracked_errors_are_routed_to_fields() {
    let mut h = H::loaded(client(vec![]));
    let id =
        h.call_with(Call::new(Op::SignInCreate, Form::new().set("identifier", "nobody")).tracked());
    h.answer(
        "/client/sign_ins",
        422,
        api_error("form_identifier_not_found", Some("identifier")),
    );
    assert_eq!(h.err(id).code(), "form_identifier_not_found");
    let errors = h.e.state().attempts[0].field_errors(Attempt::SignIn);
    assert_eq!(
        errors.field("identifier").unwrap().code,
        "form_identifier_not_found"
    );
}

#[test]
fn finalize_reloads_the_client_when_the_session_is_not_on_it_then_activates() {
    let mut h = H::loaded(client(vec![]));
    h.call(
        Op::SignInCreate,
        Form::new().set("identifier", "+15555550100"),
    );
    h.answer(
        "/client/sign_ins",
        200,
        envelope(sign_in(
            "complete",
            json!({ "created_session_id": "sess_9" }),
        )),
    );
    let id = h.call(Op::SignInFinalize, Form::new().set("redirect_url", "/home"));
    let jwt = token("sess_9", T0 + 60_000);
    h.answer(
        "/client",
        200,
        Some(json!({ "response": client(vec![session("sess_9", "active", Some(&jwt))]) })),
    );
    let touch = h.answer(
        "/client/sessions/sess_9/touch",
        200,
        Some(json!({ "response": {}, "client": client(vec![session("sess_9", "active", Some(&jwt))]) })),
    );
    assert_eq!(
        touch.body.as_deref(),
        Some("active_organization_id=&intent=select_session")
    );
    assert_eq!(h.ok(id), &Output::None, "the token came from the cache");
    assert_eq!(h.navigations, ["/home"]);
    assert_eq!(h.e.state().session_id.as_deref(), Some("sess_9"));
    assert_eq!(h.cookie("__session"), Some(jwt.as_str()));
}

#[test]
fn set_active_rejects_an_unknown_session_and_sign_out_ends_it() {
    let jwt = token("sess_1", T0 + 60_000);
    let mut h = H::loaded(client(vec![session("sess_1", "active", Some(&jwt))]));
    let bad = h.call(Op::SetActive, Form::new().set("session", "sess_x"));
    assert_eq!(h.err(bad).code(), "session_not_found");
    let out = h.call(Op::SignOut, Form::new());
    let sent = h.answer(
        "/client/sessions",
        200,
        Some(json!({ "response": client(vec![session("sess_1", "ended", None)]) })),
    );
    assert_eq!(sent.query("_method").as_deref(), Some("DELETE"));
    assert_eq!(h.ok(out), &Output::Flag(true));
    assert_eq!(h.e.state().session_id, None);
    assert_eq!(h.cookie("__session"), Some(""));
    assert_eq!(h.cookie("__client_uat"), Some("0"));
}

#[test]
fn a_script_url_is_never_navigated_to_the_page_root_is() {
    let jwt = token("sess_1", T0 + 60_000);
    let mut h = H::loaded(client(vec![session("sess_1", "active", Some(&jwt))]));
    let out = h.call(
        Op::SignOut,
        Form::new().set("redirect_url", " java\tscript:alert(document.cookie)"),
    );
    h.answer(
        "/client/sessions",
        200,
        Some(json!({ "response": client(vec![session("sess_1", "ended", None)]) })),
    );
    assert_eq!(h.ok(out), &Output::Flag(true));
    assert_eq!(h.navigations, ["/"]);
}

#[test]
fn signing_out_tells_the_other_tabs_which_reload_their_client() {
    let jwt = token("sess_1", T0 + 60_000);
    let signed_in = || client(vec![session("sess_1", "active", Some(&jwt))]);
    let ended = || Some(json!({ "response": client(vec![session("sess_1", "ended", None)]) }));
    // Tab A signs out and says so (its application and client, no token).
    let mut a = H::loaded(signed_in());
    let app = a.e.app_scope();
    let out = a.call(Op::SignOut, Form::new());
    a.answer("/client/sessions", 200, ended());
    assert_eq!(a.ok(out), &Output::Flag(true));
    let said = Broadcast::ClientChanged {
        app: app.clone(),
        client: "client_1".into(),
        signed_in: false,
    };
    assert_eq!(a.posts, [said]);

    // Tab B, signed in with the same session on the same client, hears it.
    let mut b = H::loaded(signed_in());
    let before = b.notifies;
    b.e.client_changed_elsewhere("another_app", "client_1", b.now);
    b.e.client_changed_elsewhere(&app, "client_2", b.now);
    b.drain();
    assert!(
        b.wire.is_empty(),
        "another application's or client's message is ignored"
    );
    b.e.client_changed_elsewhere(&app, "client_1", b.now);
    b.e.client_changed_elsewhere(&app, "client_1", b.now);
    b.drain();
    assert_eq!(b.paths(), ["/client"], "one reload at a time");
    b.answer("/client", 200, ended());
    assert_eq!(
        b.paths(),
        ["/client"],
        "a message during the reload: one more after it"
    );
    assert_eq!(b.e.state().session_id, None, "the session ended here too");
    assert_eq!(b.cookie("__session"), Some(""));
    assert!(b.notifies > before, "listeners heard of it");
    // The second reload fails on every try (a GET: four in all).
    b.fail("/client");
    b.fail("/client");
    b.advance(700);
    b.fail("/client");
    b.advance(1_400);
    b.fail("/client");
    assert!(
        b.wire.is_empty() && b.e.live() == [0, 0, 0],
        "a failed reload leaves nothing behind"
    );
    assert!(
        b.posts.is_empty(),
        "a tab that only heard of it tells nobody"
    );

    // Before `load()` there is nothing to reload.
    let mut c = H::new(Some("db_jwt_1"));
    c.e.client_changed_elsewhere(&app, "client_1", c.now);
    c.drain();
    assert!(c.wire.is_empty());
}

#[test]
fn a_tab_without_a_client_yet_takes_the_one_signed_in_elsewhere() {
    let mut a = H::loaded(client(vec![]));
    let app = a.e.app_scope();
    let jwt = token("sess_2", T0 + 60_000);
    let with_session = client(vec![session("sess_2", "active", Some(&jwt))]);
    a.answer_client_then_activate(&with_session);
    // Tab B loaded before the browser had a client: another application's
    // message is ignored; its own application's makes it fetch its client.
    let mut b = H::loaded(Value::Null);
    b.e.client_changed_elsewhere("https://other.example.com x", "client_1", b.now);
    b.drain();
    assert!(
        b.wire.is_empty(),
        "another application's message is ignored"
    );
    b.e.client_changed_elsewhere(&app, "client_1", b.now);
    b.drain();
    b.answer("/client", 200, Some(json!({ "response": with_session })));
    assert_eq!(b.e.state().session_id.as_deref(), Some("sess_2"));
    assert_eq!(b.cookie("__session"), Some(jwt.as_str()));
    // Still no client there (another browser's, say): nothing changes.
    let mut c = H::loaded(Value::Null);
    c.e.client_changed_elsewhere(&app, "client_9", c.now);
    c.drain();
    c.answer("/client", 200, Some(json!({ "response": null })));
    assert_eq!(c.e.state().session_id, None);
    assert!(c.wire.is_empty() && c.e.live() == [0, 0, 0]);
}

#[test]
fn signing_in_elsewhere_gives_a_tab_without_a_session_the_new_one() {
    let mut a = H::loaded(client(vec![]));
    let app = a.e.app_scope();
    let jwt = token("sess_2", T0 + 60_000);
    let with_session = client(vec![session("sess_2", "active", Some(&jwt))]);
    // Tab A activates a session (as after a sign-in) and says so.
    a.answer_client_then_activate(&with_session);
    let said = Broadcast::ClientChanged {
        app: app.clone(),
        client: "client_1".into(),
        signed_in: true,
    };
    assert_eq!(a.posts, [said]);
    // Tab B, on the same client, had none: it takes it, with its token in `__session`.
    let mut b = H::loaded(client(vec![]));
    b.e.client_changed_elsewhere(&app, "client_1", b.now);
    b.drain();
    b.answer("/client", 200, Some(json!({ "response": with_session })));
    assert_eq!(b.e.state().session_id.as_deref(), Some("sess_2"));
    assert_eq!(b.cookie("__session"), Some(jwt.as_str()));
}

#[test]
fn a_piggybacked_client_that_ends_the_session_clears_the_cookies() {
    let jwt = token("sess_1", T0 + 60_000);
    let mut h = H::loaded(client(vec![session("sess_1", "active", Some(&jwt))]));
    assert_eq!(h.cookie("__session"), Some(jwt.as_str()));
    h.call(Op::SignInCreate, Form::new().set("identifier", "x"));
    h.answer(
        "/client/sign_ins",
        200,
        Some(
            json!({ "response": sign_in("needs_first_factor", json!({})),
                     "client": client(vec![session("sess_1", "revoked", None)]) }),
        ),
    );
    assert_eq!(h.e.state().session_id, None);
    assert_eq!(h.cookie("__session"), Some(""));
    assert_eq!(h.cookie("__client_uat"), Some("0"));
    assert!(
        !h.timers.iter().any(|(t, _)| *t == TimerId::Refresh),
        "no refresh for an ended session"
    );
}

// ---- tokens --------------------------------------------------------------------------

#[test]
fn one_token_fetch_in_flight_and_its_error_reaches_every_waiter() {
    let jwt = token("sess_1", T0 + 60_000);
    let mut h = H::loaded(client(vec![session("sess_1", "active", Some(&jwt))]));
    let cached = h.call(Op::GetToken, Form::new());
    assert_eq!(h.ok(cached), &Output::Text(jwt.clone()));
    h.now += 56_000; // less than 5 s left
    let a = h.call(Op::GetToken, Form::new());
    let b = h.call(Op::GetToken, Form::new().set("session", "sess_1"));
    let other = h.call(Op::GetToken, Form::new().set("session", "sess_2"));
    assert_eq!(h.ok(other), &Output::None, "not the active session");
    assert_eq!(h.paths(), ["/client/sessions/sess_1/tokens"]);
    h.answer("/client/sessions/sess_1/tokens", 500, None);
    assert_eq!(h.err(a).status(), Some(500));
    assert_eq!(h.err(b).status(), Some(500));
    assert!(h.wire.is_empty(), "the waiters do not fetch again");
    let c = h.call(
        Op::GetToken,
        Form::new().set("skip_cache", true).set("template", "db"),
    );
    let sent = h.pending("/client/sessions/sess_1/tokens/db");
    assert_eq!(sent.query("debug"), None, "templates have their own path");
    let fresh = token("sess_1", h.now + 60_000);
    h.answer(
        "/client/sessions/sess_1/tokens/db",
        200,
        Some(json!({ "jwt": fresh })),
    );
    assert_eq!(h.ok(c), &Output::Text(fresh));
    assert!(
        !h.posts.iter().any(|p| matches!(p, Broadcast::Token { .. })),
        "template tokens are not shared"
    );
}

#[test]
fn the_refresh_runs_before_expiry_and_retries_after_a_failure() {
    let jwt = token("sess_1", T0 + 60_000);
    let mut h = H::loaded(client(vec![session("sess_1", "active", Some(&jwt))]));
    assert!(h.timers.contains(&(TimerId::Refresh, T0 + 43_000)));
    h.advance(43_000);
    h.fail("/client/sessions/sess_1/tokens");
    assert!(
        h.timers.contains(&(TimerId::Refresh, T0 + 54_000)),
        "retried while the token lives: {:?}",
        h.timers
    );
    h.advance(11_000);
    let fresh = token("sess_1", h.now + 60_000);
    h.answer(
        "/client/sessions/sess_1/tokens",
        200,
        Some(json!({ "jwt": fresh })),
    );
    assert_eq!(h.cookie("__session"), Some(fresh.as_str()));
    assert!(h.posts.contains(&Broadcast::Token {
        session_id: "sess_1".into(),
        jwt: fresh
    }));
    assert!(h.timers.contains(&(TimerId::Refresh, h.now + 43_000)));
}

#[test]
fn a_clock_far_ahead_never_makes_the_refresh_spin() {
    // The page's clock is 58 s ahead of the server's: every token looks nearly expired.
    let mut h = H::new(Some("db"));
    h.now = T0 + 58_000;
    let jwt = token("sess_1", T0 + 60_000);
    h.call(Op::Load, Form::new());
    h.answer("/environment", 200, Some(environment()));
    h.answer(
        "/client",
        200,
        Some(json!({ "response": client(vec![session("sess_1", "active", Some(&jwt))]) })),
    );
    assert!(!h.timers.iter().any(|(t, _)| *t == TimerId::Refresh));
    h.advance(600_000);
    assert!(h.wire.is_empty(), "no refresh loop: {:?}", h.paths());
}

#[test]
fn tokens_from_other_tabs_are_checked() {
    let jwt = token("sess_1", T0 + 60_000);
    let mut h = H::loaded(client(vec![session("sess_1", "active", Some(&jwt))]));
    let later = token("sess_1", T0 + 90_000);
    let foreign = token("sess_2", T0 + 120_000);
    h.e.token_from_tab("sess_1", &foreign, h.now);
    h.e.token_from_tab("sess_2", &foreign, h.now);
    h.e.token_from_tab("sess_1", "not-a-jwt", h.now);
    h.drain();
    assert_eq!(h.cookie("__session"), Some(jwt.as_str()));
    h.e.token_from_tab("sess_1", &later, h.now);
    h.drain();
    assert_eq!(h.cookie("__session"), Some(later.as_str()));
    h.e.token_from_tab("sess_1", &jwt, h.now);
    h.drain();
    assert_eq!(
        h.cookie("__session"),
        Some(later.as_str()),
        "an older token does not replace a newer one"
    );
    assert!(h.timers.contains(&(TimerId::Refresh, T0 + 73_000)));
}

// ---- email links ---------------------------------------------------------------------

fn with_sign_up(h: &mut H) {
    h.call(
        Op::SignUpCreate,
        Form::new().set("email_address", "a@example.test"),
    );
    h.answer("/client/sign_ups", 200, envelope(sign_up(None, 0)));
}

#[test]
fn a_link_wait_polls_once_a_second_wakes_on_a_nudge_and_settles_when_verified() {
    let mut h = H::loaded(client(vec![]));
    with_sign_up(&mut h);
    let expire = T0 + 600_000;
    let id = h.call(
        Op::SignUpLinkFlow,
        Form::new().set("redirect_url", "/verify"),
    );
    let prepare = h.answer(
        "/client/sign_ups/sua_1/prepare_verification",
        200,
        envelope(sign_up(Some("unverified"), expire)),
    );
    assert_eq!(
        prepare.body.as_deref(),
        Some("strategy=email_link&redirect_url=http%3A%2F%2Flocalhost%3A3000%2Fverify")
    );
    assert!(h.watching);
    assert!(h.wire.is_empty());
    h.advance(1_000);
    h.answer(
        "/client/sign_ups/sua_1",
        200,
        envelope(sign_up(Some("unverified"), expire)),
    );
    // A nudge while sleeping polls at once.
    h.e.nudge(h.now);
    h.drain();
    assert_eq!(h.paths(), ["/client/sign_ups/sua_1"]);
    // A nudge during the poll: the next poll goes right after it.
    h.e.nudge(h.now);
    h.drain();
    assert_eq!(h.wire.len(), 1, "never two polls at once");
    h.answer(
        "/client/sign_ups/sua_1",
        200,
        envelope(sign_up(Some("unverified"), expire)),
    );
    assert_eq!(h.paths(), ["/client/sign_ups/sua_1"], "the sticky nudge");
    h.answer(
        "/client/sign_ups/sua_1",
        200,
        envelope(sign_up(Some("verified"), expire)),
    );
    assert_eq!(h.ok(id), &Output::Text("verified".into()));
    assert!(!h.watching);
    assert!(!h.timers.iter().any(|(t, _)| matches!(t, TimerId::Poll(_))));
}

#[test]
fn a_link_wait_told_to_back_off_waits_retry_after_even_when_nudged() {
    let mut h = H::loaded(client(vec![]));
    with_sign_up(&mut h);
    let expire = T0 + 600_000;
    let id = h.call(
        Op::SignUpLinkFlow,
        Form::new().set("redirect_url", "/verify"),
    );
    h.answer(
        "/client/sign_ups/sua_1/prepare_verification",
        200,
        envelope(sign_up(Some("unverified"), expire)),
    );
    h.advance(1_000);
    h.answer_with(
        "/client/sign_ups/sua_1",
        429,
        api_error("too_many_requests", None),
        Some("5"),
    );
    h.e.nudge(h.now);
    h.drain();
    assert!(
        h.wire.is_empty(),
        "a nudge does not cut the server's back-off short"
    );
    h.advance(4_999);
    assert!(
        h.wire.is_empty(),
        "no poll before Retry-After: {:?}",
        h.paths()
    );
    h.advance(1);
    h.answer(
        "/client/sign_ups/sua_1",
        200,
        envelope(sign_up(Some("verified"), expire)),
    );
    assert_eq!(h.ok(id), &Output::Text("verified".into()));
}

#[test]
fn cancel_settles_the_wait_aborts_its_poll_and_sends_nothing_after() {
    let mut h = H::loaded(client(vec![]));
    with_sign_up(&mut h);
    let id = h.call(Op::SignUpLinkFlow, Form::new().set("redirect_url", "/v"));
    h.answer(
        "/client/sign_ups/sua_1/prepare_verification",
        200,
        envelope(sign_up(Some("unverified"), T0 + 600_000)),
    );
    h.advance(1_000);
    let poll = h.pending("/client/sign_ups/sua_1");
    h.e.cancel(id, h.now);
    h.drain();
    assert_eq!(h.err(id), &ClerkError::Cancelled);
    assert_eq!(h.aborted, [poll.req]);
    let sent = h.log.len();
    h.advance(60_000);
    assert_eq!(h.log.len(), sent, "0 requests after cancel");
    h.e.cancel(id, h.now);
    h.drain();
    assert_eq!(
        h.done.iter().filter(|(c, _)| *c == id).count(),
        1,
        "cancel is idempotent"
    );
    assert!(!h.watching);
}

#[test]
fn a_second_wait_on_the_same_resource_cancels_the_first() {
    let mut h = H::loaded(client(vec![]));
    with_sign_up(&mut h);
    h.call(
        Op::SignUpSendLink,
        Form::new().set("verification_url", "/v"),
    );
    h.answer(
        "/client/sign_ups/sua_1/prepare_verification",
        200,
        envelope(sign_up(Some("unverified"), T0 + 600_000)),
    );
    let first = h.call_with(Call::new(Op::SignUpWaitLink, Form::new()).tracked());
    let second = h.call_with(Call::new(Op::SignUpWaitLink, Form::new()).tracked());
    assert_eq!(h.err(first), &ClerkError::Cancelled);
    assert!(h.result(second).is_none());
}

#[test]
fn a_wait_survives_blips_and_stalls_and_expires_at_its_deadline() {
    let mut h = H::loaded(client(vec![]));
    with_sign_up(&mut h);
    h.call(
        Op::SignUpSendLink,
        Form::new().set("verification_url", "/v"),
    );
    let expire = T0 + 10_000;
    h.answer(
        "/client/sign_ups/sua_1/prepare_verification",
        200,
        envelope(sign_up(Some("unverified"), expire)),
    );
    let id = h.call_with(Call::new(Op::SignUpWaitLink, Form::new()).tracked());
    h.advance(1_000);
    h.fail("/client/sign_ups/sua_1");
    assert!(
        h.result(id).is_none(),
        "a network blip does not end the wait"
    );
    h.advance(1_000);
    h.answer("/client/sign_ups/sua_1", 503, None);
    h.advance(1_000);
    h.pending("/client/sign_ups/sua_1");
    h.advance(u64::from(POLL_TIMEOUT_MS)); // a stalled poll is aborted
    assert!(h.result(id).is_none());
    h.advance(1_000);
    h.answer(
        "/client/sign_ups/sua_1",
        200,
        envelope(sign_up(Some("unverified"), expire)),
    );
    let sent = h.log.len();
    h.advance(expire + 1 - h.now);
    assert_eq!(
        h.err(id).code(),
        "expired",
        "the newer API rejects an expired link, at its deadline"
    );
    assert_eq!(h.log.len(), sent, "no poll after the deadline");
}

#[test]
fn a_second_factor_wait_keeps_watching_the_factor_it_started_with() {
    let mut h = H::loaded(client(vec![]));
    h.call(
        Op::SignInCreate,
        Form::new().set("identifier", "a@example.test"),
    );
    h.answer(
        "/client/sign_ins",
        200,
        envelope(sign_in(
            "needs_first_factor",
            json!({ "identifier": "a@example.test" }),
        )),
    );
    let id = h.call(
        Op::SignInLinkFlow,
        Form::new().set("redirect_url", "http://localhost:3000/v"),
    );
    let pending_link =
        json!({ "status": "unverified", "strategy": "email_link", "expire_at": T0 + 600_000 });
    h.answer(
        "/client/sign_ins/sia_1/prepare_first_factor",
        200,
        envelope(sign_in(
            "needs_first_factor",
            json!({ "identifier": "a@example.test", "first_factor_verification": pending_link }),
        )),
    );
    h.advance(1_000);
    // Verified: the sign-in moves on to a second factor, whose verification is null.
    let verified =
        json!({ "status": "verified", "strategy": "email_link", "expire_at": T0 + 600_000 });
    h.answer(
        "/client/sign_ins/sia_1",
        200,
        envelope(sign_in(
            "needs_second_factor",
            json!({ "first_factor_verification": verified }),
        )),
    );
    assert_eq!(h.ok(id), &Output::Text("verified".into()));
}

// ---- the landing page ----------------------------------------------------------------

#[test]
fn landing_fails_before_loading_and_activates_a_session_of_this_client() {
    let mut h = H::new(Some("db"));
    let bad = h.call_with(
        Call::new(Op::HandleEmailLink, Form::new()).with_target("?__clerk_status=expired&x=1"),
    );
    assert_eq!(h.err(bad).code(), "expired");
    assert_eq!(h.queries, ["?x=1"]);
    assert!(h.log.is_empty(), "nothing loaded for a failed link");
    assert_eq!(
        h.posts,
        [Broadcast::EmailLink {
            status: "expired".into()
        }]
    );
    let id = h.call_with(
        Call::new(
            Op::HandleEmailLink,
            Form::new().set("redirect_url_complete", "/done"),
        )
        .with_target("?__clerk_status=verified&__clerk_created_session=sess_5"),
    );
    h.answer("/environment", 200, Some(environment()));
    let jwt = token("sess_5", T0 + 60_000);
    h.answer(
        "/client",
        200,
        Some(json!({ "response": client(vec![
            session("sess_4", "active", None),
            session("sess_5", "active", Some(&jwt)),
        ]) })),
    );
    h.answer(
        "/client/sessions/sess_5/touch",
        200,
        Some(json!({ "response": {} })),
    );
    assert_eq!(h.ok(id), &Output::Text("verified".into()));
    assert_eq!(h.navigations, ["/done"]);
    assert_eq!(h.e.state().session_id.as_deref(), Some("sess_5"));
}

#[test]
fn landing_keeps_the_link_in_the_address_bar_until_the_client_is_loaded() {
    let mut h = H::new(Some("db"));
    let target = "?__clerk_status=verified&__clerk_created_session=sess_5&x=1";
    let id = h.call_with(Call::new(Op::HandleEmailLink, Form::new()).with_target(target));
    h.answer("/environment", 503, None);
    assert_eq!(h.err(id).code(), "api_error");
    assert!(
        h.queries.is_empty(),
        "a failed load leaves the link for a reload"
    );
    // The page is reloaded: this time the client loads, the parameters go.
    let id = h.call_with(Call::new(Op::HandleEmailLink, Form::new()).with_target(target));
    h.answer("/environment", 200, Some(environment()));
    h.answer("/client", 200, Some(json!({ "response": client(vec![]) })));
    assert_eq!(h.queries, ["?x=1"]);
    // A session made elsewhere: the client is read once more before deciding.
    h.answer("/client", 200, Some(json!({ "response": client(vec![]) })));
    assert_eq!(h.ok(id), &Output::Text("verified_on_other_device".into()));
}

#[test]
fn landing_reloads_the_client_once_for_a_session_made_elsewhere() {
    let mut h = H::loaded(client(vec![]));
    let id = h.call_with(
        Call::new(Op::HandleEmailLink, Form::new())
            .with_target("?__clerk_status=verified&__clerk_created_session=sess_7"),
    );
    h.answer("/client", 200, Some(json!({ "response": client(vec![]) })));
    assert_eq!(h.ok(id), &Output::Text("verified_on_other_device".into()));
}

// ---- listeners and state -------------------------------------------------------------

#[test]
fn listeners_hear_one_notification_per_answer() {
    let mut h = H::loaded(client(vec![]));
    let before = h.notifies;
    h.call(Op::SignInCreate, Form::new().set("identifier", "x"));
    h.answer(
        "/client/sign_ins",
        200,
        Some(json!({ "response": sign_in("needs_first_factor", json!({})), "client": client(vec![]) })),
    );
    assert_eq!(
        h.notifies,
        before + 1,
        "client and resource in one notification"
    );
    assert!(h.e.notify_new_listener());
}

#[test]
fn operation_names_are_unique_and_round_trip() {
    for (i, name) in Op::NAMES.iter().enumerate() {
        let op = Op::from_index(i as u32).unwrap();
        assert_eq!(op.name(), *name);
        assert_eq!(Op::NAMES.iter().filter(|n| *n == name).count(), 1);
    }
    assert_eq!(Op::from_index(Op::NAMES.len() as u32), None);
    assert_eq!(Op::SignInCreate.resource(), Resource::SignIn);
    assert_eq!(Op::SignUpReset.resource(), Resource::SignUp);
    assert_eq!(Op::EmailLinkFlow.resource(), Resource::EmailAddress);
    assert_eq!(Op::GetToken.resource(), Resource::Clerk);
}

#[test]
fn no_request_or_wait_is_left_behind() {
    let mut h = H::loaded(client(vec![]));
    with_sign_up(&mut h);
    let id = h.call(Op::SignUpLinkFlow, Form::new().set("redirect_url", "/v"));
    h.e.cancel(id, h.now);
    h.drain();
    assert_eq!(h.e.net.len(), 0);
    assert!(h.e.tasks.is_empty());
    assert_eq!(h.e.tokens.in_flight(), 0);
}

#[test]
fn set_active_announces_the_session_only_with_its_token() {
    // Two signed-in sessions; the second one's token is not cached.
    let first = token("sess_1", T0 + 60_000);
    let mut h = H::loaded(client(vec![
        session("sess_1", "active", Some(&first)),
        session("sess_2", "active", None),
    ]));
    assert_eq!(h.e.state().session_id.as_deref(), Some("sess_1"));
    let id = h.call(Op::SetActive, Form::new().set("session", "sess_2"));
    let before = h.notifies;
    h.answer(
        "/client/sessions/sess_2/touch",
        200,
        Some(json!({ "response": {} })),
    );
    assert_eq!(
        h.e.state().session_id.as_deref(),
        Some("sess_1"),
        "not active before its token"
    );
    assert!(h.result(id).is_none());
    let jwt = token("sess_2", T0 + 60_000);
    h.answer(
        "/client/sessions/sess_2/tokens",
        200,
        Some(json!({ "jwt": jwt })),
    );
    assert_eq!(h.ok(id), &Output::None);
    assert_eq!(h.e.state().session_id.as_deref(), Some("sess_2"));
    assert!(h.notifies > before);
    assert_eq!(
        h.cookie("__session"),
        Some(jwt.as_str()),
        "the cookie is written in the same input"
    );
}

#[test]
fn clerk_session_id_goes_only_on_paths_outside_client() {
    let jwt = token("sess_1", T0 + 60_000);
    let mut h = H::loaded(client(vec![session("sess_1", "active", Some(&jwt))]));
    h.call(
        Op::CreateEmailAddress,
        Form::new().set("email_address", "b@example.test"),
    );
    assert_eq!(
        h.pending("/me/email_addresses")
            .query("_clerk_session_id")
            .as_deref(),
        Some("sess_1")
    );
    h.call(Op::SignInCreate, Form::new().set("identifier", "x"));
    assert_eq!(
        h.pending("/client/sign_ins").query("_clerk_session_id"),
        None
    );
}

/// `load()` options: the five redirect options, the deprecated after-URLs
/// as the fallbacks' fallbacks, empty values absent.
#[test]
fn load_options_read_redirects() {
    let form = Form::new()
        .set("sign_in_url", "/in")
        .set("sign_up_url", "")
        .set("redirect_url", "/r")
        .set("sign_in_force_redirect_url", "/in-force")
        .set("after_sign_in_url", "/after-in")
        .set("sign_up_fallback_redirect_url", "/up-fallback")
        .set("after_sign_up_url", "/after-up")
        .set("sign_up_force_redirect_url", "")
        .set("allowed_redirect_origins", "https://a.example")
        .set("allowed_redirect_origins", "https://b.example");
    let o = Options::from_form(&form);
    assert_eq!(o.sign_in_url.as_deref(), Some("/in"));
    assert_eq!(o.sign_up_url, None);
    assert_eq!(
        o.redirects,
        RedirectUrls {
            redirect_url: Some("/r".into()),
            sign_in_force: Some("/in-force".into()),
            sign_in_fallback: Some("/after-in".into()),
            sign_up_force: None,
            sign_up_fallback: Some("/up-fallback".into()),
        }
    );
    assert_eq!(
        o.allowed_redirect_origins,
        ["https://a.example", "https://b.example"]
    );
}
