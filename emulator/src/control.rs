//! `/__emulator/*`: health, config, reset, virtual clock, inbox, request log.
//! Who may call it is decided before these handlers run (`domain::access`).

use std::sync::atomic::Ordering;

use serde_json::{json, Value};

use crate::errors::ApiError;
use crate::model::Message;
use crate::store::lock;
use crate::wire::{Req, Resp};
use crate::AppState;

const MAX_LOG: usize = 10_000;
/// The virtual clock may run at most this far ahead (100 years) or behind
/// (10 years) of the real one.
pub const MAX_AHEAD_SECS: i64 = 100 * 365 * 86_400;
pub const MAX_BEHIND_SECS: i64 = 10 * 365 * 86_400;

pub fn handle(st: &AppState, req: &Req) -> Resp {
    let path = req.path.trim_end_matches('/');
    let m = req.method.as_str();
    match (m, path) {
        ("GET", "/__emulator") => Resp::html(200, inbox_html(st)),
        ("GET", "/__emulator/health") => Resp::json(
            200,
            &json!({
                "status": "ok",
                "service": "clerk-emulator",
                "version": crate::VERSION,
                "instance_type": st.instance_type().as_str(),
            }),
        ),
        ("GET", "/__emulator/config") => Resp::json(200, &config_json(st)),
        ("PATCH" | "POST" | "PUT", "/__emulator/config") => patch_config(st, req),
        ("POST", "/__emulator/reset") => match reset(st) {
            Ok(()) => Resp::json(200, &json!({"status": "ok"})),
            Err(e) => Resp::error(&e),
        },
        ("POST", "/__emulator/clock") => clock(st, req),
        ("GET", "/__emulator/clock") => Resp::json(
            200,
            &json!({"now": st.now(), "offset_secs": st.clock_offset_ms.load(Ordering::SeqCst) / 1000}),
        ),
        ("GET", "/__emulator/inbox") => {
            let to = req.query_param("to").map(normalize_to);
            let inbox = lock(&st.inbox);
            let list: Vec<&Message> = inbox
                .iter()
                .rev()
                .filter(|msg| {
                    to.as_deref()
                        .is_none_or(|t| msg.to.to_ascii_lowercase() == t)
                })
                .collect();
            Resp::json(200, &json!(list))
        }
        ("DELETE", "/__emulator/inbox") => {
            lock(&st.inbox).clear();
            Resp::json(200, &json!({"status": "ok"}))
        }
        ("GET", "/__emulator/requests") => {
            let log: Vec<LoggedRequest> = lock(&st.requests).iter().cloned().collect();
            Resp::json(200, &json!(log))
        }
        ("POST", "/__emulator/requests/clear") => {
            lock(&st.requests).clear();
            Resp::json(200, &json!({"status": "ok"}))
        }
        _ => Resp::error(&ApiError::not_found()),
    }
}

/// Inbox `to` matching: emails case-insensitively; phone numbers ignoring
/// formatting, also when an unencoded `+` arrived as a space.
fn normalize_to(s: &str) -> String {
    let t = s.trim();
    let looks_phone = !t.contains('@') && t.chars().any(|c| c.is_ascii_digit());
    if looks_phone {
        let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
        return format!("+{digits}");
    }
    t.to_ascii_lowercase()
}

pub fn config_json(st: &AppState) -> Value {
    json!({
        "publishable_key": st.publishable_key(),
        "frontend_api": st.base_url,
        "instance_type": st.instance_type().as_str(),
        "inbox": format!("{}/__emulator/", st.base_url),
        "config": &*st.cfg(),
    })
}

/// The JSON body of a control call (`{}` when empty).
fn json_body(req: &Req) -> Result<Value, ApiError> {
    if req.body.is_empty() {
        return Ok(json!({}));
    }
    serde_json::from_slice(&req.body)
        .map_err(|_| ApiError::request_body_invalid("The request body must be valid JSON."))
}

fn patch_config(st: &AppState, req: &Req) -> Resp {
    let patch = match json_body(req) {
        Ok(v) => v,
        Err(e) => return Resp::error(&e),
    };
    match st.cfg().patched(&patch) {
        Ok(new) => {
            st.set_config(new);
            Resp::json(200, &config_json(st))
        }
        Err(e) => Resp::error(&ApiError::param_out_of_range(&e.field, &e.message)),
    }
}

/// Wipes users, clients, sessions, the inbox, counters and the clock offset;
/// restores the file config; keeps the signing keys.
pub fn reset(st: &AppState) -> Result<(), ApiError> {
    st.db.write(|db| db.reset(), |r| r.is_ok())??;
    lock(&st.inbox).clear();
    lock(&st.requests).clear();
    lock(&st.limiter).clear();
    lock(&st.identifier_cap).clear();
    st.tokens.clear();
    st.set_config(st.file_config.clone());
    st.clock_offset_ms.store(0, Ordering::SeqCst);
    Ok(())
}

/// `POST /__emulator/clock {"advance_secs": N}`: N is an integer; the clock
/// may end up at most 100 years ahead of, or 10 years behind, the real one.
fn clock(st: &AppState, req: &Req) -> Resp {
    let v = match json_body(req) {
        Ok(v) => v,
        Err(e) => return Resp::error(&e),
    };
    let secs = match v.get("advance_secs") {
        None | Some(Value::Null) => return Resp::error(&ApiError::param_missing("advance_secs")),
        Some(n) => match n.as_i64() {
            Some(s) => s,
            None => {
                return Resp::error(&ApiError::param_out_of_range(
                    "advance_secs",
                    &format!("must be an integer between -{MAX_BEHIND_SECS} and {MAX_AHEAD_SECS}"),
                ))
            }
        },
    };
    let out_of_range = || {
        Resp::error(&ApiError::param_out_of_range(
            "advance_secs",
            &format!(
                "would move the clock more than {MAX_AHEAD_SECS} s ahead or {MAX_BEHIND_SECS} s behind real time"
            ),
        ))
    };
    // Checked arithmetic and a compare-and-swap: concurrent advances add up
    // and the offset never leaves its bounds.
    let Some(delta_ms) = secs.checked_mul(1000) else {
        return out_of_range();
    };
    let update = st
        .clock_offset_ms
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |cur| {
            cur.checked_add(delta_ms)
                .filter(|n| (-MAX_BEHIND_SECS * 1000..=MAX_AHEAD_SECS * 1000).contains(n))
        });
    if update.is_err() {
        return out_of_range();
    }
    Resp::json(
        200,
        &json!({"now": st.now(), "offset_secs": st.clock_offset_ms.load(Ordering::SeqCst) / 1000}),
    )
}

/// One FAPI request in the log: names only, never values.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LoggedRequest {
    /// The method on the wire.
    pub method: String,
    /// `_method` when it changed the method.
    pub method_override: Option<String>,
    pub effective_method: String,
    pub path: String,
    pub query_keys: Vec<String>,
    pub form_keys: Vec<String>,
    pub status: u16,
    pub at: i64,
}

/// Records a FAPI request (names only, never values).
pub fn record_request(st: &AppState, req: &Req, status: u16) {
    let entry = LoggedRequest {
        method: req.wire_method.clone(),
        method_override: (req.method != req.wire_method).then(|| req.method.clone()),
        effective_method: req.method.clone(),
        path: req.path.clone(),
        query_keys: req.query.iter().map(|(k, _)| k.clone()).collect(),
        form_keys: req.form.iter().map(|(k, _)| k.clone()).collect(),
        status,
        at: st.now(),
    };
    let mut log = lock(&st.requests);
    log.push_back(entry);
    while log.len() > MAX_LOG {
        log.pop_front();
    }
}

/// `&`, `<`, `>`, `"` and `'` escaped for HTML text and attribute values
/// (the inbox page here, the hosted pages).
pub(crate) fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn inbox_html(st: &AppState) -> String {
    let inbox = lock(&st.inbox);
    let mut rows = String::new();
    for m in inbox.iter().rev() {
        let code = m
            .code
            .as_deref()
            .map(|c| format!("<code class=otp>{}</code>", esc(c)))
            .unwrap_or_default();
        let link = m
            .link
            .as_deref()
            .map(|l| {
                format!(
                    "<a href=\"{0}\" target=_blank rel=noopener>Open link</a>",
                    esc(l)
                )
            })
            .unwrap_or_default();
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td data-ms=\"{}\"></td></tr>\n",
            esc(&m.channel),
            esc(&m.to),
            esc(m.subject.as_deref().unwrap_or("")),
            esc(&m.body).replace('\n', "<br>"),
            code,
            link,
            m.created_at,
        ));
    }
    if rows.is_empty() {
        rows.push_str("<tr><td colspan=6>No messages yet.</td></tr>");
    }
    format!(
        "<!doctype html><html><head><meta charset=utf-8><meta http-equiv=refresh content=3>\
<title>clerk-emulator inbox</title><style>body{{font:14px system-ui,sans-serif;margin:2em}}\
table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;padding:6px;text-align:left;vertical-align:top}}\
.otp{{font-size:1.3em;letter-spacing:.15em}}</style></head><body>\
<h1>clerk-emulator inbox</h1><p>Publishable key: <code>{}</code> · Frontend API: <code>{}</code> · Instance: {}</p>\
<table><tr><th>Channel</th><th>To</th><th>Subject</th><th>Body</th><th>Code / link</th><th>Sent</th></tr>{}</table>\
<script>for(const td of document.querySelectorAll('td[data-ms]'))td.textContent=new Date(+td.dataset.ms).toLocaleString()</script>\
</body></html>",
        esc(&st.publishable_key()),
        esc(&st.base_url),
        st.instance_type().as_str(),
        rows
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn inbox_to_matching() {
        assert_eq!(super::normalize_to(" 15555550100"), "+15555550100");
        assert_eq!(super::normalize_to("+1 555-555-0100"), "+15555550100");
        assert_eq!(super::normalize_to("A@Example.com"), "a@example.com");
    }

    #[test]
    fn escapes_html() {
        assert_eq!(
            super::esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
