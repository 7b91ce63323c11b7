//! The state registries that confirm СНИЛС (СФР) and ИНН (ФНС), behind a trait: a CA connects its
//! СМЭВ gateway through the webhook contract; the dev registry (only with `--dev`) answers as
//! told.

use crate::providers::ProviderFuture;
use std::sync::Mutex;

/// One registry's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistryVerdict {
    /// The number belongs to this person.
    Confirmed,
    /// The registry knows the number but not with these data.
    Mismatch,
    /// The registry did not answer.
    Unavailable,
}

/// Both checks: СНИЛС with СФР, ИНН with ФНС.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistryAnswer {
    /// СФР on the СНИЛС.
    pub snils: RegistryVerdict,
    /// ФНС on the ИНН.
    pub inn: RegistryVerdict,
}

impl RegistryAnswer {
    /// The same verdict from both registries.
    pub fn both(verdict: RegistryVerdict) -> Self {
        Self {
            snils: verdict,
            inn: verdict,
        }
    }

    /// Whether both registries confirmed the applicant.
    pub fn confirmed(&self) -> bool {
        self.snils == RegistryVerdict::Confirmed && self.inn == RegistryVerdict::Confirmed
    }
}

/// Checks an applicant's СНИЛС and ИНН against the registries.
pub trait Registry: Send + Sync + 'static {
    /// Both verdicts for these requisites (a registry that cannot be asked is `Unavailable`).
    fn check<'a>(
        &'a self,
        requisites: &'a kep_pki::Requisites,
    ) -> ProviderFuture<'a, RegistryAnswer>;
}

/// The development registry: answers what it is told to (default: both confirmed).
#[derive(Debug)]
pub struct DevRegistry(Mutex<RegistryAnswer>);

impl Default for DevRegistry {
    fn default() -> Self {
        Self(Mutex::new(RegistryAnswer::both(RegistryVerdict::Confirmed)))
    }
}

impl DevRegistry {
    /// Sets the next answers: the same from both registries.
    pub fn answer(&self, verdict: RegistryVerdict) {
        self.answer_each(RegistryAnswer::both(verdict));
    }

    /// Sets the next answers, registry by registry.
    pub fn answer_each(&self, answer: RegistryAnswer) {
        if let Ok(mut v) = self.0.lock() {
            *v = answer;
        }
    }
}

impl Registry for DevRegistry {
    fn check<'a>(&'a self, _: &'a kep_pki::Requisites) -> ProviderFuture<'a, RegistryAnswer> {
        let answer = self
            .0
            .lock()
            .map(|v| *v)
            .unwrap_or(RegistryAnswer::both(RegistryVerdict::Unavailable));
        Box::pin(std::future::ready(answer))
    }
}
