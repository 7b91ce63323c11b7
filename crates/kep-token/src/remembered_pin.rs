//! «Запомнить пароль»: a token PIN remembered in the OS keyring — Secret Service on Linux,
//! Credential Manager on Windows, Keychain on macOS (the `keyring` crate) — never in a file of
//! ours, and forgettable.

use crate::pin::Pin;

/// The keyring service name under which PINs are kept (one entry per token serial).
pub const SERVICE: &str = "ru.keprenew.desktop.token-pin";

/// Why the keyring could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PinMemoryError {
    /// No keyring is available (no Secret Service on the session bus, a locked keychain…): the
    /// PIN is simply not remembered.
    #[error("the OS keyring is unavailable: {0}")]
    Unavailable(String),
    /// The keyring refused the operation.
    #[error("the OS keyring failed: {0}")]
    Failed(String),
}

fn map(e: keyring::Error) -> PinMemoryError {
    match e {
        keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_) => {
            PinMemoryError::Unavailable(e.to_string())
        }
        other => PinMemoryError::Failed(other.to_string()),
    }
}

/// Remembered PINs, keyed by token serial number.
#[derive(Debug, Clone, Default)]
pub struct PinMemory;

/// Runs a keyring call on a thread of its own: the Secret Service backend drives D-Bus with a
/// runtime of its own and panics when called on a tokio worker (as Tauri commands are).
fn off_runtime<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, PinMemoryError> + Send + 'static,
) -> Result<T, PinMemoryError> {
    std::thread::spawn(f)
        .join()
        .unwrap_or_else(|_| Err(PinMemoryError::Failed("the keyring call panicked".into())))
}

impl PinMemory {
    fn entry(token_serial: &str) -> Result<keyring::Entry, PinMemoryError> {
        keyring::Entry::new(SERVICE, token_serial).map_err(map)
    }

    /// Remembers `pin` for the token with `token_serial`.
    pub fn remember(&self, token_serial: &str, pin: &Pin) -> Result<(), PinMemoryError> {
        let (serial, pin) = (token_serial.to_owned(), pin.clone());
        off_runtime(move || {
            Self::entry(&serial)?
                .set_password(pin.expose())
                .map_err(map)
        })
    }

    /// The remembered PIN, if any.
    pub fn recall(&self, token_serial: &str) -> Result<Option<Pin>, PinMemoryError> {
        let serial = token_serial.to_owned();
        off_runtime(move || match Self::entry(&serial)?.get_password() {
            Ok(pin) => Ok(Some(Pin::new(pin))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map(e)),
        })
    }

    /// Forgets the PIN (nothing to forget is fine).
    pub fn forget(&self, token_serial: &str) -> Result<(), PinMemoryError> {
        let serial = token_serial.to_owned();
        off_runtime(move || match Self::entry(&serial)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map(e)),
        })
    }
}
