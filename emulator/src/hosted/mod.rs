//! The hosted pages, as Clerk's Account Portal: `/sign-in`, `/sign-up` and
//! `/user` on the emulator's own origin, built with the `clerk-wasm/ui` forms
//! (served from the package directory at `/__clerk-wasm/`), under a strict
//! CSP (no inline script or style). `display_config.sign_in_url`,
//! `sign_up_url` and `user_profile_url` point here unless configured.
//!
//! The pages take the app's redirect options from their hash and a
//! development instance's dev browser from `?__clerk_db_jwt=` (the SDK does
//! both); they send the user back only to allowed origins: loopback, the
//! instance's `allowed_origins` and the emulator's `--origin-allow`.

use std::path::{Component, Path, PathBuf};

use axum::body::Body;

use crate::config::InstanceConfig;
use crate::control::esc;
use crate::wire::{Req, Resp};
use crate::AppState;

/// Where the package's files are served.
pub const PKG_PREFIX: &str = "/__clerk-wasm/";
const APP_JS: &str = include_str!("app.js");
const PAGE_CSS: &str = include_str!("page.css");
/// The pages' policy: own scripts (and WebAssembly), own styles, the
/// Frontend API on this origin; nothing inline, no frames, no plugins.
pub const CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// Whether `path` is one of the hosted pages or their files (or the icon a
/// browser asks this origin for: none, 204, so that no page of the emulator,
/// the inbox included, logs a 404 in the console).
pub fn owns(path: &str) -> bool {
    page(path).is_some()
        || path.starts_with("/__hosted/")
        || path.starts_with(PKG_PREFIX)
        || path == "/favicon.ico"
}

/// `(data-page, title)` of a page path.
fn page(path: &str) -> Option<(&'static str, &'static str)> {
    match path.trim_end_matches('/') {
        "/sign-in" => Some(("sign-in", "Sign in")),
        "/sign-up" => Some(("sign-up", "Sign up")),
        "/user" => Some(("user", "Your account")),
        _ => None,
    }
}

/// Answers a GET of a hosted page or one of its files.
pub fn handle(st: &AppState, req: &Req, cfg: &InstanceConfig) -> Resp {
    if req.wire_method != "GET" && req.wire_method != "HEAD" {
        return Resp::empty(405).header("allow", "GET, HEAD");
    }
    let path = req.path.as_str();
    if let Some((name, title)) = page(path) {
        let ready = st
            .pkg_dir
            .as_deref()
            .is_some_and(|d| d.join("ui/index.js").is_file());
        let html = if ready {
            page_html(st, cfg, name, title)
        } else {
            missing_package_html(st.pkg_dir.as_deref())
        };
        return Resp::html(if ready { 200 } else { 503 }, html)
            .header("content-security-policy", CSP);
    }
    match path {
        "/favicon.ico" => Resp::empty(204),
        "/__hosted/app.js" => file(APP_JS.as_bytes().to_vec(), "text/javascript; charset=utf-8"),
        "/__hosted/page.css" => file(PAGE_CSS.as_bytes().to_vec(), "text/css; charset=utf-8"),
        _ => match package_file(st.pkg_dir.as_deref(), path) {
            Some((bytes, ct)) => file(bytes, ct),
            None => Resp::html(
                404,
                "<!doctype html><title>Not found</title><p>Not found.</p>".into(),
            ),
        },
    }
}

fn file(bytes: Vec<u8>, content_type: &'static str) -> Resp {
    Resp {
        status: 200,
        headers: Vec::new(),
        body: Body::from(bytes),
        content_type: Some(content_type),
    }
}

/// A file of the package directory: only plain names below it (no `..`, no
/// absolute parts, no hidden files), of the kinds a page loads.
fn package_file(dir: Option<&Path>, path: &str) -> Option<(Vec<u8>, &'static str)> {
    let rel = path.strip_prefix(PKG_PREFIX)?;
    let rel = Path::new(rel);
    let plain = rel.components().all(|c| match c {
        Component::Normal(s) => s.to_str().is_some_and(|s| {
            !s.starts_with('.')
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        }),
        _ => false,
    });
    if !plain {
        return None;
    }
    let ct = match rel.extension()?.to_str()? {
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        _ => return None,
    };
    let full: PathBuf = dir?.join(rel);
    crate::blocking(|| std::fs::read(full))
        .ok()
        .map(|b| (b, ct))
}

/// Where the pages may send the user back: loopback on any port, the
/// instance's allowed origins, and the emulator's `--origin-allow`.
fn allowed_origins(st: &AppState, cfg: &InstanceConfig) -> Vec<String> {
    let mut v: Vec<String> = ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    v.extend(st.extra_origins(cfg));
    v
}

fn page_html(st: &AppState, cfg: &InstanceConfig, name: &str, title: &str) -> String {
    let app = esc(&cfg.application_name);
    let origins = serde_json::to_string(&allowed_origins(st, cfg)).unwrap_or_else(|_| "[]".into());
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} — {app}</title>\n\
         <meta name=\"clerk-publishable-key\" content=\"{key}\">\n\
         <meta name=\"clerk-allowed-origins\" content=\"{origins}\">\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <link rel=\"stylesheet\" href=\"{pkg}clerk-wasm.css\">\n\
         <link rel=\"stylesheet\" href=\"/__hosted/page.css\">\n\
         <script type=\"module\" src=\"/__hosted/app.js\"></script>\n\
         </head>\n<body data-page=\"{name}\">\n<main>\n<h1 class=\"hp-app\">{app}</h1>\n\
         <div id=\"clerk\"></div>\n<p id=\"status\" class=\"hp-status\" role=\"status\"></p>\n\
         </main>\n</body>\n</html>\n",
        key = esc(&st.publishable_key()),
        origins = esc(&origins),
        pkg = PKG_PREFIX,
    )
}

fn missing_package_html(dir: Option<&Path>) -> String {
    let where_ = dir
        .map(|d| d.display().to_string())
        .unwrap_or_else(|| "(none)".into());
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Hosted pages unavailable</title></head>\n\
         <body><main><h1>Hosted pages unavailable</h1>\n<p>The hosted pages use the clerk-wasm package's \
         forms, and the package directory <code>{}</code> has no <code>ui/index.js</code>. Build it with \
         <code>make pkg</code>, or start the emulator with <code>--pkg-dir</code>.</p></main></body></html>\n",
        esc(&where_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_files_stay_inside_the_package() {
        let dir = std::env::temp_dir().join(format!("hp-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("ui")).unwrap();
        std::fs::write(dir.join("ui/index.js"), "export {}").unwrap();
        std::fs::write(dir.join("secret.txt"), "no").unwrap();
        let get = |p: &str| package_file(Some(&dir), p).map(|(b, ct)| (b.len(), ct));
        assert_eq!(
            get("/__clerk-wasm/ui/index.js"),
            Some((9, "text/javascript; charset=utf-8"))
        );
        for bad in [
            "/__clerk-wasm/../Cargo.toml",
            "/__clerk-wasm/ui/../../x.js",
            "/__clerk-wasm//etc/passwd.js",
            "/__clerk-wasm/secret.txt",
            "/__clerk-wasm/.hidden.js",
            "/__clerk-wasm/ui/%2e%2e/x.js",
        ] {
            assert_eq!(get(bad), None, "{bad}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<img src=x onerror='a'>&\""),
            "&lt;img src=x onerror=&#39;a&#39;&gt;&amp;&quot;"
        );
    }
}
