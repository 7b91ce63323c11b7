//! The `kep-ca` command:
//!
//! * `kep-ca serve --config FILE` — the service as a CA runs it: every setting from the TOML
//!   file (`docs/kep-ca.md`), TLS, the configured providers, JSON logs, `/healthz`, `/readyz`,
//!   Prometheus metrics; SIGHUP reloads the TLS certificate, SIGTERM drains in-flight requests
//!   within the grace period.
//! * `kep-ca serve --dev [--data DIR] [--listen ADDR] [--public-url URL] [--tls-cert PEM
//!   --tls-key PEM]` — the demo and the tests: the development telephony (prints the calling
//!   number), registry and outbox, and the `/dev/*` routes; creates the CA hierarchy and policy
//!   on first start; seeds an applicant with a renewal application and a current certificate
//!   (key in the app's computer key store format), an operator and a responsible officer,
//!   printing how to use them.
//! * `kep-ca migrate (--config FILE | --dev [--data DIR])` — brings the database's schema up to
//!   date (as `serve` does at start) and prints its version.
//! * `kep-ca operator add LOGIN [--role reviewer|officer] [--data DIR]` — adds an operator; the
//!   password comes from `KEP_CA_OPERATOR_PASSWORD` or the first line of standard input.
//! * `kep-ca operator disable | enable | reset-totp LOGIN` — disables an account (its sessions
//!   end) or enables it again; removes its authenticator (it enrolls anew at its next sign-in).
//!   Each is in the audit log with the administrator's user name.
//!
//! * `kep-ca trust import FILE` — imports the Ministry's list of accredited CAs (TSL XML); a
//!   list whose `Версия` is not newer than the one in use is recorded and ignored; every import
//!   is in the audit log with its hash. `kep-ca trust show` — the list in use and the latest
//!   imports.
//!
//! * `kep-ca ca init-root | init-issuing | sign-issuing | install-issuing | root-crl |
//!   install-root-crl …` — the key ceremony (`docs/key-ceremony.md`; flags in
//!   `kep_ca::ceremony::command::USAGE`).
//!
//! The CA key files' password comes from `KEP_CA_KEY_PASSWORD` (in `--dev`, a fixed dev
//! password when unset).

use kep_ca::config::ServeSettings;
use std::net::SocketAddr;
use std::path::PathBuf;

const USAGE: &str = "usage:\n  kep-ca serve --config FILE\n  kep-ca migrate (--config FILE | --dev [--data DIR])\n  kep-ca serve --dev [--data DIR] [--listen 127.0.0.1:8443] [--public-url http(s)://LISTEN] [--tls-cert PEM --tls-key PEM]\n  kep-ca operator add LOGIN [--role reviewer|officer] (--config FILE | --dev [--data DIR])\n  kep-ca operator (disable | enable | reset-totp) LOGIN (--config FILE | --dev [--data DIR])\n  kep-ca trust import FILE (--config FILE | --dev [--data DIR])\n  kep-ca trust show (--config FILE | --dev [--data DIR])\n  kep-ca ca STEP … (the key ceremony: kep-ca ca help)";

/// Why the command stopped (printed, then exit code 2).
#[derive(Debug, thiserror::Error)]
enum CliError {
    /// The command line is not understood.
    #[error("{0}")]
    Usage(String),
    /// A setting is missing or wrong.
    #[error("{0}")]
    Setting(String),
    /// The configuration file.
    #[error(transparent)]
    Config(#[from] kep_ca::config::ConfigError),
    /// TLS.
    #[error(transparent)]
    Tls(#[from] kep_ca::tls::TlsError),
    /// An address that does not parse.
    #[error("{value}: {source}")]
    Address {
        value: String,
        #[source]
        source: std::net::AddrParseError,
    },
    /// A number that does not parse.
    #[error("{name}: {source}")]
    Number {
        name: &'static str,
        #[source]
        source: std::num::ParseIntError,
    },
    /// Reading, listening or serving failed.
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// The service could not be built.
    #[error(transparent)]
    Service(#[from] kep_ca::ServiceError),
    /// The database, once open.
    #[error(transparent)]
    Store(kep_ca::store::StoreError),
    /// `kep-ca migrate`: the database could not be opened or brought up to date.
    #[error("{place}: {source}")]
    Migrate {
        /// The database (its file or its address, no password).
        place: String,
        #[source]
        source: kep_ca::store::StoreError,
    },
    /// The operator could not be added.
    #[error("adding the operator: {0}")]
    Operator(#[from] kep_ca::operators::OperatorError),
    /// Seeding the dev data failed.
    #[error(transparent)]
    Seed(#[from] kep_ca::dev_seed::SeedError),
    /// A step of the key ceremony stopped.
    #[error(transparent)]
    Ceremony(#[from] kep_ca::ceremony::CeremonyError),
}

fn usage() -> CliError {
    CliError::Usage(USAGE.into())
}

fn io(what: impl std::fmt::Display) -> impl FnOnce(std::io::Error) -> CliError {
    let what = what.to_string();
    move |source| CliError::Io { what, source }
}

#[tokio::main]
async fn main() {
    if let Err(message) = run().await {
        eprintln!("kep-ca: {message}");
        std::process::exit(2);
    }
}

struct Options {
    dev: bool,
    config: Option<PathBuf>,
    data: PathBuf,
    listen: String,
    public_url: Option<String>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    role: String,
    rest: Vec<String>,
}

fn options(args: impl Iterator<Item = String>) -> Result<Options, CliError> {
    let mut o = Options {
        dev: false,
        config: None,
        tls_cert: None,
        tls_key: None,
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
            "--config" => o.config = args.next().map(PathBuf::from).ok_or_else(usage)?.into(),
            "--tls-cert" => o.tls_cert = args.next().map(PathBuf::from).ok_or_else(usage)?.into(),
            "--tls-key" => o.tls_key = args.next().map(PathBuf::from).ok_or_else(usage)?.into(),
            "--data" => o.data = args.next().map(PathBuf::from).ok_or_else(usage)?,
            "--listen" => o.listen = args.next().ok_or_else(usage)?,
            "--public-url" => o.public_url = Some(args.next().ok_or_else(usage)?),
            "--role" => o.role = args.next().ok_or_else(usage)?,
            _ if arg.starts_with("--") => return Err(usage()),
            _ => o.rest.push(arg),
        }
    }
    if o.dev == o.config.is_some() {
        return Err(CliError::Usage(format!(
            "choose --config FILE or --dev\n{USAGE}"
        )));
    }
    Ok(o)
}

/// The service and how to serve it: from the configuration file, or the development defaults.
/// What the service is built from and how it is served: the configuration file, read once, or
/// the development defaults.
fn settings(o: &Options) -> Result<(kep_ca::ServiceConfig, ServeSettings), CliError> {
    if let Some(path) = &o.config {
        let mut settings = kep_ca::config::load(path)?;
        if let kep_ca::ca_keys::CaKeys::Files { .. } = settings.service.keys {
            eprintln!(
                "kep-ca: WARNING: the CA's keys are in password-encrypted files (secrets.ca_key_password): for tests and evaluation; a CA in service keeps them on an HSM ([hsm], docs/key-ceremony.md)"
            );
        }
        if !settings.service.sign_in.totp_required {
            eprintln!(
                "kep-ca: WARNING: operators sign in without a second factor (operators.totp_required = false)"
            );
        }
        arm_failpoint(&mut settings.service);
        return Ok((settings.service, settings.serve));
    }
    let listen: SocketAddr = o.listen.parse().map_err(|source| CliError::Address {
        value: o.listen.clone(),
        source,
    })?;
    let tls = match (&o.tls_cert, &o.tls_key) {
        (Some(certificate), Some(key)) => Some(kep_ca::tls::TlsFiles {
            certificate: certificate.clone(),
            key: key.clone(),
        }),
        (None, None) => None,
        _ => {
            return Err(CliError::Usage(format!(
                "--tls-cert and --tls-key go together\n{USAGE}"
            )));
        }
    };
    Ok((
        dev_config(o)?,
        ServeSettings {
            listen,
            tls,
            metrics: None,
            grace: std::time::Duration::from_secs(5),
            clients: kep_ca::config::ClientAddressPolicy::default(),
            log_format: kep_ca::config::LogFormat::Text,
        },
    ))
}

/// `KEP_CA_FAILPOINT=after_request_recorded`: the crash tests' failpoint (the process aborts
/// right after recording a certificate request, as if killed there). Said loudly on stderr and
/// in the log whenever it is armed.
fn arm_failpoint(config: &mut kep_ca::ServiceConfig) {
    if std::env::var("KEP_CA_FAILPOINT").as_deref() == Ok("after_request_recorded") {
        eprintln!(
            "kep-ca: WARNING: failpoint after_request_recorded is armed: the service aborts after recording a certificate request"
        );
        config.abort_after_recording_requests = true;
    }
}

fn dev_config(o: &Options) -> Result<kep_ca::ServiceConfig, CliError> {
    // Certificates name the OCSP responder and the CRL under this address: served over TLS,
    // it is https.
    let scheme = if o.tls_cert.is_some() {
        "https"
    } else {
        "http"
    };
    let public_url = o
        .public_url
        .clone()
        .unwrap_or_else(|| format!("{scheme}://{}", o.listen));
    let mut config = kep_ca::ServiceConfig::development(&o.data, public_url);
    config.create_if_missing = o.dev;
    let mut password = zeroize::Zeroizing::new(kep_ca::DEV_KEY_PASSWORD.to_owned());
    match std::env::var("KEP_CA_KEY_PASSWORD") {
        Ok(given) => password = zeroize::Zeroizing::new(given),
        Err(_) if o.dev => {}
        Err(_) => {
            return Err(CliError::Setting(
                "set KEP_CA_KEY_PASSWORD to open the CA key files".into(),
            ));
        }
    }
    let mut scrypt_log_n = kep_pki::encrypted_key::DEFAULT_SCRYPT_LOG_N;
    if let Ok(n) = std::env::var("KEP_CA_SCRYPT_LOG_N") {
        // Only for tests that create many throwaway hierarchies; service keys keep 2^17.
        if o.dev {
            scrypt_log_n = n.parse().map_err(|source| CliError::Number {
                name: "KEP_CA_SCRYPT_LOG_N",
                source,
            })?;
            eprintln!("kep-ca: WARNING: new key files use scrypt 2^{n} (tests only)");
        }
    }
    config.keys = kep_ca::ca_keys::CaKeys::Files {
        password,
        scrypt_log_n,
    };
    arm_failpoint(&mut config);
    Ok(config)
}

async fn run() -> Result<(), CliError> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("serve") => serve(options(args)?).await,
        Some("operator") => operator(options(args)?).await,
        Some("migrate") => migrate(&options(args)?).await,
        Some("trust") => trust(&options(args)?).await,
        Some("ca") => {
            // PKCS#11 calls block: off the runtime's threads.
            let args: Vec<String> = args.collect();
            let record = tokio::task::spawn_blocking(move || {
                kep_ca::ceremony::command::run(args.into_iter())
            })
            .await
            .map_err(|e| CliError::Setting(e.to_string()))??;
            print!("{record}");
            Ok(())
        }
        _ => Err(usage()),
    }
}

async fn operator(o: Options) -> Result<(), CliError> {
    let [action, login] = o.rest.as_slice() else {
        return Err(usage());
    };
    // Who did it, for the audit log: the administrator's account on this machine.
    let actor = format!(
        "cli:{}",
        std::env::var("SUDO_USER")
            .or_else(|_| std::env::var("USER"))
            .unwrap_or_else(|_| "unknown".into())
    );
    match action.as_str() {
        "add" => {}
        "disable" | "enable" | "reset-totp" => {
            let (config, _) = settings(&o)?;
            let state = kep_ca::service(config).await?;
            match action.as_str() {
                "reset-totp" => {
                    state.operators.reset_totp(login, &actor).await?;
                    println!(
                        "operator {login}: authenticator removed, sessions ended; the next sign-in enrolls a new one"
                    );
                }
                _ => {
                    let disabled = action == "disable";
                    state
                        .operators
                        .set_disabled(login, disabled, &actor)
                        .await?;
                    println!("operator {login} {action}d");
                }
            }
            return Ok(());
        }
        _ => return Err(usage()),
    }
    let password = match std::env::var("KEP_CA_OPERATOR_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(io("standard input"))?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let role = <kep_ca::operators::OperatorRole as kep_ca::store::Column>::from_name(&o.role)
        .ok_or_else(usage)?;
    let (config, _) = settings(&o)?;
    let state = kep_ca::service(config).await?;
    state.operators.add(login, &password, role).await?;
    println!(
        "operator {login} ({}) added",
        kep_ca::store::Column::name(&role)
    );
    Ok(())
}

/// `kep-ca trust import FILE` / `kep-ca trust show`.
async fn trust(o: &Options) -> Result<(), CliError> {
    use kep_ca::store::Store as _;
    use kep_ca::store::trust_store::TrustStore as _;
    let (config, _) = settings(o)?;
    if matches!(config.database, kep_ca::store::DatabaseConfig::Sqlite(_)) {
        kep_private_file::create_dir(&config.data).map_err(io(config.data.display()))?;
    }
    let store = kep_ca::store::Database::open(&config.database)
        .await
        .map_err(|source| CliError::Migrate {
            place: "the database".into(),
            source,
        })?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    match o.rest.as_slice() {
        [action, file] if action == "import" => {
            let actor = format!(
                "cli:{}",
                std::env::var("SUDO_USER")
                    .or_else(|_| std::env::var("USER"))
                    .unwrap_or_else(|_| "unknown".into())
            );
            let path = std::path::Path::new(file);
            let outcome = kep_ca::trust::import::import_file(
                &store,
                path,
                &path.display().to_string(),
                kep_ca::trust::tsl::DEFAULT_CAP,
                now,
            )
            .await;
            let (verb, subject) = kep_ca::trust::import::audit_words(&outcome);
            store
                .audit(&actor, verb, &subject, now)
                .await
                .map_err(CliError::Store)?;
            let report = outcome.map_err(|e| CliError::Setting(format!("{file}: {e}")))?;
            for why in &report.left_out {
                eprintln!("kep-ca: left out: {why}");
            }
            if report.current {
                println!(
                    "trust list version {} in use: {} CAs, {} certificates (sha256 {})",
                    report.version, report.cas, report.certificates, report.sha256
                );
            } else {
                println!(
                    "trust list version {} ignored: version {} is in use (sha256 {})",
                    report.version,
                    report.previous.unwrap_or_default(),
                    report.sha256
                );
            }
            Ok(())
        }
        [action] if action == "show" => {
            match store
                .current_trust_import()
                .await
                .map_err(CliError::Store)?
            {
                Some(c) => println!(
                    "in use: version {} of {} ({} CAs, {} certificates), from {}",
                    c.version, c.list_date, c.cas, c.certificates, c.source
                ),
                None => println!("no trust list imported"),
            }
            for i in store.trust_imports(10).await.map_err(CliError::Store)? {
                println!(
                    "import {}: version {} {} at {} from {} sha256 {}{}",
                    i.id,
                    i.version,
                    i.state,
                    i.started_at,
                    i.source,
                    i.sha256,
                    i.outcome.map(|o| format!(" — {o}")).unwrap_or_default()
                );
            }
            Ok(())
        }
        _ => Err(usage()),
    }
}

/// Brings the database's schema up to date (what `serve` also does at start) and says where it
/// stands: for an administrator who upgrades before starting the new version.
async fn migrate(o: &Options) -> Result<(), CliError> {
    if !o.rest.is_empty() {
        return Err(usage());
    }
    let (config, _) = settings(o)?;
    let place = match &config.database {
        kep_ca::store::DatabaseConfig::Sqlite(path) => {
            kep_private_file::create_dir(&config.data).map_err(io(config.data.display()))?;
            path.display().to_string()
        }
        kep_ca::store::DatabaseConfig::Postgres(pg) => pg.url.clone(),
    };
    let failed = |source| CliError::Migrate {
        place: place.clone(),
        source,
    };
    let store = kep_ca::store::Database::open(&config.database)
        .await
        .map_err(failed)?;
    let version = store.schema_version().await.map_err(failed)?;
    println!(
        "{place}: schema at version {version} of {}",
        store.migrations_known()
    );
    Ok(())
}

fn init_logs(format: kep_ca::config::LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KEP_CA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let _ = match format {
        kep_ca::config::LogFormat::Json => builder.json().flatten_event(true).try_init(),
        kep_ca::config::LogFormat::Text => builder.try_init(),
    };
}

/// SIGTERM or Ctrl-C.
async fn stop_requested() {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(term) => term,
        Err(_) => return std::future::pending().await,
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

/// On every SIGHUP: reloads the TLS certificate, and the root's CRL (`kep-ca ca
/// install-root-crl` put a newer one in place). A failure keeps the old one.
fn reload_on_sighup(tls: Option<kep_ca::tls::ReloadableConfig>, state: kep_ca::api::AppState) {
    tokio::spawn(async move {
        let Ok(mut hup) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
        else {
            return;
        };
        while hup.recv().await.is_some() {
            match tls.as_ref().map(kep_ca::tls::ReloadableConfig::reload) {
                Some(Ok(())) => tracing::info!("TLS certificate reloaded"),
                Some(Err(e)) => {
                    tracing::error!(error = %e, "TLS certificate not reloaded; the old one stays")
                }
                None => {}
            }
            match state.applications.authority().reload_root_crl() {
                Ok(number) => tracing::info!(number, "root CRL reloaded"),
                Err(e) => {
                    tracing::error!(error = %e, "root CRL not reloaded; the old one stays")
                }
            }
        }
    });
}

async fn serve(o: Options) -> Result<(), CliError> {
    kep_ca::tls::install_ring_provider();
    let dev = o.dev;
    let (config, serve) = settings(&o)?;
    let config_data = config.data.clone();
    init_logs(serve.log_format);
    let state = kep_ca::service(config).await?;
    // The first sweep before listening: a half-done issuance is finished before anyone asks.
    let holder = kep_ca::background::served_instance_name(serve.listen);
    let lease = state.background_lease;
    if let Some(resumed @ 1..) = kep_ca::background::sweep(&state, &holder, lease).await {
        println!("  finished {resumed} interrupted issuance(s)");
    }
    // Bound before anything says "listening".
    let listener = tokio::net::TcpListener::bind(serve.listen)
        .await
        .map_err(io(serve.listen))?;
    if dev {
        dev_banner(&o, &state, &serve).await?;
    }
    if let Some(addr) = serve.metrics {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(io(format!("metrics.listen {addr}")))?;
        tracing::info!(%addr, "metrics at /metrics");
        tokio::spawn(async move {
            let _ = axum::serve(listener, kep_ca::metrics::router()).await;
        });
    }
    // Notifications leave in the background, retried from the outbox; interrupted issuances
    // are finished by whichever instance holds the lease.
    tokio::spawn(state.outbox.clone().run());
    if let Some(download) = state.trust_download.clone() {
        tokio::spawn(kep_ca::trust::download::run(
            state.clone(),
            download,
            config_data.clone(),
            holder.clone(),
        ));
    }
    tokio::spawn(kep_ca::background::run(state.clone(), holder, lease));
    let tls = serve
        .tls
        .clone()
        .map(kep_ca::tls::ReloadableConfig::load)
        .transpose()?;
    reload_on_sighup(tls.clone(), state.clone());
    let app = kep_ca::api::make_service(state);
    let grace = serve.grace;
    // On SIGTERM: stop accepting, let in-flight requests finish within the grace period.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        stop_requested().await;
        tracing::info!(
            grace_s = grace.as_secs(),
            "stopping: finishing in-flight requests"
        );
        let _ = stop_tx.send(true);
    });
    let stopped = {
        let mut rx = stop_rx.clone();
        async move {
            let _ = rx.wait_for(|s| *s).await;
        }
    };
    let deadline = {
        let mut rx = stop_rx;
        async move {
            let _ = rx.wait_for(|s| *s).await;
            tokio::time::sleep(grace).await;
        }
    };
    let scheme = if serve.tls.is_some() { "https" } else { "http" };
    if !dev {
        // (The dev banner has said it already.)
        println!("kep-ca listening on {scheme}://{}", serve.listen);
    }
    tracing::info!(listen = %serve.listen, scheme, "listening");
    let served = match tls {
        Some(config) => {
            let listener = kep_ca::tls::TlsListener::new(listener, config)?;
            tokio::select! {
                r = axum::serve(listener, app).with_graceful_shutdown(stopped) => r,
                () = deadline => Ok(()),
            }
        }
        None => tokio::select! {
            r = axum::serve(listener, app).with_graceful_shutdown(stopped) => r,
            () = deadline => Ok(()),
        },
    };
    served.map_err(io("serving"))?;
    tracing::info!("stopped");
    Ok(())
}

async fn dev_banner(
    o: &Options,
    state: &kep_ca::api::AppState,
    serve: &ServeSettings,
) -> Result<(), CliError> {
    let key_dir = o.data.join("dev-applicant");
    let log_n = std::env::var("KEP_CA_SCRYPT_LOG_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(kep_pki::encrypted_key::DEFAULT_SCRYPT_LOG_N);
    let seeded = kep_ca::dev_seed::seed(state, &key_dir, log_n).await?;
    let demo_totp = std::env::var("KEP_CA_DEMO_TOTP").as_deref() == Ok("1");
    if demo_totp {
        kep_ca::dev_seed::enroll_demo_authenticators(state).await?;
    }
    let scheme = if serve.tls.is_some() { "https" } else { "http" };
    println!("kep-ca (dev) listening on {scheme}://{}", serve.listen);
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
    println!("  operator console: {scheme}://{}/operator/", serve.listen);
    if demo_totp {
        println!(
            "    authenticator secrets (TOTP; an app, or `oathtool --totp -b SECRET`): {} {}, {} {}",
            kep_ca::dev_seed::DEV_OPERATOR_LOGIN,
            kep_ca::dev_seed::DEV_OPERATOR_TOTP,
            kep_ca::dev_seed::DEV_OFFICER_LOGIN,
            kep_ca::dev_seed::DEV_OFFICER_TOTP
        );
    }
    println!(
        "  operator API: POST /api/v1/operator/login; notifications: GET /dev/outbox; API: /api/v1/openapi.json"
    );
    println!("  CA: /ca/root.crt, /ca/issuing.crt, /crl/issuing.crl; health: /healthz, /readyz");
    Ok(())
}
