//! A token as the key step offers it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A token as the key step shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TokenChoice {
    /// Its serial number (the id the UI sends back).
    pub serial: String,
    /// Label, model and manufacturer, for display.
    pub label: String,
    /// Model.
    pub model: String,
    /// The factory PIN may still be set (nothing says it was changed).
    pub pin_to_be_changed: bool,
    /// Why no key can be made on it (Russian), if none can.
    pub problem: Option<String>,
    /// Whether it makes 512-bit GOST keys (its module lists the 512-bit mechanisms).
    pub gost_512: bool,
}
