//! The real binary: banner on stdout, `--port 0`, health.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn binary_prints_the_banner_and_serves() {
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_clerk-emulator"))
        .args(["--memory", "--port", "0", "--instance", "prod"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _guard = Kill(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // Debug builds generate the RSA key slowly on first start.
    let deadline = Instant::now() + Duration::from_secs(240);
    let mut lines = Vec::new();
    while lines.len() < 5 && Instant::now() < deadline {
        if let Ok(l) = rx.recv_timeout(Duration::from_millis(200)) {
            lines.push(l);
        }
    }
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert_eq!(lines[0], "clerk-emulator ready");
    assert!(lines[1].starts_with("Publishable key: pk_live_"));
    let api = lines[2]
        .strip_prefix("Frontend API: http://127.0.0.1:")
        .unwrap();
    let port: u16 = api.parse().unwrap();
    assert_ne!(port, 0);
    assert_eq!(
        lines[3],
        format!("Inbox: http://127.0.0.1:{port}/__emulator/")
    );
    assert_eq!(lines[4], "Instance: production");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let health: serde_json::Value = rt.block_on(async {
        reqwest::get(format!("http://127.0.0.1:{port}/__emulator/health"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    assert_eq!(health["instance_type"], "production");
}

/// With the most verbose logging, a full code and link flow leaves no code, no
/// link token and no session token in anything the process prints.
#[test]
fn codes_and_tokens_never_reach_the_logs() {
    use std::io::Read;
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_clerk-emulator"))
        .args(["--memory", "--port", "0"])
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(log.reopen().unwrap())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut banner = String::new();
    let deadline = Instant::now() + Duration::from_secs(240);
    let mut buf = [0u8; 256];
    while !banner.contains("Instance:") && Instant::now() < deadline {
        let n = stdout.read(&mut buf).unwrap();
        banner.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    let base = banner
        .lines()
        .find_map(|l| l.strip_prefix("Frontend API: "))
        .unwrap()
        .to_string();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let secrets: Vec<String> = rt.block_on(async {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let post = |path: String, body: &'static str| {
            let http = http.clone();
            async move {
                http.post(path)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body)
                    .send()
                    .await
                    .unwrap()
                    .json::<serde_json::Value>()
                    .await
                    .unwrap()
            }
        };
        let db = post(format!("{base}/v1/dev_browser"), "").await["id"]
            .as_str()
            .unwrap()
            .to_string();
        let q = format!("__clerk_db_jwt={db}");
        let su = post(
            format!("{base}/v1/client/sign_ups?{q}"),
            "email_address=logs%40example.com",
        )
        .await;
        let id = su["response"]["id"].as_str().unwrap().to_string();
        post(
            format!("{base}/v1/client/sign_ups/{id}/prepare_verification?{q}"),
            "strategy=email_code",
        )
        .await;
        let inbox: serde_json::Value = http
            .get(format!("{base}/__emulator/inbox?to=logs@example.com"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let code = inbox[0]["code"].as_str().unwrap().to_string();
        let path = format!("{base}/v1/client/sign_ups/{id}/attempt_verification?{q}");
        let body = format!("strategy=email_code&code={code}");
        let done: serde_json::Value = http
            .post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let jwt = done["client"]["sessions"][0]["last_active_token"]["jwt"]
            .as_str()
            .unwrap()
            .to_string();
        // A link flow too (on a second client: the first is signed in now); the
        // token travels in the query of /v1/verify.
        let db2 = post(format!("{base}/v1/dev_browser"), "").await["id"]
            .as_str()
            .unwrap()
            .to_string();
        let q = format!("__clerk_db_jwt={db2}");
        let su = post(
            format!("{base}/v1/client/sign_ups?{q}"),
            "email_address=links%40example.com",
        )
        .await;
        let id = su["response"]["id"].as_str().unwrap().to_string();
        post(
            format!("{base}/v1/client/sign_ups/{id}/prepare_verification?{q}"),
            "strategy=email_link&redirect_url=http%3A%2F%2F127.0.0.1%3A9%2Fverify",
        )
        .await;
        let inbox: serde_json::Value = http
            .get(format!("{base}/__emulator/inbox?to=links@example.com"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let link = inbox[0]["link"].as_str().unwrap().to_string();
        let status = http.get(&link).send().await.unwrap().status();
        assert_eq!(status.as_u16(), 303);
        let token = link.split("token=").nth(1).unwrap().to_string();
        vec![code, token, jwt, db]
    });
    let _ = child.kill();
    let _ = child.wait();
    let mut logs = String::new();
    log.reopen().unwrap().read_to_string(&mut logs).unwrap();
    assert!(logs.contains("request"), "trace logging was on: {logs}");
    for secret in &secrets {
        assert!(!logs.contains(secret.as_str()), "a secret reached the logs");
    }
    let mut rest = String::new();
    let _ = stdout.read_to_string(&mut rest);
    for secret in &secrets {
        assert!(!rest.contains(secret.as_str()), "a secret reached stdout");
    }
}
