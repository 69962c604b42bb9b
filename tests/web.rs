//! Browser tests against a live clerk-emulator (`make test` starts one and sets
//! `CLERK_EMULATOR_URL` at compile time). Run in headless Chromium and Firefox.
#![cfg(target_arch = "wasm32")]

use serde::Deserialize;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn emulator_url() -> &'static str {
    match option_env!("CLERK_EMULATOR_URL") {
        Some(url) => url,
        None => {
            panic!("CLERK_EMULATOR_URL must name a running clerk-emulator; `make test` sets it")
        }
    }
}

#[derive(Deserialize)]
struct Health {
    status: String,
    service: String,
    instance_type: String,
}

#[wasm_bindgen_test]
async fn emulator_health_over_http() {
    let url = format!("{}/__emulator/health", emulator_url());
    let resp = gloo_net::http::Request::get(&url)
        .send()
        .await
        .expect("the emulator must be reachable from the browser (CORS included)");
    assert_eq!(resp.status(), 200);
    let raw = web_sys::Response::from(resp);
    let json = JsFuture::from(raw.json().expect("json()"))
        .await
        .expect("a JSON body");
    let health: Health = serde_wasm_bindgen::from_value(json).expect("the health shape");
    assert_eq!(health.status, "ok");
    assert_eq!(health.service, "clerk-emulator");
    assert!(
        health.instance_type == "development" || health.instance_type == "production",
        "unexpected instance_type {}",
        health.instance_type
    );
}
