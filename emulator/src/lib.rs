//! `clerk-emulator`: a local emulator of Clerk's Frontend API (FAPI) with an
//! embedded SQLite store and a dev inbox.
//!
//! Library entry points: [`App::new`] builds the state (opening the database,
//! loading or creating the signing keys) and [`App::serve`] /
//! [`App::serve_until`] run the HTTP server on a bound listener. Tests start
//! it in-process on `127.0.0.1:0`.

pub mod config;
pub mod control;
pub mod domain;
pub mod errors;
pub mod fapi;
pub mod hosted;
pub mod model;
pub mod render;
pub mod store;
pub mod wire;

use std::collections::VecDeque;
use std::future::Future;
use std::net::SocketAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::Request;
use axum::response::Response;
use axum::Router;
use base64::Engine;

use crate::config::{InstanceConfig, InstanceType};
use crate::domain::access;
use crate::domain::ratelimit::RateLimiter;
use crate::domain::tokens::{DevBrowserKeys, Keys, TokenCache};
use crate::errors::ApiError;
use crate::model::Message;
use crate::store::Db;
use crate::wire::{Req, Resp};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// Messages kept in the inbox.
pub const INBOX_MAX: usize = 10_000;
/// Largest request body.
pub const MAX_BODY: usize = 1 << 20;

/// How to start an emulator.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// SQLite file; `None` keeps everything in memory.
    pub db_path: Option<PathBuf>,
    /// The instance configuration (file config; `/__emulator/reset` restores it).
    pub config: InstanceConfig,
    /// Extra allowed CORS origins (besides loopback and `config.allowed_origins`).
    pub origin_allow: Vec<String>,
    /// Extra `Host` values the control API answers (`name` or `name:port`).
    pub allow_hosts: Vec<String>,
    /// A PKCS#8 PEM RSA key to store when the database has none yet (tests use
    /// it to skip the slow key generation of debug builds).
    pub seed_signing_key_pem: Option<String>,
    /// The clerk-wasm npm package the hosted pages use (`None`: they say so).
    pub pkg_dir: Option<PathBuf>,
}

/// Why an emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Store(#[from] store::StoreError),
    #[error("signing key: {0}")]
    Key(#[from] domain::tokens::KeyError),
    #[error("configuration: {0}")]
    Config(#[from] config::ConfigError),
}

/// Shared state of one running emulator.
pub struct AppState {
    pub db: Db,
    pub file_config: InstanceConfig,
    config: RwLock<Arc<InstanceConfig>>,
    pub keys: Keys,
    pub dev_keys: DevBrowserKeys,
    /// Recently minted session tokens (`last_active_token` reuse).
    pub tokens: TokenCache,
    /// `http://host:port`, the Frontend API base URL.
    pub base_url: String,
    /// `host:port` as encoded in the publishable key.
    pub authority: String,
    /// The host part of `authority`.
    pub bound_host: String,
    pub clock_offset_ms: AtomicI64,
    /// Per-IP limits.
    pub limiter: Mutex<RateLimiter>,
    /// Codes and links per identifier per hour.
    pub identifier_cap: Mutex<RateLimiter>,
    /// Sent messages. Kept in memory on purpose: it stands for people's phones
    /// and mailboxes, so plaintext codes and links never touch the database.
    pub inbox: Mutex<VecDeque<Message>>,
    pub requests: Mutex<VecDeque<control::LoggedRequest>>,
    pub origin_allow: Vec<String>,
    pub allow_hosts: Vec<String>,
    /// The clerk-wasm package of the hosted pages.
    pub pkg_dir: Option<PathBuf>,
}

impl AppState {
    /// Unix milliseconds on the virtual clock.
    pub fn now(&self) -> i64 {
        let real = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        real.saturating_add(self.clock_offset_ms.load(Ordering::SeqCst))
    }

    /// The live configuration (a cheap shared snapshot).
    pub fn cfg(&self) -> Arc<InstanceConfig> {
        self.config
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_config(&self, c: InstanceConfig) {
        *self.config.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(c);
    }

    pub fn instance_type(&self) -> InstanceType {
        self.cfg().instance_type
    }

    pub fn publishable_key(&self) -> String {
        let prefix = match self.instance_type() {
            InstanceType::Development => "pk_test_",
            InstanceType::Production => "pk_live_",
        };
        let enc =
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(format!("{}$", self.authority));
        format!("{prefix}{enc}")
    }

    /// Every allowed extra origin (CLI plus live config).
    pub fn extra_origins(&self, cfg: &InstanceConfig) -> Vec<String> {
        let mut v = self.origin_allow.clone();
        v.extend(cfg.allowed_origins.iter().cloned());
        v
    }
}

pub struct App {
    pub state: Arc<AppState>,
}

impl App {
    /// Opens the store and the signing keys for a server reachable at `addr`.
    pub fn new(opts: Options, addr: SocketAddr) -> Result<App, StartError> {
        opts.config.validate()?;
        let db = Db::open(opts.db_path.as_deref())?;
        let seed = opts.seed_signing_key_pem.clone();
        // Keys are created once and kept in the database.
        let (pem, dvb_secret) = db.write(
            |s| -> Result<(String, String), StartError> {
                let pem = match s.get_meta("signing_key_pem")? {
                    Some(pem) => pem,
                    None => {
                        let pem = match &seed {
                            Some(pem) => pem.clone(),
                            None => Keys::generate()?.1,
                        };
                        s.set_meta("signing_key_pem", &pem)?;
                        pem
                    }
                };
                let secret = match s.get_meta("dev_browser_secret")? {
                    Some(x) => x,
                    None => {
                        let x = DevBrowserKeys::new_secret();
                        s.set_meta("dev_browser_secret", &x)?;
                        x
                    }
                };
                Ok((pem, secret))
            },
            |r| r.is_ok(),
        )??;
        let keys = Keys::from_pem(&pem)?;
        let dev_keys = DevBrowserKeys::from_secret(&dvb_secret);
        let host = match addr.ip() {
            ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
            ip if ip.is_unspecified() => "[::1]".to_string(),
            std::net::IpAddr::V6(v6) => format!("[{v6}]"),
            std::net::IpAddr::V4(v4) => v4.to_string(),
        };
        let authority = format!("{host}:{}", addr.port());
        Ok(App {
            state: Arc::new(AppState {
                db,
                file_config: opts.config.clone(),
                config: RwLock::new(Arc::new(opts.config)),
                keys,
                dev_keys,
                tokens: TokenCache::default(),
                base_url: format!("http://{authority}"),
                authority,
                bound_host: host,
                clock_offset_ms: AtomicI64::new(0),
                limiter: Mutex::new(RateLimiter::default()),
                identifier_cap: Mutex::new(RateLimiter::default()),
                inbox: Mutex::new(VecDeque::new()),
                requests: Mutex::new(VecDeque::new()),
                origin_allow: opts.origin_allow,
                allow_hosts: opts.allow_hosts,
                pkg_dir: opts.pkg_dir,
            }),
        })
    }

    pub fn router(&self) -> Router {
        Router::new().fallback(entry).with_state(self.state.clone())
    }

    /// Serves until the listener fails (tests abort the task).
    pub async fn serve(self, listener: tokio::net::TcpListener) -> std::io::Result<()> {
        self.serve_until(listener, std::future::pending()).await
    }

    /// Serves until `shutdown` resolves, then stops accepting connections and
    /// lets the requests in flight finish (graceful shutdown).
    pub async fn serve_until(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let router = self.router();
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
    }

    /// The start-up banner lines.
    pub fn banner(&self) -> Vec<String> {
        let s = &self.state;
        vec![
            "clerk-emulator ready".to_string(),
            format!("Publishable key: {}", s.publishable_key()),
            format!("Frontend API: {}", s.base_url),
            format!("Inbox: {}/__emulator/", s.base_url),
            format!("Instance: {}", s.instance_type().as_str()),
        ]
    }
}

async fn entry(
    State(st): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request<Body>,
) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b.to_vec(),
        Err(_) => {
            let mut r = Resp::error(&ApiError::request_body_too_large(MAX_BODY));
            wire::add_security_headers(&mut r, false);
            return r.into_response();
        }
    };
    let parsed = Req::parse(
        parts.method.as_str(),
        &parts.uri,
        &parts.headers,
        bytes,
        peer.ip(),
    );
    // Reads (the FAPI read routes, the hosted pages) run here: they take
    // only the store's read lock. What may block inside them (a read that
    // turns into a write to rotate a client token, a package file read from
    // disk) goes through `blocking`. Anything else may wait for the write
    // lock or the disk: it runs on the blocking pool.
    if fapi::is_read_route(&parsed.wire_method, &parsed.path) {
        return handle(&st, parsed).into_response();
    }
    if is_multi_thread() {
        return tokio::task::block_in_place(|| handle(&st, parsed)).into_response();
    }
    let st2 = st.clone();
    let resp = tokio::task::spawn_blocking(move || handle(&st2, parsed))
        .await
        .unwrap_or_else(|_| Resp::error(&ApiError::internal("handler task failed")));
    resp.into_response()
}

fn is_multi_thread() -> bool {
    tokio::runtime::Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread)
}

/// Runs `f`, which may block (the store's write lock, the disk), without
/// stalling the async worker it is called on: on the multi-threaded runtime
/// this worker becomes a blocking thread for the call (its other tasks move
/// to another worker; no hand-off to the blocking pool and back). Elsewhere
/// (already on the blocking pool, a current-thread runtime, no runtime) it
/// just runs `f`.
pub(crate) fn blocking<T>(f: impl FnOnce() -> T) -> T {
    if is_multi_thread() {
        tokio::task::block_in_place(f)
    } else {
        f()
    }
}

/// Handles one parsed request synchronously (runs on the blocking pool). A
/// panic anywhere in it becomes a 500; the store rolled back and no lock
/// stays poisoned, so later requests are served as usual.
pub fn handle(st: &AppState, req: Req) -> Resp {
    let is_control = req.path == "/__emulator" || req.path.starts_with("/__emulator/");
    let is_hosted = !is_control && hosted::owns(&req.path);
    let cfg = st.cfg();
    let extra = st.extra_origins(&cfg);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if is_control {
            let allowed = access::Allowed {
                origins: &extra,
                hosts: &st.allow_hosts,
                bound_host: &st.bound_host,
            };
            match access::check(&req, &allowed) {
                Err(e) => Resp::error(&e),
                Ok(()) if req.wire_method == "OPTIONS" => wire::preflight(&req, &extra, true),
                Ok(()) => control::handle(st, &req),
            }
        } else if is_hosted {
            hosted::handle(st, &req, &cfg)
        } else if req.wire_method == "OPTIONS" {
            wire::preflight(&req, &extra, false)
        } else {
            fapi::handle(st, &req, &cfg, &extra)
        }
    }));
    let mut resp = outcome.unwrap_or_else(|p| {
        Resp::error(&ApiError::internal(format!(
            "panic: {}",
            store::panic_message(&p)
        )))
    });
    wire::add_cors(&mut resp, req.origin.as_deref(), &extra, is_control);
    wire::add_security_headers(&mut resp, is_control);
    tracing::info!(method = %req.method, path = %req.path, status = resp.status, "request");
    if !is_control && !is_hosted {
        control::record_request(st, &req, resp.status);
    }
    resp
}
