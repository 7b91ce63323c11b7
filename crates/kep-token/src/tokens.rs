//! The tokens a module sees: label, model, serial, PIN state, and what keys they can make.

use crate::constants::{
    CKM_EC_KEY_PAIR_GEN, CKM_ECDSA, CKM_GOSTR3410, CKM_GOSTR3410_512,
    CKM_GOSTR3410_512_KEY_PAIR_GEN, CKM_GOSTR3410_KEY_PAIR_GEN,
};
use crate::error::TokenError;
use crate::module::Module;
use crate::pin::PinFlags;
use cryptoki::slot::Slot;

/// What the UI shows of a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenDescription {
    /// The slot it sits in.
    pub slot: Slot,
    /// Its label.
    pub label: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// Model.
    pub model: String,
    /// Serial number.
    pub serial: String,
    /// The user PIN's state.
    pub pin: PinFlags,
    /// It can make and use 256-bit GOST keys.
    pub gost_256: bool,
    /// It can make and use 512-bit GOST keys (Рутокен's vendor mechanism).
    pub gost_512: bool,
    /// It can make ECDSA P-256 keys (the non-qualified fallback).
    pub ecdsa: bool,
}

/// Every token present in the module's slots.
pub fn list_tokens(module: &Module) -> Result<Vec<TokenDescription>, TokenError> {
    let mut tokens = Vec::new();
    for slot in module.pkcs11().get_slots_with_token()? {
        let info = module.pkcs11().get_token_info(slot)?;
        let mechanisms = module.raw().mechanism_list(slot.id())?;
        let has = |m| mechanisms.contains(&m);
        tokens.push(TokenDescription {
            slot,
            label: info.label().trim().to_owned(),
            manufacturer: info.manufacturer_id().trim().to_owned(),
            model: info.model().trim().to_owned(),
            serial: info.serial_number().trim().to_owned(),
            pin: PinFlags::from(&info),
            gost_256: has(CKM_GOSTR3410_KEY_PAIR_GEN) && has(CKM_GOSTR3410),
            gost_512: has(CKM_GOSTR3410_512_KEY_PAIR_GEN) && has(CKM_GOSTR3410_512),
            ecdsa: has(CKM_EC_KEY_PAIR_GEN) && has(CKM_ECDSA),
        });
    }
    Ok(tokens)
}
