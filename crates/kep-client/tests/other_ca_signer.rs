//! Path (a) with a КЭП from another accredited CA (#25), through the applicant's client against a
//! real kep-ca: three hierarchies made by OpenSSL's gost engine in the test — an accredited CA
//! (root listed, its issuing CA fetched from the signer's AIA), one whose accreditation ended,
//! one not on the list — in a list of accredited CAs in the published shape; their CRLs, issuer
//! certificates and an OCSP responder (OpenSSL's own) on this machine. Each signer's outcome is
//! the sentence the applicant reads; a status that cannot be learnt (a silent server, an
//! oversize CRL, a CRL signed by another key) is also on the application's timeline; the default
//! fetch policy refuses the AIA address on this machine before sending anything.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::routing::get;
use kep_ca::trust::fetch_policy::FetchPolicy;
use kep_client::CaClient;
use kep_client::ca::Polled;
use kep_pki::signer::SoftwareGostSigner;
use kep_protocol::application::{ApplicationStatus, ApplicationView};
use kep_protocol::{ApiError, ErrorKind};
use kep_system_tests::tools::{KilledOnDrop, OpenSsl, free_port, pem_der};
use kep_system_tests::tsl;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

/// The OpenSSL configuration of the test's CAs: extensions and `openssl ca` databases (the
/// engine comes from the scratch folder's openssl.cnf, loaded through OPENSSL_CONF).
fn ca_config(http: &str, ocsp: &str) -> String {
    let signer = |name: &str, aia: &str, crl: &str| {
        format!(
            "[{name}]\nbasicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature,nonRepudiation\n\
             certificatePolicies = 1.2.643.100.113.1\nsubjectSignTool = ASN1:UTF8String:Test tool\n\
             issuerSignTool = ASN1:SEQUENCE:issuer_tool\n1.2.643.100.114 = ASN1:INTEGER:0\n\
             {aia}{crl}\n"
        )
    };
    let ca_issuers = format!("caIssuers;URI:{http}/a-issuing.crt");
    let aia = |ocsp_too: bool| {
        if ocsp_too {
            format!("authorityInfoAccess = {ca_issuers},OCSP;URI:{ocsp}/\n")
        } else {
            format!("authorityInfoAccess = {ca_issuers}\n")
        }
    };
    let crl = |file: &str| format!("crlDistributionPoints = URI:{http}/{file}\n");
    let database = |name: &str| {
        format!(
            "[{name}]\ndatabase = {name}.index\ncrlnumber = {name}.crlnumber\ndefault_md = md_gost12_256\n\
             default_crl_days = 30\n"
        )
    };
    [
        "[issuer_tool]\nf1 = UTF8:Tool\nf2 = UTF8:CA tool\nf3 = UTF8:Cert 1\nf4 = UTF8:Cert 2\n"
            .to_owned(),
        "[root]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n\
         subjectKeyIdentifier = hash\n"
            .to_owned(),
        format!(
            "[issuing]\nbasicConstraints = critical,CA:TRUE,pathlen:0\nkeyUsage = critical,keyCertSign,cRLSign\n\
             subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n{}",
            crl("a-root.crl")
        ),
        signer("by_ocsp", &aia(true), &crl("a.crl")),
        signer("by_crl", &aia(false), &crl("a.crl")),
        signer("revoked", &aia(false), &crl("a.crl")),
        signer("slow", &aia(false), &crl("slow.crl")),
        signer("huge", &aia(false), &crl("huge.crl")),
        signer("forged", &aia(false), &crl("forged.crl")),
        signer("plain", "", ""),
        database("a_root"),
        database("a_issuing"),
    ]
    .concat()
}

/// The test's PKI, made by OpenSSL.
struct Pki {
    ssl: OpenSsl,
}

impl Pki {
    fn run(&self, args: &[&str]) {
        self.ssl.run(args);
    }

    fn der(&self, name: &str) -> Vec<u8> {
        pem_der(&self.ssl.scratch.read(name), "CERTIFICATE")
    }

    /// A self-signed root `name` with `cn`.
    fn root(&self, name: &str, cn: &str) {
        self.run(&[
            "req",
            "-x509",
            "-newkey",
            "gost2012_256",
            "-pkeyopt",
            "paramset:A",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.crt"),
            "-days",
            "3650",
            "-subj",
            &format!("/CN={cn}/O={cn}"),
            "-utf8",
            "-config",
            "ca.cnf",
            "-extensions",
            "root",
        ]);
    }

    /// A certificate `name` with `subject` for `key` (made when missing), from `issuer`, with
    /// the extensions of `section`.
    fn issue(
        &self,
        name: &str,
        subject: &str,
        key: &str,
        issuer: &str,
        section: &str,
        serial: u32,
    ) {
        if !self.ssl.scratch.path(key).exists() {
            self.run(&[
                "genpkey",
                "-algorithm",
                "gost2012_256",
                "-pkeyopt",
                "paramset:A",
                "-out",
                key,
            ]);
        }
        let csr = format!("{name}.csr");
        self.run(&[
            "req", "-new", "-key", key, "-subj", subject, "-utf8", "-config", "ca.cnf", "-out",
            &csr,
        ]);
        self.run(&[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            &format!("{issuer}.crt"),
            "-CAkey",
            &format!("{issuer}.key"),
            "-set_serial",
            &format!("0x{serial:X}"),
            "-days",
            "365",
            "-extfile",
            "ca.cnf",
            "-extensions",
            section,
            "-out",
            &format!("{name}.crt"),
        ]);
    }

    /// `openssl ca` with `config`'s database section `database`, signing as `issuer`.
    fn ca(&self, config: &str, database: &str, issuer: &str, what: &[&str]) {
        let key = format!("{issuer}.key");
        let certificate = format!("{issuer}.crt");
        let mut args = vec!["ca", "-config", config, "-name", database];
        args.extend(["-keyfile", &key, "-cert", &certificate]);
        args.extend_from_slice(what);
        self.run(&args);
    }

    /// The CRL of `issuer` (database section `database`), DER.
    fn crl(&self, issuer: &str, database: &str) -> Vec<u8> {
        let out = format!("{issuer}.crl.pem");
        self.ca("ca.cnf", database, issuer, &["-gencrl", "-out", &out]);
        pem_der(&self.ssl.scratch.read(&out), "X509 CRL")
    }

    fn revoke(&self, certificate: &str, issuer: &str, database: &str) {
        let revoked = format!("{certificate}.crt");
        let what = ["-revoke", &revoked, "-crl_reason", "keyCompromise"];
        self.ca("ca.cnf", database, issuer, &what);
    }
}

fn listed_ca(
    name: &str,
    inn: &str,
    status: (&str, &str),
    history: &[(&str, &str)],
    root: &[u8],
    crl: &str,
) -> tsl::Ca {
    tsl::Ca {
        name: name.into(),
        inn: inn.into(),
        ogrn: "1027700000001".into(),
        registry_number: "101".into(),
        status: (status.0.into(), status.1.into()),
        history: history
            .iter()
            .map(|(s, since)| ((*s).to_owned(), (*since).to_owned()))
            .collect(),
        keys: vec![tsl::Key {
            key_id: "0a".into(),
            crl_urls: vec![crl.into()],
            certificates: vec![tsl::Certificate {
                der: root.to_vec(),
                serial: "01".into(),
                valid: ("2020-01-01".into(), "2040-01-01".into()),
                wrong_thumbprint: false,
            }],
        }],
    }
}

/// What the CA answers to a statement signed with the certificate `name`.
async fn sign_with(
    client: &CaClient,
    id: i64,
    pdf: &[u8],
    key: &SoftwareGostSigner,
    pki: &Pki,
    name: &str,
) -> Result<ApplicationView, ApiError> {
    let cms = kep_pki::cms_signature::sign_detached(
        pdf,
        key,
        &pki.der(&format!("{name}.crt")),
        SystemTime::now(),
    )
    .unwrap();
    client.sign_statement(id, cms).await.map_err(ApiError::from)
}

fn rejected(result: Result<ApplicationView, ApiError>, says: &[&str]) -> String {
    let error = result.expect_err("refused");
    assert_eq!(error.kind, ErrorKind::SignatureRejected, "{error:?}");
    for words in says {
        assert!(error.message.contains(words), "«{words}» in {error:?}");
    }
    error.message
}

/// An approved application of the seeded applicant with its statement, on `ca`.
async fn awaiting_statement(ca: &common::Ca, client: &CaClient, id: i64) -> Vec<u8> {
    client.submit(id).await.unwrap();
    ca.state
        .applications
        .review
        .decide(1, id, kep_ca::applications::Decision::Approve)
        .await
        .unwrap();
    client.statement_pdf(id).await.unwrap()
}

async fn logged_in(ca: &common::Ca) -> CaClient {
    let phone = kep_ca::dev_seed::DEV_APPLICANT_PHONE;
    let client = CaClient::new(ca.endpoint()).unwrap();
    client.request_code(phone).await.unwrap();
    client.verify_code(phone, &ca.last_code()).await.unwrap().0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statements_signed_with_other_accredited_cas_keys_are_checked_over_the_network() {
    let loopback = FetchPolicy {
        allow_loopback: true,
        allow_private: false,
    };
    let ca = common::start_ca_with("other-ca-signer", |c| c.fetch = loopback).await;
    let strict = common::start_ca("other-ca-signer-strict").await;
    for (n, ca) in [&ca, &strict].into_iter().enumerate() {
        kep_ca::dev_seed::seed(&ca.state, &ca.scratch.path(&format!("seed-{n}")), 10)
            .await
            .unwrap();
    }
    let person = kep_ca::dev_seed::dev_requisites();
    let subject = format!(
        "/CN={} {} {}/SNILS={}/INN={}",
        person.surname,
        person.given_name,
        person.patronymic,
        person
            .snils
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>(),
        person.inn
    );

    // The other CAs' addresses on this machine: a server for CRLs and issuer certificates, and
    // OpenSSL's OCSP responder.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let http = format!("http://{}", listener.local_addr().unwrap());
    let ocsp_port = free_port();
    let ocsp = format!("http://127.0.0.1:{ocsp_port}");

    let pki = Pki {
        ssl: OpenSsl::new("other-ca-signer-pki"),
    };
    let scratch = &pki.ssl.scratch;
    scratch.write("ca.cnf", ca_config(&http, &ocsp));
    for database in ["a_root", "a_issuing", "impostor"] {
        scratch.write(&format!("{database}.index"), "");
        scratch.write(&format!("{database}.crlnumber"), "01\n");
    }
    // A: the accredited CA — its root listed, its issuing CA only behind the signers' AIA.
    pki.root("a-root", "Корневой УЦ Альфа");
    pki.issue(
        "a-issuing",
        "/CN=УЦ Альфа/O=Альфа",
        "a-issuing.key",
        "a-root",
        "issuing",
        0x100,
    );
    let sections = ["by_ocsp", "by_crl", "revoked", "slow", "huge", "forged"];
    for (n, section) in (0u32..).zip(sections) {
        pki.issue(
            section,
            &subject,
            "person.key",
            "a-issuing",
            section,
            0x2000 + n,
        );
    }
    pki.revoke("revoked", "a-issuing", "a_issuing");
    let a_crl = pki.crl("a-issuing", "a_issuing");
    let a_root_crl = pki.crl("a-root", "a_root");
    // A CRL in A's issuing CA's name, signed by another key.
    pki.issue(
        "impostor",
        "/CN=УЦ Альфа/O=Альфа",
        "impostor.key",
        "a-root",
        "issuing",
        0x101,
    );
    scratch.write(
        "ca-impostor.cnf",
        String::from_utf8(scratch.read("ca.cnf")).unwrap().replace(
            "[a_issuing]\ndatabase = a_issuing.index",
            "[a_issuing]\ndatabase = impostor.index",
        ),
    );
    pki.ca(
        "ca-impostor.cnf",
        "a_issuing",
        "impostor",
        &["-gencrl", "-out", "forged.crl.pem"],
    );
    let forged_crl = pem_der(&scratch.read("forged.crl.pem"), "X509 CRL");
    // E: accreditation ended yesterday; N: not on the list.
    pki.root("e-root", "УЦ Эпсилон");
    pki.issue(
        "e-signer",
        &subject,
        "person.key",
        "e-root",
        "plain",
        0x3000,
    );
    pki.root("n-root", "УЦ Ню");
    pki.issue(
        "n-signer",
        &subject,
        "person.key",
        "n-root",
        "plain",
        0x4000,
    );
    let person_key = SoftwareGostSigner::new(
        kep_gost::SigningKey::from_pkcs8_der(&pem_der(&scratch.read("person.key"), "PRIVATE KEY"))
            .unwrap(),
    )
    .unwrap();

    // OpenSSL's responder for A's issuing CA (its database has the revoked signer; the others
    // are good only when listed as valid).
    let index = String::from_utf8(scratch.read("a_issuing.index")).unwrap();
    let expiry = index.split('\t').nth(1).unwrap().to_owned();
    scratch.write(
        "a_issuing.index",
        format!("{index}V\t{expiry}\t\t2000\tunknown\t/CN=by_ocsp\n"),
    );
    let _responder: KilledOnDrop = kep_system_tests::tools::start_until_line(
        Command::new("openssl")
            .args([
                "ocsp",
                "-url",
                &format!("{ocsp}/"),
                "-index",
                "a_issuing.index",
            ])
            .args([
                "-CA",
                "a-issuing.crt",
                "-rsigner",
                "a-issuing.crt",
                "-rkey",
                "a-issuing.key",
            ])
            .args(["-nmin", "60"])
            .env("OPENSSL_CONF", scratch.path("openssl.cnf"))
            .current_dir(scratch.dir()),
        &scratch.path("ocsp.log"),
        "ACCEPT",
    );

    let a_issuing = pki.der("a-issuing.crt");
    let app = axum::Router::new()
        .route("/a-issuing.crt", get(move || async move { a_issuing }))
        .route("/a.crl", get(move || async move { a_crl }))
        .route("/a-root.crl", get(move || async move { a_root_crl }))
        .route("/forged.crl", get(move || async move { forged_crl }))
        .route("/huge.crl", get(|| async { vec![0u8; 21 * 1024 * 1024] }))
        .route(
            "/slow.crl",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(60)).await;
                Vec::<u8>::new()
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    // The list, in its published shape, imported by both CAs.
    let day = 86_400;
    let yesterday = time::OffsetDateTime::now_utc() - time::Duration::seconds(day);
    let yesterday = yesterday
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let list = tsl::write(
        7,
        "2026-12-01T00:00:00+03:00",
        &[
            listed_ca(
                "АО «Альфа»",
                "7701000001",
                ("Действует", "2021-07-01T00:00:00+03:00"),
                &[],
                &pki.der("a-root.crt"),
                &format!("{http}/a-root.crl"),
            ),
            listed_ca(
                "ООО «Эпсилон»",
                "7701000002",
                ("Прекращена", &yesterday),
                &[("Действует", "2021-07-01T00:00:00+03:00")],
                &pki.der("e-root.crt"),
                &format!("{http}/e.crl"),
            ),
        ],
    );
    scratch.write("tsl.xml", &list);
    for ca in [&ca, &strict] {
        // The certificates were made after the CA started: its clock catches up.
        let behind = SystemTime::now()
            .duration_since(kep_ca::clock::Clock::now(&ca.clock))
            .unwrap_or_default();
        ca.clock.advance(behind + Duration::from_secs(2));
        let now = kep_ca::clock::Clock::unix(&ca.clock);
        ca.state
            .trust
            .import_file(&scratch.path("tsl.xml"), "tsl.xml", 200 << 20, now)
            .await
            .unwrap();
    }

    let client = logged_in(&ca).await;
    // The app reads the same list the CA checks against (public; none before an import).
    let listed = client
        .without_token()
        .accredited_cas()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(listed.version, 7);
    let accredited: Vec<(&str, bool)> = listed
        .cas
        .iter()
        .map(|c| (c.name.as_str(), c.accredited))
        .collect();
    assert_eq!(accredited, [("АО «Альфа»", true), ("ООО «Эпсилон»", false)]);
    let thumbprint: String = ring::digest::digest(
        &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
        &pki.der("a-root.crt"),
    )
    .as_ref()
    .iter()
    .map(|b| format!("{b:02X}"))
    .collect();
    assert_eq!(listed.cas[0].certificates[0].thumbprint, thumbprint);
    let none = common::start_ca("other-ca-signer-no-list").await;
    let anyone = CaClient::new(none.endpoint()).unwrap();
    assert!(anyone.accredited_cas().await.unwrap().is_none());
    let first = client.applications().await.unwrap()[0].id;
    let pdf = awaiting_statement(&ca, &client, first).await;

    // Not on the list; accreditation ended before the statement came.
    rejected(
        sign_with(&client, first, &pdf, &person_key, &pki, "n-signer").await,
        &[
            "нет в перечне аккредитованных",
            "Подпишите заявление от руки",
        ],
    );
    rejected(
        sign_with(&client, first, &pdf, &person_key, &pki, "e-signer").await,
        &["ООО «Эпсилон»", "не действует (Прекращена)"],
    );
    // Revoked, by A's CRL (the issuing CA fetched from the AIA, itself checked on A's root CRL).
    rejected(
        sign_with(&client, first, &pdf, &person_key, &pki, "revoked").await,
        &["отозван", "компрометация ключа"],
    );
    // Status not learnt: silence (within the check's deadline), too large, another key.
    let started = Instant::now();
    rejected(
        sign_with(&client, first, &pdf, &person_key, &pki, "slow").await,
        &[
            "Не удалось проверить",
            "slow.crl не ответил вовремя",
            "Подпишите заявление от руки",
        ],
    );
    let waited = started.elapsed();
    // Within the app's own deadline for an answer (15 s), not after the server gives up.
    assert!(waited < Duration::from_secs(15), "{waited:?}");
    rejected(
        sign_with(&client, first, &pdf, &person_key, &pki, "huge").await,
        &["Не удалось проверить", "huge.crl: ответ больше 20480 КБ"],
    );
    rejected(
        sign_with(&client, first, &pdf, &person_key, &pki, "forged").await,
        &["forged.crl подписан не издателем"],
    );
    let Polled::Changed { value: view, .. } = client.application(first, None).await.unwrap() else {
        panic!("no ETag was sent");
    };
    assert_eq!(view.status, ApplicationStatus::Approved);
    let notes: Vec<&str> = view
        .timeline
        .iter()
        .filter_map(|e| e.comment.as_deref())
        .filter(|c| c.starts_with("Не удалось проверить"))
        .collect();
    assert_eq!(notes.len(), 3, "{:?}", view.timeline);
    assert!(notes[0].contains("slow.crl"), "{notes:?}");

    // The default policy refuses the AIA address on this machine: nothing is sent.
    let strict_client = logged_in(&strict).await;
    let strict_id = strict_client.applications().await.unwrap()[0].id;
    let strict_pdf = awaiting_statement(&strict, &strict_client, strict_id).await;
    rejected(
        sign_with(
            &strict_client,
            strict_id,
            &strict_pdf,
            &person_key,
            &pki,
            "by_ocsp",
        )
        .await,
        &[
            "нет в перечне",
            "127.0.0.1 — адрес самого УЦ, запрос не отправлен",
        ],
    );

    // Good by OpenSSL's OCSP responder: accepted, and the timeline says by whom and how.
    let view = sign_with(&client, first, &pdf, &person_key, &pki, "by_ocsp")
        .await
        .unwrap();
    assert_eq!(view.status, ApplicationStatus::ReadyForKey);
    let signed = view.timeline.last().unwrap().comment.clone().unwrap();
    assert!(
        signed.contains("АО «Альфа» (ИНН 7701000001)")
            && signed.contains(&format!("ответ OCSP {ocsp}/: действует")),
        "{signed}"
    );

    // Good by the CRL (no OCSP responder named), on a second application.
    let second = ca
        .open_application(kep_ca::dev_seed::DEV_APPLICANT_PHONE)
        .await;
    let pdf = awaiting_statement(&ca, &client, second).await;
    let view = sign_with(&client, second, &pdf, &person_key, &pki, "by_crl")
        .await
        .unwrap();
    assert_eq!(view.status, ApplicationStatus::ReadyForKey);
    let signed = view.timeline.last().unwrap().comment.clone().unwrap();
    assert!(
        signed.contains(&format!("список отзыва {http}/a.crl: не отозван")),
        "{signed}"
    );
}
