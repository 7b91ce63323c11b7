//! The state registries that confirm СНИЛС (СФР) and ИНН (ФНС), behind a trait: a CA connects its
//! СМЭВ gateway through the webhook contract; the dev registry (only with `--dev`) answers as
//! told.

use crate::providers::ProviderFuture;
use std::sync::Mutex;

/// A registry's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistryVerdict {
    /// СНИЛС and ИНН belong to this person.
    Confirmed,
    /// The registry knows the numbers but not with these data.
    Mismatch,
    /// The registry did not answer.
    Unavailable,
}

/// Checks an applicant's СНИЛС and ИНН against the registries.
pub trait Registry: Send + Sync + 'static {
    /// The verdict for these requisites (a registry that cannot be asked is `Unavailable`).
    fn check<'a>(
        &'a self,
        requisites: &'a kep_pki::Requisites,
    ) -> ProviderFuture<'a, RegistryVerdict>;
}

/// The development registry: answers what it is told to (default: confirmed).
#[derive(Debug)]
pub struct DevRegistry(Mutex<RegistryVerdict>);

impl Default for DevRegistry {
    fn default() -> Self {
        Self(Mutex::new(RegistryVerdict::Confirmed))
    }
}

impl DevRegistry {
    /// Sets the next answers.
    pub fn answer(&self, verdict: RegistryVerdict) {
        if let Ok(mut v) = self.0.lock() {
            *v = verdict;
        }
    }
}

impl Registry for DevRegistry {
    fn check<'a>(&'a self, _: &'a kep_pki::Requisites) -> ProviderFuture<'a, RegistryVerdict> {
        let verdict = self
            .0
            .lock()
            .map(|v| *v)
            .unwrap_or(RegistryVerdict::Unavailable);
        Box::pin(std::future::ready(verdict))
    }
}
