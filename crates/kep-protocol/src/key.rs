//! Stages 4 and 6 over IPC: where the new key goes (with its secret), and where the issued
//! certificate will be installed.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The shortest container password, counted in characters (not bytes): the UI mirrors it.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Where the new key goes, as the UI sends it. The secrets are zeroized by the receiver.
#[derive(Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "storage", rename_all = "snake_case")]
#[ts(export)]
pub enum NewKey {
    /// The computer key store, under a container password.
    Computer {
        /// The container password (at least 8 characters; cannot be recovered).
        password: String,
    },
    /// A token, after its PIN.
    Token {
        /// The token's serial number.
        serial: String,
        /// The user PIN.
        pin: String,
        /// Keep the PIN in the OS keyring so installation does not ask again.
        remember: bool,
    },
}

impl std::fmt::Debug for NewKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Computer { .. } => f.write_str("NewKey::Computer { .. }"),
            Self::Token {
                serial, remember, ..
            } => f
                .debug_struct("NewKey::Token")
                .field("serial", serial)
                .field("remember", remember)
                .finish_non_exhaustive(),
        }
    }
}

/// Where the certificate will be installed, for the UI: on a token (and whether its PIN is
/// remembered) or on this computer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InstallTarget {
    /// The token's serial, when the key is on a token.
    pub token: Option<String>,
    /// The PIN is remembered: installation will not ask for it.
    pub pin_remembered: bool,
}
