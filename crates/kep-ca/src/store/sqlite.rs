//! The SQLite store: one file in the data folder, WAL, migrations on open. rusqlite is
//! synchronous, so every query runs on tokio's blocking pool.

use super::kinds::{identification_of, identification_value};
use super::sqlite_schema::MIGRATIONS;
use super::{
    ApplicationChanges, ApplicationRow, AuditEntry, AuditFilter, CertificateRow, CertificateStatus,
    Column, DocumentRow, EventRow, IdempotencyClaim, IssuedOn, LoginCode, NoticeAttempt, NoticeRow,
    OperatorAccount, OperatorRole, RequestRecorded, RequestRow, SessionRow, Store, StoreError,
    StoredAnswer, StoredCrl,
};
use kep_pki::crl::RevocationReason;
use kep_protocol::application::ApplicationStatus;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Read-only connections beside the one that writes: in WAL mode readers never wait for the
/// writer (nor it for them), so status polls do not queue behind a decision being recorded.
const READERS: usize = 4;

/// A SQLite database file: one connection that writes, a few that only read.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
    readers: Arc<Vec<Mutex<Connection>>>,
    next_reader: Arc<AtomicUsize>,
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Failed(e.to_string())
}

/// A query's failure: a name that does not read back is a damaged row; a database that stayed
/// locked past the busy timeout is unavailable (the same request can be repeated).
fn db(e: rusqlite::Error) -> StoreError {
    match e {
        rusqlite::Error::FromSqlConversionFailure(_, _, cause) => {
            StoreError::Corrupt(cause.to_string())
        }
        rusqlite::Error::SqliteFailure(code, _)
            if matches!(
                code.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) =>
        {
            StoreError::Unavailable(e.to_string())
        }
        e => StoreError::Failed(e.to_string()),
    }
}

/// A column's value that does not read back, as rusqlite's conversion failure.
fn corrupt(i: usize) -> impl Fn(StoreError) -> rusqlite::Error {
    move |e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Integer, Box::new(e))
    }
}

/// Column `i` read back as the enum it stores.
fn named<T: Column>(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<T> {
    let name: String = r.get(i)?;
    T::read(&name).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// An optional column `i` read back as the enum it stores.
fn named_opt<T: Column>(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<T>> {
    match r.get::<_, Option<String>>(i)? {
        None => Ok(None),
        Some(_) => named(r, i).map(Some),
    }
}

/// The columns of an [`OperatorAccount`], in [`operator_account`]'s order.
const OPERATOR_ACCOUNT: &str = "SELECT id, login, password_phc, role, disabled, failed_logins, locked_until, totp_sealed, totp_enrolled, totp_last_step FROM operators";

fn operator_account(r: &rusqlite::Row<'_>) -> rusqlite::Result<OperatorAccount> {
    Ok(OperatorAccount {
        id: r.get(0)?,
        login: r.get(1)?,
        password_phc: r.get(2)?,
        role: named(r, 3)?,
        disabled: r.get(4)?,
        failed_logins: r.get(5)?,
        locked_until: r.get(6)?,
        totp_sealed: r.get(7)?,
        totp_enrolled: r.get(8)?,
        totp_last_step: r.get(9)?,
    })
}

impl SqliteStore {
    /// Opens (or creates) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let mut conn = Connection::open(path).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(err)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
        if version > known {
            return Err(StoreError::Failed(format!(
                "the database is at schema version {version}, newer than this kep-ca knows ({known}): run the newer kep-ca"
            )));
        }
        for (i, migration) in (1i64..)
            .zip(MIGRATIONS.iter())
            .filter(|(i, _)| *i > version)
        {
            // Each in its own transaction: one that fails (or is interrupted) leaves the
            // schema at the version before it, and the next open runs it again.
            let failed = |e: rusqlite::Error| StoreError::Failed(format!("migration {i}: {e}"));
            let tx = conn.transaction().map_err(failed)?;
            tx.execute_batch(migration).map_err(failed)?;
            tx.pragma_update(None, "user_version", i).map_err(failed)?;
            tx.commit().map_err(failed)?;
        }
        let readers = (0..READERS)
            .map(|_| {
                let reader = Connection::open_with_flags(
                    path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                        | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                reader.busy_timeout(std::time::Duration::from_secs(5))?;
                Ok(Mutex::new(reader))
            })
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(err)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            readers: Arc::new(readers),
            next_reader: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// Runs a read-only query on a free reader (waiting for one only when all are busy). A
    /// read that starts after a write has returned sees it: WAL readers see every committed
    /// transaction.
    pub(super) async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        let readers = self.readers.clone();
        let first = self.next_reader.fetch_add(1, Ordering::Relaxed);
        tokio::task::spawn_blocking(move || {
            let n = readers.len();
            let free = (0..n).find_map(|i| readers[(first + i) % n].try_lock().ok());
            let conn = match free {
                Some(conn) => conn,
                None => readers[first % n].lock().map_err(err)?,
            };
            f(&conn).map_err(db)
        })
        .await
        .map_err(err)?
    }

    /// How many schema versions this build knows.
    pub fn migrations_known() -> usize {
        MIGRATIONS.len()
    }

    /// The schema version (number of migrations applied).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        let conn = self.conn.lock().map_err(err)?;
        conn.query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)
    }

    async fn in_transaction<T: Send + 'static>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = conn.lock().map_err(err)?;
            let tx = conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(err)?;
            let out = f(&tx).map_err(db)?;
            tx.commit().map_err(db)?;
            Ok(out)
        })
        .await
        .map_err(err)?
    }

    pub(super) async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let conn = conn.lock().map_err(err)?;
            f(&conn).map_err(db)
        })
        .await
        .map_err(err)?
    }
}

fn times(conn: &Connection, sql: &str, key: &str, since: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params![key, since], |r| r.get(0))?;
    rows.collect()
}

impl Store for SqliteStore {
    async fn insert_code(
        &self,
        phone: &str,
        client: &str,
        code_mac: Vec<u8>,
        issued_at: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let (phone, client) = (phone.to_owned(), client.to_owned());
        self.with(move |c| {
            c.execute(
                "INSERT INTO login_codes (phone, client, code_mac, issued_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![phone, client, code_mac, issued_at, expires_at],
            )
            .map(|_| ())
        })
        .await
    }

    async fn codes_for_phone_since(&self, phone: &str, since: i64) -> Result<Vec<i64>, StoreError> {
        let phone = phone.to_owned();
        self.read(move |c| {
            times(c, "SELECT issued_at FROM login_codes WHERE phone = ?1 AND issued_at >= ?2 ORDER BY issued_at DESC", &phone, since)
        })
        .await
    }

    async fn codes_for_client_since(
        &self,
        client: &str,
        since: i64,
    ) -> Result<Vec<i64>, StoreError> {
        let client = client.to_owned();
        self.read(move |c| {
            times(c, "SELECT issued_at FROM login_codes WHERE client = ?1 AND issued_at >= ?2 ORDER BY issued_at DESC", &client, since)
        })
        .await
    }

    async fn latest_code(&self, phone: &str) -> Result<Option<LoginCode>, StoreError> {
        let phone = phone.to_owned();
        self.read(move |c| {
            c.query_row(
                "SELECT id, phone, code_mac, issued_at, expires_at, tries, spent FROM login_codes
                 WHERE phone = ?1 ORDER BY issued_at DESC, id DESC LIMIT 1",
                params![phone],
                |r| {
                    Ok(LoginCode {
                        id: r.get(0)?,
                        phone: r.get(1)?,
                        code_mac: r.get(2)?,
                        issued_at: r.get(3)?,
                        expires_at: r.get(4)?,
                        tries: r.get(5)?,
                        spent: r.get(6)?,
                    })
                },
            )
            .optional()
        })
        .await
    }

    async fn record_wrong_try(&self, id: i64, spend: bool) -> Result<(), StoreError> {
        self.with(move |c| {
            c.execute(
                "UPDATE login_codes SET tries = tries + 1, spent = spent OR ?2 WHERE id = ?1",
                params![id, spend],
            )
            .map(|_| ())
        })
        .await
    }

    async fn spend_code(&self, id: i64) -> Result<(), StoreError> {
        self.with(move |c| {
            c.execute(
                "UPDATE login_codes SET spent = 1 WHERE id = ?1",
                params![id],
            )
            .map(|_| ())
        })
        .await
    }

    async fn applicant_for_phone(&self, phone: &str, now: i64) -> Result<i64, StoreError> {
        let phone = phone.to_owned();
        self.with(move |c| {
            c.execute(
                "INSERT OR IGNORE INTO applicants (phone, created_at) VALUES (?1, ?2)",
                params![phone, now],
            )?;
            c.query_row(
                "SELECT id FROM applicants WHERE phone = ?1",
                params![phone],
                |r| r.get(0),
            )
        })
        .await
    }

    async fn insert_session(
        &self,
        token_hash: Vec<u8>,
        applicant_id: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        self.with(move |c| {
            c.execute(
                "INSERT INTO sessions (token_hash, applicant_id, created_at, last_seen) VALUES (?1, ?2, ?3, ?3)",
                params![token_hash, applicant_id, now],
            )
            .map(|_| ())
        })
        .await
    }

    async fn session(&self, token_hash: Vec<u8>) -> Result<Option<SessionRow>, StoreError> {
        self.read(move |c| {
            c.query_row(
                "SELECT applicant_id, created_at, last_seen FROM sessions WHERE token_hash = ?1",
                params![token_hash],
                |r| {
                    Ok(SessionRow {
                        applicant_id: r.get(0)?,
                        created_at: r.get(1)?,
                        last_seen: r.get(2)?,
                    })
                },
            )
            .optional()
        })
        .await
    }

    async fn session_and_version(
        &self,
        token_hash: Vec<u8>,
        application_id: i64,
    ) -> Result<Option<(SessionRow, Option<i64>)>, StoreError> {
        self.read(move |c| {
            c.prepare_cached(
                "SELECT s.applicant_id, s.created_at, s.last_seen,
                        (SELECT a.version FROM applications a
                          WHERE a.id = ?2 AND a.applicant_id = s.applicant_id)
                 FROM sessions s WHERE s.token_hash = ?1",
            )?
            .query_row(params![token_hash, application_id], |r| {
                Ok((
                    SessionRow {
                        applicant_id: r.get(0)?,
                        created_at: r.get(1)?,
                        last_seen: r.get(2)?,
                    },
                    r.get(3)?,
                ))
            })
            .optional()
        })
        .await
    }

    async fn touch_session(&self, token_hash: Vec<u8>, now: i64) -> Result<(), StoreError> {
        self.with(move |c| {
            c.execute(
                "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1",
                params![token_hash, now],
            )
            .map(|_| ())
        })
        .await
    }

    async fn set_renews_serial(&self, id: i64, serial: &str) -> Result<(), StoreError> {
        let serial = serial.to_owned();
        self.with(move |c| {
            c.execute(
                "UPDATE applications SET renews_serial = ?2 WHERE id = ?1",
                params![id, serial],
            )
            .map(|_| ())
        })
        .await
    }

    async fn delete_session(&self, token_hash: Vec<u8>) -> Result<(), StoreError> {
        self.with(move |c| {
            c.execute(
                "DELETE FROM sessions WHERE token_hash = ?1",
                params![token_hash],
            )
            .map(|_| ())
        })
        .await
    }

    async fn create_application(
        &self,
        applicant_id: i64,
        status: ApplicationStatus,
        now: i64,
    ) -> Result<i64, StoreError> {
        let status = status.name();
        self.with(move |c| {
            c.execute(
                "INSERT INTO applications (applicant_id, status, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                params![applicant_id, status, now],
            )?;
            Ok(c.last_insert_rowid())
        })
        .await
    }

    async fn applications_of(&self, applicant_id: i64) -> Result<Vec<ApplicationRow>, StoreError> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, applicant_id, status, requisites, version, registry_confirmed, statement_sha256, signature_sha256, identification, renews_serial FROM applications WHERE applicant_id = ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map(params![applicant_id], application_row)?;
            rows.collect()
        })
        .await
    }

    async fn application(&self, id: i64) -> Result<Option<ApplicationRow>, StoreError> {
        self.read(move |c| {
            c.query_row(
                "SELECT id, applicant_id, status, requisites, version, registry_confirmed, statement_sha256, signature_sha256, identification, renews_serial FROM applications WHERE id = ?1",
                params![id],
                application_row,
            )
            .optional()
        })
        .await
    }

    async fn update_application(
        &self,
        id: i64,
        requisites: Option<String>,
        status: Option<ApplicationStatus>,
        event: Option<EventRow>,
        now: i64,
    ) -> Result<(), StoreError> {
        let status = status.map(|s| s.name());
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = conn.lock().map_err(err)?;
            let tx = conn.transaction().map_err(err)?;
            tx.execute(
                "UPDATE applications SET requisites = COALESCE(?2, requisites), status = COALESCE(?3, status),
                 version = version + 1, updated_at = ?4 WHERE id = ?1",
                params![id, requisites, status, now],
            )
            .map_err(db)?;
            if let Some(e) = event {
                tx.execute(
                    "INSERT INTO application_events (application_id, at, actor, status, comment) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![id, e.at, e.actor, e.status.name(), e.comment],
                )
                .map_err(db)?;
            }
            tx.commit().map_err(db)
        })
        .await
        .map_err(err)?
    }

    async fn events(&self, application_id: i64) -> Result<Vec<EventRow>, StoreError> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT at, actor, status, comment FROM application_events WHERE application_id = ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map(params![application_id], |r| {
                Ok(EventRow { at: r.get(0)?, actor: r.get(1)?, status: named(r, 2)?, comment: r.get(3)? })
            })?;
            rows.collect()
        })
        .await
    }

    async fn add_document(
        &self,
        application_id: i64,
        doc: DocumentRow,
        now: i64,
    ) -> Result<i64, StoreError> {
        // The document and the new version together, or neither.
        self.in_transaction(move |c| {
            c.execute(
                "INSERT INTO documents (application_id, kind, media_type, size, sha256, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![application_id, doc.kind.name(), doc.media_type, doc.size, doc.sha256, now],
            )?;
            let id = c.last_insert_rowid();
            c.execute("UPDATE applications SET version = version + 1, updated_at = ?2 WHERE id = ?1", params![application_id, now])?;
            Ok(id)
        })
        .await
    }

    async fn documents(&self, application_id: i64) -> Result<Vec<DocumentRow>, StoreError> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, kind, media_type, size, sha256 FROM documents WHERE application_id = ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map(params![application_id], |r| {
                Ok(DocumentRow { id: r.get(0)?, kind: named(r, 1)?, media_type: r.get(2)?, size: r.get(3)?, sha256: r.get(4)? })
            })?;
            rows.collect()
        })
        .await
    }

    async fn delete_document(
        &self,
        application_id: i64,
        document_id: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        // The document and the new version together, or neither.
        self.in_transaction(move |c| {
            let n = c.execute(
                "DELETE FROM documents WHERE id = ?1 AND application_id = ?2",
                params![document_id, application_id],
            )?;
            if n > 0 {
                c.execute(
                    "UPDATE applications SET version = version + 1, updated_at = ?2 WHERE id = ?1",
                    params![application_id, now],
                )?;
            }
            Ok(n > 0)
        })
        .await
    }

    async fn add_operator(
        &self,
        login: &str,
        password_phc: &str,
        role: OperatorRole,
        now: i64,
    ) -> Result<bool, StoreError> {
        let (login, phc, role) = (login.to_owned(), password_phc.to_owned(), role.name());
        self.with(move |c| {
            let n = c.execute(
                "INSERT OR IGNORE INTO operators (login, password_phc, created_at, role) VALUES (?1, ?2, ?3, ?4)",
                params![login, phc, now, role],
            )?;
            Ok(n == 1)
        })
        .await
    }

    async fn operator_account(&self, login: &str) -> Result<Option<OperatorAccount>, StoreError> {
        let login = login.to_owned();
        self.read(move |c| {
            c.query_row(
                &format!("{OPERATOR_ACCOUNT} WHERE login = ?1"),
                params![login],
                operator_account,
            )
            .optional()
        })
        .await
    }

    async fn operator_by_id(&self, id: i64) -> Result<Option<OperatorAccount>, StoreError> {
        self.read(move |c| {
            c.query_row(
                &format!("{OPERATOR_ACCOUNT} WHERE id = ?1"),
                params![id],
                operator_account,
            )
            .optional()
        })
        .await
    }

    async fn delete_operator_session(&self, token_hash: Vec<u8>) -> Result<(), StoreError> {
        self.with(move |c| {
            c.execute(
                "DELETE FROM operator_sessions WHERE token_hash = ?1",
                params![token_hash],
            )
            .map(|_| ())
        })
        .await
    }

    async fn operator_login_failed(
        &self,
        id: i64,
        lock_after: i64,
        locked_until: i64,
    ) -> Result<bool, StoreError> {
        self.with(move |c| {
            c.query_row(
                "UPDATE operators SET
                     locked_until = CASE WHEN failed_logins + 1 >= ?2 THEN ?3 ELSE locked_until END,
                     failed_logins = CASE WHEN failed_logins + 1 >= ?2 THEN 0 ELSE failed_logins + 1 END
                 WHERE id = ?1 RETURNING locked_until = ?3",
                params![id, lock_after, locked_until],
                |r| r.get(0),
            )
            .optional()
            .map(|locked| locked.unwrap_or(false))
        })
        .await
    }

    async fn operator_login_succeeded(&self, id: i64) -> Result<(), StoreError> {
        self.with(move |c| {
            c.execute(
                "UPDATE operators SET failed_logins = 0 WHERE id = ?1 AND failed_logins <> 0",
                params![id],
            )
            .map(|_| ())
        })
        .await
    }

    async fn set_operator_disabled(&self, login: &str, disabled: bool) -> Result<bool, StoreError> {
        let login = login.to_owned();
        self.with(move |c| {
            let tx = c.unchecked_transaction()?;
            let found = tx.execute(
                "UPDATE operators SET disabled = ?2 WHERE login = ?1",
                params![login, disabled],
            )? == 1;
            if disabled {
                tx.execute(
                    "DELETE FROM operator_sessions WHERE operator_id IN (SELECT id FROM operators WHERE login = ?1)",
                    params![login],
                )?;
            }
            tx.commit()?;
            Ok(found)
        })
        .await
    }

    async fn set_operator_totp(
        &self,
        id: i64,
        sealed: Option<Vec<u8>>,
        enrolled: bool,
    ) -> Result<(), StoreError> {
        self.with(move |c| {
            let tx = c.unchecked_transaction()?;
            let reset = sealed.is_none();
            tx.execute(
                "UPDATE operators SET totp_sealed = ?2, totp_enrolled = ?3 WHERE id = ?1",
                params![id, sealed, enrolled],
            )?;
            if reset {
                tx.execute(
                    "DELETE FROM operator_sessions WHERE operator_id = ?1",
                    params![id],
                )?;
            }
            tx.commit()
        })
        .await
    }

    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let f = filter.clone();
        self.read(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, at, actor, action, subject FROM audit_log
                 WHERE (?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR action = ?2)
                   AND (?3 IS NULL OR subject = ?3) AND (?4 IS NULL OR id < ?4)
                 ORDER BY id DESC LIMIT ?5",
            )?;
            let rows = stmt.query_map(
                params![
                    f.actor,
                    f.action,
                    f.subject,
                    f.before_id,
                    f.limit.clamp(1, 1000)
                ],
                |r| {
                    Ok(AuditEntry {
                        id: r.get(0)?,
                        at: r.get(1)?,
                        actor: r.get(2)?,
                        action: r.get(3)?,
                        subject: r.get(4)?,
                    })
                },
            )?;
            rows.collect()
        })
        .await
    }

    async fn take_totp_step(&self, id: i64, step: i64) -> Result<bool, StoreError> {
        self.with(move |c| {
            c.execute(
                "UPDATE operators SET totp_last_step = ?2 WHERE id = ?1 AND totp_last_step < ?2",
                params![id, step],
            )
            .map(|n| n == 1)
        })
        .await
    }

    async fn insert_operator_session(
        &self,
        token_hash: Vec<u8>,
        operator_id: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        self.with(move |c| {
            c.execute(
                "INSERT INTO operator_sessions (token_hash, operator_id, created_at, last_seen) VALUES (?1, ?2, ?3, ?3)",
                params![token_hash, operator_id, now],
            )
            .map(|_| ())
        })
        .await
    }

    async fn operator_session(
        &self,
        token_hash: Vec<u8>,
    ) -> Result<Option<SessionRow>, StoreError> {
        self.read(move |c| {
            c.query_row(
                "SELECT operator_id, created_at, last_seen FROM operator_sessions WHERE token_hash = ?1",
                params![token_hash],
                |r| Ok(SessionRow { applicant_id: r.get(0)?, created_at: r.get(1)?, last_seen: r.get(2)? }),
            )
            .optional()
        })
        .await
    }

    async fn touch_operator_session(
        &self,
        token_hash: Vec<u8>,
        now: i64,
    ) -> Result<(), StoreError> {
        self.with(move |c| {
            c.execute(
                "UPDATE operator_sessions SET last_seen = ?2 WHERE token_hash = ?1",
                params![token_hash, now],
            )
            .map(|_| ())
        })
        .await
    }

    async fn applications_in(
        &self,
        status: ApplicationStatus,
    ) -> Result<Vec<ApplicationRow>, StoreError> {
        let status = status.name();
        self.read(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, applicant_id, status, requisites, version, registry_confirmed, statement_sha256, signature_sha256, identification, renews_serial FROM applications WHERE status = ?1 ORDER BY updated_at, id",
            )?;
            let rows = stmt.query_map(params![status], application_row)?;
            rows.collect()
        })
        .await
    }

    async fn search_applications(
        &self,
        id: Option<i64>,
        texts: Vec<String>,
        limit: i64,
    ) -> Result<Vec<ApplicationRow>, StoreError> {
        self.read(move |c| {
            // ?1 the number, ?2 the limit, then one pattern per text.
            let matches: String = (0..texts.len())
                .map(|i| format!(" OR a.requisites LIKE ?{n} ESCAPE '\\' OR p.phone LIKE ?{n} ESCAPE '\\'", n = i + 3))
                .collect();
            let sql = format!(
                "SELECT a.id, a.applicant_id, a.status, a.requisites, a.version, a.registry_confirmed, a.statement_sha256, a.signature_sha256, a.identification, a.renews_serial
                 FROM applications a JOIN applicants p ON p.id = a.applicant_id
                 WHERE a.id = ?1{matches} ORDER BY a.updated_at DESC, a.id DESC LIMIT ?2"
            );
            let mut values: Vec<rusqlite::types::Value> = vec![
                id.map_or(rusqlite::types::Value::Null, rusqlite::types::Value::Integer),
                rusqlite::types::Value::Integer(limit.clamp(1, 200)),
            ];
            values.extend(
                texts
                    .iter()
                    .map(|t| rusqlite::types::Value::Text(format!("%{}%", like_escaped(t)))),
            );
            let mut stmt = c.prepare(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(values), application_row)?;
            rows.collect()
        })
        .await
    }

    async fn applicant_phone(&self, applicant_id: i64) -> Result<Option<String>, StoreError> {
        self.read(move |c| {
            c.query_row(
                "SELECT phone FROM applicants WHERE id = ?1",
                params![applicant_id],
                |r| r.get(0),
            )
            .optional()
        })
        .await
    }

    async fn transition(
        &self,
        id: i64,
        from: Vec<ApplicationStatus>,
        to: ApplicationStatus,
        changes: ApplicationChanges,
        event: EventRow,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.in_transaction(move |tx| {
            if !cas_status(tx, id, &from, to, now)? {
                return Ok(false);
            }
            if let Some(v) = changes.requisites {
                tx.execute(
                    "UPDATE applications SET requisites = ?2 WHERE id = ?1",
                    params![id, v],
                )?;
            }
            if let Some(v) = changes.registry_confirmed {
                tx.execute(
                    "UPDATE applications SET registry_confirmed = ?2 WHERE id = ?1",
                    params![id, v],
                )?;
            }
            if let Some(v) = changes.statement_sha256 {
                tx.execute(
                    "UPDATE applications SET statement_sha256 = ?2 WHERE id = ?1",
                    params![id, v],
                )?;
            }
            if let Some(v) = changes.signature_sha256 {
                tx.execute(
                    "UPDATE applications SET signature_sha256 = ?2 WHERE id = ?1",
                    params![id, v],
                )?;
            }
            if let Some(v) = changes.identification.map(|k| k.map(identification_value)) {
                tx.execute(
                    "UPDATE applications SET identification = ?2 WHERE id = ?1",
                    params![id, v],
                )?;
            }
            insert_event(tx, id, &event)?;
            Ok(true)
        })
        .await
    }

    async fn record_request(
        &self,
        request: RequestRow,
        from: ApplicationStatus,
        to: ApplicationStatus,
        event: EventRow,
        now: i64,
    ) -> Result<RequestRecorded, StoreError> {
        self.in_transaction(move |tx| {
            let known: i64 = tx.query_row(
                "SELECT (SELECT COUNT(*) FROM certificate_requests WHERE spki_sha256 = ?1)
                      + (SELECT COUNT(*) FROM certificates WHERE spki_sha256 = ?1)",
                params![request.spki_sha256],
                |r| r.get(0),
            )?;
            if known > 0 {
                return Ok(RequestRecorded::KeyKnown);
            }
            if !cas_status(tx, request.application_id, &[from], to, now)? {
                return Ok(RequestRecorded::WrongState);
            }
            tx.execute(
                "INSERT INTO certificate_requests (application_id, der, request_sha256, spki_sha256, storage, serial, not_before, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    request.application_id,
                    request.der,
                    request.request_sha256,
                    request.spki_sha256,
                    request.storage.name(),
                    request.serial,
                    request.not_before,
                    now
                ],
            )?;
            insert_event(tx, request.application_id, &event)?;
            Ok(RequestRecorded::Recorded)
        })
        .await
    }

    async fn request_of(&self, application_id: i64) -> Result<Option<RequestRow>, StoreError> {
        self.read(move |c| {
            c.query_row(
                "SELECT application_id, der, request_sha256, spki_sha256, storage, serial, not_before
                 FROM certificate_requests WHERE application_id = ?1",
                params![application_id],
                request_row,
            )
            .optional()
        })
        .await
    }

    async fn record_certificate(
        &self,
        certificate: CertificateRow,
        issued_on: Option<IssuedOn>,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.in_transaction(move |tx| {
            if let Some(app) = certificate.application_id {
                let existing: i64 = tx.query_row(
                    "SELECT COUNT(*) FROM certificates WHERE application_id = ?1",
                    params![app],
                    |r| r.get(0),
                )?;
                if existing > 0 {
                    return Ok(false);
                }
                if let Some(moved) = &issued_on {
                    if !cas_status(tx, app, &[moved.from], moved.to, now)? {
                        return Ok(false);
                    }
                    insert_event(tx, app, &moved.event)?;
                }
            }
            tx.execute(
                &format!("INSERT INTO certificates ({CERTIFICATE_COLUMNS}, issued_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
                params![
                    certificate.serial,
                    certificate.applicant_id,
                    certificate.application_id,
                    certificate.spki_sha256,
                    certificate.der,
                    certificate.not_after,
                    identification_value(certificate.identification),
                    certificate.status.name(),
                    certificate.revoked_at,
                    certificate.reason.map(|r| r.name()),
                    now
                ],
            )?;
            Ok(true)
        })
        .await
    }

    async fn certificate_of(
        &self,
        application_id: i64,
    ) -> Result<Option<CertificateRow>, StoreError> {
        self.read(move |c| {
            c.query_row(
                &format!(
                    "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE application_id = ?1"
                ),
                params![application_id],
                certificate_row,
            )
            .optional()
        })
        .await
    }

    async fn certificate(&self, serial: &str) -> Result<Option<CertificateRow>, StoreError> {
        let serial = serial.to_owned();
        self.read(move |c| {
            c.query_row(
                &format!("SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE serial = ?1"),
                params![serial],
                certificate_row,
            )
            .optional()
        })
        .await
    }

    async fn certificates_of(&self, applicant_id: i64) -> Result<Vec<CertificateRow>, StoreError> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE applicant_id = ?1 ORDER BY issued_at, serial"
            ))?;
            let rows = stmt.query_map(params![applicant_id], certificate_row)?;
            rows.collect()
        })
        .await
    }

    async fn revoke_certificate(
        &self,
        serial: &str,
        status: CertificateStatus,
        reason: RevocationReason,
        at: i64,
    ) -> Result<bool, StoreError> {
        let (serial, status, reason) = (serial.to_owned(), status.name(), reason.name());
        self.with(move |c| {
            let n = c.execute(
                "UPDATE certificates SET status = ?2, reason = ?3, revoked_at = ?4 WHERE serial = ?1 AND status = 'active'",
                params![serial, status, reason, at],
            )?;
            Ok(n == 1)
        })
        .await
    }

    async fn revoked_certificates(&self) -> Result<Vec<CertificateRow>, StoreError> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE revoked_at IS NOT NULL ORDER BY revoked_at, serial"
            ))?;
            let rows = stmt.query_map([], certificate_row)?;
            rows.collect()
        })
        .await
    }

    async fn application_ids_in(&self, status: ApplicationStatus) -> Result<Vec<i64>, StoreError> {
        let status = status.name();
        self.read(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT id FROM applications WHERE status = ?1 ORDER BY updated_at, id",
            )?;
            let rows = stmt.query_map(params![status], |r| r.get(0))?;
            rows.collect()
        })
        .await
    }

    async fn next_crl_number(&self, issuer: &str) -> Result<i64, StoreError> {
        let issuer = issuer.to_owned();
        self.in_transaction(move |tx| {
            tx.execute(
                "INSERT INTO crl_numbers (issuer, number) VALUES (?1, 1)
                 ON CONFLICT (issuer) DO UPDATE SET number = number + 1",
                params![issuer],
            )?;
            tx.query_row(
                "SELECT number FROM crl_numbers WHERE issuer = ?1",
                params![issuer],
                |r| r.get(0),
            )
        })
        .await
    }

    async fn latest_crl(&self, issuer: &str) -> Result<Option<StoredCrl>, StoreError> {
        let issuer = issuer.to_owned();
        self.read(move |c| {
            c.query_row(
                "SELECT number, der, covered, signed_at FROM crls WHERE issuer = ?1",
                params![issuer],
                |r| {
                    Ok(StoredCrl {
                        number: r.get(0)?,
                        der: r.get(1)?,
                        covered: r.get(2)?,
                        signed_at: r.get(3)?,
                    })
                },
            )
            .optional()
        })
        .await
    }

    async fn store_crl(&self, issuer: &str, crl: StoredCrl) -> Result<bool, StoreError> {
        let issuer = issuer.to_owned();
        self.with(move |c| {
            let n = c.execute(
                "INSERT INTO crls (issuer, number, der, covered, signed_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (issuer) DO UPDATE SET number = excluded.number, der = excluded.der,
                     covered = excluded.covered, signed_at = excluded.signed_at
                 WHERE crls.number < excluded.number",
                params![issuer, crl.number, crl.der, crl.covered, crl.signed_at],
            )?;
            Ok(n == 1)
        })
        .await
    }

    async fn operator_role(&self, operator_id: i64) -> Result<Option<OperatorRole>, StoreError> {
        self.read(move |c| {
            c.query_row(
                "SELECT role FROM operators WHERE id = ?1",
                params![operator_id],
                |r| named(r, 0),
            )
            .optional()
        })
        .await
    }

    async fn audit(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let (actor, action, subject) = (actor.to_owned(), action.to_owned(), subject.to_owned());
        self.with(move |c| {
            c.execute(
                "INSERT INTO audit_log (at, actor, action, subject) VALUES (?1, ?2, ?3, ?4)",
                params![now, actor, action, subject],
            )
            .map(|_| ())
        })
        .await
    }

    async fn claim_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        route: &str,
        now: i64,
        abandoned_before: i64,
        expired_before: i64,
    ) -> Result<IdempotencyClaim, StoreError> {
        let (scope, key, route) = (scope.to_owned(), key.to_owned(), route.to_owned());
        self.in_transaction(move |tx| {
            tx.execute(
                "DELETE FROM idempotency_keys WHERE claimed_at < ?1",
                params![expired_before],
            )?;
            let found = tx
                .query_row(
                    "SELECT route, claimed_at, status, content_type, body FROM idempotency_keys
                     WHERE scope = ?1 AND key = ?2",
                    params![scope, key],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, i64>(1)?,
                            r.get::<_, Option<u16>>(2)?,
                            r.get::<_, Option<String>>(3)?,
                            r.get::<_, Option<Vec<u8>>>(4)?,
                        ))
                    },
                )
                .optional()?;
            match found {
                None => {
                    tx.execute(
                        "INSERT INTO idempotency_keys (scope, key, route, claimed_at)
                         VALUES (?1, ?2, ?3, ?4)",
                        params![scope, key, route, now],
                    )?;
                    Ok(IdempotencyClaim::Claimed)
                }
                Some((route, _, Some(status), content_type, body)) => {
                    Ok(IdempotencyClaim::Completed(StoredAnswer {
                        route,
                        status,
                        content_type: content_type.unwrap_or_default(),
                        body: body.unwrap_or_default(),
                    }))
                }
                Some((claimed_route, claimed_at, None, _, _))
                    if claimed_at < abandoned_before && claimed_route == route =>
                {
                    tx.execute(
                        "UPDATE idempotency_keys SET claimed_at = ?3 WHERE scope = ?1 AND key = ?2",
                        params![scope, key, now],
                    )?;
                    Ok(IdempotencyClaim::Claimed)
                }
                Some((route, _, None, _, _)) => Ok(IdempotencyClaim::InProgress { route }),
            }
        })
        .await
    }

    async fn complete_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        answer: StoredAnswer,
    ) -> Result<(), StoreError> {
        let (scope, key) = (scope.to_owned(), key.to_owned());
        self.with(move |c| {
            c.execute(
                "UPDATE idempotency_keys SET status = ?3, content_type = ?4, body = ?5
                 WHERE scope = ?1 AND key = ?2",
                params![scope, key, answer.status, answer.content_type, answer.body],
            )
            .map(|_| ())
        })
        .await
    }

    async fn ping_writable(&self) -> Result<(), StoreError> {
        // An immediate transaction takes the write lock; committing it empty writes nothing.
        self.in_transaction(|_| Ok(())).await
    }

    async fn release_idempotency_key(&self, scope: &str, key: &str) -> Result<(), StoreError> {
        let (scope, key) = (scope.to_owned(), key.to_owned());
        self.with(move |c| {
            c.execute(
                "DELETE FROM idempotency_keys WHERE scope = ?1 AND key = ?2 AND status IS NULL",
                params![scope, key],
            )
            .map(|_| ())
        })
        .await
    }

    async fn enqueue_notice(&self, notice: NoticeRow) -> Result<i64, StoreError> {
        self.with(move |c| {
            c.execute(
                "INSERT INTO outbox (channel, recipient, subject, body, created_at, next_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![
                    notice.channel.name(),
                    notice.recipient,
                    notice.subject,
                    notice.body,
                    notice.created_at
                ],
            )?;
            Ok(c.last_insert_rowid())
        })
        .await
    }

    async fn claim_due_notices(
        &self,
        now: i64,
        lease_until: i64,
        limit: usize,
    ) -> Result<Vec<NoticeRow>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.in_transaction(move |t| {
            let due = {
                let mut select = t.prepare(
                    "SELECT id, channel, recipient, subject, body, tries, created_at FROM outbox
                     WHERE next_at IS NOT NULL AND next_at <= ?1 ORDER BY next_at, id LIMIT ?2",
                )?;
                select
                    .query_map(params![now, limit], |r| {
                        Ok(NoticeRow {
                            id: r.get(0)?,
                            channel: named(r, 1)?,
                            recipient: r.get(2)?,
                            subject: r.get(3)?,
                            body: r.get(4)?,
                            tries: r.get(5)?,
                            created_at: r.get(6)?,
                        })
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?
            };
            for notice in &due {
                t.execute(
                    "UPDATE outbox SET next_at = ?2 WHERE id = ?1",
                    params![notice.id, lease_until],
                )?;
            }
            Ok(due)
        })
        .await
    }

    async fn record_notice_attempt(
        &self,
        id: i64,
        attempt: NoticeAttempt,
    ) -> Result<(), StoreError> {
        self.with(move |c| {
            match attempt {
                NoticeAttempt::Delivered { at } => c.execute(
                    "UPDATE outbox SET tries = tries + 1, delivered_at = ?2, next_at = NULL,
                     last_error = NULL WHERE id = ?1",
                    params![id, at],
                ),
                NoticeAttempt::Failed { error, next_at } => c.execute(
                    "UPDATE outbox SET tries = tries + 1, next_at = ?2, last_error = ?3
                     WHERE id = ?1",
                    params![id, next_at, error],
                ),
            }
            .map(|_| ())
        })
        .await
    }

    async fn put_blob(&self, sha256: String, bytes: Vec<u8>, now: i64) -> Result<(), StoreError> {
        self.with(move |c| {
            c.execute(
                "INSERT INTO blobs (sha256, bytes, created_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (sha256) DO NOTHING",
                params![sha256, bytes, now],
            )
            .map(|_| ())
        })
        .await
    }

    async fn blob(&self, sha256: String) -> Result<Option<Vec<u8>>, StoreError> {
        self.read(move |c| {
            c.query_row(
                "SELECT bytes FROM blobs WHERE sha256 = ?1",
                params![sha256],
                |r| r.get(0),
            )
            .optional()
        })
        .await
    }

    async fn take_lease(
        &self,
        name: &str,
        holder: &str,
        now: i64,
        until: i64,
    ) -> Result<bool, StoreError> {
        let (name, holder) = (name.to_owned(), holder.to_owned());
        self.with(move |c| {
            let n = c.execute(
                "INSERT INTO leases (name, holder, until) VALUES (?1, ?2, ?4)
                 ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
                 WHERE leases.holder = excluded.holder OR leases.until < ?3",
                params![name, holder, now, until],
            )?;
            Ok(n == 1)
        })
        .await
    }

    async fn pending_notices(&self) -> Result<i64, StoreError> {
        self.read(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM outbox WHERE next_at IS NOT NULL",
                [],
                |r| r.get(0),
            )
        })
        .await
    }
}

/// `text` for a LIKE pattern: its `%`, `_` and `\` taken as themselves.
fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn application_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ApplicationRow> {
    Ok(ApplicationRow {
        id: r.get(0)?,
        applicant_id: r.get(1)?,
        status: named(r, 2)?,
        requisites: r.get(3)?,
        version: r.get(4)?,
        registry_confirmed: r.get(5)?,
        statement_sha256: r.get(6)?,
        signature_sha256: r.get(7)?,
        identification: r
            .get::<_, Option<i64>>(8)?
            .map(|v| identification_of(v).map_err(corrupt(8)))
            .transpose()?,
        renews_serial: r.get(9)?,
    })
}

const CERTIFICATE_COLUMNS: &str = "serial, applicant_id, application_id, spki_sha256, der, not_after, identification, status, revoked_at, reason";

fn certificate_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CertificateRow> {
    Ok(CertificateRow {
        serial: r.get(0)?,
        applicant_id: r.get(1)?,
        application_id: r.get(2)?,
        spki_sha256: r.get(3)?,
        der: r.get(4)?,
        not_after: r.get(5)?,
        identification: identification_of(r.get(6)?).map_err(corrupt(6))?,
        status: named(r, 7)?,
        revoked_at: r.get(8)?,
        reason: named_opt(r, 9)?,
    })
}

fn request_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RequestRow> {
    Ok(RequestRow {
        application_id: r.get(0)?,
        der: r.get(1)?,
        request_sha256: r.get(2)?,
        spki_sha256: r.get(3)?,
        storage: named(r, 4)?,
        serial: r.get(5)?,
        not_before: r.get(6)?,
    })
}

/// Moves `id` from one of `from` to `to` inside `tx`; false when its status was none of them.
fn cas_status(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    from: &[ApplicationStatus],
    to: ApplicationStatus,
    now: i64,
) -> rusqlite::Result<bool> {
    let current: Option<ApplicationStatus> = tx
        .query_row(
            "SELECT status FROM applications WHERE id = ?1",
            params![id],
            |r| named(r, 0),
        )
        .optional()?;
    if !current.is_some_and(|c| from.contains(&c)) {
        return Ok(false);
    }
    tx.execute(
        "UPDATE applications SET status = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1",
        params![id, to.name(), now],
    )?;
    Ok(true)
}

fn insert_event(tx: &rusqlite::Transaction<'_>, id: i64, e: &EventRow) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO application_events (application_id, at, actor, status, comment) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, e.at, e.actor, e.status.name(), e.comment],
    )
    .map(|_| ())
}
