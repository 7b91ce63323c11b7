//! Operator accounts as a CA needs them, over the real API with the service's hand-moved
//! clock: a CA in service signs operators in with a TOTP code, enrolled with the app's first
//! code; a code works once; ten wrong passwords or codes lock the account for 15 minutes; a
//! disabled account cannot sign in and its sessions end; a reset authenticator is enrolled
//! again; the secret is sealed in the database; `kep-ca operator disable | enable | reset-totp`
//! do the same from the command line. Everything lands in the audit log.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use kep_ca::operators::{OperatorRole, SignInPolicy};
use kep_ca::store::Store;
use serde_json::{Value, json};
use std::time::Duration;

const LOGIN: &str = "reviewer-1";
const PASSWORD: &str = "a long operator password";

async fn sign_in(ca: &common::Ca, password: &str, totp: Option<&str>) -> (u16, Value) {
    let mut body = json!({"login": LOGIN, "password": password});
    if let Some(code) = totp {
        body["totp"] = json!(code);
    }
    ca.post("/api/v1/operator/login", body).await
}

async fn queue(ca: &common::Ca, token: &str) -> u16 {
    ca.call(reqwest::Method::GET, "/api/v1/operator/queue", token, None)
        .await
        .0
}

fn code(ca: &common::Ca, secret: &[u8]) -> String {
    kep_ca::totp::code_at(secret, LOGIN, kep_ca::clock::Clock::unix(&*ca.clock)).unwrap()
}

async fn audit_actions(ca: &common::Ca) -> Vec<String> {
    ca.state
        .applications
        .store()
        .audit_entries(&kep_ca::store::AuditFilter {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[tokio::test]
async fn in_service_operators_sign_in_with_an_enrolled_authenticator() {
    let ca = common::start_with("ca-operator-totp", |c| {
        c.sign_in = SignInPolicy::PRODUCTION;
    })
    .await;
    ca.state
        .operators
        .add(LOGIN, PASSWORD, OperatorRole::Reviewer)
        .await
        .unwrap();

    // A password alone is not enough: the account must enroll first.
    let (status, body) = sign_in(&ca, PASSWORD, None).await;
    assert_eq!(status, 403, "{body}");
    assert!(body["message"].as_str().unwrap().contains("аутентификатор"));
    // Enrolling needs the password too.
    let (status, _) = ca
        .post(
            "/api/v1/operator/totp/enrollment",
            json!({"login": LOGIN, "password": "not the password"}),
        )
        .await;
    assert_eq!(status, 401);
    let (status, enrollment) = ca
        .post(
            "/api/v1/operator/totp/enrollment",
            json!({"login": LOGIN, "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, 200, "{enrollment}");
    let url = enrollment["otpauth_url"].as_str().unwrap();
    assert!(
        url.starts_with("otpauth://totp/") && url.contains(LOGIN),
        "{url}"
    );
    let secret = kep_ca::totp::secret_from_base32(enrollment["secret"].as_str().unwrap()).unwrap();
    // Sealed at rest: the database does not hold the secret.
    let account = ca
        .state
        .applications
        .store()
        .operator_account(LOGIN)
        .await
        .unwrap()
        .unwrap();
    let sealed = account.totp_sealed.unwrap();
    assert!(!sealed.windows(secret.len()).any(|w| w == secret.as_slice()));
    assert!(!account.totp_enrolled);

    // The app's first code ends the enrollment and signs in; a wrong one does not.
    let confirm = |code: String| {
        ca.post(
            "/api/v1/operator/totp/confirmation",
            json!({"login": LOGIN, "password": PASSWORD, "totp": code}),
        )
    };
    let (status, body) = confirm("000000".into()).await;
    assert_eq!(status, 401, "{body}");
    let (status, session) = confirm(code(&ca, &secret)).await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(queue(&ca, session["token"].as_str().unwrap()).await, 200);
    // Enrolled: a second enrollment is refused until an administrator resets it.
    let (status, _) = ca
        .post(
            "/api/v1/operator/totp/enrollment",
            json!({"login": LOGIN, "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, 409);

    // Now every sign-in needs the current code, and each code works once.
    let (status, body) = sign_in(&ca, PASSWORD, None).await;
    assert_eq!(status, 401, "{body}");
    assert!(body["message"].as_str().unwrap().contains("код"));
    let used = code(&ca, &secret);
    let (status, body) = sign_in(&ca, PASSWORD, Some(&used)).await;
    assert_eq!(status, 401, "the enrollment's code again: {body}");
    ca.clock.advance(Duration::from_secs(30));
    let fresh = code(&ca, &secret);
    let (status, body) = sign_in(&ca, PASSWORD, Some(&fresh)).await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = sign_in(&ca, PASSWORD, Some(&fresh)).await;
    assert_eq!(status, 401, "a code works once");

    // A reset ends the sessions; the next sign-in enrolls anew.
    let token = body["token"].as_str().unwrap().to_owned();
    ca.state
        .operators
        .reset_totp(LOGIN, "cli:admin")
        .await
        .unwrap();
    assert_eq!(queue(&ca, &token).await, 401);
    assert_eq!(sign_in(&ca, PASSWORD, None).await.0, 403);
    let actions = audit_actions(&ca).await;
    for action in [
        "operator.totp_enrollment_started",
        "operator.totp_enrolled",
        "operator.login",
        "operator.login_failed",
        "operator.reset_totp",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
}

#[tokio::test]
async fn ten_wrong_tries_lock_an_account_for_fifteen_minutes() {
    let ca = common::start("ca-operator-lockout").await;
    ca.state
        .operators
        .add(LOGIN, PASSWORD, OperatorRole::Reviewer)
        .await
        .unwrap();
    for _ in 0..9 {
        assert_eq!(sign_in(&ca, "a wrong password", None).await.0, 401);
    }
    let (status, body) = sign_in(&ca, "a wrong password", None).await;
    assert_eq!(status, 429, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("15 мин"),
        "{body}"
    );
    // Locked: even the right password is not tried.
    let (status, body) = sign_in(&ca, PASSWORD, None).await;
    assert_eq!(status, 429, "{body}");
    ca.clock.advance(Duration::from_secs(14 * 60));
    let (status, body) = sign_in(&ca, PASSWORD, None).await;
    assert_eq!(status, 429);
    assert!(
        body["message"].as_str().unwrap().contains("1 мин"),
        "{body}"
    );
    ca.clock.advance(Duration::from_secs(61));
    assert_eq!(sign_in(&ca, PASSWORD, None).await.0, 200);
    // A success starts the count again: nine more wrong ones do not lock.
    for _ in 0..9 {
        assert_eq!(sign_in(&ca, "a wrong password", None).await.0, 401);
    }
    assert_eq!(sign_in(&ca, PASSWORD, None).await.0, 200);
    assert!(
        audit_actions(&ca)
            .await
            .iter()
            .any(|a| a == "operator.locked")
    );
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_and_its_sessions_end() {
    let ca = common::start("ca-operator-disabled").await;
    ca.state
        .operators
        .add(LOGIN, PASSWORD, OperatorRole::Reviewer)
        .await
        .unwrap();
    let (_, body) = sign_in(&ca, PASSWORD, None).await;
    let token = body["token"].as_str().unwrap().to_owned();
    assert_eq!(queue(&ca, &token).await, 200);
    ca.state
        .operators
        .set_disabled(LOGIN, true, "cli:admin")
        .await
        .unwrap();
    assert_eq!(queue(&ca, &token).await, 401);
    let (status, body) = sign_in(&ca, PASSWORD, None).await;
    assert_eq!(status, 403, "{body}");
    assert!(body["message"].as_str().unwrap().contains("отключена"));
    ca.state
        .operators
        .set_disabled(LOGIN, false, "cli:admin")
        .await
        .unwrap();
    assert_eq!(sign_in(&ca, PASSWORD, None).await.0, 200);
    assert!(matches!(
        ca.state
            .operators
            .set_disabled("nobody", true, "cli:admin")
            .await,
        Err(kep_ca::operators::OperatorError::NotFound(_))
    ));
}

#[test]
fn the_command_line_disables_enables_and_resets() {
    let scratch = kep_system_tests::tools::Scratch::new("ca-operator-cli");
    let data = scratch.path("data");
    let kep_ca = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kep-ca"))
            .args(args)
            .args(["--dev", "--data", data.to_str().unwrap()])
            .env("KEP_CA_SCRYPT_LOG_N", "10")
            .env("KEP_CA_OPERATOR_PASSWORD", PASSWORD)
            .env("USER", "admin-anna")
            .output()
            .unwrap();
        (
            out.status.code(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };
    assert_eq!(kep_ca(&["operator", "add", LOGIN]).0, Some(0));
    let (status, text) = kep_ca(&["operator", "disable", LOGIN]);
    assert_eq!(status, Some(0), "{text}");
    assert!(text.contains("disabled"), "{text}");
    let (status, text) = kep_ca(&["operator", "reset-totp", LOGIN]);
    assert_eq!(status, Some(0), "{text}");
    let (status, text) = kep_ca(&["operator", "enable", "nobody"]);
    assert_eq!(status, Some(2), "{text}");
    assert!(text.contains("nobody"), "{text}");
    // The audit log names the administrator.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = kep_ca::store::Database::open(&kep_ca::store::DatabaseConfig::Sqlite(
            data.join("kep-ca.sqlite"),
        ))
        .await
        .unwrap();
        let account = store.operator_account(LOGIN).await.unwrap().unwrap();
        assert!(account.disabled);
        let entries = store
            .audit_entries(&kep_ca::store::AuditFilter {
                action: Some("operator.disable".into()),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            entries
                .iter()
                .any(|e| e.action == "operator.disable" && e.actor == "cli:admin-anna"),
            "{entries:?}"
        );
    });
}

#[tokio::test]
async fn the_demo_accounts_get_the_authenticators_the_banner_prints() {
    let ca = common::start("ca-operator-demo-totp").await;
    // (The dev seed's accounts, made as the seed makes them.)
    let _ = ca.operator(OperatorRole::Reviewer).await;
    let _ = ca.operator(OperatorRole::Officer).await;
    kep_ca::dev_seed::enroll_demo_authenticators(&ca.state)
        .await
        .unwrap();
    // Idempotent: a second start keeps them.
    kep_ca::dev_seed::enroll_demo_authenticators(&ca.state)
        .await
        .unwrap();
    let login = |totp: Option<String>| {
        let mut body = json!({
            "login": kep_ca::dev_seed::DEV_OPERATOR_LOGIN,
            "password": kep_ca::dev_seed::DEV_OPERATOR_PASSWORD,
        });
        if let Some(code) = totp {
            body["totp"] = json!(code);
        }
        ca.post("/api/v1/operator/login", body)
    };
    assert_eq!(login(None).await.0, 401, "enrolled: a code is asked for");
    let secret = kep_ca::totp::secret_from_base32(kep_ca::dev_seed::DEV_OPERATOR_TOTP).unwrap();
    let code = kep_ca::totp::code_at(
        &secret,
        kep_ca::dev_seed::DEV_OPERATOR_LOGIN,
        kep_ca::clock::Clock::unix(&*ca.clock),
    )
    .unwrap();
    assert_eq!(login(Some(code)).await.0, 200);
}
