//! The whole renewal — stages 1 to 6 — as the app drives it: the CA client, the persisted flow,
//! the kept session, the random-number sensor and the places keys live, together. Every method
//! returns what the UI renders next, so the UI holds no state of its own that a restart could
//! lose; Tauri commands are one-line wrappers over this.
//!
//! Methods take `&self` and hold no lock across network I/O: the background poll, a hung call
//! and «Выйти» run side by side. Each user action has one deadline for all its calls and retries
//! ([`Deadlines`]), can be cancelled ([`Renewal::cancel`]), and sends its state-changing POST
//! with an idempotency key kept in the flow until the CA answers — so a repeat after a timeout,
//! a cancel or a restart does once what was done once.

use crate::action::{Actions, Deadlines, Interrupted};
use crate::ca::{CaClient, Polled, new_idempotency_key};
use crate::ca_error::CaError;
use crate::cert_status::{StatusClient, StatusLimits};
use crate::computer_key::{ComputerHome, check_password};
use crate::current_certificates::{CandidateId, SigningCertificate};
use crate::draft::DraftFile;
use crate::endpoint::CaEndpoint;
use crate::file_signatures::FileSignatures;
use crate::flow::{Flow, FlowEvent, FlowFile, FlowStep, application_of};
use crate::key_error::KeyError;
use crate::key_places::{KeyPlaces, KeyringPins};
use crate::messages_ru;
use crate::my_certificates::MyCertificates;
use crate::new_key::{self, KeyHome, Place};
use crate::renewal_error::RenewalError;
use crate::renewal_record::RenewalRecords;
use crate::session_vault::TokenVault;
use crate::token_key::{TokenChoice, TokenHome};
use kep_pki::ValidateRequisites;
use kep_protocol::application::{ApplicationStatus, DocumentInfo, DocumentKind, KeyStorageKind};
use kep_protocol::auth::CodeRequested;
use kep_protocol::certificate::CertificateStatus;
use kep_protocol::key::{InstallTarget, NewKey};
use kep_protocol::sensor::{SensorProgress, SensorSample};
pub use kep_protocol::wizard::WizardView;
use kep_protocol::{RequisitesInput, Stage};
use kep_token::entropy::{EntropyPool, SensorEvent};

use std::future::Future;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use tokio::time::Instant;
use zeroize::Zeroizing;

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

/// The CA client of the current session; `generation` changes with every login and logout, so
/// an answer that arrives for an ended session is recognised and dropped.
struct Session {
    client: CaClient,
    generation: u64,
}

/// The last application seen while polling.
struct Seen {
    id: i64,
    etag: String,
    status: ApplicationStatus,
}

/// The renewal of one user with one CA.
pub struct Renewal {
    endpoint: CaEndpoint,
    deadlines: Deadlines,
    actions: Actions,
    session: RwLock<Session>,
    flow: Mutex<Flow>,
    file: FlowFile,
    draft: DraftFile,
    vault: Arc<dyn TokenVault>,
    session_kept: AtomicBool,
    polled: Mutex<Option<Seen>>,
    keys: Arc<KeyPlaces>,
    sensor: Mutex<EntropyPool>,
    home: Arc<MyCertificates>,
    file_signatures: FileSignatures,
    records: RenewalRecords,
    /// «Обновить сертификат» asked before a login: the certificate's id, renewed once logged in.
    renew_after_login: Mutex<Option<String>>,
}

impl std::fmt::Debug for Renewal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renewal")
            .field("endpoint", &self.endpoint)
            .field("step", &self.step())
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
        (FlowStep::Key { .. }, _) => Stage::Key,
        (FlowStep::Identity { .. }, _) => Stage::Identity,
        (FlowStep::Install { .. } | FlowStep::Done { .. }, _) => Stage::Install,
        _ => Stage::Application,
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere while holding one of these cannot leave them half-updated (each holds
    // a value replaced whole), so a poisoned lock is still good to use.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether an answer settles an intent: the CA answered (yes or no). A lost answer, a timeout,
/// a cancel, or the CA still running the first attempt leave the key for the repeat.
fn settles<T>(result: &Result<T, RenewalError>) -> bool {
    result.as_ref().err().is_none_or(RenewalError::settles)
}

async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, RenewalError> + Send + 'static,
) -> Result<T, RenewalError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| RenewalError::Worker(e.to_string()))?
}

impl Renewal {
    /// Opens the renewal with the CA at `endpoint`: the flow from `data_dir`, the session from
    /// `vault` (checked on the next [`view`](Self::view)); keys in `data_dir/keys`, tokens
    /// through the known PKCS#11 modules, PINs remembered in the OS keyring, default deadlines.
    pub fn open(
        endpoint: CaEndpoint,
        data_dir: &Path,
        vault: Arc<dyn TokenVault>,
    ) -> Result<Self, RenewalError> {
        let keys = KeyPlaces::new(data_dir.join("keys"), None, Arc::new(KeyringPins));
        Self::open_with(
            endpoint,
            data_dir,
            vault,
            Arc::new(keys),
            Deadlines::default(),
        )
    }

    /// [`open`](Self::open) with the key places and deadlines given.
    pub fn open_with(
        endpoint: CaEndpoint,
        data_dir: &Path,
        vault: Arc<dyn TokenVault>,
        keys: Arc<KeyPlaces>,
        deadlines: Deadlines,
    ) -> Result<Self, RenewalError> {
        let file = FlowFile::new(data_dir);
        let draft = DraftFile::new(data_dir);
        let mut flow = file.load();
        let mut client = CaClient::with_connect_timeout(endpoint.clone(), deadlines.connect)?;
        let status = StatusClient::new(StatusLimits::default(), endpoint.extra_roots())
            .map_err(|e| CaError::Setup(e.to_string()))?;
        let home = Arc::new(MyCertificates::new(
            keys.clone(),
            data_dir,
            endpoint.clone(),
            Arc::new(status),
        )?);
        let file_signatures = FileSignatures::new(home.clone());
        match vault.load(&endpoint) {
            Some(token) => client = client.with_token(token),
            // No kept session: whatever step the user was at waits behind a new login.
            None if flow.step != FlowStep::Login => flow = flow.on(FlowEvent::LoggedOut),
            None => {}
        }
        Ok(Self {
            endpoint,
            deadlines,
            actions: Actions::default(),
            session: RwLock::new(Session {
                client,
                generation: 0,
            }),
            flow: Mutex::new(flow),
            file,
            draft,
            vault,
            session_kept: AtomicBool::new(true),
            polled: Mutex::new(None),
            keys,
            sensor: Mutex::new(EntropyPool::new()),
            home,
            file_signatures,
            records: RenewalRecords::new(data_dir),
            renew_after_login: Mutex::new(None),
        })
    }

    /// The current step.
    pub fn step(&self) -> FlowStep {
        lock(&self.flow).step.clone()
    }

    /// Whether no renewal is under way: logged out, with no step waiting behind a new login
    /// (the settings switch the CA only then).
    pub fn at_rest(&self) -> bool {
        let flow = lock(&self.flow);
        flow.step == FlowStep::Login && flow.resume.is_none()
    }

    /// The deadlines in force.
    pub fn deadlines(&self) -> Deadlines {
        self.deadlines
    }

    /// Cancels the action running now («Отменить»): it answers `cancelled` at once. What the CA
    /// already did stays done, and the repeat is recognised as the same action.
    pub fn cancel(&self) {
        self.actions.cancel_all();
    }

    fn snapshot(&self) -> (CaClient, u64) {
        let session = self
            .session
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        (session.client.clone(), session.generation)
    }

    fn generation(&self) -> u64 {
        self.snapshot().1
    }

    fn deadline(&self) -> Instant {
        Instant::now() + self.deadlines.call
    }

    /// Moves the flow by `f` and saves it; the lock is held for the file write only.
    fn update(&self, f: impl FnOnce(&Flow) -> Flow) -> Result<(), RenewalError> {
        let mut flow = lock(&self.flow);
        let next = f(&flow);
        if next != *flow {
            if next.step != flow.step {
                tracing::info!(step = ?next.step, "flow step");
            }
            self.file.save(&next).map_err(RenewalError::FlowNotSaved)?;
            *flow = next;
        }
        Ok(())
    }

    fn apply(&self, event: FlowEvent) -> Result<(), RenewalError> {
        self.update(|flow| flow.on(event))
    }

    /// Applies `event` only if the session the answer came from is still the current one.
    fn apply_in(&self, generation: u64, event: FlowEvent) -> Result<(), RenewalError> {
        if self.generation() != generation {
            return Err(Interrupted::Cancelled.into());
        }
        self.apply(event)
    }

    /// Ends the session `generation` here (the CA said it ended): the vault is cleared and the
    /// flow waits at the login, remembering the step.
    fn end_session(&self, generation: u64) -> Result<(), RenewalError> {
        {
            let mut session = self
                .session
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if session.generation != generation {
                return Ok(());
            }
            session.client = session.client.without_token();
            session.generation += 1;
        }
        self.vault.clear(&self.endpoint);
        *lock(&self.polled) = None;
        self.apply(FlowEvent::LoggedOut)
    }

    /// Runs CA calls until `deadline` (or a cancel); an ended session becomes the login step.
    async fn network<T>(
        &self,
        deadline: Instant,
        generation: u64,
        work: impl Future<Output = Result<T, CaError>>,
    ) -> Result<T, RenewalError> {
        match self
            .actions
            .until(deadline, async { work.await.map_err(RenewalError::Ca) })
            .await
        {
            Err(RenewalError::Ca(e)) if e.session_ended() => {
                self.end_session(generation)?;
                Err(RenewalError::SessionExpired)
            }
            other => other,
        }
    }

    /// A state-changing POST of `intent`: its idempotency key (kept in the flow until the CA
    /// answers), the call made with it, bounded by `deadline`. Answers the value and the
    /// session's generation.
    async fn post<T, F>(
        &self,
        intent: &str,
        deadline: Instant,
        call: impl FnOnce(CaClient) -> F,
    ) -> Result<(T, u64), RenewalError>
    where
        F: Future<Output = Result<T, CaError>>,
    {
        let fresh = new_idempotency_key()?;
        let mut key = String::new();
        self.update(|flow| {
            let (next, kept) = flow.with_intent(intent, move || fresh);
            key = kept;
            next
        })?;
        let (client, generation) = self.snapshot();
        let answer = self
            .network(deadline, generation, call(client.keyed(&key)))
            .await;
        if settles(&answer) {
            self.update(|flow| flow.without_intent(intent))?;
        }
        Ok((answer?, generation))
    }

    fn current_application(&self) -> Result<i64, RenewalError> {
        application_of(&self.step()).ok_or(RenewalError::NoApplication)
    }

    /// The current application's id.
    pub fn application_id(&self) -> Result<i64, RenewalError> {
        self.current_application()
    }

    fn login_view(&self) -> WizardView {
        WizardView {
            step: FlowStep::Login,
            stage: Stage::Application,
            applications: Vec::new(),
            application: None,
            session_kept: self.session_kept.load(Ordering::Relaxed),
            draft: None,
        }
    }

    /// What the UI shows now, read fresh from the CA.
    pub async fn view(&self) -> Result<WizardView, RenewalError> {
        self.view_until(self.deadline()).await
    }

    async fn view_until(&self, deadline: Instant) -> Result<WizardView, RenewalError> {
        let (client, generation) = self.snapshot();
        let step = self.step();
        let (applications, application) = match (&step, application_of(&step)) {
            (FlowStep::Login, _) => return Ok(self.login_view()),
            (_, None) => {
                let list = self
                    .network(deadline, generation, client.applications())
                    .await?;
                (list, None)
            }
            (_, Some(id)) => {
                let one = self
                    .network(deadline, generation, client.application(id, None))
                    .await?;
                match one {
                    Polled::Changed { value, etag } => {
                        *lock(&self.polled) = Some(Seen {
                            id,
                            etag,
                            status: value.status,
                        });
                        self.apply_in(generation, FlowEvent::StatusSeen(value.status))?;
                        (Vec::new(), Some(value))
                    }
                    Polled::NotModified => (Vec::new(), None),
                }
            }
        };
        let step = self.step();
        let draft = match &step {
            FlowStep::Requisites { application_id } => self.draft.load(*application_id),
            _ => None,
        };
        Ok(WizardView {
            stage: stage_of(&step, application.as_ref().map(|a| a.status)),
            step,
            applications,
            application,
            session_kept: self.session_kept.load(Ordering::Relaxed),
            draft,
        })
    }

    /// «Получить код для входа». Repeated after a lost answer, the CA does not call twice.
    pub async fn request_code(&self, phone: &str) -> Result<CodeRequested, RenewalError> {
        let intent = format!("code:{phone}");
        let (answer, _) = self
            .post(&intent, self.deadline(), |client| async move {
                client.request_code(phone).await
            })
            .await?;
        Ok(answer)
    }

    /// The four digits: a session, kept in the vault; lands where the user was, or at the list.
    /// (Not keyed: the CA spends the code, and a session token is never kept for a replay.)
    pub async fn verify_code(&self, phone: &str, code: &str) -> Result<WizardView, RenewalError> {
        let deadline = self.deadline();
        let (client, _) = self.snapshot();
        let (client, session) = self
            .actions
            .until(deadline, async {
                client
                    .verify_code(phone, code)
                    .await
                    .map_err(RenewalError::Ca)
            })
            .await?;
        let kept = self.vault.store(&self.endpoint, &session.token);
        self.session_kept.store(kept, Ordering::Relaxed);
        {
            let mut current = self
                .session
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            current.client = client;
            current.generation += 1;
        }
        self.apply(FlowEvent::LoggedIn)?;
        let asked = lock(&self.renew_after_login).take();
        if let Some(id) = asked {
            match self.renew_now(&id, deadline).await {
                Ok(view) => return Ok(view),
                // The login itself succeeded: the person is at the list, the sentence logged.
                Err(error) => {
                    tracing::warn!(%error, "the renewal asked before the login did not open")
                }
            }
        }
        self.view_until(deadline).await
    }

    /// «Обновить сертификат» on the home's certificate `id`: once logged in (asked for first,
    /// and remembered meanwhile), the CA opens the application renewing it (pre-filled) — or a
    /// new one when this CA did not issue it — and the wizard goes to its requisites.
    pub async fn renew_certificate(&self, id: &str) -> Result<WizardView, RenewalError> {
        // The id must name a certificate present now, logged in or not.
        self.home.der(id).await?;
        if !self.snapshot().0.has_session() {
            *lock(&self.renew_after_login) = Some(id.to_owned());
            return Ok(self.login_view());
        }
        self.renew_now(id, self.deadline()).await
    }

    async fn renew_now(&self, id: &str, deadline: Instant) -> Result<WizardView, RenewalError> {
        let der = self.home.der(id).await?;
        let (client, generation) = self.snapshot();
        let application = self
            .network(deadline, generation, client.renew(der))
            .await?;
        self.apply_in(generation, FlowEvent::Chosen(application.id))?;
        // One already sent goes to the step its status is at; one being filled in, to its
        // requisites.
        self.apply_in(generation, FlowEvent::StatusSeen(application.status))?;
        if matches!(self.step(), FlowStep::Overview { .. }) {
            self.apply_in(generation, FlowEvent::Started)?;
        }
        self.view_until(deadline).await
    }

    /// «Заполнить заявку» on an application.
    pub async fn choose(&self, application_id: i64) -> Result<WizardView, RenewalError> {
        self.apply(FlowEvent::Chosen(application_id))?;
        self.view().await
    }

    /// «Приступить».
    pub async fn start(&self) -> Result<WizardView, RenewalError> {
        self.apply(FlowEvent::Started)?;
        self.view().await
    }

    /// Back to the list of applications.
    pub async fn back_to_list(&self) -> Result<WizardView, RenewalError> {
        self.apply(FlowEvent::BackToList)?;
        self.view().await
    }

    /// Back from the documents (or the statement) to the requisites.
    pub async fn edit_requisites(&self) -> Result<WizardView, RenewalError> {
        self.apply(FlowEvent::EditRequisites)?;
        self.view().await
    }

    /// Keeps the requisites as typed so far (any, valid or not) for the current application.
    pub fn save_draft(&self, input: &RequisitesInput) -> Result<(), RenewalError> {
        let id = self.current_application()?;
        self.draft
            .save(id, input)
            .map_err(RenewalError::DraftNotSaved)
    }

    /// «Продолжить» on the requisites: saved at the CA (which validates them again).
    pub async fn save_requisites(
        &self,
        input: &RequisitesInput,
    ) -> Result<WizardView, RenewalError> {
        let id = self.current_application()?;
        let deadline = self.deadline();
        let (client, generation) = self.snapshot();
        let saved = self
            .network(deadline, generation, client.save_requisites(id, input))
            .await?;
        self.draft.clear();
        if saved.status == ApplicationStatus::InReview {
            // Edited after approval: the CA took it back for review at once.
            self.apply_in(generation, FlowEvent::Submitted(saved.status))?;
        } else {
            self.apply_in(generation, FlowEvent::RequisitesSaved)?;
        }
        self.view_until(deadline).await
    }

    /// «Отправить заявку»: the CA checks СНИЛС/ИНН and either takes it for review or asks for
    /// scans.
    pub async fn submit(&self) -> Result<WizardView, RenewalError> {
        let id = self.current_application()?;
        let deadline = self.deadline();
        let (view, generation) = self
            .post(&format!("submit:{id}"), deadline, |client| async move {
                client.submit(id).await
            })
            .await?;
        self.apply_in(generation, FlowEvent::Submitted(view.status))?;
        self.view_until(deadline).await
    }

    /// Uploads a scan to the current application, with a deadline for its size. The same bytes
    /// as the same kind again after a lost answer are kept once by the CA.
    pub async fn upload(
        &self,
        kind: DocumentKind,
        bytes: Vec<u8>,
        progress: Arc<dyn Fn(u64, u64) + Send + Sync>,
    ) -> Result<DocumentInfo, RenewalError> {
        let id = self.current_application()?;
        let deadline = Instant::now() + self.deadlines.upload(bytes.len());
        let digest = ring::digest::digest(&ring::digest::SHA256, &bytes);
        let fingerprint: String = digest.as_ref()[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let kind_name = serde_json::to_value(kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let intent = format!("upload:{id}:{kind_name}:{fingerprint}");
        let (info, _) = self
            .post(&intent, deadline, |client| async move {
                client.upload_with_progress(id, kind, bytes, progress).await
            })
            .await?;
        Ok(info)
    }

    /// Removes an uploaded document (one already gone counts as removed).
    pub async fn delete_document(&self, document_id: i64) -> Result<WizardView, RenewalError> {
        let id = self.current_application()?;
        let deadline = self.deadline();
        let (client, generation) = self.snapshot();
        match self
            .network(
                deadline,
                generation,
                client.delete_document(id, document_id),
            )
            .await
        {
            Ok(()) => {}
            Err(RenewalError::Ca(e))
                if e.refused_as() == Some(kep_protocol::ErrorKind::NotFound) => {}
            Err(e) => return Err(e),
        }
        self.view_until(deadline).await
    }

    /// «Продолжить» on the approved application: on to the statement.
    pub async fn proceed_to_issuance(&self) -> Result<WizardView, RenewalError> {
        self.apply(FlowEvent::ProceedToIssuance)?;
        self.view().await
    }

    /// The statement PDF as the CA stored it (the blank to print, or the bytes to sign).
    pub async fn statement_pdf(&self) -> Result<Vec<u8>, RenewalError> {
        self.statement_pdf_until(self.deadline()).await
    }

    async fn statement_pdf_until(&self, deadline: Instant) -> Result<Vec<u8>, RenewalError> {
        let id = self.current_application()?;
        let (client, generation) = self.snapshot();
        self.network(deadline, generation, client.statement_pdf(id))
            .await
    }

    /// The certificates in the computer key store and on the tokens present that could sign the
    /// statement, judged against the application, their issuers' statuses and the CA's CRL;
    /// usable ones first.
    pub async fn signing_certificates(&self) -> Result<Vec<SigningCertificate>, RenewalError> {
        let deadline = self.deadline();
        let view = self.view_until(deadline).await?;
        let requisites = view
            .application
            .and_then(|a| a.requisites)
            .ok_or(RenewalError::NoApplication)?;
        let revoked: Vec<String> = self
            .home
            .list()
            .await?
            .into_iter()
            .filter(|c| {
                matches!(
                    c.status,
                    CertificateStatus::Revoked { .. } | CertificateStatus::Superseded { .. }
                )
            })
            .map(|c| c.id)
            .collect();
        let (client, generation) = self.snapshot();
        let crl = self
            .network(deadline, generation, client.issuing_crl())
            .await
            .ok();
        let keys = self.keys.clone();
        off_runtime(move || {
            let module = keys.module().ok();
            Ok(crate::current_certificates::gather(
                keys.key_store(),
                module.as_ref(),
                &requisites,
                &revoked,
                crl.as_deref(),
                std::time::SystemTime::now(),
            ))
        })
        .await
    }

    /// «Мои сертификаты»: the home's certificates, statuses and actions.
    pub fn home(&self) -> &MyCertificates {
        &self.home
    }

    /// Signing files and checking signatures with the home's certificates.
    pub fn file_signatures(&self) -> &FileSignatures {
        &self.file_signatures
    }

    /// Path (a): signs the stored statement with the candidate `candidate_id` (from
    /// [`signing_certificates`](Self::signing_certificates)) opened with `secret` — the
    /// container password, or the token's PIN — and sends the signature.
    pub async fn sign_statement_with(
        &self,
        candidate_id: &str,
        secret: Zeroizing<String>,
    ) -> Result<WizardView, RenewalError> {
        let candidate: CandidateId = candidate_id.parse()?;
        let deadline = self.deadline();
        let pdf = self.statement_pdf_until(deadline).await?;
        let keys = self.keys.clone();
        let cms = off_runtime(move || {
            let now = std::time::SystemTime::now();
            match candidate {
                CandidateId::Computer { name } => {
                    let (signer, certificate) =
                        crate::computer_key::signer(keys.key_store(), &name, &secret)?;
                    sign_cms(&pdf, &signer, &certificate, now)
                }
                CandidateId::Token { serial, key_id } => {
                    let pin = kep_token::Pin::new(secret.as_str());
                    let (signer, certificate) =
                        crate::token_key::signer(&keys.module()?, &serial, &key_id, pin)?;
                    sign_cms(&pdf, &signer, &certificate, now)
                }
            }
        })
        .await?;
        self.send_signature(cms, deadline).await
    }

    /// Path (a) with a signer at hand: signs the stored statement with `signer` (the current
    /// КЭП, whose certificate is `certificate`) and sends the signature.
    pub async fn sign_statement(
        &self,
        signer: &dyn kep_pki::signer::KeySigner,
        certificate: &[u8],
    ) -> Result<WizardView, RenewalError> {
        let deadline = self.deadline();
        let pdf = self.statement_pdf_until(deadline).await?;
        let cms = sign_cms(&pdf, signer, certificate, std::time::SystemTime::now())?;
        self.send_signature(cms, deadline).await
    }

    async fn send_signature(
        &self,
        cms: Vec<u8>,
        deadline: Instant,
    ) -> Result<WizardView, RenewalError> {
        let id = self.current_application()?;
        // For the renewal's record (the CA keeps only the signature's hash).
        if let Err(error) = self.records.keep_signature(id, &cms) {
            tracing::warn!(%error, "the statement's signature was not kept for the record");
        }
        self.post(&format!("signature:{id}"), deadline, |client| async move {
            client.sign_statement(id, cms).await
        })
        .await?;
        self.view_until(deadline).await
    }

    /// The CA's CRL (to tell the user which of their certificates it no longer accepts).
    pub async fn issuing_crl(&self) -> Result<Vec<u8>, RenewalError> {
        let (client, generation) = self.snapshot();
        self.network(self.deadline(), generation, client.issuing_crl())
            .await
    }

    /// Path (b): the uploaded scan of the hand-signed statement goes to the operator.
    pub async fn submit_statement_scan(&self) -> Result<WizardView, RenewalError> {
        let id = self.current_application()?;
        let deadline = self.deadline();
        self.post(&format!("scan:{id}"), deadline, |client| async move {
            client.submit_statement_scan(id).await
        })
        .await?;
        self.view_until(deadline).await
    }

    /// «Продолжить» once the statement is accepted: on to the key.
    pub async fn proceed_to_key(&self) -> Result<WizardView, RenewalError> {
        self.apply(FlowEvent::ProceedToKey)?;
        self.view().await
    }

    /// The approved requisites of the current application (what the request is made for; the CA
    /// issues from its own copy anyway).
    pub async fn approved_requisites(&self) -> Result<kep_pki::Requisites, RenewalError> {
        self.approved_requisites_until(self.deadline()).await
    }

    async fn approved_requisites_until(
        &self,
        deadline: Instant,
    ) -> Result<kep_pki::Requisites, RenewalError> {
        let view = self.view_until(deadline).await?;
        let input = view
            .application
            .and_then(|a| a.requisites)
            .ok_or(RenewalError::NoApplication)?;
        input
            .validate(time::OffsetDateTime::now_utc().date())
            .map_err(|errors| RenewalError::FixRequisites(errors.iter().map(|e| e.field).collect()))
    }

    /// A batch of the random-number sensor's events; answers how full the pool is.
    pub fn sensor_events(&self, samples: &[SensorSample]) -> Result<SensorProgress, RenewalError> {
        // The UI sends a batch every 100 ms; anything far larger is not a person moving a mouse.
        if samples.len() > 10_000 {
            return Err(RenewalError::SensorFlood);
        }
        let events: Vec<SensorEvent> = samples
            .iter()
            .map(|s| SensorEvent {
                x: s.x,
                y: s.y,
                key: s.key,
                t_us: (s.t_ms.max(0.0) * 1000.0) as u64,
            })
            .collect();
        let mut pool = lock(&self.sensor);
        let progress = pool.add_batch(&events);
        Ok(SensorProgress {
            percent: progress.percent,
            full: pool.is_full(),
        })
    }

    /// The tokens present now (an empty list when no token driver or no token is found).
    pub async fn tokens(&self) -> Result<Vec<TokenChoice>, RenewalError> {
        let keys = self.keys.clone();
        off_runtime(move || match keys.module() {
            Ok(module) => Ok(crate::token_key::list(&module)?),
            Err(_) => Ok(Vec::new()),
        })
        .await
    }

    /// Stage 4: makes the key pair (on this computer or on the token, from the full sensor pool)
    /// and sends the certificate request. One sensor run seeds one key: the pool starts empty
    /// again once a key is made (a failed attempt — a wrong PIN, say — made none and keeps it).
    pub async fn create_key_and_request(&self, key: NewKey) -> Result<WizardView, RenewalError> {
        let seed = {
            let pool = lock(&self.sensor);
            if !pool.is_full() {
                return Err(RenewalError::SensorNotFull);
            }
            pool.seed()
                .map_err(|e| RenewalError::SensorSeed(e.to_string()))?
        };
        let id = self.current_application()?;
        let deadline = self.deadline();
        let requisites = self.approved_requisites_until(deadline).await?;
        let keys = self.keys.clone();
        let (request, storage) = off_runtime(move || {
            let dir = keys.key_store();
            match key {
                NewKey::Computer { password, length } => {
                    let password = Zeroizing::new(password);
                    check_password(&password)?;
                    let home = ComputerHome::new(dir, Some(password)).with_length(length);
                    let der = new_key::certificate_request(dir, id, &home, &seed, &requisites)?;
                    Ok((der, home.storage()))
                }
                NewKey::Token {
                    serial,
                    pin,
                    remember,
                    length,
                } => {
                    let pin = kep_token::Pin::new(pin);
                    let home = TokenHome::new(keys.module()?, serial.clone(), pin.clone())
                        .with_length(length);
                    let der = new_key::certificate_request(dir, id, &home, &seed, &requisites)?;
                    if remember {
                        // Without a keyring the PIN is simply asked again at installation.
                        keys.pins().remember(&serial, &pin);
                    }
                    Ok((der, home.storage()))
                }
            }
        })
        .await?;
        *lock(&self.sensor) = EntropyPool::new();
        self.send_request_until(request, storage, deadline).await
    }

    /// Stage 4: sends the certificate request for a key kept in `storage`.
    pub async fn send_request(
        &self,
        der: Vec<u8>,
        storage: KeyStorageKind,
    ) -> Result<WizardView, RenewalError> {
        self.send_request_until(der, storage, self.deadline()).await
    }

    async fn send_request_until(
        &self,
        der: Vec<u8>,
        storage: KeyStorageKind,
        deadline: Instant,
    ) -> Result<WizardView, RenewalError> {
        let id = self.current_application()?;
        let (view, generation) = self
            .post(&format!("request:{id}"), deadline, |client| async move {
                client.send_request(id, der, storage).await
            })
            .await?;
        self.apply_in(generation, FlowEvent::StatusSeen(view.status))?;
        self.view_until(deadline).await
    }

    /// Where the certificate will go (asked before showing «Установить сертификат»).
    pub async fn install_target(&self) -> Result<InstallTarget, RenewalError> {
        let id = self.current_application()?;
        let keys = self.keys.clone();
        off_runtime(move || {
            Ok(match new_key::place_of(keys.key_store(), id) {
                Some(Place::Token { serial, .. }) => InstallTarget {
                    pin_remembered: keys.pins().recall(&serial).is_some(),
                    token: Some(serial),
                },
                _ => InstallTarget {
                    token: None,
                    pin_remembered: false,
                },
            })
        })
        .await
    }

    /// Stage 6: the issued certificate (DER).
    pub async fn issued_certificate(&self) -> Result<Vec<u8>, RenewalError> {
        let id = self.current_application()?;
        let (client, generation) = self.snapshot();
        self.network(self.deadline(), generation, client.certificate(id))
            .await
    }

    /// Stage 6: downloads the issued certificate, checks it is for the key made here, writes it
    /// next to that key (on the token with `pin`, kept for next time if `remember`, or with the
    /// remembered PIN — forgotten at once if the token refuses it, so that repeating it can never
    /// lock the token; or in the key store), and tells the CA. Repeating it after a quit or a
    /// lost answer is harmless.
    pub async fn install_certificate(
        &self,
        pin: Option<Zeroizing<String>>,
        remember: bool,
    ) -> Result<WizardView, RenewalError> {
        let id = self.current_application()?;
        let deadline = self.deadline();
        let (client, generation) = self.snapshot();
        let der = self
            .network(deadline, generation, client.certificate(id))
            .await?;
        let keys = self.keys.clone();
        off_runtime(move || {
            let dir = keys.key_store();
            match new_key::place_of(dir, id) {
                Some(Place::Token { serial, .. }) => {
                    let (pin, recalled) = match pin {
                        Some(pin) => (kep_token::Pin::new(pin.as_str()), false),
                        None => (
                            keys.pins().recall(&serial).ok_or(RenewalError::PinNeeded)?,
                            true,
                        ),
                    };
                    let home = TokenHome::new(keys.module()?, serial.clone(), pin.clone());
                    match new_key::install(dir, id, &home, &der) {
                        Ok(()) => {
                            if remember && !recalled {
                                // Without a keyring the PIN is simply asked again next time.
                                keys.pins().remember(&serial, &pin);
                            }
                            Ok(())
                        }
                        Err(KeyError::Token(
                            refused @ (kep_token::TokenError::PinIncorrect { .. }
                            | kep_token::TokenError::PinInvalid),
                        )) if recalled => {
                            keys.pins().forget(&serial);
                            Err(RenewalError::RememberedPinRefused(refused))
                        }
                        Err(e) => Err(e.into()),
                    }
                }
                Some(Place::Computer { .. }) => Ok(new_key::install(
                    dir,
                    id,
                    &ComputerHome::new(dir, None),
                    &der,
                )?),
                None => Err(KeyError::NotRecorded.into()),
            }
        })
        .await?;
        self.installed_until(deadline).await
    }

    /// Stage 6 done: tells the CA the certificate is installed.
    pub async fn installed(&self) -> Result<WizardView, RenewalError> {
        self.installed_until(self.deadline()).await
    }

    async fn installed_until(&self, deadline: Instant) -> Result<WizardView, RenewalError> {
        let id = self.current_application()?;
        let (view, generation) = self
            .post(&format!("installed:{id}"), deadline, |client| async move {
                client.installed(id).await
            })
            .await?;
        self.apply_in(generation, FlowEvent::StatusSeen(view.status))?;
        self.home.status_client().forget();
        if let Err(error) = self.keep_record(&view, deadline).await {
            // The certificate is installed either way; only the record is missing.
            tracing::warn!(%error, "the renewal's record was not kept");
        }
        self.view_until(deadline).await
    }

    /// The renewal's record: the certificate, the chain, the statement and its signature or
    /// scan, from the CA and from what was kept at signing.
    async fn keep_record(
        &self,
        application: &kep_protocol::application::ApplicationView,
        deadline: Instant,
    ) -> Result<(), RenewalError> {
        let id = application.id;
        let (client, generation) = self.snapshot();
        let certificate = self
            .network(deadline, generation, client.certificate(id))
            .await?;
        let chain = self
            .network(deadline, generation, client.certificate_chain(id))
            .await?;
        let statement = self
            .network(deadline, generation, client.statement_pdf(id))
            .await?;
        let scan = match application
            .documents
            .iter()
            .rev()
            .find(|d| d.kind == DocumentKind::SignedStatementScan)
        {
            Some(doc) => {
                let bytes = self
                    .network(deadline, generation, client.document(id, doc.id))
                    .await?;
                let extension = match doc.media_type.as_str() {
                    "application/pdf" => "pdf",
                    "image/png" => "png",
                    _ => "jpg",
                };
                Some((bytes, extension))
            }
            None => None,
        };
        let records = self.records.clone();
        off_runtime(move || {
            records
                .complete(
                    id,
                    &certificate,
                    &chain,
                    &statement,
                    scan.as_ref().map(|(b, e)| (b.as_slice(), *e)),
                )
                .map_err(|e| RenewalError::Worker(format!("the record: {e}")))
        })
        .await
    }

    /// «Выйти», at once: the session ends here first (vault, draft, flow; whatever still runs is
    /// cancelled), and the CA is told in the background.
    pub fn logout(&self) -> Result<WizardView, RenewalError> {
        let ended = {
            let mut session = self
                .session
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let ended = session.client.clone();
            session.client = ended.without_token();
            session.generation += 1;
            ended
        };
        self.actions.cancel_all();
        self.vault.clear(&self.endpoint);
        self.draft.clear();
        *lock(&self.polled) = None;
        // The keys of unanswered actions stay: after the next login their repeat is still
        // recognised by the CA.
        self.update(|flow| Flow {
            intents: flow.intents.clone(),
            ..Flow::default()
        })?;
        if ended.has_session()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            let budget = self.deadlines.call;
            runtime.spawn(async move {
                // The CA may already have forgotten the session, or be unreachable: its
                // session then simply expires there.
                let _ = tokio::time::timeout(budget, ended.logout()).await;
            });
        }
        Ok(self.login_view())
    }

    /// One background poll (cheap: `If-None-Match`), bounded by the call deadline and never in
    /// the way of a command. Returns the change when the application's status moved; a request
    /// for documents moves the flow to the documents step, stages 4–6 follow the status.
    pub async fn poll(&self) -> Result<Option<StatusChange>, RenewalError> {
        let step = self.step();
        let Some(id) = application_of(&step) else {
            return Ok(None);
        };
        if matches!(step, FlowStep::Overview { .. } | FlowStep::Done { .. }) {
            return Ok(None);
        }
        let (client, generation) = self.snapshot();
        let (etag, before) = match lock(&self.polled).as_ref() {
            Some(seen) if seen.id == id => (Some(seen.etag.clone()), Some(seen.status)),
            _ => (None, None),
        };
        let polled =
            tokio::time::timeout(self.deadlines.call, client.application(id, etag.as_deref()))
                .await
                .map_err(Interrupted::from)?;
        let polled = match polled {
            Err(e) if e.session_ended() => {
                self.end_session(generation)?;
                return Err(RenewalError::SessionExpired);
            }
            other => other?,
        };
        let (value, etag) = match polled {
            Polled::NotModified => return Ok(None),
            Polled::Changed { value, etag } => (value, etag),
        };
        // A login, logout or another application since the poll began: this answer is stale.
        if self.generation() != generation || application_of(&self.step()) != Some(id) {
            return Ok(None);
        }
        let status = value.status;
        *lock(&self.polled) = Some(Seen { id, etag, status });
        if before.is_none() || before == Some(status) {
            return Ok(None);
        }
        if status == ApplicationStatus::DocumentsRequired
            && matches!(self.step(), FlowStep::Review { .. })
        {
            self.apply(FlowEvent::DocumentsRequested)?;
        }
        self.apply(FlowEvent::StatusSeen(status))?;
        let comment = value
            .timeline
            .last()
            .and_then(|e| e.comment.clone())
            .unwrap_or_default();
        let (title, body) = messages_ru::status_notification(status, &comment);
        let step = self.step();
        Ok(Some(StatusChange {
            status,
            title,
            body,
            view: WizardView {
                stage: stage_of(&step, Some(status)),
                step,
                applications: Vec::new(),
                application: Some(value),
                session_kept: self.session_kept.load(Ordering::Relaxed),
                draft: None,
            },
        }))
    }
}

fn sign_cms(
    pdf: &[u8],
    signer: &dyn kep_pki::signer::KeySigner,
    certificate: &[u8],
    now: std::time::SystemTime,
) -> Result<Vec<u8>, RenewalError> {
    kep_pki::cms_signature::sign_detached(pdf, signer, certificate, now)
        .map_err(|e| RenewalError::NotSigned(e.to_string()))
}
