//! Messages to the applicant (the seed's «сообщения на почту или телефон»): a [`Notice`] goes
//! through a channel — SMS to the phone, e-mail to the address in the requisites — behind the
//! [`Notifier`] trait. The outbox (`crate::outbox`) delivers and retries them apart from the
//! decisions that caused them; the dev outbox keeps what it was given for `GET /dev/outbox`.

use crate::providers::{ProviderError, ProviderFuture};
pub use kep_protocol::dev::OutboxMessage;
use std::sync::Mutex;

/// One notification: its subject (e-mail) and text (both channels). The templates are in
/// `crate::messages_ru`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The subject line.
    pub subject: String,
    /// The text.
    pub text: String,
}

impl Notice {
    /// A notice with `subject` and `text`.
    pub fn new(subject: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            subject: subject.into(),
            text: text.into(),
        }
    }
}

/// Delivers a notice to one recipient of its channel (a phone, an e-mail address).
pub trait Notifier: Send + Sync + 'static {
    /// Sends `notice` to `to`. A failure is retried from the outbox; it never undoes a decision.
    fn notify<'a>(
        &'a self,
        to: &'a str,
        notice: &'a Notice,
    ) -> ProviderFuture<'a, Result<(), ProviderError>>;
}

/// The development outbox.
#[derive(Debug, Default)]
pub struct DevOutbox(Mutex<Vec<OutboxMessage>>);

impl DevOutbox {
    /// Every message sent so far.
    pub fn messages(&self) -> Vec<OutboxMessage> {
        self.0.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

impl Notifier for DevOutbox {
    fn notify<'a>(
        &'a self,
        to: &'a str,
        notice: &'a Notice,
    ) -> ProviderFuture<'a, Result<(), ProviderError>> {
        let kept = self
            .0
            .lock()
            .map(|mut m| {
                m.push(OutboxMessage {
                    phone: to.to_owned(),
                    text: notice.text.clone(),
                })
            })
            .map_err(|e| ProviderError::Unreachable(e.to_string()));
        Box::pin(std::future::ready(kept))
    }
}
