//! `kep-ca serve --config FILE`: the service's TOML configuration (every setting is described in
//! `docs/kep-ca.md`; `docs/kep-ca.example.toml` is a complete example). Secrets never stand in
//! the file: it names a file or an environment variable for each. A wrong or missing setting
//! stops the start with a message that names it. Providers are chosen by name; a production
//! configuration may name only the `webhook` ones (the `dev` providers exist for `--dev`).

use crate::providers::webhook::{Webhook, WebhookNotifier, WebhookRegistry, WebhookTelephony};
use crate::tls::TlsFiles;
use serde::Deserialize;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use zeroize::Zeroizing;

/// Why the configuration cannot be used; the message names the setting.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

fn bad(setting: &str, why: impl std::fmt::Display) -> ConfigError {
    ConfigError(format!("{setting}: {why}"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    service: ServiceSection,
    tls: Option<TlsSection>,
    metrics: Option<MetricsSection>,
    secrets: SecretsSection,
    telephony: ProviderSection,
    registry: ProviderSection,
    notifications: ProviderSection,
    email: Option<EmailSection>,
    database: Option<DatabaseSection>,
    hsm: Option<HsmSection>,
    operators: Option<OperatorsSection>,
    trust_list: Option<TrustListSection>,
    fetch: Option<FetchSection>,
}

/// Where the CA may fetch from for a certificate an applicant supplied (AIA, OCSP, CRLs of
/// other CAs): public addresses only, unless an administrator says otherwise, loudly.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FetchSection {
    /// This machine (a relay on the same host).
    #[serde(default)]
    allow_loopback: bool,
    /// Private and other non-public ranges (other CAs' services inside a private network).
    #[serde(default)]
    allow_private: bool,
}

/// The scheduled download of the Ministry's list of accredited CAs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrustListSection {
    /// Where it is published (https).
    url: String,
    /// The only roots that download trusts (PEM files).
    roots: Vec<PathBuf>,
    #[serde(default = "default_trust_every_hours")]
    every_hours: u64,
    #[serde(default = "default_trust_deadline_s")]
    deadline_s: u64,
    #[serde(default = "default_trust_max_mib")]
    max_mib: u64,
}

fn default_trust_every_hours() -> u64 {
    24
}

fn default_trust_deadline_s() -> u64 {
    600
}

fn default_trust_max_mib() -> u64 {
    200
}

fn trust_download(
    t: &TrustListSection,
) -> Result<crate::trust::download::TrustDownloadConfig, ConfigError> {
    if !t.url.starts_with("https://") {
        return Err(bad("trust_list.url", "must be an https address"));
    }
    if t.roots.is_empty() {
        return Err(bad(
            "trust_list.roots",
            "name the roots this download trusts (PEM files): the system's are not used",
        ));
    }
    if !(1..=168).contains(&t.every_hours) {
        return Err(bad("trust_list.every_hours", "from 1 to 168"));
    }
    if !(10..=3600).contains(&t.deadline_s) {
        return Err(bad("trust_list.deadline_s", "from 10 to 3600 seconds"));
    }
    if !(1..=200).contains(&t.max_mib) {
        return Err(bad("trust_list.max_mib", "from 1 to 200"));
    }
    let mut roots_pem = Vec::new();
    for path in &t.roots {
        roots_pem.push(
            std::fs::read(path)
                .map_err(|e| bad("trust_list.roots", format!("{}: {e}", path.display())))?,
        );
    }
    Ok(crate::trust::download::TrustDownloadConfig {
        url: t.url.clone(),
        roots_pem,
        every: Duration::from_secs(t.every_hours * 3600),
        deadline: Duration::from_secs(t.deadline_s),
        cap: t.max_mib * 1024 * 1024,
    })
}

/// How operators sign in.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OperatorsSection {
    /// TOTP for every operator (default true; false only with a WARNING).
    #[serde(default = "default_true")]
    totp_required: bool,
}

fn default_true() -> bool {
    true
}

/// The CA's keys on a PKCS#11 token (made there by the key ceremony).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HsmSection {
    module: PathBuf,
    token_label: String,
    pin: SecretRef,
    issuing_key_id: String,
    ocsp_key_id: String,
    #[serde(default = "default_hsm_sessions")]
    sessions: usize,
}

fn default_hsm_sessions() -> usize {
    4
}

/// The database (optional: SQLite in the data folder by default).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DatabaseSection {
    engine: Engine,
    /// PostgreSQL: the connection string, without the password.
    url: Option<String>,
    password: Option<SecretRef>,
    #[serde(default = "default_pool_size")]
    pool_size: usize,
    #[serde(default = "default_database_timeout")]
    connect_timeout_s: u64,
    /// `verify-full` or `disable`; by default TLS for a host that is not this machine.
    tls: Option<DatabaseTls>,
    /// A root certificate (PEM) for the server's, besides the system's.
    ca_file: Option<PathBuf>,
    /// Connections in clear to a host that is not this machine: only when said.
    #[serde(default)]
    insecure_plaintext: bool,
    /// How long an instance holds the lease on background work.
    #[serde(default = "default_lease")]
    background_lease_s: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum DatabaseTls {
    VerifyFull,
    Disable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Engine {
    Sqlite,
    Postgres,
}

fn default_pool_size() -> usize {
    16
}

fn default_database_timeout() -> u64 {
    5
}

fn default_lease() -> u64 {
    crate::background::DEFAULT_LEASE.as_secs()
}

/// The database section checked: a PostgreSQL address with no password in it, reached over
/// this machine or (said out loud) in clear.
fn database(
    section: &DatabaseSection,
) -> Result<Option<crate::store::postgres::PostgresConfig>, ConfigError> {
    if !(3..=600).contains(&section.background_lease_s) {
        return Err(bad("database.background_lease_s", "between 3 and 600"));
    }
    if section.engine == Engine::Sqlite {
        if section.url.is_some() || section.password.is_some() {
            return Err(bad("database.url", "only for engine = \"postgres\""));
        }
        return Ok(None);
    }
    let url = section.url.as_deref().ok_or_else(|| {
        bad(
            "database.url",
            "engine = \"postgres\" needs the connection string",
        )
    })?;
    let parsed: tokio_postgres::Config = url.parse().map_err(|e| bad("database.url", e))?;
    if parsed.get_password().is_some() {
        return Err(bad(
            "database.url",
            "a password never stands in the configuration: write database.password = { file = \"…\" }",
        ));
    }
    let local = parsed.get_hosts().iter().all(|host| match host {
        tokio_postgres::config::Host::Unix(_) => true,
        tokio_postgres::config::Host::Tcp(name) => crate::providers::is_loopback(name),
    });
    let verify = match section.tls {
        Some(DatabaseTls::VerifyFull) => true,
        Some(DatabaseTls::Disable) => false,
        None => !local,
    };
    let tls = if verify {
        let extra_root = section
            .ca_file
            .as_ref()
            .map(|path| {
                std::fs::read(path)
                    .map_err(|e| bad("database.ca_file", format!("{}: {e}", path.display())))
            })
            .transpose()?;
        crate::store::postgres::PostgresTls::VerifyFull { extra_root }
    } else {
        if section.ca_file.is_some() {
            return Err(bad("database.ca_file", "only with tls = \"verify-full\""));
        }
        if !local && !section.insecure_plaintext {
            return Err(bad(
                "database.tls",
                "\"disable\" sends the CA's data in clear across the network: only for this machine (a loopback address or a socket), or say database.insecure_plaintext = true",
            ));
        }
        if !local {
            tracing::warn!(
                "database.insecure_plaintext: the connection to PostgreSQL is not encrypted"
            );
        }
        crate::store::postgres::PostgresTls::Disabled
    };
    if !(1..=1000).contains(&section.pool_size) {
        return Err(bad("database.pool_size", "between 1 and 1000"));
    }
    if !(1..=60).contains(&section.connect_timeout_s) {
        return Err(bad("database.connect_timeout_s", "between 1 and 60"));
    }
    Ok(Some(crate::store::postgres::PostgresConfig {
        url: url.to_owned(),
        password: section
            .password
            .as_ref()
            .map(|p| secret("database.password", p))
            .transpose()?,
        pool_size: section.pool_size,
        connect_timeout: Duration::from_secs(section.connect_timeout_s),
        tls,
    }))
}

/// The e-mail channel (optional: without it applicants are told by SMS only).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EmailSection {
    host: String,
    #[serde(default = "default_submission_port")]
    port: u16,
    security: crate::providers::smtp::SmtpSecurity,
    user: Option<String>,
    password: Option<SecretRef>,
    from: String,
    #[serde(default = "default_provider_timeout")]
    timeout_s: u64,
    extra_root: Option<PathBuf>,
}

fn default_submission_port() -> u16 {
    587
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceSection {
    data: PathBuf,
    listen: String,
    public_url: String,
    /// Where relying parties reach the OCSP responder, if not `<public_url>/ocsp`.
    ocsp_url: Option<String>,
    #[serde(default = "default_grace")]
    grace_period_s: u64,
    #[serde(default)]
    behind_proxy: bool,
    #[serde(default)]
    trusted_proxies: Vec<String>,
    #[serde(default)]
    log_format: LogFormat,
}

fn default_grace() -> u64 {
    20
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TlsSection {
    certificate: PathBuf,
    key: PathBuf,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetricsSection {
    listen: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretsSection {
    /// Only for CA keys in files (no `[hsm]`).
    ca_key_password: Option<SecretRef>,
    login_code_key: SecretRef,
}

/// Where a secret is: `{ file = "…" }` or `{ env = "…" }`. A bare string is refused (a secret
/// in clear in the configuration).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SecretRef {
    File {
        file: PathBuf,
    },
    Env {
        env: String,
    },
    Clear(
        // Only recognised, never used: it is refused.
        #[allow(dead_code)] String,
    ),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderSection {
    provider: String,
    url: Option<String>,
    token: Option<SecretRef>,
    #[serde(default = "default_provider_timeout")]
    timeout_s: u64,
    #[serde(default = "default_connect_timeout")]
    connect_timeout_s: u64,
    /// Plusofon's `Client` header (default: the documented 10553).
    client_id: Option<String>,
}

fn default_provider_timeout() -> u64 {
    10
}

fn default_connect_timeout() -> u64 {
    3
}

/// How the service logs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// One JSON object per line (for the CA's log collector).
    #[default]
    Json,
    /// Plain text (a terminal).
    Text,
}

/// Where the client of a request is, for the rate limits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientAddressPolicy {
    /// Proxies whose `X-Forwarded-For` is believed (empty: the peer is the client).
    pub trusted_proxies: Vec<IpAddr>,
}

impl ClientAddressPolicy {
    /// The client behind `peer`: the peer itself, unless it is a trusted proxy — then the
    /// last address in `X-Forwarded-For` that is not a trusted proxy.
    pub fn client(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        if !self.trusted_proxies.contains(&peer) {
            return peer;
        }
        forwarded_for
            .into_iter()
            .flat_map(|v| v.rsplit(','))
            .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
            .find(|ip| !self.trusted_proxies.contains(ip))
            .unwrap_or(peer)
    }
}

/// How the service is served (besides what it is built from).
#[derive(Debug, Clone)]
pub struct ServeSettings {
    /// The API's address.
    pub listen: SocketAddr,
    /// TLS, unless plain HTTP is allowed (loopback, or behind a proxy).
    pub tls: Option<TlsFiles>,
    /// The Prometheus listener, if any.
    pub metrics: Option<SocketAddr>,
    /// How long in-flight requests may finish after SIGTERM.
    pub grace: Duration,
    /// Where clients are.
    pub clients: ClientAddressPolicy,
    /// How to log.
    pub log_format: LogFormat,
}

/// A configuration read and checked: the service and how to serve it.
pub struct Settings {
    /// What the service is built from.
    pub service: crate::ServiceConfig,
    /// How it is served.
    pub serve: ServeSettings,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("service", &self.service)
            .field("serve", &self.serve)
            .finish()
    }
}

fn secret(setting: &str, reference: &SecretRef) -> Result<Zeroizing<String>, ConfigError> {
    let value = match reference {
        SecretRef::File { file } => Zeroizing::new(
            std::fs::read_to_string(file)
                .map_err(|e| bad(setting, format!("{}: {e}", file.display())))?,
        ),
        SecretRef::Env { env } => Zeroizing::new(
            std::env::var(env)
                .map_err(|e| bad(setting, format!("the environment variable {env}: {e}")))?,
        ),
        SecretRef::Clear(_) => {
            return Err(bad(
                setting,
                "a secret never stands in the configuration: write { file = \"…\" } or { env = \"…\" }",
            ));
        }
    };
    let trimmed = Zeroizing::new(value.trim_end_matches(['\r', '\n']).to_owned());
    if trimmed.is_empty() {
        return Err(bad(setting, "the secret is empty"));
    }
    Ok(trimmed)
}

fn email_channel(e: &EmailSection) -> Result<Arc<dyn crate::notifier::Notifier>, ConfigError> {
    use crate::providers::smtp::{SmtpNotifier, SmtpSettings};
    let credentials = match (&e.user, &e.password) {
        (Some(user), Some(password)) => Some((user.clone(), secret("email.password", password)?)),
        (None, None) => None,
        _ => {
            return Err(bad(
                "email.user",
                "AUTH needs both email.user and email.password",
            ));
        }
    };
    if !(1..=60).contains(&e.timeout_s) {
        return Err(bad("email.timeout_s", "from 1 to 60 seconds"));
    }
    let extra_root_pem = e
        .extra_root
        .as_ref()
        .map(|path| {
            std::fs::read(path)
                .map_err(|err| bad("email.extra_root", format!("{}: {err}", path.display())))
        })
        .transpose()?;
    let mailer = SmtpNotifier::new(SmtpSettings {
        host: e.host.clone(),
        port: e.port,
        security: e.security,
        credentials,
        from: e.from.clone(),
        timeout: Duration::from_secs(e.timeout_s),
        extra_root_pem,
    })
    .map_err(|err| bad("email", err))?;
    Ok(Arc::new(mailer))
}

fn address(setting: &str, value: &str) -> Result<SocketAddr, ConfigError> {
    value
        .parse()
        .map_err(|e| bad(setting, format!("«{value}» is not an address:port ({e})")))
}

fn webhook(section: &str, p: &ProviderSection) -> Result<Webhook, ConfigError> {
    match p.provider.as_str() {
        "webhook" => endpoint(section, p, None),
        "dev" => Err(bad(
            &format!("{section}.provider"),
            "`dev` is only for `kep-ca serve --dev`",
        )),
        other => Err(bad(
            &format!("{section}.provider"),
            format!("unknown provider «{other}» (known: webhook)"),
        )),
    }
}

/// The flash-call provider the configuration names.
fn telephony(p: &ProviderSection) -> Result<Arc<dyn crate::telephony::Telephony>, ConfigError> {
    use crate::providers::plusofon::{DEFAULT_CLIENT_ID, PlusofonTelephony, SEND_URL};
    match p.provider.as_str() {
        "plusofon" => {
            if p.token.is_none() {
                return Err(bad(
                    "telephony.token",
                    "Plusofon needs the Flash Call account's access_token",
                ));
            }
            let client_id = p.client_id.as_deref().unwrap_or(DEFAULT_CLIENT_ID);
            let plusofon =
                PlusofonTelephony::new(endpoint("telephony", p, Some(SEND_URL))?, client_id)
                    .map_err(|e| bad("telephony.client_id", e))?;
            Ok(Arc::new(plusofon))
        }
        "webhook" | "dev" => Ok(Arc::new(WebhookTelephony(webhook("telephony", p)?))),
        other => Err(bad(
            "telephony.provider",
            format!("unknown provider «{other}» (known: plusofon, webhook)"),
        )),
    }
}

/// The endpoint of a provider: its `url` (or `default_url`), token and timeouts checked.
fn endpoint(
    section: &str,
    p: &ProviderSection,
    default_url: Option<&str>,
) -> Result<Webhook, ConfigError> {
    if p.client_id.is_some() && p.provider != "plusofon" {
        return Err(bad(
            &format!("{section}.client_id"),
            "only for provider = \"plusofon\"",
        ));
    }
    let url = p
        .url
        .as_deref()
        .or(default_url)
        .ok_or_else(|| bad(&format!("{section}.url"), "missing"))?;
    let url = reqwest::Url::parse(url).map_err(|e| bad(&format!("{section}.url"), e))?;
    let token = p
        .token
        .as_ref()
        .map(|t| secret(&format!("{section}.token"), t))
        .transpose()?;
    if p.timeout_s == 0 || p.timeout_s > 120 {
        return Err(bad(&format!("{section}.timeout_s"), "from 1 to 120"));
    }
    if p.connect_timeout_s == 0 || p.connect_timeout_s > p.timeout_s {
        return Err(bad(
            &format!("{section}.connect_timeout_s"),
            "from 1 to timeout_s",
        ));
    }
    let timeouts = crate::providers::webhook::WebhookTimeouts {
        connect: Duration::from_secs(p.connect_timeout_s),
        answer: Duration::from_secs(p.timeout_s),
    };
    Webhook::new(url, token, timeouts).map_err(|e| bad(&format!("{section}.url"), e))
}

/// Where the CA's keys are: `[hsm]`, or key files opened with `secrets.ca_key_password`.
fn ca_keys(
    hsm: Option<&HsmSection>,
    password: Option<&SecretRef>,
) -> Result<crate::ca_keys::CaKeys, ConfigError> {
    use crate::ca_keys::{CaKeys, HsmKeys, parse_key_id};
    let Some(hsm) = hsm else {
        let password = password.ok_or_else(|| {
            bad(
                "hsm",
                "say where the CA's keys are: [hsm] (a CA in service) or secrets.ca_key_password (key files, for tests)",
            )
        })?;
        return Ok(CaKeys::files(secret("secrets.ca_key_password", password)?));
    };
    if password.is_some() {
        return Err(bad(
            "secrets.ca_key_password",
            "the CA's keys are on the HSM ([hsm]): remove the key file password",
        ));
    }
    if !hsm.module.is_file() {
        return Err(bad(
            "hsm.module",
            format!(
                "{} is not a file (the PKCS#11 library)",
                hsm.module.display()
            ),
        ));
    }
    if hsm.token_label.trim().is_empty() || hsm.token_label.len() > 32 {
        return Err(bad(
            "hsm.token_label",
            "the token's label, 1 to 32 characters",
        ));
    }
    let key_id = |setting: &str, text: &str| {
        parse_key_id(text).ok_or_else(|| {
            bad(
                setting,
                "the key's CKA_ID in hex, as the ceremony printed it",
            )
        })
    };
    let issuing_key_id = key_id("hsm.issuing_key_id", &hsm.issuing_key_id)?;
    let ocsp_key_id = key_id("hsm.ocsp_key_id", &hsm.ocsp_key_id)?;
    if issuing_key_id == ocsp_key_id {
        return Err(bad(
            "hsm.ocsp_key_id",
            "the OCSP responder's key is not the issuing CA's: give its own id",
        ));
    }
    if !(1..=64).contains(&hsm.sessions) {
        return Err(bad("hsm.sessions", "from 1 to 64"));
    }
    Ok(CaKeys::Hsm(HsmKeys {
        module: hsm.module.clone(),
        token_label: hsm.token_label.trim().to_owned(),
        pin: kep_token::Pin::new(secret("hsm.pin", &hsm.pin)?.as_str()),
        issuing_key_id,
        ocsp_key_id,
        sessions: hsm.sessions,
    }))
}

/// Reads and checks the configuration at `path`.
pub fn load(path: &Path) -> Result<Settings, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError(format!("{}: {e}", path.display())))?;
    parse(&text).map_err(|e| ConfigError(format!("{}: {}", path.display(), e.0)))
}

/// Checks the configuration `text`.
pub fn parse(text: &str) -> Result<Settings, ConfigError> {
    let file: File = toml::from_str(text).map_err(|e| ConfigError(e.to_string()))?;
    let s = &file.service;
    let listen = address("service.listen", &s.listen)?;
    let public_url =
        reqwest::Url::parse(&s.public_url).map_err(|e| bad("service.public_url", e))?;
    // OCSP answers are signed: plain http is the usual transport (RFC 5019), https works too.
    let ocsp_url = s
        .ocsp_url
        .as_deref()
        .map(|url| {
            let parsed = reqwest::Url::parse(url).map_err(|e| bad("service.ocsp_url", e))?;
            if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
                return Err(bad("service.ocsp_url", "an http or https address"));
            }
            Ok(url.to_owned())
        })
        .transpose()?;
    let trusted_proxies = s
        .trusted_proxies
        .iter()
        .map(|p| {
            p.parse::<IpAddr>().map_err(|e| {
                bad(
                    "service.trusted_proxies",
                    format!("«{p}» is not an IP address ({e})"),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if s.behind_proxy && trusted_proxies.is_empty() {
        return Err(bad(
            "service.trusted_proxies",
            "name the proxies whose X-Forwarded-For is believed (behind_proxy = true)",
        ));
    }
    let tls = file.tls.as_ref().map(|t| TlsFiles {
        certificate: t.certificate.clone(),
        key: t.key.clone(),
    });
    if tls.is_none() && !listen.ip().is_loopback() && !s.behind_proxy {
        return Err(bad(
            "tls",
            format!(
                "plain HTTP is served only on a loopback address or behind a proxy (service.behind_proxy); {listen} needs [tls]"
            ),
        ));
    }
    if let Some(files) = &tls {
        crate::tls::server_config(files).map_err(|e| bad("tls", e))?;
    }
    if public_url.scheme() != "https"
        && !public_url
            .host_str()
            .is_some_and(|h| h == "127.0.0.1" || h == "localhost" || h == "[::1]")
    {
        return Err(bad(
            "service.public_url",
            "certificates name their CRL under it: https (plain http only for this machine)",
        ));
    }
    if s.grace_period_s > 600 {
        return Err(bad("service.grace_period_s", "at most 600"));
    }
    let metrics = file
        .metrics
        .as_ref()
        .map(|m| address("metrics.listen", &m.listen))
        .transpose()?;
    if metrics == Some(listen) {
        return Err(bad("metrics.listen", "must differ from service.listen"));
    }
    let keys = ca_keys(file.hsm.as_ref(), file.secrets.ca_key_password.as_ref())?;
    let code_key = secret("secrets.login_code_key", &file.secrets.login_code_key)?;
    if code_key.len() < 32 {
        return Err(bad(
            "secrets.login_code_key",
            "at least 32 characters (say, `openssl rand -hex 32`)",
        ));
    }
    let telephony = telephony(&file.telephony)?;
    let registry = WebhookRegistry(webhook("registry", &file.registry)?);
    let notifier = WebhookNotifier(webhook("notifications", &file.notifications)?);
    let mut service =
        crate::ServiceConfig::development(&s.data, public_url.as_str().trim_end_matches('/'));
    service.ocsp_url = ocsp_url;
    service.telephony = telephony;
    service.registry = Arc::new(registry);
    service.notifier = Arc::new(notifier);
    service.email = file.email.as_ref().map(email_channel).transpose()?;
    service.trust_download = file.trust_list.as_ref().map(trust_download).transpose()?;
    service.fetch = file.fetch.as_ref().map_or_else(Default::default, |f| {
        crate::trust::fetch_policy::FetchPolicy {
            allow_loopback: f.allow_loopback,
            allow_private: f.allow_private,
        }
    });
    service.dev_routes = None;
    service.keys = keys;
    service.sign_in = crate::operators::SignInPolicy {
        totp_required: file.operators.as_ref().is_none_or(|o| o.totp_required),
        ..crate::operators::SignInPolicy::PRODUCTION
    };
    service.login_code_key = Some(Zeroizing::new(code_key.as_bytes().to_vec()));
    service.create_if_missing = false;
    if let Some(section) = &file.database {
        if let Some(pg) = database(section)? {
            service.database = crate::store::DatabaseConfig::Postgres(pg);
        }
        service.background_lease = Duration::from_secs(section.background_lease_s);
    }
    service.clients = ClientAddressPolicy {
        trusted_proxies: trusted_proxies.clone(),
    };
    Ok(Settings {
        service,
        serve: ServeSettings {
            listen,
            tls,
            metrics,
            grace: Duration::from_secs(s.grace_period_s),
            clients: ClientAddressPolicy { trusted_proxies },
            log_format: s.log_format,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The secrets, in files of a scratch folder.
    fn secrets() -> PathBuf {
        static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
        DIR.get_or_init(|| {
            let dir = std::env::temp_dir().join(format!("kep-ca-config-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("password"), "a key password\n").unwrap();
            std::fs::write(dir.join("code-key"), "0123456789abcdef0123456789abcdef\n").unwrap();
            std::fs::write(dir.join("short"), "short\n").unwrap();
            dir
        })
        .clone()
    }

    fn config(extra: &str) -> String {
        let dir = secrets();
        let (password, code_key) = (dir.join("password"), dir.join("code-key"));
        format!(
            r#"
[service]
data = "/tmp/kep-ca-config-test"
listen = "127.0.0.1:8443"
public_url = "https://ca.example.ru"
{extra}
[secrets]
ca_key_password = {{ file = "{}" }}
login_code_key = {{ file = "{}" }}

[telephony]
provider = "webhook"
url = "https://calls.example.ru/flash"
token = {{ file = "{}" }}

[registry]
provider = "webhook"
url = "https://smev.example.ru/check"

[notifications]
provider = "webhook"
url = "http://127.0.0.1:9000/send"
"#,
            password.display(),
            code_key.display(),
            password.display()
        )
    }

    fn error(text: &str) -> String {
        parse(text).map(|_| ()).unwrap_err().0
    }

    #[test]
    fn a_good_configuration_reads() {
        let settings = parse(&config("grace_period_s = 5")).unwrap();
        assert_eq!(settings.serve.grace, Duration::from_secs(5));
        assert!(settings.service.dev_routes.is_none());
        assert!(!settings.service.create_if_missing);
        assert_eq!(settings.serve.log_format, LogFormat::Json);
    }

    #[test]
    fn every_refusal_names_its_setting() {
        assert!(error(&config("listen_on = 1")).contains("unknown field `listen_on`"));
        assert!(
            error(&config("").replace("listen = \"127.0.0.1:8443\"", "listen = \"nowhere\""))
                .starts_with("service.listen:")
        );
        assert!(
            error(&config("").replace("listen = \"127.0.0.1:8443\"", "listen = \"0.0.0.0:8443\""))
                .starts_with("tls:")
        );
        assert!(error(&config("behind_proxy = true")).starts_with("service.trusted_proxies:"));
        assert!(
            error(&config("").replace(
                "provider = \"webhook\"\nurl = \"https://calls",
                "provider = \"dev\"\nurl = \"https://calls"
            ))
            .starts_with("telephony.provider:")
        );
        assert!(
            error(&config("").replace(
                "https://smev.example.ru/check",
                "http://smev.example.ru/check"
            ))
            .starts_with("registry.url:")
        );
        let clear = config("").replace(
            &format!(
                "login_code_key = {{ file = \"{}\" }}",
                secrets().join("code-key").display()
            ),
            "login_code_key = \"in clear\"",
        );
        assert!(error(&clear).starts_with("secrets.login_code_key: a secret never stands"));
        let unset = config("").replace(
            &format!(
                "login_code_key = {{ file = \"{}\" }}",
                secrets().join("code-key").display()
            ),
            "login_code_key = { env = \"KEP_CA_NOT_SET_ANYWHERE\" }",
        );
        assert!(error(&unset).starts_with("secrets.login_code_key: the environment variable"));
        let short = config("").replace("code-key", "short");
        assert!(error(&short).starts_with("secrets.login_code_key: at least 32"));
        assert!(
            error(&config("").replace(
                "[registry]\nprovider = \"webhook\"\nurl = \"https://smev.example.ru/check\"\n",
                ""
            ))
            .contains("missing field `registry`")
        );
    }

    #[test]
    fn plusofon_is_chosen_by_name_and_needs_its_access_token() {
        let plusofon = config("").replace(
            "provider = \"webhook\"\nurl = \"https://calls.example.ru/flash\"",
            "provider = \"plusofon\"",
        );
        assert!(parse(&plusofon).is_ok(), "{}", error(&plusofon));
        let token_line = format!(
            "token = {{ file = \"{}\" }}\n\n[registry]",
            secrets().join("password").display()
        );
        assert!(
            error(&plusofon.replace(&token_line, "\n[registry]")).starts_with("telephony.token:")
        );
        assert!(
            error(&config("").replace(
                "url = \"https://smev.example.ru/check\"",
                "url = \"https://smev.example.ru/check\"\nclient_id = \"1\""
            ))
            .starts_with("registry.client_id:")
        );
        assert!(
            error(&config("").replace(
                "provider = \"webhook\"\nurl = \"https://calls",
                "provider = \"zvonok\"\nurl = \"https://calls"
            ))
            .contains("known: plusofon, webhook")
        );
    }

    #[test]
    fn the_trust_list_download_is_checked_setting_by_setting() {
        let root = secrets().join("tsl-root.pem");
        std::fs::write(&root, "-----BEGIN CERTIFICATE-----\n").unwrap();
        let section = |body: &str| format!("{}\n[trust_list]\n{body}\n", config(""));
        let good = section(&format!(
            "url = \"https://e-trust.gosuslugi.ru/app/scc/portal/api/v1/portal/ca/getxml\"\nroots = [\"{}\"]",
            root.display()
        ));
        let download = parse(&good).unwrap().service.trust_download.unwrap();
        assert_eq!(download.every, Duration::from_secs(24 * 3600));
        assert_eq!(download.cap, 200 * 1024 * 1024);
        assert!(parse(&config("")).unwrap().service.trust_download.is_none());
        assert!(
            error(&good.replace("https://e-trust", "http://e-trust"))
                .starts_with("trust_list.url:")
        );
        assert!(
            error(&good.replace(&format!("\"{}\"", root.display()), ""))
                .starts_with("trust_list.roots:")
        );
        assert!(error(&format!("{good}\nmax_mib = 201")).starts_with("trust_list.max_mib:"));
        assert!(error(&format!("{good}\nevery_hours = 0")).starts_with("trust_list.every_hours:"));
    }

    #[test]
    fn fetching_from_this_machine_or_private_networks_is_off_unless_configured() {
        use crate::trust::fetch_policy::FetchPolicy;
        assert_eq!(
            parse(&config("")).unwrap().service.fetch,
            FetchPolicy::default()
        );
        let open = format!("{}\n[fetch]\nallow_private = true\n", config(""));
        assert_eq!(
            parse(&open).unwrap().service.fetch,
            FetchPolicy {
                allow_loopback: false,
                allow_private: true
            }
        );
        assert!(
            error(&format!("{}\n[fetch]\nallow_all = true\n", config(""))).contains("allow_all")
        );
    }

    #[test]
    fn the_email_channel_is_checked_setting_by_setting() {
        let password = secrets().join("short");
        let email = |body: &str| format!("{}\n[email]\n{body}\n", config(""));
        let good = email(&format!(
            "host = \"smtp.example.ru\"\nsecurity = \"starttls\"\nuser = \"ca\"\npassword = {{ file = \"{}\" }}\nfrom = \"Удостоверяющий центр <noreply@example.ru>\"",
            password.display()
        ));
        assert!(parse(&good).unwrap().service.email.is_some());
        assert!(parse(&config("")).unwrap().service.email.is_none());
        assert!(
            error(&good.replace("starttls", "sometimes")).contains("unknown variant `sometimes`")
        );
        assert!(
            error(&good.replace("security = \"starttls\"", "security = \"none\""))
                .starts_with("email:")
        );
        assert!(error(&good.replace("user = \"ca\"\n", "")).starts_with("email.user:"));
        assert!(error(&good.replace("noreply@example.ru", "nobody")).starts_with("email:"));
        assert!(
            error(&good.replace(
                &format!("{{ file = \"{}\" }}", password.display()),
                "\"in clear\""
            ))
            .starts_with("email.password: a secret never stands")
        );
    }

    #[test]
    fn the_ocsp_address_may_be_another_and_must_be_http() {
        assert_eq!(parse(&config("")).unwrap().service.ocsp_url, None);
        let settings = parse(&config("ocsp_url = \"http://ocsp.ca.example.ru/ocsp\"")).unwrap();
        assert_eq!(
            settings.service.ocsp_url.as_deref(),
            Some("http://ocsp.ca.example.ru/ocsp")
        );
        assert!(
            error(&config("ocsp_url = \"ldap://ca.example.ru\"")).starts_with("service.ocsp_url")
        );
        assert!(error(&config("ocsp_url = \"not a url\"")).starts_with("service.ocsp_url"));
    }

    #[test]
    fn the_database_section_chooses_the_engine_and_keeps_secrets_out() {
        let with = |section: &str| format!("{}\n[database]\n{section}\n", config(""));
        let settings = parse(&config("")).unwrap();
        assert!(matches!(
            settings.service.database,
            crate::store::DatabaseConfig::Sqlite(_)
        ));
        let settings = parse(&with(
            "engine = \"postgres\"\nurl = \"host=127.0.0.1 port=5432 user=kep dbname=kep\"\npool_size = 4\nbackground_lease_s = 10",
        ))
        .unwrap();
        let crate::store::DatabaseConfig::Postgres(pg) = &settings.service.database else {
            panic!("PostgreSQL chosen");
        };
        assert_eq!(pg.pool_size, 4);
        assert_eq!(settings.service.background_lease, Duration::from_secs(10));
        assert!(
            error(&with(
                "engine = \"postgres\"\nurl = \"postgresql://kep:hunter2@127.0.0.1/kep\""
            ))
            .starts_with("database.url: a password never stands")
        );
        // Across the network: TLS by default; in clear only when said out loud.
        let tls_of = |section: &str| match parse(&with(section)).unwrap().service.database {
            crate::store::DatabaseConfig::Postgres(pg) => pg.tls,
            crate::store::DatabaseConfig::Sqlite(_) => panic!("PostgreSQL chosen"),
        };
        let remote = "engine = \"postgres\"\nurl = \"host=db.internal user=kep dbname=kep\"";
        assert_eq!(
            tls_of(remote),
            crate::store::postgres::PostgresTls::VerifyFull { extra_root: None }
        );
        let refused = error(&with(&format!("{remote}\ntls = \"disable\"")));
        assert!(
            refused.starts_with("database.tls: \"disable\" sends the CA's data in clear"),
            "{refused}"
        );
        assert_eq!(
            tls_of(&format!(
                "{remote}\ntls = \"disable\"\ninsecure_plaintext = true"
            )),
            crate::store::postgres::PostgresTls::Disabled
        );
        assert!(
            error(&with(&format!(
                "{remote}\nca_file = \"/nonexistent/root.pem\""
            )))
            .starts_with("database.ca_file: /nonexistent/root.pem")
        );
        assert_eq!(
            tls_of("engine = \"postgres\"\nurl = \"host=127.0.0.1 user=kep dbname=kep\""),
            crate::store::postgres::PostgresTls::Disabled
        );
        assert!(error(&with("engine = \"postgres\"")).starts_with("database.url: engine"));
        assert!(
            error(&with("engine = \"sqlite\"\nurl = \"host=x\"")).starts_with("database.url: only")
        );
        assert!(
            error(&with("engine = \"sqlite\"\nbackground_lease_s = 1"))
                .starts_with("database.background_lease_s")
        );
        assert!(error(&with("engine = \"mysql\"")).contains("unknown variant"));
    }

    #[test]
    fn the_keys_are_on_an_hsm_or_in_files_never_both_nor_neither() {
        let dir = secrets();
        let module = dir.join("libpkcs11.so");
        std::fs::write(&module, b"a library").unwrap();
        let password_line = format!(
            "ca_key_password = {{ file = \"{}\" }}\n",
            dir.join("password").display()
        );
        let hsm = |body: &str| {
            config("").replace(
                "[secrets]\n",
                &format!(
                    "[hsm]\nmodule = \"{}\"\ntoken_label = \"KEP CA\"\npin = {{ file = \"{}\" }}\n{body}\n[secrets]\n",
                    module.display(),
                    dir.join("password").display()
                ),
            )
        };
        let ids = "issuing_key_id = \"0a0b\"\nocsp_key_id = \"0c0d\"";
        let alone = |text: String| text.replace(&password_line, "");
        match parse(&alone(hsm(ids))).unwrap().service.keys {
            crate::ca_keys::CaKeys::Hsm(keys) => {
                assert_eq!(keys.issuing_key_id, vec![0x0a, 0x0b]);
                assert_eq!(keys.ocsp_key_id, vec![0x0c, 0x0d]);
                assert_eq!(keys.sessions, 4);
                assert_eq!(keys.pin.expose(), "a key password");
            }
            other => panic!("{other:?}"),
        }
        assert!(
            error(&hsm(ids)).starts_with("secrets.ca_key_password: the CA's keys are on the HSM")
        );
        assert!(error(&alone(config(""))).starts_with("hsm: say where the CA's keys are"));
        assert!(
            error(&alone(hsm(
                "issuing_key_id = \"0a0b\"\nocsp_key_id = \"0A0B\""
            )))
            .starts_with("hsm.ocsp_key_id")
        );
        assert!(
            error(&alone(hsm(
                "issuing_key_id = \"xyz\"\nocsp_key_id = \"0c0d\""
            )))
            .starts_with("hsm.issuing_key_id")
        );
        assert!(error(&alone(hsm(&format!("{ids}\nsessions = 0")))).starts_with("hsm.sessions"));
        let missing = alone(hsm(ids)).replace(&module.display().to_string(), "/nonexistent.so");
        assert!(error(&missing).starts_with("hsm.module"));
    }

    #[test]
    fn the_documented_example_is_well_formed() {
        let example = include_str!("../../../docs/kep-ca.example.toml");
        // Everything parses and checks out up to the files only a real machine has.
        let error = error(example);
        assert!(
            error.starts_with("tls: /etc/kep-ca/tls/fullchain.pem"),
            "{error}"
        );
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let policy = ClientAddressPolicy {
            trusted_proxies: vec!["192.0.2.5".parse().unwrap()],
        };
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let proxy: IpAddr = "192.0.2.5".parse().unwrap();
        // A client cannot pretend by sending the header itself.
        assert_eq!(policy.client(client, Some("198.51.100.1")), client);
        assert_eq!(
            policy.client(proxy, Some("198.51.100.1, 203.0.113.7")),
            client
        );
        assert_eq!(policy.client(proxy, Some("garbage")), proxy);
        assert_eq!(policy.client(proxy, None), proxy);
    }
}
