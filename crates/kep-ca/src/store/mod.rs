//! The data layer. Handlers and services see only [`Store`]; SQLite implements it here, and a
//! PostgreSQL backend can implement the same trait without touching them.

mod migrations;
pub mod sqlite;

use std::future::Future;

/// A storage failure (the details go to the operator's log, not to clients).
#[derive(Debug, thiserror::Error)]
#[error("storage: {0}")]
pub struct StoreError(pub String);

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

/// An application row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationRow {
    /// Id.
    pub id: i64,
    /// Owner.
    pub applicant_id: i64,
    /// Status (snake_case wire name).
    pub status: String,
    /// Requisites as JSON (`RequisitesInput`).
    pub requisites: Option<String>,
    /// Bumped by every change: the ETag.
    pub version: i64,
}

/// A document row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    /// Id.
    pub id: i64,
    /// Kind (snake_case wire name).
    pub kind: String,
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
    pub status: String,
    /// Comment.
    pub comment: Option<String>,
}

/// Everything the service stores.
pub trait Store: Send + Sync + 'static {
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
        status: &str,
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
        status: Option<String>,
        event: Option<EventRow>,
        now: i64,
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

    /// Adds an operator; false when the login is taken.
    fn add_operator(
        &self,
        login: &str,
        password_phc: &str,
        now: i64,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// An operator's id and password hash.
    fn operator(
        &self,
        login: &str,
    ) -> impl Future<Output = Result<Option<(i64, String)>, StoreError>> + Send;

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

    /// Applications in `status`, oldest first (the review queue).
    fn applications_in(
        &self,
        status: &str,
    ) -> impl Future<Output = Result<Vec<ApplicationRow>, StoreError>> + Send;

    /// The phone of an applicant (for notifications).
    fn applicant_phone(
        &self,
        applicant_id: i64,
    ) -> impl Future<Output = Result<Option<String>, StoreError>> + Send;

    /// Appends to the audit log.
    fn audit(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        now: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}
