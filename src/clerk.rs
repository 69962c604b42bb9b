//! The stateful client object: holds the environment and the client, applies
//! every piggybacked client, keeps the active session and its token cache, and
//! notifies listeners. This is the typed async Rust API for Rust front-ends
//! (the npm package runs the same core under its JS shell instead).
//!
//! ```no_run
//! # async fn demo() -> Result<(), clerk_wasm::ClerkError> {
//! use clerk_wasm::{Clerk, ClerkOptions};
//! let clerk = Clerk::new("pk_test_MTI3LjAuMC4xOjQwMTAk", ClerkOptions::default())?;
//! clerk.load().await?;
//! let sign_in = clerk.sign_in().send_phone_code(Some("+15555550100"), None).await?;
//! // …the user types the code…
//! let sign_in = clerk.sign_in().verify_phone_code("123456").await?;
//! if let Some(session) = sign_in.created_session_id {
//!     clerk.set_active(Some(&session)).await?;
//! }
//! let jwt = clerk.get_token(None).await?;
//! # let _ = jwt; Ok(()) }
//! ```

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsValue;

use crate::core::endpoints;
use crate::core::errors::{precondition, ClerkError};
use crate::core::jwt::TokenCache;
use crate::core::key::{fapi_base_url, PublishableKey};
use crate::core::model::{Client, Environment, Session, SignIn, SignUp, User};
use crate::core::request::{Form, Request};
use crate::json::decode;
use crate::transport::Transport;
use crate::worker_timers::{TimerHandle, Timers};

/// Options of [`Clerk::new`] (ClerkJS's constructor options).
#[derive(Debug, Clone, Default)]
pub struct ClerkOptions {
    /// Where the Frontend API is reached instead of the key's host: an absolute
    /// http(s) URL or a path (`/__clerk`) on the page's origin.
    pub proxy_url: Option<String>,
    /// Run the token refresh and the email-link polls on a dedicated worker's
    /// timers, which browsers throttle less in background tabs. Needs CSP
    /// `worker-src blob:`; without it the page's timers are used (the default).
    pub worker_timers: bool,
}

/// Which attempt a newer-API call works on (for `fetchStatus` / `errors`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// The sign-in attempt.
    SignIn = 0,
    /// The sign-up attempt.
    SignUp = 1,
}

/// The newer API's per-attempt status: a call in flight, and the last error.
#[derive(Debug, Clone, Default)]
pub struct AttemptStatus {
    /// A call is in flight (`fetchStatus === 'fetching'`).
    pub fetching: bool,
    /// The error of the last call, cleared when a call starts.
    pub error: Option<ClerkError>,
}

/// A listener id returned by [`Clerk::add_listener`].
pub type ListenerId = u32;

type Listener = Rc<dyn Fn()>;

type MessageHandler = wasm_bindgen::closure::Closure<dyn FnMut(web_sys::MessageEvent)>;

#[derive(Default)]
struct State {
    loaded: bool,
    environment: Option<Environment>,
    environment_raw: Option<JsValue>,
    client: Option<Client>,
    client_raw: Option<JsValue>,
    session_id: Option<String>,
    tokens: TokenCache,
    /// The latest sign-in seen (a call's response or the client's), kept after
    /// the client drops it on completion so `status`/`createdSessionId` stay readable.
    sign_in: Option<(SignIn, JsValue)>,
    /// The latest sign-up seen, likewise.
    sign_up: Option<(SignUp, JsValue)>,
    attempts: [AttemptStatus; 2],
}

struct Inner {
    key: PublishableKey,
    transport: Transport,
    state: RefCell<State>,
    listeners: RefCell<Vec<(ListenerId, Listener)>>,
    next_listener: Cell<ListenerId>,
    token_waiters: RefCell<Option<Vec<futures_channel::oneshot::Sender<()>>>>,
    /// The proactive refresh, due 17 s before the cached token expires.
    refresh_timer: RefCell<Option<TimerHandle>>,
    /// The page's timers, or a worker's ([`ClerkOptions::worker_timers`]).
    timers: Timers,
    /// Shares minted tokens with the other tabs of this browser.
    token_channel: Option<web_sys::BroadcastChannel>,
    on_token_message: RefCell<Option<MessageHandler>>,
}

/// The Clerk client object. Cheap to clone (a shared handle).
#[derive(Clone)]
pub struct Clerk(Rc<Inner>);

impl std::fmt::Debug for Clerk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clerk")
    }
}

/// BroadcastChannel on which tabs share freshly minted session tokens.
const TOKEN_CHANNEL: &str = "clerk-wasm:token";

/// Unix milliseconds from the browser clock.
pub(crate) fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

pub(crate) fn page_origin() -> Option<String> {
    web_sys::window()?.location().origin().ok()
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

impl Clerk {
    /// Parses the publishable key and works out the Frontend API URL; sends nothing.
    pub fn new(publishable_key: &str, options: ClerkOptions) -> Result<Clerk, ClerkError> {
        let key = PublishableKey::parse(publishable_key).map_err(ClerkError::Key)?;
        let origin = page_origin();
        let base = fapi_base_url(&key, options.proxy_url.as_deref(), origin.as_deref())
            .map_err(ClerkError::Key)?;
        let suffix = crate::core::cookies::suffix(publishable_key);
        let transport = Transport::new(base, key.is_development(), suffix);
        let clerk = Clerk(Rc::new(Inner {
            key,
            transport,
            state: RefCell::new(State::default()),
            listeners: RefCell::new(Vec::new()),
            next_listener: Cell::new(1),
            token_waiters: RefCell::new(None),
            refresh_timer: RefCell::new(None),
            timers: Timers::new(options.worker_timers),
            token_channel: web_sys::BroadcastChannel::new(TOKEN_CHANNEL).ok(),
            on_token_message: RefCell::new(None),
        }));
        clerk.listen_for_tokens();
        Ok(clerk)
    }

    /// Where this `Clerk` waits: the page's timers or a worker's.
    pub fn timers(&self) -> &Timers {
        &self.0.timers
    }

    /// True when both handles share the same state (the same `Clerk`).
    pub fn ptr_eq(&self, other: &Clerk) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// The parsed publishable key.
    pub fn publishable_key(&self) -> &PublishableKey {
        &self.0.key
    }

    /// The Frontend API base URL in use (without `/v1`).
    pub fn frontend_api(&self) -> &str {
        self.0.transport.base()
    }

    /// Loads the environment and the client (the dev-browser handshake first
    /// on development instances). Picks the last active session.
    pub async fn load(&self) -> Result<(), ClerkError> {
        self.0.transport.ensure_dev_browser().await?;
        let env_req = if self.0.key.is_development() {
            endpoints::environment::touch()
        } else {
            endpoints::environment::get()
        };
        let client_req = endpoints::client::get();
        let env = self.0.transport.send(&env_req, None, None);
        let client = self.0.transport.send(&client_req, None, None);
        let (env, client) = crate::timers::join(env, client).await;
        let env = env?;
        let client = client?;
        let environment: Environment = decode(&env)?;
        {
            let mut s = self.0.state.borrow_mut();
            s.environment = Some(environment);
            s.environment_raw = Some(env);
        }
        self.apply_client(get(&client, "response"), true);
        {
            let mut s = self.0.state.borrow_mut();
            s.session_id = s
                .client
                .as_ref()
                .and_then(|c| c.pick_active_session(None))
                .map(|x| x.id.clone());
            s.loaded = true;
        }
        self.write_auth_cookies();
        self.emit();
        Ok(())
    }

    /// True once [`load`](Self::load) has resolved.
    pub fn loaded(&self) -> bool {
        self.0.state.borrow().loaded
    }

    /// The instance environment, once loaded.
    pub fn environment(&self) -> Option<Environment> {
        self.0.state.borrow().environment.clone()
    }

    /// The current client (sessions, sign-in and sign-up attempts).
    pub fn client(&self) -> Option<Client> {
        self.0.state.borrow().client.clone()
    }

    /// The active session, if signed in.
    pub fn session(&self) -> Option<Session> {
        let s = self.0.state.borrow();
        let id = s.session_id.as_deref()?;
        s.client.as_ref()?.signed_in_session(id).cloned()
    }

    /// The signed-in user.
    pub fn user(&self) -> Option<User> {
        self.session().and_then(|s| s.user)
    }

    /// The active session's id.
    pub fn session_id(&self) -> Option<String> {
        self.0.state.borrow().session_id.clone()
    }

    /// The sign-in API (classic and newer methods).
    pub fn sign_in(&self) -> crate::sign_in::SignInApi<'_> {
        crate::sign_in::SignInApi::new(self)
    }

    /// The sign-up API (classic and newer methods).
    pub fn sign_up(&self) -> crate::sign_up::SignUpApi<'_> {
        crate::sign_up::SignUpApi::new(self)
    }

    pub(crate) fn current_sign_in(&self) -> Option<SignIn> {
        self.0
            .state
            .borrow()
            .sign_in
            .as_ref()
            .map(|(s, _)| s.clone())
    }

    pub(crate) fn current_sign_up(&self) -> Option<SignUp> {
        self.0
            .state
            .borrow()
            .sign_up
            .as_ref()
            .map(|(s, _)| s.clone())
    }

    /// The raw JSON (snake_case) of the latest sign-in, for fields the models leave out.
    pub fn sign_in_raw(&self) -> Option<JsValue> {
        self.0
            .state
            .borrow()
            .sign_in
            .as_ref()
            .map(|(_, r)| r.clone())
    }

    /// The raw JSON (snake_case) of the latest sign-up, for fields the models leave out.
    pub fn sign_up_raw(&self) -> Option<JsValue> {
        self.0
            .state
            .borrow()
            .sign_up
            .as_ref()
            .map(|(_, r)| r.clone())
    }

    /// Sends a sign-in request; the response becomes the current sign-in.
    pub(crate) async fn call_sign_in(&self, req: Request) -> Result<SignIn, ClerkError> {
        let raw = self.call(req).await?;
        let sign_in: SignIn = decode(&raw)?;
        self.0.state.borrow_mut().sign_in = Some((sign_in.clone(), raw));
        self.emit();
        Ok(sign_in)
    }

    /// Sends a sign-up request; the response becomes the current sign-up.
    pub(crate) async fn call_sign_up(&self, req: Request) -> Result<SignUp, ClerkError> {
        let raw = self.call(req).await?;
        let sign_up: SignUp = decode(&raw)?;
        self.0.state.borrow_mut().sign_up = Some((sign_up.clone(), raw));
        self.emit();
        Ok(sign_up)
    }

    /// [`call_sign_in`](Self::call_sign_in) with an `AbortSignal` (email-link polls).
    pub(crate) async fn call_sign_in_with(
        &self,
        req: Request,
        signal: Option<&web_sys::AbortSignal>,
    ) -> Result<SignIn, ClerkError> {
        let raw = self.call_with(req, signal).await?;
        let sign_in: SignIn = decode(&raw)?;
        self.0.state.borrow_mut().sign_in = Some((sign_in.clone(), raw));
        self.emit();
        Ok(sign_in)
    }

    /// [`call_sign_up`](Self::call_sign_up) with an `AbortSignal` (email-link polls).
    pub(crate) async fn call_sign_up_with(
        &self,
        req: Request,
        signal: Option<&web_sys::AbortSignal>,
    ) -> Result<SignUp, ClerkError> {
        let raw = self.call_with(req, signal).await?;
        let sign_up: SignUp = decode(&raw)?;
        self.0.state.borrow_mut().sign_up = Some((sign_up.clone(), raw));
        self.emit();
        Ok(sign_up)
    }

    /// Sends a `/v1/me/email_addresses…` request; decodes the email address.
    pub(crate) async fn call_email_address_with(
        &self,
        req: Request,
        signal: Option<&web_sys::AbortSignal>,
    ) -> Result<(crate::core::model::EmailAddress, JsValue), ClerkError> {
        let raw = self.call_with(req, signal).await?;
        let email = decode(&raw)?;
        Ok((email, raw))
    }

    /// The newer API's status of `attempt`.
    pub fn attempt_status(&self, attempt: Attempt) -> AttemptStatus {
        self.0.state.borrow().attempts[attempt as usize].clone()
    }

    /// Runs `fut` as a newer-API call on `attempt`: `fetching` while it runs,
    /// its error kept for `errors`; listeners hear both transitions.
    pub async fn track<T>(
        &self,
        attempt: Attempt,
        fut: impl std::future::Future<Output = Result<T, ClerkError>>,
    ) -> Result<T, ClerkError> {
        self.0.state.borrow_mut().attempts[attempt as usize] = AttemptStatus {
            fetching: true,
            error: None,
        };
        self.emit();
        let result = fut.await;
        self.0.state.borrow_mut().attempts[attempt as usize] = AttemptStatus {
            fetching: false,
            error: result.as_ref().err().cloned(),
        };
        self.emit();
        result
    }

    /// Forgets the local attempt (the newer API's `signIn.reset()` / `signUp.reset()`).
    pub fn reset(&self, attempt: Attempt) {
        {
            let mut s = self.0.state.borrow_mut();
            match attempt {
                Attempt::SignIn => s.sign_in = None,
                Attempt::SignUp => s.sign_up = None,
            }
            s.attempts[attempt as usize] = AttemptStatus::default();
        }
        self.emit();
    }

    /// The raw JSON (snake_case) of the current client, for fields the models leave out.
    pub fn client_raw(&self) -> Option<JsValue> {
        self.0.state.borrow().client_raw.clone()
    }

    /// The raw JSON (snake_case) of `/v1/environment`, for fields the models leave out.
    pub fn environment_raw(&self) -> Option<JsValue> {
        self.0.state.borrow().environment_raw.clone()
    }

    /// Sends a request, applies the piggybacked client, returns the raw `response`.
    pub(crate) async fn call(&self, req: Request) -> Result<JsValue, ClerkError> {
        self.call_with(req, None).await
    }

    pub(crate) async fn call_with(
        &self,
        req: Request,
        signal: Option<&web_sys::AbortSignal>,
    ) -> Result<JsValue, ClerkError> {
        let sid = self.session_id();
        let json = self.0.transport.send(&req, sid.as_deref(), signal).await?;
        let mut client = get(&json, "client");
        if client.is_undefined() {
            client = get(&get(&json, "meta"), "client");
        }
        if !client.is_undefined() && !client.is_null() {
            self.apply_client(client, false);
            self.emit();
        }
        Ok(get(&json, "response"))
    }

    /// Replaces the client state. `initial`: the load-time client (may be null).
    fn apply_client(&self, raw: JsValue, initial: bool) {
        let client: Option<Client> = if raw.is_null() || raw.is_undefined() {
            None
        } else {
            decode(&raw).ok()
        };
        let mut s = self.0.state.borrow_mut();
        if let Some(c) = &client {
            s.tokens.seed_from_client(c);
        }
        if !initial {
            // Keep the current session only while it is still signed in.
            let keep = match (&s.session_id, &client) {
                (Some(id), Some(c)) => c.signed_in_session(id).is_some(),
                _ => false,
            };
            if !keep {
                s.session_id = None;
            }
        }
        if let Some(c) = &client {
            if let Some(si) = &c.sign_in {
                s.sign_in = Some((si.clone(), get(&raw, "sign_in")));
            }
            if let Some(su) = &c.sign_up {
                s.sign_up = Some((su.clone(), get(&raw, "sign_up")));
            }
        }
        s.client_raw = client.as_ref().map(|_| raw);
        s.client = client;
        drop(s);
        self.schedule_refresh();
    }

    /// Makes `session_id` the active session (`None` signs out locally):
    /// touches it on the server, warms its token, notifies listeners.
    pub async fn set_active(&self, session_id: Option<&str>) -> Result<(), ClerkError> {
        let Some(id) = session_id else {
            self.0.state.borrow_mut().session_id = None;
            self.schedule_refresh();
            self.emit();
            return Ok(());
        };
        let known = self
            .client()
            .is_some_and(|c| c.signed_in_session(id).is_some());
        if !known {
            return Err(precondition::SESSION_NOT_FOUND);
        }
        self.0.state.borrow_mut().session_id = Some(id.to_string());
        let touch = endpoints::sessions::touch(id, None, "select_session")?;
        self.call(touch).await?;
        self.0.state.borrow_mut().session_id = Some(id.to_string());
        // Warm the token (usually a cache hit from `last_active_token`).
        self.get_token(None).await?;
        self.schedule_refresh();
        self.emit();
        Ok(())
    }

    /// Signs out of every session on this client (`DELETE /v1/client/sessions`).
    pub async fn sign_out(&self) -> Result<(), ClerkError> {
        let client = self.call(endpoints::client::delete_sessions()).await?;
        self.apply_client(client, false);
        {
            let mut s = self.0.state.borrow_mut();
            s.session_id = None;
            s.tokens.clear();
        }
        self.schedule_refresh();
        self.emit();
        Ok(())
    }

    /// Signs out of one session (ClerkJS `signOut({ sessionId })`): when it is
    /// the only signed-in session, of every session ([`sign_out`](Self::sign_out));
    /// else `POST /v1/client/sessions/{id}/remove` (nothing for an unknown id).
    /// Returns true when the active session was signed out.
    pub async fn sign_out_session(&self, session_id: &str) -> Result<bool, ClerkError> {
        let (known, count) = self.client().map_or((false, 0), |c| {
            (
                c.signed_in_session(session_id).is_some(),
                c.signed_in_sessions().count(),
            )
        });
        if count == 1 {
            self.sign_out().await?;
            return Ok(true);
        }
        if !known {
            return Ok(false);
        }
        let current = self.session_id().as_deref() == Some(session_id);
        self.call(endpoints::sessions::remove(session_id)?).await?;
        self.0.state.borrow_mut().tokens.remove_session(session_id);
        self.schedule_refresh();
        self.emit();
        Ok(current)
    }

    /// The active session's JWT: from the cache while more than 5 s of its
    /// 60 s remain, else minted with `POST …/tokens` (one request in flight;
    /// concurrent callers wait for it). `None` when signed out.
    pub async fn get_token(&self, template: Option<&str>) -> Result<Option<String>, ClerkError> {
        self.get_token_with(template, false).await
    }

    /// [`get_token`](Self::get_token), with `skip_cache` (ClerkJS's `skipCache`):
    /// always mints a fresh token (`debug=skip_cache`) and caches it.
    pub async fn get_token_with(
        &self,
        template: Option<&str>,
        skip_cache: bool,
    ) -> Result<Option<String>, ClerkError> {
        self.token(template, skip_cache, skip_cache).await
    }

    /// The token engine: `force` skips the cache read (proactive refresh,
    /// `skipCache`); one request is in flight at a time and concurrent callers
    /// wait for it.
    async fn token(
        &self,
        template: Option<&str>,
        force: bool,
        skip_cache: bool,
    ) -> Result<Option<String>, ClerkError> {
        let Some(sid) = self.session_id() else {
            return Ok(None);
        };
        let key = TokenCache::key(&sid, template, None);
        let mut read_cache = !force;
        loop {
            if read_cache {
                if let Some(jwt) = self.0.state.borrow().tokens.get(&key, now_ms()) {
                    return Ok(Some(jwt.to_string()));
                }
            }
            read_cache = true;
            // Wait for a refresh already in flight, then look again.
            let waiter = {
                let mut w = self.0.token_waiters.borrow_mut();
                match w.as_mut() {
                    Some(list) => {
                        let (tx, rx) = futures_channel::oneshot::channel();
                        list.push(tx);
                        Some(rx)
                    }
                    None => {
                        *w = Some(Vec::new());
                        None
                    }
                }
            };
            match waiter {
                Some(rx) => {
                    let _ = rx.await;
                    if let Some(jwt) = self.0.state.borrow().tokens.get(&key, now_ms()) {
                        return Ok(Some(jwt.to_string()));
                    }
                    // The refresh failed for the others too: try ourselves.
                }
                None => {
                    let result = self.fetch_token(&sid, template, &key, skip_cache).await;
                    for tx in self.0.token_waiters.borrow_mut().take().unwrap_or_default() {
                        let _ = tx.send(());
                    }
                    return result.map(Some);
                }
            }
        }
    }

    /// Schedules the proactive refresh of the active session's token (17 s
    /// before it expires); clears it when signed out.
    fn schedule_refresh(&self) {
        self.write_auth_cookies();
        let due = {
            let s = self.0.state.borrow();
            s.session_id.as_deref().and_then(|sid| {
                s.tokens
                    .entry(&TokenCache::key(sid, None, None))
                    .map(|e| (e.refresh_due_at_ms(), e.exp_ms()))
            })
        };
        let now = now_ms();
        // Short-lived tokens (under 17 s) refresh at half-life; nearly expired
        // ones are left to the next get_token, so a refresh can never spin.
        let delay = match due {
            Some((due, _)) if due > now => due - now,
            Some((_, exp)) if exp > now + 5_000 => (exp - now) / 2,
            _ => {
                *self.0.refresh_timer.borrow_mut() = None;
                return;
            }
        };
        let delay = delay.min(u64::from(u32::MAX)) as u32;
        let weak = Rc::downgrade(&self.0);
        let timer = self.0.timers.timeout(delay, move || {
            if let Some(inner) = weak.upgrade() {
                let clerk = Clerk(inner);
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = clerk.token(None, true, false).await;
                });
            }
        });
        *self.0.refresh_timer.borrow_mut() = Some(timer);
    }

    /// Writes the app-domain cookies as ClerkJS does on every token update:
    /// `__session` (removed when signed out) and, for development keys on the
    /// app's own domain, `__client_uat`; each also with the key's suffix.
    fn write_auth_cookies(&self) {
        let (jwt, uat) = {
            let s = self.0.state.borrow();
            let jwt = s
                .session_id
                .as_deref()
                .and_then(|sid| s.tokens.entry(sid))
                .map(|e| e.jwt.clone())
                .unwrap_or_default();
            let uat = s.client.as_ref().map_or_else(
                || "0".into(),
                |c| {
                    crate::core::cookies::client_uat(
                        c.updated_at,
                        c.signed_in_sessions().next().is_some(),
                    )
                },
            );
            (jwt, uat)
        };
        let t = &self.0.transport;
        t.write_cookies(crate::core::cookies::SESSION, &jwt, false);
        let host = web_sys::window().and_then(|w| w.location().host().ok());
        let key = &self.0.key;
        if crate::core::cookies::writes_client_uat(
            key.is_development(),
            &key.frontend_api,
            host.as_deref().unwrap_or_default(),
        ) {
            t.write_cookies(crate::core::cookies::CLIENT_UAT, &uat, true);
        }
    }

    /// Takes tokens that other tabs minted for the same session.
    fn listen_for_tokens(&self) {
        let Some(channel) = &self.0.token_channel else {
            return;
        };
        let weak = Rc::downgrade(&self.0);
        let on_message = MessageHandler::new(move |e: web_sys::MessageEvent| {
            let Some(inner) = weak.upgrade() else { return };
            let clerk = Clerk(inner);
            let data = e.data();
            let (Some(sid), Some(jwt)) =
                (get(&data, "sid").as_string(), get(&data, "jwt").as_string())
            else {
                return;
            };
            if clerk.session_id().as_deref() == Some(sid.as_str()) {
                let key = TokenCache::key(&sid, None, None);
                let _ = clerk.0.state.borrow_mut().tokens.insert(key, &jwt);
                clerk.schedule_refresh();
            }
        });
        channel.set_onmessage(Some(wasm_bindgen::JsCast::unchecked_ref(
            on_message.as_ref(),
        )));
        *self.0.on_token_message.borrow_mut() = Some(on_message);
    }

    async fn fetch_token(
        &self,
        sid: &str,
        template: Option<&str>,
        key: &str,
        skip_cache: bool,
    ) -> Result<String, ClerkError> {
        let req = match template {
            Some(t) => endpoints::sessions::template_token(sid, t)?,
            None => endpoints::sessions::token(sid, None, Form::new(), skip_cache)?,
        };
        let json = self.0.transport.send(&req, Some(sid), None).await?;
        let jwt = get(&json, "jwt")
            .as_string()
            .ok_or_else(ClerkError::decode_failed)?;
        let _ = self
            .0
            .state
            .borrow_mut()
            .tokens
            .insert(key.to_string(), &jwt);
        if template.is_none() {
            if let Some(channel) = &self.0.token_channel {
                let msg = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&msg, &"sid".into(), &sid.into());
                let _ = js_sys::Reflect::set(&msg, &"jwt".into(), &jwt.as_str().into());
                let _ = channel.post_message(&msg);
            }
            self.schedule_refresh();
        }
        Ok(jwt)
    }

    /// Reloads the client (`GET /v1/client`).
    pub async fn reload_client(&self) -> Result<Option<Client>, ClerkError> {
        let json = self
            .0
            .transport
            .send(&endpoints::client::get(), None, None)
            .await?;
        self.apply_client(get(&json, "response"), false);
        self.emit();
        Ok(self.client())
    }

    /// Calls `f` after every change of client, session or user; returns an id
    /// for [`remove_listener`](Self::remove_listener).
    pub fn add_listener(&self, f: impl Fn() + 'static) -> ListenerId {
        let id = self.0.next_listener.get();
        self.0.next_listener.set(id.wrapping_add(1));
        self.0.listeners.borrow_mut().push((id, Rc::new(f)));
        id
    }

    /// Removes a listener; unknown ids are ignored.
    pub fn remove_listener(&self, id: ListenerId) {
        self.0.listeners.borrow_mut().retain(|(i, _)| *i != id);
    }

    fn emit(&self) {
        let listeners: Vec<Listener> = self
            .0
            .listeners
            .borrow()
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        for l in listeners {
            l();
        }
    }
}
