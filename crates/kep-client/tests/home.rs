//! «Мои сертификаты» before any login, on a real kep-ca: the seeded current certificate (near
//! its end: marked, renewable, valid per the CA's OCSP responder, qualified), its details and
//! DER; an expired one in the key store (not asked about, removable once, with its key); ids
//! that name nothing; the anchors kept so that the home still checks chains with the CA away.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::start_ca;
use der::Decode;
use kep_client::key_places::{KeyPlaces, MemoryPins};
use kep_client::renewal::Renewal;
use kep_client::session_vault::MemoryVault;
use kep_pki::ValidateRequisites;
use kep_protocol::ErrorKind;
use kep_protocol::certificate::{CertificateStatus, StatusSource};
use kep_protocol::my_certificates::{CertificatePlace, ExpiryMark};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// A certificate of the dev applicant's key that ended a year ago.
fn expired_certificate(ca: &common::Ca) -> Vec<u8> {
    let authority = ca.state.applications.authority();
    let request =
        kep_pki::request::verify_request(&kep_ca::dev_seed::dev_request().unwrap()).unwrap();
    let today = time::OffsetDateTime::now_utc().date();
    let requisites = kep_ca::dev_seed::dev_requisites().validate(today).unwrap();
    kep_pki::issue::issue_qualified(
        &authority.issuer(),
        authority.profile(),
        &kep_pki::issue::Applicant {
            request: &request,
            requisites: &requisites,
            identification: kep_pki::extensions::IdentificationKind::InPerson,
            storage: kep_pki::issue::KeyStorage::Computer,
            not_before: SystemTime::now() - Duration::from_secs(3 * 365 * 86_400),
        },
    )
    .unwrap()
}

#[tokio::test]
async fn the_home_lists_marks_explains_and_removes_only_what_it_may() {
    let ca = start_ca("home").await;
    let key_dir = ca.scratch.path("keys");
    kep_ca::dev_seed::seed(&ca.state, &key_dir, 10)
        .await
        .unwrap();
    let expired = expired_certificate(&ca);
    kep_private_file::write(&key_dir.join("old.key.pem"), b"(a key)").unwrap();
    kep_private_file::write(&key_dir.join("old.crt"), &expired).unwrap();
    let keys = Arc::new(KeyPlaces::new(
        key_dir.clone(),
        None,
        Arc::new(MemoryPins::default()),
    ));
    let data = ca.scratch.path("app");
    let renewal = Renewal::open_with(
        ca.endpoint(),
        &data,
        Arc::new(MemoryVault::default()),
        keys,
        kep_client::action::Deadlines::default(),
    )
    .unwrap();

    let home = renewal.home().list().await.unwrap();
    let computer: Vec<_> = home
        .iter()
        .filter(|c| c.place == CertificatePlace::Computer)
        .collect();
    assert_eq!(computer.len(), 2, "{home:?}");
    // The one near its end first, the expired one last.
    let current = computer[0];
    assert_eq!(current.id, "computer:current");
    assert!(current.summary.days_left <= 60, "{current:?}");
    assert_ne!(current.expiry, ExpiryMark::Fine);
    assert!(current.renewable && !current.removable);
    assert!(current.summary.qualified);
    assert!(
        matches!(
            current.status,
            CertificateStatus::Valid {
                source: StatusSource::Ocsp,
                ..
            }
        ),
        "{current:?}"
    );
    let old = computer[1];
    assert_eq!(old.id, "computer:old");
    assert_eq!(old.expiry, ExpiryMark::Expired);
    assert_eq!(old.status, CertificateStatus::Expired);
    assert!(old.renewable && old.removable);

    // «Подробнее» and the .cer.
    let details = renewal.home().details("computer:current").await.unwrap();
    assert!(
        details.subject.iter().any(|l| l.starts_with("СНИЛС = ")),
        "{details:?}"
    );
    assert!(details.issuer.iter().any(|l| l.starts_with("Владелец = ")));
    assert!(
        details.policies.iter().any(|p| p.starts_with("КС1 (")),
        "{details:?}"
    );
    assert_eq!(details.issuer_sign_tools.len(), 4);
    let der = renewal.home().der("computer:current").await.unwrap();
    assert_eq!(der, std::fs::read(key_dir.join("current.crt")).unwrap());
    x509_cert::Certificate::from_der(&der).unwrap();

    // Only the expired one in the key store may go, and it goes with its key.
    let refused = renewal
        .home()
        .remove_expired("computer:current")
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Conflict);
    assert!(key_dir.join("current.crt").exists());
    renewal.home().remove_expired("computer:old").await.unwrap();
    assert!(!key_dir.join("old.crt").exists() && !key_dir.join("old.key.pem").exists());
    for nothing in ["computer:old", "token:00:01", "nonsense"] {
        let gone = renewal
            .home()
            .details(nothing)
            .await
            .map_err(kep_protocol::ApiError::from)
            .unwrap_err();
        assert_eq!(gone.kind, ErrorKind::NotFound, "{nothing}");
    }

    // The CA's certificates were kept: with the app's CA address dead the chain still checks
    // from the kept anchors, and the responder the certificate names still answers.
    let trust = std::fs::read_dir(data.join("trust")).unwrap().count();
    assert_eq!(trust, 2);
    drop(renewal);
    let keys = Arc::new(KeyPlaces::new(
        key_dir,
        None,
        Arc::new(MemoryPins::default()),
    ));
    let offline = Renewal::open_with(
        ca.endpoint_at("https://127.0.0.1:9/"),
        &data,
        Arc::new(MemoryVault::default()),
        keys,
        kep_client::action::Deadlines::default(),
    )
    .unwrap();
    let home = offline.home().list().await.unwrap();
    let current = home.iter().find(|c| c.id == "computer:current").unwrap();
    assert!(
        current.summary.qualified,
        "the chain checks from the kept anchors"
    );
    assert!(
        matches!(current.status, CertificateStatus::Valid { .. }),
        "{current:?}"
    );
}

#[tokio::test]
async fn renew_from_the_home_logs_in_and_lands_on_the_prefilled_requisites() {
    let ca = start_ca("home-renew").await;
    let key_dir = ca.scratch.path("keys");
    let seeded = kep_ca::dev_seed::seed(&ca.state, &key_dir, 10)
        .await
        .unwrap();
    // A certificate of another CA in the key store (this CA's own root stands in for one).
    let foreign = ca.state.applications.authority().root_der().to_vec();
    kep_private_file::write(&key_dir.join("foreign.key.pem"), b"(a key)").unwrap();
    kep_private_file::write(&key_dir.join("foreign.crt"), &foreign).unwrap();
    let keys = Arc::new(KeyPlaces::new(
        key_dir,
        None,
        Arc::new(MemoryPins::default()),
    ));
    let renewal = Renewal::open_with(
        ca.endpoint(),
        &ca.scratch.path("app"),
        Arc::new(MemoryVault::default()),
        keys,
        kep_client::action::Deadlines::default(),
    )
    .unwrap();

    // Not logged in: the login first, the renewal remembered.
    let view = renewal.renew_certificate("computer:current").await.unwrap();
    assert_eq!(view.step, kep_client::flow::FlowStep::Login);
    let phone = kep_ca::dev_seed::DEV_APPLICANT_PHONE;
    renewal.request_code(phone).await.unwrap();
    let view = renewal.verify_code(phone, &ca.last_code()).await.unwrap();
    let application = view.application.clone().unwrap();
    assert_eq!(
        view.step,
        kep_client::flow::FlowStep::Requisites {
            application_id: application.id
        }
    );
    assert_eq!(application.renews.unwrap().serial, seeded.current_serial);
    assert_eq!(
        application.requisites.unwrap().snils,
        "112-233-445 95",
        "pre-filled from the last requisites"
    );
    // Asked again (logged in now): the same application.
    let again = renewal.renew_certificate("computer:current").await.unwrap();
    assert_eq!(again.application.unwrap().id, application.id);

    // Another CA's certificate: a new application, for a new certificate.
    let other = renewal.renew_certificate("computer:foreign").await.unwrap();
    let other = other.application.unwrap();
    assert!(other.renews.is_none());
    assert_ne!(other.id, application.id);
    // And an id that names nothing.
    let gone = renewal
        .renew_certificate("computer:nothing")
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(gone.kind, ErrorKind::NotFound);
}
