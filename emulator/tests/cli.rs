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

/// A running binary: its base URL, stdout lines reader, and a guard that
/// kills it (SIGKILL) if the test ends early.
struct Bin {
    child: Option<std::process::Child>,
    base: String,
}

impl Drop for Bin {
    fn drop(&mut self) {
        if let Some(c) = self.child.as_mut() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn spawn_bin(args: &[&str], stderr: Stdio) -> Bin {
    let mut child = Command::new(env!("CARGO_BIN_EXE_clerk-emulator"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut base = None;
    while base.is_none() && Instant::now() < deadline {
        if let Ok(l) = rx.recv_timeout(Duration::from_millis(200)) {
            base = l.strip_prefix("Frontend API: ").map(str::to_string);
        }
    }
    Bin {
        child: Some(child),
        base: base.expect("the banner"),
    }
}

fn signal(bin: &Bin, sig: &str) {
    let pid = bin.child.as_ref().unwrap().id().to_string();
    let st = Command::new("kill").args([sig, &pid]).status().unwrap();
    assert!(st.success());
}

fn wait_exit(bin: &mut Bin, within: Duration) -> std::process::ExitStatus {
    let mut child = bin.child.take().unwrap();
    let deadline = Instant::now() + within;
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            return st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the emulator did not exit within {within:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// SIGTERM while a request is in flight: the request finishes (200), then
/// the process exits 0. Ctrl-C (SIGINT) exits 0 too, even at once.
#[test]
fn sigterm_and_ctrl_c_stop_gracefully() {
    use std::io::{Read, Write};
    let mut bin = spawn_bin(&["--memory", "--port", "0"], Stdio::null());
    let addr = bin.base.strip_prefix("http://").unwrap().to_string();
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    let body = "locale=en-US&x=yyyyyyyyyyyyyyyyyyyyyyyyyyyy";
    let head = format!(
        "POST /v1/client/sign_ins HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(&body.as_bytes()[..10]).unwrap();
    s.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    signal(&bin, "-TERM");
    std::thread::sleep(Duration::from_millis(300));
    // New connections are no longer accepted...
    assert!(
        std::net::TcpStream::connect(&addr).is_err(),
        "the listener is closed after SIGTERM"
    );
    // ...but the request in flight completes.
    s.write_all(&body.as_bytes()[10..]).unwrap();
    let mut resp = Vec::new();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = s.read_to_end(&mut resp);
    let resp = String::from_utf8_lossy(&resp);
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    assert!(resp.contains("\"needs_identifier\""), "{resp}");
    let st = wait_exit(&mut bin, Duration::from_secs(15));
    assert_eq!(st.code(), Some(0), "exit status {st:?}");

    // A signal sent the moment the banner is read is caught too (the
    // handlers are installed before the banner is printed): a few tries,
    // since a late handler shows only now and then.
    for _ in 0..5 {
        let mut bin = spawn_bin(&["--memory", "--port", "0"], Stdio::null());
        signal(&bin, "-INT");
        let st = wait_exit(&mut bin, Duration::from_secs(15));
        assert_eq!(st.code(), Some(0), "exit status {st:?}");
    }
}

/// `kill -9` in the middle of concurrent writes to a file database: the
/// database is intact and every write that was answered 200 is there.
#[test]
fn kill_9_under_load_loses_nothing_committed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("emu.sqlite");
    let db_arg = db.to_str().unwrap().to_string();
    let mut bin = spawn_bin(&["--db", &db_arg, "--port", "0"], Stdio::null());
    let base = bin.base.clone();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let committed: Vec<String> = rt.block_on(async {
        let http = reqwest::Client::new();
        let r = http
            .patch(format!("{base}/__emulator/config"))
            .header("content-type", "application/json")
            .body(r#"{"rate_limits":{"sign_up_create":0,"prepare":0},"identifier_codes_per_hour":0,"resend_throttle_secs":0}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut tasks = Vec::new();
        for w in 0..8 {
            let (http, base, stop) = (http.clone(), base.clone(), stop.clone());
            tasks.push(tokio::spawn(async move {
                let mut ids = Vec::new();
                let mut i = 0;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) && i < 5_000 {
                    i += 1;
                    let body = format!("email_address=k{w}-{i}%40example.com&strategy=email_code");
                    let r = http
                        .post(format!("{base}/v1/client/sign_ups"))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(body)
                        .send()
                        .await;
                    let Ok(r) = r else { break };
                    if r.status() != 200 {
                        continue;
                    }
                    let Ok(v) = r.json::<serde_json::Value>().await else {
                        break;
                    };
                    ids.push(v["response"]["id"].as_str().unwrap().to_string());
                }
                ids
            }));
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        // SIGKILL, no chance to clean up.
        let mut child = bin.child.take().unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        all
    });
    assert!(committed.len() > 20, "load ran: {} writes", committed.len());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let mut stmt = conn
        .prepare("SELECT COUNT(*) FROM sign_ups WHERE id = ?1")
        .unwrap();
    for id in &committed {
        let n: i64 = stmt.query_row([id], |r| r.get(0)).unwrap();
        assert_eq!(
            n, 1,
            "sign-up {id} was answered 200 but is not in the database"
        );
    }
    drop(stmt);
    drop(conn);
    // The emulator starts again on it.
    let bin = spawn_bin(&["--db", &db_arg, "--port", "0"], Stdio::null());
    let env: serde_json::Value = rt.block_on(async {
        reqwest::get(format!("{}/v1/environment", bin.base))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    assert_eq!(env["object"], "environment");
}

/// Listening beyond loopback prints a warning; the control API still
/// answers only loopback hosts.
#[test]
fn a_non_loopback_host_prints_a_warning() {
    let log = tempfile::NamedTempFile::new().unwrap();
    let bin = spawn_bin(
        &["--memory", "--port", "0", "--host", "0.0.0.0"],
        Stdio::from(log.reopen().unwrap()),
    );
    let mut err = String::new();
    std::io::Read::read_to_string(&mut log.reopen().unwrap(), &mut err).unwrap();
    assert!(err.contains("warning") && err.contains("0.0.0.0"), "{err}");
    assert!(bin.base.starts_with("http://127.0.0.1:"));
}
