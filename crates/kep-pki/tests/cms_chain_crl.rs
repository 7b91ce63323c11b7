//! Detached CAdES-BES signatures, path validation and CRLs, against OpenSSL (gost engine) and
//! GnuTLS in both directions; tampering, wrong digests, missing signing-certificate-v2,
//! revocation.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

mod common;

use common::{gost_signer, issue, now, pki};
use der::Decode;
use kep_gost::ParamSet;
use kep_pki::chain::{ChainError, verify_chain};
use kep_pki::cms_signature::{CmsError, SignaturePolicy, sign_detached, verify_detached};
use kep_pki::crl::{Crl, Revocation, RevocationReason, build_crl};
use kep_pki::extensions::IdentificationKind;
use kep_pki::issue::{Issuer, KeyStorage};
use kep_pki::request::build_request;
use kep_system_tests::tools::{OpenSsl, certtool, pem, pem_der};
use std::time::Duration;
use x509_cert::Certificate;

const STATEMENT: &[u8] = "Заявление на изготовление квалифицированного сертификата".as_bytes();

struct Signed {
    pki: common::Pki,
    user_cert: Vec<u8>,
    cms: Vec<u8>,
}

fn signed_statement() -> Signed {
    let pki = pki();
    let user = gost_signer(ParamSet::CryptoProA, 0x41);
    let request = build_request(&common::sample(), &user, None).unwrap();
    let user_cert = issue(
        &pki,
        &request,
        IdentificationKind::InPerson,
        KeyStorage::Token,
    );
    let cms = sign_detached(
        STATEMENT,
        &user,
        &user_cert,
        now() + Duration::from_secs(3600),
    )
    .unwrap();
    Signed {
        pki,
        user_cert,
        cms,
    }
}

fn later() -> std::time::SystemTime {
    now() + Duration::from_secs(86_400)
}

#[test]
fn our_signature_verifies_here_and_in_openssl_and_gnutls() {
    let s = signed_statement();
    let verified = verify_detached(&s.cms, STATEMENT, SignaturePolicy::CadesBes).unwrap();
    assert_eq!(verified.signer_certificate, s.user_cert);
    assert_eq!(
        verified.signing_time,
        Some(now() + Duration::from_secs(3600))
    );

    let ssl = OpenSsl::new("cms-ours");
    ssl.scratch.write("statement.txt", STATEMENT);
    ssl.scratch.write("sig.p7s", &s.cms);
    ssl.scratch.write(
        "trusted.pem",
        format!(
            "{}{}",
            pem("CERTIFICATE", &s.pki.root),
            pem("CERTIFICATE", &s.pki.ca)
        ),
    );
    let out = ssl.try_run(&[
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        "sig.p7s",
        "-content",
        "statement.txt",
        "-CAfile",
        "trusted.pem",
        "-purpose",
        "any",
        "-out",
        "/dev/null",
    ]);
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && text.contains("Verification successful"),
        "{text}"
    );

    ssl.scratch.write("sig.pem", pem("PKCS7", &s.cms));
    ssl.scratch.write(
        "chain.pem",
        format!(
            "{}{}",
            pem("CERTIFICATE", &s.pki.ca),
            pem("CERTIFICATE", &s.pki.root)
        ),
    );
    let (ok, text) = certtool(&[
        "--p7-verify",
        "--infile",
        &ssl.scratch.arg("sig.pem"),
        "--load-data",
        &ssl.scratch.arg("statement.txt"),
        "--load-ca-certificate",
        &ssl.scratch.arg("chain.pem"),
    ]);
    assert!(ok && text.contains("Signature status: ok"), "{text}");
}

#[test]
fn openssl_signatures_verify_here() {
    let ssl = OpenSsl::new("cms-theirs");
    ssl.scratch.write("statement.txt", STATEMENT);
    for (algorithm, md) in [
        ("gost2012_256", "md_gost12_256"),
        ("gost2012_512", "md_gost12_512"),
    ] {
        ssl.run(&[
            "req",
            "-x509",
            "-newkey",
            algorithm,
            "-pkeyopt",
            "paramset:A",
            "-nodes",
            "-keyout",
            "s.key",
            "-out",
            "s.crt",
            "-subj",
            "/CN=Signer",
            "-days",
            "30",
            &format!("-{md}"),
        ]);
        for cades in [true, false] {
            let mut args = vec![
                "cms",
                "-sign",
                "-binary",
                "-md",
                md,
                "-in",
                "statement.txt",
                "-signer",
                "s.crt",
                "-inkey",
                "s.key",
                "-outform",
                "DER",
                "-out",
                "sig.p7s",
            ];
            if cades {
                args.push("-cades");
            }
            ssl.run(&args);
            let cms = ssl.scratch.read("sig.p7s");
            let verified = verify_detached(&cms, STATEMENT, SignaturePolicy::Cms)
                .unwrap_or_else(|e| panic!("{algorithm} cades={cades}: {e}"));
            assert_eq!(
                verified.signer_certificate,
                pem_der(&ssl.scratch.read("s.crt"), "CERTIFICATE")
            );
            assert!(verified.signing_time.is_some());
            let strict = verify_detached(&cms, STATEMENT, SignaturePolicy::CadesBes);
            if cades {
                strict.unwrap();
            } else {
                assert_eq!(strict.unwrap_err(), CmsError::MissingSigningCertificate);
            }
            assert_eq!(
                verify_detached(&cms, b"other bytes", SignaturePolicy::Cms).unwrap_err(),
                CmsError::ContentMismatch
            );
        }
    }
}

#[test]
fn tampered_signatures_are_refused() {
    let s = signed_statement();
    // Other content.
    let mut other = STATEMENT.to_vec();
    other[0] ^= 1;
    assert_eq!(
        verify_detached(&s.cms, &other, SignaturePolicy::CadesBes).unwrap_err(),
        CmsError::ContentMismatch
    );
    // The signature value.
    let mut bad = s.cms.clone();
    let n = bad.len();
    bad[n - 5] ^= 0x10;
    assert!(matches!(
        verify_detached(&bad, STATEMENT, SignaturePolicy::CadesBes),
        Err(CmsError::Signature(_))
    ));
    // The embedded certificate (its СНИЛС): signing-certificate-v2 no longer matches.
    let mut bad = s.cms.clone();
    let pos = bad.windows(11).position(|w| w == b"11223344595").unwrap();
    bad[pos + 10] = b'7';
    assert_eq!(
        verify_detached(&bad, STATEMENT, SignaturePolicy::CadesBes).unwrap_err(),
        CmsError::SigningCertificateMismatch
    );
    // A wrong digest algorithm: Streebog-512 named for a 256-bit key.
    let mut bad = s.cms.clone();
    let streebog_256 = [0x06, 0x08, 0x2a, 0x85, 0x03, 0x07, 0x01, 0x01, 0x02, 0x02];
    let positions: Vec<usize> = bad
        .windows(10)
        .enumerate()
        .filter(|(_, w)| *w == streebog_256)
        .map(|(i, _)| i)
        .collect();
    assert!(positions.len() >= 2);
    for pos in positions {
        bad[pos + 9] = 0x03;
    }
    assert!(matches!(
        verify_detached(&bad, STATEMENT, SignaturePolicy::CadesBes),
        Err(CmsError::WrongDigestAlgorithm(_))
    ));
    // Truncations are errors, never panics.
    for cut in [0, 1, 20, s.cms.len() / 2, s.cms.len() - 1] {
        assert!(verify_detached(&s.cms[..cut], STATEMENT, SignaturePolicy::Cms).is_err());
    }
}

#[test]
fn chains_built_here_validate_with_clear_refusals() {
    let s = signed_statement();
    let roots = [s.pki.root.clone()];
    let intermediates = [s.pki.ca.clone()];
    let path = verify_chain(&s.user_cert, &intermediates, &roots, later(), &[]).unwrap();
    assert_eq!(path.len(), 3);

    assert!(matches!(
        verify_chain(&s.user_cert, &[], &roots, later(), &[]),
        Err(ChainError::NoIssuer { .. })
    ));
    assert!(matches!(
        verify_chain(&s.user_cert, &intermediates, &[], later(), &[]),
        Err(ChainError::NoIssuer { .. })
    ));
    let long_after = now() + Duration::from_secs(400 * 86_400);
    assert!(matches!(
        verify_chain(&s.user_cert, &intermediates, &roots, long_after, &[]),
        Err(ChainError::Expired { .. })
    ));
    let before = now() - Duration::from_secs(86_400);
    assert!(matches!(
        verify_chain(&s.user_cert, &intermediates, &roots, before, &[]),
        Err(ChainError::NotYetValid { .. })
    ));
    // A user certificate cannot issue: a "certificate" signed by the user is refused.
    let user = gost_signer(ParamSet::CryptoProA, 0x41);
    let user_cert = Certificate::from_der(&s.user_cert).unwrap();
    let next = gost_signer(ParamSet::CryptoProA, 0x42);
    let request = build_request(&common::sample(), &next, None).unwrap();
    let verified = kep_pki::request::verify_request(&request).unwrap();
    let forged = kep_pki::issue::issue_qualified(
        &Issuer {
            certificate: &user_cert,
            signer: &user,
        },
        &s.pki.profile,
        &kep_pki::issue::Applicant {
            request: &verified,
            requisites: &common::sample(),
            identification: IdentificationKind::InPerson,
            storage: KeyStorage::Token,
            not_before: now(),
        },
    )
    .unwrap();
    let with_user = [s.pki.ca.clone(), s.user_cert.clone()];
    assert!(matches!(
        verify_chain(&forged, &with_user, &roots, later(), &[]),
        Err(ChainError::NotCa { .. })
    ));
    // A tampered certificate.
    let mut bad = s.user_cert.clone();
    let pos = bad.windows(11).position(|w| w == b"11223344595").unwrap();
    bad[pos + 10] = b'7';
    assert!(matches!(
        verify_chain(&bad, &intermediates, &roots, later(), &[]),
        Err(ChainError::BadSignature { .. })
    ));
}

#[test]
fn a_revoked_certificate_is_refused_here_and_by_openssl() {
    let s = signed_statement();
    let ca = Certificate::from_der(&s.pki.ca).unwrap();
    let user = Certificate::from_der(&s.user_cert).unwrap();
    let revoked_at = now() + Duration::from_secs(7200);
    let crl = build_crl(
        &Issuer {
            certificate: &ca,
            signer: &s.pki.ca_signer,
        },
        now() + Duration::from_secs(7200),
        now() + Duration::from_secs(8 * 86_400),
        7,
        &[Revocation {
            serial: user.tbs_certificate().serial_number().clone(),
            revoked_at,
            reason: Some(RevocationReason::Superseded),
        }],
    )
    .unwrap();
    let parsed = Crl::parse(&crl).unwrap();
    assert!(parsed.is_signed_by(&ca));
    assert_eq!(parsed.number(), Some(7));
    assert_eq!(
        parsed.reason_of(user.tbs_certificate().serial_number()),
        Some(RevocationReason::Superseded)
    );
    assert_eq!(
        parsed.revoked_at(user.tbs_certificate().serial_number(), later()),
        Some(revoked_at)
    );
    assert_eq!(
        parsed.revoked_at(user.tbs_certificate().serial_number(), now()),
        None,
        "not yet revoked then"
    );

    let roots = [s.pki.root.clone()];
    let intermediates = [s.pki.ca.clone()];
    assert!(matches!(
        verify_chain(
            &s.user_cert,
            &intermediates,
            &roots,
            later(),
            std::slice::from_ref(&parsed)
        ),
        Err(ChainError::Revoked { .. })
    ));
    verify_chain(
        &s.user_cert,
        &intermediates,
        &roots,
        now() + Duration::from_secs(60),
        &[parsed],
    )
    .unwrap();

    let ssl = OpenSsl::new("crl");
    ssl.scratch
        .write("root.pem", pem("CERTIFICATE", &s.pki.root));
    ssl.scratch.write("ca.pem", pem("CERTIFICATE", &s.pki.ca));
    ssl.scratch
        .write("user.pem", pem("CERTIFICATE", &s.user_cert));
    ssl.scratch.write("crl.pem", pem("X509 CRL", &crl));
    ssl.run(&["crl", "-in", "crl.pem", "-CAfile", "ca.pem", "-noout"]);
    let text = String::from_utf8(ssl.run(&["crl", "-in", "crl.pem", "-noout", "-text"])).unwrap();
    assert!(text.contains("Superseded"), "{text}");
    let out = ssl.try_run(&[
        "verify",
        "-crl_check",
        "-CRLfile",
        "crl.pem",
        "-CAfile",
        "root.pem",
        "-untrusted",
        "ca.pem",
        "-attime",
        &(later()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            .to_string()),
        "user.pem",
    ]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !out.status.success() && text.contains("certificate revoked"),
        "{text}"
    );
}

#[test]
fn chains_built_by_openssl_validate_here() {
    let ssl = OpenSsl::new("chain-theirs");
    ssl.scratch.write(
        "ca.ext",
        "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n",
    );
    ssl.scratch.write(
        "user.ext",
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n",
    );
    for args in [
        &[
            "req",
            "-x509",
            "-newkey",
            "gost2012_256",
            "-pkeyopt",
            "paramset:A",
            "-nodes",
            "-keyout",
            "root.key",
            "-out",
            "root.pem",
            "-subj",
            "/CN=OpenSSL Root",
            "-days",
            "30",
            "-md_gost12_256",
        ][..],
        &[
            "req",
            "-new",
            "-newkey",
            "gost2012_256",
            "-pkeyopt",
            "paramset:B",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.csr",
            "-subj",
            "/CN=OpenSSL CA",
            "-md_gost12_256",
        ],
        &[
            "x509",
            "-req",
            "-in",
            "ca.csr",
            "-CA",
            "root.pem",
            "-CAkey",
            "root.key",
            "-CAcreateserial",
            "-out",
            "ca.pem",
            "-days",
            "20",
            "-extfile",
            "ca.ext",
            "-md_gost12_256",
        ],
        &[
            "req",
            "-new",
            "-newkey",
            "gost2012_512",
            "-pkeyopt",
            "paramset:A",
            "-nodes",
            "-keyout",
            "user.key",
            "-out",
            "user.csr",
            "-subj",
            "/CN=OpenSSL User",
            "-md_gost12_512",
        ],
        &[
            "x509",
            "-req",
            "-in",
            "user.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "user.pem",
            "-days",
            "10",
            "-extfile",
            "user.ext",
            "-md_gost12_256",
        ],
    ] {
        ssl.run(args);
    }
    let der = |name: &str| pem_der(&ssl.scratch.read(name), "CERTIFICATE");
    let path = verify_chain(
        &der("user.pem"),
        &[der("ca.pem")],
        &[der("root.pem")],
        std::time::SystemTime::now(),
        &[],
    )
    .unwrap();
    assert_eq!(path.len(), 3);
    // The issuing CA may not have CAs below it (pathlen:0): a CA certificate it signs is refused.
    ssl.run(&[
        "x509",
        "-req",
        "-in",
        "user.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "sub.pem",
        "-days",
        "10",
        "-extfile",
        "ca.ext",
        "-md_gost12_256",
    ]);
    ssl.run(&[
        "x509",
        "-req",
        "-in",
        "ca.csr",
        "-CA",
        "sub.pem",
        "-CAkey",
        "user.key",
        "-CAcreateserial",
        "-out",
        "leaf.pem",
        "-days",
        "5",
        "-extfile",
        "user.ext",
        "-md_gost12_512",
    ]);
    assert!(matches!(
        verify_chain(
            &der("leaf.pem"),
            &[der("sub.pem"), der("ca.pem")],
            &[der("root.pem")],
            std::time::SystemTime::now(),
            &[]
        ),
        Err(ChainError::PathTooLong { .. })
    ));
}
