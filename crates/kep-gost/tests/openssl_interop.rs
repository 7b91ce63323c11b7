//! Interoperability with OpenSSL 3 and its gost engine, in both directions, for all 14 parameter
//! sets: keys the engine makes load here (and re-encode to the same bytes), keys
//! made here load there, and each side verifies the other's signatures.
//!
//! Needs `openssl` and `libengine-gost-openssl` (installed by scripts/setup.sh).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use kep_gost::{ParamSet, Signature, SigningKey, VerifyingKey};
use kep_system_tests::tools::{OpenSsl, pem};

/// The DER of the single PEM block (private or public key) in `text`.
fn der_of_pem(text: &[u8]) -> Vec<u8> {
    der::pem::decode_vec(text).unwrap().1
}

/// The engine's name for each parameter set (`-pkeyopt paramset:…`).
const ENGINE_NAMES: [(ParamSet, &str, &str); 14] = [
    (ParamSet::CryptoProTest, "gost2012_256", "0"),
    (ParamSet::CryptoProA, "gost2012_256", "A"),
    (ParamSet::CryptoProB, "gost2012_256", "B"),
    (ParamSet::CryptoProC, "gost2012_256", "C"),
    (ParamSet::CryptoProXchA, "gost2012_256", "XA"),
    (ParamSet::CryptoProXchB, "gost2012_256", "XB"),
    (ParamSet::Tc26_256A, "gost2012_256", "TCA"),
    (ParamSet::Tc26_256B, "gost2012_256", "TCB"),
    (ParamSet::Tc26_256C, "gost2012_256", "TCC"),
    (ParamSet::Tc26_256D, "gost2012_256", "TCD"),
    (
        ParamSet::Tc26_512Test,
        "gost2012_512",
        "id-tc26-gost-3410-2012-512-paramSetTest",
    ),
    (ParamSet::Tc26_512A, "gost2012_512", "A"),
    (ParamSet::Tc26_512B, "gost2012_512", "B"),
    (ParamSet::Tc26_512C, "gost2012_512", "C"),
];

const MESSAGE: &[u8] =
    b"\xd0\x97\xd0\xb0\xd1\x8f\xd0\xb2\xd0\xbb\xd0\xb5\xd0\xbd\xd0\xb8\xd0\xb5 (statement)";

#[test]
fn engine_keys_and_signatures_are_accepted_here() {
    let ssl = OpenSsl::new("gost-theirs");
    for (param_set, algorithm, name) in ENGINE_NAMES {
        let key_pem = ssl.scratch.path("key.pem");
        ssl.run(&[
            "genpkey",
            "-algorithm",
            algorithm,
            "-pkeyopt",
            &format!("paramset:{name}"),
            "-out",
            key_pem.to_str().unwrap(),
        ]);
        let key = SigningKey::from_pkcs8_der(&der_of_pem(&std::fs::read(&key_pem).unwrap()))
            .unwrap_or_else(|e| panic!("{param_set:?}: {e}"));
        assert_eq!(key.param_set(), param_set);

        // The engine's public key is the one derived here, in the same bytes.
        let spki = der_of_pem(&ssl.run(&["pkey", "-in", "key.pem", "-pubout"]));
        let public = VerifyingKey::from_public_key_der(&spki).unwrap();
        assert_eq!(&public, key.verifying_key(), "{param_set:?}");
        assert_eq!(
            public.to_public_key_der().unwrap(),
            spki,
            "{param_set:?}: SPKI bytes"
        );
        // And the PKCS#8 we write is the engine's, byte for byte.
        assert_eq!(
            key.to_pkcs8_der().unwrap().as_slice(),
            der_of_pem(&std::fs::read(&key_pem).unwrap()),
            "{param_set:?}: PKCS#8 bytes"
        );

        // A signature the engine makes verifies here.
        let digest = kep_gost::streebog_digest(param_set.key_size(), MESSAGE);
        std::fs::write(ssl.scratch.path("digest.bin"), &digest).unwrap();
        ssl.run(&[
            "pkeyutl",
            "-sign",
            "-inkey",
            key_pem.to_str().unwrap(),
            "-in",
            "digest.bin",
            "-out",
            "sig.bin",
        ]);
        let signature =
            Signature::from_bytes(&std::fs::read(ssl.scratch.path("sig.bin")).unwrap()).unwrap();
        public
            .verify_digest_bytes(&digest, &signature)
            .unwrap_or_else(|e| panic!("{param_set:?}: {e}"));
        public.verify_message(MESSAGE, &signature).unwrap();
    }
}

#[test]
fn our_keys_and_signatures_are_accepted_by_the_engine() {
    let ssl = OpenSsl::new("gost-ours");
    let mut seed = 0x5EED_u64;
    for (param_set, _, _) in ENGINE_NAMES {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut d: Vec<u8> = (0..param_set.key_size().bytes())
            .map(|i| (seed.rotate_left(i as u32) as u8) | 1)
            .collect();
        // A small top byte keeps d below every curve's q (the smallest starts with 0x40).
        d[0] = 0x01;
        let key = SigningKey::from_bytes(param_set, &d).unwrap();
        std::fs::write(
            ssl.scratch.path("ours.pem"),
            pem("PRIVATE KEY", &key.to_pkcs8_der().unwrap()),
        )
        .unwrap();
        std::fs::write(
            ssl.scratch.path("ours.pub.pem"),
            pem(
                "PUBLIC KEY",
                &key.verifying_key().to_public_key_der().unwrap(),
            ),
        )
        .unwrap();

        // The engine derives the same public key from our private key.
        let theirs = der_of_pem(&ssl.run(&["pkey", "-in", "ours.pem", "-pubout"]));
        assert_eq!(
            theirs,
            key.verifying_key().to_public_key_der().unwrap(),
            "{param_set:?}"
        );

        // Our hedged signature verifies there.
        let digest = kep_gost::streebog_digest(param_set.key_size(), MESSAGE);
        std::fs::write(ssl.scratch.path("digest.bin"), &digest).unwrap();
        let signature = key.sign_digest_bytes(&digest, b"test entropy").unwrap();
        std::fs::write(ssl.scratch.path("sig.bin"), signature.as_bytes()).unwrap();
        let out = ssl.run(&[
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "ours.pub.pem",
            "-in",
            "digest.bin",
            "-sigfile",
            "sig.bin",
        ]);
        assert!(
            String::from_utf8_lossy(&out).contains("Signature Verified Successfully"),
            "{param_set:?}"
        );

        // And a tampered one does not.
        let mut bad = signature.as_bytes().to_vec();
        bad[5] ^= 0x40;
        std::fs::write(ssl.scratch.path("bad.bin"), &bad).unwrap();
        let status = ssl.try_run(&[
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "ours.pub.pem",
            "-in",
            "digest.bin",
            "-sigfile",
            "bad.bin",
        ]);
        assert!(
            !status.status.success(),
            "{param_set:?}: the engine accepted a tampered signature"
        );
    }
}
