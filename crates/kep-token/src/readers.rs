//! Smart-card readers through PC/SC: what is plugged in now, and a stream of insert/remove
//! events so the wizard can say «вставьте токен» and react the moment one arrives. When the
//! PC/SC service (pcscd) is not running that is a state, reported once, not an error loop.

use pcsc::{Context, Error as PcscError, PNP_NOTIFICATION, ReaderState, Scope, State};
use std::ffi::CString;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// A reader and whether a card (token) is in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    /// The reader's name.
    pub name: String,
    /// A card is present.
    pub card_present: bool,
}

/// What PC/SC says right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readers {
    /// The PC/SC service is not running (no pcscd, or the Windows service is stopped).
    ServiceUnavailable,
    /// The readers present (possibly none).
    Available(Vec<Reader>),
}

/// A change the wizard reacts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReaderEvent {
    /// The PC/SC service went away (or was not there when watching started).
    ServiceUnavailable,
    /// The PC/SC service is (back) up.
    ServiceAvailable,
    /// A reader appeared.
    ReaderAdded(String),
    /// A reader disappeared.
    ReaderRemoved(String),
    /// A card was inserted into the reader.
    CardInserted(String),
    /// The card was pulled out of the reader.
    CardRemoved(String),
}

fn service_down(e: PcscError) -> bool {
    matches!(
        e,
        PcscError::NoService | PcscError::ServiceStopped | PcscError::NoReadersAvailable
    )
}

/// The readers present now.
pub fn list_readers() -> Readers {
    let Ok(context) = Context::establish(Scope::User) else {
        return Readers::ServiceUnavailable;
    };
    match snapshot(&context) {
        Ok(readers) => Readers::Available(readers),
        Err(PcscError::NoReadersAvailable) => Readers::Available(Vec::new()),
        Err(_) => Readers::ServiceUnavailable,
    }
}

fn snapshot(context: &Context) -> Result<Vec<Reader>, PcscError> {
    let names = context.list_readers_owned()?;
    let mut states: Vec<ReaderState> = names
        .iter()
        .map(|n| ReaderState::new(n.clone(), State::UNAWARE))
        .collect();
    if !states.is_empty() {
        context.get_status_change(Duration::ZERO, &mut states)?;
    }
    Ok(states
        .iter()
        .map(|s| Reader {
            name: s.name().to_string_lossy().into_owned(),
            card_present: s.event_state().contains(State::PRESENT),
        })
        .collect())
}

/// Watches readers on a thread of its own and calls `on_event` for every change, until
/// dropped.
#[derive(Debug)]
pub struct ReaderWatcher {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// How long one wait for a change lasts; also how quickly `drop` returns.
const POLL: Duration = Duration::from_millis(300);
/// How often to look for a PC/SC service that is down.
const SERVICE_RETRY: Duration = Duration::from_secs(1);

impl ReaderWatcher {
    /// Starts watching. The first events describe the present state (service, readers, cards).
    pub fn start(on_event: impl Fn(ReaderEvent) + Send + 'static) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("kep-readers".into())
            .spawn(move || watch(&flag, &on_event))
            .ok();
        Self { stop, thread }
    }
}

impl Drop for ReaderWatcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn watch(stop: &AtomicBool, on_event: &dyn Fn(ReaderEvent)) {
    let mut service_up: Option<bool> = None;
    let mut known: Vec<Reader> = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let context = match Context::establish(Scope::User) {
            Ok(context) => context,
            Err(_) => {
                if service_up != Some(false) {
                    for reader in known.drain(..) {
                        if reader.card_present {
                            on_event(ReaderEvent::CardRemoved(reader.name.clone()));
                        }
                        on_event(ReaderEvent::ReaderRemoved(reader.name));
                    }
                    on_event(ReaderEvent::ServiceUnavailable);
                    service_up = Some(false);
                }
                sleep_unless_stopped(stop, SERVICE_RETRY);
                continue;
            }
        };
        // Follow this context until the service stops.
        loop {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let readers = match snapshot(&context) {
                Ok(readers) => readers,
                Err(PcscError::NoReadersAvailable) => Vec::new(),
                // The service stopped, or the context broke: start over with a new one.
                Err(_) => break,
            };
            if service_up != Some(true) {
                on_event(ReaderEvent::ServiceAvailable);
                service_up = Some(true);
            }
            report_changes(&known, &readers, on_event);
            known = readers;
            // Wait for a change in any reader, or for readers to come and go.
            let mut states: Vec<ReaderState> = known
                .iter()
                .filter_map(|r| CString::new(r.name.clone()).ok())
                .map(|n| ReaderState::new(n, State::UNAWARE))
                .collect();
            states.push(ReaderState::new(PNP_NOTIFICATION(), State::UNAWARE));
            // Learn the current states first, then wait for them to change.
            if context
                .get_status_change(Duration::ZERO, &mut states)
                .is_err()
            {
                // Some PC/SC implementations reject PnP on the first call: fall back to polling.
                sleep_unless_stopped(stop, POLL);
                continue;
            }
            for state in &mut states {
                state.sync_current_state();
            }
            match context.get_status_change(POLL, &mut states) {
                Ok(()) | Err(PcscError::Timeout) => {}
                Err(e) if service_down(e) => break,
                Err(_) => sleep_unless_stopped(stop, POLL),
            }
        }
        // The service went away: the next turn reports it (once).
        if service_up == Some(true) {
            for reader in known.drain(..) {
                if reader.card_present {
                    on_event(ReaderEvent::CardRemoved(reader.name.clone()));
                }
                on_event(ReaderEvent::ReaderRemoved(reader.name));
            }
            on_event(ReaderEvent::ServiceUnavailable);
            service_up = Some(false);
        }
    }
}

fn report_changes(before: &[Reader], after: &[Reader], on_event: &dyn Fn(ReaderEvent)) {
    for reader in after {
        match before.iter().find(|r| r.name == reader.name) {
            None => {
                on_event(ReaderEvent::ReaderAdded(reader.name.clone()));
                if reader.card_present {
                    on_event(ReaderEvent::CardInserted(reader.name.clone()));
                }
            }
            Some(old) if old.card_present != reader.card_present => {
                on_event(if reader.card_present {
                    ReaderEvent::CardInserted(reader.name.clone())
                } else {
                    ReaderEvent::CardRemoved(reader.name.clone())
                })
            }
            Some(_) => {}
        }
    }
    for reader in before
        .iter()
        .filter(|r| !after.iter().any(|a| a.name == r.name))
    {
        if reader.card_present {
            on_event(ReaderEvent::CardRemoved(reader.name.clone()));
        }
        on_event(ReaderEvent::ReaderRemoved(reader.name.clone()));
    }
}

fn sleep_unless_stopped(stop: &AtomicBool, total: Duration) {
    let step = Duration::from_millis(50);
    let mut waited = Duration::ZERO;
    while waited < total && !stop.load(Ordering::Relaxed) {
        std::thread::sleep(step);
        waited += step;
    }
}
