//! The CA session token survives a restart in the OS keyring (Secret Service, Credential
//! Manager, Keychain), never in a file. Without a keyring the user simply logs in again — the
//! flow lands them on the same step.

/// The keyring service name; the account is the CA's address.
pub const SERVICE: &str = "ru.keprenew.desktop.ca-session";

/// Where the session token is kept between runs. [`SessionVault`] is the OS keyring; tests and
/// machines without one use [`MemoryVault`] (the user then logs in again after a restart).
pub trait TokenVault: Send + Sync + 'static {
    /// Keeps the token; false when it could not be kept.
    fn store(&self, ca: &crate::CaEndpoint, token: &str) -> bool;
    /// The kept token, if any.
    fn load(&self, ca: &crate::CaEndpoint) -> Option<String>;
    /// Forgets the token.
    fn clear(&self, ca: &crate::CaEndpoint);
}

/// Session tokens by CA, in the OS keyring.
#[derive(Debug, Clone, Default)]
pub struct SessionVault;

/// Tokens in memory only (lost on exit).
#[derive(Debug, Default)]
pub struct MemoryVault(std::sync::Mutex<std::collections::HashMap<String, String>>);

impl TokenVault for MemoryVault {
    fn store(&self, ca: &crate::CaEndpoint, token: &str) -> bool {
        self.0
            .lock()
            .map(|mut m| m.insert(ca.as_url().to_string(), token.to_owned()))
            .is_ok()
    }

    fn load(&self, ca: &crate::CaEndpoint) -> Option<String> {
        self.0.lock().ok()?.get(ca.as_url().as_str()).cloned()
    }

    fn clear(&self, ca: &crate::CaEndpoint) {
        if let Ok(mut m) = self.0.lock() {
            m.remove(ca.as_url().as_str());
        }
    }
}

impl TokenVault for SessionVault {
    fn store(&self, ca: &crate::CaEndpoint, token: &str) -> bool {
        SessionVault::store(self, ca, token)
    }

    fn load(&self, ca: &crate::CaEndpoint) -> Option<String> {
        SessionVault::load(self, ca)
    }

    fn clear(&self, ca: &crate::CaEndpoint) {
        SessionVault::clear(self, ca)
    }
}

/// Runs a keyring call on a thread of its own: the Secret Service backend drives D-Bus with a
/// runtime of its own and panics when called on a tokio worker (as Tauri commands are).
fn off_runtime<T: Send + 'static>(f: impl FnOnce() -> Option<T> + Send + 'static) -> Option<T> {
    std::thread::spawn(f).join().ok().flatten()
}

impl SessionVault {
    fn entry(ca: &crate::CaEndpoint) -> Option<keyring::Entry> {
        keyring::Entry::new(SERVICE, ca.as_url().as_str()).ok()
    }

    /// Keeps the token; false when no keyring is available.
    pub fn store(&self, ca: &crate::CaEndpoint, token: &str) -> bool {
        let (ca, token) = (ca.clone(), token.to_owned());
        off_runtime(move || Self::entry(&ca).map(|e| e.set_password(&token).is_ok()))
            .unwrap_or(false)
    }

    /// The kept token, if any (and if a keyring is available).
    pub fn load(&self, ca: &crate::CaEndpoint) -> Option<String> {
        let ca = ca.clone();
        off_runtime(move || Self::entry(&ca).and_then(|e| e.get_password().ok()))
    }

    /// Forgets the token (logout, or the CA said the session ended).
    pub fn clear(&self, ca: &crate::CaEndpoint) {
        let ca = ca.clone();
        off_runtime(move || Self::entry(&ca).map(|e| e.delete_credential().is_ok()));
    }
}
