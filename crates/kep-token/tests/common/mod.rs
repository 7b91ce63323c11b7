//! A software token for the tests: a SoftHSM2 token directory of its own, initialized through
//! PKCS#11 itself (C_InitToken, C_InitPIN).
#![allow(dead_code, unsafe_code)]

use cryptoki::session::UserType;
use cryptoki::types::AuthPin;
use kep_system_tests::tools::Scratch;
use kep_token::Module;
use std::path::PathBuf;
use std::sync::Arc;

pub const USER_PIN: &str = "12345678";
pub const SO_PIN: &str = "87654321";
pub const LABEL: &str = "KEP Test";

pub struct SoftToken {
    pub scratch: Scratch,
    pub module: Arc<Module>,
    pub library: PathBuf,
    pub slot: cryptoki::slot::Slot,
}

/// Points SoftHSM at a fresh token directory and loads `library`. Must be called once per test
/// process, before any other thread runs: SoftHSM reads its configuration from the environment.
pub fn soft_token(tag: &str, library: PathBuf) -> SoftToken {
    let scratch = Scratch::new(tag);
    let conf = kep_system_tests::softhsm::config(&scratch);
    // SAFETY: each SoftHSM test binary has a single #[test] that calls this first, so no other
    // thread reads or writes the environment concurrently.
    unsafe {
        std::env::set_var("SOFTHSM2_CONF", conf);
        // Botan's locked-memory pool makes every process that loads it crash at exit.
        std::env::set_var("BOTAN_MLOCK_POOL_SIZE", "0");
    }
    let module = Module::shared(&library).expect("SoftHSM2 loads");
    let slot = module.pkcs11().get_all_slots().unwrap()[0];
    module
        .pkcs11()
        .init_token(slot, &AuthPin::new(SO_PIN.into()), LABEL)
        .unwrap();
    let session = module.pkcs11().open_rw_session(slot).unwrap();
    session
        .login(UserType::So, Some(&AuthPin::new(SO_PIN.into())))
        .unwrap();
    session.init_pin(&AuthPin::new(USER_PIN.into())).unwrap();
    session.logout().unwrap();
    drop(session);
    // After C_InitToken the slot list may renumber: take the slot holding our token.
    let slot = module
        .pkcs11()
        .get_slots_with_token()
        .unwrap()
        .into_iter()
        .find(|s| {
            module
                .pkcs11()
                .get_token_info(*s)
                .map(|i| i.label().trim() == LABEL)
                .unwrap_or(false)
        })
        .expect("the initialized token");
    SoftToken {
        scratch,
        module,
        library,
        slot,
    }
}

/// The GOST-capable SoftHSM2, built (once, cached) by scripts/softhsm-gost.sh.
pub fn gost_library() -> PathBuf {
    kep_system_tests::softhsm::gost_library()
}

/// Debian's stock SoftHSM2 (P-256, no GOST).
pub fn stock_library() -> PathBuf {
    [
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
    .expect("softhsm2 is installed (scripts/setup.sh)")
}
