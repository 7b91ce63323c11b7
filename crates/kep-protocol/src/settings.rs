//! The settings screen («Настройки»): which CA the app talks to and why, the PKCS#11 modules
//! it can use for tokens, the version and where the log is.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where the CA's address comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CaSource {
    /// The address this release was built for.
    Build,
    /// The organization's admin configuration file.
    Organization,
    /// An address the person switched to in settings.
    Person,
    /// A test override (debug and e2e builds only).
    Test,
}

/// Whose library a PKCS#11 module is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ModuleVendor {
    /// Рутокен (Актив).
    Rutoken,
    /// JaCarta (Аладдин Р.Д.).
    Jacarta,
    /// SoftHSM2 (a software token).
    Softhsm,
    /// OpenSC (smart cards it supports).
    Opensc,
    /// A library the person chose in settings.
    Chosen,
}

/// One PKCS#11 module the app knows of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ModuleEntry {
    /// The library's path.
    pub path: String,
    /// Whose it is.
    pub vendor: ModuleVendor,
    /// Whether the file is on this computer.
    pub present: bool,
    /// Whether tokens are reached through it now.
    pub in_use: bool,
}

/// Everything the settings screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SettingsView {
    /// The app's version.
    pub version: String,
    /// The CA's address.
    pub ca_url: String,
    /// Why this address.
    pub ca_source: CaSource,
    /// Whether the person may switch to another CA (not when the organization fixed it, nor
    /// in the middle of a renewal: `switch_blocked` says why not).
    pub ca_switchable: bool,
    /// Why switching is not possible now, if it is not.
    pub switch_blocked: Option<String>,
    /// The folder of the app's log files.
    pub log_folder: String,
    /// The known module locations, and the one the person chose first if any.
    pub modules: Vec<ModuleEntry>,
}

/// A CA address to switch to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaSwitch {
    /// The address typed.
    pub url: String,
}
