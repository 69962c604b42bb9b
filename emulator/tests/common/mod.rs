//! Test harness: an in-process emulator on 127.0.0.1:0 and a tiny HTTP
//! "browser" that keeps the `__client` cookie or a dev-browser JWT.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

use base64::Engine;
use clerk_emulator::config::InstanceConfig;
use clerk_emulator::{App, Options};
use serde_json::{json, Value};

pub const TEST_KEY: &str = include_str!("../fixtures/test_signing_key.pem");
pub const ORIGIN: &str = "http://localhost:3000";

pub struct Emu {
    pub base: String,
    pub addr: SocketAddr,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Drop for Emu {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Test defaults: no per-IP rate limits, no resend throttle and no
/// per-identifier cap (the tests for those rules turn them back on).
pub fn test_config() -> InstanceConfig {
    let mut c = InstanceConfig::default();
    c.rate_limits.sign_in_create = 0;
    c.rate_limits.sign_up_create = 0;
    c.rate_limits.attempts = 0;
    c.rate_limits.prepare = 0;
    c.rate_limits.dev_browser = 0;
    c.resend_throttle_secs = 0;
    c.identifier_codes_per_hour = 0;
    c
}

/// The emulator's defaults with only the per-IP limits off (what the
/// ClerkJS conformance suite runs against).
pub fn default_config_without_ip_limits() -> InstanceConfig {
    let mut c = InstanceConfig::default();
    c.rate_limits.sign_in_create = 0;
    c.rate_limits.sign_up_create = 0;
    c.rate_limits.attempts = 0;
    c.rate_limits.prepare = 0;
    c.rate_limits.dev_browser = 0;
    c
}

pub async fn start(config: InstanceConfig) -> Emu {
    start_opts(Options {
        config,
        seed_signing_key_pem: Some(TEST_KEY.into()),
        ..Default::default()
    })
    .await
}

pub async fn start_file(config: InstanceConfig, path: PathBuf, seed: bool) -> Emu {
    start_opts(Options {
        config,
        db_path: Some(path),
        seed_signing_key_pem: seed.then(|| TEST_KEY.to_string()),
        ..Default::default()
    })
    .await
}

pub async fn start_opts(opts: Options) -> Emu {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = App::new(opts, addr).unwrap();
    let task = tokio::spawn(app.serve(listener));
    let emu = Emu {
        base: format!("http://{addr}"),
        addr,
        task,
    };
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if let Ok(r) = http
            .get(format!("{}/__emulator/health", emu.base))
            .send()
            .await
        {
            if r.status() == 200 {
                return emu;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("emulator did not start");
}

#[derive(Debug)]
pub struct Res {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Res {
    pub fn header(&self, k: &str) -> Option<String> {
        self.headers.get(k).map(|v| v.to_str().unwrap().to_string())
    }
    pub fn resp(&self) -> &Value {
        &self.body["response"]
    }
    pub fn client(&self) -> &Value {
        &self.body["client"]
    }
    pub fn err_code(&self) -> &str {
        self.body["errors"][0]["code"].as_str().unwrap_or("")
    }
    pub fn param_name(&self) -> &str {
        self.body["errors"][0]["meta"]["param_name"]
            .as_str()
            .unwrap_or("")
    }
    #[track_caller]
    pub fn ok(self) -> Res {
        assert_eq!(self.status, 200, "{}", self.text);
        self
    }
    #[track_caller]
    pub fn err(self, status: u16, code: &str) -> Res {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(self.err_code(), code, "{}", self.text);
        assert!(self.body["clerk_trace_id"].is_string());
        self
    }
}

/// A browser-like client: cookie jar for `__client`, optional dev-browser JWT, an Origin.
pub struct Browser {
    pub base: String,
    pub http: reqwest::Client,
    pub cookie: Option<String>,
    pub db_jwt: Option<String>,
    pub origin: Option<String>,
}

impl Browser {
    pub fn new(emu: &Emu) -> Browser {
        Browser {
            base: emu.base.clone(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookie: None,
            db_jwt: None,
            origin: Some(ORIGIN.into()),
        }
    }

    /// Does the dev-browser handshake.
    pub async fn with_dev_browser(mut self) -> Browser {
        let r = self.call("POST", "/v1/dev_browser", &[]).await.ok();
        assert_eq!(r.body["object"], "dev_browser");
        self.db_jwt = Some(r.body["id"].as_str().unwrap().to_string());
        self
    }

    fn url(&self, path: &str, method: &str) -> (String, &'static str) {
        let mut url = format!("{}{}", self.base, path);
        let mut sep = if path.contains('?') { '&' } else { '?' };
        let mut push = |k: &str, v: &str| {
            url.push(sep);
            url.push_str(k);
            url.push('=');
            url.push_str(&urlencode(v));
            sep = '&';
        };
        if path.starts_with("/v1") {
            push("__clerk_api_version", "2026-08-20");
            push("_clerk_js_version", "6.40.0");
        }
        let wire = match method {
            "GET" => "GET",
            "POST" => "POST",
            m => {
                push("_method", m);
                "POST"
            }
        };
        if let Some(j) = &self.db_jwt {
            push("__clerk_db_jwt", j);
        }
        (url, wire)
    }

    /// Sends a request the way ClerkJS does (PATCH/DELETE as POST + `_method`).
    pub async fn call(&mut self, method: &str, path: &str, form: &[(&str, &str)]) -> Res {
        let (url, wire) = self.url(path, method);
        let mut req = if wire == "GET" {
            self.http.get(&url)
        } else {
            self.http.post(&url)
        };
        if wire == "POST" {
            let body: String = form
                .iter()
                .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
                .collect::<Vec<_>>()
                .join("&");
            req = req
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body);
        }
        if let Some(c) = &self.cookie {
            req = req.header("cookie", format!("__client={c}"));
        }
        if let Some(o) = &self.origin {
            req = req.header("origin", o);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        for sc in headers.get_all("set-cookie") {
            let s = sc.to_str().unwrap();
            if let Some(rest) = s.strip_prefix("__client=") {
                let v = rest.split(';').next().unwrap();
                self.cookie = if v.is_empty() {
                    None
                } else {
                    Some(v.to_string())
                };
            }
        }
        if let Some(j) = headers.get("clerk-db-jwt") {
            self.db_jwt = Some(j.to_str().unwrap().to_string());
        }
        let text = r.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Res {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&mut self, path: &str) -> Res {
        self.call("GET", path, &[]).await
    }
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Res {
        self.call("POST", path, form).await
    }
}

pub fn urlencode(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                o.push(b as char)
            }
            _ => o.push_str(&format!("%{b:02X}")),
        }
    }
    o
}

// ---- control API ----

/// A control call as a raw response (no status assertion).
pub async fn control_raw(
    emu: &Emu,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (u16, Value) {
    let http = reqwest::Client::new();
    let url = format!("{}{}", emu.base, path);
    let mut req = http.request(
        reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
        &url,
    );
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req.body(b.to_string());
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub async fn control(emu: &Emu, method: &str, path: &str, body: Option<Value>) -> Value {
    let http = reqwest::Client::new();
    let url = format!("{}{}", emu.base, path);
    let mut req = match method {
        "GET" => http.get(&url),
        "PATCH" => http.patch(&url),
        _ => http.post(&url),
    };
    if let Some(b) = body {
        req = req
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    let r = req.send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

pub async fn patch_config(emu: &Emu, patch: Value) {
    control(emu, "PATCH", "/__emulator/config", Some(patch)).await;
}

pub async fn advance(emu: &Emu, secs: i64) {
    control(
        emu,
        "POST",
        "/__emulator/clock",
        Some(json!({"advance_secs": secs})),
    )
    .await;
}

pub async fn inbox(emu: &Emu, to: &str) -> Vec<Value> {
    let v = control(
        emu,
        "GET",
        &format!("/__emulator/inbox?to={}", urlencode(to)),
        None,
    )
    .await;
    v.as_array().unwrap().clone()
}

/// The newest code sent to `to`.
pub async fn last_code(emu: &Emu, to: &str) -> String {
    inbox(emu, to).await[0]["code"]
        .as_str()
        .expect("a code")
        .to_string()
}

pub async fn last_link(emu: &Emu, to: &str) -> String {
    inbox(emu, to).await[0]["link"]
        .as_str()
        .expect("a link")
        .to_string()
}

/// A code guaranteed to differ from `code`.
pub fn wrong(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

// ---- flows ----

/// `POST /v1/client/sign_ups` with `form` (must succeed): the answer and the sign-up's id.
pub async fn create_sign_up(b: &mut Browser, form: &[(&str, &str)]) -> (Res, String) {
    let r = b.post("/v1/client/sign_ups", form).await.ok();
    let id = r.resp()["id"].as_str().unwrap().to_string();
    (r, id)
}

/// Signs up with a phone number (phone_code); returns the completed sign-up.
pub async fn sign_up_phone(emu: &Emu, b: &mut Browser, phone: &str) -> Value {
    let (_, id) = create_sign_up(b, &[("phone_number", phone), ("locale", "en-US")]).await;
    b.post(
        &format!("/v1/client/sign_ups/{id}/prepare_verification"),
        &[("strategy", "phone_code")],
    )
    .await
    .ok();
    let code = last_code(emu, phone).await;
    let r = b
        .post(
            &format!("/v1/client/sign_ups/{id}/attempt_verification"),
            &[("strategy", "phone_code"), ("code", &code)],
        )
        .await
        .ok();
    assert_eq!(r.resp()["status"], "complete");
    r.body
}

pub async fn sign_up_email(emu: &Emu, b: &mut Browser, email: &str) -> Value {
    let (_, id) = create_sign_up(b, &[("email_address", email), ("strategy", "email_code")]).await;
    let code = last_code(emu, email).await;
    let r = b
        .post(
            &format!("/v1/client/sign_ups/{id}/attempt_verification"),
            &[("strategy", "email_code"), ("code", &code)],
        )
        .await
        .ok();
    assert_eq!(r.resp()["status"], "complete");
    r.body
}

/// Creates a sign-in for `identifier` and prepares `strategy`; returns the sign-in id.
pub async fn start_sign_in(b: &mut Browser, identifier: &str, strategy: &str) -> String {
    let r = b
        .post(
            "/v1/client/sign_ins",
            &[("identifier", identifier), ("strategy", strategy)],
        )
        .await
        .ok();
    assert_eq!(r.resp()["status"], "needs_first_factor");
    r.resp()["id"].as_str().unwrap().to_string()
}

/// Attempts the first factor of sign-in `sia` with `code` (must succeed and complete it).
pub async fn complete_sign_in(b: &mut Browser, sia: &str, strategy: &str, code: &str) -> Res {
    let path = format!("/v1/client/sign_ins/{sia}/attempt_first_factor");
    let r = b
        .post(&path, &[("strategy", strategy), ("code", code)])
        .await
        .ok();
    assert_eq!(r.resp()["status"], "complete");
    r
}

pub async fn sign_out(b: &mut Browser) {
    let r = b.call("DELETE", "/v1/client/sessions", &[]).await.ok();
    assert!(r.client().is_null());
}

// ---- JWT ----

pub fn b64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .unwrap()
}

/// Verifies an RS256 JWT against a JWKS at the real time; returns the claims.
pub fn verify_jwt(jwt: &str, jwks: &Value) -> Value {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    verify_jwt_at(jwt, jwks, now)
}

/// Verifies an RS256 JWT against a JWKS (`jsonwebtoken`): the signature with
/// the key named by `kid`, and the time claims at `now_secs` (the emulator's
/// virtual clock may run ahead): `nbf` and `iat` not in the future, `exp` not
/// passed, `nbf <= iat < exp`. Returns the claims.
pub fn verify_jwt_at(jwt: &str, jwks: &Value, now_secs: i64) -> Value {
    use jsonwebtoken::{Algorithm, DecodingKey, Validation};
    let header = jsonwebtoken::decode_header(jwt).expect("a JWT header");
    assert_eq!(header.alg, Algorithm::RS256);
    let kid = header.kid.expect("a kid");
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .expect("kid in JWKS");
    let dec =
        DecodingKey::from_rsa_components(key["n"].as_str().unwrap(), key["e"].as_str().unwrap())
            .unwrap();
    let mut v = Validation::new(Algorithm::RS256);
    // The time claims are checked below against the virtual clock.
    v.validate_exp = false;
    v.validate_nbf = false;
    v.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "sub"]);
    let claims: Value = jsonwebtoken::decode(jwt, &dec, &v)
        .expect("signature verifies")
        .claims;
    let t = |k: &str| {
        claims[k]
            .as_i64()
            .unwrap_or_else(|| panic!("{k} is a number"))
    };
    let (iat, nbf, exp) = (t("iat"), t("nbf"), t("exp"));
    assert!(
        nbf <= now_secs + 5,
        "nbf {nbf} is in the future (now {now_secs})"
    );
    assert!(
        iat <= now_secs + 5,
        "iat {iat} is in the future (now {now_secs})"
    );
    assert!(exp > now_secs, "exp {exp} has passed (now {now_secs})");
    assert!(nbf <= iat && iat < exp, "nbf <= iat < exp");
    claims
}

/// The emulator's virtual time in seconds.
pub async fn virtual_now_secs(emu: &Emu) -> i64 {
    control(emu, "GET", "/__emulator/clock", None).await["now"]
        .as_i64()
        .unwrap()
        / 1000
}

pub async fn jwks(emu: &Emu) -> Value {
    reqwest::get(format!("{}/.well-known/jwks.json", emu.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
