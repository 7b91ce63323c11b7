//! Background work that must run on one instance at a time: finishing the issuances an
//! instance left half-done (it stopped, or was killed, between recording a request and
//! recording the certificate). Every instance runs this loop; only the holder of the lease
//! does the work, and when the holder dies its lease runs out and another instance takes over
//! within `lease + sweep`. (The outbox needs no lease: its notices are claimed one by one with
//! `FOR UPDATE SKIP LOCKED` and a per-notice lease; see [`crate::outbox`].)

use crate::api::AppState;
use crate::clock::Clock;
use crate::store::Store;
use std::time::Duration;

/// The lease's name in the database.
const LEASE: &str = "background";

/// How long a lease lasts unless renewed, by default: a dead holder is replaced within this
/// plus one sweep.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(30);

/// A served instance's name in the lease table: its host and listening address. Two instances
/// differ, and an instance restarted after a crash is the same one again: it takes its own
/// lease back at once instead of waiting for it to run out.
pub fn served_instance_name(listen: std::net::SocketAddr) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(instance_name);
    format!("{host}/{listen}")
}

/// A random instance name (for services without a listening address of their own).
pub fn instance_name() -> String {
    let mut bytes = [0u8; 8];
    let random = ring::rand::SystemRandom::new();
    if ring::rand::SecureRandom::fill(&random, &mut bytes).is_err() {
        // Unique enough for a lease holder when the system's randomness fails: the process.
        return format!("pid-{}", std::process::id());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One sweep: takes (or renews) the lease and, holding it, finishes interrupted issuances.
/// Answers how many were finished (None: another instance holds the lease).
pub async fn sweep(state: &AppState, holder: &str, lease: Duration) -> Option<usize> {
    let store = state.applications.store();
    let now = state.login.clock().unix();
    let until = now + i64::try_from(lease.as_secs()).unwrap_or(i64::MAX / 2);
    match store.take_lease(LEASE, holder, now, until).await {
        Ok(true) => {}
        Ok(false) => return None,
        Err(e) => {
            tracing::warn!(error = %e, "background work: the lease could not be taken");
            return None;
        }
    }
    match state.applications.issuance.resume_issuance().await {
        Ok(finished) => {
            if finished > 0 {
                tracing::info!(finished, "finished interrupted issuances");
            }
            Some(finished)
        }
        Err(e) => {
            tracing::warn!(error = %e, "background work: interrupted issuances not finished");
            Some(0)
        }
    }
}

/// Sweeps at once and then every third of the lease, for as long as the process runs.
pub async fn run(state: AppState, holder: String, lease: Duration) {
    let every = (lease / 3).max(Duration::from_secs(1));
    loop {
        sweep(&state, &holder, lease).await;
        tokio::time::sleep(every).await;
    }
}
