//! Messages to the applicant (the seed's «сообщения на почту или телефон»). A CA plugs in its SMS
//! or e-mail gateway; the dev outbox keeps them for `GET /dev/outbox`.

use crate::providers::{ProviderError, ProviderFuture};
pub use kep_protocol::dev::OutboxMessage;
use std::sync::Mutex;

/// Sends a short message to an applicant's phone (or e-mail).
pub trait Notifier: Send + Sync + 'static {
    /// Sends `text` to `phone`. Failures are logged; they never undo a decision.
    fn notify<'a>(
        &'a self,
        phone: &'a str,
        text: &'a str,
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
        phone: &'a str,
        text: &'a str,
    ) -> ProviderFuture<'a, Result<(), ProviderError>> {
        let kept = self
            .0
            .lock()
            .map(|mut m| {
                m.push(OutboxMessage {
                    phone: phone.to_owned(),
                    text: text.to_owned(),
                })
            })
            .map_err(|e| ProviderError::Unreachable(e.to_string()));
        Box::pin(std::future::ready(kept))
    }
}
