//! «Настройки»: the renewal with the CA the settings choose, and what the person may change —
//! the CA (another https address, once it answers as a ready CA; not in the middle of a
//! renewal, nor where the organization fixed it) and the PKCS#11 library (one that loads). The
//! app holds one [`Settings`]; a switch of CA reopens the renewal with the new endpoint, the
//! flow in the same data folder (the session of each CA is kept apart by the vault).

use crate::action::Deadlines;
use crate::ca_choice::{CaChoice, CaChoiceError, CaSource, TestOverrides};
use crate::ca_health::{CaHealthError, check};
use crate::key_error::KeyError;
use crate::key_places::KeyPlaces;
use crate::renewal::Renewal;
use crate::session_vault::TokenVault;
use crate::user_settings::SettingsFile;
use kep_protocol::settings::{self as wire, ModuleEntry, ModuleVendor, SettingsView};
use kep_protocol::{ApiError, ErrorKind};
use kep_token::module::ModuleKind;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Why a setting was not changed.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The organization fixed the CA.
    #[error("the CA cannot be switched here")]
    Locked,
    /// A renewal is under way with the current CA.
    #[error("a renewal is under way with the current CA")]
    InRenewal,
    /// The address is not a usable CA address.
    #[error(transparent)]
    Address(#[from] CaChoiceError),
    /// The address does not answer as a ready CA.
    #[error(transparent)]
    Health(#[from] CaHealthError),
    /// The settings file could not be written.
    #[error("the settings file: {0}")]
    NotSaved(#[source] std::io::Error),
    /// The library does not load as a PKCS#11 module.
    #[error(transparent)]
    Module(#[from] KeyError),
    /// The renewal could not be reopened with the new CA.
    #[error("the renewal could not be reopened: {0}")]
    Reopen(String),
}

/// Where things are and what the build allows.
#[derive(Clone)]
pub struct SettingsPlaces {
    /// The app's data folder (flow, settings, logs, keys).
    pub data_dir: PathBuf,
    /// The CA the build was made for.
    pub build_ca_url: String,
    /// The test overrides, in builds that honour them.
    pub overrides: Option<TestOverrides>,
    /// The organization's admin configuration file.
    pub admin_config: PathBuf,
    /// The app's version.
    pub version: String,
    /// The deadlines of the renewal's actions.
    pub deadlines: Deadlines,
    /// Where CA sessions are kept.
    pub vault: Arc<dyn TokenVault>,
    /// How long a CA health check may take.
    pub health_budget: Duration,
}

impl std::fmt::Debug for SettingsPlaces {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SettingsPlaces")
            .field("data_dir", &self.data_dir)
            .field("build_ca_url", &self.build_ca_url)
            .field("admin_config", &self.admin_config)
            .finish_non_exhaustive()
    }
}

struct Current {
    renewal: Result<Arc<Renewal>, ApiError>,
    choice: Option<CaChoice>,
}

/// The settings and the renewal they open.
pub struct Settings {
    places: SettingsPlaces,
    file: SettingsFile,
    keys: Arc<KeyPlaces>,
    current: RwLock<Current>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("data_dir", &self.places.data_dir)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// Opens the renewal with the CA the settings choose. `keys` reach tokens through
    /// `keys`' module, else the person's chosen library, else the known locations.
    pub fn open(places: SettingsPlaces, keys: Arc<KeyPlaces>) -> Self {
        let file = SettingsFile::new(&places.data_dir);
        let kept = file.load();
        if keys.configured_module().is_none()
            && let Some(module) = kept.pkcs11_module
        {
            // Loaded on first use, like the known locations.
            keys.set_configured_module(module);
        }
        let current = Self::opened(&places, kept.ca_url.as_deref(), &keys);
        Self {
            places,
            file,
            keys,
            current: RwLock::new(current),
        }
    }

    /// The renewal with the CA chosen for `person`'s kept address (if any).
    fn opened(places: &SettingsPlaces, person: Option<&str>, keys: &Arc<KeyPlaces>) -> Current {
        let choice = crate::ca_choice::choose(
            &places.build_ca_url,
            places.overrides.as_ref(),
            &places.admin_config,
            person,
        );
        let choice = match choice {
            Ok(choice) => choice,
            Err(e) => {
                tracing::error!(error = %e, "no usable CA");
                let refusal =
                    ApiError::new(ErrorKind::InvalidInput, crate::messages_ru::ca_choice(&e));
                return Current {
                    renewal: Err(refusal),
                    choice: None,
                };
            }
        };
        tracing::info!(ca = %choice.endpoint.as_url(), source = ?choice.source, "the CA");
        let renewal = Renewal::open_with(
            choice.endpoint.clone(),
            &places.data_dir,
            places.vault.clone(),
            keys.clone(),
            places.deadlines,
        )
        .map(Arc::new)
        .map_err(ApiError::from);
        Current {
            renewal,
            choice: Some(choice),
        }
    }

    /// The renewal (or why there is none).
    pub fn renewal(&self) -> Result<Arc<Renewal>, ApiError> {
        self.read().renewal.clone()
    }

    /// The key places.
    pub fn keys(&self) -> &Arc<KeyPlaces> {
        &self.keys
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Current> {
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn blocked(&self) -> Option<SettingsError> {
        let current = self.read();
        match (&current.choice, &current.renewal) {
            (Some(choice), _) if !choice.switchable => Some(SettingsError::Locked),
            (_, Ok(renewal)) if !renewal.at_rest() => Some(SettingsError::InRenewal),
            _ => None,
        }
    }

    /// What the settings screen shows.
    pub fn view(&self) -> SettingsView {
        let blocked = self.blocked();
        let current = self.read();
        let (ca_url, ca_source) = match &current.choice {
            Some(choice) => (
                choice.endpoint.as_url().to_string(),
                match choice.source {
                    CaSource::TestOverride => wire::CaSource::Test,
                    CaSource::Person => wire::CaSource::Person,
                    CaSource::AdminConfig(_) => wire::CaSource::Organization,
                    CaSource::BuildDefault => wire::CaSource::Build,
                },
            ),
            None => (String::new(), wire::CaSource::Organization),
        };
        SettingsView {
            version: self.places.version.clone(),
            ca_url,
            ca_source,
            ca_switchable: blocked.is_none(),
            switch_blocked: blocked.as_ref().map(crate::messages_ru::settings),
            log_folder: crate::app_log::folder(&self.places.data_dir)
                .display()
                .to_string(),
            modules: modules(
                self.keys.configured_module().as_deref(),
                self.keys.module_in_use().as_deref(),
            ),
        }
    }

    /// Switches to the CA at `address` once it answers as a ready CA within the health budget;
    /// keeps the choice for the next start.
    pub async fn switch_ca(&self, address: &str) -> Result<SettingsView, SettingsError> {
        if let Some(blocked) = self.blocked() {
            return Err(blocked);
        }
        let endpoint = crate::ca_choice::candidate(
            &self.places.admin_config,
            self.places.overrides.as_ref(),
            address,
        )?
        .ok_or(SettingsError::Locked)?;
        check(&endpoint, self.places.health_budget).await?;
        let kept = self
            .file
            .update(|s| s.ca_url = Some(endpoint.as_url().to_string()))
            .map_err(SettingsError::NotSaved)?;
        tracing::info!(ca = %endpoint.as_url(), "switched to another CA");
        self.reopen(kept.ca_url.as_deref())
    }

    /// Goes back to the organization's or the build's CA.
    pub fn reset_ca(&self) -> Result<SettingsView, SettingsError> {
        if let Some(blocked) = self.blocked() {
            return Err(blocked);
        }
        self.file
            .update(|s| s.ca_url = None)
            .map_err(SettingsError::NotSaved)?;
        self.reopen(None)
    }

    fn reopen(&self, person: Option<&str>) -> Result<SettingsView, SettingsError> {
        let opened = Self::opened(&self.places, person, &self.keys);
        if let Err(e) = &opened.renewal {
            return Err(SettingsError::Reopen(e.message.clone()));
        }
        *self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = opened;
        Ok(self.view())
    }

    /// Reaches tokens through the library at `path` (it must load as a PKCS#11 module), or
    /// through the known locations again (`None`); keeps the choice for the next start.
    pub async fn use_module(&self, path: Option<PathBuf>) -> Result<SettingsView, SettingsError> {
        let keys = self.keys.clone();
        let chosen = path.clone();
        tokio::task::spawn_blocking(move || keys.use_module(chosen))
            .await
            .map_err(|e| SettingsError::Reopen(e.to_string()))??;
        self.file
            .update(|s| s.pkcs11_module = path)
            .map_err(SettingsError::NotSaved)?;
        Ok(self.view())
    }
}

fn vendor(kind: ModuleKind) -> ModuleVendor {
    match kind {
        ModuleKind::Rutoken => ModuleVendor::Rutoken,
        ModuleKind::JaCarta => ModuleVendor::Jacarta,
        ModuleKind::SoftHsm => ModuleVendor::Softhsm,
        ModuleKind::OpenSc => ModuleVendor::Opensc,
        ModuleKind::Configured => ModuleVendor::Chosen,
    }
}

/// The chosen library first, then every known location, present or not.
fn modules(chosen: Option<&Path>, in_use: Option<&Path>) -> Vec<ModuleEntry> {
    let chosen = chosen.map(|p| (ModuleKind::Configured, p.to_path_buf()));
    let known = kep_token::module::known_locations()
        .into_iter()
        .map(|(kind, path)| (kind, PathBuf::from(path)));
    chosen
        .into_iter()
        .chain(known)
        .map(|(kind, path)| ModuleEntry {
            present: path.is_file(),
            in_use: in_use == Some(path.as_path()),
            path: path.display().to_string(),
            vendor: vendor(kind),
        })
        .collect()
}
