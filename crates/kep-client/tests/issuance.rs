//! Stages 3–6 through the typed client against a real kep-ca: the statement signed with the
//! seeded current КЭП, the request, the certificate and its chain, installation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::start_ca;
use kep_ca::applications::Decision;
use kep_client::CaClient;
use kep_pki::ValidateRequisites;
use kep_pki::signer::SoftwareGostSigner;
use kep_protocol::ErrorKind;
use kep_protocol::application::{ApplicationStatus, KeyStorageKind};

#[tokio::test]
async fn a_renewal_from_the_statement_to_the_installed_certificate() {
    let ca = start_ca("client-issuance").await;
    let key_dir = ca.scratch.path("dev-applicant");
    kep_ca::dev_seed::seed(&ca.state, &key_dir, 10)
        .await
        .unwrap();
    let phone = kep_ca::dev_seed::DEV_APPLICANT_PHONE;
    let client = CaClient::new(ca.endpoint()).unwrap();
    client.request_code(phone).await.unwrap();
    let (client, _) = client.verify_code(phone, &ca.last_code()).await.unwrap();
    let id = client.applications().await.unwrap()[0].id;

    // No statement before approval.
    let err = client
        .statement_pdf(id)
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
    client.submit(id).await.unwrap();
    ca.state
        .applications
        .review
        .decide(1, id, Decision::Approve)
        .await
        .unwrap();

    let pdf = client.statement_pdf(id).await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let pem = std::fs::read_to_string(key_dir.join("current.key.pem")).unwrap();
    let current_key = SoftwareGostSigner::new(
        kep_pki::encrypted_key::open(&pem, kep_ca::dev_seed::DEV_APPLICANT_KEY_PASSWORD).unwrap(),
    )
    .unwrap();
    let current = std::fs::read(key_dir.join("current.crt")).unwrap();
    let cms = kep_pki::cms_signature::sign_detached(
        &pdf,
        &current_key,
        &current,
        std::time::SystemTime::now(),
    )
    .unwrap();
    // A signature over other bytes is refused with the reason.
    let wrong = kep_pki::cms_signature::sign_detached(
        b"other bytes",
        &current_key,
        &current,
        std::time::SystemTime::now(),
    )
    .unwrap();
    let err = client
        .sign_statement(id, wrong)
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::SignatureRejected);
    assert!(err.message.contains("другим документом"), "{err:?}");
    let view = client.sign_statement(id, cms).await.unwrap();
    assert_eq!(view.status, ApplicationStatus::ReadyForKey);

    let key = SoftwareGostSigner::new(
        kep_gost::SigningKey::generate(kep_gost::ParamSet::CryptoProA, &mut kep_pki::OsRng)
            .unwrap(),
    )
    .unwrap();
    let requisites = kep_ca::dev_seed::dev_requisites()
        .validate(time::OffsetDateTime::now_utc().date())
        .unwrap();
    let request = kep_pki::request::build_request(&requisites, &key, None).unwrap();
    let view = client
        .send_request(id, request.clone(), KeyStorageKind::Computer)
        .await
        .unwrap();
    assert_eq!(view.status, ApplicationStatus::Issued);
    let again = client
        .send_request(id, request, KeyStorageKind::Computer)
        .await
        .unwrap();
    assert_eq!(
        again.certificate, view.certificate,
        "the identical request: the same certificate"
    );

    let der = client.certificate(id).await.unwrap();
    let summary =
        kep_pki::summary::summarize(&der, &[], &[], std::time::SystemTime::now()).unwrap();
    assert_eq!(summary.identification_kind, Some(1));
    let chain = client.certificate_chain(id).await.unwrap();
    assert_eq!(chain.matches("-----BEGIN CERTIFICATE-----").count(), 3);

    let view = client.installed(id).await.unwrap();
    assert_eq!(view.status, ApplicationStatus::Completed);
    assert_eq!(
        client.installed(id).await.unwrap().status,
        ApplicationStatus::Completed
    );
}
