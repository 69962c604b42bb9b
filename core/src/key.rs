//! Publishable-key parsing and the FAPI base URL, by ClerkJS's rules.

use crate::ascii;
use crate::b64::{self, Alphabet};

/// Host suffixes of Clerk development/staging FAPI hosts; only these run the
/// dev-browser handshake (`POST /v1/dev_browser`, `__clerk_db_jwt`).
const DEV_BROWSER_SUFFIXES: &[&str] = &[
    ".lcl.dev",
    ".stg.dev",
    ".lclstage.dev",
    ".stgstage.dev",
    ".accounts.dev",
    ".accountsstage.dev",
    ".dev.lclclerk.com",
    ".stg.lclclerk.com",
    ".accounts.lclclerk.com",
];

/// Why a publishable key or proxy URL was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The key does not start with `pk_test_` or `pk_live_`.
    #[error("The publishable key must start with pk_test_ or pk_live_.")]
    Prefix,
    /// Splitting on `_` did not give exactly three parts.
    #[error("The publishable key is malformed.")]
    Shape,
    /// The third part is not valid base64 of UTF-8 text.
    #[error("The publishable key is not valid base64.")]
    Encoding,
    /// The decoded host does not end in exactly one `$`, or has no `.`.
    #[error("The publishable key does not encode a Frontend API host.")]
    Host,
    /// `proxy_url` is neither an absolute http(s) URL nor a path starting with `/`.
    #[error("The proxy URL must be an absolute http(s) URL or start with /.")]
    ProxyUrl,
    /// A relative `proxy_url` was given without a page origin to resolve it against.
    #[error("A relative proxy URL needs the page origin.")]
    ProxyNeedsOrigin,
}

impl KeyError {
    /// Stable error code: `invalid_publishable_key` or `invalid_proxy_url`.
    pub fn code(&self) -> &'static str {
        match self {
            KeyError::ProxyUrl | KeyError::ProxyNeedsOrigin => "invalid_proxy_url",
            _ => "invalid_publishable_key",
        }
    }

    /// A user-facing message.
    pub fn message(&self) -> &'static str {
        match self {
            KeyError::Prefix => "The publishable key must start with pk_test_ or pk_live_.",
            KeyError::Shape => "The publishable key is malformed.",
            KeyError::Encoding => "The publishable key is not valid base64.",
            KeyError::Host => "The publishable key does not encode a Frontend API host.",
            KeyError::ProxyUrl => "The proxy URL must be an absolute http(s) URL or start with /.",
            KeyError::ProxyNeedsOrigin => "A relative proxy URL needs the page origin.",
        }
    }
}

/// Instance type, from the key prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceType {
    /// `pk_test_` keys.
    Development,
    /// `pk_live_` keys.
    Production,
}

impl InstanceType {
    /// `"development"` or `"production"` (as in `display_config.instance_environment_type`).
    pub fn as_str(&self) -> &'static str {
        match self {
            InstanceType::Development => "development",
            InstanceType::Production => "production",
        }
    }
}

/// A parsed publishable key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishableKey {
    /// Development (`pk_test_`) or production (`pk_live_`).
    pub instance_type: InstanceType,
    /// The FAPI host the key encodes, possibly with `:port` (no scheme).
    pub frontend_api: String,
}

impl PublishableKey {
    /// Parses `pk_test_…`/`pk_live_…`: three `_`-separated parts, the third being
    /// base64 (padding optional) of `<host>$`, with exactly one `$` (at the end)
    /// and at least one `.` in the host.
    pub fn parse(key: &str) -> Result<PublishableKey, KeyError> {
        let key = key.trim();
        let instance_type = if key.starts_with("pk_live_") {
            InstanceType::Production
        } else if key.starts_with("pk_test_") {
            InstanceType::Development
        } else {
            return Err(KeyError::Prefix);
        };
        let mut parts = ascii::split(key, b"_");
        let (Some(_), Some(_), Some(encoded), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(KeyError::Shape);
        };
        let bytes = b64::decode(encoded, Alphabet::Standard).ok_or(KeyError::Encoding)?;
        let decoded = crate::utf8::decode(&bytes).ok_or(KeyError::Encoding)?;
        let host = decoded.strip_suffix('$').ok_or(KeyError::Host)?;
        if ascii::contains(host, b"$/?#@")
            || !ascii::contains(host, b".")
            || host.chars().any(char::is_whitespace)
        {
            return Err(KeyError::Host);
        }
        Ok(PublishableKey {
            instance_type,
            frontend_api: host.into(),
        })
    }

    /// True for `pk_test_` keys.
    pub fn is_development(&self) -> bool {
        self.instance_type == InstanceType::Development
    }

    /// True when ClerkJS would run the dev-browser handshake for this key: a
    /// development key whose host ends in a Clerk development suffix.
    pub fn uses_dev_browser(&self) -> bool {
        let host = host_without_port(&self.frontend_api).to_ascii_lowercase();
        self.is_development() && DEV_BROWSER_SUFFIXES.iter().any(|s| host.ends_with(s))
    }
}

/// The host part of `host[:port]` (IPv6 literals keep their brackets).
fn host_without_port(authority: &str) -> &str {
    if authority.starts_with('[') {
        return match ascii::find(authority, b"]") {
            Some(end) => authority.get(..=end).unwrap_or(authority),
            None => authority,
        };
    }
    ascii::before(authority, b':')
}

/// True for `localhost`, `127.0.0.1` and `[::1]`, with or without a port.
pub fn is_loopback(authority: &str) -> bool {
    let host = host_without_port(authority);
    host.eq_ignore_ascii_case("localhost") || host == "127.0.0.1" || host == "[::1]"
}

/// The FAPI base URL, without the `/v1` (request building appends it).
///
/// * With `proxy_url`: its origin and path, without query, fragment or trailing
///   slash; a relative `/path` is resolved against `page_origin`.
/// * Otherwise `https://<frontend_api>`, or `http://` for loopback hosts.
pub fn fapi_base_url(
    key: &PublishableKey,
    proxy_url: Option<&str>,
    page_origin: Option<&str>,
) -> Result<String, KeyError> {
    if let Some(proxy) = proxy_url.map(str::trim).filter(|p| !p.is_empty()) {
        let relative = proxy.starts_with('/');
        if !relative && crate::url::split_absolute(proxy).is_none() {
            return Err(KeyError::ProxyUrl);
        }
        if relative && page_origin.is_none() {
            return Err(KeyError::ProxyNeedsOrigin);
        }
        let mut url = crate::url::resolve(proxy, page_origin).ok_or(KeyError::ProxyNeedsOrigin)?;
        if let Some(cut) = ascii::find(&url, b"?#") {
            url.truncate(cut);
        }
        while url.ends_with('/') {
            url.pop();
        }
        return Ok(url);
    }
    let scheme = if is_loopback(&key.frontend_api) {
        "http://"
    } else {
        "https://"
    };
    let mut url = String::with_capacity(scheme.len() + key.frontend_api.len());
    url.push_str(scheme);
    url.push_str(&key.frontend_api);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
    use base64::Engine;

    fn key_for(prefix: &str, decoded: &str) -> String {
        let mut k = String::from(prefix);
        k.push_str(&STANDARD_NO_PAD.encode(decoded));
        k
    }

    #[test]
    fn parses_docs_example() {
        let k = PublishableKey::parse("pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk").unwrap();
        assert_eq!(k.frontend_api, "example.accounts.dev");
        assert_eq!(k.instance_type, InstanceType::Development);
        assert!(k.is_development());
        assert!(k.uses_dev_browser());
    }

    #[test]
    fn parses_live_key_with_padding_and_port() {
        let mut key = String::from("pk_live_");
        key.push_str(&STANDARD.encode("clerk.example.com:8443$"));
        assert!(key.ends_with('='));
        let k = PublishableKey::parse(&key).unwrap();
        assert_eq!(k.frontend_api, "clerk.example.com:8443");
        assert_eq!(k.instance_type, InstanceType::Production);
        assert!(!k.is_development());
        assert!(!k.uses_dev_browser());
        assert_eq!(InstanceType::Production.as_str(), "production");
    }

    #[test]
    fn rejects_bad_keys() {
        assert_eq!(PublishableKey::parse(""), Err(KeyError::Prefix));
        assert_eq!(PublishableKey::parse("sk_test_abc"), Err(KeyError::Prefix));
        assert_eq!(
            PublishableKey::parse(&key_for("pk_test_x_", "a.b$")),
            Err(KeyError::Shape)
        );
        assert_eq!(
            PublishableKey::parse("pk_test_!!!!"),
            Err(KeyError::Encoding)
        );
        assert_eq!(
            PublishableKey::parse(&key_for("pk_test_", "example.dev")),
            Err(KeyError::Host)
        );
        assert_eq!(
            PublishableKey::parse(&key_for("pk_test_", "exa$mple.dev$")),
            Err(KeyError::Host)
        );
        assert_eq!(
            PublishableKey::parse(&key_for("pk_test_", "example.dev$$")),
            Err(KeyError::Host)
        );
        assert_eq!(
            PublishableKey::parse(&key_for("pk_test_", "localhost$")),
            Err(KeyError::Host)
        );
        assert_eq!(
            PublishableKey::parse(&key_for("pk_test_", "a.b/c$")),
            Err(KeyError::Host)
        );
        let mut not_utf8 = String::from("pk_test_");
        not_utf8.push_str(&STANDARD.encode([0xff, 0xfe, b'.', b'$']));
        assert_eq!(PublishableKey::parse(&not_utf8), Err(KeyError::Encoding));
        assert_eq!(KeyError::Host.code(), "invalid_publishable_key");
        assert_eq!(KeyError::ProxyUrl.code(), "invalid_proxy_url");
        assert_eq!(KeyError::ProxyNeedsOrigin.code(), "invalid_proxy_url");
        for e in [
            KeyError::Prefix,
            KeyError::Shape,
            KeyError::Encoding,
            KeyError::Host,
            KeyError::ProxyUrl,
            KeyError::ProxyNeedsOrigin,
        ] {
            let mut s = String::new();
            core::fmt::write(&mut s, format_args!("{e}")).unwrap();
            assert_eq!(s, e.message());
        }
    }

    #[test]
    fn base_url_https_and_loopback() {
        let k = PublishableKey::parse(&key_for("pk_test_", "happy-cat-12.clerk.accounts.dev$"))
            .unwrap();
        assert_eq!(
            fapi_base_url(&k, None, None).unwrap(),
            "https://happy-cat-12.clerk.accounts.dev"
        );
        let k = PublishableKey::parse(&key_for("pk_test_", "127.0.0.1:4010$")).unwrap();
        assert_eq!(
            fapi_base_url(&k, None, None).unwrap(),
            "http://127.0.0.1:4010"
        );
        assert!(!k.uses_dev_browser());
        let k = PublishableKey::parse(&key_for("pk_test_", "127.0.0.1.lcl.dev$")).unwrap();
        assert_eq!(
            fapi_base_url(&k, None, None).unwrap(),
            "https://127.0.0.1.lcl.dev"
        );
        assert!(k.uses_dev_browser());
        assert!(is_loopback("localhost"));
        assert!(is_loopback("LOCALHOST:3000"));
        assert!(is_loopback("[::1]:4010"));
        assert!(is_loopback("[::1]"));
        assert!(!is_loopback("127.0.0.2"));
        assert!(!is_loopback("localhost.example.com"));
    }

    #[test]
    fn base_url_with_proxy() {
        let k = PublishableKey::parse("pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk").unwrap();
        assert_eq!(
            fapi_base_url(&k, Some("http://127.0.0.1:4010"), None).unwrap(),
            "http://127.0.0.1:4010"
        );
        assert_eq!(
            fapi_base_url(&k, Some("https://App.test/__clerk/"), None).unwrap(),
            "https://app.test/__clerk"
        );
        assert_eq!(
            fapi_base_url(&k, Some("https://app.test/__clerk?x=1#y"), None).unwrap(),
            "https://app.test/__clerk"
        );
        assert_eq!(
            fapi_base_url(&k, Some("/__clerk"), Some("http://localhost:5173")).unwrap(),
            "http://localhost:5173/__clerk"
        );
        assert_eq!(
            fapi_base_url(&k, Some(""), None).unwrap(),
            "https://example.accounts.dev"
        );
        assert_eq!(
            fapi_base_url(&k, Some("/__clerk"), None),
            Err(KeyError::ProxyNeedsOrigin)
        );
        assert_eq!(
            fapi_base_url(&k, Some("__clerk"), Some("http://a.test")),
            Err(KeyError::ProxyUrl)
        );
        assert_eq!(
            fapi_base_url(&k, Some("ftp://a.test"), None),
            Err(KeyError::ProxyUrl)
        );
    }
}
