//! `clerk-emulator` command line.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use clerk_emulator::config::{InstanceConfig, InstanceType};
use clerk_emulator::{App, Options};
use mimalloc::MiMalloc;

/// A local emulator of Clerk's Frontend API with an SQLite store and a dev inbox.
#[derive(Parser, Debug)]
#[command(name = "clerk-emulator", version)]
struct Cli {
    /// Address to listen on. Anything but loopback exposes the emulator (and
    /// its inbox of codes) to the network: a warning is printed.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on (0 picks a free port).
    #[arg(long, default_value_t = 4010)]
    port: u16,
    /// SQLite database file.
    #[arg(long, default_value = "./data/emulator.sqlite")]
    db: PathBuf,
    /// Keep everything in memory (ignores --db).
    #[arg(long)]
    memory: bool,
    /// Instance configuration file (TOML).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Instance type: development (dev) or production (prod). Overrides the config file.
    #[arg(long)]
    instance: Option<String>,
    /// Extra allowed CORS origin (repeatable). Loopback origins are always allowed.
    #[arg(long = "origin-allow", value_name = "URL")]
    origin_allow: Vec<String>,
    /// Extra Host the control API (/__emulator/*) answers, `name` or
    /// `name:port` (repeatable). Loopback names are always allowed.
    #[arg(long = "allow-host", value_name = "HOST")]
    allow_host: Vec<String>,
    /// The clerk-wasm npm package (built by `make pkg`) whose forms the hosted
    /// pages (/sign-in, /sign-up, /user) use; served at /__clerk-wasm/.
    #[arg(long = "pkg-dir", default_value = "./pkg")]
    pkg_dir: PathBuf,
}

// Rendering builds many small JSON maps: mimalloc serves them much faster
// than the system allocator under concurrency.
#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

/// How long in-flight requests may take to finish after SIGTERM / Ctrl-C.
const DRAIN: Duration = Duration::from_secs(10);

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("clerk-emulator: {e}");
        std::process::exit(1);
    }
}

fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The shutdown signals, registered when this is built (before the banner
/// is printed, so a signal sent as soon as the banner is read is caught,
/// not the default "die at once"). [`Signals::recv`] resolves on SIGTERM or
/// Ctrl-C (SIGINT).
struct Signals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn register() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Signals {
                term: signal(SignalKind::terminate()).ok(),
                int: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    #[cfg(unix)]
    async fn recv(mut self) {
        async fn one(s: &mut Option<tokio::signal::unix::Signal>) {
            match s {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        }
        tokio::select! {
            _ = one(&mut self.term) => {},
            _ = one(&mut self.int) => {},
        }
    }

    #[cfg(not(unix))]
    async fn recv(self) {
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let mut config = match &cli.config {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            InstanceConfig::from_toml(&text).map_err(|e| format!("{}: {e}", p.display()))?
        }
        None => InstanceConfig::default(),
    };
    if let Some(i) = &cli.instance {
        config.instance_type = InstanceType::parse(i)
            .ok_or_else(|| format!("--instance: expected development or production, got {i}"))?;
    }
    if !is_loopback(&cli.host) {
        eprintln!(
            "clerk-emulator: warning: listening on {} (not loopback): anyone who can reach this \
             address can sign in as any user it creates and read every code in the inbox; the \
             control API still answers only loopback hosts and --allow-host",
            cli.host
        );
    }
    let listener = tokio::net::TcpListener::bind((cli.host.as_str(), cli.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", cli.host, cli.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let opts = Options {
        db_path: if cli.memory {
            None
        } else {
            Some(cli.db.clone())
        },
        config,
        origin_allow: cli.origin_allow,
        allow_hosts: cli.allow_host,
        seed_signing_key_pem: None,
        pkg_dir: Some(cli.pkg_dir.clone()),
    };
    let app = App::new(opts, addr).map_err(|e| e.to_string())?;
    let signals = Signals::register();
    {
        let mut out = std::io::stdout().lock();
        for line in app.banner() {
            let _ = writeln!(out, "{line}");
        }
        let _ = out.flush();
    }
    // On a signal: stop accepting, let the requests in flight finish (at
    // most DRAIN), then exit 0.
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let mut server = tokio::spawn(app.serve_until(listener, async {
        let _ = rx.await;
    }));
    tokio::select! {
        r = &mut server => return match r {
            Ok(r) => r.map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        },
        _ = signals.recv() => {},
    }
    let _ = tx.send(());
    match tokio::time::timeout(DRAIN, server).await {
        Ok(Ok(r)) => r.map_err(|e| e.to_string()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => {
            eprintln!("clerk-emulator: requests still running after {DRAIN:?}; exiting");
            Ok(())
        }
    }
}
