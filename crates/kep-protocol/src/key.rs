//! Stages 4 and 6 over IPC: where the new key goes (with its secret), and where the issued
//! certificate will be installed.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The shortest container password, counted in characters (not bytes): the UI mirrors it.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// The new key's length: GOST R 34.10-2012 with 256 bits (CryptoPro-A parameters, what every
/// token and portal takes) or 512 bits (TC26-512-A).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum KeyLength {
    /// 256 bits.
    #[default]
    Bits256,
    /// 512 bits.
    Bits512,
}

/// Where the new key goes, as the UI sends it. The secrets are zeroized by the receiver.
#[derive(Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "storage", rename_all = "snake_case")]
#[ts(export)]
pub enum NewKey {
    /// The computer key store, under a container password.
    Computer {
        /// The container password (at least 8 characters; cannot be recovered).
        password: String,
        /// The key's length.
        #[serde(default)]
        length: KeyLength,
    },
    /// A token, after its PIN.
    Token {
        /// The token's serial number.
        serial: String,
        /// The user PIN.
        pin: String,
        /// Keep the PIN in the OS keyring so installation does not ask again.
        remember: bool,
        /// The key's length (512 only on a token whose module lists the 512-bit mechanism).
        #[serde(default)]
        length: KeyLength,
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
