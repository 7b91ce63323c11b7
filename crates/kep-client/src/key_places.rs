//! Where the app keeps keys and how it reaches them: the computer key store's folder, the
//! PKCS#11 module (loaded once, on first use: a path given by the app, else the known Рутокен,
//! SoftHSM and OpenSC locations), and the remembered token PINs.

use crate::key_error::KeyError;
use kep_token::{Module, Pin};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Token PINs remembered across runs («Запомнить PIN-код»).
pub trait PinKeeper: Send + Sync + 'static {
    /// Keeps `pin` for the token `serial`; false when it could not be kept (then it is simply
    /// asked again at installation).
    fn remember(&self, serial: &str, pin: &Pin) -> bool;
    /// The PIN kept for `serial`, if any.
    fn recall(&self, serial: &str) -> Option<Pin>;
    /// Forgets the PIN kept for `serial` (the token refused it).
    fn forget(&self, serial: &str);
}

/// The OS keyring (kep-token's Secret Service / Credential Manager / Keychain entries).
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyringPins;

impl PinKeeper for KeyringPins {
    fn remember(&self, serial: &str, pin: &Pin) -> bool {
        kep_token::remembered_pin::PinMemory
            .remember(serial, pin)
            .is_ok()
    }

    fn recall(&self, serial: &str) -> Option<Pin> {
        kep_token::remembered_pin::PinMemory
            .recall(serial)
            .ok()
            .flatten()
    }

    fn forget(&self, serial: &str) {
        // A keyring that is away keeps nothing to forget.
        let _ = kep_token::remembered_pin::PinMemory.forget(serial);
    }
}

/// PINs kept in memory only (tests; machines without a keyring).
#[derive(Debug, Default)]
pub struct MemoryPins(Mutex<Vec<(String, Pin)>>);

impl PinKeeper for MemoryPins {
    fn remember(&self, serial: &str, pin: &Pin) -> bool {
        let Ok(mut pins) = self.0.lock() else {
            return false;
        };
        pins.retain(|(s, _)| s != serial);
        pins.push((serial.to_owned(), pin.clone()));
        true
    }

    fn recall(&self, serial: &str) -> Option<Pin> {
        let pins = self.0.lock().ok()?;
        pins.iter()
            .find(|(s, _)| s == serial)
            .map(|(_, p)| p.clone())
    }

    fn forget(&self, serial: &str) {
        if let Ok(mut pins) = self.0.lock() {
            pins.retain(|(s, _)| s != serial);
        }
    }
}

/// What [`KeyPlaces::rescan_module`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleRescan {
    /// The module was initialized anew: its tokens are as of now.
    Fresh,
    /// None was loaded yet: its first use sees the tokens as they are.
    NotLoaded,
    /// Work on a token holds the module: left alone; ask again once that is done.
    InUse,
}

/// Everything about where keys live.
pub struct KeyPlaces {
    key_store: PathBuf,
    configured_module: Mutex<Option<PathBuf>>,
    module: Mutex<Option<Arc<Module>>>,
    pins: Arc<dyn PinKeeper>,
}

impl std::fmt::Debug for KeyPlaces {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPlaces")
            .field("key_store", &self.key_store)
            .field("configured_module", &self.configured_module)
            .finish_non_exhaustive()
    }
}

impl KeyPlaces {
    /// The key store in `key_store`; tokens through `module` (else the known locations); PINs
    /// remembered in `pins`.
    pub fn new(key_store: PathBuf, module: Option<PathBuf>, pins: Arc<dyn PinKeeper>) -> Self {
        Self {
            key_store,
            configured_module: Mutex::new(module),
            module: Mutex::new(None),
            pins,
        }
    }

    /// The computer key store's folder.
    pub fn key_store(&self) -> &Path {
        &self.key_store
    }

    /// The remembered PINs.
    pub fn pins(&self) -> &Arc<dyn PinKeeper> {
        &self.pins
    }

    /// The PKCS#11 module, loaded once. Blocks (loading a library): call it off the runtime.
    pub fn module(&self) -> Result<Arc<Module>, KeyError> {
        let mut cached = lock(&self.module);
        if let Some(module) = cached.as_ref() {
            return Ok(module.clone());
        }
        let configured = lock(&self.configured_module).clone();
        let module = crate::token_key::load_module(configured.as_deref())?;
        *cached = Some(module.clone());
        Ok(module)
    }

    /// Asks the module afresh which tokens are present (see [`kep_token::Module::rescan`]).
    /// Blocks: call it off the runtime.
    pub fn rescan_module(&self) -> Result<ModuleRescan, KeyError> {
        let mut cached = lock(&self.module);
        let Some(module) = cached.take() else {
            return Ok(ModuleRescan::NotLoaded);
        };
        let (module, done) = match kep_token::Module::rescan(module)? {
            kep_token::module::Rescan::Fresh(module) => (module, ModuleRescan::Fresh),
            kep_token::module::Rescan::InUse(module) => (module, ModuleRescan::InUse),
        };
        *cached = Some(module);
        Ok(done)
    }

    /// The module the person chose (settings), if any.
    pub fn configured_module(&self) -> Option<PathBuf> {
        lock(&self.configured_module).clone()
    }

    /// Reaches tokens through `path` from the next load on (settings kept from an earlier run).
    pub fn set_configured_module(&self, path: PathBuf) {
        *lock(&self.configured_module) = Some(path);
    }

    /// The library tokens are reached through now, once one was loaded.
    pub fn module_in_use(&self) -> Option<PathBuf> {
        lock(&self.module).as_ref().map(|m| m.path().to_path_buf())
    }

    /// Reaches tokens through the library at `path` from now on, once it loads as a PKCS#11
    /// module (else nothing changes); `None` goes back to the known locations. Blocks (loading a
    /// library): call it off the runtime.
    pub fn use_module(&self, path: Option<PathBuf>) -> Result<(), KeyError> {
        let loaded = match &path {
            Some(path) => Some(kep_token::Module::shared(path)?),
            None => None,
        };
        *lock(&self.configured_module) = path;
        *lock(&self.module) = loaded;
        Ok(())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
