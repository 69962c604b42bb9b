//! `/__emulator/*`: health, config, reset, virtual clock, inbox, request log.

use std::sync::atomic::Ordering;

use serde_json::{json, Value};

use crate::errors::ApiError;
use crate::model::Message;
use crate::wire::{Req, Resp};
use crate::AppState;

const MAX_LOG: usize = 10_000;

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
        ("POST", "/__emulator/reset") => {
            reset(st);
            Resp::json(200, &json!({"status": "ok"}))
        }
        ("POST", "/__emulator/clock") => clock(st, req),
        ("GET", "/__emulator/clock") => Resp::json(
            200,
            &json!({"now": st.now(), "offset_secs": st.clock_offset_ms.load(Ordering::SeqCst) / 1000}),
        ),
        ("GET", "/__emulator/inbox") => {
            let to = req.query_param("to").map(normalize_to);
            let inbox = st.inbox.lock().expect("inbox lock");
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
            st.inbox.lock().expect("inbox lock").clear();
            Resp::json(200, &json!({"status": "ok"}))
        }
        ("GET", "/__emulator/requests") => {
            let log = st.requests.lock().expect("log lock");
            Resp::json(200, &Value::Array(log.clone()))
        }
        ("POST", "/__emulator/requests/clear") => {
            st.requests.lock().expect("log lock").clear();
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
        "config": st.cfg(),
    })
}

fn patch_config(st: &AppState, req: &Req) -> Resp {
    let patch: Value = if req.body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&req.body) {
            Ok(v) => v,
            Err(e) => {
                return Resp::error(&ApiError::new(
                    400,
                    "request_body_invalid",
                    "invalid JSON",
                    &e.to_string(),
                ))
            }
        }
    };
    let current = st.cfg();
    match current.patched(&patch) {
        Ok(new) => {
            *st.config.write().expect("config lock") = new;
            Resp::json(200, &config_json(st))
        }
        Err(e) => Resp::error(&ApiError::new(
            422,
            "form_param_value_invalid",
            "invalid config",
            &e,
        )),
    }
}

/// Wipes users, clients, sessions, the inbox, counters and the clock offset;
/// restores the file config; keeps the signing key.
pub fn reset(st: &AppState) {
    let _ = st.store.lock().expect("store lock").reset();
    st.inbox.lock().expect("inbox lock").clear();
    st.requests.lock().expect("log lock").clear();
    st.limiter.lock().expect("limiter lock").clear();
    st.throttle.lock().expect("throttle lock").clear();
    *st.config.write().expect("config lock") = st.file_config.clone();
    st.clock_offset_ms.store(0, Ordering::SeqCst);
}

fn clock(st: &AppState, req: &Req) -> Resp {
    let v: Value = serde_json::from_slice(&req.body).unwrap_or(json!({}));
    let Some(secs) = v.get("advance_secs").and_then(Value::as_i64) else {
        return Resp::error(&ApiError::param_missing("advance_secs"));
    };
    st.clock_offset_ms.fetch_add(secs * 1000, Ordering::SeqCst);
    Resp::json(
        200,
        &json!({"now": st.now(), "offset_secs": st.clock_offset_ms.load(Ordering::SeqCst) / 1000}),
    )
}

/// Records a FAPI request (names only, never values).
pub fn record_request(st: &AppState, req: &Req, status: u16) {
    let entry = json!({
        "method": req.wire_method,
        "method_override": if req.method != req.wire_method { Value::String(req.method.clone()) } else { Value::Null },
        "effective_method": req.method,
        "path": req.path,
        "query_keys": req.query.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
        "form_keys": req.form.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
        "status": status,
        "at": st.now(),
    });
    let mut log = st.requests.lock().expect("log lock");
    log.push(entry);
    if log.len() > MAX_LOG {
        let extra = log.len() - MAX_LOG;
        log.drain(..extra);
    }
}

fn esc(s: &str) -> String {
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
    let inbox = st.inbox.lock().expect("inbox lock");
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
