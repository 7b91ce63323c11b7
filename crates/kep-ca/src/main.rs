//! The `kep-ca` command:
//!
//! * `kep-ca serve [--dev] [--data DIR] [--listen ADDR]` — the service. `--dev` uses the
//!   development telephony (prints the calling number), registry and outbox, and seeds an
//!   applicant with a renewal application and an operator account, printing how to use them.
//! * `kep-ca operator add LOGIN [--data DIR]` — adds an operator; the password comes from
//!   `KEP_CA_OPERATOR_PASSWORD` or the first line of standard input.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

const USAGE: &str = "usage:\n  kep-ca serve [--dev] [--data DIR] [--listen 127.0.0.1:8443]\n  kep-ca operator add LOGIN [--data DIR]";

/// The seeded applicant's phone in `--dev` mode.
const DEV_APPLICANT_PHONE: &str = "+79990000001";

#[tokio::main]
async fn main() {
    if let Err(message) = run().await {
        eprintln!("kep-ca: {message}");
        std::process::exit(2);
    }
}

struct Options {
    dev: bool,
    data: PathBuf,
    listen: String,
    rest: Vec<String>,
}

fn options(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut o = Options {
        dev: false,
        data: PathBuf::from("kep-ca-data"),
        listen: "127.0.0.1:8443".into(),
        rest: Vec::new(),
    };
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--dev" => o.dev = true,
            "--data" => o.data = args.next().map(PathBuf::from).ok_or(USAGE)?,
            "--listen" => o.listen = args.next().ok_or(USAGE)?,
            _ if arg.starts_with("--") => return Err(USAGE.into()),
            _ => o.rest.push(arg),
        }
    }
    Ok(o)
}

fn build(o: &Options) -> Result<kep_ca::api::AppState, String> {
    kep_ca::service(
        &o.data,
        Arc::new(kep_ca::clock::SystemClock),
        Arc::new(kep_ca::telephony::DevTelephony::new()),
        Arc::new(kep_ca::registry::DevRegistry::default()),
        Arc::new(kep_ca::notifier::DevOutbox::default()),
    )
}

async fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("serve") => serve(options(args)?).await,
        Some("operator") => operator(options(args)?).await,
        _ => Err(USAGE.into()),
    }
}

async fn operator(o: Options) -> Result<(), String> {
    let [action, login] = o.rest.as_slice() else {
        return Err(USAGE.into());
    };
    if action != "add" {
        return Err(USAGE.into());
    }
    let password = match std::env::var("KEP_CA_OPERATOR_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| e.to_string())?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let state = build(&o)?;
    state
        .operators
        .add(login, &password)
        .await
        .map_err(|e| e.message)?;
    println!("operator {login} added");
    Ok(())
}

async fn serve(o: Options) -> Result<(), String> {
    if !o.dev {
        // Without real telephony, registry and notification providers nobody could log in.
        return Err(
            "no production providers are configured; run with --dev to use the development ones"
                .into(),
        );
    }
    let state = build(&o)?;
    seed(&state).await?;
    let addr: SocketAddr = o.listen.parse().map_err(|e| format!("{}: {e}", o.listen))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("{addr}: {e}"))?;
    println!("kep-ca (dev) listening on http://{addr}");
    println!(
        "  applicant: log in with {DEV_APPLICANT_PHONE}; the calling number is printed here and at /dev/calls/last"
    );
    println!(
        "  operator API: POST /api/v1/operator/login; notifications: GET /dev/outbox; API: /api/v1/openapi.json"
    );
    axum::serve(
        listener,
        kep_ca::api::router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
    .map_err(|e| e.to_string())
}

/// Seeds the dev applicant (with a renewal application) and the dev operator, once.
async fn seed(state: &kep_ca::api::AppState) -> Result<(), String> {
    use kep_ca::store::Store;
    let store = state.applications.store();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let applicant = store
        .applicant_for_phone(DEV_APPLICANT_PHONE, now)
        .await
        .map_err(|e| e.to_string())?;
    if store
        .applications_of(applicant)
        .await
        .map_err(|e| e.to_string())?
        .is_empty()
    {
        state
            .applications
            .open_renewal(applicant, "system")
            .await
            .map_err(|e| e.message)?;
    }
    let password = "kep-renew-dev-operator";
    match state.operators.add("operator", password).await {
        Ok(()) => {
            println!("  operator account: login `operator`, password `{password}` (dev only)")
        }
        Err(e) if e.kind == kep_protocol::ErrorKind::Conflict => {
            println!("  operator account: login `operator`, password `{password}` (dev only)")
        }
        Err(e) => return Err(e.message),
    }
    Ok(())
}
