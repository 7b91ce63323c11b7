//! Arbitrary bytes as a certificate request, a certificate, a CMS signature and a CRL: parsing,
//! signature checks, path validation and the display summary never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::time::SystemTime;

fuzz_target!(|data: &[u8]| {
    let _ = kep_pki::request::verify_request(data);
    let roots = [data.to_vec()];
    let _ = kep_pki::summary::summarize(data, &roots, &[], SystemTime::UNIX_EPOCH);
    let _ = kep_pki::chain::verify_chain(data, &[], &roots, SystemTime::UNIX_EPOCH, &[]);
    let _ = kep_pki::cms_signature::verify_detached(
        data,
        b"content",
        kep_pki::cms_signature::SignaturePolicy::Cms,
    );
    if let Ok(crl) = kep_pki::crl::Crl::parse(data) {
        let serial = x509_cert_serial();
        let _ = crl.revoked_at(&serial, SystemTime::UNIX_EPOCH);
    }
});

fn x509_cert_serial() -> kep_pki::crl::SerialNumber {
    kep_pki::crl::SerialNumber::from(1u32)
}
