//! Requests and qualified certificates made here, checked by OpenSSL (gost engine) and GnuTLS
//! certtool; requests and certificates made by OpenSSL, parsed and verified here; tampering
//! rejected.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

mod common;

use common::{P256Signer, gost_signer, issue, now, pki};
use kep_pki::ValidateRequisites;

use der::Decode;
use kep_gost::ParamSet;
use kep_pki::extensions::IdentificationKind;
use kep_pki::issue::{KeyStorage, QualifiedProfile};
use kep_pki::request::{build_request, verify_request};
use kep_pki::signer::SignatureAlgorithm;
use kep_pki::summary::summarize;
use kep_system_tests::tools::{OpenSsl, certtool, pem, pem_der};
use std::time::{Duration, SystemTime};
use x509_cert::Certificate;

#[test]
fn our_request_and_certificate_are_accepted_by_openssl() {
    let ssl = OpenSsl::new("pki-openssl");
    let pki = pki();
    let user = gost_signer(ParamSet::CryptoProA, 0x33);
    let request =
        build_request(&common::sample(), &user, Some("СКЗИ \"Рутокен ЭЦП 2.0\"")).unwrap();
    ssl.scratch
        .write("user.csr", pem("CERTIFICATE REQUEST", &request));
    let out = ssl.try_run(&["req", "-verify", "-noout", "-in", "user.csr"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success() && text.contains("verify OK"), "{text}");

    let cert = issue(
        &pki,
        &request,
        IdentificationKind::RemoteWithQualifiedSignature,
        KeyStorage::Token,
    );
    ssl.scratch.write("root.pem", pem("CERTIFICATE", &pki.root));
    ssl.scratch.write("ca.pem", pem("CERTIFICATE", &pki.ca));
    ssl.scratch.write("user.pem", pem("CERTIFICATE", &cert));
    let verdict = ssl.run(&[
        "verify",
        "-check_ss_sig",
        "-CAfile",
        "root.pem",
        "-untrusted",
        "ca.pem",
        "user.pem",
    ]);
    assert!(String::from_utf8_lossy(&verdict).contains("user.pem: OK"));

    let text = String::from_utf8_lossy(&ssl.run(&[
        "x509",
        "-in",
        "user.pem",
        "-noout",
        "-text",
        "-nameopt",
        "oneline,-esc_msb",
    ]))
    .into_owned();
    for needle in [
        "SNILS",
        "11223344595",
        "INN",
        "500100732259",
        "Signing Tool of Subject",
        "Рутокен",
        "Signing Tool of Issuer",
        "Class of Signing Tool KC1",
        "1.2.643.100.114",
        "Иванов Иван Иванович",
        "Digital Signature, Non Repudiation, Key Encipherment, Data Encipherment",
        "TLS Web Client Authentication, E-mail Protection",
        "Private Key Usage Period",
        "http://127.0.0.1:8443/crl/issuing.crl",
        "CA Issuers - URI:http://127.0.0.1:8443/ca/issuing.cer",
    ] {
        assert!(
            text.contains(needle),
            "`openssl x509 -text` lacks {needle}:\n{text}"
        );
    }
    // IdentificationKind: OpenSSL does not name it; its ASN.1 dump shows the INTEGER 1.
    assert_eq!(
        ssl.run(&["x509", "-in", "user.pem", "-outform", "DER"]),
        cert
    );
    let dump = String::from_utf8_lossy(&ssl.run(&["asn1parse", "-in", "user.pem"])).into_owned();
    let after = &dump[dump
        .find(":1.2.643.100.114")
        .expect("the extension is present")..];
    let line = after.lines().nth(1).unwrap();
    assert!(
        line.contains("OCTET STRING") && line.ends_with("[HEX DUMP]:020101"),
        "{line}"
    );
}

#[test]
fn our_certificates_are_accepted_by_gnutls() {
    let ssl = OpenSsl::new("pki-gnutls");
    let pki = pki();
    let user = gost_signer(ParamSet::CryptoProA, 0x34);
    let request = build_request(&common::sample(), &user, None).unwrap();
    let cert = issue(
        &pki,
        &request,
        IdentificationKind::InPerson,
        KeyStorage::Computer,
    );
    ssl.scratch.write(
        "chain.pem",
        format!(
            "{}{}",
            pem("CERTIFICATE", &cert),
            pem("CERTIFICATE", &pki.ca)
        ),
    );
    ssl.scratch.write("root.pem", pem("CERTIFICATE", &pki.root));
    let (ok, text) = certtool(&[
        "--verify",
        "--load-ca-certificate",
        &ssl.scratch.arg("root.pem"),
        "--infile",
        &ssl.scratch.arg("chain.pem"),
    ]);
    assert!(
        ok && text.contains("Chain verification output: Verified"),
        "{text}"
    );
    ssl.scratch
        .write("user.csr", pem("CERTIFICATE REQUEST", &request));
    let (ok, text) = certtool(&["--crq-info", "--infile", &ssl.scratch.arg("user.csr")]);
    assert!(ok && text.contains("Self signature: verified"), "{text}");
}

#[test]
fn openssl_requests_and_certificates_are_verified_here() {
    let ssl = OpenSsl::new("pki-theirs");
    for (algorithm, paramset, md) in [
        ("gost2012_256", "paramset:A", "-md_gost12_256"),
        ("gost2012_256", "paramset:TCA", "-md_gost12_256"),
        ("gost2012_512", "paramset:A", "-md_gost12_512"),
    ] {
        ssl.run(&[
            "genpkey",
            "-algorithm",
            algorithm,
            "-pkeyopt",
            paramset,
            "-out",
            "k.pem",
        ]);
        ssl.run(&[
            "req",
            "-new",
            "-key",
            "k.pem",
            md,
            "-subj",
            "/CN=Petrov/SNILS=11223344595",
            "-out",
            "r.pem",
        ]);
        let request =
            verify_request(&pem_der(&ssl.scratch.read("r.pem"), "CERTIFICATE REQUEST")).unwrap();
        assert!(request.algorithm.is_gost());
        ssl.run(&[
            "req",
            "-x509",
            "-key",
            "k.pem",
            md,
            "-subj",
            "/CN=Petrov CA",
            "-days",
            "30",
            "-out",
            "c.pem",
        ]);
        let cert = pem_der(&ssl.scratch.read("c.pem"), "CERTIFICATE");
        let summary =
            summarize(&cert, std::slice::from_ref(&cert), &[], SystemTime::now()).unwrap();
        assert_eq!(summary.owner, "Petrov CA");
        assert!(!summary.qualified, "no SNILS, no sign tools: not qualified");
        let parsed = Certificate::from_der(&cert).unwrap();
        assert!(
            kep_pki::summary::is_signed_by(&parsed, &parsed),
            "{algorithm} {paramset}"
        );
    }
}

#[test]
fn an_issued_certificate_reads_as_qualified() {
    let pki = pki();
    let user = gost_signer(ParamSet::CryptoProA, 0x35);
    let request =
        build_request(&common::sample(), &user, Some("СКЗИ \"Рутокен ЭЦП 2.0\"")).unwrap();
    let cert = issue(
        &pki,
        &request,
        IdentificationKind::RemoteWithQualifiedSignature,
        KeyStorage::Token,
    );
    let at = now() + Duration::from_secs(10 * 86_400);
    let summary = summarize(
        &cert,
        std::slice::from_ref(&pki.root),
        std::slice::from_ref(&pki.ca),
        at,
    )
    .unwrap();
    assert_eq!(summary.owner, "Иванов Иван Иванович");
    assert_eq!(summary.snils.as_deref(), Some("11223344595"));
    assert_eq!(summary.inn.as_deref(), Some("500100732259"));
    assert_eq!(summary.issuer, "KEP Renew Test Issuing CA");
    assert_eq!(summary.key_algorithm, "ГОСТ Р 34.10-2012 256 бит");
    assert_eq!(summary.param_set.as_deref(), Some("1.2.643.2.2.35.1"));
    assert_eq!(summary.identification_kind, Some(1));
    assert_eq!(
        summary.subject_sign_tool.as_deref(),
        Some("СКЗИ \"Рутокен ЭЦП 2.0\"")
    );
    assert_eq!(summary.thumbprint.len(), 40);
    assert!(
        (354..=356).contains(&summary.days_left),
        "{}",
        summary.days_left
    );
    assert!(summary.qualified);
    // Without the configured root it does not chain, so it is not qualified.
    let alone = summarize(&cert, &[], std::slice::from_ref(&pki.ca), at).unwrap();
    assert!(!alone.qualified);
}

#[test]
fn the_certificate_takes_the_approved_requisites_not_the_request_subject() {
    let pki = pki();
    let user = gost_signer(ParamSet::CryptoProA, 0x36);
    let mut claimed = common::sample_input();
    claimed.surname = "Петров".into();
    let request = build_request(&claimed.validate(common::TODAY).unwrap(), &user, None).unwrap();
    let cert = issue(
        &pki,
        &request,
        IdentificationKind::InPerson,
        KeyStorage::Computer,
    );
    let summary = summarize(&cert, &[], &[], now()).unwrap();
    assert_eq!(summary.owner, "Иванов Иван Иванович");
    assert_eq!(
        summary.subject_sign_tool,
        Some(QualifiedProfile::default().computer_sign_tool)
    );
}

#[test]
fn the_ecdsa_demo_profile_omits_encipherment() {
    let ssl = OpenSsl::new("pki-ecdsa");
    let pki = pki();
    let request = build_request(&common::sample(), &P256Signer::new(), None).unwrap();
    let verified = verify_request(&request).unwrap();
    assert_eq!(verified.algorithm, SignatureAlgorithm::EcdsaP256Sha256);
    let cert = issue(
        &pki,
        &request,
        IdentificationKind::InPerson,
        KeyStorage::Token,
    );
    ssl.scratch.write("user.pem", pem("CERTIFICATE", &cert));
    let text = String::from_utf8_lossy(&ssl.run(&["x509", "-in", "user.pem", "-noout", "-text"]))
        .into_owned();
    assert!(
        text.contains("Digital Signature, Non Repudiation\n"),
        "{text}"
    );
    assert!(!text.contains("Key Encipherment"));
    let summary = summarize(&cert, &[], &[], now()).unwrap();
    assert_eq!(summary.key_algorithm, "ECDSA P-256 (неквалифицированный)");
}

#[test]
fn tampered_requests_and_certificates_are_rejected() {
    let pki = pki();
    let user = gost_signer(ParamSet::CryptoProA, 0x37);
    let request =
        build_request(&common::sample(), &user, Some("СКЗИ \"Рутокен ЭЦП 2.0\"")).unwrap();
    // Flip one bit in the subject (inside the signed part).
    let pos = request
        .windows(6)
        .position(|w| w == "Иван".as_bytes()[..6].as_ref())
        .unwrap();
    let mut bad = request.clone();
    bad[pos] ^= 0x01;
    assert!(verify_request(&bad).is_err());
    // Truncations are errors, never panics.
    for cut in [0, 1, 10, request.len() / 2, request.len() - 1] {
        assert!(verify_request(&request[..cut]).is_err());
    }
    let cert = issue(
        &pki,
        &request,
        IdentificationKind::InPerson,
        KeyStorage::Token,
    );
    let mut forged = cert.clone();
    let pos = forged
        .windows(11)
        .position(|w| w == b"11223344595")
        .unwrap();
    forged[pos + 10] = b'6';
    let forged = Certificate::from_der(&forged).unwrap();
    let ca = Certificate::from_der(&pki.ca).unwrap();
    assert!(kep_pki::summary::is_signed_by(
        &Certificate::from_der(&cert).unwrap(),
        &ca
    ));
    assert!(!kep_pki::summary::is_signed_by(&forged, &ca));
    let _ = pki.root_signer; // the root key signs only the issuing CA
}
