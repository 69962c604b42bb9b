//! The Frontend API: client identification, routing, and the handlers.
//!
//! A request runs in three steps:
//! 1. **Transaction.** Read routes (GETs) run on a reader connection and
//!    never take the write lock; every other route runs in one write
//!    transaction. The handler decides, the records the answer shows are
//!    loaded, and the transaction ends (committed, or rolled back on an
//!    internal error).
//! 2. **Delivery.** Messages the handler "sent" reach the inbox only once the
//!    transaction committed.
//! 3. **Rendering** (no transaction, no lock): JSON, and the RS256 session
//!    tokens a client shows.

pub mod client;
pub mod me;
pub mod sessions;
pub mod sign_ins;
pub mod sign_ups;
pub mod verify;

use std::cell::RefCell;

use serde_json::{json, Value};

use crate::config::{InstanceConfig, InstanceType};
use crate::domain::verification as ver;
use crate::domain::{self, limits, redirect, session as sess};
use crate::errors::ApiError;
use crate::model::{Client, Message, Session, SignIn, User, Verification};
use crate::render::{self, ClientData, Rc};
use crate::store::{lock, Store, StoreError};
use crate::wire::{Req, Resp};
use crate::AppState;

pub const CLIENT_COOKIE: &str = "__client";

/// What a handler produced. Session-bearing answers are rendered after the
/// transaction (their tokens are signed outside it).
pub enum Out {
    /// `{response, client}` with the client rendered after the handler ran.
    Env(Value),
    /// `{response: session, client}`.
    EnvSession(String),
    /// `{response: client|null, client: null}`.
    BareClient,
    /// `{object: "token", jwt}`: a fresh session token for this session.
    Token(String),
    /// A bare JSON body.
    Json(u16, Value),
    /// 303 See Other.
    Redirect(String),
    Html(u16, String),
}

/// Everything a handler needs for one request.
pub struct Ctx<'a> {
    pub st: &'a AppState,
    pub db: &'a Store<'a>,
    pub cfg: &'a InstanceConfig,
    pub req: &'a Req,
    pub now: i64,
    /// Inside a write transaction (false: a read route on a reader).
    pub write: bool,
    /// The client identified by the request (or created by it).
    pub client_id: Option<String>,
    /// The client was identified by its `__client` cookie.
    pub via_cookie: bool,
    /// The dev-browser JWT and its hash, when the request carried a valid one.
    pub dev_browser: Option<(String, String)>,
    /// A new `__client` cookie value to set (a new client, or a rotation).
    pub new_client_token: RefCell<Option<String>>,
    pub clear_client_cookie: bool,
    /// Messages to deliver once the transaction committed.
    pub outbox: RefCell<Vec<Message>>,
}

impl<'a> Ctx<'a> {
    pub fn rc(&self) -> Rc<'a> {
        Rc {
            st: self.st,
            cfg: self.cfg,
            now: self.now,
            azp: self.req.origin.as_deref(),
        }
    }

    pub fn client(&self) -> Result<Option<Client>, ApiError> {
        match self.client_id.as_deref() {
            Some(id) => Ok(self.db.get_client(id)?),
            None => Ok(None),
        }
    }

    /// The request's client, created on first use (dev browser link or cookie).
    pub fn ensure_client(&mut self) -> Result<Client, ApiError> {
        if let Some(c) = self.client()? {
            return Ok(c);
        }
        let c = Client {
            id: domain::new_id("client"),
            sign_in_id: None,
            sign_up_id: None,
            last_active_session_id: None,
            last_authentication_strategy: None,
            rotate_pending: false,
            created_at: self.now,
            updated_at: self.now,
        };
        if let Some((_, hash)) = &self.dev_browser {
            self.db.put_client(&c, None)?;
            self.db.set_dev_browser_client(hash, &c.id)?;
        } else {
            let token = domain::random_token(32);
            self.db.put_client(&c, Some(&domain::sha256_hex(&token)))?;
            *self.new_client_token.borrow_mut() = Some(token);
            self.via_cookie = true;
        }
        self.client_id = Some(c.id.clone());
        Ok(c)
    }

    pub fn save_client(&self, c: &mut Client) -> Result<(), ApiError> {
        c.updated_at = self.now;
        self.db.put_client(c, None)?;
        Ok(())
    }

    /// A new `__client` token for `c` (saved with `c`): the old one stops
    /// identifying the client.
    fn rotate(&self, c: &mut Client) -> Result<(), ApiError> {
        let token = domain::random_token(32);
        c.rotate_pending = false;
        c.updated_at = self.now;
        self.db.put_client(c, Some(&domain::sha256_hex(&token)))?;
        *self.new_client_token.borrow_mut() = Some(token);
        Ok(())
    }

    pub fn rate_limit(&self, bucket: &str, limit: u32) -> Result<(), ApiError> {
        let window = self.cfg.rate_limits.window_secs;
        let key = format!("{bucket}:{}", self.req.ip);
        lock(&self.st.limiter)
            .check(&key, limit, window, self.now)
            .map_err(ApiError::too_many_requests)
    }

    /// The checks before a code or link is sent to `target`: the per-IP
    /// prepare limit, the per-verification resend throttle (`prev` is the
    /// verification this prepare replaces), then the per-identifier hourly cap.
    pub fn before_send(
        &self,
        prev: Option<&Verification>,
        strategy: &str,
        target: &str,
    ) -> Result<(), ApiError> {
        self.rate_limit("prepare", self.cfg.rate_limits.prepare)?;
        ver::check_resend(
            prev,
            strategy,
            target,
            self.now,
            self.cfg.resend_throttle_secs,
        )?;
        let cap = self.cfg.identifier_codes_per_hour;
        lock(&self.st.identifier_cap)
            .check(target, cap, 3600, self.now)
            .map_err(|wait| ApiError::code_rate_limit_exceeded(wait, cap))
    }

    /// "Sends" a message: it reaches the inbox when the transaction commits.
    pub fn send(
        &self,
        channel: &str,
        to: &str,
        subject: Option<String>,
        body: String,
        code: Option<String>,
        link: Option<String>,
    ) {
        self.outbox.borrow_mut().push(Message {
            id: domain::new_id("msg"),
            channel: channel.into(),
            to: to.into(),
            subject,
            body,
            code,
            link,
            created_at: self.now,
        });
    }

    /// The link a prepared email-link token is opened through.
    pub fn verify_link(&self, token: &str) -> String {
        format!("{}/v1/verify?token={token}", self.st.base_url)
    }

    /// Origins a `redirect_url` may point to besides loopback.
    pub fn redirect_origins(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.st.origin_allow.iter().map(String::as_str).collect();
        v.extend(self.cfg.allowed_origins.iter().map(String::as_str));
        v.extend(
            [
                self.st.base_url.as_str(),
                self.cfg.sign_in_url.as_str(),
                self.cfg.sign_up_url.as_str(),
                self.cfg.user_profile_url.as_str(),
                self.cfg.home_url.as_str(),
            ]
            .into_iter()
            .filter(|u| !u.is_empty()),
        );
        v
    }

    /// The request's `redirect_url`, required and on an allowed origin.
    pub fn redirect_url(&self) -> Result<String, ApiError> {
        let raw = self
            .req
            .param("redirect_url")
            .ok_or_else(|| ApiError::param_missing("redirect_url"))?;
        redirect::check(raw, self.redirect_origins())
    }

    pub fn user(&self, id: Option<&str>) -> Result<Option<User>, ApiError> {
        match id {
            Some(id) => Ok(self.db.get_user(id)?),
            None => Ok(None),
        }
    }

    /// A sign-in as FAPI JSON.
    pub fn sign_in_json(&self, si: &SignIn) -> Result<Value, ApiError> {
        let u = self.user(si.user_id.as_deref())?;
        Ok(render::sign_in(&self.rc(), si, u.as_ref()))
    }

    /// Creates an active session for `user_id` on `client_id` and makes it
    /// the client's last active session. The client's `__client` token is
    /// rotated: now, when this request is that client's; on its next request
    /// otherwise (an email link opened elsewhere).
    pub fn create_session(
        &self,
        client_id: &str,
        user_id: &str,
        first_factor_at: i64,
        second_factor_at: Option<i64>,
        strategy: &str,
    ) -> Result<Session, ApiError> {
        let s = Session {
            id: domain::new_id("sess"),
            client_id: client_id.to_string(),
            user_id: user_id.to_string(),
            status: "active".into(),
            first_factor_at,
            second_factor_at,
            last_active_at: self.now,
            expire_at: domain::after_secs(self.now, self.cfg.session_ttl_secs),
            created_at: self.now,
            updated_at: self.now,
        };
        self.db.put_session(&s)?;
        if let Some(mut c) = self.db.get_client(client_id)? {
            c.last_active_session_id = Some(s.id.clone());
            c.last_authentication_strategy = Some(strategy.to_string());
            c.updated_at = self.now;
            if self.db.client_has_token(client_id)? {
                if self.via_cookie && self.client_id.as_deref() == Some(client_id) {
                    self.rotate(&mut c)?;
                } else {
                    c.rotate_pending = true;
                    self.db.put_client(&c, None)?;
                }
            } else {
                self.db.put_client(&c, None)?;
            }
        }
        if let Some(mut u) = self.db.get_user(user_id)? {
            u.last_sign_in_at = Some(self.now);
            u.updated_at = self.now;
            self.db.put_user(&u)?;
        }
        Ok(s)
    }

    fn active_sessions(&self) -> Result<Vec<Session>, ApiError> {
        let Some(cid) = &self.client_id else {
            return Ok(Vec::new());
        };
        Ok(self
            .db
            .sessions_for_client(cid)?
            .into_iter()
            .filter(|s| sess::is_active(s, self.cfg, self.now))
            .collect())
    }

    /// Multi-session mode: signing in again as a user who already has an
    /// active session on this client fails with `identifier_already_signed_in`.
    pub fn ensure_user_not_signed_in(&self, user_id: &str) -> Result<(), ApiError> {
        match self
            .active_sessions()?
            .into_iter()
            .find(|s| s.user_id == user_id)
        {
            Some(s) => Err(ApiError::identifier_already_signed_in(&s.id)),
            None => Ok(()),
        }
    }

    /// One active session on this client blocks a new sign-in/sign-up (single-session mode).
    pub fn ensure_no_active_session(&self) -> Result<(), ApiError> {
        if !self.cfg.multi_session && !self.active_sessions()?.is_empty() {
            return Err(ApiError::session_exists());
        }
        Ok(())
    }
}

/// The records an answer shows, loaded inside the transaction.
#[derive(Default)]
struct View {
    client: Option<ClientData>,
    session: Option<(Session, Option<User>)>,
}

/// A request's outcome, carried out of its transaction.
struct Done {
    out: Result<Out, ApiError>,
    view: View,
    dev_jwt: Option<String>,
    new_client_token: Option<String>,
    clear_client_cookie: bool,
    outbox: Vec<Message>,
}

/// A read route met a client whose token must rotate: run it as a write.
struct Escalate;

/// The routes that only read (they run in a read transaction): every GET but
/// the email link, which writes, and ClerkJS's PATCH /v1/environment. One
/// read may still turn into a write ([`Escalate`]).
pub fn is_read_route(method: &str, path: &str) -> bool {
    let path = path.trim_matches('/');
    match method {
        "GET" => path != "v1/verify",
        "PATCH" => path == "v1/environment",
        _ => false,
    }
}

/// Entry point for everything that is not a control endpoint.
pub fn handle(st: &AppState, req: &Req, cfg: &InstanceConfig, extra_origins: &[String]) -> Resp {
    let pairs = req
        .form
        .iter()
        .chain(req.query.iter())
        .map(|(k, v)| (k.as_str(), v.as_str()));
    if let Err(e) = limits::check_params(pairs) {
        return Resp::error(&e);
    }
    if req.method != "GET" && req.method != "HEAD" {
        if let Some(o) = &req.origin {
            if !crate::wire::origin_allowed(o, extra_origins) {
                return Resp::error(&ApiError::origin_invalid());
            }
        }
    }
    let segs: Vec<&str> = req.path.trim_matches('/').split('/').collect();
    let now = st.now();
    let exec = |db: &Store, write: bool| run(st, db, req, cfg, now, write, &segs);
    // An internal error (the store failed) rolls the transaction back; a 4xx
    // keeps what the handler recorded (e.g. a failed attempt).
    let keep = |r: &Result<Done, Escalate>| match r {
        Ok(d) => !d.out.as_ref().is_err_and(ApiError::is_internal),
        Err(Escalate) => false,
    };
    let result = if is_read_route(&req.method, &req.path) {
        match st.db.read(|db| exec(db, false)) {
            Ok(Err(Escalate)) => crate::blocking(|| st.db.write(|db| exec(db, true), keep)),
            other => other,
        }
    } else {
        st.db.write(|db| exec(db, true), keep)
    };
    let done = match result {
        Ok(Ok(done)) => done,
        Ok(Err(Escalate)) => return Resp::error(&ApiError::internal("escalated twice")),
        Err(e) => return Resp::error(&ApiError::from(e)),
    };
    finish(st, req, cfg, now, done)
}

fn run(
    st: &AppState,
    db: &Store,
    req: &Req,
    cfg: &InstanceConfig,
    now: i64,
    write: bool,
    segs: &[&str],
) -> Result<Done, Escalate> {
    let mut ctx = Ctx {
        st,
        db,
        cfg,
        req,
        now,
        write,
        client_id: None,
        via_cookie: false,
        dev_browser: None,
        new_client_token: RefCell::new(None),
        clear_client_cookie: false,
        outbox: RefCell::new(Vec::new()),
    };
    let out = match identify(&mut ctx, segs) {
        Ok(()) => route(&mut ctx, segs),
        Err(Identified::Escalate) => return Err(Escalate),
        Err(Identified::Refused(e)) => Err(e),
    };
    let (out, view) = match load_view(&ctx, out) {
        Ok(pair) => pair,
        Err(e) => (Err(ApiError::from(e)), View::default()),
    };
    Ok(Done {
        out,
        view,
        dev_jwt: ctx.dev_browser.map(|(jwt, _)| jwt),
        new_client_token: ctx.new_client_token.into_inner(),
        clear_client_cookie: ctx.clear_client_cookie,
        outbox: ctx.outbox.into_inner(),
    })
}

/// Loads what the answer shows (inside the transaction, so it is consistent
/// with what the handler did).
fn load_view(
    ctx: &Ctx,
    out: Result<Out, ApiError>,
) -> Result<(Result<Out, ApiError>, View), StoreError> {
    let client = |ctx: &Ctx| -> Result<Option<ClientData>, StoreError> {
        match ctx.client_id.as_deref() {
            Some(id) => match ctx.db.get_client(id)? {
                Some(c) => Ok(Some(ClientData::load(ctx.db, c)?)),
                None => Ok(None),
            },
            None => Ok(None),
        }
    };
    let session = |id: &str| -> Result<Option<(Session, Option<User>)>, StoreError> {
        match ctx.db.get_session(id)? {
            Some(s) => {
                let u = ctx.db.get_user(&s.user_id)?;
                Ok(Some((s, u)))
            }
            None => Ok(None),
        }
    };
    let view = match &out {
        Ok(Out::Env(_)) | Ok(Out::BareClient) => View {
            client: client(ctx)?,
            session: None,
        },
        Ok(Out::EnvSession(id)) => {
            // The session is in the client just loaded (with its user): no
            // second read, unless it is not (another client's session).
            let client = client(ctx)?;
            let held = client
                .as_ref()
                .and_then(|c| c.sessions.iter().find(|(s, _)| s.id == *id).cloned());
            View {
                session: match held {
                    Some(s) => Some(s),
                    None => session(id)?,
                },
                client,
            }
        }
        Ok(Out::Token(id)) => View {
            client: None,
            session: session(id)?,
        },
        _ => View::default(),
    };
    Ok((out, view))
}

/// Delivers the outbox and renders the answer (no transaction, no lock).
fn finish(st: &AppState, req: &Req, cfg: &InstanceConfig, now: i64, done: Done) -> Resp {
    let committed = !done.out.as_ref().is_err_and(ApiError::is_internal);
    if committed && !done.outbox.is_empty() {
        let mut inbox = lock(&st.inbox);
        for m in done.outbox {
            inbox.push_back(m);
        }
        while inbox.len() > crate::INBOX_MAX {
            inbox.pop_front();
        }
    }
    let rc = Rc {
        st,
        cfg,
        now,
        azp: req.origin.as_deref(),
    };
    let client = |v: &View| {
        v.client
            .as_ref()
            .map(|d| render::client(&rc, d))
            .unwrap_or(Value::Null)
    };
    let mut resp = match done.out {
        Ok(Out::Env(v)) => Resp::json(200, &json!({"response": v, "client": client(&done.view)})),
        Ok(Out::EnvSession(_)) => {
            let s = done
                .view
                .session
                .as_ref()
                .map(|(s, u)| render::session(&rc, s, u.as_ref()))
                .unwrap_or(Value::Null);
            Resp::json(200, &json!({"response": s, "client": client(&done.view)}))
        }
        Ok(Out::BareClient) => Resp::json(
            200,
            &json!({"response": client(&done.view), "client": null}),
        ),
        Ok(Out::Token(_)) => match done.view.session.as_ref().and_then(|(s, _)| rc.mint(s)) {
            Some(jwt) => Resp::json(200, &json!({"object": "token", "jwt": jwt})),
            None => Resp::error(&ApiError::internal("no token minted")),
        },
        Ok(Out::Json(s, v)) => Resp::json(s, &v),
        Ok(Out::Redirect(loc)) => Resp::redirect(&loc),
        Ok(Out::Html(s, h)) => Resp::html(s, h),
        Err(e) => Resp::error(&e),
    };
    if let Some(jwt) = &done.dev_jwt {
        resp.headers.push(("clerk-db-jwt".into(), jwt.clone()));
    }
    if let Some(tok) = &done.new_client_token {
        resp.headers.push((
            "set-cookie".into(),
            format!("{CLIENT_COOKIE}={tok}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000"),
        ));
    } else if done.clear_client_cookie {
        resp.headers.push((
            "set-cookie".into(),
            format!("{CLIENT_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
        ));
    }
    resp
}

enum Identified {
    Refused(ApiError),
    Escalate,
}

impl From<StoreError> for Identified {
    fn from(e: StoreError) -> Self {
        Identified::Refused(e.into())
    }
}

/// Finds the request's client: dev-browser JWT (development), else the
/// `__client` cookie. A client whose token is due for rotation gets its new
/// token here (a read route escalates to a write for that).
fn identify(ctx: &mut Ctx, segs: &[&str]) -> Result<(), Identified> {
    let dev = ctx.cfg.instance_type == InstanceType::Development;
    let creating_dev_browser = segs == ["v1", "dev_browser"];
    if dev && !creating_dev_browser {
        if let Some(jwt) = ctx.req.query_param("__clerk_db_jwt") {
            if ctx.st.dev_keys.verify(jwt, ctx.now).is_none() {
                return Err(Identified::Refused(ApiError::dev_browser_unauthenticated()));
            }
            let hash = domain::sha256_hex(jwt);
            let Some(cid) = ctx.db.dev_browser_client(&hash)? else {
                return Err(Identified::Refused(ApiError::dev_browser_unauthenticated()));
            };
            ctx.client_id = match cid {
                Some(id) if ctx.db.get_client(&id)?.is_some() => Some(id),
                _ => None,
            };
            ctx.dev_browser = Some((jwt.to_string(), hash));
            return Ok(());
        }
    }
    if let Some(tok) = ctx.req.cookies.get(CLIENT_COOKIE) {
        if !tok.is_empty() {
            if let Some(mut c) = ctx.db.client_by_token_hash(&domain::sha256_hex(tok))? {
                ctx.client_id = Some(c.id.clone());
                ctx.via_cookie = true;
                if c.rotate_pending {
                    if !ctx.write {
                        return Err(Identified::Escalate);
                    }
                    ctx.rotate(&mut c).map_err(Identified::Refused)?;
                }
            }
        }
    }
    Ok(())
}

fn route(ctx: &mut Ctx, segs: &[&str]) -> Result<Out, ApiError> {
    let m = ctx.req.method.as_str();
    match (m, segs) {
        ("GET", [".well-known", "jwks.json"]) | ("GET", ["v1", "jwks"]) => {
            Ok(Out::Json(200, ctx.st.keys.jwks().clone()))
        }
        ("POST", ["v1", "dev_browser"]) => client::create_dev_browser(ctx),
        ("GET" | "PATCH", ["v1", "environment"]) => Ok(Out::Json(
            200,
            crate::config::environment_json(ctx.cfg, ctx.now, &ctx.st.base_url),
        )),
        ("GET", ["v1", "client"]) => client::get(ctx),
        ("POST" | "PUT", ["v1", "client"]) => client::create(ctx),
        ("DELETE", ["v1", "client"]) => client::destroy(ctx),
        ("DELETE", ["v1", "client", "sessions"]) => client::sign_out_all(ctx),
        ("POST", ["v1", "client", "sign_ins"]) => sign_ins::create(ctx),
        ("GET", ["v1", "client", "sign_ins", id]) => sign_ins::get(ctx, id),
        ("POST", ["v1", "client", "sign_ins", id, action]) => sign_ins::action(ctx, id, action),
        ("POST", ["v1", "client", "sign_ups"]) => sign_ups::create(ctx),
        ("GET", ["v1", "client", "sign_ups", id]) => sign_ups::get(ctx, id),
        ("PATCH", ["v1", "client", "sign_ups", id]) => sign_ups::update(ctx, id),
        ("POST", ["v1", "client", "sign_ups", id, action]) => sign_ups::action(ctx, id, action),
        ("GET", ["v1", "client", "sessions", id]) => sessions::get(ctx, id),
        ("POST", ["v1", "client", "sessions", id, "tokens", template]) => {
            sessions::token(ctx, id, Some(template))
        }
        ("POST", ["v1", "client", "sessions", id, action]) => sessions::action(ctx, id, action),
        ("GET", ["v1", "me"]) => me::get(ctx),
        ("GET", ["v1", "me", "email_addresses"]) => me::list_emails(ctx),
        ("POST", ["v1", "me", "email_addresses"]) => me::create_email(ctx),
        ("GET", ["v1", "me", "email_addresses", id]) => me::get_email(ctx, id),
        ("POST", ["v1", "me", "email_addresses", id, action]) => me::email_action(ctx, id, action),
        ("GET", ["v1", "verify"]) => verify::verify(ctx),
        _ => Err(ApiError::not_found()),
    }
}

/// The body text of codes and links.
pub fn code_message(app: &str, code: &str, ttl_secs: u64) -> (String, String) {
    (
        format!("{code} is your verification code"),
        format!(
            "{code} is your verification code for {app}. It expires in {} minutes.",
            ttl_secs / 60
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::is_read_route;

    #[test]
    fn read_routes() {
        assert!(is_read_route("GET", "/v1/client"));
        assert!(is_read_route("GET", "/v1/environment"));
        assert!(is_read_route("PATCH", "/v1/environment"));
        assert!(is_read_route("PATCH", "/v1/environment/"));
        // The email link writes, with or without a trailing slash.
        assert!(!is_read_route("GET", "/v1/verify"));
        assert!(!is_read_route("GET", "/v1/verify/"));
        assert!(!is_read_route("POST", "/v1/client/sign_ins"));
        assert!(!is_read_route("PATCH", "/v1/me"));
        assert!(!is_read_route("DELETE", "/v1/client"));
    }
}
