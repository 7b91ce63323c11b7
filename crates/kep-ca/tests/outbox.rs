//! The outbox keeps its promises: a notice is recorded with the decision and delivered apart
//! from it — a provider that hangs never holds up an operator; one that fails is tried again
//! after 1, 5, 15 and 30 minutes and given up after the fifth try (counted in the metrics); a
//! later try delivers what a dead provider left.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

mod common;

use kep_ca::applications::Decision;
use kep_ca::notifier::{Notice, Notifier};
use kep_ca::providers::{ProviderError, ProviderFuture};
use kep_ca::store::Store;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// A provider that fails `fails` times, then delivers (or hangs, with `hang`).
#[derive(Default)]
struct Flaky {
    fails: AtomicU32,
    attempts: AtomicU32,
    hang: bool,
    sent: std::sync::Mutex<Vec<(String, Notice)>>,
}

impl Flaky {
    fn failing(times: u32) -> Arc<Self> {
        Arc::new(Self {
            fails: AtomicU32::new(times),
            ..Self::default()
        })
    }
}

impl Notifier for Flaky {
    fn notify<'a>(
        &'a self,
        to: &'a str,
        notice: &'a Notice,
    ) -> ProviderFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            self.attempts.fetch_add(1, Ordering::SeqCst);
            if self.hang {
                std::future::pending::<()>().await;
            }
            if self
                .fails
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok()
            {
                return Err(ProviderError::Status(503));
            }
            self.sent
                .lock()
                .unwrap()
                .push((to.to_owned(), notice.clone()));
            Ok(())
        })
    }
}

/// An application under review, rejected by an operator (which tells the applicant).
async fn rejected(ca: &common::Ca, phone: &str) {
    let id = ca.in_review(phone, None).await;
    ca.state
        .applications
        .review
        .decide(
            1,
            id,
            Decision::Reject {
                comment: "Фото паспорта нечитаемо".into(),
            },
        )
        .await
        .unwrap();
}

fn advance(ca: &common::Ca, seconds: u64) {
    ca.clock.advance(Duration::from_secs(seconds));
}

/// Notices neither delivered nor given up.
async fn pending(ca: &common::Ca) -> i64 {
    ca.state
        .applications
        .store()
        .pending_notices()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_failing_provider_is_tried_five_times_within_the_hour_then_given_up() {
    let flaky = Flaky::failing(u32::MAX);
    let notifier = flaky.clone();
    let ca = common::start_with("outbox-give-up", move |c| c.notifier = notifier).await;
    rejected(&ca, "+79120000001").await;
    let outbox = &ca.state.outbox;
    assert_eq!(outbox.deliver_due().await.unwrap(), 0);
    assert_eq!(flaky.attempts.load(Ordering::SeqCst), 1);
    // Not due again before its wait.
    advance(&ca, 59);
    outbox.deliver_due().await.unwrap();
    assert_eq!(flaky.attempts.load(Ordering::SeqCst), 1);
    for (wait, attempts) in [(1, 2), (300, 3), (900, 4), (1800, 5)] {
        advance(&ca, wait);
        outbox.deliver_due().await.unwrap();
        assert_eq!(flaky.attempts.load(Ordering::SeqCst), attempts);
    }
    // Given up: never tried again.
    advance(&ca, 24 * 3600);
    outbox.deliver_due().await.unwrap();
    assert_eq!(flaky.attempts.load(Ordering::SeqCst), 5);
    assert_eq!(pending(&ca).await, 0);
    let metrics = kep_ca::metrics::METRICS.render();
    assert!(
        metrics.contains("kep_ca_notices_given_up_total{channel=\"sms\"}"),
        "{metrics}"
    );
    assert!(metrics.contains("kep_ca_notices_pending "), "{metrics}");
}

#[tokio::test]
async fn a_later_try_delivers_what_a_dead_provider_left() {
    let flaky = Flaky::failing(2);
    let notifier = flaky.clone();
    let ca = common::start_with("outbox-later", move |c| c.notifier = notifier).await;
    rejected(&ca, "+79120000002").await;
    let outbox = &ca.state.outbox;
    assert_eq!(outbox.deliver_due().await.unwrap(), 0);
    advance(&ca, 60);
    assert_eq!(outbox.deliver_due().await.unwrap(), 0);
    advance(&ca, 300);
    assert_eq!(outbox.deliver_due().await.unwrap(), 1);
    let sent = flaky.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, "+79120000002");
    assert_eq!(sent[0].1.text, "Заявка отклонена: Фото паспорта нечитаемо");
    assert_eq!(sent[0].1.subject, "Заявка отклонена");
    assert_eq!(pending(&ca).await, 0);
}

#[tokio::test]
async fn a_hanging_provider_never_holds_up_the_decision() {
    let flaky = Arc::new(Flaky {
        hang: true,
        ..Flaky::default()
    });
    let notifier = flaky.clone();
    let ca = common::start_with("outbox-hang", move |c| c.notifier = notifier).await;
    // The background worker, as `kep-ca serve` runs it, stuck in the provider.
    tokio::spawn(ca.state.outbox.clone().run());
    // A liveness bound, not a measurement: without the outbox the decision would wait forever.
    tokio::time::timeout(Duration::from_secs(30), rejected(&ca, "+79120000003"))
        .await
        .expect("the decision does not wait for the provider");
    assert_eq!(pending(&ca).await, 1);
}
