//! The renewal flow of stages 1–2 as an explicit state machine, persisted in the app's data
//! folder after every step, so quitting or a crash resumes at the same step with nothing lost.
//! The CA stays the source of truth (the application's status is re-read on resume); the flow
//! only remembers where the user was.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// Where the user is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "step", rename_all = "snake_case")]
#[ts(export)]
pub enum FlowStep {
    /// Phone entry (and the four digits).
    Login,
    /// The list of certificate applications.
    Applications,
    /// «Ознакомьтесь с тем, что предстоит сделать» for one application.
    Overview {
        /// The application.
        application_id: i64,
    },
    /// The requisites form.
    Requisites {
        /// The application.
        application_id: i64,
    },
    /// Scans, when the registries did not confirm СНИЛС/ИНН or the operator asked.
    Documents {
        /// The application.
        application_id: i64,
    },
    /// Stage 2: the CA reviews the application.
    Review {
        /// The application.
        application_id: i64,
    },
    /// Stage 3: the statement — signed with the current КЭП, or by hand and scanned.
    Statement {
        /// The application.
        application_id: i64,
    },
    /// Stages 4–6: the key and the request, identity, installation (the screen follows the
    /// application's status).
    Certificate {
        /// The application.
        application_id: i64,
    },
}

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
}

/// The persisted state: the step, and the step to return to after a new login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    /// The current step.
    pub step: FlowStep,
    /// Where the user was when the session ended, to land there again after logging in.
    pub resume: Option<FlowStep>,
}

impl Default for Flow {
    fn default() -> Self {
        Self {
            step: FlowStep::Login,
            resume: None,
        }
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
        | FlowStep::Certificate { application_id } => Some(*application_id),
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
                };
            }
            (FlowEvent::LoggedIn, _) => {
                return Flow {
                    step: self.resume.clone().unwrap_or(FlowStep::Applications),
                    resume: None,
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
                FlowStep::Certificate { application_id }
            }
            _ => self.step.clone(),
        };
        Flow {
            step,
            resume: self.resume.clone(),
        }
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

    /// Saves atomically (temporary file, then rename): a crash mid-write leaves the old state.
    pub fn save(&self, flow: &Flow) -> Result<(), FlowFileError> {
        let err = |e: std::io::Error| FlowFileError(e.to_string());
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let tmp = self.path.with_extension("json.tmp");
        let bytes = serde_json::to_vec_pretty(flow).map_err(|e| FlowFileError(e.to_string()))?;
        std::fs::write(&tmp, bytes).map_err(err)?;
        std::fs::rename(&tmp, &self.path).map_err(err)
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
