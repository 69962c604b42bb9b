//! Happy paths over real HTTP: phone code, email code, email link, `/me`,
//! second factor, sessions and tokens.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn phone_code_sign_up_then_sign_in() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    let body = sign_up_phone(&emu, &mut b, "+15555550100").await;
    let client = &body["client"];
    let sid = body["response"]["created_session_id"].as_str().unwrap();
    assert_eq!(client["last_active_session_id"], sid);
    assert_eq!(client["sessions"][0]["status"], "active");
    assert_eq!(
        client["sessions"][0]["user"]["phone_numbers"][0]["phone_number"],
        "+15555550100"
    );
    assert!(client["sign_up"].is_null());
    assert!(body["response"]["created_user_id"]
        .as_str()
        .unwrap()
        .starts_with("user_"));

    // The SMS.
    let msg = &inbox(&emu, "+15555550100").await[0];
    assert_eq!(msg["channel"], "sms");
    assert!(msg["link"].is_null());
    assert!(msg["body"]
        .as_str()
        .unwrap()
        .contains(msg["code"].as_str().unwrap()));

    sign_out(&mut b).await;
    let r = b.get("/v1/client").await.ok();
    assert_eq!(r.resp()["sessions"][0]["status"], "ended");
    assert!(r.resp()["last_active_session_id"].is_null());

    // Sign in: create, then prepare with the factor id, wrong code, right code.
    let r = b
        .post(
            "/v1/client/sign_ins",
            &[
                ("identifier", "+15555550100"),
                ("locale", "en-US"),
                ("timezone", "UTC"),
            ],
        )
        .await
        .ok();
    assert_eq!(r.resp()["object"], "sign_in_attempt");
    assert_eq!(r.resp()["status"], "needs_first_factor");
    let f = &r.resp()["supported_first_factors"][0];
    assert_eq!(f["strategy"], "phone_code");
    assert_eq!(f["safe_identifier"], "+1******0100");
    assert_eq!(f["primary"], true);
    let pid = f["phone_number_id"].as_str().unwrap().to_string();
    let sia = r.resp()["id"].as_str().unwrap().to_string();
    assert_eq!(r.client()["sign_in"]["id"], sia.as_str());
    let r = b
        .post(
            &format!("/v1/client/sign_ins/{sia}/prepare_first_factor"),
            &[("strategy", "phone_code"), ("phone_number_id", &pid)],
        )
        .await
        .ok();
    assert_eq!(
        r.resp()["first_factor_verification"]["status"],
        "unverified"
    );
    assert_eq!(
        r.resp()["first_factor_verification"]["strategy"],
        "phone_code"
    );
    let code = last_code(&emu, "+15555550100").await;
    let r = b
        .post(
            &format!("/v1/client/sign_ins/{sia}/attempt_first_factor"),
            &[("strategy", "phone_code"), ("code", &wrong(&code))],
        )
        .await;
    let r = r.err(422, "form_code_incorrect");
    assert_eq!(r.param_name(), "code");
    assert_eq!(r.body["errors"][0]["long_message"], "Incorrect code");
    let r = complete_sign_in(&mut b, &sia, "phone_code", &code).await;
    assert_eq!(r.resp()["first_factor_verification"]["status"], "verified");
    let sess = r.resp()["created_session_id"].as_str().unwrap().to_string();
    let s = r.client()["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == sess.as_str())
        .unwrap()
        .clone();
    assert_eq!(s["status"], "active");
    assert_eq!(r.client()["last_active_session_id"], sess.as_str());

    // setActive: touch, then getToken.
    let r = b
        .post(
            &format!("/v1/client/sessions/{sess}/touch"),
            &[("active_organization_id", ""), ("intent", "select_session")],
        )
        .await
        .ok();
    assert_eq!(r.resp()["object"], "session");
    let jwt = r.resp()["last_active_token"]["jwt"]
        .as_str()
        .unwrap()
        .to_string();
    let keys = jwks(&emu).await;
    let claims = verify_jwt(&jwt, &keys);
    assert_eq!(claims["sid"], sess.as_str());
    let r = b
        .post(
            &format!("/v1/client/sessions/{sess}/tokens"),
            &[("organization_id", "")],
        )
        .await
        .ok();
    assert_eq!(r.body["object"], "token");
    assert!(r.body.get("response").is_none());
    let claims = verify_jwt(r.body["jwt"].as_str().unwrap(), &keys);
    assert_eq!(claims["sid"], sess.as_str());
    assert_eq!(claims["sub"], s["user"]["id"]);
    assert_eq!(claims["iss"], emu.base.as_str());
    assert_eq!(claims["azp"], ORIGIN);
    assert_eq!(claims["v"], 2);
    assert_eq!(claims["sts"], "active");
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        60
    );
    assert!(claims["nbf"].as_i64().unwrap() <= claims["iat"].as_i64().unwrap());
    // A template token, and /v1/jwks.
    let r = b
        .post(&format!("/v1/client/sessions/{sess}/tokens/supabase"), &[])
        .await
        .ok();
    verify_jwt(r.body["jwt"].as_str().unwrap(), &keys);
    assert_eq!(b.get("/v1/jwks").await.ok().body, keys);
}

#[tokio::test]
async fn email_code_sign_up_and_sign_in_with_strategy_on_create() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    let r = b
        .post(
            "/v1/client/sign_ups",
            &[
                ("email_address", "Jane@Example.com"),
                ("first_name", "Jane"),
                ("unsafe_metadata", "{\"a\":1}"),
                ("captcha_token", "x"),
            ],
        )
        .await
        .ok();
    let su = r.resp().clone();
    assert_eq!(su["object"], "sign_up_attempt");
    assert_eq!(su["status"], "missing_requirements");
    assert_eq!(su["email_address"], "jane@example.com");
    assert_eq!(su["unverified_fields"], json!(["email_address"]));
    assert_eq!(su["missing_fields"], json!([]));
    assert_eq!(
        su["required_fields"],
        json!(["email_address_or_phone_number"])
    );
    assert_eq!(su["verifications"]["email_address"]["status"], "unverified");
    assert_eq!(
        su["verifications"]["email_address"]["next_action"],
        "needs_prepare"
    );
    assert_eq!(
        su["verifications"]["email_address"]["supported_strategies"],
        json!(["email_code", "email_link"])
    );
    assert!(su["verifications"]["phone_number"].is_null());
    let id = su["id"].as_str().unwrap();
    let r = b
        .post(
            &format!("/v1/client/sign_ups/{id}/prepare_verification"),
            &[("strategy", "email_code")],
        )
        .await
        .ok();
    assert_eq!(
        r.resp()["verifications"]["email_address"]["next_action"],
        "needs_attempt"
    );
    let msg = &inbox(&emu, "JANE@example.com").await[0];
    assert_eq!(msg["channel"], "email");
    assert!(msg["subject"]
        .as_str()
        .unwrap()
        .contains(msg["code"].as_str().unwrap()));
    let code = msg["code"].as_str().unwrap();
    let r = b
        .post(
            &format!("/v1/client/sign_ups/{id}/attempt_verification"),
            &[("strategy", "email_code"), ("code", code)],
        )
        .await
        .ok();
    assert_eq!(r.resp()["status"], "complete");
    assert_eq!(
        r.resp()["verifications"]["email_address"]["status"],
        "verified"
    );
    let user = &r.client()["sessions"][0]["user"];
    assert_eq!(user["first_name"], "Jane");
    assert_eq!(user["unsafe_metadata"]["a"], 1);
    assert_eq!(
        user["email_addresses"][0]["email_address"],
        "jane@example.com"
    );
    assert_eq!(
        user["primary_email_address_id"],
        user["email_addresses"][0]["id"]
    );
    sign_out(&mut b).await;

    // Sign-in with strategy on create sends the code right away.
    let sia = start_sign_in(&mut b, "jane@example.com", "email_code").await;
    let r = b.get(&format!("/v1/client/sign_ins/{sia}")).await.ok();
    assert_eq!(
        r.resp()["first_factor_verification"]["strategy"],
        "email_code"
    );
    let factors = r.resp()["supported_first_factors"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(factors.len(), 2);
    assert_eq!(factors[0]["safe_identifier"], "j***@example.com");
    assert_eq!(factors[1]["strategy"], "email_link");
    let code = last_code(&emu, "jane@example.com").await;
    let r = complete_sign_in(&mut b, &sia, "email_code", &code).await;
    assert_eq!(r.client()["last_authentication_strategy"], "email_code");
}

#[tokio::test]
async fn email_link_sign_up_completes_on_poll() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    let (_, id) = create_sign_up(&mut b, &[("email_address", "link@example.com")]).await;
    b.post(
        &format!("/v1/client/sign_ups/{id}/prepare_verification"),
        &[
            ("strategy", "email_link"),
            ("redirect_url", "http://localhost:3000/verify"),
        ],
    )
    .await
    .ok();
    let r = b.get(&format!("/v1/client/sign_ups/{id}")).await.ok();
    assert_eq!(
        r.resp()["verifications"]["email_address"]["status"],
        "unverified"
    );
    assert_eq!(
        r.resp()["verifications"]["email_address"]["strategy"],
        "email_link"
    );
    let link = last_link(&emu, "link@example.com").await;
    assert!(link.starts_with(&format!("{}/v1/verify?token=", emu.base)));
    let token = link.split("token=").nth(1).unwrap();
    assert!(token.len() >= 22, "at least 128 bits");
    // Opened in the same browser (cookie sent along).
    let r = b.get(&link[emu.base.len()..]).await;
    assert_eq!(r.status, 303);
    let loc = r.header("location").unwrap();
    assert!(
        loc.starts_with(
            "http://localhost:3000/verify?__clerk_status=verified&__clerk_created_session=sess_"
        ),
        "{loc}"
    );
    let r = b.get(&format!("/v1/client/sign_ups/{id}")).await.ok();
    assert_eq!(r.resp()["status"], "complete");
    assert_eq!(
        r.resp()["verifications"]["email_address"]["status"],
        "verified"
    );
    let sess = r.resp()["created_session_id"].as_str().unwrap();
    assert!(loc.ends_with(sess));
    assert_eq!(r.client()["sessions"][0]["id"], sess);
    assert_eq!(r.client()["last_active_session_id"], sess);
}

#[tokio::test]
async fn email_link_sign_in_from_another_device() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    sign_up_email(&emu, &mut b, "ann@example.com").await;
    sign_out(&mut b).await;
    let r = b
        .post("/v1/client/sign_ins", &[("identifier", "ann@example.com")])
        .await
        .ok();
    let sia = r.resp()["id"].as_str().unwrap().to_string();
    let eid = r.resp()["supported_first_factors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["strategy"] == "email_link")
        .unwrap()["email_address_id"]
        .as_str()
        .unwrap()
        .to_string();
    b.post(
        &format!("/v1/client/sign_ins/{sia}/prepare_first_factor"),
        &[
            ("strategy", "email_link"),
            ("email_address_id", &eid),
            ("redirect_url", "http://localhost:3000/done?x=1"),
        ],
    )
    .await
    .ok();
    let link = last_link(&emu, "ann@example.com").await;
    let msg = &inbox(&emu, "ann@example.com").await[0];
    assert!(msg["code"].is_null());
    // Another device opens it (a fresh browser with its own client).
    let mut phone = Browser::new(&emu);
    phone.post("/v1/client/sign_ins", &[]).await.ok(); // creates a client (needs_identifier)
    let phone_client = phone.get("/v1/client").await.ok().resp()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = phone.get(&link[emu.base.len()..]).await;
    assert_eq!(r.status, 303);
    let loc = r.header("location").unwrap();
    assert!(
        loc.starts_with(
            "http://localhost:3000/done?x=1&__clerk_status=verified&__clerk_created_session=sess_"
        ),
        "{loc}"
    );
    // The original client polls and sees the completed sign-in and the session.
    let r = b.get(&format!("/v1/client/sign_ins/{sia}")).await.ok();
    assert_eq!(r.resp()["status"], "complete");
    assert_eq!(r.resp()["first_factor_verification"]["status"], "verified");
    assert_eq!(
        r.resp()["first_factor_verification"]["verified_at_client"],
        phone_client.as_str()
    );
    let sess = r.resp()["created_session_id"].as_str().unwrap();
    assert!(loc.ends_with(sess));
    assert!(r.client()["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == sess && s["status"] == "active"));
    // The other device got no session.
    let r = phone.get("/v1/client").await.ok();
    assert_eq!(r.resp()["sessions"], json!([]));
    // Reusing the link fails.
    let r = phone.get(&link[emu.base.len()..]).await;
    assert_eq!(r.status, 303);
    assert!(r
        .header("location")
        .unwrap()
        .contains("__clerk_status=failed"));
}

#[tokio::test]
async fn me_email_addresses_code_and_link() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    let body = sign_up_phone(&emu, &mut b, "+15555550111").await;
    let sess = body["response"]["created_session_id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = b
        .get(&format!("/v1/me?_clerk_session_id={sess}"))
        .await
        .ok();
    assert_eq!(r.resp()["object"], "user");
    let r = b
        .post(
            "/v1/me/email_addresses",
            &[("email_address", "me@example.com")],
        )
        .await
        .ok();
    assert_eq!(r.resp()["object"], "email_address");
    assert!(r.resp()["verification"].is_null());
    let idn = r.resp()["id"].as_str().unwrap().to_string();
    b.post(
        &format!("/v1/me/email_addresses/{idn}/prepare_verification"),
        &[("strategy", "email_code")],
    )
    .await
    .ok();
    let code = last_code(&emu, "me@example.com").await;
    b.post(
        &format!("/v1/me/email_addresses/{idn}/attempt_verification"),
        &[("code", &wrong(&code))],
    )
    .await
    .err(422, "form_code_incorrect");
    let r = b
        .post(
            &format!("/v1/me/email_addresses/{idn}/attempt_verification"),
            &[("code", &code)],
        )
        .await
        .ok();
    assert_eq!(r.resp()["verification"]["status"], "verified");
    let r = b.get("/v1/me").await.ok();
    assert_eq!(r.resp()["primary_email_address_id"], idn.as_str());
    // Now it is a sign-in identifier.
    let r = b.get("/v1/me/email_addresses").await.ok();
    assert_eq!(r.resp().as_array().unwrap().len(), 1);

    // Second address by email link.
    let r = b
        .post(
            "/v1/me/email_addresses",
            &[("email_address", "two@example.com")],
        )
        .await
        .ok();
    let idn2 = r.resp()["id"].as_str().unwrap().to_string();
    b.post(
        &format!("/v1/me/email_addresses/{idn2}/prepare_verification"),
        &[
            ("strategy", "email_link"),
            ("redirect_url", "http://localhost:3000/v"),
        ],
    )
    .await
    .ok();
    let link = last_link(&emu, "two@example.com").await;
    let r = b.get(&link[emu.base.len()..]).await;
    assert_eq!(r.status, 303);
    assert!(r
        .header("location")
        .unwrap()
        .contains("__clerk_status=verified"));
    let r = b.get(&format!("/v1/me/email_addresses/{idn2}")).await.ok();
    assert_eq!(r.resp()["verification"]["status"], "verified");
    // Taken addresses are refused.
    b.post(
        "/v1/me/email_addresses",
        &[("email_address", "two@example.com")],
    )
    .await
    .err(422, "form_identifier_exists");
    b.post("/v1/me/email_addresses", &[("email_address", "bad")])
        .await
        .err(422, "form_param_format_invalid");
    // Signed out: 401.
    sign_out(&mut b).await;
    b.get("/v1/me").await.err(401, "authentication_invalid");
}

#[tokio::test]
async fn second_factor_phone_code() {
    let mut cfg = test_config();
    cfg.second_factor = true;
    let emu = start(cfg).await;
    let mut b = Browser::new(&emu);
    // A user with both a phone and an email.
    let (r, id) = create_sign_up(
        &mut b,
        &[
            ("email_address", "two@example.com"),
            ("phone_number", "+15555550122"),
        ],
    )
    .await;
    assert_eq!(
        r.resp()["unverified_fields"],
        json!(["email_address", "phone_number"])
    );
    b.post(
        &format!("/v1/client/sign_ups/{id}/prepare_verification"),
        &[("strategy", "email_code")],
    )
    .await
    .ok();
    let code = last_code(&emu, "two@example.com").await;
    let r = b
        .post(
            &format!("/v1/client/sign_ups/{id}/attempt_verification"),
            &[("strategy", "email_code"), ("code", &code)],
        )
        .await
        .ok();
    assert_eq!(r.resp()["status"], "missing_requirements");
    assert_eq!(r.resp()["unverified_fields"], json!(["phone_number"]));
    b.post(
        &format!("/v1/client/sign_ups/{id}/prepare_verification"),
        &[("strategy", "phone_code")],
    )
    .await
    .ok();
    let code = last_code(&emu, "+15555550122").await;
    let r = b
        .post(
            &format!("/v1/client/sign_ups/{id}/attempt_verification"),
            &[("strategy", "phone_code"), ("code", &code)],
        )
        .await
        .ok();
    assert_eq!(r.resp()["status"], "complete");
    assert_eq!(
        r.client()["sessions"][0]["user"]["two_factor_enabled"],
        true
    );
    sign_out(&mut b).await;

    let sia = start_sign_in(&mut b, "two@example.com", "email_code").await;
    let code = last_code(&emu, "two@example.com").await;
    let r = b
        .post(
            &format!("/v1/client/sign_ins/{sia}/attempt_first_factor"),
            &[("strategy", "email_code"), ("code", &code)],
        )
        .await
        .ok();
    assert_eq!(r.resp()["status"], "needs_second_factor");
    assert!(r.resp()["created_session_id"].is_null());
    assert_eq!(
        r.resp()["supported_second_factors"][0]["strategy"],
        "phone_code"
    );
    b.post(
        &format!("/v1/client/sign_ins/{sia}/attempt_second_factor"),
        &[("strategy", "phone_code"), ("code", "123456")],
    )
    .await
    .err(400, "verification_missing");
    b.post(
        &format!("/v1/client/sign_ins/{sia}/prepare_second_factor"),
        &[("strategy", "phone_code")],
    )
    .await
    .ok();
    let code = last_code(&emu, "+15555550122").await;
    let r = b
        .post(
            &format!("/v1/client/sign_ins/{sia}/attempt_second_factor"),
            &[("strategy", "phone_code"), ("code", &code)],
        )
        .await
        .ok();
    assert_eq!(r.resp()["status"], "complete");
    assert_eq!(r.resp()["second_factor_verification"]["status"], "verified");
    let fva = &r.client()["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == "active")
        .unwrap()["factor_verification_age"];
    assert_eq!(fva, &json!([0, 0]));
}

/// Multi-session mode: two sessions on one client; `remove` signs out just one
/// (ClerkJS `signOut({ sessionId })`) and clears `last_active_session_id` only
/// when it named that session.
#[tokio::test]
async fn multi_session_remove_one_session() {
    let mut cfg = test_config();
    cfg.multi_session = true;
    let emu = start(cfg).await;
    let mut b = Browser::new(&emu);
    let env = b.get("/v1/environment").await.ok();
    assert_eq!(env.body["auth_config"]["single_session_mode"], false);
    let sid = |body: &serde_json::Value| {
        body["response"]["created_session_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let first = sid(&sign_up_phone(&emu, &mut b, "+15555550134").await);
    let body = sign_up_phone(&emu, &mut b, "+15555550135").await;
    let second = sid(&body);
    let active = |c: &serde_json::Value| -> Vec<String> {
        c["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["status"] == "active")
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(active(&body["client"]), [first.as_str(), second.as_str()]);

    // Signing in again as a user who is already signed in on this client.
    let r = b
        .post("/v1/client/sign_ins", &[("identifier", "+15555550134")])
        .await
        .err(400, "identifier_already_signed_in");
    assert_eq!(r.body["errors"][0]["meta"]["session_id"], first.as_str());
    assert_eq!(body["client"]["last_active_session_id"], second.as_str());
    let before = body["client"]["updated_at"].as_i64().unwrap();

    // Removing the other session keeps the last active one.
    let r = b
        .post(&format!("/v1/client/sessions/{first}/remove"), &[])
        .await
        .ok();
    assert_eq!(r.resp()["object"], "session");
    assert_eq!(r.resp()["status"], "removed");
    assert!(r.resp()["last_active_token"].is_null());
    assert_eq!(active(r.client()), [second.as_str()]);
    assert_eq!(r.client()["last_active_session_id"], second.as_str());
    assert!(r.client()["updated_at"].as_i64().unwrap() >= before);
    b.post(&format!("/v1/client/sessions/{first}/tokens"), &[])
        .await
        .err(401, "authentication_invalid");

    // Removing the last active session clears it; the session list is empty.
    let r = b
        .post(&format!("/v1/client/sessions/{second}/remove"), &[])
        .await
        .ok();
    assert_eq!(r.resp()["status"], "removed");
    assert_eq!(r.client()["sessions"], json!([]));
    assert!(r.client()["last_active_session_id"].is_null());
}

#[tokio::test]
async fn sessions_end_remove_and_client_delete() {
    let emu = start(test_config()).await;
    let mut b = Browser::new(&emu);
    let body = sign_up_phone(&emu, &mut b, "+15555550133").await;
    let sess = body["response"]["created_session_id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = b.get(&format!("/v1/client/sessions/{sess}")).await.ok();
    assert_eq!(r.resp()["status"], "active");
    assert_eq!(r.resp()["public_user_data"]["identifier"], "+15555550133");
    let r = b
        .post(&format!("/v1/client/sessions/{sess}/end"), &[])
        .await
        .ok();
    assert_eq!(r.resp()["status"], "ended");
    assert!(r.resp()["last_active_token"].is_null());
    b.post(&format!("/v1/client/sessions/{sess}/tokens"), &[])
        .await
        .err(401, "authentication_invalid");
    let r = b
        .post(&format!("/v1/client/sessions/{sess}/remove"), &[])
        .await
        .ok();
    assert_eq!(r.resp()["status"], "removed");
    assert_eq!(r.client()["sessions"], json!([]));
    // Another browser cannot see this session.
    let mut other = Browser::new(&emu);
    other
        .get(&format!("/v1/client/sessions/{sess}"))
        .await
        .err(404, "resource_not_found");
    // DELETE /v1/client forgets the client and clears the cookie.
    let r = b.call("DELETE", "/v1/client", &[]).await.ok();
    assert_eq!(r.resp()["object"], "client");
    assert!(r.client().is_null());
    assert!(b.cookie.is_none());
    let r = b.get("/v1/client").await.ok();
    assert!(r.resp().is_null());
}
