//! What the commands share: the renewal (kep-client), the files waiting for upload, and how
//! files are chosen. Opened once at start-up; a CA address that cannot be used is kept as the
//! error every wizard command answers with. Nothing here is locked across a CA call: the
//! renewal synchronises itself.

use kep_client::key_places::{KeyPlaces, KeyringPins};
use kep_client::pending_files::PendingFiles;
use kep_client::renewal::Renewal;
use kep_protocol::{ApiError, ErrorKind};
use std::path::PathBuf;
use std::sync::Arc;

/// The CA used when `KEP_CA_URL` is not set: the local development CA of `npm run demo`.
pub const DEFAULT_CA_URL: &str = "http://127.0.0.1:8443/";

/// Asks the user for files (the dialog plugin in the app; scripted in e2e builds).
pub trait FilePicker: Send + Sync + 'static {
    /// The chosen files, answered from any thread; empty when the user cancelled.
    fn pick(&self, title: &str) -> tokio::sync::oneshot::Receiver<Vec<PathBuf>>;
    /// Where to save a file suggested as `file_name`; None when the user cancelled.
    fn save(&self, title: &str, file_name: &str)
    -> tokio::sync::oneshot::Receiver<Option<PathBuf>>;
}

/// The app's shared state.
pub struct AppState {
    /// The renewal, or why it could not be opened.
    pub renewal: Result<Arc<Renewal>, ApiError>,
    /// Files dropped or chosen, not yet uploaded.
    pub pending: std::sync::Mutex<PendingFiles>,
    /// The file dialog.
    pub picker: Arc<dyn FilePicker>,
}

impl AppState {
    /// The renewal (or why there is none).
    pub fn renewal(&self) -> Result<&Renewal, ApiError> {
        self.renewal.as_deref().map_err(Clone::clone)
    }
}

/// Opens the renewal with the CA from `KEP_CA_URL` (its TLS root from `KEP_CA_TLS_ROOT`, if
/// set), the flow in `data_dir`, keys in `data_dir/keys`, tokens through `KEP_PKCS11_MODULE`
/// (else the known modules).
pub fn open_renewal(data_dir: PathBuf) -> Result<Arc<Renewal>, ApiError> {
    let url = std::env::var("KEP_CA_URL").unwrap_or_else(|_| DEFAULT_CA_URL.to_owned());
    let mut endpoint = kep_client::CaEndpoint::parse(&url).map_err(|e| {
        tracing::error!(error = %e, "KEP_CA_URL is not a usable CA address");
        ApiError::new(
            ErrorKind::InvalidInput,
            crate::messages_ru::ca_address_unusable(&url),
        )
    })?;
    // An extra root for the CA's TLS certificate (the e2e tests' own; an organization's comes
    // with the admin configuration of a release).
    if let Some(path) = std::env::var_os("KEP_CA_TLS_ROOT") {
        let unusable = || {
            ApiError::new(
                ErrorKind::InvalidInput,
                crate::messages_ru::TLS_ROOT_UNREADABLE,
            )
        };
        let pem = std::fs::read(&path).map_err(|e| {
            tracing::error!(error = %e, path = %path.to_string_lossy(), "KEP_CA_TLS_ROOT cannot be read");
            unusable()
        })?;
        endpoint = endpoint.with_trust_anchors(&pem).map_err(|e| {
            tracing::error!(error = %e, "KEP_CA_TLS_ROOT holds no certificate");
            unusable()
        })?;
    }
    let keys = Arc::new(KeyPlaces::new(
        data_dir.join("keys"),
        std::env::var_os("KEP_PKCS11_MODULE").map(PathBuf::from),
        Arc::new(KeyringPins),
    ));
    Ok(Renewal::open_with(
        endpoint,
        &data_dir,
        Arc::new(kep_client::session_vault::SessionVault),
        keys,
        kep_client::action::Deadlines::default(),
    )
    .map(Arc::new)?)
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").finish_non_exhaustive()
    }
}
