//! The database the configuration chose: SQLite (one instance, embedded) or PostgreSQL (any
//! number of instances on one database). The services are generic over [`Store`]; the service
//! state holds this one type, which hands every call to the backend chosen.

use super::postgres::{PostgresConfig, PostgresStore};
use super::sqlite::SqliteStore;
use super::{
    ApplicationChanges, ApplicationRow, AuditEntry, AuditFilter, CertificateRow, CertificateStatus,
    DocumentRow, EventRow, IdempotencyClaim, IssuedOn, LoginCode, NoticeAttempt, NoticeRow,
    OperatorAccount, OperatorRole, RequestRecorded, RequestRow, SessionRow, Store, StoreError,
    StoredAnswer, StoredCrl,
};
use kep_pki::crl::RevocationReason;
use kep_protocol::application::ApplicationStatus;
use std::path::PathBuf;

/// Which database, and where.
#[derive(Debug, Clone)]
pub enum DatabaseConfig {
    /// A SQLite file (one instance only: the file is this machine's).
    Sqlite(PathBuf),
    /// A PostgreSQL server.
    Postgres(PostgresConfig),
}

/// An open database of either kind.
#[derive(Debug, Clone)]
pub enum Database {
    /// SQLite.
    Sqlite(SqliteStore),
    /// PostgreSQL.
    Postgres(PostgresStore),
}

impl Database {
    /// Opens the database `config` names and brings its schema up to date.
    pub async fn open(config: &DatabaseConfig) -> Result<Self, StoreError> {
        Ok(match config {
            DatabaseConfig::Sqlite(path) => {
                let path = path.clone();
                Self::Sqlite(
                    tokio::task::spawn_blocking(move || SqliteStore::open(&path))
                        .await
                        .map_err(|e| StoreError::Failed(e.to_string()))??,
                )
            }
            DatabaseConfig::Postgres(config) => {
                Self::Postgres(PostgresStore::connect(config).await?)
            }
        })
    }

    /// The schema version the database is at.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        match self {
            Self::Sqlite(s) => s.schema_version(),
            Self::Postgres(s) => s.schema_version().await,
        }
    }

    /// How many schema versions this build knows for this kind of database.
    pub fn migrations_known(&self) -> usize {
        match self {
            Self::Sqlite(_) => SqliteStore::migrations_known(),
            Self::Postgres(_) => PostgresStore::migrations_known(),
        }
    }

    /// The engine's name, for logs and `/readyz`.
    pub fn engine(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }
}

/// Implements [`Store`] for [`Database`] by handing each call to the backend.
macro_rules! delegated {
    ($( fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $out:ty; )*) => {
        impl Store for Database {
            $(
                async fn $name(&self $(, $arg: $ty)*) -> Result<$out, StoreError> {
                    match self {
                        Self::Sqlite(s) => s.$name($($arg),*).await,
                        Self::Postgres(s) => s.$name($($arg),*).await,
                    }
                }
            )*
        }
    };
}

delegated! {
    fn insert_code(&self, phone: &str, client: &str, code_mac: Vec<u8>, issued_at: i64, expires_at: i64) -> ();
    fn codes_for_phone_since(&self, phone: &str, since: i64) -> Vec<i64>;
    fn codes_for_client_since(&self, client: &str, since: i64) -> Vec<i64>;
    fn latest_code(&self, phone: &str) -> Option<LoginCode>;
    fn record_wrong_try(&self, id: i64, spend: bool) -> ();
    fn spend_code(&self, id: i64) -> ();
    fn applicant_for_phone(&self, phone: &str, now: i64) -> i64;
    fn insert_session(&self, token_hash: Vec<u8>, applicant_id: i64, now: i64) -> ();
    fn session(&self, token_hash: Vec<u8>) -> Option<SessionRow>;
    fn session_and_version(&self, token_hash: Vec<u8>, application_id: i64) -> Option<(SessionRow, Option<i64>)>;
    fn touch_session(&self, token_hash: Vec<u8>, now: i64) -> ();
    fn delete_session(&self, token_hash: Vec<u8>) -> ();
    fn create_application(&self, applicant_id: i64, status: ApplicationStatus, now: i64) -> i64;
    fn applications_of(&self, applicant_id: i64) -> Vec<ApplicationRow>;
    fn application(&self, id: i64) -> Option<ApplicationRow>;
    fn update_application(&self, id: i64, requisites: Option<String>, status: Option<ApplicationStatus>, event: Option<EventRow>, now: i64) -> ();
    fn set_renews_serial(&self, id: i64, serial: &str) -> ();
    fn events(&self, application_id: i64) -> Vec<EventRow>;
    fn add_document(&self, application_id: i64, doc: DocumentRow, now: i64) -> i64;
    fn documents(&self, application_id: i64) -> Vec<DocumentRow>;
    fn delete_document(&self, application_id: i64, document_id: i64, now: i64) -> bool;
    fn add_operator(&self, login: &str, password_phc: &str, role: OperatorRole, now: i64) -> bool;
    fn operator_account(&self, login: &str) -> Option<OperatorAccount>;
    fn operator_by_id(&self, id: i64) -> Option<OperatorAccount>;
    fn search_applications(&self, id: Option<i64>, texts: Vec<String>, limit: i64) -> Vec<ApplicationRow>;
    fn delete_operator_session(&self, token_hash: Vec<u8>) -> ();
    fn operator_login_failed(&self, id: i64, lock_after: i64, locked_until: i64) -> bool;
    fn operator_login_succeeded(&self, id: i64) -> ();
    fn set_operator_disabled(&self, login: &str, disabled: bool) -> bool;
    fn set_operator_totp(&self, id: i64, sealed: Option<Vec<u8>>, enrolled: bool) -> ();
    fn take_totp_step(&self, id: i64, step: i64) -> bool;
    fn audit_entries(&self, filter: &AuditFilter) -> Vec<AuditEntry>;
    fn insert_operator_session(&self, token_hash: Vec<u8>, operator_id: i64, now: i64) -> ();
    fn operator_session(&self, token_hash: Vec<u8>) -> Option<SessionRow>;
    fn touch_operator_session(&self, token_hash: Vec<u8>, now: i64) -> ();
    fn applications_in(&self, status: ApplicationStatus) -> Vec<ApplicationRow>;
    fn applicant_phone(&self, applicant_id: i64) -> Option<String>;
    fn transition(&self, id: i64, from: Vec<ApplicationStatus>, to: ApplicationStatus, changes: ApplicationChanges, event: EventRow, now: i64) -> bool;
    fn record_request(&self, request: RequestRow, from: ApplicationStatus, to: ApplicationStatus, event: EventRow, now: i64) -> RequestRecorded;
    fn request_of(&self, application_id: i64) -> Option<RequestRow>;
    fn record_certificate(&self, certificate: CertificateRow, issued_on: Option<IssuedOn>, now: i64) -> bool;
    fn certificate_of(&self, application_id: i64) -> Option<CertificateRow>;
    fn certificate(&self, serial: &str) -> Option<CertificateRow>;
    fn certificates_of(&self, applicant_id: i64) -> Vec<CertificateRow>;
    fn revoke_certificate(&self, serial: &str, status: CertificateStatus, reason: RevocationReason, at: i64) -> bool;
    fn revoked_certificates(&self) -> Vec<CertificateRow>;
    fn application_ids_in(&self, status: ApplicationStatus) -> Vec<i64>;
    fn next_crl_number(&self, issuer: &str) -> i64;
    fn latest_crl(&self, issuer: &str) -> Option<StoredCrl>;
    fn store_crl(&self, issuer: &str, crl: StoredCrl) -> bool;
    fn operator_role(&self, operator_id: i64) -> Option<OperatorRole>;
    fn audit(&self, actor: &str, action: &str, subject: &str, now: i64) -> ();
    fn claim_idempotency_key(&self, scope: &str, key: &str, route: &str, now: i64, abandoned_before: i64, expired_before: i64) -> IdempotencyClaim;
    fn complete_idempotency_key(&self, scope: &str, key: &str, answer: StoredAnswer) -> ();
    fn release_idempotency_key(&self, scope: &str, key: &str) -> ();
    fn ping_writable(&self) -> ();
    fn enqueue_notice(&self, notice: NoticeRow) -> i64;
    fn claim_due_notices(&self, now: i64, lease_until: i64, limit: usize) -> Vec<NoticeRow>;
    fn record_notice_attempt(&self, id: i64, attempt: NoticeAttempt) -> ();
    fn pending_notices(&self) -> i64;
    fn put_blob(&self, sha256: String, bytes: Vec<u8>, now: i64) -> ();
    fn blob(&self, sha256: String) -> Option<Vec<u8>>;
    fn take_lease(&self, name: &str, holder: &str, now: i64, until: i64) -> bool;
}
