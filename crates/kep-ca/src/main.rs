//! `kep-ca serve [--dev] [--data DIR] [--listen ADDR]`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

const USAGE: &str = "usage: kep-ca serve [--dev] [--data DIR] [--listen 127.0.0.1:8443]";

#[tokio::main]
async fn main() {
    if let Err(message) = run().await {
        eprintln!("kep-ca: {message}");
        std::process::exit(2);
    }
}

async fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() != Some("serve") {
        return Err(USAGE.into());
    }
    let (mut dev, mut data, mut listen) = (
        false,
        PathBuf::from("kep-ca-data"),
        "127.0.0.1:8443".to_owned(),
    );
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--dev" => dev = true,
            "--data" => data = args.next().map(PathBuf::from).ok_or(USAGE)?,
            "--listen" => listen = args.next().ok_or(USAGE)?,
            _ => return Err(USAGE.into()),
        }
    }
    if !dev {
        // Without a real telephony provider the service cannot log anyone in.
        return Err(
            "no telephony provider is configured; run with --dev to use the development one".into(),
        );
    }
    let state = kep_ca::service(
        &data,
        Arc::new(kep_ca::clock::SystemClock),
        Arc::new(kep_ca::telephony::DevTelephony::new()),
        Arc::new(kep_ca::registry::DevRegistry::default()),
    )?;
    let addr: SocketAddr = listen.parse().map_err(|e| format!("{listen}: {e}"))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("{addr}: {e}"))?;
    println!(
        "kep-ca (dev) listening on http://{addr}; the calling number of each login is printed here"
    );
    axum::serve(
        listener,
        kep_ca::api::router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
    .map_err(|e| e.to_string())
}
