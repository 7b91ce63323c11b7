//! One thread owns a token session; everything done on the token is a job sent to it. PKCS#11
//! calls block (a Рутокен takes a second to make a key), so they never run on the async runtime:
//! async callers await a reply, sync callers (the signer trait) wait on it.

use crate::error::TokenError;
use crate::module::Module;
use cryptoki::session::Session;
use cryptoki::slot::Slot;
use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;

type Job = Box<dyn FnOnce(&Session, &Module, Slot) + Send>;

/// The thread that owns a read-write session on one token.
#[derive(Debug)]
pub struct TokenWorker {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl TokenWorker {
    /// Opens a read-write session on `slot` in a new thread.
    pub fn open(module: Arc<Module>, slot: Slot) -> Result<Self, TokenError> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let (ready_tx, ready_rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("kep-token".into())
            .spawn(move || {
                let session = match module.pkcs11().open_rw_session(slot) {
                    Ok(session) => {
                        let _ = ready_tx.send(Ok(()));
                        session
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(TokenError::from(e)));
                        return;
                    }
                };
                for job in queue {
                    job(&session, &module, slot);
                }
                // Dropping the session closes it (and logs out).
            })
            .map_err(|e| TokenError::Module(e.to_string()))?;
        ready_rx.recv().map_err(|_| TokenError::SessionClosed)??;
        Ok(Self {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    fn submit<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Session, &Module, Slot) -> Result<T, TokenError> + Send + 'static,
        reply: impl FnOnce(Result<T, TokenError>) + Send + 'static,
    ) -> Result<(), TokenError> {
        let job: Job = Box::new(move |session, module, slot| reply(f(session, module, slot)));
        self.jobs
            .as_ref()
            .ok_or(TokenError::SessionClosed)?
            .send(job)
            .map_err(|_| TokenError::SessionClosed)
    }

    /// Runs `f` on the worker and waits for its result (for sync callers off the runtime).
    pub fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Session, &Module, Slot) -> Result<T, TokenError> + Send + 'static,
    ) -> Result<T, TokenError> {
        let (tx, rx) = mpsc::channel();
        self.submit(f, move |result| {
            let _ = tx.send(result);
        })?;
        rx.recv().map_err(|_| TokenError::SessionClosed)?
    }

    /// Runs `f` on the worker; the calling task awaits without blocking the runtime.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Session, &Module, Slot) -> Result<T, TokenError> + Send + 'static,
    ) -> Result<T, TokenError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.submit(f, move |result| {
            let _ = tx.send(result);
        })?;
        rx.await.map_err(|_| TokenError::SessionClosed)?
    }
}

impl Drop for TokenWorker {
    fn drop(&mut self) {
        // Closing the queue ends the thread's loop; wait so the session is closed before the
        // module can be finalized.
        self.jobs.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
