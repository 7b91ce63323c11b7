//! Interoperability with GnuTLS `certtool`, in both directions, on the curves its build here
//! supports (CryptoPro-A and TC26-512-A; for the others it says "The curve is unsupported"):
//! its keys load here and their certificates verify; our keys load there, and a certificate we
//! build with x509-cert and sign with kep-gost verifies there (and in OpenSSL).
//!
//! Needs `certtool` (gnutls-bin), `openssl` and `libengine-gost-openssl` (scripts/setup.sh).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use der::{DecodePem, Encode, EncodePem};
use kep_gost::{ParamSet, Signature, SigningKey, VerifyingKey};
use std::path::PathBuf;
use std::process::Command;
use std::str::FromStr;
use std::time::Duration;
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder, profile::cabf};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::Validity;

struct Dir(PathBuf);

impl Dir {
    fn new(tag: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("kep-gost-gnutls-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

fn certtool(args: &[&str]) -> String {
    let out = Command::new("certtool")
        .args(args)
        .output()
        .expect("certtool (gnutls-bin) is installed");
    assert!(
        out.status.success(),
        "certtool {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The first PEM block with `label` in a text that may hold several.
fn pem_block(text: &str, label: &str) -> Vec<u8> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text
        .find(&begin)
        .unwrap_or_else(|| panic!("no {label} in:\n{text}"));
    let stop = text[start..].find(&end).unwrap() + start + end.len();
    der::pem::decode_vec(&text.as_bytes()[start..stop])
        .unwrap()
        .1
}

const CURVES: [(ParamSet, &str, &str); 2] = [
    (ParamSet::CryptoProA, "gost12-256", "CryptoPro-A"),
    (ParamSet::Tc26_512A, "gost12-512", "TC26-512-A"),
];

#[test]
fn gnutls_keys_and_certificates_are_accepted_here() {
    let dir = Dir::new("theirs");
    std::fs::write(
        dir.path("t.tmpl"),
        "cn = \"GnuTLS signer\"\nserial = 7\nexpiration_days = 30\nca\ncert_signing_key\n",
    )
    .unwrap();
    for (param_set, key_type, curve) in CURVES {
        certtool(&[
            "--generate-privkey",
            "--key-type",
            key_type,
            "--curve",
            curve,
            "--outfile",
            &dir.path("k.pem"),
        ]);
        let text = std::fs::read_to_string(dir.path("k.pem")).unwrap();
        // GnuTLS writes d little-endian in a nested OCTET STRING (the legacy form).
        let key = SigningKey::from_pkcs8_der(&pem_block(&text, "PRIVATE KEY")).unwrap();
        assert_eq!(key.param_set(), param_set);

        let public = certtool(&["--pubkey-info", "--load-privkey", &dir.path("k.pem")]);
        let spki = pem_block(&public, "PUBLIC KEY");
        assert_eq!(
            &VerifyingKey::from_public_key_der(&spki).unwrap(),
            key.verifying_key()
        );
        assert_eq!(
            key.verifying_key().to_public_key_der().unwrap(),
            spki,
            "{curve}: SPKI bytes"
        );

        certtool(&[
            "--generate-self-signed",
            "--load-privkey",
            &dir.path("k.pem"),
            "--template",
            &dir.path("t.tmpl"),
            "--outfile",
            &dir.path("c.pem"),
        ]);
        let cert = Certificate::from_pem(std::fs::read(dir.path("c.pem")).unwrap()).unwrap();
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
    let dir = Dir::new("ours");
    for (param_set, _, curve) in CURVES {
        let d: Vec<u8> = (1..=param_set.key_size().bytes() as u8).collect();
        let key = SigningKey::from_bytes(param_set, &d).unwrap();
        let key_pem = der::pem::encode_string(
            "PRIVATE KEY",
            der::pem::LineEnding::LF,
            &key.to_pkcs8_der().unwrap(),
        )
        .unwrap();
        std::fs::write(dir.path("ours.key"), key_pem).unwrap();

        // GnuTLS derives our public key from our PKCS#8.
        let public = certtool(&["--pubkey-info", "--load-privkey", &dir.path("ours.key")]);
        assert_eq!(
            pem_block(&public, "PUBLIC KEY"),
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
            Validity::from_now(Duration::from_secs(86_400)).unwrap(),
            spki,
        )
        .unwrap();
        let cert = builder.build::<_, Signature>(&key).unwrap();
        std::fs::write(
            dir.path("ours.crt"),
            cert.to_pem(der::pem::LineEnding::LF).unwrap(),
        )
        .unwrap();

        let verdict = certtool(&[
            "--verify",
            "--load-ca-certificate",
            &dir.path("ours.crt"),
            "--infile",
            &dir.path("ours.crt"),
        ]);
        assert!(verdict.contains("Verified"), "{curve}: {verdict}");

        let ssl = openssl_verify(&dir, "ours.crt");
        assert!(ssl.contains("OK"), "{curve}: {ssl}");
    }
}

/// `openssl verify -check_ss_sig` with the gost engine loaded.
fn openssl_verify(dir: &Dir, cert: &str) -> String {
    let engines = Command::new("openssl")
        .args(["version", "-e"])
        .output()
        .unwrap();
    let engines = String::from_utf8(engines.stdout).unwrap();
    let engines = engines.split('"').nth(1).unwrap().to_owned();
    std::fs::write(
        dir.path("openssl.cnf"),
        format!(
            "openssl_conf = openssl_def\n[openssl_def]\nengines = engine_section\n[engine_section]\n\
             gost = gost_section\n[gost_section]\nengine_id = gost\ndynamic_path = {engines}/gost.so\n\
             default_algorithms = ALL\n"
        ),
    )
    .unwrap();
    let out = Command::new("openssl")
        .args([
            "verify",
            "-check_ss_sig",
            "-CAfile",
            &dir.path(cert),
            &dir.path(cert),
        ])
        .env("OPENSSL_CONF", dir.path("openssl.cnf"))
        .output()
        .unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
