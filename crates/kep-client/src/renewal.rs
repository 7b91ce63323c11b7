//! Stages 1–2 as the app drives them: the CA client, the persisted flow and the kept session
//! together. Every method returns the [`WizardView`] the UI renders next, so the UI holds no
//! state of its own that a restart could lose. Tauri commands are one-line wrappers over this.

use crate::ca::{CaClient, Polled};
use crate::draft::DraftFile;
use crate::endpoint::CaEndpoint;
use crate::flow::{Flow, FlowEvent, FlowFile, FlowStep, application_of};
use crate::messages_ru;
use crate::session_vault::TokenVault;
use kep_protocol::application::{ApplicationStatus, ApplicationView, DocumentInfo, DocumentKind};
use kep_protocol::auth::CodeRequested;
use kep_protocol::{ApiError, ErrorKind, RequisitesInput, Stage};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;
use ts_rs::TS;

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

/// A status change seen while polling, for the desktop notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    /// The new status.
    pub status: ApplicationStatus,
    /// The notification's title and text (Russian).
    pub title: &'static str,
    /// The text: the CA's comment where there is one.
    pub body: String,
    /// The view after the change.
    pub view: WizardView,
}

/// The renewal of one user with one CA.
pub struct Renewal {
    endpoint: CaEndpoint,
    client: CaClient,
    flow: Flow,
    file: FlowFile,
    draft: DraftFile,
    vault: Arc<dyn TokenVault>,
    session_kept: bool,
    /// The last application seen while polling: (id, ETag, view).
    polled: Option<(i64, String, ApplicationView)>,
}

impl std::fmt::Debug for Renewal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renewal")
            .field("endpoint", &self.endpoint)
            .field("step", &self.flow.step)
            .finish_non_exhaustive()
    }
}

/// The stage a step (and the application's status) is in.
pub fn stage_of(step: &FlowStep, status: Option<ApplicationStatus>) -> Stage {
    use ApplicationStatus as S;
    match (step, status) {
        (FlowStep::Review { .. }, Some(S::Approved)) => Stage::Issuance,
        (FlowStep::Review { .. }, _) => Stage::CaReview,
        (FlowStep::Statement { .. }, Some(S::ReadyForKey)) => Stage::Key,
        (FlowStep::Statement { .. }, _) => Stage::Issuance,
        (FlowStep::Certificate { .. }, Some(S::AwaitingIdentity | S::Issuing)) => Stage::Identity,
        (FlowStep::Certificate { .. }, Some(S::Issued | S::Completed)) => Stage::Install,
        (FlowStep::Certificate { .. }, _) => Stage::Key,
        _ => Stage::Application,
    }
}

impl Renewal {
    /// Opens the renewal with the CA at `endpoint`: the flow from `data_dir`, the session from
    /// `vault` (checked on the next [`view`](Self::view)).
    pub fn open(
        endpoint: CaEndpoint,
        data_dir: &Path,
        vault: Arc<dyn TokenVault>,
    ) -> Result<Self, ApiError> {
        let file = FlowFile::new(data_dir);
        let draft = DraftFile::new(data_dir);
        let mut flow = file.load();
        let mut client = CaClient::new(endpoint.clone())?;
        match vault.load(&endpoint) {
            Some(token) => client = client.with_token(token),
            // No kept session: whatever step the user was at waits behind a new login.
            None if flow.step != FlowStep::Login => flow = flow.on(FlowEvent::LoggedOut),
            None => {}
        }
        Ok(Self {
            endpoint,
            client,
            flow,
            file,
            draft,
            vault,
            session_kept: true,
            polled: None,
        })
    }

    /// The current step.
    pub fn step(&self) -> &FlowStep {
        &self.flow.step
    }

    fn apply(&mut self, event: FlowEvent) -> Result<(), ApiError> {
        let next = self.flow.on(event);
        self.file
            .save(&next)
            .map_err(|_| ApiError::new(ErrorKind::Io, messages_ru::FLOW_NOT_SAVED))?;
        self.flow = next;
        Ok(())
    }

    /// Turns an expired session into the login step (remembering where the user was).
    fn check<T>(&mut self, result: Result<T, ApiError>) -> Result<T, ApiError> {
        if let Err(e) = &result
            && e.kind == ErrorKind::Unauthorized
        {
            self.vault.clear(&self.endpoint);
            self.client = CaClient::new(self.endpoint.clone())?;
            self.polled = None;
            self.apply(FlowEvent::LoggedOut)?;
            return Err(ApiError::new(
                ErrorKind::Unauthorized,
                messages_ru::SESSION_EXPIRED,
            ));
        }
        result
    }

    /// What the UI shows now, read fresh from the CA.
    pub async fn view(&mut self) -> Result<WizardView, ApiError> {
        let step = self.flow.step.clone();
        let (applications, application) = match (&step, application_of(&step)) {
            (FlowStep::Login, _) => (Vec::new(), None),
            (_, None) => {
                let list = self.client.applications().await;
                (self.check(list)?, None)
            }
            (_, Some(id)) => {
                let one = self.client.application(id, None).await;
                match self.check(one)? {
                    Polled::Changed { value, etag } => {
                        self.polled = Some((id, etag, value.clone()));
                        (Vec::new(), Some(value))
                    }
                    Polled::NotModified => (Vec::new(), None),
                }
            }
        };
        let draft = match &step {
            FlowStep::Requisites { application_id } => self.draft.load(*application_id),
            _ => None,
        };
        Ok(WizardView {
            stage: stage_of(&step, application.as_ref().map(|a| a.status)),
            step,
            applications,
            application,
            session_kept: self.session_kept,
            draft,
        })
    }

    /// «Получить код для входа».
    pub async fn request_code(&self, phone: &str) -> Result<CodeRequested, ApiError> {
        self.client.request_code(phone).await
    }

    /// The four digits: a session, kept in the vault; lands where the user was, or at the list.
    pub async fn verify_code(&mut self, phone: &str, code: &str) -> Result<WizardView, ApiError> {
        let (client, session) = self.client.verify_code(phone, code).await?;
        self.session_kept = self.vault.store(&self.endpoint, &session.token);
        self.client = client;
        self.apply(FlowEvent::LoggedIn)?;
        self.view().await
    }

    /// «Заполнить заявку» on an application.
    pub async fn choose(&mut self, application_id: i64) -> Result<WizardView, ApiError> {
        self.apply(FlowEvent::Chosen(application_id))?;
        self.view().await
    }

    /// «Приступить».
    pub async fn start(&mut self) -> Result<WizardView, ApiError> {
        self.apply(FlowEvent::Started)?;
        self.view().await
    }

    /// Back to the list of applications.
    pub async fn back_to_list(&mut self) -> Result<WizardView, ApiError> {
        self.apply(FlowEvent::BackToList)?;
        self.view().await
    }

    /// Back from the documents to the requisites.
    pub async fn edit_requisites(&mut self) -> Result<WizardView, ApiError> {
        self.apply(FlowEvent::EditRequisites)?;
        self.view().await
    }

    fn current_application(&self) -> Result<i64, ApiError> {
        application_of(&self.flow.step)
            .ok_or_else(|| ApiError::new(ErrorKind::Conflict, messages_ru::NO_APPLICATION))
    }

    /// Keeps the requisites as typed so far (any, valid or not) for the current application.
    pub fn save_draft(&self, input: &RequisitesInput) -> Result<(), ApiError> {
        let id = self.current_application()?;
        self.draft
            .save(id, input)
            .map_err(|_| ApiError::new(ErrorKind::Io, messages_ru::FLOW_NOT_SAVED))
    }

    /// «Продолжить» on the requisites: saved at the CA (which validates them again).
    pub async fn save_requisites(
        &mut self,
        input: &RequisitesInput,
    ) -> Result<WizardView, ApiError> {
        let id = self.current_application()?;
        let saved = self.client.save_requisites(id, input).await;
        let saved = self.check(saved)?;
        self.draft.clear();
        if saved.status == ApplicationStatus::InReview {
            // Edited after approval: the CA took it back for review at once.
            self.apply(FlowEvent::Submitted(saved.status))?;
        } else {
            self.apply(FlowEvent::RequisitesSaved)?;
        }
        self.view().await
    }

    /// «Отправить заявку»: the CA checks СНИЛС/ИНН and either takes it for review or asks for
    /// scans.
    pub async fn submit(&mut self) -> Result<WizardView, ApiError> {
        let id = self.current_application()?;
        let sent = self.client.submit(id).await;
        let view = self.check(sent)?;
        self.apply(FlowEvent::Submitted(view.status))?;
        self.view().await
    }

    /// Uploads a scan to the current application.
    pub async fn upload(
        &mut self,
        kind: DocumentKind,
        bytes: Vec<u8>,
        progress: Arc<dyn Fn(u64, u64) + Send + Sync>,
    ) -> Result<DocumentInfo, ApiError> {
        let id = self.current_application()?;
        let uploaded = self
            .client
            .upload_with_progress(id, kind, bytes, progress)
            .await;
        self.check(uploaded)
    }

    /// Removes an uploaded document.
    pub async fn delete_document(&mut self, document_id: i64) -> Result<WizardView, ApiError> {
        let id = self.current_application()?;
        let deleted = self.client.delete_document(id, document_id).await;
        self.check(deleted)?;
        self.view().await
    }

    /// «Продолжить» on the approved application: on to the statement.
    pub async fn proceed_to_issuance(&mut self) -> Result<WizardView, ApiError> {
        self.apply(FlowEvent::ProceedToIssuance)?;
        self.view().await
    }

    /// The statement PDF as the CA stored it (the blank to print, or the bytes to sign).
    pub async fn statement_pdf(&mut self) -> Result<Vec<u8>, ApiError> {
        let id = self.current_application()?;
        let pdf = self.client.statement_pdf(id).await;
        self.check(pdf)
    }

    /// Path (a): signs the stored statement with `signer` (the current КЭП, whose certificate is
    /// `certificate`) and sends the signature.
    pub async fn sign_statement(
        &mut self,
        signer: &dyn kep_pki::signer::KeySigner,
        certificate: &[u8],
    ) -> Result<WizardView, ApiError> {
        let id = self.current_application()?;
        let pdf = self.statement_pdf().await?;
        let cms = kep_pki::cms_signature::sign_detached(
            &pdf,
            signer,
            certificate,
            std::time::SystemTime::now(),
        )
        .map_err(|_| ApiError::new(ErrorKind::Internal, messages_ru::NOT_SIGNED))?;
        let sent = self.client.sign_statement(id, cms).await;
        self.check(sent)?;
        self.view().await
    }

    /// The CA's CRL (to tell the user which of their certificates it no longer accepts).
    pub async fn issuing_crl(&mut self) -> Result<Vec<u8>, ApiError> {
        let crl = self.client.issuing_crl().await;
        self.check(crl)
    }

    /// Path (b): the uploaded scan of the hand-signed statement goes to the operator.
    pub async fn submit_statement_scan(&mut self) -> Result<WizardView, ApiError> {
        let id = self.current_application()?;
        let sent = self.client.submit_statement_scan(id).await;
        self.check(sent)?;
        self.view().await
    }

    /// «Продолжить» once the statement is accepted: on to the key.
    pub async fn proceed_to_key(&mut self) -> Result<WizardView, ApiError> {
        self.apply(FlowEvent::ProceedToKey)?;
        self.view().await
    }

    /// The current application's id (for the key's name).
    pub fn application_id(&self) -> Result<i64, ApiError> {
        self.current_application()
    }

    /// The approved requisites of the current application (what the request is made for; the CA
    /// issues from its own copy anyway).
    pub async fn approved_requisites(&mut self) -> Result<kep_pki::Requisites, ApiError> {
        let view = self.view().await?;
        let input = view
            .application
            .and_then(|a| a.requisites)
            .ok_or_else(|| ApiError::new(ErrorKind::Conflict, messages_ru::NO_APPLICATION))?;
        input
            .validate(time::OffsetDateTime::now_utc().date())
            .map_err(|_| ApiError::new(ErrorKind::InvalidInput, messages_ru::FIX_REQUISITES))
    }

    /// Stage 4: sends the certificate request for a key kept in `storage`.
    pub async fn send_request(
        &mut self,
        der: Vec<u8>,
        storage: kep_protocol::application::KeyStorageKind,
    ) -> Result<WizardView, ApiError> {
        let id = self.current_application()?;
        let sent = self.client.send_request(id, der, storage).await;
        self.check(sent)?;
        self.view().await
    }

    /// Stage 6: the issued certificate (DER).
    pub async fn issued_certificate(&mut self) -> Result<Vec<u8>, ApiError> {
        let id = self.current_application()?;
        let der = self.client.certificate(id).await;
        self.check(der)
    }

    /// Stage 6 done: tells the CA the certificate is installed.
    pub async fn installed(&mut self) -> Result<WizardView, ApiError> {
        let id = self.current_application()?;
        let done = self.client.installed(id).await;
        self.check(done)?;
        self.view().await
    }

    /// Ends the session here and at the CA; the flow starts over at login.
    pub async fn logout(&mut self) -> Result<WizardView, ApiError> {
        // The CA may already have forgotten the session; the local logout happens regardless.
        let _ = self.client.logout().await;
        self.vault.clear(&self.endpoint);
        self.draft.clear();
        self.client = CaClient::new(self.endpoint.clone())?;
        self.polled = None;
        self.flow = Flow::default();
        self.file
            .save(&self.flow)
            .map_err(|_| ApiError::new(ErrorKind::Io, messages_ru::FLOW_NOT_SAVED))?;
        self.view().await
    }

    /// One background poll (cheap: `If-None-Match`). Returns the change when the application's
    /// status moved; a request for documents moves the flow to the documents step.
    pub async fn poll(&mut self) -> Result<Option<StatusChange>, ApiError> {
        let Some(id) = application_of(&self.flow.step) else {
            return Ok(None);
        };
        if self.flow.step == (FlowStep::Overview { application_id: id }) {
            return Ok(None);
        }
        let etag = self
            .polled
            .as_ref()
            .filter(|(polled, _, _)| *polled == id)
            .map(|(_, etag, _)| etag.clone());
        let before = self
            .polled
            .as_ref()
            .filter(|(polled, _, _)| *polled == id)
            .map(|(_, _, view)| view.status);
        let polled = self.client.application(id, etag.as_deref()).await;
        let (value, etag) = match self.check(polled)? {
            Polled::NotModified => return Ok(None),
            Polled::Changed { value, etag } => (value, etag),
        };
        let status = value.status;
        self.polled = Some((id, etag, value.clone()));
        if before.is_none() || before == Some(status) {
            return Ok(None);
        }
        if status == ApplicationStatus::DocumentsRequired
            && matches!(self.flow.step, FlowStep::Review { .. })
        {
            self.apply(FlowEvent::DocumentsRequested)?;
        }
        let comment = value
            .timeline
            .last()
            .and_then(|e| e.comment.clone())
            .unwrap_or_default();
        let (title, body) = messages_ru::status_notification(status, &comment);
        let step = self.flow.step.clone();
        Ok(Some(StatusChange {
            status,
            title,
            body,
            view: WizardView {
                stage: stage_of(&step, Some(status)),
                step,
                applications: Vec::new(),
                application: Some(value),
                session_kept: self.session_kept,
                draft: None,
            },
        }))
    }
}
