//! A newer version of the app, offered to the person («Доступна новая версия …»).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The update the release server offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpdateOffer {
    /// The new version.
    pub version: String,
    /// The version running now.
    pub current_version: String,
    /// The release notes, as the release gives them (plain text).
    pub notes: Option<String>,
}
