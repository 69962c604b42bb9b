//! Where a `redirect_url` may point: the email link's `/v1/verify` answers
//! 303 to it, so an arbitrary URL would make the emulator an open redirect.
//!
//! Allowed: loopback origins (`localhost`, `127.0.0.1`, `[::1]`, any port),
//! the extra allowed origins (`--origin-allow`, `allowed_origins`) and the
//! instance's own URLs (the Frontend API, `sign_in_url`, `sign_up_url`,
//! `home_url`). The URL is parsed as a browser would (WHATWG), so tricks such
//! as `http://localhost@evil.example/` or backslashes do not pass.

use url::{Host, Url};

use crate::errors::ApiError;

fn is_loopback(u: &Url) -> bool {
    match u.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip == std::net::Ipv4Addr::LOCALHOST,
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn origin_of(s: &str) -> Option<String> {
    let u = Url::parse(s.trim()).ok()?;
    matches!(u.scheme(), "http" | "https").then(|| u.origin().ascii_serialization())
}

/// Validates `raw`; returns it (trimmed) when allowed.
/// `allowed` lists origins or URLs whose origin is allowed.
pub fn check<'a>(
    raw: &str,
    allowed: impl IntoIterator<Item = &'a str>,
) -> Result<String, ApiError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(ApiError::param_missing("redirect_url"));
    }
    if t.chars().any(|c| c.is_control() || c == '\\') {
        return Err(ApiError::redirect_url_invalid());
    }
    let u = Url::parse(t).map_err(|_| ApiError::redirect_url_invalid())?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err(ApiError::redirect_url_prohibited());
    }
    if !u.username().is_empty() || u.password().is_some() || u.host().is_none() {
        return Err(ApiError::redirect_url_invalid());
    }
    if is_loopback(&u) {
        return Ok(t.to_string());
    }
    let origin = u.origin().ascii_serialization();
    if allowed
        .into_iter()
        .any(|a| origin_of(a).as_deref() == Some(origin.as_str()))
    {
        Ok(t.to_string())
    } else {
        Err(ApiError::redirect_url_domain_mismatch())
    }
}

/// Whether a stored redirect is still allowed (re-checked when a link is opened).
pub fn allowed<'a>(raw: &str, allowed: impl IntoIterator<Item = &'a str>) -> bool {
    check(raw, allowed).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: [&str; 2] = ["https://app.example.test", "http://127.0.0.1:4010"];

    #[test]
    fn allowed_and_refused() {
        for ok in [
            "http://localhost:3000/cb",
            "http://127.0.0.1:51234/landing.html?x=1#f",
            "http://[::1]:8080/",
            "https://localhost/",
            "https://app.example.test/after",
            "HTTPS://APP.EXAMPLE.TEST:443/x",
        ] {
            assert_eq!(check(ok, OWN).unwrap(), ok, "{ok}");
        }
        let code = |s: &str| check(s, OWN).unwrap_err().code;
        assert_eq!(
            code("https://evil.example/x"),
            "redirect_url_domain_mismatch"
        );
        assert_eq!(
            code("http://localhost.evil.example/"),
            "redirect_url_domain_mismatch"
        );
        assert_eq!(
            code("http://127.0.0.1.nip.io/"),
            "redirect_url_domain_mismatch"
        );
        assert_eq!(
            code("https://app.example.test:8443/"),
            "redirect_url_domain_mismatch"
        );
        assert_eq!(
            code("http://app.example.test/"),
            "redirect_url_domain_mismatch"
        );
        assert_eq!(
            code("http://localhost@evil.example/"),
            "invalid_redirect_url"
        );
        assert_eq!(
            code("http://localhost:3000\\@evil.example/"),
            "invalid_redirect_url"
        );
        assert_eq!(
            code("http://localhost:3000/\r\nSet-Cookie: x=1"),
            "invalid_redirect_url"
        );
        assert_eq!(code("javascript:alert(1)"), "prohibited_redirect_url");
        assert_eq!(code("data:text/html,hi"), "prohibited_redirect_url");
        assert_eq!(code("//evil.example/x"), "invalid_redirect_url");
        assert_eq!(code("/relative"), "invalid_redirect_url");
        assert_eq!(code("   "), "form_param_missing");
        let e = check("https://evil.example/", OWN).unwrap_err();
        assert_eq!(e.status, 422);
        assert_eq!(e.meta["param_name"], "redirect_url");
    }
}
