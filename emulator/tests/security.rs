//! The security rules of issue 3, item 5, each over real HTTP.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn expired_code_gives_verification_expired() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    let (_, id) = create_sign_up(
        &mut b,
        &[("phone_number", "+15555550100"), ("strategy", "phone_code")],
    )
    .await;
    let code = last_code(&emu, "+15555550100").await;
    advance(&emu, 601).await;
    let r = b.get(&format!("/v1/client/sign_ups/{id}")).await.ok();
    assert_eq!(
        r.resp()["verifications"]["phone_number"]["status"],
        "expired"
    );
    assert_eq!(
        r.resp()["verifications"]["phone_number"]["next_action"],
        "needs_prepare"
    );
    b.post(
        &format!("/v1/client/sign_ups/{id}/attempt_verification"),
        &[("strategy", "phone_code"), ("code", &code)],
    )
    .await
    .err(400, "verification_expired");
    // A new prepare works again.
    b.post(
        &format!("/v1/client/sign_ups/{id}/prepare_verification"),
        &[("strategy", "phone_code")],
    )
    .await
    .ok();
    let code = last_code(&emu, "+15555550100").await;
    let r = b
        .post(
            &format!("/v1/client/sign_ups/{id}/attempt_verification"),
            &[("strategy", "phone_code"), ("code", &code)],
        )
        .await
        .ok();
    assert_eq!(r.resp()["status"], "complete");
}

#[tokio::test]
async fn codes_are_single_use_and_a_new_prepare_voids_the_old_code() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    let (_, id) = create_sign_up(
        &mut b,
        &[
            ("phone_number", "+15555550100"),
            ("email_address", "x@example.com"),
        ],
    )
    .await;
    let prep = format!("/v1/client/sign_ups/{id}/prepare_verification");
    let att = format!("/v1/client/sign_ups/{id}/attempt_verification");
    b.post(&att, &[("strategy", "phone_code"), ("code", "123456")])
        .await
        .err(400, "verification_missing");
    b.post(&prep, &[("strategy", "phone_code")]).await.ok();
    let old = last_code(&emu, "+15555550100").await;
    let mut new = old.clone();
    while new == old {
        b.post(&prep, &[("strategy", "phone_code")]).await.ok();
        new = last_code(&emu, "+15555550100").await;
    }
    b.post(&att, &[("strategy", "phone_code"), ("code", &old)])
        .await
        .err(422, "form_code_incorrect");
    let r = b
        .post(&att, &[("strategy", "phone_code"), ("code", &new)])
        .await
        .ok();
    assert_eq!(
        r.resp()["verifications"]["phone_number"]["status"],
        "verified"
    );
    assert_eq!(r.resp()["status"], "missing_requirements");
    b.post(&att, &[("strategy", "phone_code"), ("code", &new)])
        .await
        .err(400, "verification_already_verified");
}

#[tokio::test]
async fn attempts_limit_makes_the_verification_failed() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    sign_up_phone(&emu, &mut b, "+15555550100").await;
    sign_out(&mut b).await;
    let sia = start_sign_in(&mut b, "+15555550100", "phone_code").await;
    let code = last_code(&emu, "+15555550100").await;
    let att = format!("/v1/client/sign_ins/{sia}/attempt_first_factor");
    for _ in 0..3 {
        b.post(&att, &[("strategy", "phone_code"), ("code", &wrong(&code))])
            .await
            .err(422, "form_code_incorrect");
    }
    let r = b.get(&format!("/v1/client/sign_ins/{sia}")).await.ok();
    assert_eq!(r.resp()["first_factor_verification"]["status"], "failed");
    assert_eq!(r.resp()["first_factor_verification"]["attempts"], 3);
    // Even the right code is refused now.
    b.post(&att, &[("strategy", "phone_code"), ("code", &code)])
        .await
        .err(400, "verification_failed");
}

#[tokio::test]
async fn lockout_after_ten_consecutive_failures() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    sign_up_phone(&emu, &mut b, "+15555550100").await;
    sign_out(&mut b).await;
    let mut failures = 0;
    let mut sia = String::new();
    while failures < 10 {
        sia = start_sign_in(&mut b, "+15555550100", "phone_code").await;
        let code = last_code(&emu, "+15555550100").await;
        for _ in 0..3 {
            if failures == 10 {
                break;
            }
            b.post(
                &format!("/v1/client/sign_ins/{sia}/attempt_first_factor"),
                &[("strategy", "phone_code"), ("code", &wrong(&code))],
            )
            .await
            .err(422, "form_code_incorrect");
            failures += 1;
        }
    }
    let r = b
        .post("/v1/client/sign_ins", &[("identifier", "+15555550100")])
        .await
        .err(403, "user_locked");
    let secs = r.body["errors"][0]["meta"]["lockout_expires_in_seconds"]
        .as_i64()
        .unwrap();
    assert!((3590..=3600).contains(&secs), "{secs}");
    b.post(
        &format!("/v1/client/sign_ins/{sia}/attempt_first_factor"),
        &[("strategy", "phone_code"), ("code", "000000")],
    )
    .await
    .err(403, "user_locked");
    advance(&emu, 3601).await;
    let sia = start_sign_in(&mut b, "+15555550100", "phone_code").await;
    let code = last_code(&emu, "+15555550100").await;
    complete_sign_in(&mut b, &sia, "phone_code", &code).await;
}

#[tokio::test]
async fn resend_throttle_gives_429_with_retry_after() {
    let mut cfg = test_config();
    cfg.resend_throttle_secs = 30;
    let emu = start(cfg).await;
    let mut b = Browser::new(&emu);
    let (_, id) = create_sign_up(
        &mut b,
        &[("phone_number", "+15555550100"), ("strategy", "phone_code")],
    )
    .await;
    let prep = format!("/v1/client/sign_ups/{id}/prepare_verification");
    let r = b
        .post(&prep, &[("strategy", "phone_code")])
        .await
        .err(429, "verification_code_too_many_requests");
    let ra: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((29..=30).contains(&ra), "{ra}");
    assert_eq!(inbox(&emu, "+15555550100").await.len(), 1);
    advance(&emu, 31).await;
    b.post(&prep, &[("strategy", "phone_code")]).await.ok();
    assert_eq!(inbox(&emu, "+15555550100").await.len(), 2);
}

#[tokio::test]
async fn per_ip_rate_limits() {
    let mut cfg = test_config();
    cfg.rate_limits.sign_up_create = 5;
    cfg.rate_limits.sign_in_create = 5;
    cfg.rate_limits.attempts = 3;
    let emu = start(cfg).await;
    let mut b = Browser::new(&emu);
    for i in 0..5 {
        b.post(
            "/v1/client/sign_ups",
            &[("phone_number", &format!("+1555555020{i}"))],
        )
        .await
        .ok();
    }
    let r = b
        .post("/v1/client/sign_ups", &[("phone_number", "+15555550299")])
        .await
        .err(429, "too_many_requests");
    let ra: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=10).contains(&ra));
    // Other endpoints are not blocked; the block ends with the window.
    for _ in 0..5 {
        b.post("/v1/client/sign_ins", &[]).await.ok();
    }
    b.post("/v1/client/sign_ins", &[])
        .await
        .err(429, "too_many_requests");
    advance(&emu, 11).await;
    let (_, id) = create_sign_up(
        &mut b,
        &[("phone_number", "+15555550299"), ("strategy", "phone_code")],
    )
    .await;
    for _ in 0..3 {
        b.post(
            &format!("/v1/client/sign_ups/{id}/attempt_verification"),
            &[("strategy", "phone_code"), ("code", "000000")],
        )
        .await;
    }
    let r = b
        .post(
            &format!("/v1/client/sign_ups/{id}/attempt_verification"),
            &[("strategy", "phone_code"), ("code", "000000")],
        )
        .await
        .err(429, "too_many_requests");
    assert!(r.header("retry-after").is_some());
    // 0 disables a limit.
    patch_config(&emu, json!({"rate_limits": {"sign_up_create": 0}})).await;
    for i in 0..8 {
        b.post(
            "/v1/client/sign_ups",
            &[("phone_number", &format!("+1555555030{i}"))],
        )
        .await
        .ok();
    }
}

/// Brute force over HTTP: hundreds of wrong guesses never sign in, and the
/// right code is refused once the verification failed. (10,000 guesses run
/// against the domain function in the unit tests.)
#[tokio::test]
async fn brute_force_over_http_never_succeeds() {
    let mut cfg = test_config();
    cfg.lockout_attempts = 0;
    cfg.resend_throttle_secs = 30;
    let emu = start(cfg).await;
    let mut b = Browser::new(&emu);
    sign_up_phone(&emu, &mut b, "+15555550100").await;
    sign_out(&mut b).await;
    let mut guesses = 0;
    let mut g: u32 = 0;
    let mut successes = 0;
    while guesses < 300 {
        advance(&emu, 31).await;
        let sia = start_sign_in(&mut b, "+15555550100", "phone_code").await;
        let code = last_code(&emu, "+15555550100").await;
        let att = format!("/v1/client/sign_ins/{sia}/attempt_first_factor");
        loop {
            let guess = format!("{:06}", g % 1_000_000);
            g += 1;
            if guess == code {
                continue;
            }
            guesses += 1;
            let r = b
                .post(&att, &[("strategy", "phone_code"), ("code", &guess)])
                .await;
            if r.status == 200 {
                successes += 1;
            }
            if b.get(&format!("/v1/client/sign_ins/{sia}")).await.resp()
                ["first_factor_verification"]["status"]
                == "failed"
            {
                break;
            }
        }
        let r = b
            .post(&att, &[("strategy", "phone_code"), ("code", &code)])
            .await;
        assert_eq!(r.err_code(), "verification_failed");
    }
    assert_eq!(successes, 0);
}

#[tokio::test]
async fn codes_and_link_tokens_are_stored_hashed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db").join("emu.sqlite");
    let emu = start_file(test_config(), path.clone(), true).await;
    let mut b = Browser::new(&emu);
    let mut codes = Vec::new();
    for i in 0..5 {
        let phone = format!("+1555555040{i}");
        b.post(
            "/v1/client/sign_ups",
            &[("phone_number", &phone), ("strategy", "phone_code")],
        )
        .await
        .ok();
        codes.push(last_code(&emu, &phone).await);
    }
    let r = b
        .post("/v1/client/sign_ups", &[("email_address", "h@example.com")])
        .await
        .ok();
    let id = r.resp()["id"].as_str().unwrap().to_string();
    b.post(
        &format!("/v1/client/sign_ups/{id}/prepare_verification"),
        &[
            ("strategy", "email_link"),
            ("redirect_url", "http://localhost:3000/"),
        ],
    )
    .await
    .ok();
    let link = last_link(&emu, "h@example.com").await;
    let token = link.split("token=").nth(1).unwrap().to_string();
    drop(emu);
    let mut bytes = std::fs::read(&path).unwrap();
    if let Ok(wal) = std::fs::read(path.with_extension("sqlite-wal")) {
        bytes.extend(wal);
    }
    let hay = String::from_utf8_lossy(&bytes);
    for c in &codes {
        assert!(
            !hay.contains(&format!("\"{c}\"")) && !hay.contains(&format!(":{c}")),
            "code {c} in plaintext"
        );
    }
    assert!(!hay.contains(&token), "link token in plaintext");
    assert!(hay.contains("code_hash"));
}

#[tokio::test]
async fn email_link_rules_expiry_reuse_and_client_mismatch() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    sign_up_email(&emu, &mut b, "l@example.com").await;
    sign_out(&mut b).await;

    // Expired link.
    let prep = [
        ("identifier", "l@example.com"),
        ("strategy", "email_link"),
        ("redirect_url", "http://localhost:3000/cb"),
    ];
    let r = b.post("/v1/client/sign_ins", &prep).await.ok();
    let sia = r.resp()["id"].as_str().unwrap().to_string();
    let link = last_link(&emu, "l@example.com").await;
    advance(&emu, 601).await;
    let r = b.get(&link[emu.base.len()..]).await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location").unwrap(),
        "http://localhost:3000/cb?__clerk_status=expired&__clerk_created_session="
    );
    let r = b.get(&format!("/v1/client/sign_ins/{sia}")).await.ok();
    assert_eq!(r.resp()["first_factor_verification"]["status"], "expired");

    // A new prepare voids the previous link.
    let r = b.post("/v1/client/sign_ins", &prep).await.ok();
    let sia = r.resp()["id"].as_str().unwrap().to_string();
    let first = last_link(&emu, "l@example.com").await;
    let eid = r.resp()["first_factor_verification"].clone();
    assert_eq!(eid["strategy"], "email_link");
    b.post(
        &format!("/v1/client/sign_ins/{sia}/prepare_first_factor"),
        &[
            ("strategy", "email_link"),
            ("redirect_url", "http://localhost:3000/cb"),
        ],
    )
    .await
    .ok();
    let second = last_link(&emu, "l@example.com").await;
    assert_ne!(first, second);
    let r = b.get(&first[emu.base.len()..]).await;
    assert!(r
        .header("location")
        .unwrap()
        .contains("__clerk_status=failed"));
    // Codes cannot complete a link verification.
    b.post(
        &format!("/v1/client/sign_ins/{sia}/attempt_first_factor"),
        &[("strategy", "email_link"), ("code", "123456")],
    )
    .await
    .err(400, "verification_strategy_invalid");

    // require_same_client: another browser gets client_mismatch and nothing is verified.
    patch_config(&emu, json!({"require_same_client": true})).await;
    let env = b.get("/v1/environment").await.ok();
    assert_eq!(
        env.body["user_settings"]["attack_protection"]["email_link"]["require_same_client"],
        true
    );
    let mut other = Browser::new(&emu);
    let r = other.get(&second[emu.base.len()..]).await;
    assert_eq!(r.status, 303);
    assert!(
        r.header("location")
            .unwrap()
            .contains("__clerk_status=client_mismatch"),
        "{:?}",
        r.header("location")
    );
    let r = b.get(&format!("/v1/client/sign_ins/{sia}")).await.ok();
    assert_eq!(
        r.resp()["first_factor_verification"]["status"],
        "unverified"
    );
    // The same client can still use it.
    let r = b.get(&second[emu.base.len()..]).await;
    let loc = r.header("location").unwrap();
    assert!(
        loc.contains("__clerk_status=verified&__clerk_created_session=sess_"),
        "{loc}"
    );
    let r = b.get(&format!("/v1/client/sign_ins/{sia}")).await.ok();
    assert_eq!(r.resp()["status"], "complete");
    // Reuse fails; garbage tokens give a 400.
    let r = b.get(&second[emu.base.len()..]).await;
    assert!(r
        .header("location")
        .unwrap()
        .contains("__clerk_status=failed"));
    b.get("/v1/verify?token=nope")
        .await
        .err(400, "verification_link_token_invalid");
    b.get("/v1/verify")
        .await
        .err(400, "verification_link_token_invalid");
}

#[tokio::test]
async fn enumeration_protection_hides_unknown_identifiers() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    let r = b
        .post(
            "/v1/client/sign_ins",
            &[("identifier", "ghost@example.com")],
        )
        .await
        .err(422, "form_identifier_not_found");
    assert_eq!(r.param_name(), "identifier");
    patch_config(&emu, json!({"enumeration_protection": true})).await;
    let r = b
        .post(
            "/v1/client/sign_ins",
            &[("identifier", "ghost@example.com")],
        )
        .await
        .ok();
    assert_eq!(r.resp()["status"], "needs_first_factor");
    let f = r.resp()["supported_first_factors"][0].clone();
    assert_eq!(f["strategy"], "email_code");
    assert_eq!(f["safe_identifier"], "g***@example.com");
    let sia = r.resp()["id"].as_str().unwrap().to_string();
    b.post(
        &format!("/v1/client/sign_ins/{sia}/prepare_first_factor"),
        &[
            ("strategy", "email_code"),
            ("email_address_id", f["email_address_id"].as_str().unwrap()),
        ],
    )
    .await
    .ok();
    assert!(
        inbox(&emu, "ghost@example.com").await.is_empty(),
        "nothing is sent"
    );
    for _ in 0..3 {
        b.post(
            &format!("/v1/client/sign_ins/{sia}/attempt_first_factor"),
            &[("strategy", "email_code"), ("code", "123456")],
        )
        .await
        .err(422, "form_code_incorrect");
    }
    b.post(
        &format!("/v1/client/sign_ins/{sia}/attempt_first_factor"),
        &[("strategy", "email_code"), ("code", "123456")],
    )
    .await
    .err(400, "verification_failed");
}
