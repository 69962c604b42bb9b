//! The client engine: every behaviour of the Clerk client object as one
//! sans-IO state machine, in the manner of quinn-proto's `Connection`. It
//! never performs I/O and never reads a clock: a driver feeds it events and
//! carries out the commands it returns. Both drivers of this project — the
//! async Rust API and the npm package — run this one engine (through the
//! single driver in `clerk-wasm`), so each behaviour is decided once, here,
//! and tested natively with a fake clock (`engine/tests.rs`).
//!
//! # What goes in
//!
//! | input | when |
//! |---|---|
//! | [`Engine::new`] | once: the publishable key, proxy URL, page facts, the stored dev-browser JWT |
//! | [`Engine::call`] | a user call ([`Call`]: an [`Op`] with its parameters); returns its [`CallId`] |
//! | [`Engine::http`] | the [`Answer`] to a [`Cmd::Send`] (a response, or a network failure) |
//! | [`Engine::timer`] | a timer set by [`Cmd::SetTimer`] fired |
//! | [`Engine::nudge`] | the tab became visible, got focus or went online, or a landing tab announced a link |
//! | [`Engine::token_from_tab`] | another tab of this browser shared a session token |
//! | [`Engine::client_changed_elsewhere`] | another tab signed in or out ([`Broadcast::ClientChanged`]) |
//! | [`Engine::cancel`] | cancel a call (its `AbortSignal`, `cancelEmailLinkFlow`, a dropped future) |
//!
//! Every input takes `now_ms`, the wall clock in Unix milliseconds.
//!
//! # What comes out
//!
//! After each input, call [`Engine::poll`] until it returns `None` and carry
//! out every [`Cmd`] in order. The driver must:
//!
//! - [`Cmd::Send`]: fetch the URL (`credentials: include` when asked; a body
//!   is `application/x-www-form-urlencoded`), then report exactly one
//!   [`Engine::http`] for that [`ReqId`] — unless [`Cmd::Abort`] came first,
//!   after which any answer is ignored.
//! - [`Cmd::SetTimer`] / [`Cmd::ClearTimer`]: one timer per [`TimerId`]; setting
//!   an armed id re-arms it. Report [`Engine::timer`] when it fires.
//! - [`Cmd::Cookie`]: write `name` and `name_<suffix>` on the page (an empty
//!   value removes them); `strict` cookies go on the eTLD+1 with `SameSite=Strict`.
//! - [`Cmd::Post`]: post the message on the browser's channel for other tabs.
//! - [`Cmd::WatchTab`]: while `true`, report [`Engine::nudge`] on
//!   `visibilitychange` (to visible), `focus`, `online` and email-link
//!   announcements of other tabs.
//! - [`Cmd::Notify`]: the state changed: listeners run (at most once per input).
//! - [`Cmd::Done`]: settle the call (after `Notify`, so listeners saw the state).
//! - [`Cmd::Navigate`] / [`Cmd::ReplaceQuery`]: `location.assign` /
//!   `history.replaceState` with the page's path, this query and its hash.
//!
//! Commands are `#[must_use]`: dropping one leaves a call unsettled.
//!
//! # Guarantees
//!
//! Every call ends with exactly one [`Cmd::Done`]: a request that stalls is
//! aborted after [`REQUEST_TIMEOUT_MS`] (an email-link poll after
//! [`POLL_TIMEOUT_MS`]); cancel settles with [`ClerkError::Cancelled`]. GETs
//! are retried on network failures (at once, then 700 ms doubling to 5 s, four
//! tries); other methods never are. Nothing here logs; codes and tokens are
//! never put anywhere but the request that needs them and the token cache.

mod link;
mod net;
mod ops;
mod state;
mod tasks;
#[cfg(test)]
mod tests;
mod tokens;

pub use crate::redirect::RedirectUrls;
pub use ops::{Call, Op, Resource};
pub use state::{Attempt, AttemptStatus, ClientView, Raw, State};

use crate::cookies;
use crate::errors::ClerkError;
use crate::key::{fapi_base_url, PublishableKey};
use crate::model::decode::Source;

/// A stalled request is aborted after this long (a network error).
pub const REQUEST_TIMEOUT_MS: u32 = 20_000;
/// A stalled email-link poll is aborted after this long; the next poll goes
/// at the usual interval.
pub const POLL_TIMEOUT_MS: u32 = 5_000;

/// A call's id, given by [`Engine::call`].
pub type CallId = u32;
/// A request's id, in [`Cmd::Send`].
pub type ReqId = u32;

/// The engine's timers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimerId {
    /// The deadline of a request in flight.
    Timeout(ReqId),
    /// The next try of a GET that failed on the network.
    Retry(ReqId),
    /// The next poll of an email-link wait (the call's id).
    Poll(CallId),
    /// The proactive refresh of the active session's token.
    Refresh,
}

/// Facts about the page the engine runs on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// `location.origin` (relative redirect and proxy URLs resolve against it).
    pub origin: Option<String>,
    /// `location.host` (with port).
    pub host: String,
    /// `https:` pages get `Secure` cookies.
    pub secure: bool,
    /// `navigator.language`, sent as `locale` on creates.
    pub locale: Option<String>,
}

/// A page of the hosted pages (ClerkJS's Account Portal), or where the user
/// goes after signing in or up ([`Engine::url_for`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hosted {
    /// `display_config.sign_in_url` (or the `signInUrl` option).
    SignIn,
    /// `display_config.sign_up_url` (or the `signUpUrl` option).
    SignUp,
    /// `display_config.user_profile_url`.
    UserProfile,
    /// Where the user goes after signing in.
    AfterSignIn,
    /// Where the user goes after signing up.
    AfterSignUp,
}

/// ClerkJS's `load()` options the engine keeps: the hosted pages' URLs, the
/// redirect options, and the origins redirects may go to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `signInUrl`.
    pub sign_in_url: Option<String>,
    /// `signUpUrl`.
    pub sign_up_url: Option<String>,
    /// `signInForceRedirectUrl`, `signInFallbackRedirectUrl`, … (and the
    /// deprecated `afterSignInUrl`, `afterSignUpUrl` as fallbacks).
    pub redirects: RedirectUrls,
    /// `allowedRedirectOrigins`: where redirects may go besides the page's
    /// own origin (none: anywhere over http(s)).
    pub allowed_redirect_origins: Vec<String>,
}

impl Options {
    /// Reads ClerkJS's options from a call's form (snake_case).
    pub fn from_form(form: &crate::request::Form) -> Options {
        let get = |k: &str| form.get(k).filter(|v| !v.is_empty()).map(String::from);
        Options {
            sign_in_url: get("sign_in_url"),
            sign_up_url: get("sign_up_url"),
            // The names of `redirect::PARAMS`, spelled out: reading them
            // through that table (`RedirectUrls::from_params`' loop) measured
            // ~100 B gzip larger. `load_options_read_redirects` pins them.
            redirects: RedirectUrls {
                redirect_url: get("redirect_url"),
                sign_in_force: get("sign_in_force_redirect_url"),
                sign_in_fallback: get("sign_in_fallback_redirect_url")
                    .or_else(|| get("after_sign_in_url")),
                sign_up_force: get("sign_up_force_redirect_url"),
                sign_up_fallback: get("sign_up_fallback_redirect_url")
                    .or_else(|| get("after_sign_up_url")),
            },
            allowed_redirect_origins: form.get_all("allowed_redirect_origins"),
        }
    }
}

/// What [`Engine::new`] needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// `pk_test_…` or `pk_live_…`.
    pub publishable_key: String,
    /// ClerkJS's `proxyUrl`: an absolute URL, or a path on the page's origin.
    pub proxy_url: Option<String>,
    /// The page.
    pub page: Page,
    /// The dev-browser JWT found in the page's cookies (development instances).
    pub dev_browser_jwt: Option<String>,
}

/// The outcome of a [`Cmd::Send`].
#[derive(Debug, Clone)]
pub enum Answer<V> {
    /// An HTTP response.
    Response {
        /// Its status.
        status: u16,
        /// The parsed JSON body (`None`: empty, or not JSON).
        body: Option<V>,
        /// The `Retry-After` header.
        retry_after: Option<String>,
        /// The `Clerk-Db-Jwt` header (a refreshed dev-browser JWT).
        dev_browser_jwt: Option<String>,
    },
    /// No response: offline, DNS, CORS, reset (the platform's message).
    Failed(String),
}

/// What a call resolves with.
#[derive(Debug, Clone, PartialEq)]
pub enum Output<V> {
    /// Nothing (`undefined`).
    None,
    /// A string: a token, an email-link outcome.
    Text(String),
    /// A resource's JSON (the operation's answer).
    Json(V),
    /// A flag: whether `signOut` ended the active session.
    Flag(bool),
}

/// A message to the other tabs of this browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broadcast {
    /// A session token minted here.
    Token {
        /// Its session.
        session_id: String,
        /// The JWT.
        jwt: String,
    },
    /// An email link landed here with this `__clerk_status` (never a token).
    EmailLink {
        /// The status.
        status: String,
    },
    /// This tab signed in or out: the other tabs on the same client of the
    /// same application reload it ([`Engine::client_changed_elsewhere`]).
    /// Carries no token.
    ClientChanged {
        /// The application as this engine reaches it ([`Engine::app_scope`]).
        app: String,
        /// The client's id.
        client: String,
        /// A session became active here (`signed_in`), or ended (`signed_out`).
        signed_in: bool,
    },
}

/// What the driver must do; see the module docs.
#[must_use = "every command must be carried out, or a call is left unsettled"]
#[derive(Debug, Clone, PartialEq)]
pub enum Cmd<V> {
    /// Fetch this request and report [`Engine::http`].
    Send {
        /// Its id.
        req: ReqId,
        /// `GET` or `POST`.
        method: &'static str,
        /// The full URL.
        url: String,
        /// The urlencoded body (POST).
        body: Option<String>,
        /// `credentials: include`.
        credentials: bool,
    },
    /// Abort this request; its answer will be ignored.
    Abort(ReqId),
    /// Arm (or re-arm) this timer.
    SetTimer {
        /// Which.
        timer: TimerId,
        /// Delay in ms.
        ms: u32,
    },
    /// Disarm this timer.
    ClearTimer(TimerId),
    /// Write (or, empty, remove) a cookie and its suffixed twin.
    Cookie {
        /// `__session`, `__client_uat` or `__clerk_db_jwt`.
        name: &'static str,
        /// The value.
        value: String,
        /// `SameSite=Strict` on the eTLD+1 (else `Lax` on the host).
        strict: bool,
    },
    /// Post to the other tabs.
    Post(Broadcast),
    /// Start (`true`) or stop reporting [`Engine::nudge`].
    WatchTab(bool),
    /// The state changed: run the listeners.
    Notify,
    /// Settle a call.
    Done {
        /// Which.
        call: CallId,
        /// How.
        result: Result<Output<V>, ClerkError>,
    },
    /// Go to this URL.
    Navigate(String),
    /// Replace the page's query (`""` or `?…`) in the address bar, keeping path and hash.
    ReplaceQuery(String),
}

/// The client engine. `V` is the driver's parsed JSON (the browser's own
/// objects in `clerk-wasm`, `serde_json::Value` in tests).
#[derive(Debug)]
pub struct Engine<V> {
    key: PublishableKey,
    base: String,
    suffix: String,
    page: Page,
    state: State<V>,
    net: net::Net,
    tasks: Vec<tasks::Task>,
    load: Option<tasks::LoadJob<V>>,
    tokens: tokens::Tokens,
    /// The client reload another tab's sign-in or sign-out asked for:
    /// `(request, another one is wanted after it)`.
    sync: Option<(ReqId, bool)>,
    options: Options,
    written: [Option<String>; 2],
    watching: bool,
    next_id: u32,
    /// The commands not yet polled, oldest first (a handful at a time: a
    /// `Vec` costs less code than a `VecDeque`).
    out: Vec<Cmd<V>>,
    settled: Vec<(CallId, Result<Output<V>, ClerkError>)>,
    after: Vec<Cmd<V>>,
    dirty: bool,
    /// The wall clock of the input being handled.
    now: u64,
}

impl<V: Source + Clone> Engine<V> {
    /// Parses the key and works out the Frontend API URL; sends nothing.
    /// Errors: `invalid_publishable_key`, `invalid_proxy_url`.
    pub fn new(config: Config) -> Result<Engine<V>, ClerkError> {
        let key = PublishableKey::parse(&config.publishable_key)?;
        let base = fapi_base_url(
            &key,
            config.proxy_url.as_deref(),
            config.page.origin.as_deref(),
        )?;
        let dev = key.is_development();
        Ok(Engine {
            suffix: cookies::suffix(&config.publishable_key),
            key,
            base,
            page: config.page,
            state: State::default(),
            net: net::Net::new(if dev {
                Some(config.dev_browser_jwt.filter(|j| !j.is_empty()))
            } else {
                None
            }),
            tasks: Vec::new(),
            load: None,
            tokens: tokens::Tokens::default(),
            sync: None,
            options: Options::default(),
            written: [None, None],
            watching: false,
            next_id: 0,
            out: Vec::new(),
            settled: Vec::new(),
            after: Vec::new(),
            dirty: false,
            now: 0,
        })
    }

    /// What the client object shows.
    pub fn state(&self) -> &State<V> {
        &self.state
    }

    /// The parsed publishable key.
    pub fn publishable_key(&self) -> &PublishableKey {
        &self.key
    }

    /// The Frontend API base URL in use (without `/v1`).
    pub fn frontend_api_url(&self) -> &str {
        &self.base
    }

    /// The publishable key's cookie-name suffix (ClerkJS's).
    pub fn cookie_suffix(&self) -> &str {
        &self.suffix
    }

    /// Whom [`Broadcast::ClientChanged`] concerns: the Frontend API this
    /// engine reaches and the publishable key's cookie suffix. Two engines of
    /// one browser with the same scope share a client, or will.
    pub fn app_scope(&self) -> String {
        let mut scope = self.base.clone();
        scope.push(' ');
        scope.push_str(&self.suffix);
        scope
    }

    /// The dev-browser JWT in use (development instances, once known).
    pub fn dev_browser_jwt(&self) -> Option<&str> {
        self.net.dev_browser_jwt()
    }

    /// The options `load()` was given.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// A URL the user may be sent to: `url` when it is http(s) (or a path)
    /// on the page's origin or an allowed one, with the dev browser added for
    /// another origin (ClerkJS's `buildUrlWithAuth`); `None` when not allowed.
    pub fn checked_url(&self, url: &str) -> Option<String> {
        let origin = self.page.origin.as_deref();
        crate::redirect::allowed(url, origin, &self.options.allowed_redirect_origins)
            .then(|| crate::redirect::decorate(url, origin, self.dev_browser_jwt()))
    }

    /// ClerkJS's `buildSignInUrl(props)` and friends: a hosted page's URL with
    /// the redirect parameters in its hash (`redirect_url` defaults to
    /// `page_href`), or where the user goes after signing in or up; `props`
    /// beat the `load()` options. Development URLs to another origin carry the
    /// dev browser. Empty before `load()` (no environment yet), and when the
    /// URL is not one redirects may go to.
    pub fn url_for(&self, which: Hosted, props: &RedirectUrls, page_href: &str) -> String {
        let Some(env) = self.state.environment.as_ref() else {
            return String::new();
        };
        let display = |key: &str| {
            env.field("display_config")
                .and_then(|d| d.field(key))
                .and_then(|v| v.string())
                .unwrap_or_default()
        };
        let redirects = props.clone().or(self.options.redirects.clone());
        let url = match which {
            Hosted::SignIn | Hosted::SignUp => {
                let (option, key) = if which == Hosted::SignIn {
                    (&self.options.sign_in_url, "sign_in_url")
                } else {
                    (&self.options.sign_up_url, "sign_up_url")
                };
                let base = option.clone().unwrap_or_else(|| display(key));
                let mut r = redirects;
                r.redirect_url = props
                    .redirect_url
                    .clone()
                    .or_else(|| Some(page_href.into()));
                let params = r.hash_params(self.page.origin.as_deref());
                crate::redirect::with_hash_params(&base, &params)
            }
            Hosted::UserProfile => display("user_profile_url"),
            Hosted::AfterSignIn => redirects.after(false).into(),
            Hosted::AfterSignUp => redirects.after(true).into(),
        };
        if url.is_empty() {
            return url;
        }
        self.checked_url(&url).unwrap_or_default()
    }

    /// The next command, or `None` when there is nothing left to do.
    pub fn poll(&mut self) -> Option<Cmd<V>> {
        (!self.out.is_empty()).then(|| self.out.remove(0))
    }

    /// Starts a call; its [`Cmd::Done`] may already be among the commands.
    pub fn call(&mut self, call: Call, now_ms: u64) -> CallId {
        self.now = now_ms;
        let id = self.id();
        self.start(id, call, now_ms);
        self.flush(now_ms);
        id
    }

    /// The answer to request `req` (unknown or aborted requests are ignored).
    pub fn http(&mut self, req: ReqId, answer: Answer<V>, now_ms: u64) {
        self.now = now_ms;
        self.answer(req, answer, now_ms);
        self.flush(now_ms);
    }

    /// Timer `timer` fired (a disarmed timer is ignored).
    pub fn timer(&mut self, timer: TimerId, now_ms: u64) {
        self.now = now_ms;
        match timer {
            TimerId::Timeout(req) => self.timed_out(req, now_ms),
            TimerId::Retry(req) => self.retry(req),
            TimerId::Poll(call) => self.poll_now(call, now_ms),
            TimerId::Refresh => self.refresh_now(now_ms),
        }
        self.flush(now_ms);
    }

    /// The tab came back (visible, focus, online), or a landing tab announced
    /// a link: email-link waits poll at once (or right after the poll in flight).
    pub fn nudge(&mut self, now_ms: u64) {
        self.now = now_ms;
        self.nudge_waits(now_ms);
        self.flush(now_ms);
    }

    /// Another tab shared a token for `session_id`. It is kept when it is a
    /// readable JWT of that session, the session is signed in here, and it
    /// expires later than the one cached.
    pub fn token_from_tab(&mut self, session_id: &str, jwt: &str, now_ms: u64) {
        self.now = now_ms;
        self.accept_token(session_id, jwt);
        self.flush(now_ms);
    }

    /// Another tab of this browser signed in or out on `client`
    /// ([`Broadcast::ClientChanged`] from application `app`). When that is
    /// this engine's client too, it is fetched again: a session ended there
    /// ends here, and a tab with no active session takes the one signed in
    /// there. A loaded tab with no client yet fetches its client too (its
    /// browser may have just made one there). Other applications' and other
    /// clients' messages are ignored (so is one before `load()`); a message
    /// during a reload makes one more reload after it.
    pub fn client_changed_elsewhere(&mut self, app: &str, client: &str, now_ms: u64) {
        self.now = now_ms;
        let ours = match self.state.client_id() {
            Some(id) => id == client,
            None => self.state.loaded,
        };
        if ours && app == self.app_scope() {
            match &mut self.sync {
                Some((_, again)) => *again = true,
                None => self.start_sync(),
            }
        }
        self.flush(now_ms);
    }

    /// Cancels call `call`: it settles with [`ClerkError::Cancelled`] and its
    /// requests and timers are dropped. Idempotent; settled calls are ignored.
    pub fn cancel(&mut self, call: CallId, now_ms: u64) {
        self.now = now_ms;
        self.cancel_task(call, ClerkError::Cancelled);
        self.flush(now_ms);
    }

    /// What is alive: `(calls in progress, requests in flight or waiting,
    /// token fetches)`; all three are 0 when the engine is idle.
    pub fn live(&self) -> [usize; 3] {
        [self.tasks.len(), self.net.len(), self.tokens.in_flight()]
    }

    /// Whether a new listener should be called at once (ClerkJS does so once
    /// loaded).
    pub fn notify_new_listener(&self) -> bool {
        self.state.loaded
    }

    fn id(&mut self) -> u32 {
        self.next_id = self.next_id.wrapping_add(1);
        self.next_id
    }

    fn push(&mut self, cmd: Cmd<V>) {
        self.out.push(cmd);
    }

    /// Settles `call` at the end of this input (after `Notify`).
    fn settle(&mut self, call: CallId, result: Result<Output<V>, ClerkError>) {
        self.settled.push((call, result));
    }

    /// Ends an input: the refresh timer, cookies and tab watch follow the
    /// state; listeners hear of a change once; then calls settle and
    /// navigations go.
    fn flush(&mut self, now_ms: u64) {
        self.sync_refresh(now_ms);
        self.sync_cookies();
        let watch = self.tasks.iter().any(tasks::Task::watches_tab);
        if watch != self.watching {
            self.watching = watch;
            self.push(Cmd::WatchTab(watch));
        }
        if std::mem::take(&mut self.dirty) {
            self.push(Cmd::Notify);
        }
        for (call, result) in std::mem::take(&mut self.settled) {
            self.push(Cmd::Done { call, result });
        }
        for cmd in std::mem::take(&mut self.after) {
            self.push(cmd);
        }
    }

    /// `__session` (the active session's JWT, removed when signed out) and,
    /// where ClerkJS writes it, `__client_uat`; written when they change.
    fn sync_cookies(&mut self) {
        if !self.state.loaded {
            return;
        }
        let jwt = self
            .state
            .session_id
            .as_deref()
            .and_then(|sid| self.state.tokens.entry(sid))
            .map(|e| e.jwt.clone())
            .unwrap_or_default();
        self.write_cookie(0, cookies::SESSION, jwt, false);
        if cookies::writes_client_uat(
            self.key.is_development(),
            &self.key.frontend_api,
            &self.page.host,
        ) {
            let view = &self.state.client_view;
            let uat = cookies::client_uat(view.updated_at, view.signed_in().next().is_some());
            self.write_cookie(1, cookies::CLIENT_UAT, uat, true);
        }
    }

    fn write_cookie(&mut self, slot: usize, name: &'static str, value: String, strict: bool) {
        if self.written[slot].as_deref() != Some(value.as_str()) {
            self.written[slot] = Some(value.clone());
            self.push(Cmd::Cookie {
                name,
                value,
                strict,
            });
        }
    }
}
