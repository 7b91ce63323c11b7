//! `npm run bench` (scripts/bench.sh): signs a sparse file of SIZE GiB (default 2) the way the
//! app signs a dropped file — read as a stream, digested, signed, checked, written — and prints
//! the peak memory (VmHWM) before and after and the time taken. Fails when the peak grows by
//! 64 MiB or more, the limit the app promises.
//!
//! `cargo run --release -p kep-client --example sign_large_file -- [SIZE_GIB]`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use kep_client::file_signatures::{Signing, sign_file};
use kep_pki::issue::{CaCertificate, CaSubject, QualifiedProfile, self_signed_root};
use kep_protocol::file_signatures::SignatureEncoding;
use std::time::{Instant, SystemTime};

/// Peak resident memory of this process so far, KiB (Linux).
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let gib: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("SIZE_GIB is a whole number"))
        .unwrap_or(2);
    let dir = std::env::temp_dir().join(format!("kep-large-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("large.bin");
    // Sparse: the file system stores no blocks, the reader still gets every zero byte.
    std::fs::File::create(&file)
        .unwrap()
        .set_len(gib * 1024 * 1024 * 1024)
        .unwrap();

    let key = kep_gost::SigningKey::generate(kep_gost::ParamSet::CryptoProA, &mut kep_pki::OsRng)
        .unwrap();
    let signer = kep_pki::signer::SoftwareGostSigner::new(key).unwrap();
    let profile = QualifiedProfile::default();
    let subject = CaSubject {
        common_name: "KEP Renew large-file measurement".into(),
        organization: "KEP Renew".into(),
        region: None,
        locality: None,
        ogrn: None,
        inn_le: None,
        email: None,
    };
    let certificate = self_signed_root(
        &CaCertificate {
            subject: &subject,
            not_before: SystemTime::now(),
            validity_months: 1,
            path_len: None,
            sign_tool: "KEP Renew",
            profile: &profile,
        },
        &signer,
    )
    .unwrap();

    let before = peak_kib();
    let started = Instant::now();
    let mut reports = 0u32;
    let signed = sign_file(
        &file,
        &dir.join("large.bin.sig"),
        &Signing {
            signer: &signer,
            certificate: &certificate,
            issuers: &[],
        },
        SignatureEncoding::Der,
        SystemTime::now(),
        &mut |_| reports += 1,
    )
    .unwrap();
    let took = started.elapsed();
    let after = peak_kib();
    let signature = std::fs::metadata(&signed.signature).unwrap().len();
    std::fs::remove_dir_all(&dir).unwrap();

    let growth_mib = (after.saturating_sub(before)) as f64 / 1024.0;
    println!(
        "sign_large_file: {gib} GiB sparse file signed in {:.1} s ({:.0} MiB/s, Streebog-256), \
         peak memory {:.1} MiB before, {:.1} MiB after (+{growth_mib:.1} MiB), {reports} \
         progress reports, signature {signature} bytes",
        took.as_secs_f64(),
        (gib * 1024) as f64 / took.as_secs_f64(),
        before as f64 / 1024.0,
        after as f64 / 1024.0,
    );
    assert!(
        growth_mib < 64.0,
        "the peak memory grew by {growth_mib:.1} MiB while signing"
    );
}
