//! Updates of the app itself (tauri-plugin-updater): checked at start and once a day against the
//! release server the build names, offered to the person with the release notes, installed only
//! on their consent, then the app restarts. The package must carry a signature by the release's
//! minisign key bound to its version (`requireSignedVersion`): a changed package, another key's
//! signature or an older release under a newer number is refused and the running version goes
//! on. No network means a quiet retry an hour later, never an error dialog.
//!
//! A build without `plugins.updater` in its configuration (development, tests, a build without
//! the release key) has no updater: the release build gets it from its configuration overlay.

use kep_protocol::update::UpdateOffer;
use kep_protocol::{ApiError, ErrorKind};
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_updater::{Error as UpdaterError, Update, UpdaterExt};

/// The event with a new offer.
pub const UPDATE_AVAILABLE: &str = "update-available";
/// How often the release server is asked.
const DAILY: Duration = Duration::from_secs(24 * 60 * 60);
/// When to ask again after a failed check (no network, the server away).
const RETRY: Duration = Duration::from_secs(60 * 60);
/// The longest one request may take (the package download included).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(300);

/// Whether this build names a release server and key.
pub fn configured(config: &tauri::Config) -> bool {
    config.plugins.0.contains_key("updater")
}

/// The updater's state in the app.
#[derive(Debug, Default)]
pub struct Updates {
    enabled: bool,
    offer: Mutex<Option<UpdateOffer>>,
}

impl Updates {
    /// With the updater plugin (`enabled`) or without.
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            offer: Mutex::default(),
        }
    }

    /// The version offered now, if any.
    pub fn offer(&self) -> Option<UpdateOffer> {
        self.offer.lock().ok().and_then(|o| o.clone())
    }

    fn keep(&self, offer: Option<UpdateOffer>) {
        if let Ok(mut kept) = self.offer.lock() {
            *kept = offer;
        }
    }
}

fn updater<R: Runtime>(app: &AppHandle<R>) -> Result<tauri_plugin_updater::Updater, UpdaterError> {
    let mut builder = app.updater_builder().timeout(REQUEST_TIMEOUT);
    // Debug and e2e builds: the tests' loopback release server has a test TLS root.
    if let Some(path) = crate::state::test_override("KEP_UPDATE_TLS_ROOT") {
        let pem = std::fs::read(path)?;
        let roots = reqwest::Certificate::from_pem_bundle(&pem)?;
        builder = builder.configure_client(move |client| {
            roots.iter().fold(client, |client, root| {
                client.add_root_certificate(root.clone())
            })
        });
    }
    builder.build()
}

fn offer_of<R: Runtime>(app: &AppHandle<R>, update: &Update) -> UpdateOffer {
    UpdateOffer {
        version: update.version.clone(),
        current_version: app.package_info().version.to_string(),
        notes: update.body.clone().filter(|notes| !notes.trim().is_empty()),
    }
}

/// Asks the release server once; a newer version becomes the offer (and an event).
async fn check<R: Runtime>(app: &AppHandle<R>) -> Result<Option<Update>, UpdaterError> {
    let update = updater(app)?.check().await?;
    let offer = update.as_ref().map(|u| offer_of(app, u));
    if let Some(state) = app.try_state::<crate::state::AppState>() {
        state.updates.keep(offer.clone());
    }
    if let Some(offer) = offer {
        tracing::info!(version = %offer.version, "a new version is offered");
        let _ = app.emit(UPDATE_AVAILABLE, &offer);
    }
    Ok(update)
}

/// Starts the daily check (nothing without the updater plugin).
pub fn start<R: Runtime>(app: AppHandle<R>, updates: &Updates) {
    if !updates.enabled {
        tracing::info!("no release server in this build's configuration: no update checks");
        return;
    }
    tauri::async_runtime::spawn(async move {
        loop {
            let wait = match check(&app).await {
                Ok(_) => DAILY,
                Err(e) => {
                    // Offline, or the server away: quietly again later.
                    tracing::info!(error = %e, "the update check failed; retried in an hour");
                    RETRY
                }
            };
            tokio::time::sleep(wait).await;
        }
    });
}

fn refusal(e: UpdaterError) -> ApiError {
    use crate::messages_ru as m;
    use UpdaterError as E;
    let (kind, message) = match &e {
        E::Minisign(_) | E::Base64(_) | E::SignatureUtf8(_) | E::MissingSignedVersion => {
            (ErrorKind::SignatureRejected, m::UPDATE_SIGNATURE_REJECTED)
        }
        E::Reqwest(_) | E::Network(_) | E::ReleaseNotFound => {
            (ErrorKind::Network, m::UPDATE_UNREACHABLE)
        }
        E::InvalidUpdaterFormat => (ErrorKind::InvalidInput, m::UPDATE_DAMAGED),
        E::PackageInstallFailed | E::DebInstallFailed | E::AuthenticationFailed => {
            (ErrorKind::Forbidden, m::UPDATE_NOT_INSTALLED)
        }
        _ => (ErrorKind::Internal, m::UPDATE_FAILED),
    };
    tracing::warn!(error = %e, ?kind, "the update was not installed");
    ApiError::new(kind, message)
}

/// Installs `version` (the one the person consented to) and restarts the app; the running
/// version goes on when anything is wrong.
pub async fn install<R: Runtime>(
    app: &AppHandle<R>,
    updates: &Updates,
    version: &str,
) -> Result<(), ApiError> {
    if !updates.enabled {
        return Err(ApiError::new(
            ErrorKind::Unavailable,
            crate::messages_ru::UPDATES_NOT_CONFIGURED,
        ));
    }
    // Asked again: the package and its signature are the server's current ones.
    let update = check(app)
        .await
        .map_err(refusal)?
        .ok_or_else(|| ApiError::new(ErrorKind::Conflict, crate::messages_ru::UPDATE_GONE))?;
    if update.version != version {
        return Err(ApiError::new(
            ErrorKind::Conflict,
            crate::messages_ru::update_changed(&update.version),
        ));
    }
    update
        .download_and_install(|_, _| {}, || {})
        .await
        .map_err(refusal)?;
    tracing::info!(version, "the update is installed; restarting");
    app.restart()
}
