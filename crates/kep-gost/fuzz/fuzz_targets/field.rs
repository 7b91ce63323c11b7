//! The pseudo-Mersenne field arithmetic (2²⁵⁶ − 617, 2⁵¹² − 569) against crypto-bigint's
//! Montgomery form on arbitrary integers, values ≥ p included: any difference panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kep_gost::fuzz_field_agreement(data);
});
