//! Helpers shared by the browser test crates (`tests/sdk.rs`, `tests/email_link.rs`).

/// Drops the dev-browser cookies (`__clerk_db_jwt` and its suffixed twin), so
/// the next `load()` makes a new dev browser and with it a new client.
pub fn forget_dev_browser(doc: &web_sys::HtmlDocument) {
    for c in doc.cookie().unwrap().split(';') {
        let name = c.trim().split('=').next().unwrap_or_default();
        if name.starts_with("__clerk_db_jwt") {
            doc.set_cookie(&format!("{name}=; Path=/; Max-Age=0"))
                .unwrap();
        }
    }
}
