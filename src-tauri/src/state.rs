//! What the commands share: the settings and the renewal they open (kep-client), the files
//! waiting for upload, and how files are chosen. Opened once at start-up; a CA address that
//! cannot be used is kept as the error every wizard command answers with. Nothing here is
//! locked across a CA call: the renewal synchronises itself.

use kep_client::key_places::{KeyPlaces, KeyringPins};
use kep_client::pending_files::PendingFiles;
use kep_client::renewal::Renewal;
use kep_client::settings::{Settings, SettingsPlaces};
use kep_protocol::ApiError;
use std::path::PathBuf;
use std::sync::Arc;

/// Whether this build honours the test overrides (`KEP_CA_URL`, `KEP_CA_TLS_ROOT`,
/// `KEP_PKCS11_MODULE`, `KEP_RENEW_DATA_DIR`, `KEP_RENEW_ADMIN_CONFIG`, `KEP_POLL_INTERVAL_S`):
/// debug and e2e builds. A
/// release ignores them: a module path from the environment would load any library.
pub const TEST_OVERRIDES: bool = cfg!(any(debug_assertions, feature = "e2e-hooks"));

/// The CA this build was made for (`KEP_RENEW_CA_URL` at build time; build.rs refuses plain
/// http to anything but this machine). The local development CA by default.
pub const BUILD_CA_URL: &str = env!("KEP_RENEW_BUILD_CA_URL");

/// `name` from the environment, if this build honours test overrides.
pub fn test_override(name: &str) -> Option<std::ffi::OsString> {
    TEST_OVERRIDES.then(|| std::env::var_os(name)).flatten()
}

/// What an open dialog is for: its filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// Scans to upload (PDF, JPEG, PNG; several).
    Scans,
    /// A PKCS#11 library (one).
    Library,
    /// Documents to sign or signatures to check (any files; several).
    Documents,
}

/// Asks the user for files (the dialog plugin in the app; scripted in e2e builds).
pub trait FilePicker: Send + Sync + 'static {
    /// The chosen files, answered from any thread; empty when the user cancelled.
    fn pick(&self, title: &str, what: Pick) -> tokio::sync::oneshot::Receiver<Vec<PathBuf>>;
    /// Where to save a file suggested as `file_name`; None when the user cancelled.
    fn save(&self, title: &str, file_name: &str)
    -> tokio::sync::oneshot::Receiver<Option<PathBuf>>;
    /// A folder; None when the user cancelled.
    fn folder(&self, title: &str) -> tokio::sync::oneshot::Receiver<Option<PathBuf>>;
}

/// The app's shared state.
pub struct AppState {
    /// The settings and the renewal they open, or why there are none (no data folder).
    pub settings: Result<Arc<Settings>, ApiError>,
    /// Files dropped or chosen, not yet uploaded.
    pub pending: std::sync::Mutex<PendingFiles>,
    /// The file dialog.
    pub picker: Arc<dyn FilePicker>,
    /// Whether dropped files are documents to sign or check (the home and the signing screen
    /// show) rather than scans for the upload zone.
    pub drop_to_documents: std::sync::atomic::AtomicBool,
    /// Updates of the app.
    pub updates: crate::updates::Updates,
}

impl AppState {
    /// The settings (or why there are none).
    pub fn settings(&self) -> Result<&Settings, ApiError> {
        self.settings.as_deref().map_err(Clone::clone)
    }

    /// The renewal (or why there is none).
    pub fn renewal(&self) -> Result<Arc<Renewal>, ApiError> {
        self.settings()?.renewal()
    }
}

/// Opens the settings and, with them, the renewal with the CA
/// [`kep_client::ca_choice::choose`] picks (the test overrides in debug and e2e builds, the
/// person's choice, the organization's admin configuration, the build's CA), the flow in
/// `data_dir`, keys in `data_dir/keys`, tokens through the person's chosen library or the known
/// modules (or, in debug and e2e builds, `KEP_PKCS11_MODULE`).
pub fn open_settings(data_dir: PathBuf, version: &str) -> Settings {
    use kep_client::ca_choice::{TestOverrides, admin_config_path};
    let overrides = TEST_OVERRIDES.then(|| TestOverrides {
        ca_url: std::env::var("KEP_CA_URL").ok(),
        tls_root: std::env::var_os("KEP_CA_TLS_ROOT").map(PathBuf::from),
    });
    let keys = Arc::new(KeyPlaces::new(
        data_dir.join("keys"),
        test_override("KEP_PKCS11_MODULE").map(PathBuf::from),
        Arc::new(KeyringPins),
    ));
    let places = SettingsPlaces {
        data_dir,
        build_ca_url: BUILD_CA_URL.to_owned(),
        overrides,
        admin_config: test_override("KEP_RENEW_ADMIN_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(admin_config_path),
        version: version.to_owned(),
        deadlines: kep_client::action::Deadlines::default(),
        vault: Arc::new(kep_client::session_vault::SessionVault),
        health_budget: kep_client::ca_health::CHECK_BUDGET,
    };
    Settings::open(places, keys)
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").finish_non_exhaustive()
    }
}
