//! What the benchmarks share: the baseline every figure is printed next to.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)] // a benchmark may fail loudly

use std::time::Instant;

/// kep-gost signing 32-byte digests on one core (CryptoPro-A), per second.
pub fn raw_sign_rate() -> f64 {
    let key = kep_gost::SigningKey::generate(kep_gost::ParamSet::CryptoProA, &mut kep_pki::OsRng)
        .unwrap();
    let digest = [0x5Au8; 32];
    let entropy = [0xA5u8; 32];
    for _ in 0..200 {
        key.sign_digest_bytes(&digest, &entropy).unwrap();
    }
    let n = 3000;
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(key.sign_digest_bytes(&digest, &entropy).unwrap());
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// A hierarchy in `data/ca` whose issuing and OCSP keys are on a fresh token of the GOST
/// SoftHSM2, made by the ceremony's own steps (the root in a key file). Must run before any
/// other thread loads the module: it points SoftHSM at the token folder through the
/// environment.
pub fn hsm_hierarchy(data: &std::path::Path) -> kep_ca::ca_keys::CaKeys {
    use kep_ca::ca_keys::{CaKeys, HsmKeys};
    use kep_ca::ceremony::{KeyPlace, issuing, root};
    use kep_pki::issue::CaSubject;
    use std::time::SystemTime;
    let work = data.join("ceremony");
    std::fs::create_dir_all(&work).unwrap();
    let scratch = kep_system_tests::tools::Scratch::new("bench-hsm");
    let conf = kep_system_tests::softhsm::tokens(&scratch, &["KEP Bench HSM"]);
    // SAFETY: called first in main, before any thread reads the environment.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var("SOFTHSM2_CONF", conf);
        std::env::set_var("BOTAN_MLOCK_POOL_SIZE", "0");
    }
    std::mem::forget(scratch); // the tokens live as long as the process
    let subject = |cn: &str| CaSubject {
        common_name: cn.into(),
        organization: "KEP Renew (бенчмарк)".into(),
        region: None,
        locality: None,
        ogrn: None,
        inn_le: None,
        email: None,
    };
    let now = SystemTime::now();
    let root_key = KeyPlace::File {
        path: work.join("root.key.pem"),
        password: zeroize::Zeroizing::new("a benchmark root password".into()),
    };
    root::init_root(&root::InitRoot {
        subject: subject("Bench Root"),
        key: root_key.clone(),
        out: work.join("root"),
        validity_years: 15,
        crl_days: 365,
        now,
    })
    .unwrap();
    let module = kep_system_tests::softhsm::gost_library();
    let pin = kep_token::Pin::new(kep_system_tests::softhsm::USER_PIN);
    let (issuing_key_id, ocsp_key_id) = (vec![0x15; 16], vec![0x0c; 16]);
    issuing::init_issuing(&issuing::InitIssuing {
        subject: subject("Bench Issuing CA"),
        module: module.clone(),
        token_label: "KEP Bench HSM".into(),
        pin: pin.clone(),
        issuing_key_id: Some(issuing_key_id.clone()),
        ocsp_key_id: Some(ocsp_key_id.clone()),
        out: work.join("issuing.csr"),
    })
    .unwrap();
    issuing::sign_issuing(&issuing::SignIssuing {
        root_cert: work.join("root/root.crt"),
        key: root_key,
        request: work.join("issuing.csr"),
        subject: subject("Bench Issuing CA"),
        public_url: "https://127.0.0.1".into(),
        validity_years: 10,
        out: work.join("issuing.crt"),
        now,
    })
    .unwrap();
    let keys = CaKeys::Hsm(HsmKeys {
        module,
        token_label: "KEP Bench HSM".into(),
        pin,
        issuing_key_id,
        ocsp_key_id,
        sessions: 4,
    });
    issuing::install_issuing(&issuing::InstallIssuing {
        data: data.to_path_buf(),
        keys: keys.clone(),
        certificate: work.join("issuing.crt"),
        root_cert: work.join("root/root.crt"),
        root_crl: work.join("root/root.crl"),
        now,
    })
    .unwrap();
    keys
}

/// `signer` signing 32-byte digests from `threads` threads at once, per second.
pub fn signer_rate(signer: std::sync::Arc<dyn kep_pki::signer::KeySigner>, threads: usize) -> f64 {
    let per_thread = 1000;
    let start = Instant::now();
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let signer = signer.clone();
            std::thread::spawn(move || {
                for _ in 0..per_thread {
                    std::hint::black_box(signer.sign_digest(&[0x5A; 32]).unwrap());
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    (threads * per_thread) as f64 / start.elapsed().as_secs_f64()
}
