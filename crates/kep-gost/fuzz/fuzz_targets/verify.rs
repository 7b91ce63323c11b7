//! Verification of arbitrary signatures and digests under a valid key of every parameter set:
//! never a panic, and never an accepted forgery of the fixed message.
#![no_main]

use kep_gost::{ParamSet, Signature, SigningKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let param_set = ParamSet::ALL[usize::from(selector) % ParamSet::ALL.len()];
    let width = param_set.key_size().bytes();
    let key = SigningKey::from_bytes(param_set, &vec![0x11; width]).unwrap();
    let public = key.verifying_key();

    let (signature, digest) = rest.split_at(rest.len().min(2 * width));
    if let Ok(signature) = Signature::from_bytes(signature) {
        let _ = public.verify_digest_bytes(digest, &signature);
        // Forging a signature of a message nobody signed must never succeed.
        assert!(public.verify_message(b"never signed", &signature).is_err());
    }
});
