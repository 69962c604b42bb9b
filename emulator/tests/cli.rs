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
