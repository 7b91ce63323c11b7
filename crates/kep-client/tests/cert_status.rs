//! The status client against a test PKI (root → issuing CA, GOST CryptoPro-A) whose
//! certificates name a local server playing the issuer's OCSP responder and CRLs: good and
//! revoked over OCSP (the answer cached), unknown to the responder, the CRL when the responder
//! fails (superseded, not listed), an unreachable CRL, a CRL over the size cap, and a
//! certificate of an unknown CA — whose addresses are never fetched.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::extract::State;
use axum::routing::{get, post};
use der::{Decode, Encode};
use kep_client::cert_status::{Anchors, StatusClient, StatusError, StatusLimits};
use kep_pki::ValidateRequisites;
use kep_pki::crl::{Revocation, RevocationReason};
use kep_pki::issue::{
    Applicant, CaCertificate, CaSubject, Issuer, KeyStorage, QualifiedProfile, issue_qualified,
    ocsp_responder, self_signed_root, subordinate_ca,
};
use kep_pki::ocsp::{Responder, Status, parse_request};
use kep_pki::signer::{KeySigner, SoftwareGostSigner};
use kep_protocol::certificate::{CertificateStatus, StatusSource};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use x509_cert::Certificate;
use x509_cert::serial_number::SerialNumber;

fn signer() -> SoftwareGostSigner {
    SoftwareGostSigner::new(
        kep_gost::SigningKey::generate(kep_gost::ParamSet::CryptoProA, &mut kep_pki::OsRng)
            .unwrap(),
    )
    .unwrap()
}

fn subject(name: &str) -> CaSubject {
    CaSubject {
        common_name: name.into(),
        organization: "KEP Renew".into(),
        region: None,
        locality: None,
        ogrn: None,
        inn_le: None,
        email: None,
    }
}

/// A root and an issuing CA, the responder's key and certificate.
struct Pki {
    root: Vec<u8>,
    ca: Certificate,
    ca_signer: SoftwareGostSigner,
    responder: Certificate,
    responder_signer: SoftwareGostSigner,
}

fn pki(name: &str) -> Pki {
    let now = SystemTime::now() - Duration::from_secs(86_400);
    let profile = QualifiedProfile::default();
    let root_signer = signer();
    fn ca<'a>(
        subject: &'a CaSubject,
        path_len: Option<u8>,
        profile: &'a QualifiedProfile,
        not_before: SystemTime,
    ) -> CaCertificate<'a> {
        CaCertificate {
            subject,
            not_before,
            validity_months: 24,
            path_len,
            sign_tool: "KEP Renew kep-gost",
            profile,
        }
    }
    let root_subject = subject(&format!("{name} Root"));
    let root = self_signed_root(&ca(&root_subject, None, &profile, now), &root_signer).unwrap();
    let root_cert = Certificate::from_der(&root).unwrap();
    let ca_signer = signer();
    let ca_subject = subject(&format!("{name} Issuing CA"));
    let ca_der = subordinate_ca(
        &Issuer {
            certificate: &root_cert,
            signer: &root_signer,
        },
        &ca(&ca_subject, Some(0), &profile, now),
        ca_signer.public_key_info(),
    )
    .unwrap();
    let ca = Certificate::from_der(&ca_der).unwrap();
    let responder_signer = signer();
    let responder = Certificate::from_der(
        &ocsp_responder(
            &Issuer {
                certificate: &ca,
                signer: &ca_signer,
            },
            subject(&format!("{name} OCSP")).name().unwrap(),
            responder_signer.public_key_info(),
            now,
            now + Duration::from_secs(30 * 86_400),
        )
        .unwrap(),
    )
    .unwrap();
    Pki {
        root,
        ca,
        ca_signer,
        responder,
        responder_signer,
    }
}

impl Pki {
    fn anchors(&self) -> Anchors {
        Anchors {
            roots: vec![self.root.clone()],
            intermediates: vec![self.ca.to_der().unwrap()],
        }
    }

    /// A person's certificate naming `ocsp` and `crls`.
    fn issue(&self, ocsp: &[String], crls: &[String]) -> Vec<u8> {
        let profile = QualifiedProfile {
            ocsp_urls: ocsp.to_vec(),
            crl_urls: crls.to_vec(),
            ..QualifiedProfile::default()
        };
        let key = signer();
        let today = time::OffsetDateTime::now_utc().date();
        let requisites = kep_ca::dev_seed::dev_requisites().validate(today).unwrap();
        let request = kep_pki::request::verify_request(
            &kep_pki::request::build_request(&requisites, &key, None).unwrap(),
        )
        .unwrap();
        issue_qualified(
            &Issuer {
                certificate: &self.ca,
                signer: &self.ca_signer,
            },
            &profile,
            &Applicant {
                request: &request,
                requisites: &requisites,
                identification: kep_pki::extensions::IdentificationKind::InPerson,
                storage: KeyStorage::Computer,
                not_before: SystemTime::now() - Duration::from_secs(3600),
            },
        )
        .unwrap()
    }

    fn crl(&self, revoked: &[Revocation]) -> Vec<u8> {
        let now = SystemTime::now();
        kep_pki::crl::build_crl(
            &Issuer {
                certificate: &self.ca,
                signer: &self.ca_signer,
            },
            now - Duration::from_secs(60),
            now + Duration::from_secs(86_400),
            1,
            revoked,
        )
        .unwrap()
    }
}

fn serial(der: &[u8]) -> SerialNumber {
    Certificate::from_der(der)
        .unwrap()
        .tbs_certificate()
        .serial_number()
        .clone()
}

/// The issuer's server: OCSP answers by serial, CRLs by name, and every path asked.
#[derive(Clone, Default)]
struct Issuing {
    pki: Option<Arc<Pki>>,
    statuses: Arc<Mutex<HashMap<Vec<u8>, Status>>>,
    crls: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    asked: Arc<Mutex<Vec<String>>>,
}

async fn ocsp(State(issuing): State<Issuing>, body: axum::body::Bytes) -> Vec<u8> {
    issuing.asked.lock().unwrap().push("/ocsp".into());
    let pki = issuing.pki.as_ref().unwrap();
    let request = parse_request(&body).unwrap();
    let statuses: Vec<Status> = request
        .cert_ids
        .iter()
        .map(|id| {
            let key = id.serial_number.as_bytes().to_vec();
            *issuing
                .statuses
                .lock()
                .unwrap()
                .get(&key)
                .unwrap_or(&Status::Unknown)
        })
        .collect();
    let now = SystemTime::now();
    Responder {
        issuer: &pki.ca,
        certificate: &pki.responder,
        signer: &pki.responder_signer,
    }
    .respond(&request, &statuses, now, now + Duration::from_secs(3600))
    .unwrap()
}

async fn crl(
    State(issuing): State<Issuing>,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Result<Vec<u8>, axum::http::StatusCode> {
    issuing.asked.lock().unwrap().push(format!("/crl/{name}"));
    issuing
        .crls
        .lock()
        .unwrap()
        .get(&name)
        .cloned()
        .ok_or(axum::http::StatusCode::NOT_FOUND)
}

async fn broken(State(issuing): State<Issuing>) -> axum::http::StatusCode {
    issuing.asked.lock().unwrap().push("/broken".into());
    axum::http::StatusCode::SERVICE_UNAVAILABLE
}

async fn serve(issuing: Issuing) -> String {
    let app = axum::Router::new()
        .route("/ocsp", post(ocsp))
        .route("/broken", post(broken))
        .route("/crl/{name}", get(crl))
        .with_state(issuing);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

fn client() -> StatusClient {
    StatusClient::new(StatusLimits::default(), &[]).unwrap()
}

#[tokio::test]
async fn statuses_from_the_issuer_said_honestly() {
    let pki = Arc::new(pki("Status Test"));
    let issuing = Issuing {
        pki: Some(pki.clone()),
        ..Issuing::default()
    };
    let base = serve(issuing.clone()).await;
    let ocsp_url = vec![format!("{base}/ocsp")];
    let anchors = pki.anchors();
    let now = SystemTime::now();
    let status_client = client();
    let check = |der: Vec<u8>| {
        let anchors = anchors.clone();
        let status_client = &status_client;
        async move { status_client.check(&der, &anchors, now).await }
    };

    // Good over OCSP; the answer is kept, so a revocation shows on a fresh client only.
    let good = pki.issue(&ocsp_url, &[]);
    issuing
        .statuses
        .lock()
        .unwrap()
        .insert(serial(&good).as_bytes().to_vec(), Status::Good);
    assert!(matches!(
        check(good.clone()).await.unwrap(),
        CertificateStatus::Valid {
            source: StatusSource::Ocsp,
            ..
        }
    ));
    let revoked_at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000);
    issuing.statuses.lock().unwrap().insert(
        serial(&good).as_bytes().to_vec(),
        Status::Revoked {
            at: revoked_at,
            reason: Some(RevocationReason::KeyCompromise),
        },
    );
    let asked_before = issuing.asked.lock().unwrap().len();
    assert!(matches!(
        check(good.clone()).await.unwrap(),
        CertificateStatus::Valid { .. }
    ));
    assert_eq!(issuing.asked.lock().unwrap().len(), asked_before, "cached");
    assert_eq!(
        client().check(&good, &anchors, now).await.unwrap(),
        CertificateStatus::Revoked {
            revoked_at: kep_pki::summary::rfc3339(revoked_at),
            reason: Some("ключ скомпрометирован".into()),
        }
    );

    // Unknown to the issuer's own responder: said so, and the CRL is not asked to overrule it.
    let stranger = pki.issue(&ocsp_url, &[format!("{base}/crl/issuing.crl")]);
    assert!(matches!(
        check(stranger.clone()).await,
        Err(StatusError::UnknownToResponder)
    ));
    assert!(
        !issuing
            .asked
            .lock()
            .unwrap()
            .contains(&"/crl/issuing.crl".to_owned())
    );
    let shown = client().status(&stranger, &anchors, now).await;
    assert_eq!(
        shown,
        CertificateStatus::Unchecked {
            reason: "Удостоверяющий центр не знает этот сертификат.".into()
        }
    );

    // The responder fails: the CRL answers — superseded when listed so, valid when not.
    let broken = vec![format!("{base}/broken")];
    let crl_url = vec![format!("{base}/crl/issuing.crl")];
    let replaced = pki.issue(&broken, &crl_url);
    let kept = pki.issue(&broken, &crl_url);
    issuing.crls.lock().unwrap().insert(
        "issuing.crl".into(),
        pki.crl(&[Revocation {
            serial: serial(&replaced),
            revoked_at,
            reason: Some(RevocationReason::Superseded),
        }]),
    );
    assert_eq!(
        check(replaced).await.unwrap(),
        CertificateStatus::Superseded {
            revoked_at: kep_pki::summary::rfc3339(revoked_at),
        }
    );
    assert!(matches!(
        check(kept).await.unwrap(),
        CertificateStatus::Valid {
            source: StatusSource::Crl,
            ..
        }
    ));

    // A CRL nobody serves (a dead port), and one over the cap.
    let dead = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/crl/issuing.crl", listener.local_addr().unwrap())
    };
    let unreachable = pki.issue(&[], &[dead]);
    assert!(matches!(
        check(unreachable.clone()).await,
        Err(StatusError::Unreachable { .. })
    ));
    let mut huge = pki.crl(&[]);
    huge.resize(21 * 1024 * 1024, 0);
    issuing.crls.lock().unwrap().insert("huge.crl".into(), huge);
    let oversize = pki.issue(&[], &[format!("{base}/crl/huge.crl")]);
    assert!(matches!(
        check(oversize).await,
        Err(StatusError::TooLarge { limit, .. }) if limit == 20 * 1024 * 1024
    ));
    let shown = client().status(&unreachable, &anchors, now).await;
    assert_eq!(
        shown,
        CertificateStatus::Unchecked {
            reason: "Нет связи со службой статусов удостоверяющего центра.".into()
        }
    );

    // A CRL signed by someone else is not believed.
    let other = pki_other_crl(&pki);
    issuing
        .crls
        .lock()
        .unwrap()
        .insert("forged.crl".into(), other);
    let forged = pki.issue(&[], &[format!("{base}/crl/forged.crl")]);
    assert!(matches!(
        check(forged).await,
        Err(StatusError::CrlNotSigned)
    ));
}

/// A CRL under the issuing CA's name signed by another key.
fn pki_other_crl(pki: &Pki) -> Vec<u8> {
    let intruder = signer();
    let now = SystemTime::now();
    kep_pki::crl::build_crl(
        &Issuer {
            certificate: &pki.ca,
            signer: &intruder,
        },
        now - Duration::from_secs(60),
        now + Duration::from_secs(86_400),
        2,
        &[],
    )
    .unwrap()
}

#[tokio::test]
async fn a_certificate_of_an_unknown_ca_is_not_asked_about() {
    let ours = pki("Ours");
    let theirs = pki("Theirs");
    let issuing = Issuing {
        pki: Some(Arc::new(pki("Theirs Too"))),
        ..Issuing::default()
    };
    let base = serve(issuing.clone()).await;
    let foreign = theirs.issue(&[format!("{base}/ocsp")], &[format!("{base}/crl/x.crl")]);
    let status = client()
        .status(&foreign, &ours.anchors(), SystemTime::now())
        .await;
    assert_eq!(
        status,
        CertificateStatus::Unchecked {
            reason: "Издатель сертификата неизвестен приложению: статус не запрашивался.".into()
        }
    );
    assert!(issuing.asked.lock().unwrap().is_empty(), "nothing fetched");
    // And one whose chain leads to a trusted root is checked (there: no address at all).
    let silent = theirs.issue(&[], &[]);
    assert!(matches!(
        client()
            .check(&silent, &theirs.anchors(), SystemTime::now())
            .await,
        Err(StatusError::NoLocation)
    ));
}
