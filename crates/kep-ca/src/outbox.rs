//! The outbox: every notification to an applicant is recorded first and delivered apart from the
//! decision that caused it, so a slow or dead SMS gateway or SMTP server never holds up an
//! operator. A failed delivery is tried again after 1, 5, 15 and 30 minutes — five tries within
//! the hour — and then given up (the applicant still sees the news in the app). Deliveries,
//! failures and notices given up show in the metrics.

use crate::clock::Clock;
use crate::notifier::{Notice, Notifier};
use crate::store::{Column, NoticeAttempt, NoticeRow, Store, StoreError};
use std::sync::Arc;
use std::time::Duration;

/// Seconds to wait after the 1st, 2nd, 3rd and 4th failed try; the 5th failure gives up.
pub const RETRY_AFTER_S: [i64; 4] = [60, 300, 900, 1800];
/// How long a claimed notice is left to one delivery before another may take it.
const LEASE_S: i64 = 120;
/// How often the worker looks for due notices when nothing wakes it.
const SWEEP: Duration = Duration::from_secs(15);
/// Notices taken per sweep.
const BATCH: usize = 50;

pub use crate::store::NoticeChannel as Channel;

/// The outbox and its delivery.
pub struct Outbox<S> {
    store: S,
    clock: Arc<dyn Clock>,
    sms: Arc<dyn Notifier>,
    email: Option<Arc<dyn Notifier>>,
    wake: tokio::sync::Notify,
}

impl<S> std::fmt::Debug for Outbox<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox")
            .field("email", &self.email.is_some())
            .finish_non_exhaustive()
    }
}

/// A recipient (a phone, an address) with all but its last two digits hidden, for logs.
fn masked(recipient: &str) -> String {
    let tail: String = recipient
        .chars()
        .rev()
        .filter(char::is_ascii_digit)
        .take(2)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("…{tail}")
}

impl<S: Store> Outbox<S> {
    /// The outbox over `store`, delivering SMS through `sms` and e-mail through `email` (None:
    /// no e-mail channel configured).
    pub fn new(
        store: S,
        clock: Arc<dyn Clock>,
        sms: Arc<dyn Notifier>,
        email: Option<Arc<dyn Notifier>>,
    ) -> Self {
        Self {
            store,
            clock,
            sms,
            email,
            wake: tokio::sync::Notify::new(),
        }
    }

    /// Records `notice` for `phone` and, with an e-mail channel, for `email`; delivery follows
    /// in the background.
    pub async fn enqueue(
        &self,
        phone: Option<&str>,
        email: Option<&str>,
        notice: &Notice,
    ) -> Result<(), StoreError> {
        let now = self.clock.unix();
        let email = email.filter(|_| self.email.is_some());
        for (channel, recipient) in [(Channel::Sms, phone), (Channel::Email, email)] {
            let Some(recipient) = recipient.filter(|r| !r.trim().is_empty()) else {
                continue;
            };
            self.store
                .enqueue_notice(NoticeRow {
                    id: 0,
                    channel,
                    recipient: recipient.to_owned(),
                    subject: notice.subject.clone(),
                    body: notice.text.clone(),
                    tries: 0,
                    created_at: now,
                })
                .await?;
        }
        self.wake.notify_one();
        Ok(())
    }

    /// Delivers every notice due now; answers how many were delivered.
    pub async fn deliver_due(&self) -> Result<usize, StoreError> {
        let mut delivered = 0;
        loop {
            let now = self.clock.unix();
            let due = self
                .store
                .claim_due_notices(now, now + LEASE_S, BATCH)
                .await?;
            if due.is_empty() {
                let pending = self.store.pending_notices().await?;
                crate::metrics::METRICS.notices_pending.set(pending);
                return Ok(delivered);
            }
            for notice in due {
                if self.deliver(notice).await? {
                    delivered += 1;
                }
            }
        }
    }

    async fn deliver(&self, row: NoticeRow) -> Result<bool, StoreError> {
        let channel = row.channel.name();
        let notifier = match row.channel {
            Channel::Sms => Some(&self.sms),
            Channel::Email => self.email.as_ref(),
        };
        let notice = Notice::new(row.subject.clone(), row.body.clone());
        let result = match notifier {
            Some(notifier) => notifier.notify(&row.recipient, &notice).await,
            None => Err(crate::providers::ProviderError::Contract(format!(
                "no {channel} channel is configured"
            ))),
        };
        let tries = row.tries + 1;
        let attempt = match result {
            Ok(()) => {
                crate::metrics::METRICS.notice_delivered(&channel);
                NoticeAttempt::Delivered {
                    at: self.clock.unix(),
                }
            }
            Err(e) => {
                crate::metrics::METRICS.provider_failed("notifications");
                let next_at = usize::try_from(tries - 1)
                    .ok()
                    .and_then(|i| RETRY_AFTER_S.get(i))
                    .map(|wait| self.clock.unix() + wait);
                if next_at.is_none() {
                    crate::metrics::METRICS.notice_given_up(&channel);
                }
                // A server's refusal may quote the address: it never reaches the log whole.
                let why = e
                    .to_string()
                    .replace(&row.recipient, &masked(&row.recipient));
                tracing::warn!(
                    error = %why,
                    channel = %channel,
                    to = %masked(&row.recipient),
                    tries,
                    gave_up = next_at.is_none(),
                    "a notification was not delivered"
                );
                NoticeAttempt::Failed {
                    error: why,
                    next_at,
                }
            }
        };
        let delivered = matches!(attempt, NoticeAttempt::Delivered { .. });
        self.store.record_notice_attempt(row.id, attempt).await?;
        Ok(delivered)
    }

    /// Delivers for as long as the service runs: at once when a notice is enqueued, and every
    /// few seconds for the retries.
    pub async fn run(self: Arc<Self>) {
        loop {
            if let Err(e) = self.deliver_due().await {
                tracing::error!(error = %e, "the outbox could not be read");
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(SWEEP) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_tries_fit_in_the_hour() {
        assert_eq!(RETRY_AFTER_S.len() + 1, 5);
        assert!(RETRY_AFTER_S.iter().sum::<i64>() <= 3600);
    }

    #[test]
    fn only_the_last_two_digits_of_a_phone_reach_the_log() {
        assert_eq!(masked("+79991234567"), "…67");
    }
}
