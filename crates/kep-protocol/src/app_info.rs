//! What the app says about itself (shown in the window's footer and in bug reports).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfo {
    /// The app's version, from its Cargo manifest.
    pub version: String,
    /// The operating system the app runs on ("linux", "windows", "macos").
    pub os: String,
    /// The CPU architecture ("x86_64", "aarch64").
    pub arch: String,
}
