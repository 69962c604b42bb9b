//! Wire protocol, client identification, CORS, control API and persistence.

mod common;

use base64::Engine;
use clerk_emulator::config::InstanceType;
use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn health_config_and_environment() {
    let emu = start(test_config()).await;
    let h = control(&emu, "GET", "/__emulator/health", None).await;
    assert_eq!(
        h,
        json!({"status": "ok", "service": "clerk-emulator", "version": "0.1.0", "instance_type": "development"})
    );
    let c = control(&emu, "GET", "/__emulator/config", None).await;
    assert_eq!(c["frontend_api"], emu.base.as_str());
    assert_eq!(c["instance_type"], "development");
    let pk = c["publishable_key"].as_str().unwrap();
    let enc = pk.strip_prefix("pk_test_").unwrap();
    assert!(!enc.ends_with('='));
    let dec = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(enc)
        .unwrap();
    assert_eq!(String::from_utf8(dec).unwrap(), format!("{}$", emu.addr));

    let mut b = Browser::new(&emu);
    let env = b.get("/v1/environment").await.ok().body;
    assert_eq!(env["auth_config"]["single_session_mode"], true);
    assert_eq!(
        env["display_config"]["instance_environment_type"],
        "development"
    );
    let email = &env["user_settings"]["attributes"]["email_address"];
    assert_eq!(email["enabled"], true);
    assert_eq!(email["used_for_first_factor"], true);
    assert_eq!(email["first_factors"], json!(["email_code", "email_link"]));
    assert_eq!(
        env["user_settings"]["attributes"]["phone_number"]["first_factors"],
        json!(["phone_code"])
    );
    assert_eq!(
        env["user_settings"]["attributes"]["phone_number"]["channels"],
        json!(["sms"])
    );
    assert_eq!(
        env["user_settings"]["sign_in"]["second_factor"]["enabled"],
        false
    );
    assert_eq!(
        env["user_settings"]["attack_protection"]["enumeration_protection"]["enabled"],
        false
    );
    assert_eq!(env["organization_settings"]["enabled"], false);
    // ClerkJS 6.40 dereferences these while loading (else load() is `degraded`).
    for payer in ["user", "organization"] {
        assert_eq!(env["commerce_settings"]["billing"][payer]["enabled"], false);
        assert_eq!(
            env["commerce_settings"]["billing"][payer]["has_paid_plans"],
            false
        );
    }
    assert_eq!(env["api_keys_settings"]["user_api_keys_enabled"], false);
    assert_eq!(env["maintenance_mode"], false);
    assert!(env.get("response").is_none(), "bare object");
    // PATCH (ClerkJS's dev "touch") returns the same.
    let patched = b.call("PATCH", "/v1/environment", &[]).await.ok().body;
    assert_eq!(patched["user_settings"], env["user_settings"]);
    // Config changes show up.
    patch_config(
        &emu,
        json!({"second_factor": true, "phone_number": {"strategies": ["phone_code"]}}),
    )
    .await;
    let env = b.get("/v1/environment").await.ok().body;
    assert_eq!(
        env["user_settings"]["sign_in"]["second_factor"]["enabled"],
        true
    );
    assert_eq!(
        env["user_settings"]["attributes"]["phone_number"]["second_factors"],
        json!(["phone_code"])
    );
    // Bad config patches are refused, naming the key.
    let (status, body) = control_raw(
        &emu,
        "PATCH",
        "/__emulator/config",
        &[("content-type", "application/json")],
        Some("{\"nope\":1}"),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["meta"]["param_name"], "nope");
    // A body that is not declared JSON is refused before it is read.
    let (status, _) = control_raw(&emu, "PATCH", "/__emulator/config", &[], Some("{}")).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn client_is_null_until_the_first_mutation_and_cookie_identifies_it() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    let r = b.get("/v1/client").await.ok();
    assert_eq!(r.body, json!({"response": null, "client": null}));
    assert!(b.cookie.is_none());
    let r = b
        .post("/v1/client/sign_ins", &[("locale", "en-US")])
        .await
        .ok();
    assert_eq!(r.resp()["status"], "needs_identifier");
    let set_cookie = r.header("set-cookie").unwrap();
    assert!(set_cookie.starts_with("__client="));
    assert!(
        set_cookie.contains("HttpOnly")
            && set_cookie.contains("SameSite=Lax")
            && set_cookie.contains("Path=/")
    );
    assert!(!set_cookie.contains("Secure"));
    let cid = r.client()["id"].as_str().unwrap().to_string();
    assert!(cid.starts_with("client_"));
    let r = b.get("/v1/client").await.ok();
    assert_eq!(r.resp()["id"], cid.as_str());
    assert_eq!(r.resp()["object"], "client");
    assert!(r.client().is_null());
    // An unknown cookie is just no client.
    b.cookie = Some("forged".into());
    assert!(b.get("/v1/client").await.ok().resp().is_null());
}

#[tokio::test]
async fn dev_browser_identifies_the_client() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu).with_dev_browser().await;
    let jwt = b.db_jwt.clone().unwrap();
    assert_eq!(jwt.split('.').count(), 3);
    let r = b.get("/v1/client").await.ok();
    assert_eq!(r.header("clerk-db-jwt").as_deref(), Some(jwt.as_str()));
    assert!(r.resp().is_null());
    let body = sign_up_phone(&emu, &mut b, "+15555550100").await;
    assert!(b.cookie.is_none(), "no cookie on the dev-browser path");
    let r = b.get("/v1/client").await.ok();
    assert_eq!(r.resp()["id"], body["client"]["id"]);
    assert_eq!(r.resp()["sessions"][0]["status"], "active");
    // Unknown JWT: 401 dev_browser_unauthenticated.
    b.db_jwt = Some("eyJ.bogus.jwt".into());
    b.get("/v1/client")
        .await
        .err(401, "dev_browser_unauthenticated");
    // A new dev browser is a new, empty client.
    let mut b2 = Browser::new(&emu).with_dev_browser().await;
    assert!(b2.get("/v1/client").await.ok().resp().is_null());
}

#[tokio::test]
async fn production_uses_only_the_cookie() {
    let mut cfg = test_config();
    cfg.instance_type = InstanceType::Production;
    let emu = start(cfg).await;
    let c = control(&emu, "GET", "/__emulator/config", None).await;
    assert!(c["publishable_key"]
        .as_str()
        .unwrap()
        .starts_with("pk_live_"));
    let mut b = Browser::new(&emu);
    b.post("/v1/dev_browser", &[])
        .await
        .err(404, "resource_not_found");
    b.db_jwt = Some("ignored".into());
    let r = b
        .post("/v1/client/sign_ups", &[("email_address", "p@example.com")])
        .await
        .ok();
    assert!(r.header("clerk-db-jwt").is_none());
    assert!(b.cookie.is_some());
    let env = b.get("/v1/environment").await.ok().body;
    assert_eq!(
        env["display_config"]["instance_environment_type"],
        "production"
    );
}

#[tokio::test]
async fn method_override_and_form_handling() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    let (_, id) = create_sign_up(
        &mut b,
        &[
            ("email_address", "m@example.com"),
            ("some_future_param", "x"),
        ],
    )
    .await;
    // POST ?_method=PATCH updates.
    let r = b
        .call(
            "PATCH",
            &format!("/v1/client/sign_ups/{id}"),
            &[("first_name", "Mo"), ("phone_number", "+15555550177")],
        )
        .await
        .ok();
    assert_eq!(r.resp()["first_name"], "Mo");
    assert_eq!(r.resp()["phone_number"], "+15555550177");
    // A real PATCH works too.
    let url = format!("{}/v1/client/sign_ups/{id}", emu.base);
    let r = reqwest::Client::new()
        .patch(&url)
        .header("cookie", format!("__client={}", b.cookie.clone().unwrap()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("last_name=Real")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["response"]["last_name"], "Real");
    // Empty POST body without content type.
    let r = reqwest::Client::new()
        .post(format!("{}/v1/environment?_method=PATCH", emu.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // The request log records names, not values.
    let log = control(&emu, "GET", "/__emulator/requests", None).await;
    let entry = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["method_override"] == "PATCH" && e["path"].as_str().unwrap().contains("sign_ups/")
        })
        .unwrap();
    assert_eq!(entry["method"], "POST");
    assert!(entry["query_keys"]
        .as_array()
        .unwrap()
        .contains(&json!("_method")));
    assert_eq!(entry["form_keys"], json!(["first_name", "phone_number"]));
    assert_eq!(entry["status"], 200);
    assert!(!log.to_string().contains("m@example.com"));
    control(&emu, "POST", "/__emulator/requests/clear", None).await;
    assert_eq!(
        control(&emu, "GET", "/__emulator/requests", None).await,
        json!([])
    );
}

#[tokio::test]
async fn form_errors_and_not_found() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    let r = b
        .post("/v1/client/sign_ups", &[("email_address", "not-an-email")])
        .await
        .err(422, "form_param_format_invalid");
    assert_eq!(r.param_name(), "email_address");
    let r = b
        .post("/v1/client/sign_ups", &[("phone_number", "555")])
        .await
        .err(422, "form_param_format_invalid");
    assert_eq!(r.param_name(), "phone_number");
    b.post("/v1/client/sign_ins", &[("identifier", "+12")])
        .await
        .err(422, "form_param_format_invalid");
    let r = b
        .post(
            "/v1/client/sign_ins",
            &[("identifier", "nobody@example.com")],
        )
        .await
        .err(422, "form_identifier_not_found");
    assert_eq!(r.param_name(), "identifier");
    sign_up_phone(&emu, &mut b, "+15555550100").await;
    // Signed in already (single-session mode).
    b.post("/v1/client/sign_ins", &[("identifier", "+15555550100")])
        .await
        .err(400, "session_exists");
    sign_out(&mut b).await;
    let r = b
        .post(
            "/v1/client/sign_ups",
            &[("phone_number", "+1 555 555 0100")],
        )
        .await
        .err(422, "form_identifier_exists");
    assert_eq!(r.param_name(), "phone_number");
    let r = b
        .get("/v1/nothing/here")
        .await
        .err(404, "resource_not_found");
    assert!(r.body["errors"][0]["long_message"].is_string());
    assert_eq!(r.body["meta"], json!({}));
    b.get("/v1/client/sign_ins/sia_unknown")
        .await
        .err(404, "resource_not_found");
    let sia = start_sign_in(&mut b, "+15555550100", "phone_code").await;
    b.post(
        &format!("/v1/client/sign_ins/{sia}/attempt_first_factor"),
        &[("strategy", "phone_code")],
    )
    .await
    .err(422, "form_param_missing");
    b.post(
        &format!("/v1/client/sign_ins/{sia}/prepare_first_factor"),
        &[("strategy", "email_code")],
    )
    .await
    .err(400, "strategy_for_user_invalid");
    // Another client cannot read this sign-in.
    let mut other = Browser::new(&emu);
    other
        .get(&format!("/v1/client/sign_ins/{sia}"))
        .await
        .err(404, "resource_not_found");
}

#[tokio::test]
async fn cors_echoes_only_allowed_origins() {
    let emu = start_opts(clerk_emulator::Options {
        config: test_config(),
        seed_signing_key_pem: Some(TEST_KEY.into()),
        origin_allow: vec!["https://app.example.test".into()],
        ..Default::default()
    })
    .await;
    let http = reqwest::Client::new();
    let get = |origin: &'static str| {
        let http = http.clone();
        let url = format!("{}/v1/environment", emu.base);
        async move { http.get(url).header("origin", origin).send().await.unwrap() }
    };
    for o in [
        "http://localhost:3000",
        "http://127.0.0.1:51234",
        "http://[::1]:8080",
        "https://app.example.test",
    ] {
        let r = get(o).await;
        assert_eq!(r.headers()["access-control-allow-origin"], o);
        assert_eq!(r.headers()["access-control-allow-credentials"], "true");
        assert!(r.headers()["access-control-expose-headers"]
            .to_str()
            .unwrap()
            .contains("Clerk-Db-Jwt"));
        assert!(r.headers()["vary"].to_str().unwrap().contains("Origin"));
        assert_eq!(r.headers()["cross-origin-resource-policy"], "cross-origin");
    }
    for o in [
        "http://evil.example",
        "http://localhost.evil.example",
        "null",
    ] {
        let r = get(o).await;
        assert!(
            r.headers().get("access-control-allow-origin").is_none(),
            "{o}"
        );
        assert_eq!(r.headers()["cross-origin-resource-policy"], "cross-origin");
    }
    // Preflight.
    let r = http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/v1/client/sign_ins", emu.base),
        )
        .header("origin", "http://127.0.0.1:9999")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "http://127.0.0.1:9999"
    );
    // Exactly once: browsers reject a preflight with a doubled allow-origin.
    assert_eq!(
        r.headers()
            .get_all("access-control-allow-origin")
            .iter()
            .count(),
        1
    );
    assert!(r.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("PATCH"));
    let r = http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/__emulator/config", emu.base),
        )
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.headers().get("access-control-allow-origin").is_none());
    // Control endpoints have CORS too.
    let r = http
        .get(format!("{}/__emulator/inbox", emu.base))
        .header("origin", "http://localhost:1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "http://localhost:1"
    );
    // Mutations from a foreign origin are refused.
    let mut b = Browser::new(&emu);
    b.origin = Some("http://evil.example".into());
    b.post("/v1/client/sign_ins", &[])
        .await
        .err(400, "origin_invalid");
}

#[tokio::test]
async fn inbox_reset_and_clock() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    b.post(
        "/v1/client/sign_ups",
        &[
            ("email_address", "Case@Example.com"),
            ("strategy", "email_code"),
        ],
    )
    .await
    .ok();
    b.post(
        "/v1/client/sign_ups",
        &[
            ("email_address", "<b>x@example.com"),
            ("strategy", "email_code"),
        ],
    )
    .await
    .err(422, "form_param_format_invalid");
    let all = control(&emu, "GET", "/__emulator/inbox", None).await;
    let m = &all[0];
    for k in [
        "id",
        "channel",
        "to",
        "subject",
        "body",
        "code",
        "link",
        "created_at",
    ] {
        assert!(m.get(k).is_some(), "{k}");
    }
    assert_eq!(inbox(&emu, "CASE@example.COM").await.len(), 1);
    assert!(inbox(&emu, "other@example.com").await.is_empty());
    let html = reqwest::get(format!("{}/__emulator/", emu.base))
        .await
        .unwrap();
    assert!(html.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = html.text().await.unwrap();
    assert!(html.contains("case@example.com") && html.contains(m["code"].as_str().unwrap()));
    let t0 = control(&emu, "GET", "/__emulator/clock", None).await["now"]
        .as_i64()
        .unwrap();
    advance(&emu, 100).await;
    let t1 = control(&emu, "GET", "/__emulator/clock", None).await["now"]
        .as_i64()
        .unwrap();
    assert!(t1 - t0 >= 100_000);
    patch_config(&emu, json!({"require_same_client": true})).await;
    control(&emu, "POST", "/__emulator/reset", None).await;
    assert_eq!(
        control(&emu, "GET", "/__emulator/inbox", None).await,
        json!([])
    );
    assert_eq!(
        control(&emu, "GET", "/__emulator/config", None).await["config"]["require_same_client"],
        false
    );
    assert!(control(&emu, "GET", "/__emulator/clock", None).await["offset_secs"] == 0);
    // The old client is gone; the address is free again.
    assert!(b.get("/v1/client").await.ok().resp().is_null());
    b.post(
        "/v1/client/sign_ups",
        &[("email_address", "case@example.com")],
    )
    .await
    .ok();
}

#[tokio::test]
async fn restart_with_a_file_database_keeps_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("emu.sqlite");
    // First start: no key in the database; seed it (as generation would).
    let emu = start_file(test_config(), path.clone(), true).await;
    let mut b = Browser::new(&emu);
    let body = sign_up_phone(&emu, &mut b, "+15555550100").await;
    let sess = body["response"]["created_session_id"]
        .as_str()
        .unwrap()
        .to_string();
    let keys_before = jwks(&emu).await;
    drop(emu);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;

    // Second start on the same file, no seed: the key must come from the DB.
    let emu = start_file(test_config(), path.clone(), false).await;
    let keys_after = jwks(&emu).await;
    assert_eq!(keys_before["keys"][0]["kid"], keys_after["keys"][0]["kid"]);
    assert_eq!(keys_before["keys"][0]["n"], keys_after["keys"][0]["n"]);
    b.base = emu.base.clone();
    let r = b.get("/v1/client").await.ok();
    assert_eq!(r.resp()["sessions"][0]["id"], sess.as_str());
    let r = b
        .post(&format!("/v1/client/sessions/{sess}/tokens"), &[])
        .await
        .ok();
    let claims = verify_jwt(r.body["jwt"].as_str().unwrap(), &keys_after);
    assert_eq!(claims["sid"], sess.as_str());
    assert_eq!(claims["iss"], emu.base.as_str());
    // The user is still known.
    sign_out(&mut b).await;
    start_sign_in(&mut b, "+15555550100", "phone_code").await;
}
