//! The Frontend API: client identification, routing, and the handlers.

pub mod client;
pub mod me;
pub mod sessions;
pub mod sign_ins;
pub mod sign_ups;
pub mod verify;

use serde_json::{json, Value};

use crate::config::{InstanceConfig, InstanceType};
use crate::domain::{self, tokens};
use crate::errors::ApiError;
use crate::model::{Client, Message, Session};
use crate::store::Store;
use crate::wire::{Out, Req, Resp};
use crate::AppState;

pub const CLIENT_COOKIE: &str = "__client";

/// Everything a handler needs for one request.
pub struct Ctx<'a> {
    pub st: &'a AppState,
    pub db: &'a Store,
    pub cfg: InstanceConfig,
    pub req: &'a Req,
    pub now: i64,
    /// The client identified by the request (or created by it).
    pub client_id: Option<String>,
    /// The dev-browser JWT and its hash, when the request carried a valid one.
    pub dev_browser: Option<(String, String)>,
    /// A new `__client` cookie value to set.
    pub new_client_token: Option<String>,
    pub clear_client_cookie: bool,
}

impl<'a> Ctx<'a> {
    pub fn client(&self) -> Option<Client> {
        self.client_id
            .as_deref()
            .and_then(|id| self.db.get_client(id))
    }

    /// The request's client, created on first use (dev browser link or cookie).
    pub fn ensure_client(&mut self) -> Result<Client, ApiError> {
        if let Some(c) = self.client() {
            return Ok(c);
        }
        let c = Client {
            id: domain::new_id("client"),
            sign_in_id: None,
            sign_up_id: None,
            last_active_session_id: None,
            last_authentication_strategy: None,
            created_at: self.now,
            updated_at: self.now,
        };
        if let Some((_, hash)) = &self.dev_browser {
            self.db.put_client(&c, None)?;
            self.db.set_dev_browser_client(hash, &c.id)?;
        } else {
            let token = domain::random_token(32);
            self.db.put_client(&c, Some(&domain::sha256_hex(&token)))?;
            self.new_client_token = Some(token);
        }
        self.client_id = Some(c.id.clone());
        Ok(c)
    }

    pub fn save_client(&self, c: &mut Client) -> Result<(), ApiError> {
        c.updated_at = self.now;
        self.db.put_client(c, None)?;
        Ok(())
    }

    pub fn rate_limit(&self, bucket: &str, limit: u32) -> Result<(), ApiError> {
        let window = self.cfg.rate_limits.window_secs;
        let key = format!("{bucket}:{}", self.req.ip);
        self.st
            .limiter
            .lock()
            .expect("limiter lock")
            .check(&key, limit, window, self.now)
            .map_err(ApiError::too_many_requests)
    }

    pub fn throttle(&self, identifier: &str) -> Result<(), ApiError> {
        self.st.throttle.lock().expect("throttle lock").check(
            identifier,
            self.now,
            self.cfg.resend_throttle_secs,
        )
    }

    pub fn send(
        &self,
        channel: &str,
        to: &str,
        subject: Option<String>,
        body: String,
        code: Option<String>,
        link: Option<String>,
    ) {
        let m = Message {
            id: domain::new_id("msg"),
            channel: channel.into(),
            to: to.into(),
            subject,
            body,
            code,
            link,
            created_at: self.now,
        };
        let mut inbox = self.st.inbox.lock().expect("inbox lock");
        inbox.push(m);
        if inbox.len() > 10_000 {
            inbox.remove(0);
        }
    }

    /// The link a prepared email-link token is opened through.
    pub fn verify_link(&self, token: &str) -> String {
        format!("{}/v1/verify?token={token}", self.st.base_url)
    }

    /// Creates an active session for `user_id` on `client_id`, makes it the
    /// client's last active session.
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
            expire_at: self.now + self.cfg.session_ttl_secs as i64 * 1000,
            abandon_at: self.now + 30 * 24 * 3600 * 1000,
            last_token: None,
            created_at: self.now,
            updated_at: self.now,
        };
        self.db.put_session(&s)?;
        if let Some(mut c) = self.db.get_client(client_id) {
            c.last_active_session_id = Some(s.id.clone());
            c.last_authentication_strategy = Some(strategy.to_string());
            self.save_client(&mut c)?;
        }
        if let Some(mut u) = self.db.get_user(user_id) {
            u.last_sign_in_at = Some(self.now);
            u.updated_at = self.now;
            self.db.put_user(&u)?;
        }
        Ok(s)
    }

    /// A freshly minted session token.
    pub fn mint_token(&self, s: &Session) -> String {
        let minutes = |t: i64| ((self.now - t).max(0)) / 60_000;
        tokens::session_token(
            &self.st.keys,
            &tokens::SessionClaims {
                issuer: &self.st.base_url,
                session_id: &s.id,
                user_id: &s.user_id,
                azp: self.req.origin.as_deref(),
                now_ms: self.now,
                ttl_secs: self.cfg.session_token_ttl_secs,
                fva: [
                    minutes(s.first_factor_at),
                    s.second_factor_at.map(minutes).unwrap_or(-1),
                ],
            },
        )
    }

    /// Multi-session mode: signing in again as a user who already has an
    /// active session on this client fails with `identifier_already_signed_in`.
    pub fn ensure_user_not_signed_in(&self, user_id: &str) -> Result<(), ApiError> {
        let Some(cid) = &self.client_id else {
            return Ok(());
        };
        match self
            .db
            .sessions_for_client(cid)
            .into_iter()
            .find(|s| s.status == "active" && s.user_id == user_id)
        {
            Some(s) => Err(ApiError::identifier_already_signed_in(&s.id)),
            None => Ok(()),
        }
    }

    /// One active session on this client blocks a new sign-in/sign-up (single-session mode).
    pub fn ensure_no_active_session(&self) -> Result<(), ApiError> {
        if self.cfg.multi_session {
            return Ok(());
        }
        if let Some(cid) = &self.client_id {
            if self
                .db
                .sessions_for_client(cid)
                .iter()
                .any(|s| s.status == "active")
            {
                return Err(ApiError::session_exists());
            }
        }
        Ok(())
    }
}

/// Entry point for everything that is not a control endpoint.
pub fn handle(st: &AppState, req: &Req, extra_origins: &[String]) -> Resp {
    let mut db = st.store.lock().expect("store lock");
    db.batch(|db| handle_in(st, db, req, extra_origins))
}

fn handle_in(st: &AppState, db: &Store, req: &Req, extra_origins: &[String]) -> Resp {
    let cfg = st.cfg();
    let mut ctx = Ctx {
        st,
        db,
        now: st.now(),
        cfg,
        req,
        client_id: None,
        dev_browser: None,
        new_client_token: None,
        clear_client_cookie: false,
    };
    let segs: Vec<&str> = req.path.trim_matches('/').split('/').collect();
    let result = identify(&mut ctx, &segs).and_then(|_| {
        if req.method != "GET" && req.method != "HEAD" {
            if let Some(o) = &req.origin {
                if !crate::wire::origin_allowed(o, extra_origins) {
                    return Err(ApiError::origin_invalid());
                }
            }
        }
        route(&mut ctx, &segs)
    });
    let mut resp = match result {
        Ok(Out::Env(v)) => {
            let client = ctx
                .client()
                .map(|c| crate::render::client(&ctx, &c))
                .unwrap_or(Value::Null);
            Resp::json(200, &json!({"response": v, "client": client}))
        }
        Ok(Out::Json(s, v)) => Resp::json(s, &v),
        Ok(Out::Redirect(loc)) => Resp::redirect(&loc),
        Ok(Out::Html(s, h)) => Resp::html(s, h),
        Err(e) => Resp::error(&e),
    };
    if let Some((jwt, _)) = &ctx.dev_browser {
        resp.headers.push(("clerk-db-jwt".into(), jwt.clone()));
    }
    if let Some(tok) = &ctx.new_client_token {
        resp.headers.push((
            "set-cookie".into(),
            format!("{CLIENT_COOKIE}={tok}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000"),
        ));
    } else if ctx.clear_client_cookie {
        resp.headers.push((
            "set-cookie".into(),
            format!("{CLIENT_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
        ));
    }
    resp
}

/// Finds the request's client: dev-browser JWT (development), else the `__client` cookie.
fn identify(ctx: &mut Ctx, segs: &[&str]) -> Result<(), ApiError> {
    let dev = ctx.cfg.instance_type == InstanceType::Development;
    let creating_dev_browser = segs == ["v1", "dev_browser"];
    if dev && !creating_dev_browser {
        if let Some(jwt) = ctx.req.query_param("__clerk_db_jwt") {
            let hash = domain::sha256_hex(jwt);
            match ctx.db.dev_browser_client(&hash) {
                None => return Err(ApiError::dev_browser_unauthenticated()),
                Some(cid) => {
                    ctx.client_id = cid.filter(|id| ctx.db.get_client(id).is_some());
                    ctx.dev_browser = Some((jwt.to_string(), hash));
                    return Ok(());
                }
            }
        }
    }
    if let Some(tok) = ctx.req.cookies.get(CLIENT_COOKIE) {
        if !tok.is_empty() {
            if let Some(c) = ctx.db.client_by_token_hash(&domain::sha256_hex(tok)) {
                ctx.client_id = Some(c.id);
            }
        }
    }
    Ok(())
}

fn route(ctx: &mut Ctx, segs: &[&str]) -> Result<Out, ApiError> {
    let m = ctx.req.method.as_str();
    match (m, segs) {
        ("GET", [".well-known", "jwks.json"]) | ("GET", ["v1", "jwks"]) => {
            Ok(Out::Json(200, ctx.st.keys.jwks()))
        }
        ("POST", ["v1", "dev_browser"]) => client::create_dev_browser(ctx),
        ("GET" | "PATCH", ["v1", "environment"]) => Ok(Out::Json(
            200,
            crate::config::environment_json(&ctx.cfg, ctx.now),
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
