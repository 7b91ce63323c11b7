//! E-mail to applicants against a real SMTP server (Debian's python3-aiosmtpd, started here):
//! STARTTLS and implicit TLS with AUTH, a Cyrillic subject and body arriving decoded as sent,
//! wrong credentials refused, and — through the outbox — a message a dead server could not take
//! delivered by a later try.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

mod common;
mod smtp_server;

use kep_system_tests::tools::free_port;
use smtp_server::{LOGIN, PASSWORD, received, start_server};

use kep_ca::notifier::{Notice, Notifier};
use kep_ca::providers::ProviderError;
use kep_ca::providers::smtp::{SmtpNotifier, SmtpSecurity, SmtpSettings};
use kep_ca::store::Store;
use std::sync::Arc;
use std::time::Duration;
use zeroize::Zeroizing;

fn settings(
    tls: &kep_system_tests::tls::TestTls,
    port: u16,
    security: SmtpSecurity,
    password: &str,
) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        security,
        credentials: Some((LOGIN.into(), Zeroizing::new(password.into()))),
        from: "Удостоверяющий центр <noreply@ca.example>".into(),
        timeout: Duration::from_secs(5),
        extra_root_pem: Some(tls.root_pem.as_bytes().to_vec()),
    }
}

fn notice() -> Notice {
    kep_ca::messages_ru::notices::statement_rejected("Нет подписи на второй странице.")
}

#[tokio::test]
async fn starttls_and_implicit_tls_with_auth_deliver_the_message_as_written() {
    let scratch = kep_system_tests::tools::Scratch::new("smtp-delivery");
    let tls = kep_system_tests::tls::test_tls(&scratch.path("tls"), "smtp");
    for (security, implicit) in [
        (SmtpSecurity::Starttls, false),
        (SmtpSecurity::Implicit, true),
    ] {
        let port = free_port();
        let server = start_server(&scratch.path("smtp"), &tls, port, implicit);
        let mailer = SmtpNotifier::new(settings(&tls, port, security, PASSWORD)).unwrap();
        mailer.notify("ivanov@example.ru", &notice()).await.unwrap();
        let mail = received(&server);
        assert_eq!(mail.len(), 1, "{security:?}");
        let mail = &mail[0];
        assert_eq!(mail["tls"], true, "{mail}");
        assert_eq!(mail["authenticated"], true, "{mail}");
        assert_eq!(mail["rcpt_tos"], serde_json::json!(["ivanov@example.ru"]));
        assert_eq!(mail["subject"], "Заявление не принято");
        assert_eq!(mail["from"], "Удостоверяющий центр <noreply@ca.example>");
        assert_eq!(mail["content_type"], "text/plain");
        assert_eq!(mail["charset"], "utf-8");
        assert_eq!(
            mail["body"].as_str().unwrap().trim_end(),
            "Заявление не принято: Нет подписи на второй странице."
        );

        // Wrong credentials: refused for good (no retry would help).
        let wrong = SmtpNotifier::new(settings(&tls, port, security, "not-the-password")).unwrap();
        let error = wrong
            .notify("ivanov@example.ru", &notice())
            .await
            .unwrap_err();
        assert!(matches!(error, ProviderError::Contract(_)), "{error:?}");
        assert_eq!(received(&server).len(), 1);
    }
}

#[tokio::test]
async fn plain_smtp_to_another_machine_is_refused() {
    let scratch = kep_system_tests::tools::Scratch::new("smtp-plain");
    let tls = kep_system_tests::tls::test_tls(&scratch.path("tls"), "smtp");
    let mut plain = settings(&tls, 25, SmtpSecurity::None, PASSWORD);
    plain.host = "mail.example.ru".into();
    assert!(SmtpNotifier::new(plain).is_err());
}

#[tokio::test]
async fn what_a_dead_server_could_not_take_a_later_try_delivers() {
    let scratch = kep_system_tests::tools::Scratch::new("smtp-outbox");
    let tls = kep_system_tests::tls::test_tls(&scratch.path("tls"), "smtp");
    let port = free_port();
    let mailer: Arc<dyn Notifier> = Arc::new(
        SmtpNotifier::new(settings(&tls, port, SmtpSecurity::Starttls, PASSWORD)).unwrap(),
    );
    let ca = common::start_with("smtp-outbox-ca", move |c| c.email = Some(mailer)).await;
    // An application with requisites (the e-mail address is theirs), decided by an operator.
    let store = ca.state.applications.store();
    let id = ca
        .in_review("+79990000001", Some(&kep_ca::dev_seed::dev_requisites()))
        .await;
    ca.state
        .applications
        .review
        .decide(
            1,
            id,
            kep_ca::applications::Decision::RequestDocuments {
                comment: "Скан СНИЛС".into(),
            },
        )
        .await
        .unwrap();
    // The SMS goes at once; the e-mail finds no server.
    assert_eq!(ca.state.outbox.deliver_due().await.unwrap(), 1);
    assert_eq!(store.pending_notices().await.unwrap(), 1);
    // The server comes up; the retry a minute later delivers.
    let server = start_server(&scratch.path("smtp"), &tls, port, false);
    ca.clock.advance(Duration::from_secs(60));
    assert_eq!(ca.state.outbox.deliver_due().await.unwrap(), 1);
    assert_eq!(store.pending_notices().await.unwrap(), 0);
    let mail = received(&server);
    assert_eq!(mail.len(), 1);
    assert_eq!(
        mail[0]["rcpt_tos"],
        serde_json::json!(["ivanov@example.ru"])
    );
    assert_eq!(mail[0]["subject"], "Нужны документы");
    assert_eq!(
        mail[0]["body"].as_str().unwrap().trim_end(),
        "Для заявки нужны документы: Скан СНИЛС"
    );
}
