//! Idempotency keys: a client sends `Idempotency-Key` with a state-changing POST; the first
//! answer is kept and any later request with the same key gets that answer instead of running
//! again. So a click repeated after a timeout, a cancelled call or an app restart does once what
//! it did once. The key names one intent of one party (the applicant, else the bearer token,
//! else anonymous); a key reused for another route is refused.

use crate::clock::Clock;
use crate::store::{IdempotencyClaim, Store, StoreError, StoredAnswer};

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// How long an answer is kept for a replay.
pub const KEPT_FOR_S: i64 = 24 * 60 * 60;
/// An unfinished claim older than this belongs to a request that died with its instance.
pub const ABANDONED_AFTER_S: i64 = 120;
/// The longest key accepted.
pub const MAX_KEY_LEN: usize = 100;

/// Whether `key` is acceptable: 16–100 characters of `[A-Za-z0-9_-]` (a UUID fits).
pub fn valid_key(key: &str) -> bool {
    (16..=MAX_KEY_LEN).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The idempotency keys of the service.
#[derive(Debug, Clone)]
pub struct Idempotency<S, C> {
    store: S,
    clock: C,
}

impl<S: Store, C: Clock> Idempotency<S, C> {
    /// Over `store`, timed by `clock`.
    pub fn new(store: S, clock: C) -> Self {
        Self { store, clock }
    }

    /// Claims `key` for `route`.
    pub async fn claim(
        &self,
        scope: &str,
        key: &str,
        route: &str,
    ) -> Result<IdempotencyClaim, StoreError> {
        let now = self.clock.unix();
        self.store
            .claim_idempotency_key(
                scope,
                key,
                route,
                now,
                now - ABANDONED_AFTER_S,
                now - KEPT_FOR_S,
            )
            .await
    }

    /// Keeps the answer of the request that claimed `key`.
    pub async fn complete(
        &self,
        scope: &str,
        key: &str,
        answer: StoredAnswer,
    ) -> Result<(), StoreError> {
        self.store
            .complete_idempotency_key(scope, key, answer)
            .await
    }

    /// Gives `key` up: its request failed and changed nothing.
    pub async fn release(&self, scope: &str, key: &str) -> Result<(), StoreError> {
        self.store.release_idempotency_key(scope, key).await
    }
}
