//! The page the SDK runs on, through web-sys: its facts for the engine
//! (origin, host, language, the stored dev-browser JWT), its cookies (with
//! ClerkJS's eTLD+1 probe), navigation and the address bar. Every function
//! does nothing outside a window (a worker, or Node).

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::HtmlDocument;

use crate::core::cookies::{self, DB_JWT};
use crate::core::engine::Page;
use crate::core::flow::email_link::STATUS_PARAM;

/// Unix milliseconds from the browser clock.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

fn document() -> Option<HtmlDocument> {
    web_sys::window()?.document()?.dyn_into().ok()
}

/// What the engine needs to know about the page.
pub fn facts() -> Page {
    let Some(w) = web_sys::window() else {
        return Page::default();
    };
    let loc = w.location();
    Page {
        origin: loc.origin().ok(),
        host: loc.host().unwrap_or_default(),
        secure: loc.protocol().is_ok_and(|p| p == "https:"),
        locale: w.navigator().language(),
    }
}

/// The page's query string (`?…` or empty).
pub fn query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// The cookie `name`, if set and non-empty.
pub fn cookie(name: &str) -> Option<String> {
    let all = document()?.cookie().ok()?;
    all.split(';').find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name && !v.is_empty()).then(|| v.to_string())
    })
}

/// The stored dev-browser JWT: the suffixed cookie first, as ClerkJS reads it.
pub fn dev_browser_jwt(suffix: &str) -> Option<String> {
    cookie(&[DB_JWT, "_", suffix].concat()).or_else(|| cookie(DB_JWT))
}

thread_local! {
    /// The eTLD+1 found by the first strict cookie.
    static DOMAIN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Writes `name` and `name_<suffix>` (an empty value removes them):
/// `SameSite=Strict` on the eTLD+1 when `strict` (`__client_uat`), else
/// `SameSite=Lax` on the page's host; `Secure` on https pages.
pub fn write_cookie(name: &str, suffix: &str, value: &str, strict: bool) {
    let Some(doc) = document() else { return };
    let secure = facts().secure;
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
        let _ = doc.set_cookie(&c);
    }
}

/// The eTLD+1 of the page: the shortest parent domain that takes a cookie
/// (ClerkJS's `getCookieDomain`), else the host.
fn probe(doc: &HtmlDocument, secure: bool) -> String {
    const PROBE: &str = "__clerk_test_etld";
    let host = web_sys::window()
        .and_then(|w| w.location().hostname().ok())
        .unwrap_or_default();
    let candidates = cookies::domain_candidates(&host);
    let Some((last, parents)) = candidates.split_last() else {
        return host;
    };
    for d in parents {
        let _ = doc.set_cookie(&cookies::cookie_string(
            PROBE,
            None,
            "1",
            true,
            secure,
            Some(d),
        ));
        let ok = cookie(PROBE).is_some();
        let _ = doc.set_cookie(&cookies::cookie_string(
            PROBE,
            None,
            "",
            true,
            secure,
            Some(d),
        ));
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
    let w = web_sys::window()?;
    let loc = w.location();
    let (kept, jwt) = crate::core::redirect::take_dev_browser_param(&loc.search().ok()?)?;
    set_query(&w, &loc, &kept);
    Some(jwt)
}

/// Puts `query` (`""` or `?…`) in the address bar in place of the page's,
/// keeping path and hash (`history.replaceState`: no navigation).
fn set_query(w: &web_sys::Window, loc: &web_sys::Location, query: &str) {
    let path = loc.pathname().unwrap_or_default();
    let hash = loc.hash().unwrap_or_default();
    if let Ok(history) = w.history() {
        let url = [path.as_str(), query, hash.as_str()].concat();
        let _ =
            history.replace_state_with_url(&history.state().unwrap_or_default(), "", Some(&url));
    }
}

/// `location.href`.
pub fn href() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// `location.assign(url)`.
pub fn navigate(url: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(url);
    }
}

/// Replaces the page's query with `query` (`""` or `?…`) in the address bar,
/// keeping path and hash — only while the page carries an email link's
/// parameters (nothing else is ever rewritten).
pub fn replace_query(query: &str) {
    let Some(w) = web_sys::window() else { return };
    let loc = w.location();
    let search = loc.search().unwrap_or_default();
    if !search
        .split(['?', '&'])
        .any(|p| p.split('=').next() == Some(STATUS_PARAM))
    {
        return;
    }
    set_query(&w, &loc, query);
}
