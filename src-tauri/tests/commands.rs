//! Every app command through Tauri's real IPC on the mock runtime (no window), against a real
//! kep-ca over HTTPS: a whole renewal walked command by command — the happy path of each, and a
//! refusal of each that can refuse, arriving as `{kind, message}` in Russian. The file dialogs
//! are scripted; everything else is the app as it runs. Some commands have nothing to refuse:
//! `app_info`, `cancel_action`, `pending_files`, `list_tokens` (no module is no token),
//! `discard_file` (idempotent) and the flow's moves (`start_application`, `edit_requisites`,
//! `proceed_to_*`: a move that makes no sense leaves the flow where it is) — though every command
//! that reads the view refuses once the CA has ended the session (`back_to_list` shows it). The
//! test ends by checking that it invoked every command `build.rs` declares.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly
#![allow(unsafe_code)] // std::env::set_var, before anything else runs (see below)

use kep_protocol::application::{ApplicationStatus, DocumentKind};
use kep_protocol::files::PendingFile;
use kep_protocol::wizard::{FlowStep, WizardView};
use kep_protocol::{ApiError, ErrorKind};
use kep_renew_lib::state::{FilePicker, Pick};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tauri::test::{MockRuntime, get_ipc_response, mock_builder};

mod common;
use common::request;

/// The dialogs answer what the test put in.
#[derive(Default)]
struct ScriptedPicker {
    pick: Mutex<Vec<PathBuf>>,
    save: Mutex<Option<PathBuf>>,
}

impl FilePicker for ScriptedPicker {
    fn pick(&self, _title: &str, _what: Pick) -> tokio::sync::oneshot::Receiver<Vec<PathBuf>> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let _ = tx.send(std::mem::take(&mut *self.pick.lock().unwrap()));
        rx
    }
    fn save(&self, _title: &str, _name: &str) -> tokio::sync::oneshot::Receiver<Option<PathBuf>> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let _ = tx.send(self.save.lock().unwrap().clone());
        rx
    }
    fn folder(&self, _title: &str) -> tokio::sync::oneshot::Receiver<Option<PathBuf>> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let _ = tx.send(self.save.lock().unwrap().clone());
        rx
    }
}

/// A kep-ca on loopback over HTTPS, run on its own runtime for the whole test.
struct Ca {
    runtime: tokio::runtime::Runtime,
    state: kep_ca::api::AppState,
    calls: Arc<kep_ca::telephony::DevTelephony>,
    clock: Arc<kep_ca::clock::ManualClock>,
    url: String,
    tls_root: PathBuf,
}

impl Ca {
    fn start(dir: &std::path::Path) -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let calls = Arc::new(kep_ca::telephony::DevTelephony::quiet());
        let mut config = kep_ca::ServiceConfig::development(dir.join("ca"), "https://127.0.0.1");
        config.telephony = calls.clone();
        let clock = Arc::new(kep_ca::clock::ManualClock::new(std::time::SystemTime::now()));
        config.clock = clock.clone();
        config.keys = kep_ca::ca_keys::CaKeys::dev_files(10);
        let state = runtime.block_on(kep_ca::service(config)).unwrap();
        let tls = kep_system_tests::tls::test_tls(&dir.join("tls"), "ipc");
        let tls_root = dir.join("tls-root.pem");
        std::fs::write(&tls_root, &tls.root_pem).unwrap();
        let addr = runtime
            .block_on(kep_ca::api::serve_loopback(
                state.clone(),
                Some(kep_ca::tls::TlsFiles {
                    certificate: tls.chain.clone(),
                    key: tls.key.clone(),
                }),
            ))
            .unwrap();
        Self {
            runtime,
            state,
            calls,
            clock,
            url: format!("https://127.0.0.1:{}/", addr.port()),
            tls_root,
        }
    }

    fn last_code(&self) -> String {
        let caller = self.calls.last().unwrap().caller;
        let digits: String = caller.chars().filter(char::is_ascii_digit).collect();
        digits[digits.len() - 4..].to_owned()
    }
}

struct App {
    _app: tauri::App<MockRuntime>,
    window: tauri::WebviewWindow<MockRuntime>,
    /// Every command invoked, to check none was left out.
    called: Mutex<std::collections::BTreeSet<String>>,
}

impl App {
    fn open(picker: Arc<ScriptedPicker>) -> Self {
        use tauri::Manager;
        let mut app = kep_renew_lib::builder_with_picker(mock_builder(), picker)
            .build(tauri::generate_context!())
            .expect("the app builds on the mock runtime");
        // One turn of the (mock) event loop runs the app's setup: its state, its main window.
        #[allow(deprecated)]
        app.run_iteration(|_, _| {});
        let window = app
            .get_webview_window("main")
            .expect("setup opened the main window");
        Self {
            _app: app,
            window,
            called: Mutex::default(),
        }
    }

    /// The command's answer, or its refusal.
    fn call(&self, cmd: &str, args: Value) -> Result<Value, ApiError> {
        self.called.lock().unwrap().insert(cmd.to_owned());
        match get_ipc_response(&self.window, request(cmd, args)) {
            Ok(body) => Ok(body.deserialize::<Value>().unwrap()),
            Err(e) => Err(serde_json::from_value(e).unwrap_or_else(|e| panic!("{cmd}: {e}"))),
        }
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} refused: {e:?}"))
    }

    fn view(&self, cmd: &str, args: Value) -> WizardView {
        serde_json::from_value(self.ok(cmd, args)).unwrap()
    }

    /// A refusal of `kind`, with a Russian message.
    fn refused(&self, cmd: &str, args: Value, kind: ErrorKind) -> ApiError {
        let error = self.call(cmd, args).expect_err(cmd);
        assert_eq!(error.kind, kind, "{cmd}: {error:?}");
        assert!(
            error.message.chars().any(|c| ('а'..='я').contains(&c)),
            "{cmd}: {error:?}"
        );
        error
    }
}

#[test]
fn every_command_answers_and_refuses_over_ipc() {
    let scratch = kep_system_tests::tools::Scratch::new("ipc-commands");
    let ca = Ca::start(&scratch.path("service"));
    let data = scratch.path("app");
    let key_dir = data.join("keys");
    ca.runtime
        .block_on(kep_ca::dev_seed::seed(&ca.state, &key_dir, 10))
        .unwrap();
    // SAFETY: this binary's only test sets the app's environment before the app (and any thread
    // that reads the environment) starts.
    unsafe {
        std::env::set_var("KEP_RENEW_DATA_DIR", &data);
        std::env::set_var("KEP_CA_URL", &ca.url);
        std::env::set_var("KEP_CA_TLS_ROOT", &ca.tls_root);
        std::env::set_var("KEP_PKCS11_MODULE", scratch.path("no-such-module.so"));
        // The autostart entry goes under $HOME/.config/autostart: the scratch folder's.
        std::env::set_var("HOME", scratch.path("home"));
    }
    let picker = Arc::new(ScriptedPicker::default());
    let app = App::open(picker.clone());
    let phone = kep_ca::dev_seed::DEV_APPLICANT_PHONE;
    let requisites = serde_json::to_value(kep_ca::dev_seed::dev_requisites()).unwrap();

    // What needs no CA.
    let info = app.ok("app_info", json!({}));
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    let check = app.ok("check_requisites", json!({"input": requisites}));
    assert!(check["errors"].as_array().unwrap().is_empty(), "{check}");
    let mut bad = requisites.clone();
    bad["snils"] = json!("112-233-445 96");
    let check = app.ok("check_requisites", json!({"input": bad}));
    assert!(check["normalized"].is_null() && !check["errors"].as_array().unwrap().is_empty());
    app.ok("cancel_action", json!({}));
    let tokens = app.ok("list_tokens", json!({}));
    assert_eq!(tokens, json!([]), "no token module, no token");

    // «Подписать и проверить» with the current КЭП: a file signed beside itself, checked, its
    // report saved; a file that is no signature refused with its sentence.
    app.ok("set_drop_target", json!({"documents": true}));
    let doc = scratch.path("договор.txt");
    std::fs::write(&doc, "Договор поставки № 1").unwrap();
    *picker.pick.lock().unwrap() = vec![doc.clone()];
    let chosen = app.ok("choose_documents", json!({}));
    let doc_id = chosen[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.ok("chosen_documents", json!({}))[0]["id"],
        json!(doc_id)
    );
    let request = json!({
        "certificate_id": "computer:current",
        "file_ids": [doc_id],
        "encoding": "der",
        "choose_place": false
    });
    app.refused(
        "sign_documents",
        json!({"request": request, "secret": "не тот пароль"}),
        ErrorKind::InvalidInput,
    );
    let signed = app.ok(
        "sign_documents",
        json!({"request": request, "secret": kep_ca::dev_seed::DEV_APPLICANT_KEY_PASSWORD}),
    );
    assert_eq!(
        signed[0]["signature_name"],
        json!("договор.txt.sig"),
        "{signed}"
    );
    *picker.pick.lock().unwrap() = vec![scratch.path("договор.txt.sig")];
    let sig_id = app.ok("choose_documents", json!({}))[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let check = app.ok(
        "check_signature",
        json!({"signatureId": sig_id, "fileId": doc_id}),
    );
    assert_eq!(check["content_unchanged"], json!(true), "{check}");
    assert_eq!(check["trust"]["kind"], json!("this_ca"), "{check}");
    *picker.save.lock().unwrap() = Some(scratch.path("протокол.pdf"));
    app.ok("save_check_report", json!({"signatureId": sig_id}));
    assert!(
        std::fs::read(scratch.path("протокол.pdf"))
            .unwrap()
            .starts_with(b"%PDF-")
    );
    *picker.save.lock().unwrap() = None;
    app.refused(
        "check_signature",
        json!({"signatureId": doc_id, "fileId": null}),
        ErrorKind::InvalidInput,
    );
    app.ok("forget_document", json!({"id": null}));
    assert_eq!(app.ok("chosen_documents", json!({})), json!([]));
    app.ok("set_drop_target", json!({"documents": false}));

    // Starting hidden at login: off until turned on; on, it is the OS's XDG entry with the
    // argument that keeps the window hidden; off again, the entry is gone.
    assert_eq!(app.ok("start_at_login", json!({})), json!(false));
    assert_eq!(
        app.ok("set_start_at_login", json!({"enabled": true})),
        json!(true)
    );
    let autostart = scratch.path("home").join(".config/autostart");
    let entries: Vec<_> = std::fs::read_dir(&autostart)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let entry = std::fs::read_to_string(&entries[0]).unwrap();
    assert!(
        entry
            .lines()
            .any(|l| l.starts_with("Exec=") && l.ends_with(" --hidden")),
        "{entry}"
    );
    assert_eq!(
        app.ok("set_start_at_login", json!({"enabled": false})),
        json!(false)
    );
    assert!(!entries[0].exists());

    // «Настройки», logged out: the CA (a dead address refused, the same CA by choice and back),
    // a file that is not a PKCS#11 library refused.
    let settings = app.ok("settings_view", json!({}));
    assert_eq!(settings["ca_url"], json!(ca.url));
    assert_eq!(settings["ca_source"], "test");
    assert_eq!(settings["ca_switchable"], true);
    assert_eq!(settings["version"], env!("CARGO_PKG_VERSION"));
    let dead = format!("http://127.0.0.1:{}/", kep_system_tests::tools::free_port());
    app.refused(
        "switch_ca",
        json!({"switch": {"url": dead}}),
        ErrorKind::Network,
    );
    let settings = app.ok("switch_ca", json!({"switch": {"url": ca.url}}));
    assert_eq!(settings["ca_source"], "person");
    let settings = app.ok("reset_ca", json!({}));
    assert_eq!(settings["ca_source"], "test");
    let not_a_library = scratch.path("notes.so");
    std::fs::write(&not_a_library, "not a library").unwrap();
    *picker.pick.lock().unwrap() = vec![not_a_library];
    app.refused("choose_pkcs11_module", json!({}), ErrorKind::InvalidInput);
    // No release server in a test build: no offer, and nothing to install.
    assert_eq!(app.ok("update_offer", json!({})), Value::Null);
    app.refused(
        "install_update",
        json!({"version": "9.9.9"}),
        ErrorKind::Unavailable,
    );

    // Stage 1: login.
    assert_eq!(app.view("wizard_view", json!({})).step, FlowStep::Login);
    app.refused(
        "request_code",
        json!({"phone": "12"}),
        ErrorKind::InvalidInput,
    );
    app.ok("request_code", json!({"phone": phone}));
    let wrong = if ca.last_code() == "0000" {
        "1111"
    } else {
        "0000"
    };
    app.refused(
        "verify_code",
        json!({"phone": phone, "code": wrong}),
        ErrorKind::CodeWrong,
    );
    let view = app.view(
        "verify_code",
        json!({"phone": phone, "code": ca.last_code()}),
    );
    assert_eq!(view.step, FlowStep::Applications);
    let id = view.applications[0].id;

    // The list, the overview, the requisites.
    app.refused(
        "save_draft",
        json!({"input": requisites}),
        ErrorKind::Conflict,
    );
    app.refused(
        "choose_application",
        json!({"applicationId": 999_999}),
        ErrorKind::NotFound,
    );
    app.view("back_to_list", json!({}));
    let view = app.view("choose_application", json!({"applicationId": id}));
    assert_eq!(view.step, FlowStep::Overview { application_id: id });
    let view = app.view("start_application", json!({}));
    assert_eq!(view.step, FlowStep::Requisites { application_id: id });
    app.ok("save_draft", json!({"input": requisites}));
    app.refused(
        "save_requisites",
        json!({"input": bad}),
        ErrorKind::InvalidInput,
    );
    let view = app.view("save_requisites", json!({"input": requisites}));
    assert_eq!(view.step, FlowStep::Documents { application_id: id });
    let view = app.view("edit_requisites", json!({}));
    assert_eq!(view.step, FlowStep::Requisites { application_id: id });
    app.view("save_requisites", json!({"input": requisites}));

    // Files: chosen in the (scripted) dialog, previewed, discarded, uploaded, deleted.
    let png = scratch.path("scan.png");
    std::fs::write(&png, [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 7]).unwrap();
    let text = scratch.path("notes.txt");
    std::fs::write(&text, b"not a scan").unwrap();
    *picker.pick.lock().unwrap() = vec![png.clone(), text.clone()];
    let chosen: Vec<PendingFile> =
        serde_json::from_value(app.ok("choose_files", json!({}))).unwrap();
    assert_eq!(chosen.len(), 2);
    let (scan, refused_file) = if chosen[0].problem.is_none() {
        (&chosen[0], &chosen[1])
    } else {
        (&chosen[1], &chosen[0])
    };
    assert!(
        refused_file.problem.is_some(),
        "a .txt is refused: {chosen:?}"
    );
    let listed = app.ok("pending_files", json!({}));
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert!(app.call("file_preview", json!({"fileId": scan.id})).is_ok());
    app.refused(
        "file_preview",
        json!({"fileId": "nope"}),
        ErrorKind::NotFound,
    );
    app.ok("discard_file", json!({"fileId": refused_file.id}));
    // Discarding is idempotent: a file already gone is simply not there.
    app.ok("discard_file", json!({"fileId": refused_file.id}));
    assert_eq!(
        app.ok("pending_files", json!({})).as_array().unwrap().len(),
        1
    );
    app.refused(
        "upload_file",
        json!({"fileId": "nope", "kind": DocumentKind::Snils}),
        ErrorKind::NotFound,
    );
    let view = app.view(
        "upload_file",
        json!({"fileId": scan.id, "kind": DocumentKind::Snils}),
    );
    let document = view.application.unwrap().documents[0].id;
    app.view("delete_document", json!({"documentId": document}));
    *picker.pick.lock().unwrap() = vec![png.clone()];
    let again: Vec<PendingFile> =
        serde_json::from_value(app.ok("choose_files", json!({}))).unwrap();
    let view = app.view(
        "upload_file",
        json!({"fileId": again[0].id, "kind": DocumentKind::PassportMain}),
    );
    let kept = view.application.unwrap().documents[0].id;

    // Sent; the CA reviews it.
    let view = app.view("submit_application", json!({}));
    assert_eq!(view.step, FlowStep::Review { application_id: id });
    app.refused("submit_application", json!({}), ErrorKind::Conflict);
    app.refused(
        "delete_document",
        json!({"documentId": kept}),
        ErrorKind::Conflict,
    );
    ca.runtime
        .block_on(ca.state.applications.review.decide(
            1,
            id,
            kep_ca::applications::Decision::Approve,
        ))
        .unwrap();

    // Stage 3: the statement. The blank saved, a scan sent, rejected, then signed with a КЭП.
    let view = app.view("proceed_to_issuance", json!({}));
    assert_eq!(view.step, FlowStep::Statement { application_id: id });
    *picker.save.lock().unwrap() = Some(scratch.path("no-such-folder").join("blank.pdf"));
    app.refused("save_statement_blank", json!({}), ErrorKind::Io);
    *picker.save.lock().unwrap() = Some(scratch.path("blank.pdf"));
    assert_eq!(
        app.ok("save_statement_blank", json!({})),
        json!("blank.pdf")
    );
    assert!(
        std::fs::read(scratch.path("blank.pdf"))
            .unwrap()
            .starts_with(b"%PDF")
    );
    app.refused("submit_statement_scan", json!({}), ErrorKind::InvalidInput);
    *picker.pick.lock().unwrap() = vec![png.clone()];
    let chosen: Vec<PendingFile> =
        serde_json::from_value(app.ok("choose_files", json!({}))).unwrap();
    app.view(
        "upload_file",
        json!({"fileId": chosen[0].id, "kind": DocumentKind::SignedStatementScan}),
    );
    let view = app.view("submit_statement_scan", json!({}));
    assert_eq!(
        view.application.unwrap().status,
        ApplicationStatus::StatementInReview
    );
    ca.runtime
        .block_on(ca.state.applications.statements.decide(
            1,
            id,
            kep_ca::applications::StatementDecision::Reject {
                comment: "Нет подписи.".into(),
            },
        ))
        .unwrap();
    let candidates = app.ok("signing_certificates", json!({}));
    assert!(
        candidates
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "computer:current"),
        "{candidates}"
    );

    // The home: the current certificate near its end, its details, saved as .cer; a valid one
    // is not removed (removal of an expired one: kep-client's tests/home.rs).
    let home = app.ok("my_certificates", json!({}));
    assert!(
        home.as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "computer:current"
                && c["expiry"] != "fine"
                && c["renewable"] == true),
        "{home}"
    );
    let details = app.ok("certificate_details", json!({"id": "computer:current"}));
    assert!(
        details["subject"].to_string().contains("СНИЛС"),
        "{details}"
    );
    app.refused(
        "certificate_details",
        json!({"id": "nonsense"}),
        ErrorKind::NotFound,
    );
    *picker.save.lock().unwrap() = Some(scratch.path("no-such-folder").join("current.cer"));
    app.refused(
        "save_certificate",
        json!({"id": "computer:current"}),
        ErrorKind::Io,
    );
    *picker.save.lock().unwrap() = Some(scratch.path("current.cer"));
    assert_eq!(
        app.ok("save_certificate", json!({"id": "computer:current"})),
        json!("current.cer")
    );
    assert_eq!(std::fs::read(scratch.path("current.cer")).unwrap()[0], 0x30);
    app.refused(
        "remove_certificate",
        json!({"id": "computer:current"}),
        ErrorKind::Conflict,
    );
    app.refused(
        "renew_certificate",
        json!({"id": "computer:nothing"}),
        ErrorKind::NotFound,
    );
    app.refused(
        "sign_statement_with_key",
        json!({"certificateId": "computer:current", "password": "неверный пароль"}),
        ErrorKind::InvalidInput,
    );
    app.refused(
        "sign_statement_with_key",
        json!({"certificateId": "nonsense", "password": "x"}),
        ErrorKind::NotFound,
    );
    let view = app.view(
        "sign_statement_with_key",
        json!({
            "certificateId": "computer:current",
            "password": kep_ca::dev_seed::DEV_APPLICANT_KEY_PASSWORD,
        }),
    );
    assert_eq!(
        view.application.unwrap().status,
        ApplicationStatus::ReadyForKey
    );

    // Stages 4–6: the sensor, the key, the request, the certificate installed.
    let view = app.view("proceed_to_key", json!({}));
    assert_eq!(view.step, FlowStep::Key { application_id: id });
    let flood = vec![json!({"x": 1, "y": 1, "key": null, "t_ms": 1.0}); 10_001];
    app.refused(
        "sensor_events",
        json!({"samples": flood}),
        ErrorKind::InvalidInput,
    );
    app.refused(
        "create_key_and_request",
        json!({"key": {"storage": "computer", "password": "парольки"}}),
        ErrorKind::InvalidInput,
    );
    app.refused(
        "install_certificate",
        json!({"pin": null}),
        ErrorKind::NotFound,
    );
    let mut full = false;
    for batch in kep_system_tests::sensor::human_batches(0x1f2e_3d4c_5b6a_7988) {
        full = app.ok("sensor_events", json!({"samples": batch}))["full"] == json!(true);
        if full {
            break;
        }
    }
    assert!(full, "the sensor filled");
    app.refused(
        "create_key_and_request",
        json!({"key": {"storage": "computer", "password": "корот"}}),
        ErrorKind::InvalidInput,
    );
    let view = app.view(
        "create_key_and_request",
        json!({"key": {"storage": "computer", "password": "парольки"}}),
    );
    assert_eq!(view.step, FlowStep::Install { application_id: id });
    let target = app.ok("install_target", json!({}));
    assert_eq!(target["token"], Value::Null);
    let view = app.view("install_certificate", json!({"pin": null}));
    assert_eq!(view.step, FlowStep::Done { application_id: id });
    // The renewal's record, re-verified here.
    let check = app.ok("check_record", json!({"applicationId": id}));
    assert_eq!(
        (&check["statement_ok"], &check["chain_ok"]),
        (&json!(true), &json!(true)),
        "{check}"
    );

    // Twelve hours later the CA has ended the session: a view says so, and the flow waits at the
    // login.
    ca.clock.advance(std::time::Duration::from_secs(13 * 3600));
    app.refused("back_to_list", json!({}), ErrorKind::Unauthorized);
    assert_eq!(app.view("wizard_view", json!({})).step, FlowStep::Login);

    // Logout at once; what needs an application is refused after it.
    let view = app.view("logout", json!({}));
    assert_eq!(view.step, FlowStep::Login);
    app.refused("install_target", json!({}), ErrorKind::Conflict);
    app.refused("submit_application", json!({}), ErrorKind::Conflict);
    // «Обновить сертификат» while logged out: the login first.
    let view = app.view("renew_certificate", json!({"id": "computer:current"}));
    assert_eq!(view.step, FlowStep::Login);
    // Back to the known token libraries (none chosen: the view is unchanged).
    let settings = app.ok("forget_pkcs11_module", json!({}));
    assert!(
        settings["modules"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["vendor"] != "chosen")
    );

    // Not one command of the app was left out.
    let build_rs = kep_system_tests::read_repo_file("src-tauri/build.rs").unwrap();
    let list = &build_rs[build_rs.find("const COMMANDS").unwrap()..];
    let list = &list[list.find("= &[").unwrap() + 4..];
    let declared: std::collections::BTreeSet<String> = list[..list.find(']').unwrap()]
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    assert!(declared.len() > 25);
    assert_eq!(*app.called.lock().unwrap(), declared);
}
