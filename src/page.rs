//! The page the SDK runs on, through web-sys (and, for plain properties such
//! as `location.search` or `document.cookie`, by name through
//! [`crate::interop`]: one import instead of one per property): its facts for the engine
//! (origin, host, language, the stored dev-browser JWT), its cookies (with
//! ClerkJS's eTLD+1 probe), navigation and the address bar. Every function
//! does nothing outside a window (a worker, or Node).

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};

use crate::core::ascii;
use crate::core::cookies::{self, DB_JWT};
use crate::core::engine::Page;
use crate::core::flow::email_link::STATUS_PARAM;
use crate::core::list::concat;
use crate::interop::{get, set};

/// Unix milliseconds from the browser clock.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

fn document() -> Option<JsValue> {
    web_sys::window()?.document().map(JsValue::from)
}

/// `location[part]` (`origin`, `href`, `search`, …): empty outside a window.
/// Read by name through the one `Reflect.get` import: a typed getter per
/// part cost an import and a shim each (~8 of them).
fn location(part: &str) -> String {
    web_sys::window()
        .and_then(|w| get(&w.location(), part).as_string())
        .unwrap_or_default()
}

/// What the engine needs to know about the page.
pub fn facts() -> Page {
    let Some(w) = web_sys::window() else {
        return Page::default();
    };
    Page {
        origin: Some(location("origin")),
        host: location("host"),
        secure: secure(),
        locale: get(&get(&w, "navigator"), "language").as_string(),
    }
}

/// An https page: its cookies are `Secure`.
fn secure() -> bool {
    location("protocol") == "https:"
}

/// Whether the page is shown (`document.visibilityState`; true outside a window).
pub fn visible() -> bool {
    document().is_none_or(|d| get(&d, "visibilityState").as_string().as_deref() == Some("visible"))
}

/// The page's query string (`?…` or empty).
pub fn query() -> String {
    location("search")
}

/// The cookie `name`, if set and non-empty.
pub fn cookie(name: &str) -> Option<String> {
    let all = get(&document()?, "cookie").as_string()?;
    ascii::split(&all, b";").find_map(|c| {
        let (k, v) = ascii::split_once(c.trim(), b'=')?;
        (k == name && !v.is_empty()).then(|| v.to_string())
    })
}

/// The stored dev-browser JWT: the suffixed cookie first, as ClerkJS reads it.
pub fn dev_browser_jwt(suffix: &str) -> Option<String> {
    cookie(&concat(&[DB_JWT, "_", suffix])).or_else(|| cookie(DB_JWT))
}

thread_local! {
    /// The eTLD+1 found by the first strict cookie (`__client_uat` is written
    /// whenever the client's `updated_at` moves: probe once).
    static DOMAIN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Writes `name` and `name_<suffix>` (an empty value removes them):
/// `SameSite=Strict` on the eTLD+1 when `strict` (`__client_uat`), else
/// `SameSite=Lax` on the page's host; `Secure` on https pages.
pub fn write_cookie(name: &str, suffix: &str, value: &str, strict: bool) {
    let Some(doc) = document() else { return };
    let secure = secure();
    let domain = if strict {
        DOMAIN.with(|d| {
            d.borrow_mut()
                .get_or_insert_with(|| probe(&doc, secure))
                .clone()
        })
    } else {
        String::new()
    };
    let domain = Some(domain.as_str()).filter(|d| !d.is_empty());
    for sfx in [Some(suffix), None] {
        let c = cookies::cookie_string(name, sfx, value, strict, secure, domain);
        set(&doc, "cookie", &c.into());
    }
}

/// The eTLD+1 of the page: the shortest parent domain that takes a cookie
/// (ClerkJS's `getCookieDomain`), else the host.
fn probe(doc: &JsValue, secure: bool) -> String {
    const PROBE: &str = "__clerk_test_etld";
    let host = location("hostname");
    let candidates = cookies::domain_candidates(&host);
    let Some((last, parents)) = candidates.split_last() else {
        return host;
    };
    for d in parents {
        let c = cookies::cookie_string(PROBE, None, "1", true, secure, Some(d));
        set(doc, "cookie", &c.into());
        let ok = cookie(PROBE).is_some();
        let c = cookies::cookie_string(PROBE, None, "", true, secure, Some(d));
        set(doc, "cookie", &c.into());
        if ok {
            return d.to_string();
        }
    }
    last.to_string()
}

/// The dev browser another origin handed over in this page's URL
/// (`?__clerk_db_jwt=…`, as ClerkJS and the Account Portal pass it): taken,
/// and removed from the address bar.
pub fn take_dev_browser() -> Option<String> {
    let (kept, jwt) = crate::core::redirect::take_dev_browser_param(&location("search"))?;
    set_query(&kept);
    Some(jwt)
}

/// Puts `query` (`""` or `?…`) in the address bar in place of the page's,
/// keeping path and hash (`history.replaceState`: no navigation).
fn set_query(query: &str) {
    let Some(w) = web_sys::window() else { return };
    let history: web_sys::History = get(&w, "history").unchecked_into();
    let url = concat(&[&location("pathname"), query, &location("hash")]);
    let _ = history.replace_state_with_url(&get(&history, "state"), "", Some(&url));
}

/// `location.href`.
pub fn href() -> String {
    location("href")
}

/// `location.href = url` (as `location.assign(url)`).
pub fn navigate(url: &str) {
    if let Some(w) = web_sys::window() {
        set(&w.location(), "href", &url.into());
    }
}

/// Replaces the page's query with `query` (`""` or `?…`) in the address bar,
/// keeping path and hash — only while the page carries an email link's
/// parameters (nothing else is ever rewritten).
pub fn replace_query(query: &str) {
    let search = location("search");
    if !ascii::split(&search, b"?&").any(|p| ascii::before(p, b'=') == STATUS_PARAM) {
        return;
    }
    set_query(query);
}
