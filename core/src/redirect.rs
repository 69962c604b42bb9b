//! Redirects across origins, as ClerkJS 6.40 and the Account Portal do them:
//! where a sign-in or sign-up page sends the user afterwards, the URLs of the
//! hosted pages, and the dev-browser token that travels with a development
//! instance's cross-origin URLs.
//!
//! - The hosted page's URL carries its redirect parameters in the **hash**
//!   (`https://accounts.example.com/sign-in#/?redirect_url=…`), snake_case:
//!   `redirect_url`, `sign_in_force_redirect_url`, `sign_in_fallback_redirect_url`,
//!   `sign_up_force_redirect_url`, `sign_up_fallback_redirect_url`.
//! - After sign-in: the force URL, else `redirect_url`, else the fallback,
//!   else `/` (likewise after sign-up). Props beat load options; the page's
//!   own parameters beat both.
//! - A development instance's cross-origin URL gets `?__clerk_db_jwt=<token>`,
//!   so both origins share one dev browser (one client); the receiving page
//!   takes it from its URL and removes it ([`take_dev_browser_param`]).
//! - Only http(s) URLs are followed, and only to allowed origins when the
//!   application lists some (ClerkJS's `allowedRedirectOrigins`).

use crate::ascii;
use crate::cookies::DB_JWT;
use crate::flow::email_link::query_string;
use crate::list::remove_where;
use crate::url::{parse_query, split_absolute};

/// The redirect options of ClerkJS (`load()` options, component props, or a
/// hosted page's parameters). The deprecated `afterSignInUrl` /
/// `afterSignUpUrl` count as fallbacks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedirectUrls {
    /// `redirectUrl` / `redirect_url`.
    pub redirect_url: Option<String>,
    /// `signInForceRedirectUrl` (also `forceRedirectUrl` on a sign-in form).
    pub sign_in_force: Option<String>,
    /// `signInFallbackRedirectUrl` (also `fallbackRedirectUrl`, `afterSignInUrl`).
    pub sign_in_fallback: Option<String>,
    /// `signUpForceRedirectUrl`.
    pub sign_up_force: Option<String>,
    /// `signUpFallbackRedirectUrl` (also `afterSignUpUrl`).
    pub sign_up_fallback: Option<String>,
}

/// The snake_case parameter names, in ClerkJS's order.
const PARAMS: [&str; 5] = [
    "sign_up_force_redirect_url",
    "sign_up_fallback_redirect_url",
    "sign_in_fallback_redirect_url",
    "sign_in_force_redirect_url",
    "redirect_url",
];

impl RedirectUrls {
    fn slots(&mut self) -> [&mut Option<String>; 5] {
        [
            &mut self.sign_up_force,
            &mut self.sign_up_fallback,
            &mut self.sign_in_fallback,
            &mut self.sign_in_force,
            &mut self.redirect_url,
        ]
    }

    /// Reads the snake_case parameters of a query or hash (`a=1&b=2`, with or
    /// without a leading `?`, `#`, `#/?`).
    pub fn from_params(query: &str) -> RedirectUrls {
        let mut out = RedirectUrls::default();
        let query = ascii::trim_start(query, b"#/?");
        for (k, v) in parse_query(query) {
            if let Some(i) = PARAMS.iter().position(|p| *p == k) {
                *out.slots()[i] = Some(v).filter(|v| !v.is_empty());
            }
        }
        out
    }

    /// Each field of `self`, else of `other` (`self` wins).
    pub fn or(mut self, mut other: RedirectUrls) -> RedirectUrls {
        for (mine, theirs) in self.slots().into_iter().zip(other.slots()) {
            if mine.is_none() {
                *mine = theirs.take();
            }
        }
        self
    }

    /// Where to go after signing in (`sign_up`: after signing up): the force
    /// URL, else `redirect_url`, else the fallback, else `/`.
    pub fn after(&self, sign_up: bool) -> &str {
        let (force, fallback) = if sign_up {
            (&self.sign_up_force, &self.sign_up_fallback)
        } else {
            (&self.sign_in_force, &self.sign_in_fallback)
        };
        force
            .as_deref()
            .or(self.redirect_url.as_deref())
            .or(fallback.as_deref())
            .unwrap_or("/")
    }

    /// The hash parameters of a hosted page's URL (a force URL drops its
    /// fallback), absolute against `page_origin`.
    pub fn hash_params(&self, page_origin: Option<&str>) -> Vec<(String, String)> {
        let mut me = self.clone();
        if me.sign_up_force.is_some() {
            me.sign_up_fallback = None;
        }
        if me.sign_in_force.is_some() {
            me.sign_in_fallback = None;
        }
        let mut out = Vec::new();
        for (name, value) in PARAMS.iter().zip(me.slots()) {
            if let Some(v) = value.as_deref() {
                let v = crate::url::resolve(v, page_origin).unwrap_or_else(|| v.into());
                out.push((String::from(*name), v));
            }
        }
        out
    }
}

/// `base` with `params` in its hash (`base#/?a=1&b=2`), as ClerkJS builds a
/// hosted page's URL; any hash `base` had is replaced.
pub fn with_hash_params(base: &str, params: &[(String, String)]) -> String {
    let base = ascii::before(base, b'#');
    if params.is_empty() {
        return base.into();
    }
    crate::list::concat(&[base, "#/", &query_string(params)])
}

/// The origin of an absolute http(s) URL (normalised), if it is one.
pub fn origin_of(url: &str) -> Option<String> {
    split_absolute(url).map(|(origin, _)| origin)
}

/// ClerkJS's `buildUrlWithAuth`: for a development instance, a URL on another
/// origin than the page's gets `__clerk_db_jwt=<token>` in its query (any one
/// it had is replaced); everything else is returned as is.
pub fn decorate(url: &str, page_origin: Option<&str>, dev_browser_jwt: Option<&str>) -> String {
    let (Some(jwt), Some(origin)) = (dev_browser_jwt, origin_of(url)) else {
        return url.into();
    };
    if page_origin.and_then(origin_of).as_deref() == Some(origin.as_str()) {
        return url.into();
    }
    let (before_hash, hash) = match ascii::split_once(url, b'#') {
        Some((a, h)) => (a, Some(h)),
        None => (url, None),
    };
    let (path, query) = ascii::split_once(before_hash, b'?').unwrap_or((before_hash, ""));
    let mut pairs = parse_query(query);
    remove_where(&mut pairs, |(k, _)| k == DB_JWT);
    pairs.push((DB_JWT.into(), jwt.into()));
    let mut out = crate::list::concat(&[path, &query_string(&pairs)]);
    if let Some(h) = hash {
        out.push('#');
        out.push_str(h);
    }
    out
}

/// A page's URL without its `__clerk_db_jwt` parameter, and that parameter's
/// value (the dev browser handed over by another origin), when it had one.
pub fn take_dev_browser_param(query: &str) -> Option<(String, String)> {
    let mut pairs = parse_query(ascii::trim_start(query, b"?"));
    let jwt = pairs
        .iter()
        .find(|(k, _)| k == DB_JWT)
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty())?;
    remove_where(&mut pairs, |(k, _)| k == DB_JWT);
    Some((query_string(&pairs), jwt))
}

/// Whether `url` may be handed to `location.assign` as the SDK's own
/// navigations (`setActive`, `signOut`, `finalize`, an email link's landing)
/// are: a relative URL, or an absolute one whose scheme is `http` or `https`
/// — never `javascript:`, `data:` or the like, which would run in the page.
/// A colon before the first `/`, `?` or `#` must end `http` or `https`. As
/// the URL parser reads it, leading spaces and control characters, and tabs
/// and newlines anywhere, do not hide a scheme. ClerkJS's `navigate` goes to
/// `/` instead of such a URL; so does the engine.
pub fn navigable(url: &str) -> bool {
    let mut scheme = [0u8; 6];
    let mut len = 0;
    for b in url.bytes() {
        match b {
            b'\t' | b'\n' | b'\r' => {}
            0..=b' ' if len == 0 => {}
            b':' => return matches!((len, &scheme), (4, b"http\0\0") | (5, b"https\0")),
            b'/' | b'?' | b'#' => return true,
            _ => {
                if let Some(slot) = scheme.get_mut(len) {
                    *slot = b | 0x20;
                }
                len += 1;
            }
        }
    }
    true
}

/// Whether the user may be sent to `url`: an http(s) URL (or a path on the
/// page), on the page's origin or on one of `allowed` (exact origins, or
/// `*.example.com`-style patterns; none listed: any origin).
pub fn allowed(url: &str, page_origin: Option<&str>, allowed: &[String]) -> bool {
    let Some(target) = crate::url::resolve(url, page_origin)
        .as_deref()
        .and_then(origin_of)
    else {
        return false;
    };
    if allowed.is_empty() || page_origin.and_then(origin_of).as_deref() == Some(target.as_str()) {
        return true;
    }
    allowed.iter().any(|pattern| {
        let pattern = ascii::trim_end(pattern, b"/");
        let wildcard = [("https://", "https://*."), ("http://", "http://*.")]
            .iter()
            .find_map(|(scheme, p)| pattern.strip_prefix(p).map(|suffix| (*scheme, suffix)));
        match (wildcard, pattern.strip_suffix(":*")) {
            (Some((scheme, suffix)), _) => target
                .strip_prefix(scheme)
                .is_some_and(|host| host.ends_with(&crate::list::concat(&[".", suffix]))),
            // `http://localhost:*`: any port of that scheme and host.
            (None, Some(host)) => {
                target == host
                    || target
                        .strip_prefix(host)
                        .and_then(|rest| rest.strip_prefix(':'))
                        .is_some_and(|port| {
                            !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
                        })
            }
            (None, None) => origin_of(pattern).as_deref() == Some(target.as_str()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_relative_and_http_urls_are_navigable() {
        for ok in [
            "/home",
            "home?x=1",
            "?a=b",
            "#top",
            "9",
            "https://a.test/",
            "HTTP://a.test",
            "//cdn.test/x",
            "",
        ] {
            assert!(navigable(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " \u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscr\ript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "httpx:x",
            "https0:x",
            "blob:https://a.test/1",
            "file:///etc/passwd",
            // Not schemes, refused all the same (a colon before any `/`).
            "1javascript:alert(1)",
            ":x",
        ] {
            assert!(!navigable(bad), "{bad:?}");
        }
    }

    #[test]
    fn after_sign_in_follows_force_then_redirect_then_fallback() {
        let mut r = RedirectUrls {
            sign_in_fallback: Some("/fallback".into()),
            ..Default::default()
        };
        assert_eq!(r.after(false), "/fallback");
        r.redirect_url = Some("/back".into());
        assert_eq!(r.after(false), "/back");
        r.sign_in_force = Some("/forced".into());
        assert_eq!(r.after(false), "/forced");
        assert_eq!(r.after(true), "/back", "sign-up has its own force");
        assert_eq!(RedirectUrls::default().after(true), "/");
    }

    #[test]
    fn page_params_beat_props_beat_options() {
        let page = RedirectUrls::from_params(
            "#/?redirect_url=http%3A%2F%2Fa.test%2Fx&sign_in_force_redirect_url=",
        );
        assert_eq!(page.redirect_url.as_deref(), Some("http://a.test/x"));
        assert_eq!(page.sign_in_force, None, "empty is absent");
        let props = RedirectUrls {
            redirect_url: Some("/props".into()),
            sign_up_force: Some("/up".into()),
            ..Default::default()
        };
        let merged = page.or(props);
        assert_eq!(merged.redirect_url.as_deref(), Some("http://a.test/x"));
        assert_eq!(merged.sign_up_force.as_deref(), Some("/up"));
    }

    #[test]
    fn hosted_page_urls_carry_their_parameters_in_the_hash() {
        let r = RedirectUrls {
            redirect_url: Some("/app?x=1".into()),
            sign_in_force: Some("/home".into()),
            sign_in_fallback: Some("/dropped".into()),
            ..Default::default()
        };
        let params = r.hash_params(Some("http://localhost:3000"));
        assert_eq!(
            with_hash_params("http://127.0.0.1:4010/sign-in#old", &params),
            "http://127.0.0.1:4010/sign-in#/?sign_in_force_redirect_url=http%3A%2F%2Flocalhost%3A3000%2Fhome&redirect_url=http%3A%2F%2Flocalhost%3A3000%2Fapp%3Fx%3D1"
        );
        assert_eq!(
            with_hash_params("http://h.test/sign-up", &[]),
            "http://h.test/sign-up"
        );
    }

    #[test]
    fn cross_origin_development_urls_carry_the_dev_browser() {
        let page = Some("http://localhost:3000");
        assert_eq!(
            decorate(
                "http://127.0.0.1:4010/sign-in?a=1#/?redirect_url=x",
                page,
                Some("dvb_1")
            ),
            "http://127.0.0.1:4010/sign-in?a=1&__clerk_db_jwt=dvb_1#/?redirect_url=x"
        );
        assert_eq!(
            decorate(
                "http://127.0.0.1:4010/x?__clerk_db_jwt=old",
                page,
                Some("dvb_2")
            ),
            "http://127.0.0.1:4010/x?__clerk_db_jwt=dvb_2"
        );
        assert_eq!(
            decorate("http://localhost:3000/same", page, Some("dvb_1")),
            "http://localhost:3000/same"
        );
        assert_eq!(decorate("/relative", page, Some("dvb_1")), "/relative");
        assert_eq!(
            decorate("http://other.test/", page, None),
            "http://other.test/",
            "production: never"
        );
    }

    #[test]
    fn a_page_takes_the_dev_browser_from_its_url() {
        assert_eq!(
            take_dev_browser_param("?a=1&__clerk_db_jwt=dvb_9&b=2"),
            Some(("?a=1&b=2".into(), "dvb_9".into()))
        );
        assert_eq!(
            take_dev_browser_param("?__clerk_db_jwt=dvb_9"),
            Some((String::new(), "dvb_9".into()))
        );
        assert_eq!(take_dev_browser_param("?a=1"), None);
        assert_eq!(take_dev_browser_param("?__clerk_db_jwt="), None);
    }

    #[test]
    fn redirects_go_only_to_allowed_origins() {
        let page = Some("http://localhost:3000");
        let none: Vec<String> = Vec::new();
        let list = vec![
            "http://127.0.0.1:8080".to_string(),
            "https://*.example.com".to_string(),
        ];
        assert!(allowed("/home", page, &list));
        assert!(
            allowed("http://localhost:3000/x", page, &list),
            "the page's own origin"
        );
        assert!(allowed("http://127.0.0.1:8080/app", page, &list));
        assert!(allowed("https://app.example.com/", page, &list));
        assert!(!allowed("https://example.com.evil.test/", page, &list));
        assert!(!allowed("https://evil.test/", page, &list));
        let ports = vec!["http://127.0.0.1:*".to_string()];
        assert!(allowed("http://127.0.0.1:5173/x", page, &ports));
        assert!(allowed("http://127.0.0.1/x", page, &ports));
        assert!(!allowed("http://127.0.0.1.evil.test/x", page, &ports));
        assert!(
            !allowed("https://127.0.0.1:5173/x", page, &ports),
            "another scheme"
        );
        assert!(
            allowed("https://evil.test/", page, &none),
            "none listed: any http(s)"
        );
        assert!(!allowed("javascript:alert(1)", page, &none));
        assert!(!allowed("data:text/html,x", page, &none));
    }
}
