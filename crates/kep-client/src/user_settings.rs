//! What the person changed in «Настройки», kept in `settings.json` in the app's data folder:
//! the CA address they switched to and the PKCS#11 library they chose. An unreadable file is
//! logged and read as "nothing changed", so a damaged file never keeps the app from starting.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The person's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserSettings {
    /// The CA switched to (checked before it was kept).
    pub ca_url: Option<String>,
    /// The PKCS#11 library chosen (it loaded before it was kept).
    pub pkcs11_module: Option<PathBuf>,
}

/// The settings file.
#[derive(Debug, Clone)]
pub struct SettingsFile {
    path: PathBuf,
}

impl SettingsFile {
    /// `settings.json` in `data_dir`.
    pub fn new(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join("settings.json"),
        }
    }

    /// The settings kept (the defaults when there is no file or it does not read).
    pub fn load(&self) -> UserSettings {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return UserSettings::default(),
            Err(e) => {
                tracing::warn!(error = %e, "the settings file does not read; defaults used");
                return UserSettings::default();
            }
        };
        serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the settings file does not parse; defaults used");
            UserSettings::default()
        })
    }

    /// Keeps `settings` (atomically, owner-only on Unix).
    pub fn save(&self, settings: &UserSettings) -> std::io::Result<()> {
        let bytes = serde_json::to_vec_pretty(settings).map_err(std::io::Error::other)?;
        kep_private_file::write(&self.path, &bytes)
    }

    /// Changes the kept settings with `change`.
    pub fn update(&self, change: impl FnOnce(&mut UserSettings)) -> std::io::Result<UserSettings> {
        let mut settings = self.load();
        change(&mut settings);
        self.save(&settings)?;
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_survive_a_restart_and_a_damaged_file_reads_as_defaults() {
        let dir = std::env::temp_dir().join(format!("kep-user-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = SettingsFile::new(&dir);
        assert_eq!(file.load(), UserSettings::default());
        file.update(|s| s.ca_url = Some("https://uc.example/".into()))
            .unwrap();
        file.update(|s| s.pkcs11_module = Some("/opt/vendor/libp11.so".into()))
            .unwrap();
        let kept = SettingsFile::new(&dir).load();
        assert_eq!(kept.ca_url.as_deref(), Some("https://uc.example/"));
        assert_eq!(
            kept.pkcs11_module.as_deref(),
            Some(Path::new("/opt/vendor/libp11.so"))
        );
        std::fs::write(dir.join("settings.json"), b"{not json").unwrap();
        assert_eq!(file.load(), UserSettings::default());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
