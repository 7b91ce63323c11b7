//! The state registries that confirm СНИЛС (СФР) and ИНН (ФНС). No registry can be reached
//! from here, so the real one is a trait; the dev registry answers as configured.

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
    /// The verdict for these requisites.
    fn check(&self, requisites: &kep_pki::Requisites) -> RegistryVerdict;
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
    fn check(&self, _: &kep_pki::Requisites) -> RegistryVerdict {
        self.0
            .lock()
            .map(|v| *v)
            .unwrap_or(RegistryVerdict::Unavailable)
    }
}
