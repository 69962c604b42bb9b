//! Executes core [`Request`]s with `fetch` (through gloo-net), CORS-simple:
//! `credentials: include`, GET or POST with a urlencoded body, no custom headers.
//!
//! It owns the development-instance credential (the dev-browser JWT, kept in the
//! `__clerk_db_jwt` and `__clerk_db_jwt_<suffix>` cookies of the page like
//! ClerkJS does), writes the app-domain auth cookies, and the retry policy:
//! GETs only, on network errors only, immediately then 700 ms doubling to 5 s,
//! 4 tries in all. Nothing here logs a URL, a body or a token.

use std::cell::RefCell;

use gloo_net::http::Response;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestCredentials};

use crate::core::cookies;
use crate::core::errors::ClerkError;
use crate::core::request::Request;
use crate::core::response::{ApiError, ErrorBody};

/// Name of the cookie (and query parameter) carrying the dev-browser JWT.
pub const DB_JWT: &str = cookies::DB_JWT;
const MAX_TRIES: u32 = 4;

/// A FAPI connection for one instance.
#[derive(Debug)]
pub struct Transport {
    base: String,
    dev_browser: bool,
    db_jwt: RefCell<Option<String>>,
    /// The publishable key's cookie-name suffix.
    suffix: String,
    /// The eTLD+1 found by the first `__client_uat` write.
    cookie_domain: RefCell<Option<String>>,
}

impl Transport {
    /// A transport for `base` (the FAPI origin + proxy path, without `/v1`).
    /// `dev_browser` turns on the development-instance handshake; `suffix` is
    /// the key's cookie-name suffix ([`cookies::suffix`]).
    pub fn new(base: String, dev_browser: bool, suffix: String) -> Transport {
        let db_jwt = if dev_browser {
            read_cookie(&[DB_JWT, "_", &suffix].concat()).or_else(|| read_cookie(DB_JWT))
        } else {
            None
        };
        Transport {
            base,
            dev_browser,
            db_jwt: RefCell::new(db_jwt),
            suffix,
            cookie_domain: RefCell::new(None),
        }
    }

    /// Writes `name` and `name_<suffix>` on the page (empty `value` removes
    /// them): `SameSite=Strict` on the eTLD+1 when `strict` (`__client_uat`),
    /// else `SameSite=Lax` on the page's host.
    pub(crate) fn write_cookies(&self, name: &str, value: &str, strict: bool) {
        let Some(doc) = html_document() else { return };
        let secure = web_sys::window()
            .and_then(|w| w.location().protocol().ok())
            .is_some_and(|p| p == "https:");
        let domain = if strict {
            if self.cookie_domain.borrow().is_none() {
                *self.cookie_domain.borrow_mut() = probe_domain(&doc, secure);
            }
            self.cookie_domain.borrow().clone()
        } else {
            None
        };
        for suffix in [Some(self.suffix.as_str()), None] {
            let c = cookies::cookie_string(name, suffix, value, strict, secure, domain.as_deref());
            let _ = doc.set_cookie(&c);
        }
    }

    /// The base URL requests go to.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Makes sure a development instance has a dev-browser JWT, creating one with
    /// `POST /v1/dev_browser` when none is stored.
    pub async fn ensure_dev_browser(&self) -> Result<(), ClerkError> {
        if !self.dev_browser || self.db_jwt.borrow().is_some() {
            return Ok(());
        }
        self.create_dev_browser().await
    }

    async fn create_dev_browser(&self) -> Result<(), ClerkError> {
        // A plain fetch: no credentials, no dev-browser token yet (as ClerkJS).
        let req = crate::core::endpoints::dev_browser_create();
        let json = read_body(fetch(&req.url(&self.base, &[]), &req, None, false).await?).await?;
        let id = js_sys::Reflect::get(&json, &JsValue::from_str("id"))
            .ok()
            .and_then(|v| v.as_string())
            .ok_or_else(ClerkError::decode_failed)?;
        self.store_db_jwt(id);
        Ok(())
    }

    fn store_db_jwt(&self, jwt: String) {
        if self.db_jwt.borrow().as_deref() == Some(jwt.as_str()) {
            return;
        }
        self.write_cookies(DB_JWT, &jwt, false);
        *self.db_jwt.borrow_mut() = Some(jwt);
    }

    /// Forgets the dev-browser JWT (after `dev_browser_unauthenticated`).
    fn reset_dev_browser(&self) {
        *self.db_jwt.borrow_mut() = None;
        self.write_cookies(DB_JWT, "", false);
    }

    /// Sends `req` and returns the parsed JSON body (`null` for 204).
    /// `session_id` is added as `_clerk_session_id` where ClerkJS adds it.
    pub async fn send(
        &self,
        req: &Request,
        session_id: Option<&str>,
        signal: Option<&AbortSignal>,
    ) -> Result<JsValue, ClerkError> {
        self.ensure_dev_browser().await?;
        let sid = session_id.filter(|_| !req.path.starts_with("/client"));
        match self.send_with_retry(req, sid, signal).await {
            Err(ClerkError::Api(e)) if self.dev_browser && e.is_dev_browser_unauthenticated() => {
                self.reset_dev_browser();
                self.create_dev_browser().await?;
                self.send_with_retry(req, sid, signal).await
            }
            other => other,
        }
    }

    async fn send_with_retry(
        &self,
        req: &Request,
        sid: Option<&str>,
        signal: Option<&AbortSignal>,
    ) -> Result<JsValue, ClerkError> {
        let retryable = req.wire_method() == "GET";
        let mut attempt = 0;
        loop {
            let result = self.fetch_once(req, sid, signal, attempt).await;
            match result {
                Err(ClerkError::Network { .. }) if retryable && attempt + 1 < MAX_TRIES => {
                    if signal.is_some_and(|s| s.aborted()) {
                        return Err(ClerkError::Cancelled);
                    }
                    if attempt > 0 {
                        let delay = (700u32 << (attempt - 1)).min(5000);
                        gloo_timers::future::TimeoutFuture::new(delay).await;
                    }
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// One attempt: the URL with the dev-browser token, `_clerk_session_id` and
    /// `_clerk_retry_attempt`; keeps a `Clerk-Db-Jwt` the server sends back.
    async fn fetch_once(
        &self,
        req: &Request,
        sid: Option<&str>,
        signal: Option<&AbortSignal>,
        attempt: u32,
    ) -> Result<JsValue, ClerkError> {
        let mut extra: Vec<(&str, &str)> = Vec::with_capacity(3);
        let jwt = self.db_jwt.borrow().clone();
        if let Some(j) = jwt.as_deref() {
            extra.push((DB_JWT, j));
        }
        if let Some(s) = sid {
            extra.push(("_clerk_session_id", s));
        }
        let attempt_s;
        if attempt > 0 {
            attempt_s = attempt.to_string();
            extra.push(("_clerk_retry_attempt", &attempt_s));
        }
        let url = req.url(&self.base, &extra);
        let resp = fetch(&url, req, signal, true).await?;
        if let Some(jwt) = resp.headers().get("clerk-db-jwt").filter(|j| !j.is_empty()) {
            if self.dev_browser {
                self.store_db_jwt(jwt);
            }
        }
        read_body(resp).await
    }
}

/// Builds the `web_sys::Request` here rather than with gloo-net's
/// `RequestBuilder`: its `build()` re-parses the URL through a second Request and
/// a `URL` object and appends a stray `&` to a URL that already has a query.
/// gloo-net still executes it (`send`), so it stays the one place fetch is called.
async fn fetch(
    url: &str,
    req: &Request,
    signal: Option<&AbortSignal>,
    credentials: bool,
) -> Result<Response, ClerkError> {
    let build_failed = || ClerkError::Network {
        message: "could not build the request".into(),
    };
    let init = web_sys::RequestInit::new();
    init.set_method(req.wire_method());
    if credentials {
        init.set_credentials(RequestCredentials::Include);
    }
    if let Some(s) = signal {
        init.set_signal(Some(s));
    }
    if let (Some(body), Some(ct)) = (req.body(), req.content_type()) {
        let headers = web_sys::Headers::new().map_err(|_| build_failed())?;
        headers
            .set("content-type", ct)
            .map_err(|_| build_failed())?;
        init.set_headers(&headers);
        init.set_body(&JsValue::from_str(&body));
    }
    let request =
        web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| build_failed())?;
    match gloo_net::http::Request::from(request).send().await {
        Ok(r) => Ok(r),
        Err(_) if signal.is_some_and(|s| s.aborted()) => Err(ClerkError::Cancelled),
        Err(gloo_net::Error::JsError(e)) => Err(ClerkError::Network { message: e.message }),
        Err(_) => Err(ClerkError::Network {
            message: "Failed to fetch".into(),
        }),
    }
}

async fn read_body(resp: Response) -> Result<JsValue, ClerkError> {
    let status = resp.status();
    let retry_after = resp.headers().get("retry-after");
    let raw = web_sys::Response::from(resp);
    let json = if status == 204 {
        JsValue::NULL
    } else {
        match raw.json() {
            Ok(p) => JsFuture::from(p).await.unwrap_or(JsValue::NULL),
            Err(_) => JsValue::NULL,
        }
    };
    if (200..300).contains(&status) {
        return Ok(json);
    }
    let err = match crate::json::decode::<ErrorBody>(&json) {
        Ok(body) if !body.errors.is_empty() => {
            ApiError::from_body(status, body, retry_after.as_deref())
        }
        _ => ApiError::without_body(status, retry_after.as_deref()),
    };
    Err(ClerkError::Api(err))
}

fn html_document() -> Option<web_sys::HtmlDocument> {
    web_sys::window()?.document()?.dyn_into().ok()
}

fn read_cookie(name: &str) -> Option<String> {
    let cookies = html_document()?.cookie().ok()?;
    cookies.split(';').find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name && !v.is_empty()).then(|| v.to_string())
    })
}

/// The eTLD+1 of the page: the shortest parent domain that accepts a cookie
/// (ClerkJS's `getCookieDomain`), else the host.
fn probe_domain(doc: &web_sys::HtmlDocument, secure: bool) -> Option<String> {
    const PROBE: &str = "__clerk_test_etld";
    let host = web_sys::window()?.location().hostname().ok()?;
    let candidates = cookies::domain_candidates(&host);
    let (last, parents) = candidates.split_last()?;
    for d in parents {
        let _ = doc.set_cookie(&cookies::cookie_string(
            PROBE,
            None,
            "1",
            true,
            secure,
            Some(d),
        ));
        let ok = read_cookie(PROBE).is_some();
        let _ = doc.set_cookie(&cookies::cookie_string(
            PROBE,
            None,
            "",
            true,
            secure,
            Some(d),
        ));
        if ok {
            return Some(d.to_string());
        }
    }
    Some(last.to_string())
}
