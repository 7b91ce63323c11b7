//! Signing files and checking signatures, through kep-client against a real kep-ca: keys in
//! the computer key store (256 and 512 bits) and on a GOST SoftHSM2 token; every `.sig` verified
//! by OpenSSL's `cms -verify` (gost engine) and GnuTLS `certtool --p7-verify`; base64 output;
//! signatures made by `openssl cms -sign -cades` checked here, trusted through the accredited
//! list the CA imported or not at all; a flipped byte, another file, a truncated or foreign
//! `.sig`, an unknown algorithm and an unknown CA each said apart.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// The module reads SOFTHSM2_CONF from the environment, set once before any thread starts.
#![allow(unsafe_code)]

mod common;

use common::start_ca;
use kep_client::file_signatures::Destination;
use kep_client::key_places::{KeyPlaces, MemoryPins};
use kep_client::messages_ru::file_signatures as say;
use kep_client::renewal::Renewal;
use kep_client::session_vault::MemoryVault;
use kep_pki::ValidateRequisites;
use kep_protocol::ErrorKind;
use kep_protocol::certificate::CertificateStatus;
use kep_protocol::file_signatures::{CheckVerdict, SignFiles, SignatureEncoding, SignerTrust};
use kep_system_tests::tools::{OpenSsl, certtool, pem, pem_der};
use kep_token::Pin;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use zeroize::Zeroizing;

const PIN: &str = kep_system_tests::softhsm::USER_PIN;

/// Records `der` in the CA's register of issued certificates (as issuance does), so its OCSP
/// responder knows it.
async fn record(ca: &common::Ca, der: &[u8]) {
    use der::{Decode, Encode};
    use kep_ca::store::Store;
    let cert = x509_cert::Certificate::from_der(der).unwrap();
    let tbs = cert.tbs_certificate();
    let serial: String = tbs
        .serial_number()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    let spki = tbs.subject_public_key_info().to_der().unwrap();
    let not_after = tbs
        .validity()
        .not_after
        .to_system_time()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    ca.state
        .applications
        .store()
        .record_certificate(
            kep_ca::store::CertificateRow {
                serial,
                applicant_id: 1,
                application_id: None,
                spki_sha256: kep_ca::documents::sha256_hex(&spki),
                der: der.to_vec(),
                not_after: i64::try_from(not_after).unwrap(),
                identification: kep_pki::extensions::IdentificationKind::InPerson,
                status: kep_ca::store::CertificateStatus::Active,
                revoked_at: None,
                reason: None,
            },
            None,
            ca.state.applications.clock().unix(),
        )
        .await
        .unwrap();
}

/// A qualified certificate from the test CA for `request`.
fn issue(ca: &common::Ca, request: &[u8]) -> Vec<u8> {
    let authority = ca.state.applications.authority();
    let request = kep_pki::request::verify_request(request).unwrap();
    let today = time::OffsetDateTime::now_utc().date();
    let requisites = kep_ca::dev_seed::dev_requisites().validate(today).unwrap();
    kep_pki::issue::issue_qualified(
        &authority.issuer(),
        authority.profile(),
        &kep_pki::issue::Applicant {
            request: &request,
            requisites: &requisites,
            identification: kep_pki::extensions::IdentificationKind::InPerson,
            storage: kep_pki::issue::KeyStorage::Token,
            not_before: std::time::SystemTime::now() - std::time::Duration::from_secs(3600),
        },
    )
    .unwrap()
}

fn requisites() -> kep_pki::Requisites {
    kep_ca::dev_seed::dev_requisites()
        .validate(time::OffsetDateTime::now_utc().date())
        .unwrap()
}

/// A token `Signer` with a 256-bit key pair and its certificate; answers the token's serial.
async fn token_with_certificate(ca: &common::Ca, keys: &KeyPlaces) -> String {
    let module = keys.module().unwrap();
    let token = kep_token::tokens::list_tokens(&module)
        .unwrap()
        .into_iter()
        .find(|t| t.label == "Signer")
        .unwrap();
    let worker = Arc::new(kep_token::TokenWorker::open(module.clone(), token.slot).unwrap());
    kep_token::pin::login(&worker, Pin::new(PIN), false).unwrap();
    let key = kep_token::keys::generate(
        &worker,
        kep_token::keys::KeyKind::Gost256,
        "KEP Renew",
        None,
    )
    .unwrap();
    let id = key.id.clone();
    let signer = kep_token::TokenSigner::new(worker.clone(), key);
    let request = kep_pki::request::build_request(&requisites(), &signer, None).unwrap();
    let certificate = issue(ca, &request);
    record(ca, &certificate).await;
    kep_token::install::install_certificate(&worker, certificate, id, "КЭП".into()).unwrap();
    token.serial
}

fn sign_request(ids: Vec<String>, certificate: &str, encoding: SignatureEncoding) -> SignFiles {
    SignFiles {
        certificate_id: certificate.into(),
        file_ids: ids,
        encoding,
        choose_place: false,
    }
}

/// OpenSSL (gost engine) and GnuTLS both accept `sig` (DER) over `file`, to the CA's root.
fn independent_verifiers_accept(ssl: &OpenSsl, root: &[u8], file: &Path, sig: &[u8]) {
    ssl.scratch.write("root.pem", pem("CERTIFICATE", root));
    ssl.scratch.write("check.sig", sig);
    let out = ssl.try_run(&[
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        &ssl.scratch.arg("check.sig"),
        "-content",
        file.to_str().unwrap(),
        "-CAfile",
        &ssl.scratch.arg("root.pem"),
        "-purpose",
        "any",
        "-out",
        "/dev/null",
    ]);
    assert!(
        out.status.success(),
        "openssl cms -verify: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (ok, text) = certtool(&[
        "--p7-verify",
        "--inder",
        "--infile",
        &ssl.scratch.arg("check.sig"),
        "--load-data",
        file.to_str().unwrap(),
        "--load-ca-certificate",
        &ssl.scratch.arg("root.pem"),
    ]);
    assert!(ok, "certtool --p7-verify: {text}");
}

#[tokio::test]
async fn files_signed_on_a_token_and_on_the_computer_check_everywhere() {
    let library = kep_system_tests::softhsm::gost_library();
    let ca = start_ca("file-sig").await;
    kep_client::app_log::install(&ca.scratch.path("app"), "test").unwrap();
    let conf = kep_system_tests::softhsm::tokens(&ca.scratch, &["Signer"]);
    // SAFETY: the only test in this binary; set before any thread reads the environment.
    unsafe {
        std::env::set_var("SOFTHSM2_CONF", conf);
        std::env::set_var("BOTAN_MLOCK_POOL_SIZE", "0");
    }

    // The computer key store: the seeded 256-bit КЭП and a 512-bit one.
    let key_dir = ca.scratch.path("keys");
    kep_ca::dev_seed::seed(&ca.state, &key_dir, 10)
        .await
        .unwrap();
    let password = kep_ca::dev_seed::DEV_APPLICANT_KEY_PASSWORD;
    let store = kep_token::key_store::ComputerKeyStore::new(&key_dir);
    let big = store
        .create_with(
            "big",
            password,
            kep_gost::ParamSet::Tc26_512A,
            &mut kep_pki::OsRng,
        )
        .unwrap();
    let big_signer = store.open("big", password).unwrap();
    let request = kep_pki::request::build_request(&requisites(), &big_signer, None).unwrap();
    let big_certificate = issue(&ca, &request);
    record(&ca, &big_certificate).await;
    store.save_certificate("big", &big_certificate).unwrap();
    drop((big, big_signer));

    let keys = Arc::new(KeyPlaces::new(
        key_dir.clone(),
        Some(library.clone()),
        Arc::new(MemoryPins::default()),
    ));
    let serial = token_with_certificate(&ca, &keys).await;
    let renewal = Renewal::open_with(
        ca.endpoint(),
        &ca.scratch.path("app"),
        Arc::new(MemoryVault::default()),
        keys.clone(),
        kep_client::action::Deadlines::default(),
    )
    .unwrap();
    let home = renewal.home().list().await.unwrap();
    let token_id = home
        .iter()
        .find(|c| c.id.starts_with(&format!("token:{serial}:")))
        .unwrap()
        .id
        .clone();
    for id in ["computer:current", "computer:big", token_id.as_str()] {
        let entry = home.iter().find(|c| c.id == id).unwrap();
        assert!(entry.can_sign, "{entry:?}");
    }
    let root = ca.state.applications.authority().root_der().to_vec();

    // Three files (one of 5 MiB, so progress is told along the way), one certificate each.
    let docs = ca.scratch.path("docs");
    std::fs::create_dir_all(&docs).unwrap();
    let mut contents = Vec::new();
    for (i, size) in [5 * 1024 * 1024 + 3, 1000, 1].into_iter().enumerate() {
        let path = docs.join(format!("документ {i}.pdf"));
        let bytes: Vec<u8> = (0..size).map(|j| (j * 31 + i) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        contents.push(path);
    }
    // Two CAs of OpenSSL's making: «АО «Альфа»» on the list of accredited CAs the CA imports
    // (before the app first asks for it), the other on no list.
    let ssl = OpenSsl::new("file-sig-openssl");
    let listed = openssl_cades(
        &ssl,
        &contents[1],
        "alpha",
        "УЦ Альфа",
        "Петров Пётр Петрович",
    );
    let stranger = openssl_cades(
        &ssl,
        &contents[1],
        "other",
        "Неизвестный УЦ",
        "Сидоров Семён",
    );
    let alpha_root = pem_der(&std::fs::read(&listed.ca).unwrap(), "CERTIFICATE");
    let list = kep_system_tests::tsl::write(
        3,
        "2026-12-01T00:00:00+03:00",
        &[kep_system_tests::tsl::Ca {
            name: "АО «Альфа»".into(),
            inn: "7701000001".into(),
            ogrn: "1027700000001".into(),
            registry_number: "101".into(),
            status: ("Действует".into(), "2021-07-01T00:00:00+03:00".into()),
            history: Vec::new(),
            keys: vec![kep_system_tests::tsl::Key {
                key_id: "0a".into(),
                crl_urls: Vec::new(),
                certificates: vec![kep_system_tests::tsl::Certificate {
                    der: alpha_root,
                    serial: "01".into(),
                    valid: ("2020-01-01".into(), "2040-01-01".into()),
                    wrong_thumbprint: false,
                }],
            }],
        }],
    );
    ca.scratch.write("tsl.xml", &list);
    ca.state
        .trust
        .import_file(
            &ca.scratch.path("tsl.xml"),
            "tsl.xml",
            200 << 20,
            kep_ca::clock::Clock::unix(&ca.clock),
        )
        .await
        .unwrap();

    let files = renewal.file_signatures();
    let chosen = files.add_files(contents.clone());
    assert_eq!(chosen.len(), 3);
    assert!(chosen.iter().all(|f| !f.is_signature));
    let cases = [
        ("computer:current", password, SignatureEncoding::Der),
        ("computer:big", password, SignatureEncoding::Base64),
        (token_id.as_str(), PIN, SignatureEncoding::Der),
    ];
    for (i, (certificate, secret, encoding)) in cases.into_iter().enumerate() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let heard = seen.clone();
        let signed = files
            .sign(
                &sign_request(vec![chosen[i].id.clone()], certificate, encoding),
                Zeroizing::new(secret.into()),
                Destination::Beside,
                Arc::new(move |p| heard.lock().unwrap().push(p)),
            )
            .await
            .unwrap();
        assert_eq!(signed.len(), 1);
        assert_eq!(signed[0].problem, None, "{signed:?}");
        let sig_path = docs.join(signed[0].signature_name.as_ref().unwrap());
        assert_eq!(sig_path, docs.join(format!("{}.sig", chosen[i].name)));
        let progress = seen.lock().unwrap().clone();
        assert_eq!(progress.first().unwrap().done, 0);
        assert_eq!(progress.last().unwrap().done, chosen[i].size);
        if chosen[i].size > 4 * 1024 * 1024 {
            assert!(progress.len() > 2, "{progress:?}");
        }
        let written = std::fs::read(&sig_path).unwrap();
        let der = match encoding {
            SignatureEncoding::Der => written.clone(),
            SignatureEncoding::Base64 => {
                assert!(
                    written
                        .iter()
                        .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(b))
                );
                use base64::Engine;
                base64::engine::general_purpose::STANDARD
                    .decode(&written)
                    .unwrap()
            }
        };
        independent_verifiers_accept(&ssl, &root, &contents[i], &der);

        // Checked here: the signature file, added beside its document.
        let sig = files.add_files(vec![sig_path.clone()]).remove(0);
        assert!(sig.is_signature);
        let check = files.check(&sig.id, Some(&chosen[i].id)).await.unwrap();
        assert_eq!(check.verdict, CheckVerdict::Valid, "{check:#?}");
        assert_eq!(check.trust, SignerTrust::ThisCa);
        assert!(
            matches!(check.status, CertificateStatus::Valid { .. }),
            "{check:#?}"
        );
        assert!(check.content_unchanged);
        assert_eq!(check.signer.owner, "Иванов Иван Иванович");
        assert_eq!(check.chain.len(), 3, "{check:#?}");
        assert!(check.time_note.contains("указано самим подписавшим"));
        let report = kep_client::file_signatures::report_pdf(&check, "test").unwrap();
        let text = pdf_text(&ca.scratch.path(&format!("report-{i}.pdf")), &report);
        assert!(
            text.contains("Протокол проверки электронной подписи"),
            "{text}"
        );
        assert!(text.contains(&check.content_sha256[..32]), "{text}");
        assert!(text.contains("Иванов Иван Иванович"), "{text}");
    }

    // One flipped byte in the signed file: caught, the signer still named.
    let mut tampered = std::fs::read(&contents[1]).unwrap();
    tampered[500] ^= 0x01;
    let tampered_path = docs.join("изменённый.pdf");
    std::fs::write(&tampered_path, &tampered).unwrap();
    let tampered_file = files.add_files(vec![tampered_path]).remove(0);
    let sig_1 = files
        .add_files(vec![docs.join(format!("{}.sig", chosen[1].name))])
        .remove(0);
    let check = files
        .check(&sig_1.id, Some(&tampered_file.id))
        .await
        .unwrap();
    assert_eq!(check.verdict, CheckVerdict::Invalid);
    assert!(!check.content_unchanged);
    assert_eq!(check.headline, say::HEADLINE_OTHER_CONTENT);
    // The signature of one file over another file: the same sentence, not a crash.
    let other = files.check(&sig_1.id, Some(&chosen[0].id)).await.unwrap();
    assert_eq!(other.verdict, CheckVerdict::Invalid);

    // A wrong PIN signs nothing and says so.
    let err = files
        .sign(
            &sign_request(
                vec![chosen[2].id.clone()],
                &token_id,
                SignatureEncoding::Der,
            ),
            Zeroizing::new("00000000".into()),
            Destination::Folder(ca.scratch.path("elsewhere")),
            Arc::new(|_| {}),
        )
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert!(err.message.contains("Неверный PIN-код"), "{err:?}");
    assert!(!ca.scratch.path("elsewhere").exists());

    // A folder that cannot be written: the file's own sentence, the key still fine.
    let signed = files
        .sign(
            &sign_request(
                vec![chosen[2].id.clone()],
                "computer:current",
                SignatureEncoding::Der,
            ),
            Zeroizing::new(password.into()),
            Destination::Folder(ca.scratch.path("no-such-folder")),
            Arc::new(|_| {}),
        )
        .await
        .unwrap();
    assert!(
        signed[0]
            .problem
            .as_deref()
            .unwrap()
            .contains("не удалось записать")
    );

    // Signatures made by OpenSSL with -cades: by the listed CA (trusted, but its certificates
    // say nowhere where to ask their status), and by a CA nobody listed.
    let detached = files.add_files(vec![listed.detached.clone()]).remove(0);
    assert!(detached.is_signature);
    let check = files
        .check(&detached.id, Some(&chosen[1].id))
        .await
        .unwrap();
    assert!(check.content_unchanged, "{check:#?}");
    assert_eq!(
        check.trust,
        SignerTrust::Accredited {
            name: "АО «Альфа»".into(),
            inn: "7701000001".into()
        }
    );
    assert!(
        matches!(check.status, CertificateStatus::Unchecked { .. }),
        "{check:#?}"
    );
    assert_eq!(check.verdict, CheckVerdict::NotConfirmed);
    assert_eq!(check.headline, say::HEADLINE_STATUS_UNKNOWN);
    assert_eq!(check.signer.owner, "Петров Пётр Петрович");
    assert!(check.signing_time.is_some());
    let unknown = files.add_files(vec![stranger.detached]).remove(0);
    let check = files.check(&unknown.id, Some(&chosen[1].id)).await.unwrap();
    assert!(check.content_unchanged, "{check:#?}");
    assert_eq!(check.trust, SignerTrust::Untrusted);
    assert_eq!(check.verdict, CheckVerdict::NotConfirmed);
    assert_eq!(check.headline, say::HEADLINE_UNTRUSTED);
    assert!(
        check.trust_note.contains("нет в перечне аккредитованных"),
        "{check:#?}"
    );
    let check = files
        .check(&detached.id, Some(&tampered_file.id))
        .await
        .unwrap();
    assert_eq!(check.verdict, CheckVerdict::Invalid);
    // Attached (the document inside): checked alone; detached without its file: asked for.
    let attached = files.add_files(vec![listed.attached]).remove(0);
    let check = files.check(&attached.id, None).await.unwrap();
    assert!(
        check.content_unchanged && check.file_name.is_none(),
        "{check:#?}"
    );
    let err = files.check(&detached.id, None).await.unwrap_err();
    assert!(
        matches!(
            err,
            kep_client::file_signatures::FileSignatureError::NeedsFile
        ),
        "{err:?}"
    );

    // Bad signature files, each with its own sentence.
    let refusal =
        |e: kep_client::file_signatures::FileSignatureError| kep_protocol::ApiError::from(e);
    let not_cms = files.add_files(vec![contents[1].clone()]).remove(0);
    let err = refusal(
        files
            .check(&not_cms.id, Some(&chosen[0].id))
            .await
            .unwrap_err(),
    );
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert!(
        err.message.contains("Это не файл электронной подписи"),
        "{err:?}"
    );
    let whole = std::fs::read(docs.join(format!("{}.sig", chosen[0].name))).unwrap();
    let cut = docs.join("обрезанная.sig");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let cut = files.add_files(vec![cut]).remove(0);
    let err = refusal(files.check(&cut.id, Some(&chosen[0].id)).await.unwrap_err());
    assert!(err.message.contains("обрывается"), "{err:?}");
    let rsa = files.add_files(vec![listed.rsa]).remove(0);
    let err = refusal(files.check(&rsa.id, Some(&chosen[1].id)).await.unwrap_err());
    assert!(
        err.message
            .contains("алгоритму, который приложение не знает"),
        "{err:?}"
    );

    // Nothing secret reached the log.
    let log = common::read_logs(&ca.scratch.path("app"));
    assert!(!common::occurs_as_word(&log, PIN), "the PIN is in the log");
    assert!(!log.contains(password), "the password is in the log");
}

struct OpenSslSignatures {
    ca: PathBuf,
    detached: PathBuf,
    attached: PathBuf,
    rsa: PathBuf,
}

/// A CA `ca_name` and a signer `signer` of OpenSSL's making (GOST 2012-256), `content` signed
/// with `cms -sign -cades` detached and attached, and once with an RSA key; files named with
/// `tag`.
fn openssl_cades(
    ssl: &OpenSsl,
    content: &Path,
    tag: &str,
    ca_name: &str,
    signer: &str,
) -> OpenSslSignatures {
    let s = |name: &str| ssl.scratch.arg(&format!("{tag}-{name}"));
    let ca_subject = format!("/CN={ca_name}");
    let signer_subject = format!("/CN={signer}");
    ssl.run(&[
        "genpkey",
        "-algorithm",
        "gost2012_256",
        "-pkeyopt",
        "paramset:A",
        "-out",
        &s("ca.key"),
    ]);
    ssl.run(&[
        "req",
        "-new",
        "-x509",
        "-key",
        &s("ca.key"),
        "-subj",
        &ca_subject,
        "-days",
        "30",
        "-utf8",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-out",
        &s("ca.pem"),
    ]);
    ssl.run(&[
        "genpkey",
        "-algorithm",
        "gost2012_256",
        "-pkeyopt",
        "paramset:A",
        "-out",
        &s("user.key"),
    ]);
    ssl.run(&[
        "req",
        "-new",
        "-key",
        &s("user.key"),
        "-utf8",
        "-subj",
        &signer_subject,
        "-out",
        &s("user.csr"),
    ]);
    ssl.run(&[
        "x509",
        "-req",
        "-in",
        &s("user.csr"),
        "-CA",
        &s("ca.pem"),
        "-CAkey",
        &s("ca.key"),
        "-set_serial",
        "7",
        "-days",
        "20",
        "-out",
        &s("user.pem"),
    ]);
    let sign = |out: &str, key: &str, cert: &str, extra: &[&str]| {
        let mut args = vec![
            "cms",
            "-sign",
            "-binary",
            "-cades",
            "-in",
            content.to_str().unwrap(),
            "-signer",
            cert,
            "-inkey",
            key,
            "-outform",
            "DER",
            "-out",
            out,
        ];
        args.extend_from_slice(extra);
        ssl.run(&args);
    };
    sign(&s("openssl.sig"), &s("user.key"), &s("user.pem"), &[]);
    sign(
        &s("attached.p7s"),
        &s("user.key"),
        &s("user.pem"),
        &["-nodetach"],
    );
    ssl.run(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        &s("rsa.key"),
    ]);
    ssl.run(&[
        "req",
        "-new",
        "-x509",
        "-key",
        &s("rsa.key"),
        "-subj",
        "/CN=RSA",
        "-days",
        "2",
        "-out",
        &s("rsa.pem"),
    ]);
    sign(&s("rsa.sig"), &s("rsa.key"), &s("rsa.pem"), &[]);
    OpenSslSignatures {
        ca: ssl.scratch.path(&format!("{tag}-ca.pem")),
        detached: ssl.scratch.path(&format!("{tag}-openssl.sig")),
        attached: ssl.scratch.path(&format!("{tag}-attached.p7s")),
        rsa: ssl.scratch.path(&format!("{tag}-rsa.sig")),
    }
}

/// The text of a PDF, as `pdftotext` reads it.
fn pdf_text(path: &Path, pdf: &[u8]) -> String {
    std::fs::write(path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}
