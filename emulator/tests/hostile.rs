//! Issue 12: the emulator tried as an attacker and as a new user would. Each
//! test asserts outcomes (status codes, bodies, database state), so it fails
//! if the rule it names is missing.

mod common;

use std::collections::HashSet;

use clerk_emulator::config::InstanceConfig;
use common::*;
use serde_json::{json, Value};

const EVIL: &str = "http://evil.example";

async fn raw(
    emu: &Emu,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Vec<u8>>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut req = http.request(
        reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
        format!("{}{}", emu.base, path),
    );
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req.body(b);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap();
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

/// A request with the path exactly as given (an HTTP client would normalize
/// `..`); returns the status code.
async fn raw_path(emu: &Emu, method: &str, path: &str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(emu.addr).await.unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        emu.addr
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let head = String::from_utf8_lossy(&buf);
    head.split(' ').nth(1).unwrap_or("0").parse().unwrap()
}

async fn user_count_via_sign_in(b: &mut Browser, identifier: &str) -> u16 {
    b.post("/v1/client/sign_ins", &[("identifier", identifier)])
        .await
        .status
}

// ---------------------------------------------------------------- item 1

#[tokio::test]
async fn control_api_refuses_foreign_pages_and_dns_rebinding() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    sign_up_phone(&emu, &mut b, "+15555550100").await;
    sign_out(&mut b).await;

    // A page on evil.example: text/plain (no preflight) reset and config.
    for (method, path, body) in [
        ("POST", "/__emulator/reset", "{}"),
        (
            "PATCH",
            "/__emulator/config",
            "{\"allowed_origins\":[\"http://evil.example\"]}",
        ),
        (
            "POST",
            "/__emulator/config",
            "{\"allowed_origins\":[\"http://evil.example\"]}",
        ),
        ("POST", "/__emulator/clock", "{\"advance_secs\":100000}"),
        ("DELETE", "/__emulator/inbox", ""),
        ("POST", "/__emulator/requests/clear", ""),
    ] {
        let (status, headers, body) = raw(
            &emu,
            method,
            path,
            &[("origin", EVIL), ("content-type", "text/plain")],
            Some(body.as_bytes().to_vec()),
        )
        .await;
        assert_eq!(status, 403, "{method} {path}");
        assert_eq!(body["errors"][0]["code"], "origin_invalid");
        assert!(headers.get("access-control-allow-origin").is_none());
    }
    // Even JSON from a foreign origin is refused.
    let (status, _, _) = raw(
        &emu,
        "POST",
        "/__emulator/reset",
        &[("origin", EVIL), ("content-type", "application/json")],
        Some(b"{}".to_vec()),
    )
    .await;
    assert_eq!(status, 403);
    // Without an Origin (old browsers' form posts): not JSON, refused.
    for ct in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let (status, _, body) = raw(
            &emu,
            "POST",
            "/__emulator/reset",
            &[("content-type", ct)],
            Some(b"a=b".to_vec()),
        )
        .await;
        assert_eq!(status, 403, "{ct}");
        assert_eq!(body["errors"][0]["code"], "unsupported_content_type");
    }
    // Nothing was wiped or changed: the user still exists, evil is not allowed.
    assert_eq!(user_count_via_sign_in(&mut b, "+15555550100").await, 200);
    let cfg = control(&emu, "GET", "/__emulator/config", None).await;
    assert_eq!(cfg["config"]["allowed_origins"], json!([]));
    assert_eq!(
        control(&emu, "GET", "/__emulator/clock", None).await["offset_secs"],
        0
    );
    assert!(!inbox(&emu, "+15555550100").await.is_empty());

    // The inbox is not readable by a foreign page: 403, no CORS.
    let (status, headers, _) =
        raw(&emu, "GET", "/__emulator/inbox", &[("origin", EVIL)], None).await;
    assert_eq!(status, 403);
    assert!(headers.get("access-control-allow-origin").is_none());
    // ... nor embeddable without an Origin (a <script src> is cross-site).
    let (status, _, _) = raw(
        &emu,
        "GET",
        "/__emulator/inbox",
        &[
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-mode", "no-cors"),
        ],
        None,
    )
    .await;
    assert_eq!(status, 403);
    // A link to the inbox page (a navigation) still opens it.
    let (status, headers, _) = raw(
        &emu,
        "GET",
        "/__emulator/",
        &[
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-mode", "navigate"),
        ],
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["cross-origin-resource-policy"], "same-origin");
    assert_eq!(headers["cache-control"], "no-store");
    // A preflight from a foreign origin is refused.
    let (status, headers, _) = raw(
        &emu,
        "OPTIONS",
        "/__emulator/reset",
        &[
            ("origin", EVIL),
            ("access-control-request-method", "POST"),
            ("access-control-request-headers", "content-type"),
        ],
        None,
    )
    .await;
    assert_eq!(status, 403);
    assert!(headers.get("access-control-allow-origin").is_none());

    // DNS rebinding: evil.example now resolves to 127.0.0.1, the Host says so.
    for host in [
        "evil.example",
        "evil.example:4010",
        "127.0.0.1.nip.io",
        "localhost.evil.example",
    ] {
        for path in ["/__emulator/health", "/__emulator/inbox", "/__emulator/"] {
            let (status, _, body) = raw(&emu, "GET", path, &[("host", host)], None).await;
            assert_eq!(status, 403, "{host} {path}");
            assert_eq!(body["errors"][0]["code"], "host_invalid");
        }
    }
    // FAPI routes answer any Host (a dev server's proxy forwards the page's).
    let (status, _, body) = raw(
        &emu,
        "GET",
        "/v1/environment",
        &[("host", "evil.example")],
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["object"], "environment");

    // What the project's own callers do keeps working: curl (no Origin, no
    // body), node (JSON), and test pages on loopback origins.
    let (status, _, _) = raw(&emu, "POST", "/__emulator/requests/clear", &[], None).await;
    assert_eq!(status, 200);
    let (status, headers, _) = raw(
        &emu,
        "PATCH",
        "/__emulator/config",
        &[
            ("origin", "http://127.0.0.1:9999"),
            ("content-type", "application/json; charset=utf-8"),
        ],
        Some(b"{\"require_same_client\":false}".to_vec()),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        headers["access-control-allow-origin"],
        "http://127.0.0.1:9999"
    );
    let (status, _, _) = raw(&emu, "POST", "/__emulator/reset", &[], None).await;
    assert_eq!(status, 200);
    assert_eq!(user_count_via_sign_in(&mut b, "+15555550100").await, 422);
}

#[tokio::test]
async fn allow_host_and_allowed_origins_open_the_control_api() {
    let emu = start_opts(clerk_emulator::Options {
        config: test_config(),
        seed_signing_key_pem: Some(TEST_KEY.into()),
        allow_hosts: vec!["emu.test".into(), "box.lan:4010".into()],
        origin_allow: vec!["https://app.example.test".into()],
        ..Default::default()
    })
    .await;
    for (host, want) in [
        ("emu.test", 200),
        ("EMU.test:1234", 200),
        ("box.lan:4010", 200),
        ("box.lan:4011", 403),
        ("other.test", 403),
    ] {
        let (status, _, _) = raw(&emu, "GET", "/__emulator/health", &[("host", host)], None).await;
        assert_eq!(status, want, "{host}");
    }
    let (status, headers, _) = raw(
        &emu,
        "GET",
        "/__emulator/inbox",
        &[("origin", "https://app.example.test")],
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://app.example.test"
    );
}

// ---------------------------------------------------------------- item 2

#[tokio::test]
async fn sessions_expire_and_are_abandoned() {
    let emu = start(test_config()).await;
    let jwks = jwks(&emu).await;
    let mut b = Browser::new(&emu);
    let body = sign_up_phone(&emu, &mut b, "+15555550100").await;
    let sess = body["response"]["created_session_id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = b.get("/v1/client").await.ok();
    assert_eq!(r.resp()["sessions"][0]["status"], "active");
    let jwt = r.resp()["sessions"][0]["last_active_token"]["jwt"]
        .as_str()
        .unwrap()
        .to_string();
    verify_jwt_at(&jwt, &jwks, virtual_now_secs(&emu).await);

    // Default lifetime: 7 days.
    advance(&emu, 7 * 24 * 3600).await;
    for path in [
        "/v1/client".to_string(),
        format!("/v1/client/sessions/{sess}"),
    ] {
        let r = b.get(&path).await.ok();
        let s = if path == "/v1/client" {
            r.resp()["sessions"][0].clone()
        } else {
            r.resp().clone()
        };
        assert_eq!(s["status"], "expired", "{path}");
        assert!(s["last_active_token"].is_null(), "{path}: no token");
    }
    b.post(&format!("/v1/client/sessions/{sess}/tokens"), &[])
        .await
        .err(401, "authentication_invalid");
    b.get("/v1/me").await.err(401, "authentication_invalid");
    b.post(&format!("/v1/client/sessions/{sess}/touch"), &[])
        .await
        .ok();
    assert_eq!(
        b.get("/v1/client").await.ok().resp()["sessions"][0]["status"],
        "expired",
        "touch does not revive it"
    );
    // An expired session no longer blocks a sign-in (single-session mode).
    start_sign_in(&mut b, "+15555550100", "phone_code").await;

    // Inactivity: abandoned after session_inactivity_timeout_secs without a touch or token.
    patch_config(&emu, json!({"session_inactivity_timeout_secs": 600})).await;
    let mut c = Browser::new(&emu);
    let body = sign_up_email(&emu, &mut c, "idle@example.com").await;
    let sess = body["response"]["created_session_id"]
        .as_str()
        .unwrap()
        .to_string();
    advance(&emu, 500).await;
    c.post(&format!("/v1/client/sessions/{sess}/tokens"), &[])
        .await
        .ok();
    advance(&emu, 500).await;
    let r = c.get("/v1/client").await.ok();
    assert_eq!(
        r.resp()["sessions"][0]["status"],
        "active",
        "a token is activity"
    );
    advance(&emu, 601).await;
    let r = c.get("/v1/client").await.ok();
    assert_eq!(r.resp()["sessions"][0]["status"], "abandoned");
    assert!(r.resp()["sessions"][0]["last_active_token"].is_null());
    c.post(&format!("/v1/client/sessions/{sess}/tokens"), &[])
        .await
        .err(401, "authentication_invalid");
}

// ---------------------------------------------------------------- item 3

#[tokio::test]
async fn overflowing_clock_and_config_values_are_refused() {
    let emu = start(test_config()).await;
    for body in [
        json!({"advance_secs": 9_223_372_036_854_775i64}),
        json!({"advance_secs": i64::MAX}),
        json!({"advance_secs": i64::MIN}),
        json!({"advance_secs": u64::MAX}),
        json!({"advance_secs": -400_000_000i64}),
        json!({"advance_secs": 1.5}),
        json!({"advance_secs": "10"}),
    ] {
        let (status, body_out) = control_raw(
            &emu,
            "POST",
            "/__emulator/clock",
            &[("content-type", "application/json")],
            Some(&body.to_string()),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body_out["errors"][0]["meta"]["param_name"], "advance_secs");
    }
    assert_eq!(
        control(&emu, "GET", "/__emulator/clock", None).await["offset_secs"],
        0
    );
    for (key, value) in [
        ("code_ttl_secs", json!(9_223_372_036_854_775_807u64)),
        ("link_ttl_secs", json!(u64::MAX)),
        ("session_ttl_secs", json!(u64::MAX)),
        ("session_token_ttl_secs", json!(0)),
        ("lockout_secs", json!(u64::MAX)),
        ("max_attempts", json!(0)),
        ("resend_throttle_secs", json!(-1)),
        ("identifier_codes_per_hour", json!(4_294_967_296u64)),
        ("dev_browser_ttl_secs", json!(u64::MAX)),
    ] {
        let (status, out) = control_raw(
            &emu,
            "PATCH",
            "/__emulator/config",
            &[("content-type", "application/json")],
            Some(&json!({ key: value }).to_string()),
        )
        .await;
        assert_eq!(status, 422, "{key}");
        assert_eq!(out["errors"][0]["meta"]["param_name"], key);
    }
    let (status, out) = control_raw(
        &emu,
        "PATCH",
        "/__emulator/config",
        &[("content-type", "application/json")],
        Some(r#"{"rate_limits":{"window_secs":0}}"#),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        out["errors"][0]["meta"]["param_name"],
        "rate_limits.window_secs"
    );
    let cfg = control(&emu, "GET", "/__emulator/config", None).await["config"].clone();
    assert_eq!(cfg["code_ttl_secs"], 600);

    // The largest accepted values: a full flow at the edge of time, no panic.
    patch_config(
        &emu,
        json!({"code_ttl_secs": 86_400, "link_ttl_secs": 86_400, "session_ttl_secs": 315_360_000u64,
               "lockout_secs": 31_536_000u64, "session_token_ttl_secs": 86_400,
               "session_inactivity_timeout_secs": 315_360_000u64}),
    )
    .await;
    advance(&emu, 100 * 365 * 86_400 - 10).await;
    let mut b = Browser::new(&emu);
    sign_up_phone(&emu, &mut b, "+15555550100").await;
    let r = b.get("/v1/client").await.ok();
    assert_eq!(r.resp()["sessions"][0]["status"], "active");
    let (status, _) = control_raw(
        &emu,
        "POST",
        "/__emulator/clock",
        &[("content-type", "application/json")],
        Some(r#"{"advance_secs": 3600}"#),
    )
    .await;
    assert_eq!(status, 422, "beyond 100 years ahead");
    assert_eq!(
        control(&emu, "GET", "/__emulator/health", None).await["status"],
        "ok"
    );
}

#[test]
fn an_invalid_config_file_is_refused_at_start() {
    let cfg = InstanceConfig {
        code_ttl_secs: u64::MAX,
        ..Default::default()
    };
    let r = clerk_emulator::App::new(
        clerk_emulator::Options {
            config: cfg,
            seed_signing_key_pem: Some(TEST_KEY.into()),
            ..Default::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    );
    let e = r.err().expect("refused").to_string();
    assert!(e.contains("code_ttl_secs"), "{e}");
}

// ---------------------------------------------------------------- item 4

#[tokio::test]
async fn the_client_token_rotates_when_a_session_is_created() {
    let emu = start(test_config()).await;
    // Sign-up: the token held before no longer reaches the session.
    let mut b = Browser::new(&emu);
    let (_, id) = create_sign_up(
        &mut b,
        &[("phone_number", "+15555550100"), ("strategy", "phone_code")],
    )
    .await;
    let before = b.cookie.clone().unwrap();
    let code = last_code(&emu, "+15555550100").await;
    let r = b
        .post(
            &format!("/v1/client/sign_ups/{id}/attempt_verification"),
            &[("strategy", "phone_code"), ("code", &code)],
        )
        .await
        .ok();
    assert!(r.header("set-cookie").unwrap().starts_with("__client="));
    let after = b.cookie.clone().unwrap();
    assert_ne!(before, after);
    let mut fixed = Browser::new(&emu);
    fixed.cookie = Some(before.clone());
    assert!(fixed.get("/v1/client").await.ok().resp().is_null());
    assert_eq!(
        b.get("/v1/client").await.ok().resp()["sessions"][0]["status"],
        "active"
    );
    sign_out(&mut b).await;

    // Sign-in: the attacker's planted token (fixation) is worthless afterwards.
    let mut attacker = Browser::new(&emu);
    attacker.post("/v1/client", &[]).await.ok();
    let planted = attacker.cookie.clone().unwrap();
    let mut victim = Browser::new(&emu);
    victim.cookie = Some(planted.clone());
    let sia = start_sign_in(&mut victim, "+15555550100", "phone_code").await;
    let code = last_code(&emu, "+15555550100").await;
    victim
        .post(
            &format!("/v1/client/sign_ins/{sia}/attempt_first_factor"),
            &[("strategy", "phone_code"), ("code", &code)],
        )
        .await
        .ok();
    assert_ne!(victim.cookie.as_deref(), Some(planted.as_str()));
    let r = attacker.get("/v1/client").await.ok();
    assert!(r.resp().is_null(), "the planted token reaches nothing");
    attacker
        .get(&format!("/v1/client/sign_ins/{sia}"))
        .await
        .err(404, "resource_not_found");
    assert_eq!(
        victim.get("/v1/client").await.ok().resp()["sessions"][0]["status"],
        "active"
    );
}

#[tokio::test]
async fn a_link_opened_elsewhere_rotates_the_token_on_the_next_request() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    sign_up_email(&emu, &mut b, "l@example.com").await;
    sign_out(&mut b).await;
    let r = b
        .post(
            "/v1/client/sign_ins",
            &[
                ("identifier", "l@example.com"),
                ("strategy", "email_link"),
                ("redirect_url", "http://localhost:3000/cb"),
            ],
        )
        .await
        .ok();
    let sia = r.resp()["id"].as_str().unwrap().to_string();
    let before = b.cookie.clone().unwrap();
    let link = last_link(&emu, "l@example.com").await;
    let mut phone = Browser::new(&emu);
    let r = phone.get(&link[emu.base.len()..]).await;
    assert!(r
        .header("location")
        .unwrap()
        .contains("__clerk_status=verified"));
    assert!(
        r.header("set-cookie").is_none(),
        "the opener gets no cookie"
    );
    // The waiting tab polls with its old token: it gets its new one, once.
    let r = b.get(&format!("/v1/client/sign_ins/{sia}")).await.ok();
    assert_eq!(r.resp()["status"], "complete");
    assert!(r.header("set-cookie").is_some());
    assert_ne!(b.cookie.as_deref(), Some(before.as_str()));
    let r = b.get("/v1/client").await.ok();
    let sessions = r.resp()["sessions"].as_array().unwrap();
    assert_eq!(
        sessions.iter().filter(|s| s["status"] == "active").count(),
        1
    );
    let mut old = Browser::new(&emu);
    old.cookie = Some(before);
    assert!(old.get("/v1/client").await.ok().resp().is_null());
}

// ---------------------------------------------------------------- item 5

#[tokio::test]
async fn redirect_urls_must_be_on_an_allowed_origin() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    sign_up_email(&emu, &mut b, "r@example.com").await;
    // /me email link.
    let r = b
        .post(
            "/v1/me/email_addresses",
            &[("email_address", "r2@example.com")],
        )
        .await
        .ok();
    let idn = r.resp()["id"].as_str().unwrap().to_string();
    for (url, code) in [
        ("https://evil.example/x", "redirect_url_domain_mismatch"),
        ("javascript:alert(1)", "prohibited_redirect_url"),
        ("http://localhost@evil.example/", "invalid_redirect_url"),
    ] {
        let r = b
            .post(
                &format!("/v1/me/email_addresses/{idn}/prepare_verification"),
                &[("strategy", "email_link"), ("redirect_url", url)],
            )
            .await
            .err(422, code);
        assert_eq!(r.param_name(), "redirect_url");
    }
    sign_out(&mut b).await;
    // Sign-in and sign-up links.
    b.post(
        "/v1/client/sign_ins",
        &[
            ("identifier", "r@example.com"),
            ("strategy", "email_link"),
            ("redirect_url", "https://evil.example/phish"),
        ],
    )
    .await
    .err(422, "redirect_url_domain_mismatch");
    let r = b
        .post(
            "/v1/client/sign_ups",
            &[("email_address", "new@example.com")],
        )
        .await
        .ok();
    let sua = r.resp()["id"].as_str().unwrap().to_string();
    b.post(
        &format!("/v1/client/sign_ups/{sua}/prepare_verification"),
        &[
            ("strategy", "email_link"),
            ("redirect_url", "https://evil.example/phish"),
        ],
    )
    .await
    .err(422, "redirect_url_domain_mismatch");
    assert!(
        inbox(&emu, "new@example.com").await.is_empty(),
        "nothing sent"
    );
    // An allowed origin (config) works; the instance's own URLs too.
    patch_config(
        &emu,
        json!({"allowed_origins": ["https://app.example.test"]}),
    )
    .await;
    for url in [
        "https://app.example.test/after",
        "http://localhost:3000/sign-up/verify",
    ] {
        b.post(
            &format!("/v1/client/sign_ups/{sua}/prepare_verification"),
            &[("strategy", "email_link"), ("redirect_url", url)],
        )
        .await
        .ok();
    }
    // Prepared towards app.example.test, then the origin is removed: opening
    // the link verifies but redirects nowhere foreign.
    b.post(
        &format!("/v1/client/sign_ups/{sua}/prepare_verification"),
        &[
            ("strategy", "email_link"),
            ("redirect_url", "https://app.example.test/after"),
        ],
    )
    .await
    .ok();
    let link = last_link(&emu, "new@example.com").await;
    patch_config(&emu, json!({"allowed_origins": []})).await;
    let r = b.get(&link[emu.base.len()..]).await;
    assert_eq!(r.status, 200);
    assert!(r.header("location").is_none());
}

// ---------------------------------------------------------------- item 6

#[tokio::test]
async fn oversized_fields_are_refused_and_not_stored() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    let huge = "x".repeat(100_000);
    let r = b
        .post(
            "/v1/client/sign_ups",
            &[("email_address", "f@example.com"), ("first_name", &huge)],
        )
        .await
        .err(422, "form_param_max_length_exceeded");
    assert_eq!(r.param_name(), "first_name");
    assert!(b.cookie.is_none(), "no client was even created");
    let ok_name = "é".repeat(256);
    let (r, id) = create_sign_up(
        &mut b,
        &[("email_address", "f@example.com"), ("first_name", &ok_name)],
    )
    .await;
    assert_eq!(r.resp()["first_name"], ok_name.as_str());
    let r = b
        .call(
            "PATCH",
            &format!("/v1/client/sign_ups/{id}"),
            &[("last_name", &"y".repeat(257))],
        )
        .await
        .err(422, "form_param_max_length_exceeded");
    assert_eq!(r.param_name(), "last_name");
    let meta = json!({"blob": "z".repeat(9000)}).to_string();
    let r = b
        .call(
            "PATCH",
            &format!("/v1/client/sign_ups/{id}"),
            &[("unsafe_metadata", &meta)],
        )
        .await
        .err(422, "form_param_exceeds_allowed_size");
    assert_eq!(r.param_name(), "unsafe_metadata");
    let long_email = format!("{}@example.com", "a".repeat(250));
    let r = b
        .post("/v1/client/sign_ins", &[("identifier", &long_email)])
        .await
        .err(422, "form_param_max_length_exceeded");
    assert_eq!(r.param_name(), "identifier");
    let r = b
        .post("/v1/client/sign_ups", &[("phone_number", &"1".repeat(40))])
        .await
        .err(422, "form_param_max_length_exceeded");
    assert_eq!(r.param_name(), "phone_number");
    // What is stored is what was accepted.
    let r = b.get(&format!("/v1/client/sign_ups/{id}")).await.ok();
    assert_eq!(r.resp()["first_name"], ok_name.as_str());
    assert!(r.resp()["last_name"].is_null());
    assert_eq!(r.resp()["unsafe_metadata"], json!({}));
}

// ---------------------------------------------------------------- item 7

#[tokio::test]
async fn phone_sign_up_then_sign_in_at_once_with_the_default_throttle() {
    let emu = start(default_config_without_ip_limits()).await;
    let mut b = Browser::new(&emu);
    sign_up_phone(&emu, &mut b, "+15555550100").await;
    sign_out(&mut b).await;
    // Seconds later: the sign-in's first code is not a resend.
    let sia = start_sign_in(&mut b, "+15555550100", "phone_code").await;
    assert_eq!(inbox(&emu, "+15555550100").await.len(), 2);
    // A second prepare of the same sign-in within 30 s is.
    let prep = format!("/v1/client/sign_ins/{sia}/prepare_first_factor");
    let r = b
        .post(&prep, &[("strategy", "phone_code")])
        .await
        .err(429, "verification_code_too_many_requests");
    let ra: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=30).contains(&ra), "{ra}");
    assert_eq!(inbox(&emu, "+15555550100").await.len(), 2, "nothing sent");
    advance(&emu, 31).await;
    b.post(&prep, &[("strategy", "phone_code")]).await.ok();
    let code = last_code(&emu, "+15555550100").await;
    complete_sign_in(&mut b, &sia, "phone_code", &code).await;
}

#[tokio::test]
async fn per_identifier_hourly_cap_guards_against_sms_pumping() {
    let emu = start(default_config_without_ip_limits()).await;
    let mut b = Browser::new(&emu);
    // A new sign-up each time: every first code is sent, until the cap.
    for i in 0..10 {
        b.cookie = None;
        b.post(
            "/v1/client/sign_ups",
            &[("phone_number", "+15555550142"), ("strategy", "phone_code")],
        )
        .await
        .ok();
        assert_eq!(inbox(&emu, "+15555550142").await.len(), i + 1);
    }
    b.cookie = None;
    let r = b
        .post(
            "/v1/client/sign_ups",
            &[("phone_number", "+15555550142"), ("strategy", "phone_code")],
        )
        .await
        .err(429, "verification_code_rate_limit_exceeded");
    let msg = r.body["errors"][0]["long_message"].as_str().unwrap();
    assert!(msg.contains("per-identifier hourly cap"), "{msg}");
    assert!(msg.contains("10"), "{msg}");
    let ra: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((3500..=3600).contains(&ra), "{ra}");
    assert_eq!(inbox(&emu, "+15555550142").await.len(), 10);
    // Other identifiers are not affected; the cap ends with the hour.
    b.cookie = None;
    b.post(
        "/v1/client/sign_ups",
        &[("phone_number", "+15555550143"), ("strategy", "phone_code")],
    )
    .await
    .ok();
    advance(&emu, 3601).await;
    b.cookie = None;
    b.post(
        "/v1/client/sign_ups",
        &[("phone_number", "+15555550142"), ("strategy", "phone_code")],
    )
    .await
    .ok();
}

#[tokio::test]
async fn sign_up_failures_are_capped_across_resends() {
    let mut cfg = default_config_without_ip_limits();
    cfg.identifier_codes_per_hour = 0;
    let emu = start(cfg).await;
    let mut b = Browser::new(&emu);
    let (_, id) = create_sign_up(
        &mut b,
        &[("phone_number", "+15555550150"), ("strategy", "phone_code")],
    )
    .await;
    let prep = format!("/v1/client/sign_ups/{id}/prepare_verification");
    let att = format!("/v1/client/sign_ups/{id}/attempt_verification");
    let mut wrongs = 0;
    let mut code = last_code(&emu, "+15555550150").await;
    while wrongs < 10 {
        let r = b
            .post(&att, &[("strategy", "phone_code"), ("code", &wrong(&code))])
            .await;
        if r.err_code() == "verification_failed" {
            // This code is used up (3 wrong): a resend, 30 s later.
            advance(&emu, 31).await;
            b.post(&prep, &[("strategy", "phone_code")]).await.ok();
            code = last_code(&emu, "+15555550150").await;
            continue;
        }
        assert_eq!(r.err_code(), "form_code_incorrect");
        wrongs += 1;
    }
    // Ten wrong codes across four prepares: even the right code is refused,
    // and no new code is sent.
    b.post(&att, &[("strategy", "phone_code"), ("code", &code)])
        .await
        .err(400, "verification_failed");
    advance(&emu, 31).await;
    b.post(&prep, &[("strategy", "phone_code")])
        .await
        .err(400, "verification_failed");
    let r = b.get(&format!("/v1/client/sign_ups/{id}")).await.ok();
    assert_eq!(r.resp()["status"], "missing_requirements");
    assert_eq!(
        r.resp()["verifications"]["phone_number"]["status"],
        "failed"
    );
}

// ---------------------------------------------------------------- item 8

#[tokio::test]
async fn dev_browser_jwt_has_its_own_key_and_expires() {
    let emu = start(test_config()).await;
    let keys = jwks(&emu).await;
    let mut b = Browser::new(&emu).with_dev_browser().await;
    let jwt = b.db_jwt.clone().unwrap();
    let header = jsonwebtoken::decode_header(&jwt).unwrap();
    assert_eq!(header.alg, jsonwebtoken::Algorithm::HS256);
    let kid = header.kid.unwrap();
    assert_ne!(kid, keys["keys"][0]["kid"].as_str().unwrap());
    assert!(keys["keys"]
        .as_array()
        .unwrap()
        .iter()
        .all(|k| k["kid"] != kid.as_str()));
    let claims: Value = serde_json::from_slice(&b64(jwt.split('.').nth(1).unwrap())).unwrap();
    let (iat, exp) = (
        claims["iat"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    assert_eq!(exp - iat, 365 * 24 * 3600);
    assert!(b.get("/v1/client").await.ok().resp().is_null());
    // A dev-browser JWT forged with the session key (what it used to be signed with).
    let mut forged = Browser::new(&emu);
    forged.db_jwt = Some(format!(
        "{}.{}.{}",
        jwt.split('.').next().unwrap(),
        jwt.split('.').nth(1).unwrap(),
        "AAAA"
    ));
    forged
        .get("/v1/client")
        .await
        .err(401, "dev_browser_unauthenticated");
    // It expires.
    patch_config(&emu, json!({"dev_browser_ttl_secs": 60})).await;
    let mut short = Browser::new(&emu).with_dev_browser().await;
    short.get("/v1/client").await.ok();
    advance(&emu, 61).await;
    short
        .get("/v1/client")
        .await
        .err(401, "dev_browser_unauthenticated");
}

#[tokio::test]
async fn fapi_answers_are_never_cached() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    sign_up_phone(&emu, &mut b, "+15555550100").await;
    for path in [
        "/v1/client",
        "/v1/environment",
        "/v1/me",
        "/.well-known/jwks.json",
    ] {
        let r = b.get(path).await.ok();
        assert_eq!(
            r.header("cache-control").as_deref(),
            Some("no-store"),
            "{path}"
        );
    }
    let r = b.get("/v1/nothing").await;
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
}

#[tokio::test]
async fn per_ip_limits_on_dev_browser_and_prepare() {
    let emu = start(default_config_without_ip_limits()).await;
    patch_config(
        &emu,
        json!({"rate_limits": {"dev_browser": 20, "prepare": 10}, "identifier_codes_per_hour": 0}),
    )
    .await;
    let mut b = Browser::new(&emu);
    for _ in 0..20 {
        b.post("/v1/dev_browser", &[]).await.ok();
    }
    let r = b
        .post("/v1/dev_browser", &[])
        .await
        .err(429, "too_many_requests");
    assert!(r.header("retry-after").is_some());
    for i in 0..10 {
        b.cookie = None;
        b.post(
            "/v1/client/sign_ups",
            &[
                ("phone_number", &format!("+155555502{i:02}")),
                ("strategy", "phone_code"),
            ],
        )
        .await
        .ok();
    }
    b.cookie = None;
    b.post(
        "/v1/client/sign_ups",
        &[("phone_number", "+15555550299"), ("strategy", "phone_code")],
    )
    .await
    .err(429, "too_many_requests");
    assert!(inbox(&emu, "+15555550299").await.is_empty());
    advance(&emu, 11).await;
    b.post("/v1/dev_browser", &[]).await.ok();
}

#[tokio::test]
async fn internal_errors_hide_their_detail_and_roll_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("emu.sqlite");
    let emu = start_file(test_config(), path.clone(), true).await;
    let mut b = Browser::new(&emu);
    sign_up_phone(&emu, &mut b, "+15555550100").await;
    sign_out(&mut b).await;
    // The client holds a sign-in (for the first user) and a sign-up (a second one).
    let sia = start_sign_in(&mut b, "+15555550100", "phone_code").await;
    let r = b
        .post(
            "/v1/client/sign_ups",
            &[("phone_number", "+15555550101"), ("strategy", "phone_code")],
        )
        .await
        .ok();
    let sua = r.resp()["id"].as_str().unwrap().to_string();
    let code = last_code(&emu, "+15555550101").await;
    // The stored sign-in is corrupted behind the emulator's back: the answer
    // to the sign-up's completion (which renders the client) cannot be built.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    conn.execute(
        "UPDATE sign_ins SET data = '{\"id\": 42, broken' WHERE id = ?1",
        [&sia],
    )
    .unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let r = b
        .post(
            &format!("/v1/client/sign_ups/{sua}/attempt_verification"),
            &[("strategy", "phone_code"), ("code", &code)],
        )
        .await;
    assert_eq!(r.status, 500);
    assert_eq!(r.err_code(), "internal_clerk_error");
    let text = r.text.to_lowercase();
    for leak in ["sqlite", "json", "line ", "column", "broken", "sign_ins"] {
        assert!(
            !text.contains(leak),
            "the 500 body leaks {leak:?}: {}",
            r.text
        );
    }
    // The user, identifier and session the handler wrote were rolled back.
    assert_eq!(count("SELECT COUNT(*) FROM users"), 1);
    assert_eq!(count("SELECT COUNT(*) FROM identifiers"), 1);
    assert_eq!(count("SELECT COUNT(*) FROM sessions"), 1);
    let status: String = conn
        .query_row(
            "SELECT json_extract(data, '$.status') FROM sign_ups WHERE id = ?1",
            [&sua],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "missing_requirements");
    // Later requests are served.
    b.get("/v1/environment").await.ok();
    let mut other = Browser::new(&emu);
    other
        .post("/v1/client/sign_ups", &[("email_address", "n@example.com")])
        .await
        .ok();
}

// ---------------------------------------------------------------- item 9

#[tokio::test]
async fn the_test_verifier_checks_the_time_claims() {
    let emu = start(test_config()).await;
    let keys = jwks(&emu).await;
    let mut b = Browser::new(&emu);
    let body = sign_up_phone(&emu, &mut b, "+15555550100").await;
    let sess = body["response"]["created_session_id"].as_str().unwrap();
    let r = b
        .post(&format!("/v1/client/sessions/{sess}/tokens"), &[])
        .await
        .ok();
    let jwt = r.body["jwt"].as_str().unwrap().to_string();
    let now = virtual_now_secs(&emu).await;
    let c = verify_jwt_at(&jwt, &keys, now);
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 60);
    for at in [now + 61, now - 60] {
        let jwt = jwt.clone();
        let keys = keys.clone();
        let failed = std::panic::catch_unwind(move || verify_jwt_at(&jwt, &keys, at)).is_err();
        assert!(
            failed,
            "a token checked at {at} (issued {now}) must be refused"
        );
    }
    // A tampered payload fails the signature.
    let mut parts: Vec<String> = jwt.split('.').map(str::to_string).collect();
    parts[1] = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        serde_json::to_vec(
            &json!({"sub": "user_forged", "exp": now + 60, "nbf": now, "iat": now, "iss": "x"}),
        )
        .unwrap(),
    );
    let forged = parts.join(".");
    assert!(std::panic::catch_unwind(move || verify_jwt_at(&forged, &keys, now)).is_err());
}

// ---------------------------------------------------------------- item 12: concurrency

async fn post_raw(
    http: &reqwest::Client,
    url: String,
    cookie: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let r = http
        .post(url)
        .header("origin", ORIGIN)
        .header("cookie", format!("__client={cookie}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(form).unwrap())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_concurrent_wrong_codes_then_the_right_one() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    sign_up_phone(&emu, &mut b, "+15555550100").await;
    sign_out(&mut b).await;
    let sia = start_sign_in(&mut b, "+15555550100", "phone_code").await;
    let code = last_code(&emu, "+15555550100").await;
    let cookie = b.cookie.clone().unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/v1/client/sign_ins/{sia}/attempt_first_factor", emu.base);
    let mut tasks = Vec::new();
    for i in 0..30u32 {
        let (http, url, cookie) = (http.clone(), url.clone(), cookie.clone());
        let guess = format!("{:06}", (code.parse::<u32>().unwrap() + 1 + i) % 1_000_000);
        tasks.push(tokio::spawn(async move {
            post_raw(
                &http,
                url,
                &cookie,
                &[("strategy", "phone_code"), ("code", &guess)],
            )
            .await
        }));
    }
    let mut incorrect = 0;
    let mut failed = 0;
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match (status, body["errors"][0]["code"].as_str().unwrap_or("")) {
            (422, "form_code_incorrect") => incorrect += 1,
            (400, "verification_failed") => failed += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert_eq!(incorrect, 3, "exactly max_attempts wrong codes are counted");
    assert_eq!(failed, 27);
    b.post(
        &format!("/v1/client/sign_ins/{sia}/attempt_first_factor"),
        &[("strategy", "phone_code"), ("code", &code)],
    )
    .await
    .err(400, "verification_failed");
    let r = b.get(&format!("/v1/client/sign_ins/{sia}")).await.ok();
    assert_eq!(r.resp()["first_factor_verification"]["attempts"], 3);
    assert!(r.client()["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["status"] != "active"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_right_codes_make_exactly_one_session() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("emu.sqlite");
    let emu = start_file(test_config(), path.clone(), true).await;
    let mut b = Browser::new(&emu);
    sign_up_phone(&emu, &mut b, "+15555550100").await;
    sign_out(&mut b).await;
    let sia = start_sign_in(&mut b, "+15555550100", "phone_code").await;
    let code = last_code(&emu, "+15555550100").await;
    let cookie = b.cookie.clone().unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/v1/client/sign_ins/{sia}/attempt_first_factor", emu.base);
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (http, url, cookie, code) = (http.clone(), url.clone(), cookie.clone(), code.clone());
        tasks.push(tokio::spawn(async move {
            post_raw(
                &http,
                url,
                &cookie,
                &[("strategy", "phone_code"), ("code", &code)],
            )
            .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        let (status, body) = t.await.unwrap();
        if status == 200 {
            ok += 1;
            assert_eq!(body["response"]["status"], "complete");
        } else {
            assert!((400..500).contains(&status), "{status} {body}");
        }
    }
    assert_eq!(ok, 1, "exactly one attempt completes");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let sessions: i64 = conn
        .query_row("SELECT COUNT(*) FROM sessions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        sessions, 2,
        "the sign-up's (ended) and exactly one new session"
    );
    let active: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sessions WHERE json_extract(data, '$.status') = 'active'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(active, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_link_opened_twenty_times_at_once_verifies_once() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    sign_up_email(&emu, &mut b, "l@example.com").await;
    sign_out(&mut b).await;
    let r = b
        .post(
            "/v1/client/sign_ins",
            &[
                ("identifier", "l@example.com"),
                ("strategy", "email_link"),
                ("redirect_url", "http://localhost:3000/cb"),
            ],
        )
        .await
        .ok();
    let sia = r.resp()["id"].as_str().unwrap().to_string();
    let link = last_link(&emu, "l@example.com").await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (http, link) = (http.clone(), link.clone());
        tasks.push(tokio::spawn(async move {
            let r = http.get(link).send().await.unwrap();
            assert_eq!(r.status().as_u16(), 303);
            r.headers()["location"].to_str().unwrap().to_string()
        }));
    }
    let mut statuses = Vec::new();
    let mut sessions = HashSet::new();
    for t in tasks {
        let loc = t.await.unwrap();
        let status = loc
            .split("__clerk_status=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .to_string();
        if status == "verified" {
            sessions.insert(
                loc.split("__clerk_created_session=")
                    .nth(1)
                    .unwrap()
                    .to_string(),
            );
        }
        statuses.push(status);
    }
    assert_eq!(
        statuses.iter().filter(|s| *s == "verified").count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| *s == "failed").count(),
        19,
        "{statuses:?}"
    );
    assert_eq!(sessions.len(), 1);
    let r = b.get(&format!("/v1/client/sign_ins/{sia}")).await.ok();
    assert_eq!(r.resp()["status"], "complete");
    let active: Vec<_> = r.client()["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "active")
        .collect();
    assert_eq!(active.len(), 1);
}

// ---------------------------------------------------------------- item 12: malformed input

#[tokio::test]
async fn malformed_requests_get_4xx_never_5xx() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    sign_up_phone(&emu, &mut b, "+15555550100").await;
    let form = [
        ("content-type", "application/x-www-form-urlencoded"),
        ("origin", ORIGIN),
    ];
    let bodies: Vec<Vec<u8>> = vec![
        b"identifier=%zz%".to_vec(),
        b"identifier=%".to_vec(),
        b"identifier=\xff\xfe\xfd".to_vec(),
        b"\xff=\xff&&&===".to_vec(),
        b"identifier[]=a&identifier[]=b".to_vec(),
        b"identifier=a&identifier=b&identifier=c".to_vec(),
        b"{\"identifier\": \"+15555550100\"}".to_vec(),
        b"[1,2,3]".to_vec(),
        b"identifier=%00%00".to_vec(),
        b"identifier=%2B15555550100%0d%0aSet-Cookie:%20x=1".to_vec(),
        vec![b'a'; 300_000],
        (0..1000)
            .map(|i| format!("k{i}=v&"))
            .collect::<String>()
            .into_bytes(),
    ];
    for body in bodies {
        let shown = String::from_utf8_lossy(&body[..body.len().min(60)]).to_string();
        for path in [
            "/v1/client/sign_ins",
            "/v1/client/sign_ups",
            "/v1/client/sign_ins/sia_x/attempt_first_factor",
            "/v1/client/sessions/sess_x/tokens",
            "/v1/me/email_addresses",
        ] {
            let (status, _, _) = raw(&emu, "POST", path, &form, Some(body.clone())).await;
            assert!(
                (400..500).contains(&status) || status == 200,
                "{path} {shown}: {status}"
            );
        }
    }
    let (status, _, _) = raw(
        &emu,
        "POST",
        "/v1/client/sign_ins",
        &form,
        Some(vec![b'a'; 2 << 20]),
    )
    .await;
    assert_eq!(status, 413);
    // Path traversal and odd paths never reach the control API.
    for path in [
        "/v1/client/../../__emulator/reset",
        "/v1/../__emulator/reset",
        "//__emulator/reset",
        "/%2e%2e/__emulator/reset",
        "/v1/%2e%2e/%2e%2e/__emulator/reset",
        "/__emulator/../v1/client",
        "/__emulator/reset/..",
        "/v1/client/sign_ins/%00",
        "/v1/client/sign_ins/..%2f..%2f",
        &format!("/v1/{}", "a/".repeat(2000)),
    ] {
        for method in ["GET", "POST"] {
            let status = raw_path(&emu, method, path).await;
            assert!((400..500).contains(&status), "{method} {path}: {status}");
        }
    }
    // Control API: bad JSON, wrong shapes.
    for (path, body) in [
        ("/__emulator/config", "{"),
        ("/__emulator/config", "[1,2]"),
        ("/__emulator/config", "\"x\""),
        ("/__emulator/config", "{\"rate_limits\": 5}"),
        ("/__emulator/config", "{\"instance_type\": \"staging\"}"),
        ("/__emulator/clock", "[]"),
        ("/__emulator/clock", "{\"advance_secs\": null}"),
        ("/__emulator/clock", "\u{feff}{}"),
    ] {
        let (status, _, _) = raw(
            &emu,
            "POST",
            path,
            &[("content-type", "application/json")],
            Some(body.as_bytes().to_vec()),
        )
        .await;
        assert!((400..500).contains(&status), "{path} {body}: {status}");
    }
    // Nothing was reset; the server is healthy.
    sign_out(&mut b).await;
    start_sign_in(&mut b, "+15555550100", "phone_code").await;
    assert_eq!(
        control(&emu, "GET", "/__emulator/health", None).await["status"],
        "ok"
    );
}
