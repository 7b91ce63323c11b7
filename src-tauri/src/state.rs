//! What the commands share: the renewal (kep-client), the files waiting for upload, and how
//! files are chosen. Opened once at start-up; a CA address that cannot be used is kept as the
//! error every wizard command answers with.

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
    pub renewal: tokio::sync::Mutex<Result<Renewal, ApiError>>,
    /// Files dropped or chosen, not yet uploaded.
    pub pending: std::sync::Mutex<PendingFiles>,
    /// The file dialog.
    pub picker: Arc<dyn FilePicker>,
    /// The computer key store (`<data>/keys`): where a current КЭП made by this app lives.
    pub key_store: Option<PathBuf>,
    /// The PKCS#11 module, once loaded.
    pub tokens: std::sync::Mutex<Option<Arc<kep_token::Module>>>,
    /// The random-number sensor's pool (in memory only; its content never leaves it).
    pub entropy: std::sync::Mutex<kep_token::entropy::EntropyPool>,
}

/// Opens the renewal with the CA from `KEP_CA_URL` and the flow in `data_dir`.
pub fn open_renewal(data_dir: PathBuf) -> Result<Renewal, ApiError> {
    let url = std::env::var("KEP_CA_URL").unwrap_or_else(|_| DEFAULT_CA_URL.to_owned());
    let endpoint = kep_client::CaEndpoint::parse(&url).map_err(|_| {
        ApiError::new(
            ErrorKind::InvalidInput,
            format!(
                "Адрес удостоверяющего центра «{url}» не подходит: нужен https:// (или http:// только для этого компьютера)."
            ),
        )
    })?;
    Renewal::open(
        endpoint,
        &data_dir,
        Arc::new(kep_client::session_vault::SessionVault),
    )
}

impl AppState {
    /// The computer key store's folder.
    pub fn key_store_dir(&self) -> Result<PathBuf, ApiError> {
        self.key_store.clone().ok_or_else(|| {
            ApiError::new(ErrorKind::Io, "Не удалось найти папку данных приложения.")
        })
    }

    /// The PKCS#11 module (`KEP_PKCS11_MODULE`, else the known Рутокен/SoftHSM/OpenSC paths),
    /// loaded once.
    pub fn token_module(&self) -> Result<Arc<kep_token::Module>, ApiError> {
        let mut cached = self.tokens.lock().map_err(|_| ApiError::internal())?;
        if let Some(module) = cached.as_ref() {
            return Ok(module.clone());
        }
        let configured = std::env::var_os("KEP_PKCS11_MODULE").map(PathBuf::from);
        let module = kep_client::token_key::load_module(configured.as_deref())?;
        *cached = Some(module.clone());
        Ok(module)
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").finish_non_exhaustive()
    }
}
