//! Arbitrary bytes as SubjectPublicKeyInfo, PKCS#8 and raw points: never a panic, and whatever
//! decodes re-encodes to something that decodes to the same key.
#![no_main]

use kep_gost::{ParamSet, SigningKey, VerifyingKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(public) = VerifyingKey::from_public_key_der(data) {
        let again = VerifyingKey::from_public_key_der(&public.to_public_key_der().unwrap()).unwrap();
        assert_eq!(again, public);
    }
    if let Ok(key) = SigningKey::from_pkcs8_der(data) {
        let again = SigningKey::from_pkcs8_der(&key.to_pkcs8_der().unwrap()).unwrap();
        assert_eq!(again.to_bytes(), key.to_bytes());
    }
    if let Some((&selector, rest)) = data.split_first() {
        let param_set = ParamSet::ALL[usize::from(selector) % ParamSet::ALL.len()];
        let _ = VerifyingKey::from_bytes(param_set, rest);
        let _ = SigningKey::from_bytes(param_set, rest);
    }
});
