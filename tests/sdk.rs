//! The typed Rust API against a live clerk-emulator, in headless Chromium and
//! Firefox: sign-up and sign-in flows (classic and newer), errors with their
//! codes, statuses and fields, tokens, sign-out and listeners.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use clerk_wasm::{Clerk, ClerkError, ClerkOptions, Form};
use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod common;
use common::forget_dev_browser;

wasm_bindgen_test_configure!(run_in_browser);

fn emulator_url() -> &'static str {
    match option_env!("CLERK_EMULATOR_URL") {
        Some(url) => url,
        None => {
            panic!("CLERK_EMULATOR_URL must name a running clerk-emulator; `make test` sets it")
        }
    }
}

async fn json(url: &str, method: &str, body: Option<&str>) -> JsValue {
    let mut req = gloo_net::http::Request::get(url);
    if method != "GET" {
        req = gloo_net::http::RequestBuilder::new(url)
            .method(if method == "PATCH" {
                gloo_net::http::Method::PATCH
            } else {
                gloo_net::http::Method::POST
            })
            .header("content-type", "application/json");
    }
    let resp = match body {
        Some(b) => req.body(b.to_string()).unwrap().send().await,
        None => req.send().await,
    }
    .expect("emulator control API reachable");
    let raw = web_sys::Response::from(resp);
    JsFuture::from(raw.json().unwrap())
        .await
        .unwrap_or(JsValue::NULL)
}

/// Rate limits and the resend throttle off: these tests run many flows back to back.
async fn relax_limits() {
    let body = r#"{"rate_limits":{"sign_in_create":0,"sign_up_create":0,"attempts":0,"prepare":0,"dev_browser":0},"resend_throttle_secs":0,"identifier_codes_per_hour":0}"#;
    json(
        &format!("{}/__emulator/config", emulator_url()),
        "PATCH",
        Some(body),
    )
    .await;
}

async fn latest_code(to: &str) -> String {
    for _ in 0..50 {
        let url = format!(
            "{}/__emulator/inbox?to={}",
            emulator_url(),
            js_sys::encode_uri_component(to)
        );
        let list: Array = json(&url, "GET", None).await.unchecked_into();
        if let Some(code) = list
            .get(0)
            .is_object()
            .then(|| Reflect::get(&list.get(0), &"code".into()).unwrap())
        {
            if let Some(c) = code.as_string() {
                return c;
            }
        }
        gloo_timers::future::TimeoutFuture::new(100).await;
    }
    panic!("no code for {to}");
}

fn unique(prefix: &str) -> String {
    let n = (js_sys::Math::random() * 1e7) as u64;
    format!("{prefix}{n:07}")
}

fn phone() -> String {
    unique("+1555")
}

/// A Clerk on a fresh client: forget the dev-browser token of earlier tests.
async fn fresh_clerk() -> Clerk {
    let doc: web_sys::HtmlDocument = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .unchecked_into();
    forget_dev_browser(&doc);
    relax_limits().await;
    let cfg = json(
        &format!("{}/__emulator/config", emulator_url()),
        "GET",
        None,
    )
    .await;
    let key = Reflect::get(&cfg, &"publishable_key".into())
        .unwrap()
        .as_string()
        .unwrap();
    let clerk = Clerk::new(&key, ClerkOptions::default()).expect("the emulator's key parses");
    clerk.load().await.expect("load() resolves");
    clerk
}

fn api_error(err: &ClerkError) -> &clerk_wasm::core::response::ApiError {
    match err {
        ClerkError::Api(e) => e,
        other => panic!("expected an API error, got {}", other.code()),
    }
}

/// Signs a new user up with a phone number and returns (clerk, phone).
async fn signed_up_user() -> (Clerk, String) {
    let clerk = fresh_clerk().await;
    let phone = phone();
    clerk
        .sign_up()
        .create(Form::new().set("phone_number", phone.as_str()))
        .await
        .unwrap();
    clerk.sign_up().send_phone_code(None).await.unwrap();
    let code = latest_code(&phone).await;
    let su = clerk.sign_up().verify_phone_code(&code).await.unwrap();
    assert_eq!(su.status.as_str(), "complete");
    clerk.sign_up().finalize().await.unwrap();
    (clerk, phone)
}

#[wasm_bindgen_test]
async fn load_gives_environment_and_no_session() {
    let clerk = fresh_clerk().await;
    assert!(clerk.loaded());
    let env = clerk.environment().expect("environment loaded");
    assert!(env.user_settings.attributes.phone_number.enabled);
    assert!(clerk.session().is_none());
    assert!(clerk.user().is_none());
}

#[wasm_bindgen_test]
async fn phone_sign_up_then_token_and_user() {
    let (clerk, phone) = signed_up_user().await;
    let session = clerk.session().expect("finalize made the session active");
    let user = clerk.user().expect("signed-in user");
    assert_eq!(user.phone_numbers[0].phone_number, phone);
    let jwt = clerk
        .get_token(None)
        .await
        .unwrap()
        .expect("a token while signed in");
    let claims = clerk_wasm::core::jwt::decode_claims::<clerk_wasm::interop::Js>(&jwt).unwrap();
    assert_eq!(claims.sid.as_deref(), Some(session.id.as_str()));
    assert_eq!(claims.sub.as_deref(), Some(user.id.as_str()));
}

#[wasm_bindgen_test]
async fn phone_sign_in_classic_with_wrong_code_first() {
    let (clerk, phone) = signed_up_user().await;
    clerk.sign_out().await.unwrap();
    let si = clerk
        .sign_in()
        .create(Form::new().set("identifier", phone.as_str()))
        .await
        .unwrap();
    assert_eq!(si.status.as_str(), "needs_first_factor");
    let factor = si
        .first_factor("phone_code", None)
        .expect("a phone_code factor")
        .clone();
    let id = factor.phone_number_id.clone().unwrap();
    clerk
        .sign_in()
        .prepare_first_factor(
            Form::new()
                .set("strategy", "phone_code")
                .set("phone_number_id", id.as_str()),
        )
        .await
        .unwrap();
    let code = latest_code(&phone).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let err = clerk
        .sign_in()
        .attempt_first_factor(Form::new().set("strategy", "phone_code").set("code", wrong))
        .await
        .unwrap_err();
    let api = api_error(&err);
    assert_eq!(api.status, 422);
    assert_eq!(err.code(), "form_code_incorrect");
    assert_eq!(api.errors[0].meta.param_name.as_deref(), Some("code"));
    let si = clerk
        .sign_in()
        .attempt_first_factor(
            Form::new()
                .set("strategy", "phone_code")
                .set("code", code.as_str()),
        )
        .await
        .unwrap();
    assert_eq!(si.status.as_str(), "complete");
    let sid = si.created_session_id.clone().unwrap();
    clerk.set_active(Some(&sid)).await.unwrap();
    assert_eq!(clerk.session_id().as_deref(), Some(sid.as_str()));
}

#[wasm_bindgen_test]
async fn newer_api_sign_in_send_verify_finalize() {
    let (clerk, phone) = signed_up_user().await;
    clerk.sign_out().await.unwrap();
    clerk
        .sign_in()
        .send_phone_code(Some(&phone), None)
        .await
        .unwrap();
    let code = latest_code(&phone).await;
    let si = clerk.sign_in().verify_phone_code(&code).await.unwrap();
    assert_eq!(si.status.as_str(), "complete");
    clerk.sign_in().finalize().await.unwrap();
    assert!(clerk.session().is_some());
}

#[wasm_bindgen_test]
async fn unknown_identifier_is_a_422_on_identifier() {
    let clerk = fresh_clerk().await;
    let err = clerk
        .sign_in()
        .create(Form::new().set("identifier", phone().as_str()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "form_identifier_not_found");
    assert_eq!(api_error(&err).status, 422);
    assert_eq!(
        api_error(&err).errors[0].meta.param_name.as_deref(),
        Some("identifier")
    );
}

#[wasm_bindgen_test]
async fn expired_code_gives_verification_expired() {
    let clerk = fresh_clerk().await;
    let phone = phone();
    clerk
        .sign_up()
        .create(Form::new().set("phone_number", phone.as_str()))
        .await
        .unwrap();
    clerk.sign_up().send_phone_code(None).await.unwrap();
    let code = latest_code(&phone).await;
    json(
        &format!("{}/__emulator/clock", emulator_url()),
        "POST",
        Some(r#"{"advance_secs":601}"#),
    )
    .await;
    let err = clerk.sign_up().verify_phone_code(&code).await.unwrap_err();
    // Back to real time (and default config) for the other tests.
    json(
        &format!("{}/__emulator/reset", emulator_url()),
        "POST",
        Some("{}"),
    )
    .await;
    assert_eq!(err.code(), "verification_expired");
    assert_eq!(err.status(), Some(400));
}

#[wasm_bindgen_test]
async fn rate_limit_429_carries_retry_after() {
    let clerk = fresh_clerk().await;
    let url = format!("{}/__emulator/config", emulator_url());
    json(
        &url,
        "PATCH",
        Some(r#"{"rate_limits":{"sign_in_create":1,"window_secs":60}}"#),
    )
    .await;
    let mut last = None;
    for _ in 0..3 {
        if let Err(e) = clerk
            .sign_in()
            .create(Form::new().set("identifier", phone().as_str()))
            .await
        {
            last = Some(e);
        }
    }
    relax_limits().await;
    let err = last.expect("errors");
    assert_eq!(err.code(), "too_many_requests");
    assert_eq!(err.status(), Some(429));
    assert!(
        err.retry_after_secs().is_some_and(|s| s > 0),
        "retryAfter is surfaced"
    );
}

#[wasm_bindgen_test]
async fn emulator_down_is_a_network_error() {
    // A loopback key whose port nothing listens on.
    let key = "pk_test_MTI3LjAuMC4xOjkk"; // base64("127.0.0.1:9$")
    let clerk = Clerk::new(key, ClerkOptions::default()).unwrap();
    let err = clerk.load().await.unwrap_err();
    assert_eq!(err.code(), "network_error");
    assert!(matches!(err, ClerkError::Network { .. }));
}

#[wasm_bindgen_test]
async fn invalid_key_is_a_typed_error() {
    let err = Clerk::new("pk_nope", ClerkOptions::default()).unwrap_err();
    assert_eq!(err.code(), "invalid_publishable_key");
}

#[wasm_bindgen_test]
async fn precondition_errors_send_nothing() {
    let clerk = fresh_clerk().await;
    let err = clerk
        .sign_in()
        .verify_phone_code("123456")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "sign_in_missing");
    let err = clerk.sign_up().finalize().await.unwrap_err();
    assert_eq!(err.code(), "no_created_session");
}

/// Runs two futures concurrently and returns both outputs.
async fn join<A: std::future::Future, B: std::future::Future>(
    a: A,
    b: B,
) -> (A::Output, B::Output) {
    use std::task::Poll;
    let (mut a, mut b) = (Box::pin(a), Box::pin(b));
    let (mut x, mut y) = (None, None);
    std::future::poll_fn(move |cx| {
        if x.is_none() {
            if let Poll::Ready(v) = a.as_mut().poll(cx) {
                x = Some(v);
            }
        }
        if y.is_none() {
            if let Poll::Ready(v) = b.as_mut().poll(cx) {
                y = Some(v);
            }
        }
        if x.is_some() && y.is_some() {
            Poll::Ready((x.take().unwrap(), y.take().unwrap()))
        } else {
            Poll::Pending
        }
    })
    .await
}

#[wasm_bindgen_test]
async fn double_submit_settles_both_calls() {
    let clerk = fresh_clerk().await;
    let phone = phone();
    clerk
        .sign_up()
        .create(Form::new().set("phone_number", phone.as_str()))
        .await
        .unwrap();
    clerk.sign_up().send_phone_code(None).await.unwrap();
    let code = latest_code(&phone).await;
    let (a, b) = join(
        clerk.sign_up().verify_phone_code(&code),
        clerk.sign_up().verify_phone_code(&code),
    )
    .await;
    // One wins; the other is told the code was already used (or verified).
    assert!(
        a.is_ok() != b.is_ok(),
        "exactly one of two identical submits succeeds"
    );
    let err = a.err().or(b.err()).unwrap();
    assert_eq!(err.status(), Some(400), "code {}", err.code());
}

#[wasm_bindgen_test]
async fn sign_out_clears_state_and_listeners_fire() {
    let (clerk, _) = signed_up_user().await;
    let calls = Rc::new(Cell::new(0));
    let seen = calls.clone();
    let id = clerk.add_listener(move || seen.set(seen.get() + 1));
    clerk.sign_out().await.unwrap();
    assert!(calls.get() >= 1, "listener heard the sign-out");
    assert!(clerk.session().is_none());
    assert!(clerk.user().is_none());
    assert_eq!(clerk.get_token(None).await.unwrap(), None);
    clerk.remove_listener(id);
    let before = calls.get();
    clerk.reload_client().await.unwrap();
    assert_eq!(calls.get(), before, "removed listener is not called");
}

#[wasm_bindgen_test]
async fn token_refreshes_before_expiry_and_is_shared_across_tabs() {
    let url = format!("{}/__emulator/config", emulator_url());
    // 20 s tokens: the proactive refresh (17 s before expiry) is due 3 s after issue.
    json(&url, "PATCH", Some(r#"{"session_token_ttl_secs":20}"#)).await;
    let (clerk, _) = signed_up_user().await;
    let first = clerk.get_token(None).await.unwrap().unwrap();
    gloo_timers::future::TimeoutFuture::new(4_500).await;
    let refreshed = clerk.get_token(None).await.unwrap().unwrap();
    let (a, b) = (
        clerk_wasm::core::jwt::decode_claims::<clerk_wasm::interop::Js>(&first).unwrap(),
        clerk_wasm::core::jwt::decode_claims::<clerk_wasm::interop::Js>(&refreshed).unwrap(),
    );
    assert_ne!(
        first, refreshed,
        "the token was refreshed before it expired"
    );
    assert!(b.iat > a.iat && b.exp > a.exp);
    // A second Clerk on the same page and client stands in for another tab.
    let cfg = json(&url, "GET", None).await;
    let key = Reflect::get(&cfg, &"publishable_key".into())
        .unwrap()
        .as_string()
        .unwrap();
    let other = Clerk::new(&key, ClerkOptions::default()).unwrap();
    other.load().await.unwrap();
    assert_eq!(other.session_id(), clerk.session_id());
    let minted = clerk.get_token_with(None, true).await.unwrap().unwrap();
    gloo_timers::future::TimeoutFuture::new(200).await;
    let seen = other.get_token(None).await.unwrap().unwrap();
    json(
        &format!("{}/__emulator/reset", emulator_url()),
        "POST",
        Some("{}"),
    )
    .await;
    assert_eq!(
        seen, minted,
        "the other tab got the token over BroadcastChannel"
    );
}

#[wasm_bindgen_test]
async fn gets_are_retried_on_network_errors_and_posts_are_not() {
    // Production key: load() is two GETs, each tried 4 times (now, +700 ms, +1400 ms).
    let clerk = Clerk::new("pk_live_MTI3LjAuMC4xOjkk", ClerkOptions::default()).unwrap();
    let t0 = js_sys::Date::now();
    let err = clerk.load().await.unwrap_err();
    let retried = js_sys::Date::now() - t0;
    assert_eq!(err.code(), "network_error");
    assert!(
        retried >= 2_000.0,
        "GETs were retried with backoff (took {retried} ms)"
    );
    // Development key on a fresh page state: load() starts with POST
    // /v1/dev_browser, which is not retried.
    let doc: web_sys::HtmlDocument = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .unchecked_into();
    forget_dev_browser(&doc);
    let clerk = Clerk::new("pk_test_MTI3LjAuMC4xOjkk", ClerkOptions::default()).unwrap();
    let t0 = js_sys::Date::now();
    let err = clerk.load().await.unwrap_err();
    let once = js_sys::Date::now() - t0;
    assert_eq!(err.code(), "network_error");
    assert!(
        once < 700.0,
        "the POST failed at once, without retry (took {once} ms)"
    );
}
