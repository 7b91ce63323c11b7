//! Stages 3–6 over HTTP against a real kep-ca: the statement, both signing paths, the request,
//! identity confirmation, issuance, downloads, completion and the CRL — and every refusal.
//! Issued certificates are checked by OpenSSL (gost engine) and GnuTLS.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Ca, start, start_with};
use kep_ca::operators::OperatorRole;
use kep_pki::ValidateRequisites;
use kep_pki::cms_signature::sign_detached;
use kep_pki::signer::SoftwareGostSigner;
use kep_system_tests::tools::{OpenSsl, certtool, pem};
use reqwest::Method;
use serde_json::{Value, json};

const PHONE: &str = kep_ca::dev_seed::DEV_APPLICANT_PHONE;

/// The seeded applicant (current certificate and key in `key_dir`), logged in, with the
/// renewal application approved: (token, application id, the current key, its certificate).
async fn approved_renewal(ca: &Ca) -> (String, i64, SoftwareGostSigner, Vec<u8>) {
    let key_dir = ca._scratch.path("dev-applicant");
    kep_ca::dev_seed::seed(&ca.state, &key_dir, 10)
        .await
        .unwrap();
    let store = kep_token::key_store::ComputerKeyStore::new(&key_dir);
    let signer = store
        .open(
            kep_ca::dev_seed::DEV_APPLICANT_KEY_NAME,
            kep_ca::dev_seed::DEV_APPLICANT_KEY_PASSWORD,
        )
        .unwrap();
    let current = store
        .certificate(kep_ca::dev_seed::DEV_APPLICANT_KEY_NAME)
        .unwrap()
        .unwrap();
    let token = ca.login(PHONE).await;
    let (_, list) = ca
        .call(Method::GET, "/api/v1/applications", &token, None)
        .await;
    let id = list[0]["id"].as_i64().unwrap();
    approve(ca, &token, id).await;
    (token, id, signer, current)
}

/// Submits (the dev registry confirms) and has an operator approve.
async fn approve(ca: &Ca, token: &str, id: i64) {
    let view = ca.submit_and_approve(token, id).await;
    assert_eq!(view["status"], "approved");
    assert_eq!(view["statement"]["signing"], "unsigned");
}

async fn statement(ca: &Ca, token: &str, id: i64) -> Vec<u8> {
    let (status, pdf) = ca
        .bytes(
            Method::GET,
            &format!("/api/v1/applications/{id}/statement"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert!(pdf.starts_with(b"%PDF-"));
    pdf
}

fn now(ca: &Ca) -> std::time::SystemTime {
    kep_ca::clock::Clock::now(&*ca.clock)
}

fn new_key() -> SoftwareGostSigner {
    SoftwareGostSigner::new(
        kep_gost::SigningKey::generate(kep_gost::ParamSet::CryptoProA, &mut kep_pki::OsRng)
            .unwrap(),
    )
    .unwrap()
}

fn sample_requisites() -> kep_pki::Requisites {
    kep_ca::dev_seed::dev_requisites()
        .validate(time::macros::date!(2026 - 11 - 19))
        .unwrap()
}

async fn send_request(ca: &Ca, token: &str, id: i64, der: Vec<u8>, storage: &str) -> (u16, Value) {
    ca.post_bytes(
        &format!("/api/v1/applications/{id}/request?storage={storage}"),
        token,
        der,
    )
    .await
}

/// The issued certificate of an application, downloaded (DER).
async fn issued(ca: &Ca, token: &str, id: i64) -> Vec<u8> {
    let (status, der) = ca
        .bytes(
            Method::GET,
            &format!("/api/v1/applications/{id}/certificate"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, 200);
    der
}

async fn sign(ca: &Ca, token: &str, id: i64, signature: Vec<u8>) -> (u16, Value) {
    ca.post_bytes(
        &format!("/api/v1/applications/{id}/statement/signature"),
        token,
        signature,
    )
    .await
}

/// OpenSSL (gost engine) and GnuTLS verify the issued certificate up to the root, and OpenSSL
/// shows the qualified profile's fields. Returns `openssl x509 -text`.
fn verify_externally(ca: &Ca, leaf: &[u8], identification: u8) -> String {
    let authority = ca.state.applications.authority();
    let ssl = OpenSsl::new("issued");
    ssl.scratch
        .write("root.pem", pem("CERTIFICATE", authority.root_der()));
    ssl.scratch
        .write("issuing.pem", pem("CERTIFICATE", authority.issuing_der()));
    ssl.scratch.write("leaf.pem", pem("CERTIFICATE", leaf));
    let out = String::from_utf8(ssl.run(&[
        "verify",
        "-CAfile",
        "root.pem",
        "-untrusted",
        "issuing.pem",
        "leaf.pem",
    ]))
    .unwrap();
    assert!(out.contains("leaf.pem: OK"), "{out}");
    let text = String::from_utf8(ssl.run(&[
        "x509", "-in", "leaf.pem", "-noout", "-text", "-nameopt", "utf8",
    ]))
    .unwrap();
    for needle in [
        "SNILS",
        "INN",
        "Signing Tool of Subject",
        "Signing Tool of Issuer",
        "Class of Signing Tool KC1",
        "1.2.643.100.114",
        "Иванов",
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
    // IdentificationKind is INTEGER <identification>: find it with asn1parse.
    let parsed = String::from_utf8(ssl.run(&["asn1parse", "-in", "leaf.pem"])).unwrap();
    let after = parsed
        .split("1.2.643.100.114")
        .nth(1)
        .expect("IdentificationKind present");
    let octets = after.lines().nth(1).unwrap_or_default().to_owned();
    let expected = format!("[HEX DUMP]:02010{identification}");
    assert!(octets.contains(&expected), "{octets}");

    let chain = format!(
        "{}{}{}",
        pem("CERTIFICATE", leaf),
        pem("CERTIFICATE", authority.issuing_der()),
        pem("CERTIFICATE", authority.root_der())
    );
    ssl.scratch.write("chain.pem", &chain);
    let (ok, out) = certtool(&["--verify-chain", "--infile", &ssl.scratch.arg("chain.pem")]);
    assert!(
        ok && out.contains("Chain verification output: Verified"),
        "{out}"
    );
    text
}

#[tokio::test]
async fn a_renewal_signed_with_the_current_kep_is_issued_at_once() {
    let ca = start("issue-remote").await;
    let (token, id, current_key, current_cert) = approved_renewal(&ca).await;
    let pdf = statement(&ca, &token, id).await;

    let signature = sign_detached(&pdf, &current_key, &current_cert, now(&ca)).unwrap();
    let (status, body) = sign(&ca, &token, id, signature).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "ready_for_key");
    assert_eq!(body["statement"]["signing"], "qualified");

    let key = new_key();
    let request = kep_pki::request::build_request(&sample_requisites(), &key, None).unwrap();
    let (status, body) = send_request(&ca, &token, id, request.clone(), "computer").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["status"], "issued",
        "registry confirmed + КЭП: at once"
    );
    assert_eq!(body["certificate"]["identification"], 1);
    let serial = body["certificate"]["serial"].as_str().unwrap().to_owned();

    let leaf = issued(&ca, &token, id).await;
    let text = verify_externally(&ca, &leaf, 1);
    assert!(text.contains("/crl/issuing.crl"), "{text}");

    // The identical request again: the same certificate, nothing new.
    let (status, again) = send_request(&ca, &token, id, request, "computer").await;
    assert_eq!(status, 200);
    assert_eq!(again["certificate"]["serial"], serial.as_str());
    // Another request on the same application is refused.
    let other = kep_pki::request::build_request(&sample_requisites(), &new_key(), None).unwrap();
    let (status, body) = send_request(&ca, &token, id, other, "computer").await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (409, Some("conflict")),
        "{body}"
    );

    // The chain download: leaf, issuing CA, root.
    let (status, chain) = ca
        .bytes(
            Method::GET,
            &format!("/api/v1/applications/{id}/chain"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        String::from_utf8(chain)
            .unwrap()
            .matches("BEGIN CERTIFICATE")
            .count(),
        3
    );

    // Installed: the renewal completes and the old certificate is superseded on the CRL.
    let (status, body) = ca
        .call(
            Method::POST,
            &format!("/api/v1/applications/{id}/installed"),
            &token,
            None,
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("completed")),
        "{body}"
    );
    let (status, crl) = ca.bytes(Method::GET, "/crl/issuing.crl", None, None).await;
    assert_eq!(status, 200);
    let parsed = kep_pki::crl::Crl::parse(&crl).unwrap();
    assert!(parsed.is_signed_by(ca.state.applications.authority().issuing()));
    let old = x509_cert::Certificate::from_der(&current_cert).unwrap();
    let old_serial = old.tbs_certificate().serial_number();
    assert_eq!(
        parsed.reason_of(old_serial),
        Some(kep_pki::crl::RevocationReason::Superseded)
    );
    let new = x509_cert::Certificate::from_der(&leaf).unwrap();
    assert_eq!(
        parsed.revoked_at(new.tbs_certificate().serial_number(), now(&ca)),
        None
    );
    let ssl = OpenSsl::new("crl-superseded");
    ssl.scratch.write("crl.pem", pem("X509 CRL", &crl));
    let text = String::from_utf8(ssl.run(&["crl", "-in", "crl.pem", "-noout", "-text"])).unwrap();
    assert!(text.contains("Superseded"), "{text}");
}

use der::Decode;

#[tokio::test]
async fn a_scanned_statement_goes_through_the_operator_and_the_officer() {
    let ca = start("issue-scan").await;
    let (token, id, _, _) = approved_renewal(&ca).await;
    let _pdf = statement(&ca, &token, id).await;
    let scan = |n: u8| {
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        png.extend([n; 64]);
        png
    };
    // «Продолжить» without a scan is refused.
    let submit = format!("/api/v1/applications/{id}/statement/scan");
    let (status, body) = ca.call(Method::POST, &submit, &token, None).await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (400, Some("invalid_input"))
    );
    // Only the statement scan may be added now.
    let (status, _) = ca.upload(&token, id, "passport_main", scan(0)).await;
    assert_eq!(status, 409);
    let (status, first) = ca
        .upload(&token, id, "signed_statement_scan", scan(1))
        .await;
    assert_eq!(status, 201, "{first}");
    let (status, body) = ca.call(Method::POST, &submit, &token, None).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("statement_in_review"))
    );
    assert_eq!(body["statement"]["signing"], "scan");

    let reviewer = ca.operator(OperatorRole::Reviewer).await;
    let (_, queue) = ca
        .call(
            Method::GET,
            "/api/v1/operator/queue?status=statement_in_review",
            &reviewer,
            None,
        )
        .await;
    assert_eq!(queue[0]["id"], id);
    let decide = format!("/api/v1/operator/applications/{id}/statement-decision");
    let (status, body) = ca
        .call(
            Method::POST,
            &decide,
            &reviewer,
            Some(json!({"decision": "reject", "comment": "Нет подписи на второй странице"})),
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("statement_rejected"))
    );
    let (_, view) = ca
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}"),
            &token,
            None,
        )
        .await;
    let last = view["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["comment"], "Нет подписи на второй странице");
    // The applicant removes the old copy and uploads the corrected one.
    let doc = first["id"].as_i64().unwrap();
    let (status, _) = ca
        .call(
            Method::DELETE,
            &format!("/api/v1/applications/{id}/documents/{doc}"),
            &token,
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (status, _) = ca
        .upload(&token, id, "signed_statement_scan", scan(2))
        .await;
    assert_eq!(status, 201);
    let (status, _) = ca.call(Method::POST, &submit, &token, None).await;
    assert_eq!(status, 200);
    let (status, body) = ca
        .call(
            Method::POST,
            &decide,
            &reviewer,
            Some(json!({"decision": "approve"})),
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("ready_for_key")),
        "{body}"
    );

    // The request waits for the responsible officer.
    let request = kep_pki::request::build_request(&sample_requisites(), &new_key(), None).unwrap();
    let (status, body) = send_request(&ca, &token, id, request, "computer").await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("awaiting_identity")),
        "{body}"
    );
    assert!(body["certificate"].is_null());
    let identity = format!("/api/v1/operator/applications/{id}/identity");
    let (status, body) = ca.call(Method::POST, &identity, &reviewer, None).await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (403, Some("forbidden")),
        "a reviewer is not the officer"
    );
    let officer = ca.operator(OperatorRole::Officer).await;
    let (_, queue) = ca
        .call(
            Method::GET,
            "/api/v1/operator/queue?status=awaiting_identity",
            &officer,
            None,
        )
        .await;
    assert_eq!(queue[0]["id"], id);
    let (status, body) = ca.call(Method::POST, &identity, &officer, None).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("issued")),
        "{body}"
    );
    assert_eq!(body["certificate"]["identification"], 0);
    let leaf = issued(&ca, &token, id).await;
    verify_externally(&ca, &leaf, 0);
    let messages: Vec<String> = ca.notices().await.into_iter().map(|m| m.text).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("Заявление не принято: Нет подписи")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("Сертификат выпущен")),
        "{messages:?}"
    );
}

#[tokio::test]
async fn signatures_that_do_not_prove_the_applicant_are_refused() {
    let ca = start("issue-refuse-signatures").await;
    let (token, id, current_key, current_cert) = approved_renewal(&ca).await;
    let pdf = statement(&ca, &token, id).await;

    // Over other bytes.
    let mut other = pdf.clone();
    other.extend_from_slice(b"\n% edited");
    let signature = sign_detached(&other, &current_key, &current_cert, now(&ca)).unwrap();
    let (status, body) = sign(&ca, &token, id, signature).await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (422, Some("signature_rejected")),
        "{body}"
    );
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("другим документом"),
        "{body}"
    );

    // Not a signature at all.
    let (status, body) = sign(&ca, &token, id, b"not a signature".to_vec()).await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (422, Some("signature_rejected"))
    );

    // Someone else's КЭП, issued by this very CA.
    let mut petrov = kep_ca::dev_seed::dev_requisites();
    petrov.surname = "Петров".into();
    petrov.snils = "087-654-303 00".into();
    let petrov = petrov
        .validate(time::macros::date!(2026 - 11 - 19))
        .unwrap();
    let (petrov_key, petrov_cert) = issue_directly(
        &ca,
        &petrov,
        kep_pki::extensions::IdentificationKind::InPerson,
    );
    let signature = sign_detached(&pdf, &petrov_key, &petrov_cert, now(&ca)).unwrap();
    let (status, body) = sign(&ca, &token, id, signature).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("другого человека"),
        "{body}"
    );

    // A certificate from a CA nobody trusts (a self-signed "root" of the same person).
    let (stranger_key, stranger_cert) = self_issued(&sample_requisites());
    let signature = sign_detached(&pdf, &stranger_key, &stranger_cert, now(&ca)).unwrap();
    let (status, body) = sign(&ca, &token, id, signature).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("не действует"),
        "{body}"
    );

    // The applicant's own certificate, once revoked.
    let reviewer = ca.operator(OperatorRole::Reviewer).await;
    let serial = x509_cert::Certificate::from_der(&current_cert)
        .unwrap()
        .tbs_certificate()
        .serial_number()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<String>();
    let (status, body) = ca
        .call(
            Method::POST,
            &format!("/api/v1/operator/certificates/{serial}/revoke"),
            &reviewer,
            Some(json!({"reason": "key_compromise"})),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    let signature = sign_detached(&pdf, &current_key, &current_cert, now(&ca)).unwrap();
    let (status, body) = sign(&ca, &token, id, signature).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("отозван"),
        "{body}"
    );
    let (_, view) = ca
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}"),
            &token,
            None,
        )
        .await;
    assert_eq!(view["status"], "approved", "nothing changed");
}

#[tokio::test]
async fn a_configured_rule_demands_a_signer_identified_in_person() {
    let ca = start_with("issue-in-person-rule", |c| {
        c.default_policy.require_in_person_signer = true;
    })
    .await;
    let (token, id, _, _) = approved_renewal(&ca).await;
    let pdf = statement(&ca, &token, id).await;
    let (key, cert) = issue_directly(
        &ca,
        &sample_requisites(),
        kep_pki::extensions::IdentificationKind::RemoteWithQualifiedSignature,
    );
    let signature = sign_detached(&pdf, &key, &cert, now(&ca)).unwrap();
    let (status, body) = sign(&ca, &token, id, signature).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("личном присутствии"),
        "{body}"
    );
}

#[tokio::test]
async fn requests_are_refused_in_the_wrong_state_with_a_known_key_or_a_foreign_algorithm() {
    let ca = start_with("issue-refuse-requests", |c| {
        c.default_policy.demo_profile = false;
    })
    .await;
    let (token, id, current_key, current_cert) = approved_renewal(&ca).await;
    let request = kep_pki::request::build_request(&sample_requisites(), &new_key(), None).unwrap();
    // Before the statement is signed.
    let (status, body) = send_request(&ca, &token, id, request.clone(), "computer").await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (409, Some("conflict")),
        "{body}"
    );
    let pdf = statement(&ca, &token, id).await;
    let signature = sign_detached(&pdf, &current_key, &current_cert, now(&ca)).unwrap();
    assert_eq!(sign(&ca, &token, id, signature.clone()).await.0, 200);
    // Signing again once accepted: wrong state.
    assert_eq!(sign(&ca, &token, id, signature).await.0, 409);

    // The current certificate's key again.
    let reused = kep_pki::request::build_request(&sample_requisites(), &current_key, None).unwrap();
    let (status, body) = send_request(&ca, &token, id, reused, "computer").await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (409, Some("key_reused")),
        "{body}"
    );

    // Garbage.
    let (status, body) = send_request(
        &ca,
        &token,
        id,
        b"\x30\x03\x02\x01\x00".to_vec(),
        "computer",
    )
    .await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (400, Some("invalid_input")),
        "{body}"
    );

    // A sign tool the CA does not accept.
    let foreign =
        kep_pki::request::build_request(&sample_requisites(), &new_key(), Some("Неизвестное СКЗИ"))
            .unwrap();
    let (status, body) = send_request(&ca, &token, id, foreign, "token").await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("Неизвестное СКЗИ"),
        "{body}"
    );

    // ECDSA P-256 outside the demo profile (the request is OpenSSL's).
    let (status, body) = send_request(&ca, &token, id, openssl_p256_request(), "token").await;
    assert_eq!(status, 400, "{body}");
    assert!(body["message"].as_str().unwrap().contains("ГОСТ"), "{body}");

    // The application is still waiting for a good request, which is accepted.
    let (status, body) = send_request(&ca, &token, id, request.clone(), "computer").await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("issued")),
        "{body}"
    );

    // A key certified on one application cannot be used on another one.
    let (token2, id2) = ca.applicant("+79990000002").await;
    let mut input = kep_ca::dev_seed::dev_requisites();
    input.phone = "+79990000002".into();
    let (status, body) = ca
        .call(
            Method::PUT,
            &format!("/api/v1/applications/{id2}/requisites"),
            &token2,
            Some(serde_json::to_value(&input).unwrap()),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    approve(&ca, &token2, id2).await;
    ready_by_scan(&ca, &token2, id2).await;
    let (status, body) = send_request(&ca, &token2, id2, request, "computer").await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (409, Some("key_reused")),
        "{body}"
    );
}

/// Path (b) up to «Готов к выпуску»: a scan, accepted by the reviewer.
async fn ready_by_scan(ca: &Ca, token: &str, id: i64) {
    let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3].to_vec();
    assert_eq!(
        ca.upload(token, id, "signed_statement_scan", png).await.0,
        201
    );
    let (status, _) = ca
        .call(
            Method::POST,
            &format!("/api/v1/applications/{id}/statement/scan"),
            token,
            None,
        )
        .await;
    assert_eq!(status, 200);
    let reviewer = ca.operator(OperatorRole::Reviewer).await;
    let (status, body) = ca
        .call(
            Method::POST,
            &format!("/api/v1/operator/applications/{id}/statement-decision"),
            &reviewer,
            Some(json!({"decision": "approve"})),
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("ready_for_key")),
        "{body}"
    );
}

#[tokio::test]
async fn the_demo_profile_issues_a_non_qualified_p256_certificate() {
    let ca = start("issue-demo-p256").await;
    let (token, id, current_key, current_cert) = approved_renewal(&ca).await;
    let pdf = statement(&ca, &token, id).await;
    let signature = sign_detached(&pdf, &current_key, &current_cert, now(&ca)).unwrap();
    assert_eq!(sign(&ca, &token, id, signature).await.0, 200);
    let (status, body) = send_request(&ca, &token, id, openssl_p256_request(), "token").await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("issued")),
        "{body}"
    );
    let leaf = issued(&ca, &token, id).await;
    let summary = kep_pki::summary::summarize(&leaf, &[], &[], now(&ca)).unwrap();
    assert!(
        summary.key_algorithm.contains("неквалифицированный"),
        "{summary:?}"
    );
}

/// An ECDSA P-256 certificate request made by OpenSSL (DER).
fn openssl_p256_request() -> Vec<u8> {
    let ssl = OpenSsl::new("p256-request");
    ssl.run(&[
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "p256.key",
        "-subj",
        "/CN=Ivanov",
        "-outform",
        "DER",
        "-out",
        "p256.der",
    ]);
    ssl.scratch.read("p256.der")
}

/// A fresh key and its certificate for `requisites`, issued by `issuer`.
fn certify(
    issuer: &kep_pki::issue::Issuer<'_>,
    profile: &kep_pki::issue::QualifiedProfile,
    requisites: &kep_pki::Requisites,
    identification: kep_pki::extensions::IdentificationKind,
    not_before: std::time::SystemTime,
) -> (SoftwareGostSigner, Vec<u8>) {
    let key = new_key();
    let request = kep_pki::request::build_request(requisites, &key, None).unwrap();
    let request = kep_pki::request::verify_request(&request).unwrap();
    let cert = kep_pki::issue::issue_qualified(
        issuer,
        profile,
        &kep_pki::issue::Applicant {
            request: &request,
            requisites,
            identification,
            storage: kep_pki::issue::KeyStorage::Computer,
            not_before,
        },
    )
    .unwrap();
    (key, cert)
}

/// A certificate for `requisites` issued by the test CA's own issuing key, outside the service
/// (so the service has no record of it).
fn issue_directly(
    ca: &Ca,
    requisites: &kep_pki::Requisites,
    identification: kep_pki::extensions::IdentificationKind,
) -> (SoftwareGostSigner, Vec<u8>) {
    let authority = ca.state.applications.authority();
    certify(
        &authority.issuer(),
        authority.profile(),
        requisites,
        identification,
        now(ca) - std::time::Duration::from_secs(86_400),
    )
}

/// A certificate with the right names from a hierarchy the CA does not trust.
fn self_issued(requisites: &kep_pki::Requisites) -> (SoftwareGostSigner, Vec<u8>) {
    let profile = kep_pki::issue::QualifiedProfile::default();
    let root_key = new_key();
    let subject = kep_pki::issue::CaSubject {
        common_name: "Чужой УЦ".into(),
        organization: "Чужой УЦ".into(),
        region: None,
        locality: None,
        ogrn: None,
        inn_le: None,
        email: None,
    };
    let start = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_790_000_000);
    let root = kep_pki::issue::self_signed_root(
        &kep_pki::issue::CaCertificate {
            subject: &subject,
            not_before: start,
            validity_months: 24,
            path_len: Some(0),
            sign_tool: "x",
            profile: &profile,
        },
        &root_key,
    )
    .unwrap();
    let root = x509_cert::Certificate::from_der(&root).unwrap();
    certify(
        &kep_pki::issue::Issuer {
            certificate: &root,
            signer: &root_key,
        },
        &profile,
        requisites,
        kep_pki::extensions::IdentificationKind::InPerson,
        start,
    )
}
