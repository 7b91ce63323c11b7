//! Interoperability with GnuTLS `certtool`, in both directions, on the curves its build here
//! supports (CryptoPro-A and TC26-512-A; for the others it says "The curve is unsupported"):
//! its keys load here and their certificates verify; our keys load there, and a certificate we
//! build with x509-cert and sign with kep-gost verifies there (and in OpenSSL).
//!
//! Needs `certtool` (gnutls-bin), `openssl` and `libengine-gost-openssl` (scripts/setup.sh).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use der::{DecodePem, Encode, EncodePem};
use kep_gost::{ParamSet, Signature, SigningKey, VerifyingKey};
use kep_system_tests::tools::{OpenSsl, certtool, pem, pem_der};
use std::str::FromStr;
use std::time::Duration;
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder, profile::cabf};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::Validity;

/// certtool's stdout, failing the test when it fails.
fn run_certtool(args: &[&str]) -> String {
    let (ok, text) = certtool(args);
    assert!(ok, "certtool {args:?}: {text}");
    text
}

const CURVES: [(ParamSet, &str, &str); 2] = [
    (ParamSet::CryptoProA, "gost12-256", "CryptoPro-A"),
    (ParamSet::Tc26_512A, "gost12-512", "TC26-512-A"),
];

#[test]
fn gnutls_keys_and_certificates_are_accepted_here() {
    let ssl = OpenSsl::new("gnutls-theirs");
    let dir = &ssl.scratch;
    std::fs::write(
        dir.arg("t.tmpl"),
        "cn = \"GnuTLS signer\"\nserial = 7\nexpiration_days = 30\nca\ncert_signing_key\n",
    )
    .unwrap();
    for (param_set, key_type, curve) in CURVES {
        run_certtool(&[
            "--generate-privkey",
            "--key-type",
            key_type,
            "--curve",
            curve,
            "--outfile",
            &dir.arg("k.pem"),
        ]);
        let text = std::fs::read_to_string(dir.arg("k.pem")).unwrap();
        // GnuTLS writes d little-endian in a nested OCTET STRING (the legacy form).
        let key = SigningKey::from_pkcs8_der(&pem_der(text.as_bytes(), "PRIVATE KEY")).unwrap();
        assert_eq!(key.param_set(), param_set);

        let public = run_certtool(&["--pubkey-info", "--load-privkey", &dir.arg("k.pem")]);
        let spki = pem_der(public.as_bytes(), "PUBLIC KEY");
        assert_eq!(
            &VerifyingKey::from_public_key_der(&spki).unwrap(),
            key.verifying_key()
        );
        assert_eq!(
            key.verifying_key().to_public_key_der().unwrap(),
            spki,
            "{curve}: SPKI bytes"
        );

        run_certtool(&[
            "--generate-self-signed",
            "--load-privkey",
            &dir.arg("k.pem"),
            "--template",
            &dir.arg("t.tmpl"),
            "--outfile",
            &dir.arg("c.pem"),
        ]);
        let cert = Certificate::from_pem(std::fs::read(dir.arg("c.pem")).unwrap()).unwrap();
        let tbs = cert.tbs_certificate().to_der().unwrap();
        let digest = kep_gost::streebog_digest(param_set.key_size(), &tbs);
        let signature = Signature::from_bytes(cert.signature().raw_bytes()).unwrap();
        key.verifying_key()
            .verify_digest_bytes(&digest, &signature)
            .unwrap();
    }
}

#[test]
fn our_keys_and_certificates_are_accepted_by_gnutls_and_openssl() {
    let ssl = OpenSsl::new("gnutls-ours");
    let dir = &ssl.scratch;
    for (param_set, _, curve) in CURVES {
        let d: Vec<u8> = (1..=param_set.key_size().bytes() as u8).collect();
        let key = SigningKey::from_bytes(param_set, &d).unwrap();
        dir.write("ours.key", pem("PRIVATE KEY", &key.to_pkcs8_der().unwrap()));

        // GnuTLS derives our public key from our PKCS#8.
        let public = run_certtool(&["--pubkey-info", "--load-privkey", &dir.arg("ours.key")]);
        assert_eq!(
            pem_der(public.as_bytes(), "PUBLIC KEY"),
            key.verifying_key().to_public_key_der().unwrap(),
            "{curve}"
        );

        // A self-signed certificate built by x509-cert and signed here.
        let subject = Name::from_str("CN=kep-gost signer,O=KEP Renew,C=RU").unwrap();
        let spki = SubjectPublicKeyInfoOwned::try_from(
            key.verifying_key().to_public_key_der().unwrap().as_slice(),
        )
        .unwrap();
        let builder = CertificateBuilder::new(
            cabf::Root::new(false, subject).unwrap(),
            SerialNumber::from(42u32),
            // Valid from an hour ago: a notBefore of "now" races certtool's own clock reading.
            Validity::new(
                x509_cert::time::Time::try_from(
                    std::time::SystemTime::now() - Duration::from_secs(3600),
                )
                .unwrap(),
                x509_cert::time::Time::try_from(
                    std::time::SystemTime::now() + Duration::from_secs(86_400),
                )
                .unwrap(),
            ),
            spki,
        )
        .unwrap();
        let cert = builder.build::<_, Signature>(&key).unwrap();
        std::fs::write(
            dir.arg("ours.crt"),
            cert.to_pem(der::pem::LineEnding::LF).unwrap(),
        )
        .unwrap();

        let verdict = run_certtool(&[
            "--verify",
            "--load-ca-certificate",
            &dir.arg("ours.crt"),
            "--infile",
            &dir.arg("ours.crt"),
        ]);
        assert!(verdict.contains("Verified"), "{curve}: {verdict}");

        let verdict = ssl.run(&["verify", "-check_ss_sig", "-CAfile", "ours.crt", "ours.crt"]);
        assert!(
            String::from_utf8_lossy(&verdict).contains("ours.crt: OK"),
            "{curve}"
        );
    }
}
