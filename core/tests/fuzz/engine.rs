//! The engine under a random driver: calls of every operation with odd
//! parameters, answers of every kind (FAPI-shaped bodies with wrong fields,
//! garbage, error envelopes, any status, network failures), timers fired in
//! or out of order, clock jumps, nudges, other tabs' tokens and sign-ins or
//! sign-outs, cancels, stale answers. After every input it checks the
//! contract of `engine/mod.rs`:
//!
//! - every call settles at most once, and `Done` only for a call made;
//! - at most one `Notify` per input, before any `Done`;
//! - a request is on the wire at most once, with its deadline armed while it
//!   is (and only then); a retry is never armed for a request on the wire;
//! - never two email-link polls in flight for one resource;
//! - a settled wait leaves no poll timer armed;
//! - `live()` counts exactly the calls not settled;
//! - a stale answer, or a timer that is not armed, changes nothing.
//!
//! And at the end, one of two ways: cancel every call, then answer every
//! request — or, without cancelling, answer everything and fire every timer
//! until the engine is idle (a call still unsettled then would hang forever).
//! Either way: every call settled exactly once, `live()` is `[0, 0, 0]`, no
//! request on the wire, no timer armed but the token refresh, the tab not
//! watched.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::Mutex;

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine as _;
use serde_json::json;

use clerk_core::engine::{
    Answer, Broadcast, Call, CallId, Cmd, Config, Engine, Op, Page, ReqId, TimerId, POLL_TIMEOUT_MS,
};
use clerk_core::flow::email_link::query_string;
use clerk_core::model::decode::Source;
use clerk_core::request::Form;

use crate::gen::{self, text, T0};
use crate::harness::Rng;
use crate::value::J;

/// Logs an event when the sequence is traced (a failure's replay).
macro_rules! trace {
    ($sim:expr, $($fmt:tt)*) => {
        if $sim.tracing {
            let line = format!($($fmt)*);
            $sim.log(line);
        }
    };
}

/// Coverage counters (`FUZZ_STATS=1` prints them): how calls ended, per
/// operation, and what the engine went through.
static STATS: Mutex<BTreeMap<String, u64>> = Mutex::new(BTreeMap::new());

fn stats_on() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("FUZZ_STATS").is_some())
}

macro_rules! stat {
    ($($fmt:tt)*) => {
        if stats_on() {
            *STATS.lock().unwrap().entry(format!($($fmt)*)).or_default() += 1;
        }
    };
}

/// Prints the counters (when `FUZZ_STATS` is set).
pub fn print_stats() {
    if std::env::var_os("FUZZ_STATS").is_some() {
        for (k, n) in STATS.lock().unwrap().iter() {
            eprintln!("{n:>8}  {k}");
        }
    }
}

/// One sequence: its own seed (the events are drawn while it runs, as they
/// depend on what the engine asked for) and its length.
#[derive(Debug)]
pub struct EngineInput {
    seed: u64,
    steps: u32,
    warm: bool,
    cancel_at_end: bool,
}

pub fn input(r: &mut Rng) -> EngineInput {
    EngineInput {
        seed: r.u64(),
        steps: r.range(10, 110) as u32,
        warm: r.chance(3, 5),
        cancel_at_end: r.bool(),
    }
}

#[derive(Debug, Clone)]
struct Wire {
    req: ReqId,
    path: String,
    method: &'static str,
    poll: bool,
}

struct Sim {
    e: Engine<J>,
    r: Rng,
    now: u64,
    base: String,
    wire: Vec<Wire>,
    timers: Vec<(TimerId, u64)>,
    calls: Vec<(CallId, Op)>,
    settled: Vec<(CallId, u32)>,
    watching: bool,
    max_req: ReqId,
    /// The event trace, kept only when replaying a failure (it costs).
    tracing: bool,
    trace: String,
    events: u64,
}

const COMMON: &[Op] = &[
    Op::Load,
    Op::Load,
    Op::SignInCreate,
    Op::SignInSendCode,
    Op::SignInVerifyCode,
    Op::SignInFinalize,
    Op::SetActive,
    Op::GetToken,
    Op::GetToken,
    Op::SignOut,
    Op::SignUpCreate,
    Op::SignUpLinkFlow,
    Op::SignInLinkFlow,
    Op::SignInWaitLink,
    Op::EmailLinkFlow,
    Op::HandleEmailLink,
    Op::SignUpFinalize,
    Op::ReloadClient,
];

const PARAM_KEYS: &[&str] = &[
    "session",
    "redirectUrl",
    "redirect_url",
    "sessionId",
    "template",
    "skipCache",
    "strategy",
    "code",
    "phoneNumber",
    "emailAddress",
    "identifier",
    "channel",
    "phoneNumberId",
    "emailAddressId",
    "verificationUrl",
    "redirectUrlComplete",
    "pollIntervalMs",
    "locale",
];

fn param_value(r: &mut Rng, key: &str) -> J {
    if r.chance(1, 4) {
        return match r.below(6) {
            0 => J::Undef,
            1 => J::Null,
            2 => J::Bool(r.bool()),
            3 => J::Num(gen::number(r)),
            4 => gen::any(r, 2),
            _ => J::str(text(r)),
        };
    }
    J::str(match key {
        "session" | "sessionId" => gen::id(r, "sess"),
        "redirectUrl" | "redirect_url" | "verificationUrl" | "redirectUrlComplete" => gen::url(r),
        "template" => (*r.pick(&["", "tpl", "my template/1"])).into(),
        "skipCache" => (*r.pick(&["true", "false"])).into(),
        "strategy" => (*r.pick(gen::STRATEGIES)).into(),
        "code" => (*r.pick(&["424242", " 424242 ", "", "x"])).into(),
        "phoneNumber" | "identifier" => {
            (*r.pick(&["+15555550100", "+1 555 555 0100", "555", "bob@x.test"])).into()
        }
        "emailAddress" => (*r.pick(&["bob@x.test", " Bob@X.test ", ""])).into(),
        "channel" => (*r.pick(&["sms", "whatsapp", ""])).into(),
        "phoneNumberId" | "emailAddressId" => gen::id(r, "idn"),
        "pollIntervalMs" => {
            (*r.pick(&["0", "100", "5000", "99999999999999999999", "-1", "1.5"])).into()
        }
        _ => text(r),
    })
}

impl Sim {
    fn new(seed: u64, tracing: bool) -> Sim {
        let mut r = Rng::new(seed);
        let key = match r.below(4) {
            0 => "pk_live_".to_string() + &STANDARD_NO_PAD.encode("clerk.app.test$"),
            1 => "pk_test_".to_string() + &STANDARD_NO_PAD.encode("x.accounts.dev$"),
            _ => "pk_test_MTI3LjAuMC4xOjQwMTAk".to_string(), // 127.0.0.1:4010
        };
        let origin = r.chance(9, 10).then(|| "http://localhost:3000".to_string());
        let proxy = match r.below(8) {
            0 if origin.is_some() => Some("/__clerk".to_string()),
            1 => Some("https://proxy.test/__clerk/".to_string()),
            _ => None,
        };
        let config = Config {
            publishable_key: key,
            proxy_url: proxy,
            page: Page {
                origin,
                host: "localhost:3000".into(),
                secure: r.bool(),
                locale: r.bool().then(|| "en-US".to_string()),
            },
            dev_browser_jwt: match r.below(3) {
                0 => None,
                1 => Some(String::new()),
                _ => Some("dvb_1".into()),
            },
        };
        let e = Engine::new(config.clone()).expect("a valid config");
        let base = e.frontend_api_url().to_string();
        let mut trace = String::new();
        if tracing {
            let _ = writeln!(trace, "config {config:?}");
        }
        Sim {
            e,
            r,
            now: T0,
            base,
            wire: Vec::new(),
            timers: Vec::new(),
            calls: Vec::new(),
            settled: Vec::new(),
            watching: false,
            max_req: 0,
            tracing,
            trace,
            events: 0,
        }
    }

    fn log(&mut self, line: impl AsRef<str>) {
        self.trace.push_str(line.as_ref());
        self.trace.push('\n');
    }

    fn settled_count(&self, call: CallId) -> u32 {
        self.settled
            .iter()
            .find(|(c, _)| *c == call)
            .map_or(0, |(_, n)| *n)
    }

    fn armed(&self, t: TimerId) -> bool {
        self.timers.iter().any(|(x, _)| *x == t)
    }

    /// Carries out the commands of one input and checks the contract.
    /// Returns whether a `Done`, `Send` or `Notify` came.
    fn drain(&mut self) -> bool {
        let mut notified = false;
        let mut done_seen = false;
        let mut eventful = false;
        while let Some(cmd) = self.e.poll() {
            match cmd {
                Cmd::Send {
                    req,
                    method,
                    url,
                    body,
                    credentials,
                } => {
                    eventful = true;
                    assert!(
                        !self.wire.iter().any(|w| w.req == req),
                        "request {req} sent twice"
                    );
                    let rest = url
                        .strip_prefix(self.base.as_str())
                        .and_then(|u| u.strip_prefix("/v1/"))
                        .unwrap_or_else(|| panic!("{url} is not under {}/v1/", self.base));
                    let path = format!("/{}", rest.split('?').next().unwrap_or(""));
                    assert_eq!(body.is_none(), method == "GET", "{method} {url}");
                    assert!(method == "GET" || method == "POST");
                    assert_eq!(credentials, path != "/dev_browser");
                    self.max_req = self.max_req.max(req);
                    trace!(self, "  -> send #{req} {method} {path}");
                    stat!(
                        "send {method} {}",
                        path.split('/').take(3).collect::<Vec<_>>().join("/")
                    );
                    self.wire.push(Wire {
                        req,
                        path,
                        method,
                        poll: false,
                    });
                }
                Cmd::Abort(req) => {
                    let i = self.wire.iter().position(|w| w.req == req);
                    assert!(i.is_some(), "abort of request {req}, not on the wire");
                    self.wire.remove(i.unwrap());
                    trace!(self, "  -> abort #{req}");
                }
                Cmd::SetTimer { timer, ms } => {
                    if let TimerId::Timeout(req) = timer {
                        let w = self.wire.iter_mut().find(|w| w.req == req);
                        let w = w.unwrap_or_else(|| {
                            panic!("deadline for request {req}, not on the wire")
                        });
                        w.poll = ms == POLL_TIMEOUT_MS;
                    }
                    self.timers.retain(|(t, _)| *t != timer);
                    self.timers
                        .push((timer, self.now.saturating_add(u64::from(ms))));
                    trace!(self, "  -> set {timer:?} {ms} ms");
                }
                Cmd::ClearTimer(timer) => {
                    self.timers.retain(|(t, _)| *t != timer);
                }
                Cmd::Cookie { name, value, .. } => {
                    stat!(
                        "cookie {name} {}",
                        if value.is_empty() { "removed" } else { "set" }
                    );
                    assert!(["__session", "__client_uat", "__clerk_db_jwt"].contains(&name));
                    trace!(self, "  -> cookie {name} ({} bytes)", value.len());
                }
                Cmd::Post(b) => {
                    if let Broadcast::Token { jwt, session_id } = &b {
                        assert!(!jwt.is_empty() && !session_id.is_empty());
                    }
                }
                Cmd::WatchTab(w) => {
                    stat!("watch tab {w}");
                    assert_ne!(w, self.watching, "WatchTab({w}) repeated");
                    self.watching = w;
                }
                Cmd::Notify => {
                    eventful = true;
                    assert!(!notified, "two Notify in one input");
                    assert!(!done_seen, "Notify after Done");
                    notified = true;
                }
                Cmd::Done { call, result } => {
                    eventful = true;
                    done_seen = true;
                    assert!(
                        self.calls.iter().any(|(c, _)| *c == call),
                        "Done for unknown call {call}"
                    );
                    assert_eq!(self.settled_count(call), 0, "call {call} settled twice");
                    self.settled.push((call, 1));
                    stat!(
                        "done {:?} {}",
                        self.calls.iter().find(|(c, _)| *c == call).map(|(_, o)| *o),
                        match &result {
                            Ok(o) =>
                                format!("ok {}", format!("{o:?}").split('(').next().unwrap_or("")),
                            Err(e) =>
                                format!("err {}", e.code().chars().take(30).collect::<String>()),
                        }
                    );
                    trace!(
                        self,
                        "  -> done #{call} {}",
                        match &result {
                            Ok(o) => format!("ok {o:?}").chars().take(80).collect::<String>(),
                            Err(e) => format!("err {}", e.code()),
                        }
                    );
                }
                Cmd::Navigate(u) => {
                    stat!("navigate");
                    trace!(self, "  -> navigate {u}")
                }
                Cmd::ReplaceQuery(q) => {
                    assert!(q.is_empty() || q.starts_with('?'));
                }
            }
        }
        self.check_state();
        eventful
    }

    /// What must hold between inputs.
    fn check_state(&self) {
        for w in &self.wire {
            assert!(
                self.armed(TimerId::Timeout(w.req)),
                "request {} on the wire without a deadline",
                w.req
            );
            assert!(
                !self.armed(TimerId::Retry(w.req)),
                "request {} on the wire with a retry armed",
                w.req
            );
        }
        for (t, _) in &self.timers {
            match t {
                TimerId::Timeout(req) => assert!(
                    self.wire.iter().any(|w| w.req == *req),
                    "deadline of request {req} armed, not on the wire"
                ),
                TimerId::Poll(call) => {
                    assert_eq!(
                        self.settled_count(*call),
                        0,
                        "poll timer of settled call {call} armed"
                    )
                }
                _ => {}
            }
        }
        let mut polls: Vec<String> = self
            .wire
            .iter()
            .filter(|w| w.poll)
            .map(|w| {
                let p = &w.path;
                if p.starts_with("/client/sign_ins/") {
                    "sign_in".to_string()
                } else if p.starts_with("/client/sign_ups/") {
                    "sign_up".to_string()
                } else {
                    p.clone()
                }
            })
            .collect();
        let n = polls.len();
        polls.sort();
        polls.dedup();
        assert_eq!(
            polls.len(),
            n,
            "two polls in flight for one resource: {polls:?}"
        );
        let open = self
            .calls
            .iter()
            .filter(|(c, _)| self.settled_count(*c) == 0)
            .count();
        let live = self.e.live();
        assert_eq!(live[0], open, "live() calls {live:?}, {open} unsettled");
        assert!(
            live[1] >= self.wire.len(),
            "live() requests {live:?} < {} on the wire",
            self.wire.len()
        );
        assert!(live[2] <= live[1]);
    }

    fn call(&mut self) {
        let op = if self.r.chance(2, 5) {
            *self.r.pick(COMMON)
        } else {
            Op::from_index(self.r.below(Op::NAMES.len()) as u32).unwrap()
        };
        let r = &mut self.r;
        let params = J::object(
            (0..r.range(0, 5))
                .map(|_| {
                    let k = *r.pick(PARAM_KEYS);
                    (k.to_string(), param_value(r, k))
                })
                .collect(),
        );
        // Link operations mostly get the redirect URL they need.
        let link = op.waits_for_link() || matches!(op, Op::SignInSendLink | Op::SignUpSendLink);
        let mut params = params;
        if link && r.chance(4, 5) {
            if let J::Obj(members) = &mut params {
                let members = std::rc::Rc::make_mut(members);
                let key = *r.pick(&["redirectUrl", "verificationUrl"]);
                let url = *r.pick(&[
                    "/verify",
                    "http://localhost:3000/verify",
                    "https://a.test/v?x=1",
                ]);
                members.push((key.to_string(), J::str(url)));
                if r.chance(1, 3) {
                    members.push(("pollIntervalMs".into(), J::str("100")));
                }
            }
        }
        let target = match op {
            Op::HandleEmailLink => Some(match r.below(4) {
                0 => text(r),
                _ => query_string(&gen::pairs(r)),
            }),
            Op::EmailPrepare | Op::EmailAttempt | Op::EmailReload | Op::EmailLinkFlow => {
                r.chance(9, 10).then(|| gen::id(r, "idn"))
            }
            _ => r.chance(1, 10).then(|| text(r)),
        };
        let call = Call {
            op,
            form: Form::from_source(&params),
            target,
            tracked: r.bool(),
        };
        trace!(
            self,
            "call {:?} {:?} target {:?} tracked {}",
            op,
            call.form,
            call.target,
            call.tracked
        );
        let id = self.e.call(call, self.now);
        trace!(self, "  = call #{id}");
        self.calls.push((id, op));
        self.drain();
    }

    /// A body for `path`: usually what FAPI sends there, with odd fields.
    fn body(&mut self, path: &str, ok: bool) -> Option<J> {
        let r = &mut self.r;
        let now = self.now;
        if r.chance(1, 12) {
            return None;
        }
        if r.chance(1, 10) {
            return Some(gen::any(r, 3));
        }
        if !ok {
            return Some(gen::error_body(r));
        }
        let resource = if path == "/dev_browser" {
            return Some(J::obj(vec![(
                "id",
                J::str(if r.chance(5, 6) {
                    "dvb_2".into()
                } else {
                    text(r)
                }),
            )]));
        } else if path == "/environment" {
            return Some(gen::environment(r));
        } else if path.contains("/tokens") {
            let sid = path.split('/').nth(3).unwrap_or("").to_string();
            let jwt = if r.chance(5, 6) {
                gen::jwt_with(r, Some(&sid), now)
            } else {
                gen::jwt(r, now)
            };
            return Some(J::obj(vec![
                ("object", J::str("token")),
                ("jwt", J::str(jwt)),
            ]));
        } else if path.starts_with("/client/sign_ins") {
            gen::sign_in(r)
        } else if path.starts_with("/client/sign_ups") {
            gen::sign_up(r)
        } else if path.starts_with("/me/email_addresses") {
            gen::email_address(r)
        } else if path.starts_with("/client/sessions/") {
            gen::session(r, now)
        } else {
            // /client, DELETE /client/sessions, …
            gen::client(r, now)
        };
        Some(gen::envelope(r, resource, now))
    }

    fn answer_for(&mut self, w: &Wire, terminal: bool) -> Answer<J> {
        if terminal {
            let body = J::obj(vec![(
                "errors",
                J::arr(vec![J::obj(vec![("code", J::str("resource_not_found"))])]),
            )]);
            return Answer::Response {
                status: 404,
                body: Some(body),
                retry_after: None,
                dev_browser_jwt: None,
            };
        }
        if self.r.chance(1, 12) {
            return Answer::Failed("Failed to fetch".into());
        }
        let status = match self.r.below(20) {
            0..=12 => 200,
            13 => *self.r.pick(&[201, 204, 299, 301]),
            14 => *self.r.pick(&[400, 401, 403, 404, 422]),
            15 => 429,
            16 => *self.r.pick(&[500, 502, 503]),
            17 => 401,
            18 => 422,
            _ => self.r.u64() as u16,
        };
        let mut body = self.body(&w.path, (200..300).contains(&status));
        if status == 401 && self.r.bool() {
            body = Some(J::obj(vec![(
                "errors",
                J::arr(vec![J::obj(vec![(
                    "code",
                    J::str("dev_browser_unauthenticated"),
                )])]),
            )]));
        }
        let r = &mut self.r;
        Answer::Response {
            status,
            body,
            retry_after: r.chance(1, 8).then(|| {
                if r.bool() {
                    r.range(0, 100).to_string()
                } else {
                    text(r)
                }
            }),
            dev_browser_jwt: r
                .chance(1, 20)
                .then(|| if r.bool() { "dvb_3".into() } else { text(r) }),
        }
    }

    /// A coherent start: `load()` answered with a client that has a signed-in
    /// session (`sess_1`, its token cached), a sign-in and a sign-up under way.
    fn warm(&mut self) {
        trace!(self, "== warm start");
        let now_s = self.now / 1000;
        let r = &mut self.r;
        let signed_in = r.chance(3, 4);
        let second = r.chance(1, 4);
        let expire_at = self.now + r.range(2_000, 600_000);
        let token = gen::jwt_exact("sess_1", now_s, now_s + 60);
        let mut client = json!({
            "object": "client", "id": "client_1", "updated_at": self.now,
            "last_active_session_id": "sess_1",
            "sessions": [],
            "sign_in": {
                "object": "sign_in_attempt", "id": "sia_1",
                "status": if second { "needs_second_factor" } else { "needs_first_factor" },
                "identifier": "bob@x.test",
                "supported_first_factors": [
                    {"strategy": "phone_code", "phone_number_id": "idn_1", "safe_identifier": "+15555550100"},
                    {"strategy": "email_code", "email_address_id": "idn_2", "safe_identifier": "bob@x.test"},
                    {"strategy": "email_link", "email_address_id": "idn_2", "safe_identifier": "bob@x.test"}
                ],
                "supported_second_factors": [
                    {"strategy": "phone_code", "phone_number_id": "idn_1"},
                    {"strategy": "email_link", "email_address_id": "idn_2"}
                ],
                "first_factor_verification": {"status": "unverified", "strategy": "email_link", "expire_at": expire_at},
                "second_factor_verification": {"status": "unverified", "strategy": "email_link", "expire_at": expire_at}
            },
            "sign_up": {
                "object": "sign_up_attempt", "id": "sua_1", "status": "missing_requirements",
                "email_address": "bob@x.test", "phone_number": "+15555550100",
                "unverified_fields": ["email_address", "phone_number"],
                "verifications": {"email_address": {"status": "unverified", "strategy": "email_link", "expire_at": expire_at}}
            }
        });
        if signed_in {
            client["sessions"] = json!([{
                "object": "session", "id": "sess_1", "status": "active",
                "last_active_token": {"object": "token", "jwt": token},
                "user": {
                    "id": "user_1", "primary_email_address_id": "idn_2",
                    "email_addresses": [{"id": "idn_2", "email_address": "bob@x.test",
                        "verification": {"status": "unverified", "strategy": "email_link", "expire_at": expire_at}}],
                    "phone_numbers": [{"id": "idn_1", "phone_number": "+15555550100"}]
                }
            }]);
        }
        let env = json!({"object": "environment", "auth_config": {"single_session_mode": false},
            "user_settings": {"attributes": {"email_address": {"enabled": true, "used_for_first_factor": true,
                "first_factors": ["email_code", "email_link"], "verifications": ["email_code", "email_link"]}}}});
        let id = self.e.call(Call::new(Op::Load, Form::new()), self.now);
        self.calls.push((id, Op::Load));
        self.drain();
        for _ in 0..4 {
            let Some(w) = self.wire.first().cloned() else {
                break;
            };
            self.wire.remove(0);
            let body = match w.path.as_str() {
                "/dev_browser" => json!({"id": "dvb_w"}),
                "/environment" => env.clone(),
                _ => json!({"response": client.clone(), "client": null}),
            };
            trace!(self, "answer #{} {} {} 200 (warm)", w.req, w.method, w.path);
            let a = Answer::Response {
                status: 200,
                body: Some(J::from_serde(&body)),
                retry_after: None,
                dev_browser_jwt: None,
            };
            self.e.http(w.req, a, self.now);
            self.drain();
        }
        assert_eq!(self.settled_count(id), 1, "the warm load did not settle");
    }

    fn answer(&mut self, i: usize, terminal: bool) {
        let w = self.wire.remove(i);
        let a = self.answer_for(&w, terminal);
        match &a {
            Answer::Response { status, body, .. } => {
                let b = body.as_ref().map_or("none".to_string(), |b| {
                    format!("{b:?}").chars().take(120).collect()
                });
                trace!(
                    self,
                    "answer #{} {} {} {status} {b}",
                    w.req,
                    w.method,
                    w.path
                );
            }
            Answer::Failed(_) => {
                trace!(self, "answer #{} {} {} failed", w.req, w.method, w.path)
            }
        }
        self.e.http(w.req, a, self.now);
        self.drain();
    }

    fn fire(&mut self, i: usize) {
        let (t, at) = self.timers.remove(i);
        self.now = self.now.max(at);
        trace!(self, "timer {t:?} at {:+} ms", self.now as i64 - T0 as i64);
        self.e.timer(t, self.now);
        self.drain();
    }

    fn earliest_timer(&self, but_refresh: bool) -> Option<usize> {
        self.timers
            .iter()
            .enumerate()
            .filter(|(_, (t, _))| !but_refresh || *t != TimerId::Refresh)
            .min_by_key(|(_, (_, at))| *at)
            .map(|(i, _)| i)
    }

    fn step(&mut self) {
        self.events += 1;
        match self.r.below(100) {
            0..=21 => self.call(),
            22..=51 if !self.wire.is_empty() => {
                let i = self.r.below(self.wire.len());
                self.answer(i, false);
            }
            52..=63 if !self.timers.is_empty() => {
                let i = if self.r.chance(3, 4) {
                    self.earliest_timer(false).unwrap()
                } else {
                    self.r.below(self.timers.len())
                };
                self.fire(i);
            }
            64..=67 => {
                // A timer that is not armed: ignored.
                let t = match self.r.below(3) {
                    0 => TimerId::Timeout(self.r.range(0, u64::from(self.max_req) + 2) as u32),
                    1 => TimerId::Retry(self.r.range(0, u64::from(self.max_req) + 2) as u32),
                    _ => TimerId::Poll(self.r.range(0, self.calls.len() as u64 + 2) as u32),
                };
                if !self.armed(t) {
                    trace!(self, "stale timer {t:?}");
                    self.e.timer(t, self.now);
                    let before = self.settled.len();
                    let wire = self.wire.len();
                    self.drain();
                    assert_eq!(
                        (self.settled.len(), self.wire.len()),
                        (before, wire),
                        "a timer not armed did something"
                    );
                }
            }
            68..=70 => {
                // A stale answer (unknown, answered or aborted request): ignored.
                let req = self.r.range(0, u64::from(self.max_req) + 2) as u32;
                if !self.wire.iter().any(|w| w.req == req) {
                    trace!(self, "stale answer #{req}");
                    let w = Wire {
                        req,
                        path: "/client".into(),
                        method: "GET",
                        poll: false,
                    };
                    let a = self.answer_for(&w, false);
                    self.e.http(req, a, self.now);
                    assert!(!self.drain(), "a stale answer did something");
                }
            }
            71..=75 => {
                let ms = *self
                    .r
                    .pick(&[1, 500, 1_000, 5_000, 17_000, 60_000, 600_000, 86_400_000]);
                self.now += ms;
                trace!(self, "clock +{ms} ms");
            }
            76 => {
                let ms = self.r.range(1, 120_000);
                self.now = self.now.saturating_sub(ms);
                trace!(self, "clock -{ms} ms");
            }
            77..=81 => {
                trace!(self, "nudge");
                self.e.nudge(self.now);
                self.drain();
            }
            82 => {
                let app = if self.r.chance(4, 5) {
                    self.e.app_scope()
                } else {
                    gen::id(&mut self.r, "app")
                };
                let client = if self.r.chance(4, 5) {
                    self.e.state().client_id().unwrap_or_default()
                } else {
                    gen::id(&mut self.r, "client")
                };
                trace!(self, "client {client} changed in another tab of {app}");
                self.e.client_changed_elsewhere(&app, &client, self.now);
                self.drain();
            }
            83..=85 => {
                let sid = gen::id(&mut self.r, "sess");
                let other = if self.r.bool() {
                    sid.clone()
                } else {
                    gen::id(&mut self.r, "sess")
                };
                let jwt = if self.r.chance(4, 5) {
                    gen::jwt_with(&mut self.r, Some(&other), self.now)
                } else {
                    gen::jwt(&mut self.r, self.now)
                };
                trace!(self, "token from tab for {sid}");
                self.e.token_from_tab(&sid, &jwt, self.now);
                self.drain();
            }
            86..=95 if !self.calls.is_empty() => {
                let (call, _) = *self.r.pick(&self.calls);
                trace!(self, "cancel #{call}");
                self.e.cancel(call, self.now);
                self.drain();
            }
            96..=97 if !self.wire.is_empty() => {
                let i = self.r.below(self.wire.len());
                let w = self.wire.remove(i);
                trace!(self, "answer #{} failed", w.req);
                self.e
                    .http(w.req, Answer::Failed("offline".into()), self.now);
                self.drain();
            }
            _ => {
                let r = &mut self.r;
                let id = r.range(0, 100) as u32;
                trace!(self, "cancel unknown #{id}");
                let known = self.calls.iter().any(|(c, _)| *c == id);
                self.e.cancel(id, self.now);
                let before = self.settled.len();
                self.drain();
                if !known {
                    assert_eq!(self.settled.len(), before);
                }
            }
        }
    }

    /// Answer and fire until idle (`terminal`: only 404s; the refresh timer
    /// is never fired, so the token does not renew forever).
    fn settle_all(&mut self, rounds: u32, mut terminal_after: u32) -> bool {
        for _ in 0..rounds {
            self.events += 1;
            terminal_after = terminal_after.saturating_sub(1);
            if !self.wire.is_empty() {
                let terminal = terminal_after == 0 || self.wire[0].poll;
                self.answer(0, terminal);
            } else if let Some(i) = self.earliest_timer(true) {
                self.fire(i);
            } else {
                return true;
            }
        }
        false
    }

    fn finish(&mut self, cancel_first: bool) {
        if cancel_first {
            trace!(self, "== cancel everything, then answer everything");
            let open: Vec<CallId> = self
                .calls
                .iter()
                .map(|(c, _)| *c)
                .filter(|c| self.settled_count(*c) == 0)
                .collect();
            for c in open {
                self.e.cancel(c, self.now);
                self.drain();
                assert_eq!(self.settled_count(c), 1, "cancel did not settle call {c}");
            }
            assert!(!self.watching, "the tab is watched with no call left");
            assert!(self.settle_all(400, 40), "the engine did not go idle");
        } else {
            trace!(self, "== answer everything, fire every timer");
            assert!(self.settle_all(600, 150), "the engine did not go idle");
            let open: Vec<&(CallId, Op)> = self
                .calls
                .iter()
                .filter(|(c, _)| self.settled_count(*c) == 0)
                .collect();
            assert!(open.is_empty(), "calls that would hang forever: {open:?}");
        }
        for (c, _) in &self.calls {
            assert_eq!(
                self.settled_count(*c),
                1,
                "call {c} not settled exactly once"
            );
        }
        assert_eq!(self.e.live(), [0, 0, 0], "something left alive");
        assert!(self.wire.is_empty());
        assert!(!self.watching, "the tab is still watched");
        let left: Vec<_> = self
            .timers
            .iter()
            .filter(|(t, _)| *t != TimerId::Refresh)
            .collect();
        assert!(left.is_empty(), "timers left armed: {left:?}");
        // A refresh left armed belongs to the active session.
        if self.armed(TimerId::Refresh) {
            assert!(
                self.e.state().session_id.is_some(),
                "refresh armed with no active session"
            );
        }
        let _ = self.e.state().session();
        let _ = self.e.state().user();
        let _ = self.e.state().client_model();
        let _ = self.e.state().environment_model();
        if let Some(si) = self.e.state().sign_in.as_ref() {
            let _ = si.json.field("id");
        }
    }
}

/// Runs one sequence; returns the number of events fed to the engine. On
/// a failure, replays it with the trace on and prints the trace.
pub fn check(i: &EngineInput) -> u64 {
    let play = |tracing: bool| {
        let mut sim = Sim::new(i.seed, tracing);
        let result = catch_unwind(AssertUnwindSafe(|| {
            if i.warm {
                sim.warm();
            }
            for _ in 0..i.steps {
                sim.step();
            }
            sim.finish(i.cancel_at_end);
        }));
        (sim, result)
    };
    let (sim, result) = play(false);
    if let Err(p) = result {
        let (traced, _) = play(true);
        let lines: Vec<&str> = traced.trace.lines().collect();
        let from = lines.len().saturating_sub(150);
        eprintln!(
            "--- engine trace (last {} lines) ---\n{}",
            lines.len() - from,
            lines[from..].join("\n")
        );
        resume_unwind(p);
    }
    sim.events
}
