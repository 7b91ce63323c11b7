//! A signer's path against a list the size of the Ministry's (60 000 listed certificates): the
//! list indexed by subject (`listed_issuer`, what statements use) next to the baseline of the
//! same run — every listed certificate handed to the path check as a root, as before the index.
//! The listed certificates are the dev CA's issuing certificate with its subject changed in three
//! bytes (their signatures are not checked unless their name is the signer's issuer's), plus the
//! real one. Median of 5 runs each.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may fail loudly

use der::{Decode, Encode};
use kep_ca::store::trust_store::TrustImportRow;
use kep_ca::trust::accredited::{
    Accreditation, AccreditationSince, AccreditedCa, AuthorityKey, ListedCertificate,
};
use kep_ca::trust::listed_issuer::listed_issuer;
use kep_ca::trust::trusted_cas::CurrentList;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const LISTED: usize = 60_000;
const RUNS: usize = 5;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn timed(mut f: impl FnMut()) -> Duration {
    median(
        (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                f();
                started.elapsed()
            })
            .collect(),
    )
}

/// `n` certificates like `template` with distinct subjects.
fn fillers(template: &[u8], n: usize) -> Vec<Vec<u8>> {
    let subject = x509_cert::Certificate::from_der(template)
        .unwrap()
        .tbs_certificate()
        .subject()
        .to_der()
        .unwrap();
    let at = template
        .windows(subject.len())
        .rposition(|w| w == subject.as_slice())
        .unwrap();
    let end = at + subject.len();
    (0..n)
        .map(|i| {
            let mut der = template.to_vec();
            let mark = u32::try_from(i).unwrap().to_be_bytes();
            der[end - 3..end].copy_from_slice(&mark[1..]);
            der
        })
        .collect()
}

fn listed(der: Vec<u8>) -> ListedCertificate {
    ListedCertificate {
        thumbprint: String::new(),
        serial: String::new(),
        not_before: 0,
        not_after: i64::MAX / 2,
        der,
    }
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("kep-ca-trust-bench-{}", std::process::id()));
    let mut config = kep_ca::ServiceConfig::development(&dir, "http://127.0.0.1");
    config.telephony = Arc::new(kep_ca::telephony::DevTelephony::quiet());
    config.keys = kep_ca::ca_keys::CaKeys::dev_files(10);
    let state = kep_ca::service(config).await.unwrap();
    kep_ca::dev_seed::seed(&state, &dir.join("applicant"), 10)
        .await
        .unwrap();
    let signer = std::fs::read(dir.join("applicant").join("current.crt")).unwrap();
    let issuing = state.applications.authority().issuing_der().to_vec();
    let mut certificates: Vec<ListedCertificate> =
        fillers(&issuing, LISTED).into_iter().map(listed).collect();
    certificates.push(listed(issuing));
    let ders: Vec<Vec<u8>> = certificates.iter().map(|c| c.der.clone()).collect();
    let ca = AccreditedCa {
        name: "УЦ".into(),
        accreditation: vec![AccreditationSince {
            state: Accreditation::Active,
            since: 0,
        }],
        keys: vec![AuthorityKey {
            key_id: "0a".into(),
            crl_urls: vec![],
            certificates,
        }],
        ..AccreditedCa::default()
    };
    let now = SystemTime::now();
    let unix = i64::try_from(now.duration_since(UNIX_EPOCH).unwrap().as_secs()).unwrap();
    let import = TrustImportRow::loading(1, unix, String::new(), "bench", unix);

    let started = Instant::now();
    let list = CurrentList::new(import, vec![ca]);
    let indexing = started.elapsed();
    let baseline = timed(|| {
        kep_pki::chain::verify_chain(&signer, &[], &ders, now, &[]).unwrap();
    });
    let indexed = timed(|| {
        listed_issuer(&list, &signer, &[], unix).unwrap();
    });
    println!(
        "{} listed certificates: indexing once per import {:.0} ms",
        LISTED + 1,
        indexing.as_secs_f64() * 1e3
    );
    println!(
        "baseline: every listed certificate as a root: {:.1} ms per signer",
        baseline.as_secs_f64() * 1e3
    );
    println!(
        "listed_issuer (indexed by subject): {:.3} ms per signer ({:.0}x faster)",
        indexed.as_secs_f64() * 1e3,
        baseline.as_secs_f64() / indexed.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
