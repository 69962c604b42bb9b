//! `clerk-emulator`: a local emulator of Clerk's Frontend API (FAPI) with an
//! embedded SQLite store and a dev inbox.
//!
//! Library entry points: [`App::new`] builds the state (opening the database,
//! loading or creating the signing key) and [`App::serve`] runs the HTTP
//! server on a bound listener. Tests start it in-process on `127.0.0.1:0`.

pub mod config;
pub mod control;
pub mod domain;
pub mod errors;
pub mod fapi;
pub mod model;
pub mod render;
pub mod store;
pub mod wire;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::Request;
use axum::response::Response;
use axum::Router;
use base64::Engine;
use serde_json::Value;

use crate::config::{InstanceConfig, InstanceType};
use crate::domain::ratelimit::RateLimiter;
use crate::domain::tokens::Keys;
use crate::domain::verification::ResendThrottle;
use crate::errors::ApiError;
use crate::model::Message;
use crate::store::Store;
use crate::wire::{Req, Resp};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How to start an emulator.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// SQLite file; `None` keeps everything in memory.
    pub db_path: Option<PathBuf>,
    /// The instance configuration (file config; `/__emulator/reset` restores it).
    pub config: InstanceConfig,
    /// Extra allowed CORS origins (besides loopback and `config.allowed_origins`).
    pub origin_allow: Vec<String>,
    /// A PKCS#8 PEM RSA key to store when the database has none yet (tests use
    /// it to skip the slow key generation of debug builds).
    pub seed_signing_key_pem: Option<String>,
}

/// Shared state of one running emulator.
pub struct AppState {
    pub store: Mutex<Store>,
    pub file_config: InstanceConfig,
    pub config: RwLock<InstanceConfig>,
    pub keys: Keys,
    /// `http://host:port`, the Frontend API base URL.
    pub base_url: String,
    /// `host:port` as encoded in the publishable key.
    pub authority: String,
    pub clock_offset_ms: AtomicI64,
    pub limiter: Mutex<RateLimiter>,
    pub throttle: Mutex<ResendThrottle>,
    /// Sent messages. Kept in memory on purpose: it stands for people's phones
    /// and mailboxes, so plaintext codes and links never touch the database.
    pub inbox: Mutex<Vec<Message>>,
    pub requests: Mutex<Vec<Value>>,
    pub origin_allow: Vec<String>,
}

impl AppState {
    /// Unix milliseconds on the virtual clock.
    pub fn now(&self) -> i64 {
        let real = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        real + self.clock_offset_ms.load(Ordering::SeqCst)
    }

    pub fn cfg(&self) -> InstanceConfig {
        self.config.read().expect("config lock").clone()
    }

    pub fn instance_type(&self) -> InstanceType {
        self.config.read().expect("config lock").instance_type
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
    pub fn extra_origins(&self) -> Vec<String> {
        let mut v = self.origin_allow.clone();
        v.extend(
            self.config
                .read()
                .expect("config lock")
                .allowed_origins
                .iter()
                .cloned(),
        );
        v
    }
}

pub struct App {
    pub state: Arc<AppState>,
}

impl App {
    /// Opens the store and the signing key for a server reachable at `addr`.
    pub fn new(opts: Options, addr: SocketAddr) -> Result<App, String> {
        let store = Store::open(opts.db_path.as_deref())?;
        let keys = match store.get_meta("signing_key_pem") {
            Some(pem) => Keys::from_pem(&pem)?,
            None => {
                let (keys, pem) = match &opts.seed_signing_key_pem {
                    Some(pem) => (Keys::from_pem(pem)?, pem.clone()),
                    None => Keys::generate()?,
                };
                store.set_meta("signing_key_pem", &pem)?;
                keys
            }
        };
        let host = match addr.ip() {
            ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
            ip if ip.is_unspecified() => "[::1]".to_string(),
            std::net::IpAddr::V6(v6) => format!("[{v6}]"),
            std::net::IpAddr::V4(v4) => v4.to_string(),
        };
        let authority = format!("{host}:{}", addr.port());
        Ok(App {
            state: Arc::new(AppState {
                store: Mutex::new(store),
                file_config: opts.config.clone(),
                config: RwLock::new(opts.config),
                keys,
                base_url: format!("http://{authority}"),
                authority,
                clock_offset_ms: AtomicI64::new(0),
                limiter: Mutex::new(RateLimiter::default()),
                throttle: Mutex::new(ResendThrottle::default()),
                inbox: Mutex::new(Vec::new()),
                requests: Mutex::new(Vec::new()),
                origin_allow: opts.origin_allow,
            }),
        })
    }

    pub fn router(&self) -> Router {
        Router::new().fallback(entry).with_state(self.state.clone())
    }

    /// Serves until the listener fails.
    pub async fn serve(self, listener: tokio::net::TcpListener) -> std::io::Result<()> {
        let router = self.router();
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
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

const MAX_BODY: usize = 1 << 20;

async fn entry(
    State(st): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request<Body>,
) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b.to_vec(),
        Err(_) => {
            let e = ApiError::new(
                413,
                "request_body_invalid",
                "Request body too large",
                "The request body is too large.",
            );
            return Resp::error(&e).into_response();
        }
    };
    let parsed = Req::parse(
        parts.method.as_str(),
        &parts.uri,
        &parts.headers,
        bytes,
        peer.ip(),
    );
    let st2 = st.clone();
    let resp = tokio::task::spawn_blocking(move || handle(&st2, parsed))
        .await
        .unwrap_or_else(|_| Resp::error(&ApiError::internal("handler panicked")));
    resp.into_response()
}

/// Handles one parsed request synchronously (runs on the blocking pool).
pub fn handle(st: &AppState, req: Req) -> Resp {
    let extra = st.extra_origins();
    let is_control = req.path == "/__emulator" || req.path.starts_with("/__emulator/");
    let mut resp = if req.wire_method == "OPTIONS" {
        wire::preflight(&req, &extra)
    } else if is_control {
        control::handle(st, &req)
    } else {
        fapi::handle(st, &req, &extra)
    };
    wire::add_cors(&mut resp, req.origin.as_deref(), &extra);
    tracing::info!(method = %req.method, path = %req.path, status = resp.status, "request");
    if !is_control {
        control::record_request(st, &req, resp.status);
    }
    resp
}
