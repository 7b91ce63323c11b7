//! The data layer. Services see only [`Store`]: statuses and kinds cross it as enums
//! ([`kinds`]), failures as [`StoreError`]. SQLite ([`sqlite`]) is the embedded default;
//! PostgreSQL ([`postgres`]) the engine for several instances on one database; [`Database`] is
//! the one the configuration chose.

mod database;
pub mod kinds;
pub mod postgres;
mod postgres_schema;
pub mod sqlite;
mod sqlite_schema;
pub mod trust_store;

pub use database::{Database, DatabaseConfig};
use kep_pki::crl::RevocationReason;
use kep_pki::extensions::IdentificationKind;
use kep_protocol::application::{ApplicationStatus, DocumentKind, KeyStorageKind};
pub use kinds::{CertificateStatus, Column, NoticeChannel, OperatorRole};

use std::future::Future;

/// A storage failure (the details go to the operator's log, not to clients).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached (down, restarting, the network to it lost): nothing was
    /// written, and the same request can be repeated once it is back.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// The database refused or failed the statement.
    #[error("storage: {0}")]
    Failed(String),
    /// A stored value does not read back (a bug or a damaged database).
    #[error("a stored value does not read back: {0}")]
    Corrupt(String),
}

/// A login code as stored: the code itself only as a keyed hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginCode {
    /// Row id.
    pub id: i64,
    /// E.164 phone.
    pub phone: String,
    /// HMAC of the code under the service's secret.
    pub code_mac: Vec<u8>,
    /// When it was issued (Unix seconds).
    pub issued_at: i64,
    /// When it expires.
    pub expires_at: i64,
    /// Wrong tries so far.
    pub tries: u32,
    /// Used up (by success or by too many tries).
    pub spent: bool,
}

/// A session as stored: the token only as its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// The applicant it belongs to.
    pub applicant_id: i64,
    /// Created (Unix seconds).
    pub created_at: i64,
    /// Last used.
    pub last_seen: i64,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Its number (entries only grow).
    pub id: i64,
    /// When (Unix seconds).
    pub at: i64,
    /// Who: `operator:<id>`, `applicant:<id>`, `cli:<user>`, `system`.
    pub actor: String,
    /// What, e.g. `operator.login`, `application.approve`.
    pub action: String,
    /// On what: a login, an application number, a serial.
    pub subject: String,
}

/// Which audit entries to read: each given field must match exactly; newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this actor's.
    pub actor: Option<String>,
    /// Only this action.
    pub action: Option<String>,
    /// Only about this subject.
    pub subject: Option<String>,
    /// Only entries older than this id (the next page).
    pub before_id: Option<i64>,
    /// At most this many (1–1000).
    pub limit: i64,
}

/// An operator's account as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct OperatorAccount {
    /// Id.
    pub id: i64,
    /// Login.
    pub login: String,
    /// The argon2id hash of the password (PHC string).
    pub password_phc: String,
    /// Role.
    pub role: OperatorRole,
    /// Disabled: no sign-in, no session.
    pub disabled: bool,
    /// Wrong passwords or codes since the last success or lock-out.
    pub failed_logins: i64,
    /// Locked out until then (Unix seconds; 0: never locked).
    pub locked_until: i64,
    /// The TOTP secret, sealed under the service's key.
    pub totp_sealed: Option<Vec<u8>>,
    /// The operator confirmed the secret with a code (enrollment done).
    pub totp_enrolled: bool,
    /// The last TOTP time step accepted (each code is accepted once).
    pub totp_last_step: i64,
}

impl std::fmt::Debug for OperatorAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorAccount")
            .field("id", &self.id)
            .field("login", &self.login)
            .field("role", &self.role)
            .field("disabled", &self.disabled)
            .field("locked_until", &self.locked_until)
            .field("totp_enrolled", &self.totp_enrolled)
            .finish_non_exhaustive()
    }
}

/// An application row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationRow {
    /// Id.
    pub id: i64,
    /// Owner.
    pub applicant_id: i64,
    /// Status.
    pub status: ApplicationStatus,
    /// Requisites as JSON (`RequisitesInput`).
    pub requisites: Option<String>,
    /// Bumped by every change: the ETag.
    pub version: i64,
    /// The automatic check confirmed СНИЛС and ИНН in the registries.
    pub registry_confirmed: bool,
    /// SHA-256 of the statement PDF, once rendered.
    pub statement_sha256: Option<String>,
    /// SHA-256 of the accepted CMS signature over the statement.
    pub signature_sha256: Option<String>,
    /// How the applicant's identity was established so far (remotely with a КЭП, or in person).
    pub identification: Option<IdentificationKind>,
    /// The certificate (serial, hex) this application renews, when opened for one.
    pub renews_serial: Option<String>,
}

/// Fields of an application a transition may set (`None` leaves a field as it is).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplicationChanges {
    /// New requisites (JSON).
    pub requisites: Option<String>,
    /// Registry result.
    pub registry_confirmed: Option<bool>,
    /// The statement (Some(None) clears it).
    pub statement_sha256: Option<Option<String>>,
    /// The accepted signature (Some(None) clears it).
    pub signature_sha256: Option<Option<String>>,
    /// The identification kind (Some(None) clears it).
    pub identification: Option<Option<IdentificationKind>>,
}

/// A certificate request as recorded before anything is signed: the serial and start of
/// validity are chosen here, so an interrupted issuance finishes with the same certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRow {
    /// The application.
    pub application_id: i64,
    /// The PKCS#10 DER.
    pub der: Vec<u8>,
    /// SHA-256 (hex) of the DER: the identical request is recognised.
    pub request_sha256: String,
    /// SHA-256 (hex) of the SubjectPublicKeyInfo: a key is certified once.
    pub spki_sha256: String,
    /// Where the key is kept.
    pub storage: KeyStorageKind,
    /// The serial the certificate gets (hex).
    pub serial: String,
    /// notBefore (Unix seconds).
    pub not_before: i64,
}

/// An issued certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRow {
    /// Serial, hex (upper case).
    pub serial: String,
    /// Its owner.
    pub applicant_id: i64,
    /// The application it was issued on (none for certificates from before this service).
    pub application_id: Option<i64>,
    /// SHA-256 (hex) of its SubjectPublicKeyInfo.
    pub spki_sha256: String,
    /// DER.
    pub der: Vec<u8>,
    /// notAfter (Unix seconds).
    pub not_after: i64,
    /// IdentificationKind it carries.
    pub identification: IdentificationKind,
    /// Active, superseded or revoked.
    pub status: CertificateStatus,
    /// When revoked (or superseded), Unix seconds.
    pub revoked_at: Option<i64>,
    /// The CRL reason.
    pub reason: Option<RevocationReason>,
}

/// A signed CRL as stored, with what it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCrl {
    /// Its CRL number.
    pub number: i64,
    /// DER.
    pub der: Vec<u8>,
    /// SHA-256 (hex) of the revoked serials and statuses it lists.
    pub covered: String,
    /// When it was signed (Unix seconds).
    pub signed_at: i64,
}

/// The move of the application a certificate was issued on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedOn {
    /// The status it must be in.
    pub from: ApplicationStatus,
    /// The status it moves to.
    pub to: ApplicationStatus,
    /// The timeline's line.
    pub event: EventRow,
}

/// What recording a request found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestRecorded {
    /// Recorded; the application moved on.
    Recorded,
    /// The application was no longer in the expected state.
    WrongState,
    /// A request or certificate with this public key exists already.
    KeyKnown,
}

/// What claiming an idempotency key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyClaim {
    /// New (or abandoned by a crashed attempt): this request runs.
    Claimed,
    /// An earlier request with this key is still running.
    InProgress {
        /// The route it was claimed for.
        route: String,
    },
    /// An earlier request with this key completed: its answer.
    Completed(StoredAnswer),
}

/// The first answer to a request with an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// The route (method, path and query) it answered.
    pub route: String,
    /// HTTP status.
    pub status: u16,
    /// Content-Type.
    pub content_type: String,
    /// The body.
    pub body: Vec<u8>,
}

/// A document row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: DocumentKind,
    /// Media type.
    pub media_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256, hex: the file name in the document folder.
    pub sha256: String,
}

/// A timeline row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    /// Unix seconds.
    pub at: i64,
    /// Who.
    pub actor: String,
    /// Status moved to.
    pub status: ApplicationStatus,
    /// Comment.
    pub comment: Option<String>,
}

/// Everything the service stores (the list of accredited CAs included).
pub trait Store: trust_store::TrustStore + Send + Sync + 'static {
    /// Records an issued code and the address that asked for it.
    fn insert_code(
        &self,
        phone: &str,
        client: &str,
        code_mac: Vec<u8>,
        issued_at: i64,
        expires_at: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Issue times of the codes for `phone` since `since`, newest first.
    fn codes_for_phone_since(
        &self,
        phone: &str,
        since: i64,
    ) -> impl Future<Output = Result<Vec<i64>, StoreError>> + Send;

    /// Issue times of the codes requested from `client` since `since`, newest first.
    fn codes_for_client_since(
        &self,
        client: &str,
        since: i64,
    ) -> impl Future<Output = Result<Vec<i64>, StoreError>> + Send;

    /// The newest code for `phone`.
    fn latest_code(
        &self,
        phone: &str,
    ) -> impl Future<Output = Result<Option<LoginCode>, StoreError>> + Send;

    /// Counts a wrong try; marks the code spent when `spend`.
    fn record_wrong_try(
        &self,
        id: i64,
        spend: bool,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Marks a code used.
    fn spend_code(&self, id: i64) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The applicant with `phone`, created if new.
    fn applicant_for_phone(
        &self,
        phone: &str,
        now: i64,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;

    /// Stores a new session.
    fn insert_session(
        &self,
        token_hash: Vec<u8>,
        applicant_id: i64,
        now: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The session with this token hash.
    fn session(
        &self,
        token_hash: Vec<u8>,
    ) -> impl Future<Output = Result<Option<SessionRow>, StoreError>> + Send;

    /// The session with this token hash and, read with it, the version of application
    /// `application_id` if the session's applicant owns it.
    fn session_and_version(
        &self,
        token_hash: Vec<u8>,
        application_id: i64,
    ) -> impl Future<Output = Result<Option<(SessionRow, Option<i64>)>, StoreError>> + Send;

    /// Marks a session used now.
    fn touch_session(
        &self,
        token_hash: Vec<u8>,
        now: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Ends a session.
    fn delete_session(
        &self,
        token_hash: Vec<u8>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Creates an application in `status` for `applicant_id`.
    fn create_application(
        &self,
        applicant_id: i64,
        status: ApplicationStatus,
        now: i64,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;

    /// The applicant's applications.
    fn applications_of(
        &self,
        applicant_id: i64,
    ) -> impl Future<Output = Result<Vec<ApplicationRow>, StoreError>> + Send;

    /// One application.
    fn application(
        &self,
        id: i64,
    ) -> impl Future<Output = Result<Option<ApplicationRow>, StoreError>> + Send;

    /// Saves requisites and/or a status (None leaves it), bumping the version, and records the
    /// event when the status changes.
    fn update_application(
        &self,
        id: i64,
        requisites: Option<String>,
        status: Option<ApplicationStatus>,
        event: Option<EventRow>,
        now: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Records that application `id` renews the certificate `serial` (hex).
    fn set_renews_serial(
        &self,
        id: i64,
        serial: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The timeline.
    fn events(
        &self,
        application_id: i64,
    ) -> impl Future<Output = Result<Vec<EventRow>, StoreError>> + Send;

    /// Records a document of an application (bumps the application's version).
    fn add_document(
        &self,
        application_id: i64,
        doc: DocumentRow,
        now: i64,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;

    /// The application's documents.
    fn documents(
        &self,
        application_id: i64,
    ) -> impl Future<Output = Result<Vec<DocumentRow>, StoreError>> + Send;

    /// Removes a document; false when there was none (bumps the version when there was).
    fn delete_document(
        &self,
        application_id: i64,
        document_id: i64,
        now: i64,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Adds an operator with a role; false when the login is taken.
    fn add_operator(
        &self,
        login: &str,
        password_phc: &str,
        role: OperatorRole,
        now: i64,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// An operator's account, by login.
    fn operator_account(
        &self,
        login: &str,
    ) -> impl Future<Output = Result<Option<OperatorAccount>, StoreError>> + Send;

    /// An operator's account, by id.
    fn operator_by_id(
        &self,
        id: i64,
    ) -> impl Future<Output = Result<Option<OperatorAccount>, StoreError>> + Send;

    /// Ends an operator session (signing out).
    fn delete_operator_session(
        &self,
        token_hash: Vec<u8>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Counts a wrong password or code for operator `id`. The `lock_after`-th in a row locks the
    /// account until `locked_until` and starts the count again. Answers whether it is locked now.
    fn operator_login_failed(
        &self,
        id: i64,
        lock_after: i64,
        locked_until: i64,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// A successful sign-in: the count of wrong ones starts again.
    fn operator_login_succeeded(
        &self,
        id: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Disables or enables the account `login`; disabling ends its sessions. False: no such
    /// login.
    fn set_operator_disabled(
        &self,
        login: &str,
        disabled: bool,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Sets operator `id`'s sealed TOTP secret and whether it is enrolled. Removing the secret
    /// (a reset) ends the account's sessions.
    fn set_operator_totp(
        &self,
        id: i64,
        sealed: Option<Vec<u8>>,
        enrolled: bool,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Audit entries matching `filter`, newest first.
    fn audit_entries(
        &self,
        filter: &AuditFilter,
    ) -> impl Future<Output = Result<Vec<AuditEntry>, StoreError>> + Send;

    /// Takes TOTP time step `step` for operator `id`, unless it or a later one was taken: a
    /// code is accepted once. Answers whether it was taken now.
    fn take_totp_step(
        &self,
        id: i64,
        step: i64,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Stores an operator session.
    fn insert_operator_session(
        &self,
        token_hash: Vec<u8>,
        operator_id: i64,
        now: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// An operator session (`applicant_id` holds the operator's id).
    fn operator_session(
        &self,
        token_hash: Vec<u8>,
    ) -> impl Future<Output = Result<Option<SessionRow>, StoreError>> + Send;

    /// Marks an operator session used now.
    fn touch_operator_session(
        &self,
        token_hash: Vec<u8>,
        now: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Applications whose number is `id`, or whose requisites (as stored) or applicant's phone
    /// contain one of `texts`; the most recently changed first, at most `limit`.
    fn search_applications(
        &self,
        id: Option<i64>,
        texts: Vec<String>,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<ApplicationRow>, StoreError>> + Send;

    /// Applications in `status`, oldest first (the review queue).
    fn applications_in(
        &self,
        status: ApplicationStatus,
    ) -> impl Future<Output = Result<Vec<ApplicationRow>, StoreError>> + Send;

    /// The phone of an applicant (for notifications).
    fn applicant_phone(
        &self,
        applicant_id: i64,
    ) -> impl Future<Output = Result<Option<String>, StoreError>> + Send;

    /// Moves application `id` from one of `from` to `to` (compare-and-set: false when its status
    /// was none of them), applying `changes` and recording `event`, in one transaction.
    fn transition(
        &self,
        id: i64,
        from: Vec<ApplicationStatus>,
        to: ApplicationStatus,
        changes: ApplicationChanges,
        event: EventRow,
        now: i64,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Records a certificate request and moves the application from `from` to `to`, in one
    /// transaction, unless its key is known or the state changed.
    fn record_request(
        &self,
        request: RequestRow,
        from: ApplicationStatus,
        to: ApplicationStatus,
        event: EventRow,
        now: i64,
    ) -> impl Future<Output = Result<RequestRecorded, StoreError>> + Send;

    /// The request recorded for an application.
    fn request_of(
        &self,
        application_id: i64,
    ) -> impl Future<Output = Result<Option<RequestRow>, StoreError>> + Send;

    /// Records a certificate; issued on an application, also moves that application. False
    /// (and nothing written) when the application already has a certificate or was not in the
    /// expected state.
    fn record_certificate(
        &self,
        certificate: CertificateRow,
        issued_on: Option<IssuedOn>,
        now: i64,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// The certificate issued on an application.
    fn certificate_of(
        &self,
        application_id: i64,
    ) -> impl Future<Output = Result<Option<CertificateRow>, StoreError>> + Send;

    /// A certificate by serial (hex, upper case).
    fn certificate(
        &self,
        serial: &str,
    ) -> impl Future<Output = Result<Option<CertificateRow>, StoreError>> + Send;

    /// An applicant's certificates, oldest first.
    fn certificates_of(
        &self,
        applicant_id: i64,
    ) -> impl Future<Output = Result<Vec<CertificateRow>, StoreError>> + Send;

    /// Marks a certificate revoked or superseded; false when it was not active.
    fn revoke_certificate(
        &self,
        serial: &str,
        status: CertificateStatus,
        reason: RevocationReason,
        at: i64,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Every revoked or superseded certificate (for the CRL).
    fn revoked_certificates(
        &self,
    ) -> impl Future<Output = Result<Vec<CertificateRow>, StoreError>> + Send;

    /// Applications in `status` (any owner), oldest first, by id only.
    fn application_ids_in(
        &self,
        status: ApplicationStatus,
    ) -> impl Future<Output = Result<Vec<i64>, StoreError>> + Send;

    /// The next CRL number for `issuer` (1, 2, …), persisted.
    fn next_crl_number(&self, issuer: &str)
    -> impl Future<Output = Result<i64, StoreError>> + Send;

    /// The newest CRL stored for `issuer`.
    fn latest_crl(
        &self,
        issuer: &str,
    ) -> impl Future<Output = Result<Option<StoredCrl>, StoreError>> + Send;

    /// Stores `crl` as `issuer`'s newest unless one with a higher number is there already
    /// (false: another instance's newer CRL stands).
    fn store_crl(
        &self,
        issuer: &str,
        crl: StoredCrl,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// An operator's role.
    fn operator_role(
        &self,
        operator_id: i64,
    ) -> impl Future<Output = Result<Option<OperatorRole>, StoreError>> + Send;

    /// Appends to the audit log.
    fn audit(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        now: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Claims `key` in `scope` for `route` at `now`. Keys claimed before `expired_before` are
    /// forgotten first; an unfinished claim from before `abandoned_before` is taken over (its
    /// request died with its instance).
    fn claim_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        route: &str,
        now: i64,
        abandoned_before: i64,
        expired_before: i64,
    ) -> impl Future<Output = Result<IdempotencyClaim, StoreError>> + Send;

    /// Records the answer of the request that claimed `key`.
    fn complete_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        answer: StoredAnswer,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Gives `key` up (its request failed and changed nothing; the same key may run again).
    fn release_idempotency_key(
        &self,
        scope: &str,
        key: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Whether the database takes a write now (a write lock taken and given back).
    fn ping_writable(&self) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Puts a notification in the outbox, due at once; answers its id.
    fn enqueue_notice(
        &self,
        notice: NoticeRow,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;

    /// Takes up to `limit` notices due at `now` (not delivered, not given up) for delivery:
    /// each is leased until `lease_until`, so that another instance does not send it too.
    fn claim_due_notices(
        &self,
        now: i64,
        lease_until: i64,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<NoticeRow>, StoreError>> + Send;

    /// Records the attempt on notice `id`: delivered at `delivered_at`, or failed with `error`
    /// and due again at `next_at` (None: given up).
    fn record_notice_attempt(
        &self,
        id: i64,
        attempt: NoticeAttempt,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Notices neither delivered nor given up (for the operator and the metrics).
    fn pending_notices(&self) -> impl Future<Output = Result<i64, StoreError>> + Send;

    /// Keeps `bytes` under their SHA-256 (hex, lower case) `sha256`; storing the same bytes
    /// again changes nothing.
    fn put_blob(
        &self,
        sha256: String,
        bytes: Vec<u8>,
        now: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The bytes kept under `sha256`.
    fn blob(
        &self,
        sha256: String,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, StoreError>> + Send;

    /// Takes or renews the lease `name` for `holder` until `until`: true when `holder` holds
    /// it now (it was free, expired before `now`, or already its own). Background work runs
    /// only under its lease, so it runs on one instance at a time, and another takes over once
    /// a dead holder's lease runs out.
    fn take_lease(
        &self,
        name: &str,
        holder: &str,
        now: i64,
        until: i64,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
}

/// A notification in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRow {
    /// Row id (0 before it is stored).
    pub id: i64,
    /// The channel.
    pub channel: NoticeChannel,
    /// The phone (E.164) or the e-mail address.
    pub recipient: String,
    /// The subject (e-mail).
    pub subject: String,
    /// The text.
    pub body: String,
    /// Attempts made so far.
    pub tries: i64,
    /// When it was put in the outbox.
    pub created_at: i64,
}

/// The outcome of one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeAttempt {
    /// Delivered.
    Delivered {
        /// When.
        at: i64,
    },
    /// Not delivered; tried again at `next_at`, or never again (None).
    Failed {
        /// Why (for the operator; no personal data).
        error: String,
        /// When to try again.
        next_at: Option<i64>,
    },
}
