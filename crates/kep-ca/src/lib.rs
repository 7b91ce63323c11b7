//! The CA service of KEP Renew: the certification authority's side of all six stages of the
//! seed's procedure, as a library (tested over real HTTP and HTTPS on real SQLite and PostgreSQL databases)
//! and the `kep-ca` binary (`serve --config` for a CA, `serve --dev` for the demo and the tests).
//!
//! Flash-call login with sessions ([`login`]), operators ([`operators`]), and the applications
//! by concern ([`applications`]: the applicant's desk, the review, the statement and its two
//! signing paths, issuance from the CA hierarchy, revocation and the CRL), each with its own
//! error enum turned into `{kind, message}` only at the HTTP edge ([`api`]). Storage is SQLite
//! (one instance) or PostgreSQL (several instances on one database, [`background`] work under
//! a lease) behind the [`store::Store`] trait; providers (telephony, registry, notifications) sit behind
//! their traits in [`providers`].
#![forbid(unsafe_code)]

pub mod api;
pub mod applications;
pub mod authority;
pub mod background;
pub mod ca_keys;
pub mod ceremony;
pub mod clock;
pub mod config;
pub mod console;
pub mod dev_seed;
pub mod documents;
pub mod idempotency;
pub mod login;
pub mod messages_ru;
pub mod metrics;
pub mod notifier;
pub mod operators;
pub mod outbox;
mod pem;
pub mod policy;
pub mod providers;
pub mod registry;
pub mod secret_seal;
mod serial;
mod service_error;
pub mod statement_pdf;
pub mod store;
pub mod telephony;
pub mod tls;
pub mod totp;
pub mod trust;

pub use service_error::ServiceError;
use std::path::PathBuf;
use std::sync::Arc;
use zeroize::Zeroizing;

impl<C: clock::Clock + ?Sized> clock::Clock for Arc<C> {
    fn now(&self) -> std::time::SystemTime {
        (**self).now()
    }
}

/// The password of the development CA's key files when `KEP_CA_KEY_PASSWORD` is not set.
pub const DEV_KEY_PASSWORD: &str = "kep-renew-dev-ca-key";

/// `--dev`: what operators' TOTP secrets are sealed under (a service has `login_code_key`).
const DEV_SEAL_KEY: &[u8] = b"kep-renew development: not a secret";

/// The development providers behind the `/dev/*` routes (`--dev` only).
#[derive(Debug, Clone)]
pub struct DevRoutes {
    /// The dev telephony: the last calling number.
    pub calls: Arc<telephony::DevTelephony>,
    /// The dev outbox: every notification.
    pub outbox: Arc<notifier::DevOutbox>,
}

/// Everything the service is built from.
pub struct ServiceConfig {
    /// The data folder: `ca/` with the hierarchy and policy (and the SQLite file by default).
    pub data: PathBuf,
    /// The database.
    pub database: store::DatabaseConfig,
    /// How long this instance holds the lease on background work before another may take it.
    pub background_lease: std::time::Duration,
    /// The clock.
    pub clock: Arc<dyn clock::Clock>,
    /// The flash-call provider.
    pub telephony: Arc<dyn telephony::Telephony>,
    /// The registry of СНИЛС/ИНН.
    pub registry: Arc<dyn registry::Registry>,
    /// Notifications to applicants by SMS.
    pub notifier: Arc<dyn notifier::Notifier>,
    /// Notifications to applicants by e-mail (None: no e-mail channel).
    pub email: Option<Arc<dyn notifier::Notifier>>,
    /// `--dev` only: what `/dev/calls/last` and `/dev/outbox` show. None: no `/dev/*` route.
    pub dev_routes: Option<DevRoutes>,
    /// The login codes' HMAC key (from the configuration's secret; None: random per process).
    /// Operators' TOTP secrets are sealed under a key derived from it.
    pub login_code_key: Option<Zeroizing<Vec<u8>>>,
    /// How operators sign in (TOTP required, lock-out).
    pub sign_in: operators::SignInPolicy,
    /// Where the client of a request is (behind trusted proxies: from X-Forwarded-For).
    pub clients: config::ClientAddressPolicy,
    /// The address clients reach the service at (certificates name their CRL under it).
    pub public_url: String,
    /// Where relying parties ask for certificate status, if not `<public_url>/ocsp` (a
    /// proxy or CDN in front of this service's `/ocsp`).
    pub ocsp_url: Option<String>,
    /// Where the CA's keys are (files for development, an HSM in service).
    pub keys: ca_keys::CaKeys,
    /// Create the hierarchy and the policy file when missing (dev mode).
    pub create_if_missing: bool,
    /// The policy to write when the policy file is missing (with `create_if_missing`).
    pub default_policy: policy::IssuancePolicy,
    /// Dev-only failpoint: abort right after a certificate request is recorded.
    pub abort_after_recording_requests: bool,
    /// The scheduled download of the list of accredited CAs (`[trust_list]`), if configured.
    pub trust_download: Option<trust::download::TrustDownloadConfig>,
    /// Where the CA may send requests for a certificate an applicant supplied (`[fetch]`):
    /// public addresses only unless this says otherwise.
    pub fetch: trust::fetch_policy::FetchPolicy,
}

impl std::fmt::Debug for ServiceConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceConfig")
            .field("data", &self.data)
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

impl ServiceConfig {
    /// The development service on `data`, reached at `public_url`: dev telephony, registry and
    /// outbox, the system clock, a hierarchy and policy made on first start.
    pub fn development(data: impl Into<PathBuf>, public_url: impl Into<String>) -> Self {
        let calls = Arc::new(telephony::DevTelephony::new());
        let outbox = Arc::new(notifier::DevOutbox::default());
        let data = data.into();
        Self {
            database: store::DatabaseConfig::Sqlite(data.join("kep-ca.sqlite")),
            background_lease: background::DEFAULT_LEASE,
            data,
            clock: Arc::new(clock::SystemClock),
            telephony: calls.clone(),
            registry: Arc::new(registry::DevRegistry::default()),
            notifier: outbox.clone(),
            email: None,
            dev_routes: Some(DevRoutes { calls, outbox }),
            login_code_key: None,
            sign_in: operators::SignInPolicy::DEVELOPMENT,
            clients: config::ClientAddressPolicy::default(),
            public_url: public_url.into(),
            ocsp_url: None,
            keys: ca_keys::CaKeys::dev_files(kep_pki::encrypted_key::DEFAULT_SCRYPT_LOG_N),
            create_if_missing: true,
            default_policy: policy::IssuancePolicy::development(),
            abort_after_recording_requests: false,
            trust_download: None,
            fetch: trust::fetch_policy::FetchPolicy::default(),
        }
    }
}

/// Builds the service: opens the database (bringing its schema up to date) and the CA.
pub async fn service(config: ServiceConfig) -> Result<api::AppState, ServiceError> {
    let data = &config.data;
    kep_private_file::create_dir(data).map_err(|source| ServiceError::DataFolder {
        path: data.clone(),
        source,
    })?;
    let store = store::Database::open(&config.database)
        .await
        .map_err(|source| ServiceError::Database {
            database: database_named(&config.database),
            source,
        })?;
    documents::import_folder(
        &store,
        &data.join("documents"),
        clock::Clock::unix(&config.clock),
    )
    .await?;
    let (authority, _) = authority::Authority::open_or_create(
        &authority::AuthorityConfig {
            dir: data.join("ca"),
            keys: config.keys.clone(),
            public_url: config.public_url.clone(),
            ocsp_url: config.ocsp_url.clone(),
            create_if_missing: config.create_if_missing,
        },
        config.clock.now(),
    )?;
    let policy = policy::IssuancePolicy::load(
        &data.join("ca").join("policy.json"),
        config.create_if_missing.then_some(&config.default_policy),
    )
    .map_err(ServiceError::Policy)?;
    let outbox = Arc::new(outbox::Outbox::new(
        store.clone(),
        config.clock.clone(),
        config.notifier,
        config.email,
    ));
    if config.fetch != trust::fetch_policy::FetchPolicy::default() {
        tracing::warn!(
            allow_loopback = config.fetch.allow_loopback,
            allow_private = config.fetch.allow_private,
            "RISKY: addresses named in applicants' certificates may reach this machine or private \
             networks ([fetch]); a forged certificate can make the CA send requests there"
        );
    }
    let trust = Arc::new(trust::trusted_cas::TrustedCas::new(store.clone()));
    let other_cas = Arc::new(
        trust::other_ca_signer::OtherCaSigners::new(trust.clone(), config.fetch)
            .map_err(ServiceError::FetchClient)?,
    );
    let applications = applications::Applications::new(applications::Parts {
        other_cas,
        store: store.clone(),
        clock: config.clock.clone(),
        registry: config.registry,
        outbox: outbox.clone(),
        authority: Arc::new(authority),
        policy,
        abort_after_recording_requests: config.abort_after_recording_requests,
    });
    // Without a configured key (--dev) TOTP secrets are sealed under a fixed, public one: the
    // development CA's operators are no secret either.
    let seal = secret_seal::SecretSeal::derive(
        config
            .login_code_key
            .as_deref()
            .map_or(DEV_SEAL_KEY, Vec::as_slice),
    )
    .map_err(ServiceError::Seal)?;
    let operators =
        operators::Operators::new(store.clone(), config.clock.clone(), seal, config.sign_in);
    let idempotency = idempotency::Idempotency::new(store.clone(), config.clock.clone());
    let trust_download = config
        .trust_download
        .map(trust::download::TrustDownload::new)
        .transpose()
        .map_err(ServiceError::TrustDownload)?;
    let login = login::Login::with_code_key(
        store,
        config.clock,
        config.telephony,
        config.login_code_key.as_deref().map(Vec::as_slice),
    )?;
    Ok(api::AppState {
        login: Arc::new(login),
        applications: Arc::new(applications),
        operators: Arc::new(operators),
        idempotency: Arc::new(idempotency),
        outbox,
        background_lease: config.background_lease,
        clients: config.clients,
        trust,
        trust_download,
        dev_calls: config.dev_routes.as_ref().map(|d| d.calls.clone()),
        dev_outbox: config.dev_routes.map(|d| d.outbox),
    })
}

/// The database as an administrator knows it (the PostgreSQL address holds no password).
fn database_named(config: &store::DatabaseConfig) -> String {
    match config {
        store::DatabaseConfig::Sqlite(path) => format!("SQLite database {}", path.display()),
        store::DatabaseConfig::Postgres(pg) => format!("PostgreSQL database {}", pg.url),
    }
}
