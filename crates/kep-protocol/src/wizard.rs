//! Where the renewal stands, as the UI renders it: the step of the flow and the view of it.

use crate::Stage;
use crate::application::ApplicationView;
use crate::requisites::RequisitesInput;
use serde::{Deserialize, Serialize};
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
    /// Stage 4: the storage, the random-number sensor, the key and the certificate request.
    /// (`certificate` is the name an earlier version gave stages 4–6 together.)
    #[serde(alias = "certificate")]
    Key {
        /// The application.
        application_id: i64,
    },
    /// Stage 5: the CA or the responsible officer confirms the applicant's identity.
    Identity {
        /// The application.
        application_id: i64,
    },
    /// Stage 6: the issued certificate goes next to its key.
    Install {
        /// The application.
        application_id: i64,
    },
    /// The renewal is complete.
    Done {
        /// The application.
        application_id: i64,
    },
}

/// What the UI shows now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WizardView {
    /// The step within the stage.
    pub step: FlowStep,
    /// The stage of the six.
    pub stage: Stage,
    /// The applications (at the list).
    pub applications: Vec<ApplicationView>,
    /// The application being worked on (at its steps).
    pub application: Option<ApplicationView>,
    /// Whether the session is kept across restarts (false: no OS keyring, the user will log in
    /// again after a restart and land on the same step).
    pub session_kept: bool,
    /// At the requisites: what the user typed but has not sent yet (it wins over the CA's copy).
    pub draft: Option<RequisitesInput>,
}
