//! One deadline per user action, and «Отменить». Every action the person starts is bounded as a
//! whole — retries and backoff included — so a hung or dead CA answers within seconds with what
//! to do, never after minutes; a running action can be cancelled, and logging out cancels
//! whatever still runs. Nothing here holds a lock: actions run side by side.

use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

/// How long the CA may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// A TCP/TLS connection.
    pub connect: Duration,
    /// An ordinary action, every call and retry in it together.
    pub call: Duration,
    /// The slowest upload rate still waited for (bytes per second): an upload's deadline is
    /// `call` plus its size at this rate.
    pub upload_bytes_per_s: u64,
}

impl Default for Deadlines {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(5),
            call: Duration::from_secs(15),
            upload_bytes_per_s: 32 * 1024,
        }
    }
}

impl Deadlines {
    /// The deadline of an upload of `bytes`.
    pub fn upload(&self, bytes: usize) -> Duration {
        let rate = self.upload_bytes_per_s.max(1);
        self.call + Duration::from_millis((bytes as u64).saturating_mul(1000) / rate)
    }
}

/// Why an action stopped before its work ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Interrupted {
    /// Its deadline passed with the CA still silent.
    #[error("the action's deadline passed")]
    TimedOut,
    /// The person pressed «Отменить», or logged out.
    #[error("the action was cancelled")]
    Cancelled,
}

impl From<tokio::time::error::Elapsed> for Interrupted {
    fn from(_: tokio::time::error::Elapsed) -> Self {
        // `Elapsed` says only that the deadline passed, which is all `TimedOut` says.
        Self::TimedOut
    }
}

/// Starts, bounds and cancels actions.
#[derive(Debug)]
pub struct Actions {
    cancel: tokio::sync::watch::Sender<u64>,
}

impl Default for Actions {
    fn default() -> Self {
        Self {
            cancel: tokio::sync::watch::Sender::new(0),
        }
    }
}

impl Actions {
    /// Cancels every action running now (the ones started later run normally).
    pub fn cancel_all(&self) {
        self.cancel.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Runs `work` until `deadline`, or until cancelled.
    pub async fn until<T, E: From<Interrupted>>(
        &self,
        deadline: Instant,
        work: impl Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        let mut cancel = self.cancel.subscribe();
        cancel.mark_unchanged();
        tokio::select! {
            result = work => result,
            () = tokio::time::sleep_until(deadline) => Err(Interrupted::TimedOut.into()),
            _ = cancel.changed() => Err(Interrupted::Cancelled.into()),
        }
    }

    /// Runs `work` for at most `budget`, or until cancelled.
    pub async fn within<T, E: From<Interrupted>>(
        &self,
        budget: Duration,
        work: impl Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        self.until(Instant::now() + budget, work).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_hung_action_ends_at_its_deadline() {
        let actions = Actions::default();
        let started = Instant::now();
        let result: Result<(), Interrupted> = actions
            .within(Duration::from_secs(15), std::future::pending())
            .await;
        assert_eq!(result, Err(Interrupted::TimedOut));
        assert_eq!(started.elapsed(), Duration::from_secs(15));
    }

    #[tokio::test]
    async fn cancel_ends_the_running_action_only() {
        let actions = std::sync::Arc::new(Actions::default());
        let running = {
            let actions = actions.clone();
            tokio::spawn(async move {
                actions
                    .within(
                        Duration::from_secs(60),
                        std::future::pending::<Result<(), Interrupted>>(),
                    )
                    .await
            })
        };
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(20)).await;
        actions.cancel_all();
        assert_eq!(running.await.unwrap(), Err(Interrupted::Cancelled));
        // An action started after the cancel is not affected by it.
        let later = actions
            .within(Duration::from_secs(1), async { Ok::<_, Interrupted>(7) })
            .await;
        assert_eq!(later.unwrap(), 7);
    }

    #[test]
    fn an_upload_gets_time_for_its_size() {
        let d = Deadlines::default();
        assert_eq!(d.upload(0), d.call);
        assert_eq!(
            d.upload(10 * 1024 * 1024),
            d.call + Duration::from_secs(320)
        );
    }
}
