//! Keys on PKCS#11 tokens (Рутокен, SoftHSM2, OpenSC): module discovery, token listing, PIN
//! login, GOST R 34.10-2012 key generation and signing, certificate installation. Stages 4 and 6
//! of the renewal on a removable token, and signing the statement with the current КЭП.
//!
//! All unsafe code is in the private `raw` module (the GOST mechanisms cryptoki cannot express):
//! nothing outside this crate can reach a raw PKCS#11 handle or hand a module a buffer, and the
//! rest of the crate is held to `deny(unsafe_code)` — `raw.rs` is the one place that allows it,
//! which `tests/unsafe_confined.rs` checks.
#![deny(unsafe_code)]

pub mod constants;
pub mod entropy;
pub mod error;
pub mod hsm;
pub mod install;
pub mod key_store;
pub mod keys;
pub mod messages_ru;
pub mod module;
pub mod pin;
mod raw;
#[cfg(feature = "readers")]
pub mod readers;
#[cfg(feature = "os-keyring")]
pub mod remembered_pin;
pub mod signer;
pub mod tokens;
pub mod worker;

pub use error::TokenError;
pub use module::Module;
pub use pin::Pin;
pub use signer::TokenSigner;
pub use worker::TokenWorker;
