//! The list fetched on a schedule: from the HTTPS address the configuration names, trusting
//! only the roots it names for that download (not the system's), within a deadline and a size
//! cap, into a file in the data folder, then imported as a file would be. One instance at a
//! time does it (a lease); a failed download is recorded like a refused import, and the list
//! in use stays.

use super::import::{ImportError, ImportReport};
use crate::api::AppState;
use crate::store::Store;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// The lease's name in the database.
const LEASE: &str = "trust-list";

/// What the configuration says of the download.
#[derive(Debug, Clone)]
pub struct TrustDownloadConfig {
    /// Where the list is published (https only).
    pub url: String,
    /// The roots the download trusts (PEM): only these.
    pub roots_pem: Vec<Vec<u8>>,
    /// How often.
    pub every: Duration,
    /// The whole download's deadline.
    pub deadline: Duration,
    /// The largest list taken, in bytes.
    pub cap: u64,
}

/// Why a download did not give a list.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    /// The address is not https.
    #[error("the trust list address must be https: {0}")]
    NotHttps(String),
    /// A root that does not read as a PEM certificate.
    #[error("a trust list root is not a PEM certificate: {0}")]
    BadRoot(String),
    /// The HTTP client could not be built.
    #[error("the trust list client: {0}")]
    Client(String),
    /// The request failed (no connection, TLS refused, the deadline passed).
    #[error("downloading the trust list: {0}")]
    Request(String),
    /// The server answered with an error status.
    #[error("downloading the trust list: the server answered {0}")]
    Status(u16),
    /// More than the cap.
    #[error("the trust list download is larger than {0} bytes")]
    TooLarge(u64),
    /// Writing the file.
    #[error("writing the downloaded trust list: {0}")]
    Io(#[from] std::io::Error),
    /// The import of what came.
    #[error(transparent)]
    Import(#[from] ImportError),
}

/// The download, ready to run.
#[derive(Debug, Clone)]
pub struct TrustDownload {
    config: TrustDownloadConfig,
    http: reqwest::Client,
}

impl TrustDownload {
    /// Checks the configuration and builds the client.
    pub fn new(config: TrustDownloadConfig) -> Result<Self, DownloadError> {
        if !config.url.starts_with("https://") {
            return Err(DownloadError::NotHttps(config.url));
        }
        crate::tls::install_ring_provider();
        let mut roots = Vec::new();
        for pem in &config.roots_pem {
            roots.push(
                reqwest::Certificate::from_pem(pem)
                    .map_err(|e| DownloadError::BadRoot(e.to_string()))?,
            );
        }
        let http = reqwest::Client::builder()
            .tls_certs_only(roots)
            .https_only(true)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10).min(config.deadline))
            .timeout(config.deadline)
            .user_agent(concat!("kep-ca/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| DownloadError::Client(e.to_string()))?;
        Ok(Self { config, http })
    }

    /// The configuration.
    pub fn config(&self) -> &TrustDownloadConfig {
        &self.config
    }

    /// Downloads into `file` (at most the cap; a deadline over the whole of it).
    pub async fn fetch(&self, file: &Path) -> Result<(), DownloadError> {
        let cap = self.config.cap;
        let work = async {
            let mut response = self
                .http
                .get(&self.config.url)
                .send()
                .await
                .map_err(|e| DownloadError::Request(e.to_string()))?;
            if !response.status().is_success() {
                return Err(DownloadError::Status(response.status().as_u16()));
            }
            if response.content_length().is_some_and(|n| n > cap) {
                return Err(DownloadError::TooLarge(cap));
            }
            let mut out = tokio::fs::File::create(file).await?;
            let mut total = 0u64;
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| DownloadError::Request(e.to_string()))?
            {
                total += chunk.len() as u64;
                if total > cap {
                    return Err(DownloadError::TooLarge(cap));
                }
                out.write_all(&chunk).await?;
            }
            out.flush().await?;
            Ok(())
        };
        match tokio::time::timeout(self.config.deadline, work).await {
            Ok(done) => done,
            Err(_) => Err(DownloadError::Request(format!(
                "no list within {} s",
                self.config.deadline.as_secs()
            ))),
        }
    }
}

/// One download and import, recorded whatever happens.
pub async fn once(
    state: &AppState,
    download: &TrustDownload,
    data: &Path,
) -> Result<ImportReport, DownloadError> {
    let now = state.login.clock().unix();
    let file: PathBuf = data.join("trust-list.download");
    let url = download.config.url.clone();
    let outcome = match download.fetch(&file).await {
        Ok(()) => state
            .trust
            .import_file(&file, &url, download.config.cap, now)
            .await
            .map_err(DownloadError::from),
        Err(error) => {
            // Nothing to import: the refusal is recorded all the same.
            if let Err(e) = state
                .trust
                .record_refusal(&url, &error.to_string(), now)
                .await
            {
                tracing::warn!(error = %e, "the failed trust list download was not recorded");
            }
            Err(error)
        }
    };
    let _ = tokio::fs::remove_file(&file).await;
    let (action, subject) = super::import::audit_words(&outcome);
    if let Err(e) = state
        .applications
        .store()
        .audit("system", action, &subject, now)
        .await
    {
        tracing::warn!(error = %e, "the trust list import was not audited");
    }
    match &outcome {
        Ok(r) => tracing::info!(
            version = r.version,
            current = r.current,
            cas = r.cas,
            "trust list downloaded"
        ),
        Err(e) => tracing::warn!(error = %e, "trust list download"),
    }
    outcome
}

/// Downloads when due (the last attempt from this address is older than `every`), under the
/// lease, for as long as the process runs.
pub async fn run(state: AppState, download: TrustDownload, data: PathBuf, holder: String) {
    let every = download.config.every;
    let hold = i64::try_from((download.config.deadline * 2).as_secs()).unwrap_or(i64::MAX / 2);
    loop {
        let now = state.login.clock().unix();
        let last = state
            .trust
            .last_attempt(&download.config.url)
            .await
            .unwrap_or(None);
        let due = last.map_or(now, |at| {
            at + i64::try_from(every.as_secs()).unwrap_or(i64::MAX / 2)
        });
        if due <= now {
            match state
                .applications
                .store()
                .take_lease(LEASE, &holder, now, now + hold)
                .await
            {
                Ok(true) => {
                    let _ = once(&state, &download, &data).await;
                }
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "trust list: the lease could not be taken"),
            }
        }
        // Look again within a minute: another instance may have done it, or failed.
        let wait = (due - now).clamp(60, 3600);
        tokio::time::sleep(Duration::from_secs(u64::try_from(wait).unwrap_or(60))).await;
    }
}
