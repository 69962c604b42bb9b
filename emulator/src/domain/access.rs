//! Who may call the control API (`/__emulator/*`).
//!
//! The control API can wipe the database, change the configuration and read
//! every code in the inbox, so it must not be reachable from an arbitrary web
//! page the developer happens to visit:
//!
//! - **Host** must be a loopback name (`localhost`, `127.0.0.1`, `[::1]`, any
//!   port), the address the emulator is bound to, or one given with
//!   `--allow-host` (DNS rebinding: a page on `evil.example` whose name now
//!   resolves to 127.0.0.1 still sends `Host: evil.example`).
//! - **Origin**, when present, must be an allowed origin (loopback,
//!   `--origin-allow`, `allowed_origins`). curl and node send none.
//! - Without an Origin, a request the browser marks `Sec-Fetch-Site:
//!   cross-site` is refused unless it is a plain navigation (a link to the
//!   inbox page).
//! - **State-changing calls** (anything but GET/HEAD/OPTIONS) must carry
//!   `Content-Type: application/json`, which an HTML form or a "simple"
//!   cross-origin fetch cannot send without a CORS preflight; a call with no
//!   body at all may omit the header (`curl -X POST …/reset`).
//!
//! FAPI routes do not check the Host: a dev server's proxy forwards the page's.

use crate::errors::ApiError;
use crate::wire::{origin_allowed, Req};

/// The allow-lists a control call is checked against.
pub struct Allowed<'a> {
    /// Extra origins (CLI `--origin-allow` plus the config's `allowed_origins`).
    pub origins: &'a [String],
    /// `--allow-host` entries: `name` (any port) or `name:port`.
    pub hosts: &'a [String],
    /// The host the emulator is bound to, as printed in its URLs.
    pub bound_host: &'a str,
}

/// Splits `host[:port]` (IPv6 literals in brackets); `None` if malformed.
pub fn split_host(h: &str) -> Option<(&str, Option<&str>)> {
    let h = h.trim();
    if h.is_empty() {
        return None;
    }
    let digits = |p: &str| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit());
    if h.starts_with('[') {
        let end = h.find(']')?;
        let (name, tail) = h.split_at(end + 1);
        return match tail.strip_prefix(':') {
            None if tail.is_empty() => Some((name, None)),
            Some(p) if digits(p) => Some((name, Some(p))),
            _ => None,
        };
    }
    match h.rsplit_once(':') {
        Some((name, port)) if digits(port) && !name.is_empty() && !name.contains(':') => {
            Some((name, Some(port)))
        }
        Some(_) => None,
        None => Some((h, None)),
    }
}

/// Whether a `Host` header value may reach the control API.
pub fn host_allowed(host: Option<&str>, allowed: &Allowed) -> bool {
    let Some((name, port)) = host.and_then(split_host) else {
        return false;
    };
    if ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .any(|l| name.eq_ignore_ascii_case(l))
        || name.eq_ignore_ascii_case(allowed.bound_host)
    {
        return true;
    }
    allowed.hosts.iter().any(|entry| match split_host(entry) {
        Some((n, None)) => n.eq_ignore_ascii_case(name),
        Some((n, Some(p))) => n.eq_ignore_ascii_case(name) && Some(p) == port,
        None => false,
    })
}

fn state_changing(method: &str) -> bool {
    !matches!(method, "GET" | "HEAD" | "OPTIONS")
}

fn is_json(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .eq_ignore_ascii_case("application/json")
}

/// Checks one control call; `Err` is the 403 to answer.
pub fn check(req: &Req, allowed: &Allowed) -> Result<(), ApiError> {
    if !host_allowed(req.host.as_deref(), allowed) {
        return Err(ApiError::control_forbidden(
            "host_invalid",
            "The control API answers only loopback hosts (localhost, 127.0.0.1, [::1]) and hosts given with --allow-host.",
        ));
    }
    match req.origin.as_deref() {
        Some(o) if !origin_allowed(o, allowed.origins) => {
            return Err(ApiError::control_forbidden(
                "origin_invalid",
                "The control API does not accept requests from this Origin. Loopback origins and --origin-allow / allowed_origins are accepted.",
            ));
        }
        Some(_) => {}
        None => {
            let navigation =
                req.wire_method == "GET" && req.sec_fetch_mode.as_deref() == Some("navigate");
            if req.sec_fetch_site.as_deref() == Some("cross-site") && !navigation {
                return Err(ApiError::control_forbidden(
                    "origin_invalid",
                    "The control API does not accept cross-site requests.",
                ));
            }
        }
    }
    if state_changing(&req.wire_method) {
        let ok = match req.content_type.as_deref() {
            Some(ct) => is_json(ct),
            None => req.body.is_empty(),
        };
        if !ok {
            return Err(ApiError::control_forbidden(
                "unsupported_content_type",
                "State-changing control calls need Content-Type: application/json.",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed<'a>(hosts: &'a [String]) -> Allowed<'a> {
        Allowed {
            origins: &[],
            hosts,
            bound_host: "127.0.0.1",
        }
    }

    #[test]
    fn hosts() {
        let none: Vec<String> = vec![];
        let a = allowed(&none);
        for h in [
            "localhost",
            "localhost:4010",
            "LOCALHOST:1",
            "127.0.0.1:4010",
            "127.0.0.1",
            "[::1]:4010",
            "[::1]",
        ] {
            assert!(host_allowed(Some(h), &a), "{h}");
        }
        for h in [
            "evil.example",
            "evil.example:4010",
            "localhost.evil.example",
            "127.0.0.1.nip.io:4010",
            "127.0.0.2:4010",
            "[::2]:1",
            "localhost:",
            "localhost:99999999",
            "[::1]x",
            "",
            "::1",
        ] {
            assert!(!host_allowed(Some(h), &a), "{h}");
        }
        assert!(!host_allowed(None, &a));
        let list = vec!["emu.test".to_string(), "box.lan:4010".to_string()];
        let a = allowed(&list);
        assert!(host_allowed(Some("emu.test:1234"), &a));
        assert!(host_allowed(Some("EMU.test"), &a));
        assert!(host_allowed(Some("box.lan:4010"), &a));
        assert!(!host_allowed(Some("box.lan:4011"), &a));
        assert!(!host_allowed(Some("other.test"), &a));
    }
}
