//! The OCSP responder against OpenSSL (with the gost engine): OpenSSL makes the requests (SHA-1
//! CertIDs by default, SHA-256 when asked, with and without a nonce), we answer good, revoked
//! and unknown as a delegated responder, and OpenSSL verifies every answer — the signature, the
//! delegation to our responder certificate, the nonce — and reads each status.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

mod common;

use common::{gost_signer, issue, now, pki};
use der::Decode;
use kep_gost::ParamSet;
use kep_pki::crl::RevocationReason;
use kep_pki::extensions::IdentificationKind;
use kep_pki::issue::{Issuer, KeyStorage, ocsp_responder};
use kep_pki::ocsp::asn1::OcspResponseStatus;
use kep_pki::ocsp::{RequestError, Responder, Status, parse_request, parse_response, refusal};
use kep_pki::request::build_request;
use kep_pki::signer::KeySigner;
use kep_system_tests::tools::{OpenSsl, pem};
use std::time::{Duration, SystemTime};
use x509_cert::Certificate;

fn responder_name() -> x509_cert::name::Name {
    use std::str::FromStr;
    x509_cert::name::Name::from_str("CN=KEP Renew Test OCSP Responder,O=KEP Renew").unwrap()
}

/// A delegated responder certificate for `key`, issued by the test PKI's issuing CA.
fn responder_for(pki: &common::Pki, ca: &Certificate, key: &dyn KeySigner) -> Certificate {
    let der = ocsp_responder(
        &Issuer {
            certificate: ca,
            signer: &pki.ca_signer,
        },
        responder_name(),
        key.public_key_info(),
        now(),
        now() + Duration::from_secs(365 * 86_400),
    )
    .unwrap();
    Certificate::from_der(&der).unwrap()
}

#[test]
fn openssl_verifies_our_answers_good_revoked_and_unknown() {
    let pki = pki();
    let ca = Certificate::from_der(&pki.ca).unwrap();
    let key = gost_signer(ParamSet::CryptoProA, 0x51);
    let responder_cert = responder_for(&pki, &ca, &key);
    let responder_der = x509_cert::der::Encode::to_der(&responder_cert).unwrap();
    let responder = Responder {
        issuer: &ca,
        certificate: &responder_cert,
        signer: &key,
    };
    let request = build_request(
        &common::sample(),
        &gost_signer(ParamSet::CryptoProA, 0x41),
        None,
    )
    .unwrap();
    let user = issue(
        &pki,
        &request,
        IdentificationKind::InPerson,
        KeyStorage::Token,
    );
    let user_cert = Certificate::from_der(&user).unwrap();

    let ssl = OpenSsl::new("ocsp");
    ssl.scratch.write("root.pem", pem("CERTIFICATE", &pki.root));
    ssl.scratch.write("ca.pem", pem("CERTIFICATE", &pki.ca));
    ssl.scratch.write("user.pem", pem("CERTIFICATE", &user));
    // The responder certificate as OpenSSL reads it: the delegation's marks.
    ssl.scratch
        .write("responder.pem", pem("CERTIFICATE", &responder_der));
    let text =
        String::from_utf8(ssl.run(&["x509", "-in", "responder.pem", "-noout", "-text"])).unwrap();
    assert!(
        text.contains("OCSP Signing") && text.contains("OCSP No Check"),
        "{text}"
    );

    let revoked_at = now() + Duration::from_secs(3600);
    let cases: [(&str, &[&str], Status, &str); 4] = [
        (
            "good",
            &["-cert", "user.pem"],
            Status::Good,
            "Cert Status: good",
        ),
        (
            "revoked, SHA-256 CertID, no nonce",
            &["-sha256", "-cert", "user.pem", "-no_nonce"],
            Status::Revoked {
                at: revoked_at,
                reason: Some(RevocationReason::KeyCompromise),
            },
            "Cert Status: revoked",
        ),
        (
            "unknown",
            &["-serial", "0x0BADC0DE"],
            Status::Unknown,
            "Cert Status: unknown",
        ),
        (
            "good, Streebog CertID",
            &["-md_gost12_256", "-cert", "user.pem"],
            Status::Good,
            "Cert Status: good",
        ),
    ];
    for (case, how, status, says) in cases {
        let mut args = vec!["ocsp", "-issuer", "ca.pem", "-reqout", "req.der"];
        args.extend_from_slice(how);
        ssl.run(&args);
        let parsed = parse_request(&ssl.scratch.read("req.der")).unwrap();
        assert_eq!(parsed.cert_ids.len(), 1, "{case}");
        let asked = responder.serial_asked(&parsed.cert_ids[0]);
        match status {
            Status::Unknown => assert!(
                asked.is_some_and(|s| s != user_cert.tbs_certificate().serial_number()),
                "{case}: our issuer, another serial"
            ),
            _ => assert_eq!(
                asked,
                Some(user_cert.tbs_certificate().serial_number()),
                "{case}"
            ),
        }
        assert_eq!(
            parsed.nonce.is_some(),
            !how.contains(&"-no_nonce"),
            "{case}"
        );
        let answer = responder
            .respond(
                &parsed,
                &[status],
                SystemTime::now(),
                SystemTime::now() + Duration::from_secs(3600),
            )
            .unwrap();
        ssl.scratch.write("resp.der", &answer);
        let args = [
            "ocsp",
            "-respin",
            "resp.der",
            "-reqin",
            "req.der",
            "-issuer",
            "ca.pem",
            "-CAfile",
            "root.pem",
            "-verify_other",
            "ca.pem",
            "-resp_text",
        ];
        let out = ssl.try_run(&args);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("Response verify OK"), "{case}: {text}");
        assert!(text.contains(says), "{case}: {text}");
        assert!(!text.contains("WARNING"), "{case}: {text}");
        if let Status::Revoked { .. } = status {
            assert!(text.contains("keyCompromise"), "{case}: {text}");
        }
        // And read back here.
        let (response_status, basic) = parse_response(&answer).unwrap();
        assert_eq!(response_status, OcspResponseStatus::Successful);
        assert_eq!(basic.unwrap().tbs_response_data.responses.len(), 1);
    }
}

#[test]
fn what_cannot_be_read_is_malformed_and_openssl_says_so() {
    let unreadable = parse_request(b"not DER").unwrap_err();
    assert!(
        matches!(unreadable, RequestError::Unreadable(_)),
        "{unreadable}"
    );
    assert_eq!(unreadable.status(), OcspResponseStatus::MalformedRequest);
    let oversize = parse_request(&vec![0x30; 70_000]).unwrap_err();
    assert!(matches!(oversize, RequestError::TooLarge), "over 64 KiB");
    assert_eq!(
        oversize.status(),
        OcspResponseStatus::MalformedRequest,
        "over 64 KiB"
    );
    let answer = refusal(OcspResponseStatus::MalformedRequest);
    assert_eq!(
        parse_response(&answer).unwrap(),
        (OcspResponseStatus::MalformedRequest, None)
    );
    let ssl = OpenSsl::new("ocsp-refusal");
    ssl.scratch.write("resp.der", &answer);
    let out = ssl.try_run(&["ocsp", "-respin", "resp.der", "-resp_text", "-noverify"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.to_lowercase().contains("malformedrequest"), "{text}");
}

#[test]
fn our_requests_read_the_same_here_and_in_openssl() {
    let pki = pki();
    let ca = Certificate::from_der(&pki.ca).unwrap();
    let serial = x509_cert::serial_number::SerialNumber::new(&[0x42, 0x17]).unwrap();
    let der = kep_pki::ocsp::request_for(&ca, &serial, Some(&[7u8; 16])).unwrap();
    let parsed = parse_request(&der).unwrap();
    assert!(parsed.nonce.is_some());
    let key = gost_signer(ParamSet::CryptoProA, 0x52);
    let responder_cert = responder_for(&pki, &ca, &key);
    let responder = Responder {
        issuer: &ca,
        certificate: &responder_cert,
        signer: &key,
    };
    assert_eq!(responder.serial_asked(&parsed.cert_ids[0]), Some(&serial));
    let ssl = OpenSsl::new("ocsp-ours");
    ssl.scratch.write("req.der", &der);
    let text = String::from_utf8(ssl.run(&["ocsp", "-reqin", "req.der", "-req_text"])).unwrap();
    assert!(
        text.contains("Serial Number: 4217") && text.contains("OCSP Nonce"),
        "{text}"
    );
}

#[test]
fn a_relying_party_believes_only_a_current_answer_about_its_certificate_from_the_delegated_responder()
 {
    use kep_pki::ocsp::{AnswerError, read_answer, request_for};
    let pki = pki();
    let ca = Certificate::from_der(&pki.ca).unwrap();
    let root = Certificate::from_der(&pki.root).unwrap();
    let key = gost_signer(ParamSet::CryptoProA, 0x53);
    let responder_cert = responder_for(&pki, &ca, &key);
    let responder = Responder {
        issuer: &ca,
        certificate: &responder_cert,
        signer: &key,
    };
    let serial = x509_cert::serial_number::SerialNumber::new(&[0x42, 0x18]).unwrap();
    let nonce = [9u8; 16];
    let asked = parse_request(&request_for(&ca, &serial, Some(&nonce)).unwrap()).unwrap();
    let hour = Duration::from_secs(3600);
    let answer = |status: Status, at: SystemTime| {
        responder.respond(&asked, &[status], at, at + hour).unwrap()
    };

    // Good, revoked with its time and reason, unknown: each read as signed.
    let read = |der: &[u8]| read_answer(der, &ca, &serial, Some(&nonce), now());
    assert_eq!(
        read(&answer(Status::Good, now())).unwrap().status,
        Status::Good
    );
    let revoked = Status::Revoked {
        at: now() - hour,
        reason: Some(RevocationReason::Superseded),
    };
    let got = read(&answer(revoked, now())).unwrap();
    assert_eq!(got.status, revoked);
    assert_eq!(got.next_update, Some(now() + hour));
    assert_eq!(
        read(&answer(Status::Unknown, now())).unwrap().status,
        Status::Unknown
    );

    // Another nonce, another certificate, another issuer, an old answer.
    let good = answer(Status::Good, now());
    assert!(matches!(
        read_answer(&good, &ca, &serial, Some(&[1u8; 16]), now()),
        Err(AnswerError::Nonce)
    ));
    let other = x509_cert::serial_number::SerialNumber::new(&[0x01]).unwrap();
    assert!(matches!(
        read_answer(&good, &ca, &other, Some(&nonce), now()),
        Err(AnswerError::NotAsked)
    ));
    assert!(matches!(
        read_answer(&good, &root, &serial, Some(&nonce), now()),
        Err(AnswerError::Unauthorized)
    ));
    assert!(matches!(
        read_answer(&good, &ca, &serial, Some(&nonce), now() + 2 * hour),
        Err(AnswerError::Stale)
    ));

    // A key the issuer never delegated to, claiming to be the responder: its certificate names
    // the root as its issuer, not the CA asked about.
    let intruder_key = gost_signer(ParamSet::CryptoProA, 0x54);
    let intruder_cert = responder_for(&pki, &root, &intruder_key);
    let intruder = Responder {
        issuer: &ca,
        certificate: &intruder_cert,
        signer: &intruder_key,
    };
    let forged = intruder
        .respond(&asked, &[Status::Good], now(), now() + hour)
        .unwrap();
    assert!(matches!(read(&forged), Err(AnswerError::Unauthorized)));

    // A delegated responder's signature over other bytes.
    let mut tampered = good.clone();
    let at = tampered.len() - 300;
    tampered[at] ^= 0x01;
    assert!(read(&tampered).is_err());

    // A refusal is a refusal, and nonsense does not read.
    assert!(matches!(
        read(&refusal(OcspResponseStatus::TryLater)),
        Err(AnswerError::Refused(OcspResponseStatus::TryLater))
    ));
    assert!(matches!(read(b"nonsense"), Err(AnswerError::Unreadable(_))));
}

#[test]
fn a_certificate_names_where_its_status_and_issuer_are_published() {
    let mut pki = pki();
    pki.profile.ocsp_urls = vec!["http://127.0.0.1:8443/ocsp".into()];
    let request = build_request(
        &common::sample(),
        &gost_signer(ParamSet::CryptoProA, 0x45),
        None,
    )
    .unwrap();
    let user = issue(
        &pki,
        &request,
        IdentificationKind::InPerson,
        KeyStorage::Token,
    );
    let found = kep_pki::locations::locations(&Certificate::from_der(&user).unwrap());
    assert_eq!(found.crls, pki.profile.crl_urls);
    assert_eq!(found.ca_issuers, pki.profile.ca_issuers_urls);
    assert_eq!(found.ocsp, pki.profile.ocsp_urls);
}
