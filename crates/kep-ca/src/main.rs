//! The `kep-ca` command:
//!
//! * `kep-ca serve [--dev] [--data DIR] [--listen ADDR] [--public-url URL]` — the service.
//!   `--dev` uses the development telephony (prints the calling number), registry and outbox;
//!   creates the CA hierarchy and policy on first start; seeds an applicant with a renewal
//!   application and a current certificate (key in the app's computer key store format), an
//!   operator and a responsible officer, printing how to use them.
//! * `kep-ca operator add LOGIN [--role reviewer|officer] [--data DIR]` — adds an operator; the
//!   password comes from `KEP_CA_OPERATOR_PASSWORD` or the first line of standard input.
//!
//! The CA key files' password comes from `KEP_CA_KEY_PASSWORD` (in `--dev`, a fixed dev
//! password when unset).

use std::net::SocketAddr;
use std::path::PathBuf;

const USAGE: &str = "usage:\n  kep-ca serve [--dev] [--data DIR] [--listen 127.0.0.1:8443] [--public-url http://127.0.0.1:8443]\n  kep-ca operator add LOGIN [--role reviewer|officer] [--dev] [--data DIR]";

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
    public_url: Option<String>,
    role: String,
    rest: Vec<String>,
}

fn options(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut o = Options {
        dev: false,
        data: PathBuf::from("kep-ca-data"),
        listen: "127.0.0.1:8443".into(),
        public_url: None,
        role: "reviewer".into(),
        rest: Vec::new(),
    };
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--dev" => o.dev = true,
            "--data" => o.data = args.next().map(PathBuf::from).ok_or(USAGE)?,
            "--listen" => o.listen = args.next().ok_or(USAGE)?,
            "--public-url" => o.public_url = Some(args.next().ok_or(USAGE)?),
            "--role" => o.role = args.next().ok_or(USAGE)?,
            _ if arg.starts_with("--") => return Err(USAGE.into()),
            _ => o.rest.push(arg),
        }
    }
    Ok(o)
}

fn build(o: &Options) -> Result<kep_ca::api::AppState, String> {
    let public_url = o
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", o.listen));
    let mut config = kep_ca::ServiceConfig::development(&o.data, public_url);
    config.create_if_missing = o.dev;
    match std::env::var("KEP_CA_KEY_PASSWORD") {
        Ok(password) => config.key_password = zeroize::Zeroizing::new(password),
        Err(_) if o.dev => {}
        Err(_) => return Err("set KEP_CA_KEY_PASSWORD to open the CA key files".into()),
    }
    if o.dev && std::env::var("KEP_CA_FAILPOINT").as_deref() == Ok("after_request_recorded") {
        eprintln!(
            "kep-ca: WARNING: failpoint after_request_recorded is armed: the service aborts after recording a certificate request"
        );
        config.abort_after_recording_requests = true;
    }
    if let Ok(n) = std::env::var("KEP_CA_SCRYPT_LOG_N") {
        // Only for tests that create many throwaway hierarchies; service keys keep 2^17.
        if o.dev {
            config.scrypt_log_n = n.parse().map_err(|_| "KEP_CA_SCRYPT_LOG_N: a number")?;
            eprintln!("kep-ca: WARNING: new key files use scrypt 2^{n} (tests only)");
        }
    }
    kep_ca::service(config)
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
    let role = kep_ca::operators::OperatorRole::parse(&o.role).ok_or(USAGE)?;
    let state = build(&o)?;
    state
        .operators
        .add(login, &password, role)
        .await
        .map_err(|e| e.message)?;
    println!("operator {login} ({}) added", role.as_str());
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
    let key_dir = o.data.join("dev-applicant");
    let log_n = std::env::var("KEP_CA_SCRYPT_LOG_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(kep_pki::encrypted_key::DEFAULT_SCRYPT_LOG_N);
    let seeded = kep_ca::dev_seed::seed(&state, &key_dir, log_n)
        .await
        .map_err(|e| e.message)?;
    let resumed = state
        .applications
        .resume_issuance()
        .await
        .map_err(|e| e.message)?;
    if resumed > 0 {
        println!("  finished {resumed} interrupted issuance(s)");
    }
    let addr: SocketAddr = o.listen.parse().map_err(|e| format!("{}: {e}", o.listen))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("{addr}: {e}"))?;
    println!("kep-ca (dev) listening on http://{addr}");
    println!(
        "  applicant: log in with {}; the calling number is printed here and at /dev/calls/last",
        kep_ca::dev_seed::DEV_APPLICANT_PHONE
    );
    println!(
        "  the applicant's current certificate {} and key: {} (password `{}`)",
        seeded.current_serial,
        seeded.key_dir.display(),
        kep_ca::dev_seed::DEV_APPLICANT_KEY_PASSWORD
    );
    println!(
        "  operator `{}` and responsible officer `{}`, password `{}` (dev only)",
        kep_ca::dev_seed::DEV_OPERATOR_LOGIN,
        kep_ca::dev_seed::DEV_OFFICER_LOGIN,
        kep_ca::dev_seed::DEV_OPERATOR_PASSWORD
    );
    println!(
        "  operator API: POST /api/v1/operator/login; notifications: GET /dev/outbox; API: /api/v1/openapi.json"
    );
    println!("  CA: /ca/root.crt, /ca/issuing.crt, /crl/issuing.crl");
    axum::serve(
        listener,
        kep_ca::api::router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
    .map_err(|e| e.to_string())
}
