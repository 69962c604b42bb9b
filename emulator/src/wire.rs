//! HTTP plumbing: request parsing (`_method`, form bodies, cookies), CORS,
//! and turning handler output into responses.

use std::collections::HashMap;
use std::net::IpAddr;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Response, StatusCode};
use serde_json::Value;

use crate::errors::ApiError;

/// A parsed request. `method` is the effective method (after `_method`).
#[derive(Debug, Clone)]
pub struct Req {
    pub wire_method: String,
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
    /// The raw body (JSON control endpoints).
    pub body: Vec<u8>,
    pub cookies: HashMap<String, String>,
    pub origin: Option<String>,
    pub ip: IpAddr,
    pub request_headers: Option<String>,
    /// `Host` (or the request target's authority).
    pub host: Option<String>,
    pub content_type: Option<String>,
    /// Fetch metadata the browser adds (`Sec-Fetch-Site`, `Sec-Fetch-Mode`).
    pub sec_fetch_site: Option<String>,
    pub sec_fetch_mode: Option<String>,
}

impl Req {
    pub fn parse(
        method: &str,
        uri: &axum::http::Uri,
        headers: &HeaderMap,
        body: Vec<u8>,
        ip: IpAddr,
    ) -> Req {
        let query: Vec<(String, String)> = uri
            .query()
            .map(|q| serde_urlencoded::from_str(q).unwrap_or_default())
            .unwrap_or_default();
        let header = |k: &str| {
            headers
                .get(k)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header("content-type");
        let ctype = content_type.as_deref().unwrap_or("").to_ascii_lowercase();
        let form: Vec<(String, String)> =
            if !body.is_empty() && !ctype.starts_with("application/json") {
                serde_urlencoded::from_bytes(&body).unwrap_or_default()
            } else {
                Vec::new()
            };
        let wire_method = method.to_ascii_uppercase();
        let mut effective = wire_method.clone();
        if wire_method == "POST" {
            if let Some((_, m)) = query.iter().find(|(k, _)| k == "_method") {
                let m = m.to_ascii_uppercase();
                if matches!(m.as_str(), "PATCH" | "PUT" | "DELETE") {
                    effective = m;
                }
            }
        }
        let mut cookies = HashMap::new();
        for v in headers.get_all("cookie") {
            if let Ok(s) = v.to_str() {
                for part in s.split(';') {
                    if let Some((k, v)) = part.trim().split_once('=') {
                        cookies
                            .entry(k.trim().to_string())
                            .or_insert_with(|| v.trim().to_string());
                    }
                }
            }
        }
        Req {
            wire_method,
            method: effective,
            path: uri.path().to_string(),
            query,
            form,
            body,
            cookies,
            origin: header("origin"),
            ip,
            request_headers: header("access-control-request-headers"),
            host: header("host").or_else(|| uri.authority().map(|a| a.to_string())),
            content_type,
            sec_fetch_site: header("sec-fetch-site"),
            sec_fetch_mode: header("sec-fetch-mode"),
        }
    }

    /// A form field (body first, then query string); empty values count as absent.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.form
            .iter()
            .chain(self.query.iter())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    pub fn query_param(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn has_form(&self, key: &str) -> bool {
        self.form.iter().any(|(k, _)| k == key)
    }
}

/// What a handler produced.
pub enum Out {
    /// `{response, client}` with the client rendered after the handler ran.
    Env(Value),
    /// A bare JSON body.
    Json(u16, Value),
    /// 303 See Other.
    Redirect(String),
    Html(u16, String),
}

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    pub content_type: Option<&'static str>,
}

impl Resp {
    pub fn json(status: u16, v: &Value) -> Resp {
        Resp {
            status,
            headers: Vec::new(),
            body: Body::from(serde_json::to_vec(v).expect("json")),
            content_type: Some("application/json"),
        }
    }

    pub fn error(e: &ApiError) -> Resp {
        let trace = crate::domain::random_hex(16);
        if e.is_internal() {
            // The detail goes to the log only; the body is the catalogue's.
            tracing::error!(
                trace_id = %trace,
                detail = e.detail.as_deref().map(String::as_str).unwrap_or(""),
                "internal error"
            );
        }
        let mut r = Resp::json(e.status, &e.body(&trace));
        if let Some(s) = e.retry_after {
            r.headers.push(("retry-after".into(), s.to_string()));
        }
        r
    }

    pub fn html(status: u16, s: String) -> Resp {
        Resp {
            status,
            headers: Vec::new(),
            body: Body::from(s),
            content_type: Some("text/html; charset=utf-8"),
        }
    }

    pub fn redirect(location: &str) -> Resp {
        Resp {
            status: 303,
            headers: vec![("location".into(), location.to_string())],
            body: Body::empty(),
            content_type: None,
        }
    }

    pub fn empty(status: u16) -> Resp {
        Resp {
            status,
            headers: Vec::new(),
            body: Body::empty(),
            content_type: None,
        }
    }

    pub fn header(mut self, k: &str, v: &str) -> Resp {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }

    pub fn into_response(self) -> Response<Body> {
        let mut r = Response::new(self.body);
        *r.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let h = r.headers_mut();
        if let Some(ct) = self.content_type {
            h.insert("content-type", HeaderValue::from_static(ct));
        }
        for (k, v) in self.headers {
            if let (Ok(k), Ok(v)) = (HeaderName::try_from(k), HeaderValue::try_from(v)) {
                h.append(k, v);
            }
        }
        r
    }
}

/// Loopback origins (any port, http or https) are always allowed; `extra`
/// adds exact origins.
pub fn origin_allowed(origin: &str, extra: &[String]) -> bool {
    let o = origin.trim_end_matches('/');
    if extra
        .iter()
        .any(|e| e.trim_end_matches('/').eq_ignore_ascii_case(o))
    {
        return true;
    }
    let rest = match o.split_once("://") {
        Some(("http", r)) | Some(("https", r)) => r,
        _ => return false,
    };
    if rest.contains('/') || rest.contains('@') {
        return false;
    }
    let host = if let Some(stripped) = rest.strip_prefix('[') {
        match stripped.split_once(']') {
            Some((h, tail)) if tail.is_empty() || valid_port(tail) => return h == "::1",
            _ => return false,
        }
    } else {
        match rest.split_once(':') {
            Some((h, p)) if valid_port(&format!(":{p}")) => h,
            Some(_) => return false,
            None => rest,
        }
    };
    host.eq_ignore_ascii_case("localhost") || host == "127.0.0.1"
}

fn valid_port(tail: &str) -> bool {
    tail.strip_prefix(':')
        .is_some_and(|p| !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()))
}

/// Headers on every response: nothing is cached (FAPI bodies carry session
/// tokens, the inbox carries codes), no MIME sniffing, no referrer. The
/// control API's responses are not embeddable cross-origin (no-cors) and its
/// pages cannot be framed.
pub fn add_security_headers(resp: &mut Resp, control: bool) {
    resp.headers
        .push(("cache-control".into(), "no-store".into()));
    resp.headers
        .push(("x-content-type-options".into(), "nosniff".into()));
    resp.headers
        .push(("referrer-policy".into(), "no-referrer".into()));
    if control {
        resp.headers.push(("x-frame-options".into(), "DENY".into()));
        resp.headers.push((
            "content-security-policy".into(),
            "frame-ancestors 'none'".into(),
        ));
    }
}

/// Adds the CORS headers for an allowed origin, and CORP everywhere
/// (`cross-origin` for the FAPI, `same-origin` for the control API, whose
/// answers a foreign page may not even embed).
pub fn add_cors(resp: &mut Resp, origin: Option<&str>, extra: &[String], control: bool) {
    // Idempotent: a preflight answer already has them, and browsers reject a
    // doubled `access-control-allow-origin`.
    if resp.headers.iter().any(|(k, _)| k == "vary") {
        return;
    }
    let corp = if control {
        "same-origin"
    } else {
        "cross-origin"
    };
    resp.headers
        .push(("cross-origin-resource-policy".into(), corp.into()));
    resp.headers.push(("vary".into(), "Origin".into()));
    if let Some(o) = origin {
        if origin_allowed(o, extra) {
            resp.headers
                .push(("access-control-allow-origin".into(), o.to_string()));
            resp.headers
                .push(("access-control-allow-credentials".into(), "true".into()));
            resp.headers.push((
                "access-control-expose-headers".into(),
                "Clerk-Db-Jwt, Retry-After, x-country, Authorization".into(),
            ));
        }
    }
}

/// The answer to an OPTIONS preflight.
pub fn preflight(req: &Req, extra: &[String], control: bool) -> Resp {
    let allowed = req
        .origin
        .as_deref()
        .is_some_and(|o| origin_allowed(o, extra));
    let mut r = Resp::empty(if allowed { 204 } else { 403 });
    add_cors(&mut r, req.origin.as_deref(), extra, control);
    if allowed {
        r.headers.push((
            "access-control-allow-methods".into(),
            "GET, POST, PATCH, PUT, DELETE, OPTIONS".into(),
        ));
        let hdrs = req
            .request_headers
            .clone()
            .unwrap_or_else(|| "content-type, authorization".into());
        r.headers
            .push(("access-control-allow-headers".into(), hdrs));
        r.headers
            .push(("access-control-max-age".into(), "600".into()));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_origins() {
        assert!(origin_allowed("http://localhost:3000", &[]));
        assert!(origin_allowed("http://127.0.0.1:8080", &[]));
        assert!(origin_allowed("https://[::1]:9", &[]));
        assert!(origin_allowed("http://127.0.0.1", &[]));
        assert!(!origin_allowed("http://127.0.0.1.evil.com", &[]));
        assert!(!origin_allowed("http://localhost.evil.com:80", &[]));
        assert!(!origin_allowed("null", &[]));
        assert!(!origin_allowed("http://example.com", &[]));
        assert!(origin_allowed(
            "http://example.com",
            &["http://example.com".into()]
        ));
        assert!(!origin_allowed("ftp://localhost", &[]));
    }
}
