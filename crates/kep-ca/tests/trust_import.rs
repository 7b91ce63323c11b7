//! Importing the list of accredited CAs (#25): a newer `Версия` becomes the list in use in one
//! step; an equal or older one is recorded and ignored; a truncated or hostile file is recorded
//! as refused and the list in use stays as it was; every import keeps its hash and source. On
//! SQLite, and on PostgreSQL in the suite's second pass. Also through `kep-ca trust import`,
//! whose every run is in the audit log.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use kep_ca::store::Database;
use kep_ca::store::trust_store::TrustStore;
use kep_ca::trust::import::{ImportError, import_file};
use kep_ca::trust::stored::ca_of;
use kep_ca::trust::tsl::DEFAULT_CAP;
use kep_ca::trust::tsl_error::TslError;
use kep_system_tests::tools::Scratch;
use kep_system_tests::tsl::{self, Ca, Certificate, Key};

fn ca(name: &str, certificates: usize) -> Ca {
    Ca {
        name: name.into(),
        inn: "7701234567".into(),
        ogrn: "1027700000001".into(),
        registry_number: "101".into(),
        status: ("Действует".into(), "2021-07-01T00:00:00+03:00".into()),
        history: vec![],
        keys: vec![Key {
            key_id: "0a".into(),
            crl_urls: vec!["http://uc.example.ru/1.crl".into()],
            certificates: (0..certificates)
                .map(|i| Certificate {
                    der: format!("{name} certificate {i}").into_bytes(),
                    serial: format!("{i:02X}"),
                    valid: ("2024-01-01".into(), "2034-01-01".into()),
                    wrong_thumbprint: false,
                })
                .collect(),
        }],
    }
}

fn list_file(scratch: &Scratch, name: &str, version: u64, cas: &[Ca]) -> std::path::PathBuf {
    scratch.write(name, tsl::write(version, "2026-11-30T10:00:00+03:00", cas));
    scratch.path(name)
}

async fn names_in_use(store: &Database) -> Vec<String> {
    store
        .trust_cas()
        .await
        .unwrap()
        .iter()
        .map(|row| ca_of(row).unwrap().name)
        .collect()
}

#[tokio::test]
async fn only_a_newer_list_replaces_the_one_in_use_and_every_import_is_recorded() {
    let scratch = Scratch::new("trust-import");
    std::fs::create_dir_all(scratch.path("data")).unwrap();
    let store = Database::open(&common::database::for_data(&scratch.path("data")))
        .await
        .unwrap();
    let import = |path: std::path::PathBuf, now: i64| {
        let store = store.clone();
        async move { import_file(&store, &path, &path.display().to_string(), DEFAULT_CAP, now).await }
    };

    let v5 = list_file(
        &scratch,
        "v5.xml",
        5,
        &[ca("УЦ Первый", 2), ca("УЦ Второй", 1)],
    );
    let report = import(v5.clone(), 100).await.unwrap();
    assert!(report.current);
    assert_eq!((report.cas, report.certificates), (2, 3));
    assert_eq!(names_in_use(&store).await, ["УЦ Первый", "УЦ Второй"]);
    let first = ca_of(&store.trust_cas().await.unwrap()[0]).unwrap();
    assert_eq!(
        first.keys[0].certificates[1].der,
        b"\xd0\xa3\xd0\xa6 \xd0\x9f\xd0\xb5\xd1\x80\xd0\xb2\xd1\x8b\xd0\xb9 certificate 1"
    );
    assert_eq!(first.keys[0].crl_urls, ["http://uc.example.ru/1.crl"]);

    // The same version again, and an older one: recorded, ignored.
    let again = import(v5.clone(), 200).await.unwrap();
    assert!(!again.current);
    assert_eq!(again.previous, Some(5));
    let v4 = list_file(&scratch, "v4.xml", 4, &[ca("УЦ Старый", 1)]);
    assert!(!import(v4, 300).await.unwrap().current);
    assert_eq!(names_in_use(&store).await, ["УЦ Первый", "УЦ Второй"]);

    // A newer version cut short, and a hostile one: refused, the list in use unchanged.
    let v6 = tsl::write(
        6,
        "2026-12-01T10:00:00+03:00",
        &[ca("УЦ Новый", 1), ca("УЦ Ещё", 1)],
    );
    scratch.write("v6-cut.xml", &v6.as_bytes()[..v6.len() - 200]);
    let cut = import(scratch.path("v6-cut.xml"), 400)
        .await
        .expect_err("truncated");
    assert!(
        matches!(cut, ImportError::List(TslError::Truncated(_))),
        "{cut}"
    );
    scratch.write(
        "bomb.xml",
        "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY a \"aaaa\">]><АккредитованныеУдостоверяющиеЦентры/>",
    );
    let bomb = import(scratch.path("bomb.xml"), 500)
        .await
        .expect_err("hostile");
    assert!(
        matches!(bomb, ImportError::List(TslError::Doctype)),
        "{bomb}"
    );
    assert_eq!(names_in_use(&store).await, ["УЦ Первый", "УЦ Второй"]);
    assert_eq!(
        store.current_trust_import().await.unwrap().unwrap().version,
        5
    );

    // The whole newer list: in use; the previous one replaced.
    scratch.write("v6.xml", &v6);
    assert!(import(scratch.path("v6.xml"), 600).await.unwrap().current);
    assert_eq!(names_in_use(&store).await, ["УЦ Новый", "УЦ Ещё"]);

    let history = store.trust_imports(20).await.unwrap();
    let states: Vec<(i64, &str)> = history
        .iter()
        .map(|i| (i.version, i.state.as_str()))
        .collect();
    assert_eq!(
        states,
        [
            (6, "current"),
            (0, "failed"),
            (6, "failed"),
            (4, "ignored"),
            (5, "ignored"),
            (5, "replaced"),
        ]
    );
    // Each with the file's hash and where it came from; a refusal says why.
    assert!(history.iter().all(|i| i.sha256.len() == 64), "{history:?}");
    assert_eq!(
        history[0].source,
        scratch.path("v6.xml").display().to_string()
    );
    assert!(
        history[1].outcome.as_deref().unwrap().contains("DTD"),
        "{history:?}"
    );
    assert!(history[2].outcome.as_deref().unwrap().contains("truncated"));
    assert_eq!((history[0].cas, history[0].certificates), (2, 2));
}

#[test]
fn the_command_imports_shows_and_audits() {
    let scratch = Scratch::new("trust-cli");
    let file = list_file(&scratch, "tsl.xml", 9, &[ca("УЦ Командный", 1)]);
    let data = scratch.path("data");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kep-ca"))
            .args(args)
            .args(["--dev", "--data"])
            .arg(&data)
            .env("USER", "admin")
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let file = file.display().to_string();
    let (ok, out, err) = run(&["trust", "import", &file]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("trust list version 9 in use: 1 CAs, 1 certificates"),
        "{out}"
    );
    let (ok, out, _) = run(&["trust", "import", &file]);
    assert!(ok && out.contains("ignored: version 9 is in use"), "{out}");
    let (ok, out, _) = run(&["trust", "show"]);
    assert!(ok && out.contains("in use: version 9"), "{out}");
    assert!(out.contains("ignored") && out.contains("current"), "{out}");
    let missing = scratch.path("absent.xml").display().to_string();
    let (ok, _, err) = run(&["trust", "import", &missing]);
    assert!(!ok && err.contains("absent.xml"), "{err}");

    // The audit log has each run, with the administrator's name.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let store = rt
        .block_on(Database::open(&kep_ca::store::DatabaseConfig::Sqlite(
            data.join("kep-ca.sqlite"),
        )))
        .unwrap();
    let entries = rt
        .block_on(kep_ca::store::Store::audit_entries(
            &store,
            &kep_ca::store::AuditFilter {
                actor: None,
                action: None,
                subject: None,
                before_id: None,
                limit: 100,
            },
        ))
        .unwrap();
    let trust: Vec<_> = entries
        .iter()
        .filter(|e| e.action.starts_with("trust."))
        .map(|e| (e.actor.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(trust.len(), 3, "{entries:?}");
    assert!(trust.contains(&("cli:admin", "trust.imported")));
    assert!(trust.contains(&("cli:admin", "trust.ignored")));
    assert!(trust.contains(&("cli:admin", "trust.refused")));
}

#[tokio::test]
async fn the_api_serves_the_list_in_use() {
    let ca_service = common::start("trust-api").await;
    let url = format!("{}/api/v1/trust/accredited-cas", ca_service.base);
    let none = reqwest::get(&url).await.unwrap();
    assert_eq!(none.status(), 404);
    let body: serde_json::Value = none.json().await.unwrap();
    assert_eq!(body["kind"], "not_found");
    assert!(body["message"].as_str().unwrap().contains("не загружен"));

    let scratch = Scratch::new("trust-api-list");
    let mut ended = ca("АО «Бывший УЦ»", 0);
    ended.status = ("Прекращена".into(), "2025-03-01".into());
    ended.history = vec![("Действует".into(), "2019-01-01".into())];
    let file = list_file(&scratch, "tsl.xml", 12, &[ca("УЦ Действующий", 2), ended]);
    let report = ca_service
        .state
        .trust
        .import_file(&file, "tsl.xml", DEFAULT_CAP, 1_795_000_000)
        .await
        .unwrap();
    assert!(report.current);

    let list: kep_protocol::trust::TrustListView =
        reqwest::get(&url).await.unwrap().json().await.unwrap();
    assert_eq!(list.version, 12);
    assert_eq!(list.sha256.len(), 64);
    assert_eq!(list.cas.len(), 2);
    let active = &list.cas[0];
    assert_eq!(
        (active.status.as_str(), active.accredited),
        ("Действует", true)
    );
    assert_eq!(active.certificates.len(), 2);
    assert_eq!(
        active.certificates[0].crl_urls,
        ["http://uc.example.ru/1.crl"]
    );
    use base64::Engine as _;
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(&active.certificates[1].der)
            .unwrap(),
        "УЦ Действующий certificate 1".as_bytes()
    );
    let gone = &list.cas[1];
    assert_eq!(
        (gone.status.as_str(), gone.accredited),
        ("Прекращена", false)
    );
    assert_eq!(gone.status_since.as_deref(), Some("2025-02-28T21:00:00Z"));
}
