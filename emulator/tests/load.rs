//! A bounded concurrency test on loopback: 16 connections for a fixed time
//! against `POST /v1/client/sign_ins` (create) and `GET /v1/client`, in
//! process. It asserts correctness under concurrency only (every answer
//! right, no error); it prints req/s and p50/p99 for people, but throughput
//! is measured by `make bench` (scripts/bench-emulator.sh: a release build,
//! the load generator in another process), not by a timed test.

mod common;

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{start, test_config};
use serde_json::Value;

const CONNS: usize = 16;
const PHASE: Duration = Duration::from_secs(3);
/// A hard cap per worker, so the test is bounded in count as well as time.
const MAX_PER_WORKER: usize = 50_000;
const ORIGIN: &str = "http://localhost:3000";
const Q: &str = "__clerk_api_version=2026-08-20&_clerk_js_version=6.40.0";

/// The `__client=…` pair from a response's Set-Cookie, if any.
fn client_cookie(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("__client="))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}

async fn form(
    http: &reqwest::Client,
    url: String,
    cookie: Option<&str>,
    body: &[(&str, &str)],
) -> reqwest::Response {
    let mut rb = http
        .post(url)
        .header("origin", ORIGIN)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(body).unwrap());
    if let Some(c) = cookie {
        rb = rb.header("cookie", c);
    }
    rb.send().await.unwrap()
}

/// Signs up `email` with an email code, then signs out: a user to sign in as.
async fn make_user(http: &reqwest::Client, base: &str, email: &str) {
    let r = form(
        http,
        format!("{base}/v1/client/sign_ups?{Q}"),
        None,
        &[("email_address", email)],
    )
    .await;
    let cookie = client_cookie(&r).expect("a __client cookie");
    let su: Value = r.json().await.unwrap();
    let id = su["response"]["id"].as_str().unwrap().to_string();
    let r = form(
        http,
        format!("{base}/v1/client/sign_ups/{id}/prepare_verification?{Q}"),
        Some(&cookie),
        &[("strategy", "email_code")],
    )
    .await;
    assert_eq!(r.status(), 200);
    let inbox: Value = http
        .get(format!("{base}/__emulator/inbox?to={email}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = inbox[0]["code"].as_str().unwrap().to_string();
    let r = form(
        http,
        format!("{base}/v1/client/sign_ups/{id}/attempt_verification?{Q}"),
        Some(&cookie),
        &[("strategy", "email_code"), ("code", &code)],
    )
    .await;
    // Completing the sign-up rotates the client's token.
    let cookie = client_cookie(&r).expect("a rotated __client cookie");
    let done: Value = r.json().await.unwrap();
    assert_eq!(done["response"]["status"], "complete");
    let r = form(
        http,
        format!("{base}/v1/client/sessions?_method=DELETE&{Q}"),
        Some(&cookie),
        &[],
    )
    .await;
    assert_eq!(r.status(), 200);
}

struct Stats {
    ok: usize,
    errors: usize,
    latencies: Vec<Duration>,
    elapsed: Duration,
}

/// Runs `CONNS` workers for `PHASE`; each has its own client (cookie),
/// created by one untimed sign-in create before the clock starts.
async fn phase(base: &str, email: &str, get_client: bool) -> Stats {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNS)
        .build()
        .unwrap();
    let mut cookies = Vec::new();
    for _ in 0..CONNS {
        let r = form(
            &http,
            format!("{base}/v1/client/sign_ins?{Q}"),
            None,
            &[("identifier", email)],
        )
        .await;
        assert_eq!(r.status(), 200);
        cookies.push(client_cookie(&r).expect("a __client cookie"));
    }
    let start = Instant::now();
    let deadline = Arc::new(start + PHASE);
    let mut tasks = Vec::new();
    for cookie in cookies {
        let http = http.clone();
        let base = base.to_string();
        let email = email.to_string();
        let deadline = deadline.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0usize;
            while Instant::now() < *deadline && lat.len() < MAX_PER_WORKER {
                let t = Instant::now();
                let ok = if get_client {
                    match http
                        .get(format!("{base}/v1/client?{Q}"))
                        .header("cookie", &cookie)
                        .send()
                        .await
                    {
                        Ok(r) if r.status() == 200 => r
                            .json::<Value>()
                            .await
                            .is_ok_and(|v| v["response"]["object"] == "client"),
                        _ => false,
                    }
                } else {
                    let r = form(
                        &http,
                        format!("{base}/v1/client/sign_ins?{Q}"),
                        Some(&cookie),
                        &[("identifier", &email)],
                    )
                    .await;
                    r.status() == 200
                        && r.json::<Value>()
                            .await
                            .is_ok_and(|v| v["response"]["status"] == "needs_first_factor")
                };
                lat.push(t.elapsed());
                if !ok {
                    errors += 1;
                }
            }
            (lat, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.unwrap();
        latencies.extend(l);
        errors += e;
    }
    let elapsed = start.elapsed();
    latencies.sort();
    Stats {
        ok: latencies.len() - errors,
        errors,
        latencies,
        elapsed,
    }
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn report(name: &str, s: &Stats) -> f64 {
    let n = s.latencies.len();
    let rps = n as f64 / s.elapsed.as_secs_f64();
    let line = format!(
        "load: {name} {CONNS} conns {:.1} s: {n} req, {rps:.0} req/s, p50 {:.1} ms, p99 {:.1} ms, {} errors",
        s.elapsed.as_secs_f64(),
        pct(&s.latencies, 0.50),
        pct(&s.latencies, 0.99),
        s.errors,
    );
    // Straight to stderr, past the test harness's capture: the numbers are
    // the point of this test.
    let _ = writeln!(std::io::stderr(), "{line}");
    rps
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bounded_load_on_sign_in_create_and_get_client() {
    let emu = start(test_config()).await;
    let base = emu.base.clone();
    let http = reqwest::Client::new();
    let email = "load@example.com";
    make_user(&http, &base, email).await;

    let create = phase(&base, email, false).await;
    let create_rps = report("POST /v1/client/sign_ins", &create);
    let get = phase(&base, email, true).await;
    let get_rps = report("GET /v1/client", &get);

    for (name, s, rps) in [
        ("sign-in create", &create, create_rps),
        ("GET /v1/client", &get, get_rps),
    ] {
        assert_eq!(s.errors, 0, "{name}: errors under load");
        assert!(s.ok > 0 && rps > 0.0, "{name}: no request completed");
        assert!(
            s.elapsed < PHASE + Duration::from_secs(5),
            "{name}: the phase did not stop"
        );
    }
}
