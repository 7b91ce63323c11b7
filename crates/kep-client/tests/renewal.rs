//! All six stages as the app drives them ([`Renewal`]) against a real kep-ca over HTTPS on
//! loopback: login, the list, the overview, the requisites, submission with the registry check,
//! the documents loop with upload progress, the CA's decisions seen by polling, both statement
//! paths, the key on this computer, identity confirmed by the officer, installation, restarts
//! and expired sessions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Ca, fill_sensor, start_ca};
use kep_ca::applications::Decision;
use kep_ca::registry::RegistryVerdict;

use kep_client::action::Deadlines;
use kep_client::flow::FlowStep;
use kep_client::key_places::{KeyPlaces, MemoryPins};
use kep_client::renewal::Renewal;
use kep_client::session_vault::{MemoryVault, TokenVault};
use kep_protocol::application::{ApplicationStatus, DocumentKind};
use kep_protocol::certificate::{CertificateStatus, StatusSource};
use kep_protocol::key::NewKey;
use kep_protocol::my_certificates::ExpiryMark;
use kep_protocol::{ErrorKind, Stage};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use zeroize::Zeroizing;

const PHONE: &str = "+79990000011";

fn requisites() -> kep_protocol::RequisitesInput {
    let mut input = kep_ca::dev_seed::dev_requisites();
    input.phone = PHONE.into();
    input
}

/// The app on `ca`: its data folder, and the key store where the dev seed puts the applicant's
/// current КЭП (as `npm run demo` does).
fn open(ca: &Ca, vault: &Arc<MemoryVault>) -> Renewal {
    let keys = Arc::new(KeyPlaces::new(
        ca.scratch.path("dev-applicant"),
        None,
        Arc::new(MemoryPins::default()),
    ));
    Renewal::open_with(
        ca.endpoint(),
        &ca.scratch.path("app"),
        vault.clone(),
        keys,
        Deadlines::default(),
    )
    .unwrap()
}

async fn log_in(ca: &Ca, renewal: &Renewal) -> kep_client::renewal::WizardView {
    let asked = renewal.request_code(PHONE).await.unwrap();
    assert!(asked.retry_after_s > 0);
    renewal.verify_code(PHONE, &ca.last_code()).await.unwrap()
}

async fn operator_decides(ca: &Ca, id: i64, decision: Decision) {
    ca.state
        .applications
        .review
        .decide(1, id, decision)
        .await
        .unwrap();
}

#[tokio::test]
async fn from_login_to_review_and_approval() {
    let ca = start_ca("renewal-happy").await;
    let id = ca.open_application(PHONE).await;
    let vault = Arc::new(MemoryVault::default());
    let renewal = open(&ca, &vault);
    let view = renewal.view().await.unwrap();
    assert_eq!(
        (view.step, view.stage),
        (FlowStep::Login, Stage::Application)
    );

    // A wrong code first: the CA's message, the step unchanged.
    renewal.request_code(PHONE).await.unwrap();
    let wrong = if ca.last_code() == "0000" {
        "1111"
    } else {
        "0000"
    };
    let err = renewal
        .verify_code(PHONE, wrong)
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::CodeWrong);
    assert_eq!(renewal.step(), FlowStep::Login);

    let view = renewal.verify_code(PHONE, &ca.last_code()).await.unwrap();
    assert_eq!(view.step, FlowStep::Applications);
    assert_eq!(view.applications.len(), 1);
    assert!(view.session_kept);
    let view = renewal.choose(id).await.unwrap();
    assert_eq!(view.step, FlowStep::Overview { application_id: id });
    assert_eq!(view.application.unwrap().status, ApplicationStatus::Draft);
    let view = renewal.start().await.unwrap();
    assert_eq!(view.step, FlowStep::Requisites { application_id: id });

    // Invalid requisites are refused by the CA, nothing moves.
    let mut bad = requisites();
    bad.snils = "112-233-445 96".into();
    let err = renewal
        .save_requisites(&bad)
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert_eq!(renewal.step(), FlowStep::Requisites { application_id: id });

    let view = renewal.save_requisites(&requisites()).await.unwrap();
    assert_eq!(view.step, FlowStep::Documents { application_id: id });
    // Back to correct something, and on again.
    let view = renewal.edit_requisites().await.unwrap();
    assert_eq!(view.step, FlowStep::Requisites { application_id: id });
    renewal.save_requisites(&requisites()).await.unwrap();
    let view = renewal.submit().await.unwrap();
    assert_eq!(
        (view.step.clone(), view.stage),
        (FlowStep::Review { application_id: id }, Stage::CaReview)
    );
    assert_eq!(
        view.application.unwrap().status,
        ApplicationStatus::InReview
    );

    assert_eq!(renewal.poll().await.unwrap(), None, "nothing changed");
    operator_decides(&ca, id, Decision::Approve).await;
    let change = renewal.poll().await.unwrap().expect("the approval is seen");
    assert_eq!(change.status, ApplicationStatus::Approved);
    assert_eq!(change.title, "Ваш сертификат готов к выпуску!");
    assert_eq!(change.view.stage, Stage::Issuance);
    assert_eq!(renewal.poll().await.unwrap(), None, "seen once");
}

#[tokio::test]
async fn silent_registries_and_an_operator_ask_for_documents() {
    let ca = start_ca("renewal-documents").await;
    let id = ca.open_application(PHONE).await;
    ca.registry.answer(RegistryVerdict::Unavailable);
    let vault = Arc::new(MemoryVault::default());
    let renewal = open(&ca, &vault);
    log_in(&ca, &renewal).await;
    renewal.choose(id).await.unwrap();
    renewal.start().await.unwrap();
    renewal.save_requisites(&requisites()).await.unwrap();
    let view = renewal.submit().await.unwrap();
    assert_eq!(view.step, FlowStep::Documents { application_id: id });
    let application = view.application.unwrap();
    assert_eq!(application.status, ApplicationStatus::DocumentsRequired);
    assert!(
        application
            .timeline
            .last()
            .unwrap()
            .comment
            .as_deref()
            .unwrap()
            .contains("не ответили"),
        "{application:?}"
    );

    // Uploads report progress up to the full size.
    let seen = Arc::new(AtomicU64::new(0));
    let mut scan = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    scan.resize(300 * 1024, 7);
    let total = scan.len() as u64;
    for kind in [DocumentKind::PassportMain, DocumentKind::Snils] {
        let counter = seen.clone();
        let info = renewal
            .upload(
                kind,
                scan.clone(),
                Arc::new(move |sent, all| {
                    assert!(sent <= all);
                    counter.store(sent, Ordering::SeqCst);
                }),
            )
            .await
            .unwrap();
        assert_eq!(info.size, total);
        assert_eq!(seen.load(Ordering::SeqCst), total);
    }
    // A document removed and uploaded again.
    let view = renewal.view().await.unwrap();
    let first = view.application.unwrap().documents[0].id;
    let view = renewal.delete_document(first).await.unwrap();
    assert_eq!(view.application.unwrap().documents.len(), 1);
    renewal
        .upload(
            DocumentKind::PassportMain,
            scan.clone(),
            Arc::new(|_, _| {}),
        )
        .await
        .unwrap();
    let view = renewal.submit().await.unwrap();
    assert_eq!(view.step, FlowStep::Review { application_id: id });
    renewal.poll().await.unwrap();

    // The operator asks for more: polling moves the flow back to the documents.
    operator_decides(
        &ca,
        id,
        Decision::RequestDocuments {
            comment: "Скан СНИЛС нечитаем".into(),
        },
    )
    .await;
    let change = renewal.poll().await.unwrap().expect("seen");
    assert_eq!(change.status, ApplicationStatus::DocumentsRequired);
    assert_eq!(change.title, "Нужны документы");
    assert!(change.body.contains("Скан СНИЛС нечитаем"));
    assert_eq!(renewal.step(), FlowStep::Documents { application_id: id });
    renewal
        .upload(DocumentKind::Snils, scan, Arc::new(|_, _| {}))
        .await
        .unwrap();
    let view = renewal.submit().await.unwrap();
    assert_eq!(view.step, FlowStep::Review { application_id: id });
}

#[tokio::test]
async fn a_restart_resumes_at_the_same_step_and_an_expired_session_asks_to_log_in() {
    let ca = start_ca("renewal-resume").await;
    let id = ca.open_application(PHONE).await;
    let vault = Arc::new(MemoryVault::default());
    let renewal = open(&ca, &vault);
    log_in(&ca, &renewal).await;
    renewal.choose(id).await.unwrap();
    renewal.start().await.unwrap();
    // Half a form, typed but not sent.
    let mut typed = requisites();
    typed.snils = "112-233".into();
    renewal.save_draft(&typed).unwrap();
    drop(renewal);

    // Restart with the session kept: the same step, the typed form with it.
    let renewal = open(&ca, &vault);
    let view = renewal.view().await.unwrap();
    assert_eq!(view.step, FlowStep::Requisites { application_id: id });
    assert_eq!(view.draft, Some(typed));
    drop(renewal);

    // Restart without it (no keyring): log in, land on the same step.
    let endpoint = ca.endpoint();
    vault.clear(&endpoint);
    let renewal = open(&ca, &vault);
    assert_eq!(renewal.view().await.unwrap().step, FlowStep::Login);
    // A new code only after the resend interval.
    let err = renewal
        .request_code(PHONE)
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::RateLimited);
    ca.clock.advance(std::time::Duration::from_secs(61));
    let view = log_in(&ca, &renewal).await;
    assert_eq!(view.step, FlowStep::Requisites { application_id: id });
    assert!(view.draft.is_some(), "the draft survives a new login too");
    // Sent: the draft is gone.
    let view = renewal.save_requisites(&requisites()).await.unwrap();
    assert_eq!(view.draft, None);
    assert_eq!(renewal.edit_requisites().await.unwrap().draft, None);

    // The CA forgets the session: the next call says so in Russian and the flow waits at login.
    vault.store(&endpoint, "not-a-session");
    let renewal = open(&ca, &vault);
    let err = renewal
        .view()
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unauthorized);
    assert!(err.message.contains("Войдите снова"), "{err:?}");
    assert_eq!(renewal.step(), FlowStep::Login);
    assert_eq!(vault.load(&endpoint), None);

    // Logout forgets everything.
    let renewal = open(&ca, &vault);
    let view = renewal.logout().unwrap();
    assert_eq!(view.step, FlowStep::Login);
}

/// The seeded applicant through stages 1–2 to an approved application, at the statement step.
async fn at_the_statement(ca: &Ca, vault: &Arc<MemoryVault>) -> (Renewal, i64, std::path::PathBuf) {
    let key_dir = ca.scratch.path("dev-applicant");
    kep_ca::dev_seed::seed(&ca.state, &key_dir, 10)
        .await
        .unwrap();
    let phone = kep_ca::dev_seed::DEV_APPLICANT_PHONE;
    let renewal = open(ca, vault);
    renewal.request_code(phone).await.unwrap();
    let view = renewal.verify_code(phone, &ca.last_code()).await.unwrap();
    let id = view.applications[0].id;
    renewal.choose(id).await.unwrap();
    renewal.start().await.unwrap();
    renewal
        .save_requisites(&kep_ca::dev_seed::dev_requisites())
        .await
        .unwrap();
    renewal.submit().await.unwrap();
    renewal.poll().await.unwrap();
    operator_decides(ca, id, Decision::Approve).await;
    assert!(renewal.poll().await.unwrap().is_some());
    let view = renewal.proceed_to_issuance().await.unwrap();
    assert_eq!(
        (view.step, view.stage),
        (FlowStep::Statement { application_id: id }, Stage::Issuance)
    );
    (renewal, id, key_dir)
}

#[tokio::test]
async fn the_statement_signed_with_the_current_certificate_in_the_key_store() {
    let ca = start_ca("renewal-statement-kep").await;
    let vault = Arc::new(MemoryVault::default());
    let (renewal, _, key_dir) = at_the_statement(&ca, &vault).await;
    let requisites = kep_ca::dev_seed::dev_requisites();
    let found = kep_client::current_certificates::in_key_store(
        &key_dir,
        &requisites,
        std::time::SystemTime::now(),
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, "computer:current");
    assert_eq!(found[0].problem, None);
    assert!((1..60).contains(&found[0].summary.days_left));
    let mut someone_else = requisites.clone();
    someone_else.snils = "087-654-303 00".into();
    let judged = kep_client::current_certificates::in_key_store(
        &key_dir,
        &someone_else,
        std::time::SystemTime::now(),
    );
    assert_eq!(
        judged[0].problem.as_deref(),
        Some(kep_client::current_certificates::OTHER_PERSON)
    );

    let pdf = renewal.statement_pdf().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // What the app offers: the same certificate, through the renewal (no token module here).
    let offered = renewal.signing_certificates().await.unwrap();
    assert_eq!(offered.len(), 1);
    assert_eq!(
        (offered[0].id.as_str(), &offered[0].problem),
        ("computer:current", &None)
    );
    let err = renewal
        .sign_statement_with("computer:current", Zeroizing::new("не тот пароль".into()))
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(err.message, kep_client::computer_key::WRONG_PASSWORD);
    let err = renewal
        .sign_statement_with("token:", Zeroizing::new("12345678".into()))
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
    let view = renewal
        .sign_statement_with(
            &offered[0].id,
            Zeroizing::new(kep_ca::dev_seed::DEV_APPLICANT_KEY_PASSWORD.into()),
        )
        .await
        .unwrap();
    let application = view.application.unwrap();
    assert_eq!(application.status, ApplicationStatus::ReadyForKey);
    assert_eq!(view.stage, Stage::Key);
}

#[tokio::test]
async fn a_scanned_statement_rejected_then_corrected() {
    let ca = start_ca("renewal-statement-scan").await;
    let vault = Arc::new(MemoryVault::default());
    let (renewal, id, _) = at_the_statement(&ca, &vault).await;
    let scan = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 1];
    let first = renewal
        .upload(
            DocumentKind::SignedStatementScan,
            scan.clone(),
            Arc::new(|_, _| {}),
        )
        .await
        .unwrap();
    let view = renewal.submit_statement_scan().await.unwrap();
    assert_eq!(
        view.application.unwrap().status,
        ApplicationStatus::StatementInReview
    );
    renewal.poll().await.unwrap();
    ca.state
        .applications
        .statements
        .decide(
            1,
            id,
            kep_ca::applications::StatementDecision::Reject {
                comment: "Нет подписи".into(),
            },
        )
        .await
        .unwrap();
    let change = renewal.poll().await.unwrap().expect("seen");
    assert_eq!(change.title, "Заявление не принято");
    assert!(change.body.contains("Нет подписи"));
    assert_eq!(renewal.step(), FlowStep::Statement { application_id: id });
    renewal.delete_document(first.id).await.unwrap();
    renewal
        .upload(DocumentKind::SignedStatementScan, scan, Arc::new(|_, _| {}))
        .await
        .unwrap();
    renewal.submit_statement_scan().await.unwrap();
    renewal.poll().await.unwrap();
    ca.state
        .applications
        .statements
        .decide(1, id, kep_ca::applications::StatementDecision::Approve)
        .await
        .unwrap();
    let change = renewal.poll().await.unwrap().expect("seen");
    assert_eq!(change.status, ApplicationStatus::ReadyForKey);
    assert_eq!(change.view.stage, Stage::Key);
}

/// At the key step: the statement signed with the current КЭП from the key store.
async fn at_the_key(
    ca: &Ca,
    vault: &Arc<MemoryVault>,
) -> (
    Renewal,
    i64,
    std::path::PathBuf,
    kep_client::renewal::WizardView,
) {
    let (renewal, id, key_dir) = at_the_statement(ca, vault).await;
    renewal
        .sign_statement_with(
            "computer:current",
            Zeroizing::new(kep_ca::dev_seed::DEV_APPLICANT_KEY_PASSWORD.into()),
        )
        .await
        .unwrap();
    let view = renewal.proceed_to_key().await.unwrap();
    (renewal, id, key_dir, view)
}

#[tokio::test]
async fn the_key_on_this_computer_the_request_and_the_installed_certificate() {
    let ca = start_ca("renewal-key-computer").await;
    let vault = Arc::new(MemoryVault::default());
    let (renewal, id, key_dir, view) = at_the_key(&ca, &vault).await;
    assert_eq!(
        (view.step, view.stage),
        (FlowStep::Key { application_id: id }, Stage::Key)
    );

    // No key before the sensor is full; then the password rule, counted in characters.
    let computer = |password: &str| NewKey::Computer {
        password: password.into(),
        length: Default::default(),
    };
    let err = renewal
        .create_key_and_request(computer("пароль ключа"))
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    fill_sensor(&renewal, 0x2545_f491_4f6c_dd1d);
    let err = renewal
        .create_key_and_request(computer("ключ123"))
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(err.message, kep_client::computer_key::PASSWORD_TOO_SHORT);
    // Eight Cyrillic letters are eight characters (sixteen bytes): long enough.
    let view = renewal
        .create_key_and_request(computer("парольки"))
        .await
        .unwrap();
    assert_eq!(view.application.unwrap().status, ApplicationStatus::Issued);
    assert_eq!(
        (view.step, view.stage),
        (FlowStep::Install { application_id: id }, Stage::Install)
    );
    // One sensor run seeds one key.
    assert!(!renewal.sensor_events(&[]).unwrap().full);
    let target = renewal.install_target().await.unwrap();
    assert_eq!(target.token, None);

    // Quit between "issued" and "installed": the restarted app is at the install step.
    drop(renewal);
    let renewal = open(&ca, &vault);
    let view = renewal.view().await.unwrap();
    assert_eq!(view.step, FlowStep::Install { application_id: id });
    // The home looked before: the current certificate's "valid" is kept — until the install
    // below, which has the CA supersede it (seen further down).
    let before = renewal.home().list().await.unwrap();
    assert!(
        before
            .iter()
            .any(|c| c.id == "computer:current"
                && matches!(c.status, CertificateStatus::Valid { .. })),
        "{before:?}"
    );
    let view = renewal.install_certificate(None, false).await.unwrap();
    assert_eq!(
        view.application.unwrap().status,
        ApplicationStatus::Completed
    );
    assert_eq!(view.step, FlowStep::Done { application_id: id });
    let der = renewal.issued_certificate().await.unwrap();
    let installed = kep_token::key_store::ComputerKeyStore::new(&key_dir);
    let name = kep_client::computer_key::key_name(id);
    assert_eq!(installed.certificate(&name).unwrap().unwrap(), der);
    let key = installed.open(&name, "парольки").unwrap();
    assert!(kep_client::computer_key::matches_request(
        &key_dir, id, &key
    ));
    // Installing again (a lost answer) changes nothing.
    assert_eq!(
        renewal.install_certificate(None, false).await.unwrap().step,
        FlowStep::Done { application_id: id }
    );

    // A certificate for some other key is refused by the install check.
    let current = installed.certificate("current").unwrap().unwrap();
    let home = kep_client::computer_key::ComputerHome::new(&key_dir, None);
    let err = kep_client::new_key::install(&key_dir, id, &home, &current)
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert!(err.message.contains("не для ключа"), "{err:?}");

    // The home: the new certificate valid per the CA's OCSP responder, the replaced one
    // superseded — and so offered no more for a statement.
    let home = renewal.home().list().await.unwrap();
    let new_id = format!("computer:{name}");
    let entry = |id: &str| home.iter().find(|c| c.id == id).unwrap().clone();
    assert!(
        matches!(
            entry(&new_id).status,
            CertificateStatus::Valid {
                source: StatusSource::Ocsp,
                ..
            }
        ),
        "{home:?}"
    );
    assert_eq!(entry(&new_id).expiry, ExpiryMark::Fine);
    assert!(!entry(&new_id).renewable && !entry(&new_id).removable);
    assert!(entry(&new_id).summary.qualified, "{home:?}");
    // The renewal's record: the statement with the signature made here, re-verified; a
    // changed PDF is caught.
    let record = entry(&new_id).record.expect("a record");
    assert_eq!(record.application_id, id);
    assert_eq!(
        record.statement,
        kep_protocol::my_certificates::RecordStatement::Signed
    );
    let check = renewal.home().check_record(id).await.unwrap();
    assert!(check.statement_ok && check.chain_ok, "{check:?}");
    let pdf = std::path::Path::new(&record.folder).join("statement.pdf");
    let mut bytes = std::fs::read(&pdf).unwrap();
    bytes.push(b' ');
    std::fs::write(&pdf, bytes).unwrap();
    let check = renewal.home().check_record(id).await.unwrap();
    assert!(!check.statement_ok && check.chain_ok, "{check:?}");
    assert!(
        check
            .statement
            .starts_with("Подпись заявления не прошла проверку"),
        "{check:?}"
    );
    assert!(entry("computer:current").record.is_none());
    assert!(
        matches!(
            entry("computer:current").status,
            CertificateStatus::Superseded { .. }
        ),
        "{home:?}"
    );
    let mut candidates = kep_client::current_certificates::in_key_store(
        &key_dir,
        &kep_ca::dev_seed::dev_requisites(),
        std::time::SystemTime::now(),
    );
    let current_candidate = candidates
        .iter()
        .position(|c| c.id == "computer:current")
        .unwrap();
    assert_eq!(candidates[current_candidate].problem, None);
    kep_client::current_certificates::mark_revoked(&mut candidates, &["computer:current".into()]);
    assert_eq!(
        candidates[current_candidate].problem.as_deref(),
        Some(kep_client::current_certificates::REVOKED)
    );
    // The CA's CRL says the same.
    let crl = kep_pki::crl::Crl::parse(&renewal.issuing_crl().await.unwrap()).unwrap();
    assert_eq!(crl.revocations().len(), 1);
}

#[tokio::test]
async fn a_512_bit_key_on_this_computer_is_certified_and_openssl_verifies_it() {
    let ca = start_ca("renewal-key-512").await;
    let vault = Arc::new(MemoryVault::default());
    let (renewal, id, key_dir, _) = at_the_key(&ca, &vault).await;
    fill_sensor(&renewal, 0x5151_2512_0a0b_0c0d);
    let view = renewal
        .create_key_and_request(NewKey::Computer {
            password: "пароль ключа 512".into(),
            length: kep_protocol::key::KeyLength::Bits512,
        })
        .await
        .unwrap();
    assert_eq!(view.application.unwrap().status, ApplicationStatus::Issued);
    renewal.install_certificate(None, false).await.unwrap();
    let name = kep_client::computer_key::key_name(id);
    let der = kep_token::key_store::ComputerKeyStore::new(&key_dir)
        .certificate(&name)
        .unwrap()
        .unwrap();
    let summary =
        kep_pki::summary::summarize(&der, &[], &[], std::time::SystemTime::now()).unwrap();
    assert_eq!(summary.key_algorithm, "ГОСТ Р 34.10-2012 512 бит");
    assert_eq!(summary.param_set.as_deref(), Some("1.2.643.7.1.2.1.2.1"));

    let authority = ca.state.applications.authority();
    let ssl = kep_system_tests::tools::OpenSsl::new("renewal-512");
    let pem = kep_system_tests::tools::pem;
    ssl.scratch
        .write("root.pem", pem("CERTIFICATE", authority.root_der()));
    ssl.scratch
        .write("issuing.pem", pem("CERTIFICATE", authority.issuing_der()));
    ssl.scratch.write("leaf.pem", pem("CERTIFICATE", &der));
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
    let text = String::from_utf8(ssl.run(&["x509", "-in", "leaf.pem", "-noout", "-text"])).unwrap();
    assert!(
        text.contains("GOST R 34.10-2012 with 512 bit modulus"),
        "{text}"
    );
}

#[tokio::test]
async fn without_a_kep_the_officer_confirms_identity_before_issuance() {
    let ca = start_ca("renewal-identity").await;
    let vault = Arc::new(MemoryVault::default());
    let (renewal, id, _) = at_the_statement(&ca, &vault).await;
    renewal
        .upload(
            DocumentKind::SignedStatementScan,
            vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 1],
            Arc::new(|_, _| {}),
        )
        .await
        .unwrap();
    renewal.submit_statement_scan().await.unwrap();
    ca.state
        .applications
        .statements
        .decide(1, id, kep_ca::applications::StatementDecision::Approve)
        .await
        .unwrap();
    renewal.view().await.unwrap();
    renewal.proceed_to_key().await.unwrap();
    fill_sensor(&renewal, 0x2545_f491_4f6c_dd1d);
    let view = renewal
        .create_key_and_request(NewKey::Computer {
            password: "пароль ключа".into(),
            length: Default::default(),
        })
        .await
        .unwrap();
    assert_eq!(
        view.application.unwrap().status,
        ApplicationStatus::AwaitingIdentity
    );
    assert_eq!(view.step, FlowStep::Identity { application_id: id });
    assert_eq!(view.stage, Stage::Identity);
    ca.state
        .applications
        .issuance
        .confirm_identity(2, id)
        .await
        .unwrap();
    let change = renewal.poll().await.unwrap().expect("seen");
    assert_eq!(change.status, ApplicationStatus::Issued);
    assert_eq!(change.title, "Сертификат выпущен");
    assert_eq!(change.view.stage, Stage::Install);
    assert_eq!(change.view.step, FlowStep::Install { application_id: id });

    // Installed: the record keeps the scan sent (a scan has no signature to verify).
    renewal.install_certificate(None, false).await.unwrap();
    let home = renewal.home().list().await.unwrap();
    let record = home
        .iter()
        .find_map(|c| c.record.clone())
        .expect("the new certificate's record");
    assert_eq!(
        record.statement,
        kep_protocol::my_certificates::RecordStatement::Scan
    );
    assert!(
        record.files.iter().any(|f| f == "statement-scan.png"),
        "{record:?}"
    );
    let check = renewal.home().check_record(id).await.unwrap();
    assert!(check.statement_ok && check.chain_ok, "{check:?}");
    assert_eq!(check.statement, kep_client::messages_ru::RECORD_SCAN_KEPT);
}
