//! The outside services a CA depends on — telephony (the flash call), the state registries
//! (СНИЛС/ИНН) and notifications (SMS, e-mail) — behind the traits in `crate::telephony`,
//! `crate::registry` and `crate::notifier`. Handlers never see a concrete provider: the
//! configuration chooses one by name ([`crate::config`]).
//!
//! * `dev` — only with `--dev`: prints the calling number, answers as told, keeps an outbox.
//! * `webhook` — a generic JSON contract (`webhook.rs`, documented in `docs/kep-ca.md`), so a CA
//!   can put any provider behind a small adapter of its own;
//! * `plusofon` — the flash call through Plusofon's FlashCall REST API (`plusofon.rs`);
//! * e-mail over SMTP (`smtp.rs`), the `[email]` channel beside the SMS.

pub mod plusofon;
pub mod smtp;
pub mod webhook;

use std::future::Future;
use std::pin::Pin;

/// Whether `host` (a URL's host: a name, an IPv4 or a bracketed IPv6 address) is this machine —
/// the one place plain HTTP or plain SMTP to a provider is allowed.
pub(crate) fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// What a provider call returns (boxed: the traits are used as trait objects).
pub type ProviderFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a provider did not do what was asked (logged for the operator; the applicant sees a
/// calm "try again").
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// It could not be reached, or did not answer in time.
    #[error("the provider could not be reached: {0}")]
    Unreachable(String),
    /// It answered with an HTTP error status.
    #[error("the provider answered HTTP {0}")]
    Status(u16),
    /// It refused the CA's credentials (401/403): a configuration matter, not retried.
    #[error("the provider refused the credentials (HTTP {0})")]
    Credentials(u16),
    /// It asked to slow down (429), for `retry_after_s` when it said.
    #[error("the provider is rate limiting (retry after {retry_after_s:?} s)")]
    RateLimited {
        /// Its `Retry-After`, in seconds.
        retry_after_s: Option<u64>,
    },
    /// Its answer did not follow the contract.
    #[error("the provider's answer does not follow the contract: {0}")]
    Contract(String),
}
