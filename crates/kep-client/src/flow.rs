//! The renewal flow of all six stages as an explicit state machine, persisted in the app's data
//! folder after every step, so quitting or a crash resumes at the same step with nothing lost.
//! The CA stays the source of truth (the application's status is re-read on resume and moves
//! stages 4–6 to where it says); the flow remembers where the user was, and the idempotency
//! keys of actions not yet answered, so a repeat after a restart is still the same action.

use kep_protocol::application::ApplicationStatus;
pub use kep_protocol::wizard::FlowStep;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What happened, as the flow understands it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowEvent {
    /// The session was opened (or restored).
    LoggedIn,
    /// The session ended (expired, logged out).
    LoggedOut,
    /// «Заполнить заявку» on an application.
    Chosen(i64),
    /// «Приступить».
    Started,
    /// «Продолжить» after the requisites were saved.
    RequisitesSaved,
    /// The application was sent; the CA answered with this status.
    Submitted(kep_protocol::application::ApplicationStatus),
    /// The CA asked for documents (seen while polling).
    DocumentsRequested,
    /// Back to the list.
    BackToList,
    /// From the documents (or the statement) back to the requisites, to correct them.
    EditRequisites,
    /// «Продолжить» on an approved application: on to the statement.
    ProceedToIssuance,
    /// «Продолжить» once the statement is accepted: on to the key.
    ProceedToKey,
    /// The CA says the application is in this status (read by a view, a poll or an answer):
    /// stages 4–6 follow it.
    StatusSeen(ApplicationStatus),
}

/// The persisted state: the step, the step to return to after a new login, and the
/// idempotency keys of actions sent but not yet answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    /// The current step.
    pub step: FlowStep,
    /// Where the user was when the session ended, to land there again after logging in.
    pub resume: Option<FlowStep>,
    /// Intent (`submit:7`, `upload:<file>`, …) → its idempotency key, until the CA answers.
    #[serde(default)]
    pub intents: BTreeMap<String, String>,
}

impl Default for Flow {
    fn default() -> Self {
        Self {
            step: FlowStep::Login,
            resume: None,
            intents: BTreeMap::new(),
        }
    }
}

/// The step an application opened from the list goes to by its status (None: the overview,
/// for one still being filled in).
fn opened_step(status: ApplicationStatus, application_id: i64) -> Option<FlowStep> {
    use ApplicationStatus as S;
    match status {
        S::Draft | S::DocumentsRequired => None,
        S::InReview | S::Approved | S::Rejected => Some(FlowStep::Review { application_id }),
        S::StatementInReview | S::StatementRejected => Some(FlowStep::Statement { application_id }),
        _ => late_step(status, application_id),
    }
}

/// The step of stages 4–6 that an application in `status` is at, if it is at one.
fn late_step(status: ApplicationStatus, application_id: i64) -> Option<FlowStep> {
    use ApplicationStatus as S;
    match status {
        S::ReadyForKey => Some(FlowStep::Key { application_id }),
        S::AwaitingIdentity | S::Issuing => Some(FlowStep::Identity { application_id }),
        S::Issued => Some(FlowStep::Install { application_id }),
        S::Completed => Some(FlowStep::Done { application_id }),
        _ => None,
    }
}

/// The application a step is about, if any.
pub fn application_of(step: &FlowStep) -> Option<i64> {
    match step {
        FlowStep::Login | FlowStep::Applications => None,
        FlowStep::Overview { application_id }
        | FlowStep::Requisites { application_id }
        | FlowStep::Documents { application_id }
        | FlowStep::Review { application_id }
        | FlowStep::Statement { application_id }
        | FlowStep::Key { application_id }
        | FlowStep::Identity { application_id }
        | FlowStep::Install { application_id }
        | FlowStep::Done { application_id } => Some(*application_id),
    }
}

impl Flow {
    /// The next state after `event`; events that make no sense at this step leave it unchanged.
    pub fn on(&self, event: FlowEvent) -> Flow {
        use kep_protocol::application::ApplicationStatus as S;
        let id = application_of(&self.step);
        let step = match (event, id) {
            (FlowEvent::LoggedOut, _) => {
                let resume = (self.step != FlowStep::Login)
                    .then(|| self.step.clone())
                    .or(self.resume.clone());
                return Flow {
                    step: FlowStep::Login,
                    resume,
                    intents: self.intents.clone(),
                };
            }
            (FlowEvent::LoggedIn, _) => {
                return Flow {
                    step: self.resume.clone().unwrap_or(FlowStep::Applications),
                    resume: None,
                    intents: self.intents.clone(),
                };
            }
            (_, _) if self.step == FlowStep::Login => return self.clone(),
            (FlowEvent::Chosen(application_id), _) => FlowStep::Overview { application_id },
            (FlowEvent::BackToList, _) => FlowStep::Applications,
            (FlowEvent::Started, Some(application_id)) => FlowStep::Requisites { application_id },
            (FlowEvent::RequisitesSaved, Some(application_id)) => {
                FlowStep::Documents { application_id }
            }
            (FlowEvent::Submitted(S::DocumentsRequired), Some(application_id)) => {
                FlowStep::Documents { application_id }
            }
            (FlowEvent::Submitted(_), Some(application_id)) => FlowStep::Review { application_id },
            (FlowEvent::DocumentsRequested, Some(application_id)) => {
                FlowStep::Documents { application_id }
            }
            (FlowEvent::EditRequisites, Some(application_id))
                if matches!(
                    self.step,
                    FlowStep::Documents { .. } | FlowStep::Statement { .. }
                ) =>
            {
                FlowStep::Requisites { application_id }
            }
            (FlowEvent::ProceedToIssuance, Some(application_id))
                if matches!(self.step, FlowStep::Review { .. }) =>
            {
                FlowStep::Statement { application_id }
            }
            (FlowEvent::ProceedToKey, Some(application_id))
                if matches!(self.step, FlowStep::Statement { .. }) =>
            {
                FlowStep::Key { application_id }
            }
            (FlowEvent::StatusSeen(status), Some(application_id)) if self.is_late_stage() => {
                late_step(status, application_id).unwrap_or_else(|| self.step.clone())
            }
            // An application opened from the list that is past its filling-in (sent before a
            // logout, say): straight to the step its status is at.
            (FlowEvent::StatusSeen(status), Some(application_id))
                if matches!(self.step, FlowStep::Overview { .. }) =>
            {
                opened_step(status, application_id).unwrap_or_else(|| self.step.clone())
            }
            _ => self.step.clone(),
        };
        Flow {
            step,
            resume: self.resume.clone(),
            intents: self.intents.clone(),
        }
    }

    /// Whether the step is one of stages 4–6 (which follow the CA's status).
    fn is_late_stage(&self) -> bool {
        matches!(
            self.step,
            FlowStep::Key { .. }
                | FlowStep::Identity { .. }
                | FlowStep::Install { .. }
                | FlowStep::Done { .. }
        )
    }

    /// The same flow with the idempotency key of `intent` (an existing one, else `fresh`).
    pub fn with_intent(&self, intent: &str, fresh: impl FnOnce() -> String) -> (Flow, String) {
        let mut next = self.clone();
        let key = next
            .intents
            .entry(intent.to_owned())
            .or_insert_with(fresh)
            .clone();
        (next, key)
    }

    /// The same flow without the key of `intent` (the CA answered it).
    pub fn without_intent(&self, intent: &str) -> Flow {
        let mut next = self.clone();
        next.intents.remove(intent);
        next
    }
}

/// Why the flow file could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("flow state: {0}")]
pub struct FlowFileError(String);

/// The flow file in the app's data folder.
#[derive(Debug, Clone)]
pub struct FlowFile {
    path: PathBuf,
}

impl FlowFile {
    /// `flow.json` in `data_dir`.
    pub fn new(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join("flow.json"),
        }
    }

    /// The saved flow; a missing or unreadable file starts over at login (nothing of value is
    /// lost: the CA holds the application).
    pub fn load(&self) -> Flow {
        std::fs::read(&self.path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Saves atomically (temporary file, fsync, rename): a crash mid-write leaves the old state.
    pub fn save(&self, flow: &Flow) -> Result<(), FlowFileError> {
        let bytes = serde_json::to_vec_pretty(flow).map_err(|e| FlowFileError(e.to_string()))?;
        kep_private_file::write(&self.path, &bytes).map_err(|e| FlowFileError(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kep_protocol::application::ApplicationStatus;

    #[test]
    fn the_happy_path_and_the_documents_loop() {
        let flow = Flow::default().on(FlowEvent::LoggedIn);
        assert_eq!(flow.step, FlowStep::Applications);
        let flow = flow.on(FlowEvent::Chosen(7)).on(FlowEvent::Started);
        assert_eq!(flow.step, FlowStep::Requisites { application_id: 7 });
        let flow = flow
            .on(FlowEvent::RequisitesSaved)
            .on(FlowEvent::Submitted(ApplicationStatus::DocumentsRequired));
        assert_eq!(flow.step, FlowStep::Documents { application_id: 7 });
        let flow = flow.on(FlowEvent::Submitted(ApplicationStatus::InReview));
        assert_eq!(flow.step, FlowStep::Review { application_id: 7 });
        let flow = flow.on(FlowEvent::DocumentsRequested);
        assert_eq!(flow.step, FlowStep::Documents { application_id: 7 });
    }

    #[test]
    fn stages_four_to_six_follow_the_status() {
        use ApplicationStatus as S;
        let flow = Flow {
            step: FlowStep::Key { application_id: 4 },
            ..Flow::default()
        };
        let flow = flow.on(FlowEvent::StatusSeen(S::AwaitingIdentity));
        assert_eq!(flow.step, FlowStep::Identity { application_id: 4 });
        let flow = flow.on(FlowEvent::StatusSeen(S::Issued));
        assert_eq!(flow.step, FlowStep::Install { application_id: 4 });
        // A status outside stages 4–6 (say, the CA withdrew the approval) changes nothing here.
        assert_eq!(flow.on(FlowEvent::StatusSeen(S::InReview)), flow);
        let flow = flow.on(FlowEvent::StatusSeen(S::Completed));
        assert_eq!(flow.step, FlowStep::Done { application_id: 4 });
        // Earlier stages do not jump ahead on a status.
        let review = Flow {
            step: FlowStep::Review { application_id: 4 },
            ..Flow::default()
        };
        assert_eq!(review.on(FlowEvent::StatusSeen(S::Issued)), review);
    }

    #[test]
    fn an_application_opened_from_the_list_goes_where_its_status_is() {
        use ApplicationStatus as S;
        let opened = Flow::default()
            .on(FlowEvent::LoggedIn)
            .on(FlowEvent::Chosen(5));
        let at = |status| opened.on(FlowEvent::StatusSeen(status)).step;
        assert_eq!(at(S::Draft), FlowStep::Overview { application_id: 5 });
        assert_eq!(at(S::InReview), FlowStep::Review { application_id: 5 });
        assert_eq!(
            at(S::StatementRejected),
            FlowStep::Statement { application_id: 5 }
        );
        assert_eq!(at(S::Issued), FlowStep::Install { application_id: 5 });
    }

    #[test]
    fn an_intent_keeps_its_key_until_answered() {
        let flow = Flow::default();
        let (flow, key) = flow.with_intent("submit:1", || "k1".into());
        let (flow, again) = flow.with_intent("submit:1", || "k2".into());
        assert_eq!((key.as_str(), again.as_str()), ("k1", "k1"));
        // The keys survive a logout and a new login (the repeat may come after either).
        let flow = flow.on(FlowEvent::LoggedOut).on(FlowEvent::LoggedIn);
        assert_eq!(flow.intents.get("submit:1").map(String::as_str), Some("k1"));
        assert!(flow.without_intent("submit:1").intents.is_empty());
    }

    #[test]
    fn an_earlier_version_s_certificate_step_reads_as_the_key_step() {
        let old = r#"{"step":{"step":"certificate","application_id":3},"resume":null}"#;
        let flow: Flow = serde_json::from_str(old).unwrap();
        assert_eq!(flow.step, FlowStep::Key { application_id: 3 });
    }

    #[test]
    fn a_new_login_lands_on_the_same_step() {
        let flow = Flow::default()
            .on(FlowEvent::LoggedIn)
            .on(FlowEvent::Chosen(3))
            .on(FlowEvent::Started);
        let out = flow.on(FlowEvent::LoggedOut);
        assert_eq!(out.step, FlowStep::Login);
        // Nothing but a login moves it while logged out.
        assert_eq!(out.on(FlowEvent::Started), out);
        assert_eq!(
            out.on(FlowEvent::LoggedIn).step,
            FlowStep::Requisites { application_id: 3 }
        );
    }

    #[test]
    fn the_file_survives_a_restart_and_a_damaged_file_starts_over() {
        let dir = std::env::temp_dir().join(format!("kep-flow-{}", std::process::id()));
        let file = FlowFile::new(&dir);
        assert_eq!(file.load(), Flow::default());
        let flow = Flow::default()
            .on(FlowEvent::LoggedIn)
            .on(FlowEvent::Chosen(9));
        file.save(&flow).unwrap();
        assert_eq!(FlowFile::new(&dir).load(), flow);
        std::fs::write(dir.join("flow.json"), b"{not json").unwrap();
        assert_eq!(file.load(), Flow::default());
        std::fs::remove_dir_all(dir).ok();
    }
}
