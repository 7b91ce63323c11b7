//! The computer key store: a key made with the sensor-mixed RNG, stored encrypted (PBES2 scrypt +
//! AES-256-CBC), owner-only; OpenSSL (gost engine) opens it with the password; a wrong password is
//! a clear error; the key signs through the signer abstraction.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use kep_pki::signer::KeySigner;
use kep_system_tests::tools::{OpenSsl, pem_der};
use kep_token::entropy::{EntropyPool, SensorEvent, SensorMixedRng};
use kep_token::key_store::{ComputerKeyStore, KeyStoreError};

fn sensor_rng() -> SensorMixedRng {
    let mut pool = EntropyPool::new();
    let events: Vec<SensorEvent> = (0..300)
        .map(|i: i32| SensorEvent {
            x: i * 7 % 311,
            y: i * i % 197,
            key: None,
            t_us: (i as u64) * 9_000 + (i as u64 * 37 % 1_000),
        })
        .collect();
    pool.add_batch(&events);
    SensorMixedRng::new(&pool.seed().unwrap())
}

#[test]
fn keys_are_stored_encrypted_and_open_only_with_the_password() {
    let ssl = OpenSsl::new("key-store");
    let store = ComputerKeyStore::new(ssl.scratch.path("keys"));
    let stored = store
        .create("kep-2026", "correct horse", &mut sensor_rng())
        .unwrap();
    assert_eq!(store.list().unwrap(), vec!["kep-2026".to_owned()]);

    let path = ssl.scratch.path("keys/kep-2026.key.pem");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    assert_eq!(
        store.open("kep-2026", "wrong horse").unwrap_err(),
        KeyStoreError::WrongPassword
    );
    assert_eq!(
        store.open("nope", "x").unwrap_err(),
        KeyStoreError::NotFound
    );
    let signer = store.open("kep-2026", "correct horse").unwrap();
    assert_eq!(signer.public_key_info(), stored.public_key_info.as_slice());
    let signature = signer.sign_message(b"statement").unwrap();
    let key = kep_gost::VerifyingKey::from_public_key_der(&stored.public_key_info).unwrap();
    key.verify_message(
        b"statement",
        &kep_gost::Signature::from_bytes(&signature).unwrap(),
    )
    .unwrap();

    // OpenSSL opens the same file with the password. `openssl pkey -passin` refuses N = 2^17
    // (OpenSSL 3.0 caps scrypt at 32 MiB when reading PKCS#8 and has no option to raise it), so
    // the test takes the file apart and lets OpenSSL do each step: scrypt (`openssl kdf` with a
    // raised maxmem), AES-256-CBC (`openssl enc`), and the GOST key (`openssl pkey`, engine).
    let der = pem_der(text.as_bytes(), "ENCRYPTED PRIVATE KEY");
    let info = pkcs8::EncryptedPrivateKeyInfoRef::try_from(der.as_slice()).unwrap();
    let pbes2 = info.encryption_algorithm.pbes2().expect("PBES2");
    let scrypt = pbes2.kdf.scrypt().expect("scrypt");
    let iv = match pbes2.encryption {
        pkcs8::pkcs5::pbes2::EncryptionScheme::Aes256Cbc { iv } => iv,
        other => panic!("not AES-256-CBC: {other:?}"),
    };
    assert_eq!(
        (
            scrypt.cost_parameter,
            scrypt.block_size,
            scrypt.parallelization
        ),
        (1 << 17, 8, 1)
    );
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let key = String::from_utf8(ssl.run(&[
        "kdf",
        "-keylen",
        "32",
        "-kdfopt",
        "pass:correct horse",
        "-kdfopt",
        &format!("hexsalt:{}", hex(scrypt.salt.as_bytes())),
        "-kdfopt",
        "n:131072",
        "-kdfopt",
        "r:8",
        "-kdfopt",
        "p:1",
        "-kdfopt",
        "maxmem_bytes:1073741824",
        "SCRYPT",
    ]))
    .unwrap()
    .trim()
    .replace(':', "");
    ssl.scratch.write("key.enc", info.encrypted_data.as_bytes());
    ssl.run(&[
        "enc",
        "-d",
        "-aes-256-cbc",
        "-K",
        &key,
        "-iv",
        &hex(&iv),
        "-in",
        "key.enc",
        "-out",
        "key.p8",
    ]);
    let public = ssl.run(&[
        "pkey", "-inform", "DER", "-in", "key.p8", "-pubout", "-outform", "DER",
    ]);
    assert_eq!(public, stored.public_key_info);

    store
        .save_certificate("kep-2026", b"certificate bytes")
        .unwrap();
    assert_eq!(
        store.certificate("kep-2026").unwrap().unwrap(),
        b"certificate bytes"
    );
}
