//! Arbitrary bytes as a certificate request and as a certificate: parsing, signature checks and
//! the display summary never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::time::SystemTime;

fuzz_target!(|data: &[u8]| {
    let _ = kep_pki::request::verify_request(data);
    let roots = [data.to_vec()];
    let _ = kep_pki::summary::summarize(data, &roots, &[], SystemTime::UNIX_EPOCH);
});
