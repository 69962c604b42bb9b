//! `clerk-emulator` command line.

use std::io::Write;
use std::path::PathBuf;

use clap::Parser;
use clerk_emulator::config::{InstanceConfig, InstanceType};
use clerk_emulator::{App, Options};

/// A local emulator of Clerk's Frontend API with an SQLite store and a dev inbox.
#[derive(Parser, Debug)]
#[command(name = "clerk-emulator", version)]
struct Cli {
    /// Address to listen on.
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
}

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
        seed_signing_key_pem: None,
    };
    let app = App::new(opts, addr)?;
    {
        let mut out = std::io::stdout().lock();
        for line in app.banner() {
            let _ = writeln!(out, "{line}");
        }
        let _ = out.flush();
    }
    tokio::select! {
        r = app.serve(listener) => r.map_err(|e| e.to_string()),
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}
