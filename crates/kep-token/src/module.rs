//! PKCS#11 modules: where to find them (Рутокен, SoftHSM2, OpenSC, or a path from settings) and
//! one loaded, initialized module shared by the sessions on its tokens.

use crate::error::TokenError;
use crate::raw::RawModule;
use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

/// Which vendor's module a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleKind {
    /// Рутокен (Актив): librtpkcs11ecp.
    Rutoken,
    /// SoftHSM2 (software token: tests and the demo).
    SoftHsm,
    /// JaCarta (Аладдин Р.Д.): jcPKCS11-2.
    JaCarta,
    /// OpenSC (smart cards it supports).
    OpenSc,
    /// A path the user configured.
    Configured,
}

/// A module file found on this computer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleCandidate {
    /// Vendor.
    pub kind: ModuleKind,
    /// The library.
    pub path: PathBuf,
}

/// Where each vendor installs its module on this platform, whether or not it is installed here.
pub fn known_locations() -> Vec<(ModuleKind, &'static str)> {
    if cfg!(windows) {
        vec![
            (
                ModuleKind::Rutoken,
                "C:\\Windows\\System32\\rtPKCS11ECP.dll",
            ),
            (ModuleKind::JaCarta, "C:\\Windows\\System32\\jcPKCS11-2.dll"),
            (ModuleKind::SoftHsm, "C:\\SoftHSM2\\lib\\softhsm2-x64.dll"),
            (
                ModuleKind::OpenSc,
                "C:\\Program Files\\OpenSC Project\\OpenSC\\pkcs11\\opensc-pkcs11.dll",
            ),
        ]
    } else if cfg!(target_os = "macos") {
        vec![
            (
                ModuleKind::Rutoken,
                "/Library/Frameworks/rtpkcs11ecp.framework/rtpkcs11ecp",
            ),
            (
                ModuleKind::JaCarta,
                "/Library/Frameworks/jcPKCS11.framework/jcPKCS11",
            ),
            (ModuleKind::SoftHsm, "/usr/local/lib/softhsm/libsofthsm2.so"),
            (ModuleKind::OpenSc, "/Library/OpenSC/lib/opensc-pkcs11.so"),
        ]
    } else {
        vec![
            (ModuleKind::Rutoken, "/usr/lib/librtpkcs11ecp.so"),
            (
                ModuleKind::Rutoken,
                "/usr/lib/x86_64-linux-gnu/librtpkcs11ecp.so",
            ),
            (
                ModuleKind::Rutoken,
                "/opt/aktivco/rutokenecp/amd64/librtpkcs11ecp.so",
            ),
            (ModuleKind::JaCarta, "/usr/lib/libjcPKCS11-2.so"),
            (
                ModuleKind::JaCarta,
                "/usr/lib/x86_64-linux-gnu/libjcPKCS11-2.so",
            ),
            (ModuleKind::SoftHsm, "/usr/lib/softhsm/libsofthsm2.so"),
            (
                ModuleKind::SoftHsm,
                "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
            ),
            (
                ModuleKind::OpenSc,
                "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
            ),
            (ModuleKind::OpenSc, "/usr/lib/opensc-pkcs11.so"),
        ]
    }
}

/// The modules present on this computer, a configured path first.
pub fn discover(configured: Option<&Path>) -> Vec<ModuleCandidate> {
    let mut found: Vec<ModuleCandidate> = configured
        .filter(|p| p.is_file())
        .map(|p| ModuleCandidate {
            kind: ModuleKind::Configured,
            path: p.to_path_buf(),
        })
        .into_iter()
        .collect();
    for (kind, path) in known_locations() {
        let path = PathBuf::from(path);
        if path.is_file() && !found.iter().any(|c| c.path == path) {
            found.push(ModuleCandidate { kind, path });
        }
    }
    found
}

/// What [`Module::rescan`] did.
#[derive(Debug)]
pub enum Rescan {
    /// Initialized anew: its slot list is as of now.
    Fresh(Arc<Module>),
    /// Others hold it (work on a token is under way): left as it was.
    InUse(Arc<Module>),
}

/// A loaded and initialized module.
#[derive(Debug)]
pub struct Module {
    pkcs11: Pkcs11,
    raw: RawModule,
    path: PathBuf,
}

impl Module {
    /// Loads and initializes the module at `path` (OS locking: sessions may live on threads).
    /// A library this process initialized before (an earlier load, or another component) is
    /// used as it is: PKCS#11 has one C_Initialize per process, and this crate calls C_Finalize
    /// only in [`Module::rescan`], by the module's last holder, so no load can pull the library
    /// from under another's sessions.
    pub fn load(path: &Path) -> Result<Self, TokenError> {
        use cryptoki::error::{Error, RvError};
        // PKCS#11 leaves two C_Initialize calls at the same time undefined (SoftHSM builds its
        // singletons there): loads in one process happen one at a time.
        static INITIALIZING: Mutex<()> = Mutex::new(());
        let _one_at_a_time = INITIALIZING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let pkcs11 = Pkcs11::new(path).map_err(|e| TokenError::Module(e.to_string()))?;
        match pkcs11.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
            Ok(()) | Err(Error::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
            Err(e) => return Err(TokenError::Module(e.to_string())),
        }
        let raw = RawModule::load(path).map_err(TokenError::Module)?;
        Ok(Self {
            pkcs11,
            raw,
            path: path.to_path_buf(),
        })
    }

    /// The module at `path`, loaded once per process while anyone holds it: a service that
    /// keeps several keys on one HSM (the issuing CA's, the OCSP responder's) shares one
    /// context and one slot list.
    pub fn shared(path: &Path) -> Result<Arc<Self>, TokenError> {
        static LOADED: Mutex<Vec<(PathBuf, Weak<Module>)>> = Mutex::new(Vec::new());
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let mut loaded = LOADED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        loaded.retain(|(_, module)| module.strong_count() > 0);
        if let Some(module) = loaded
            .iter()
            .find(|(p, _)| *p == key)
            .and_then(|(_, m)| m.upgrade())
        {
            return Ok(module);
        }
        let module = Arc::new(Self::load(path)?);
        loaded.push((key, Arc::downgrade(&module)));
        Ok(module)
    }

    /// Asks the library afresh which tokens are present: C_Finalize, then C_Initialize. Some
    /// modules (SoftHSM2) read their slots only in C_Initialize, so a token that came later is
    /// seen only this way; hot-plug modules (Рутокен's, OpenSC) answer as they would have.
    /// C_Finalize ends every session of the process, so only the last holder may ask: while
    /// anyone else holds the module (a key being made, a certificate being written) it is
    /// handed back untouched, as [`Rescan::InUse`].
    pub fn rescan(this: Arc<Self>) -> Result<Rescan, TokenError> {
        let module = match Arc::try_unwrap(this) {
            Ok(module) => module,
            Err(held) => return Ok(Rescan::InUse(held)),
        };
        let Self { pkcs11, raw, path } = module;
        drop(raw);
        // A library that was not initialized (someone finalized it) is simply initialized again.
        let _ = pkcs11.finalize();
        Ok(Rescan::Fresh(Self::shared(&path)?))
    }

    /// The cryptoki context.
    pub fn pkcs11(&self) -> &Pkcs11 {
        &self.pkcs11
    }

    /// Raw access for what cryptoki cannot do (this crate only).
    pub(crate) fn raw(&self) -> &RawModule {
        &self.raw
    }

    /// The library path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}
