//! The PostgreSQL store: a pool of connections (deadpool) shared by the requests of one
//! instance, with any number of instances on one database. Everything that must be true across
//! instances is the database's to enforce: unique keys for serials, keys and certificates,
//! row locks (`FOR UPDATE`) for status moves, `FOR UPDATE SKIP LOCKED` for the outbox, and the
//! lease table for background work.

use super::kinds::{identification_of, identification_value};
use super::postgres_schema::{MIGRATION_LOCK, MIGRATIONS};
use super::{
    ApplicationChanges, ApplicationRow, AuditEntry, AuditFilter, CertificateRow, CertificateStatus,
    Column, DocumentRow, EventRow, IdempotencyClaim, IssuedOn, LoginCode, NoticeAttempt, NoticeRow,
    OperatorAccount, OperatorRole, RequestRecorded, RequestRow, SessionRow, Store, StoreError,
    StoredAnswer, StoredCrl,
};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use kep_pki::crl::RevocationReason;
use kep_protocol::application::ApplicationStatus;
use std::time::Duration;
use tokio_postgres::config::SslMode;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{FromSql, ToSql};
use tokio_postgres::{NoTls, Row};
use tokio_postgres_rustls::MakeRustlsConnect;
use zeroize::Zeroizing;

/// How to reach the database.
#[derive(Clone)]
pub struct PostgresConfig {
    /// The connection string without its password: `postgresql://kep@db.internal:5432/kep`
    /// or `host=db.internal user=kep dbname=kep`.
    pub url: String,
    /// The password (from the configuration's secrets), if the server asks for one.
    pub password: Option<Zeroizing<String>>,
    /// Connections this instance keeps at most.
    pub pool_size: usize,
    /// How long to wait for a connection (to be made, or to come free) before answering
    /// "unavailable".
    pub connect_timeout: Duration,
    /// TLS to the server.
    pub tls: PostgresTls,
}

/// How the connection to PostgreSQL is protected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostgresTls {
    /// In clear: for a server on this machine (a loopback address or a Unix socket), or one
    /// the configuration says is on a trusted network.
    Disabled,
    /// TLS required, the server's certificate checked against the system's roots and
    /// `extra_root` (PEM), and its name against the host's.
    VerifyFull {
        /// A root (PEM) for the server's certificate besides the system's, such as the CA's
        /// own internal one.
        extra_root: Option<Vec<u8>>,
    },
}

impl std::fmt::Debug for PostgresConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresConfig")
            .field("url", &self.url)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("pool_size", &self.pool_size)
            .field("connect_timeout", &self.connect_timeout)
            .field("tls", &matches!(self.tls, PostgresTls::VerifyFull { .. }))
            .finish()
    }
}

/// A PostgreSQL database.
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("status", &self.pool.status())
            .finish()
    }
}

/// SQL states after which the same statement may succeed in a moment: the connection or the
/// server went away, the server is starting or shutting down, a standby refused a write (a
/// failover under way), or the transaction lost a race the database detected.
fn transient(state: &SqlState) -> bool {
    state.code().starts_with("08")
        || [
            SqlState::ADMIN_SHUTDOWN,
            SqlState::CRASH_SHUTDOWN,
            SqlState::CANNOT_CONNECT_NOW,
            SqlState::TOO_MANY_CONNECTIONS,
            SqlState::READ_ONLY_SQL_TRANSACTION,
            SqlState::T_R_SERIALIZATION_FAILURE,
            SqlState::T_R_DEADLOCK_DETECTED,
        ]
        .contains(state)
}

/// The error with its causes (tokio-postgres keeps the reason, "connection refused", in its
/// source).
fn described(e: &tokio_postgres::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

pub(super) fn db(e: tokio_postgres::Error) -> StoreError {
    match e.code() {
        Some(state) if transient(state) => StoreError::Unavailable(described(&e)),
        Some(_) => StoreError::Failed(described(&e)),
        // No SQL state: the connection itself failed (refused, reset, closed, timed out).
        None => StoreError::Unavailable(described(&e)),
    }
}

fn pool_error(e: deadpool_postgres::PoolError) -> StoreError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => db(e),
        e => StoreError::Unavailable(e.to_string()),
    }
}

fn unique_violation(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

/// The unique constraint a statement ran into, if that is how it failed.
fn violated(e: &tokio_postgres::Error) -> Option<&str> {
    e.as_db_error()
        .filter(|_| unique_violation(e))
        .and_then(|db| db.constraint())
}

/// Column `i`, or a damaged row.
pub(super) fn get<'a, T: FromSql<'a>>(row: &'a Row, i: usize) -> Result<T, StoreError> {
    row.try_get(i)
        .map_err(|e| StoreError::Corrupt(format!("column {i}: {e}")))
}

/// Column `i` read back as the enum it stores.
fn named<T: Column>(row: &Row, i: usize) -> Result<T, StoreError> {
    T::read(&get::<String>(row, i)?)
}

fn named_opt<T: Column>(row: &Row, i: usize) -> Result<Option<T>, StoreError> {
    get::<Option<String>>(row, i)?
        .map(|name| T::read(&name))
        .transpose()
}

type Params<'a> = [&'a (dyn ToSql + Sync)];

const APPLICATION_COLUMNS: &str = "id, applicant_id, status, requisites, version, registry_confirmed, statement_sha256, signature_sha256, identification, renews_serial";
const CERTIFICATE_COLUMNS: &str = "serial, applicant_id, application_id, spki_sha256, der, not_after, identification, status, revoked_at, reason";

fn application_row(r: &Row) -> Result<ApplicationRow, StoreError> {
    Ok(ApplicationRow {
        id: get(r, 0)?,
        applicant_id: get(r, 1)?,
        status: named(r, 2)?,
        requisites: get(r, 3)?,
        version: get(r, 4)?,
        registry_confirmed: get(r, 5)?,
        statement_sha256: get(r, 6)?,
        signature_sha256: get(r, 7)?,
        identification: get::<Option<i64>>(r, 8)?
            .map(identification_of)
            .transpose()?,
        renews_serial: get(r, 9)?,
    })
}

fn certificate_row(r: &Row) -> Result<CertificateRow, StoreError> {
    Ok(CertificateRow {
        serial: get(r, 0)?,
        applicant_id: get(r, 1)?,
        application_id: get(r, 2)?,
        spki_sha256: get(r, 3)?,
        der: get(r, 4)?,
        not_after: get(r, 5)?,
        identification: identification_of(get(r, 6)?)?,
        status: named(r, 7)?,
        revoked_at: get(r, 8)?,
        reason: named_opt(r, 9)?,
    })
}

fn session_row(r: &Row) -> Result<SessionRow, StoreError> {
    Ok(SessionRow {
        applicant_id: get(r, 0)?,
        created_at: get(r, 1)?,
        last_seen: get(r, 2)?,
    })
}

fn notice_row(r: &Row) -> Result<NoticeRow, StoreError> {
    Ok(NoticeRow {
        id: get(r, 0)?,
        channel: named(r, 1)?,
        recipient: get(r, 2)?,
        subject: get(r, 3)?,
        body: get(r, 4)?,
        tries: get(r, 5)?,
        created_at: get(r, 6)?,
    })
}

/// rustls (ring) trusting the system's roots and `extra_root`.
fn client_tls(extra_root: Option<&[u8]>) -> Result<rustls::ClientConfig, StoreError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let bad = |what: &str, e: &dyn std::fmt::Display| StoreError::Failed(format!("{what}: {e}"));
    let mut roots = rustls::RootCertStore::empty();
    // Unreadable system roots are not fatal while an extra root is given.
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    if let Some(pem) = extra_root {
        let certs = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad("the database's root certificate", &e))?;
        if certs.is_empty() {
            return Err(StoreError::Failed(
                "the database's root certificate: no certificate in the file".into(),
            ));
        }
        for cert in certs {
            roots
                .add(cert)
                .map_err(|e| bad("the database's root certificate", &e))?;
        }
    }
    if roots.is_empty() {
        return Err(StoreError::Failed(
            "no root certificate to check the database's TLS certificate with".into(),
        ));
    }
    rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| bad("TLS to the database", &e))
    .map(|b| b.with_root_certificates(roots).with_no_client_auth())
}

impl PostgresStore {
    /// Connects to the database `config` names and brings its schema up to date. A database
    /// that cannot be reached within the connect timeout is [`StoreError::Unavailable`].
    pub async fn connect(config: &PostgresConfig) -> Result<Self, StoreError> {
        let mut pg: tokio_postgres::Config = config
            .url
            .parse()
            .map_err(|e| StoreError::Failed(format!("the database address: {e}")))?;
        if let Some(password) = &config.password {
            pg.password(password.as_bytes());
        }
        pg.connect_timeout(config.connect_timeout);
        pg.application_name("kep-ca");
        // A connection the network silently lost is noticed within a minute, not hours.
        pg.keepalives_idle(Duration::from_secs(30));
        let recycling = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let manager = match &config.tls {
            PostgresTls::Disabled => {
                pg.ssl_mode(SslMode::Disable);
                Manager::from_config(pg, NoTls, recycling)
            }
            PostgresTls::VerifyFull { extra_root } => {
                pg.ssl_mode(SslMode::Require);
                let tls = MakeRustlsConnect::new(client_tls(extra_root.as_deref())?);
                Manager::from_config(pg, tls, recycling)
            }
        };
        let pool = Pool::builder(manager)
            .max_size(config.pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(config.connect_timeout))
            .create_timeout(Some(config.connect_timeout))
            .recycle_timeout(Some(config.connect_timeout))
            .build()
            .map_err(|e| StoreError::Failed(format!("the connection pool: {e}")))?;
        let store = Self { pool };
        store.migrate().await?;
        Ok(store)
    }

    pub(super) async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        self.pool.get().await.map_err(pool_error)
    }

    /// Applies the pending migrations in one transaction under the migration lock; answers
    /// the schema version. A database newer than this build is refused (an older kep-ca must
    /// not write to a schema it does not know).
    pub async fn migrate(&self) -> Result<i64, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(db)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version BIGINT PRIMARY KEY,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
             )",
        )
        .await
        .map_err(db)?;
        let row = tx
            .query_one(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                &[],
            )
            .await
            .map_err(db)?;
        let current: i64 = get(&row, 0)?;
        let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
        if current > known {
            return Err(StoreError::Failed(format!(
                "the database is at schema version {current}, newer than this kep-ca knows ({known}): run the newer kep-ca"
            )));
        }
        for (version, migration) in (1i64..)
            .zip(MIGRATIONS.iter())
            .filter(|(version, _)| *version > current)
        {
            tx.batch_execute(migration)
                .await
                .map_err(|e| StoreError::Failed(format!("migration {version}: {}", db(e))))?;
            tx.execute(
                "INSERT INTO schema_migrations (version) VALUES ($1)",
                &[&version],
            )
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(known)
    }

    /// How many schema versions this build knows.
    pub fn migrations_known() -> usize {
        MIGRATIONS.len()
    }

    /// The schema version (number of migrations applied).
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let row = self
            .one(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                &[],
            )
            .await?;
        get(&row, 0)
    }

    pub(super) async fn rows(
        &self,
        sql: &str,
        params: &Params<'_>,
    ) -> Result<Vec<Row>, StoreError> {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql).await.map_err(db)?;
        client.query(&statement, params).await.map_err(db)
    }

    pub(super) async fn opt(
        &self,
        sql: &str,
        params: &Params<'_>,
    ) -> Result<Option<Row>, StoreError> {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql).await.map_err(db)?;
        client.query_opt(&statement, params).await.map_err(db)
    }

    pub(super) async fn one(&self, sql: &str, params: &Params<'_>) -> Result<Row, StoreError> {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql).await.map_err(db)?;
        client.query_one(&statement, params).await.map_err(db)
    }

    pub(super) async fn exec(&self, sql: &str, params: &Params<'_>) -> Result<u64, StoreError> {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql).await.map_err(db)?;
        client.execute(&statement, params).await.map_err(db)
    }

    /// Every row of a query, each read by `read`.
    pub(super) async fn all<T>(
        &self,
        sql: &str,
        params: &Params<'_>,
        read: impl Fn(&Row) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        self.rows(sql, params).await?.iter().map(read).collect()
    }

    /// The row of a query, if any, read by `read`.
    async fn maybe<T>(
        &self,
        sql: &str,
        params: &Params<'_>,
        read: impl Fn(&Row) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        self.opt(sql, params).await?.as_ref().map(read).transpose()
    }

    async fn times(&self, sql: &str, key: &str, since: i64) -> Result<Vec<i64>, StoreError> {
        self.rows(sql, &[&key, &since])
            .await?
            .iter()
            .map(|r| get(r, 0))
            .collect()
    }
}

/// The columns of an [`OperatorAccount`], in [`operator_account`]'s order.
const OPERATOR_ACCOUNT: &str = "SELECT id, login, password_phc, role, disabled, failed_logins, locked_until, totp_sealed, totp_enrolled, totp_last_step FROM operators";

fn operator_account(r: &Row) -> Result<OperatorAccount, StoreError> {
    Ok(OperatorAccount {
        id: get(r, 0)?,
        login: get(r, 1)?,
        password_phc: get(r, 2)?,
        role: named(r, 3)?,
        disabled: get(r, 4)?,
        failed_logins: get(r, 5)?,
        locked_until: get(r, 6)?,
        totp_sealed: get(r, 7)?,
        totp_enrolled: get(r, 8)?,
        totp_last_step: get(r, 9)?,
    })
}

/// Moves `id` from one of `from` to `to` inside `tx`, holding the application's row lock until
/// the transaction ends; false when its status was none of them.
async fn cas_status(
    tx: &deadpool_postgres::Transaction<'_>,
    id: i64,
    from: &[ApplicationStatus],
    to: ApplicationStatus,
    now: i64,
) -> Result<bool, StoreError> {
    let Some(row) = tx
        .query_opt(
            "SELECT status FROM applications WHERE id = $1 FOR UPDATE",
            &[&id],
        )
        .await
        .map_err(db)?
    else {
        return Ok(false);
    };
    let current: ApplicationStatus = named(&row, 0)?;
    if !from.contains(&current) {
        return Ok(false);
    }
    tx.execute(
        "UPDATE applications SET status = $2, version = version + 1, updated_at = $3 WHERE id = $1",
        &[&id, &to.name(), &now],
    )
    .await
    .map_err(db)?;
    Ok(true)
}

/// A new version (ETag) for application `id`: its documents changed.
async fn bump_version(
    tx: &deadpool_postgres::Transaction<'_>,
    id: i64,
    now: i64,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE applications SET version = version + 1, updated_at = $2 WHERE id = $1",
        &[&id, &now],
    )
    .await
    .map_err(db)
    .map(|_| ())
}

async fn insert_event(
    tx: &deadpool_postgres::Transaction<'_>,
    id: i64,
    e: &EventRow,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO application_events (application_id, at, actor, status, comment) VALUES ($1, $2, $3, $4, $5)",
        &[&id, &e.at, &e.actor, &e.status.name(), &e.comment],
    )
    .await
    .map_err(db)
    .map(|_| ())
}

impl Store for PostgresStore {
    async fn insert_code(
        &self,
        phone: &str,
        client: &str,
        code_mac: Vec<u8>,
        issued_at: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO login_codes (phone, client, code_mac, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            &[&phone, &client, &code_mac, &issued_at, &expires_at],
        )
        .await
        .map(|_| ())
    }

    async fn codes_for_phone_since(&self, phone: &str, since: i64) -> Result<Vec<i64>, StoreError> {
        self.times(
            "SELECT issued_at FROM login_codes WHERE phone = $1 AND issued_at >= $2 ORDER BY issued_at DESC",
            phone,
            since,
        )
        .await
    }

    async fn codes_for_client_since(
        &self,
        client: &str,
        since: i64,
    ) -> Result<Vec<i64>, StoreError> {
        self.times(
            "SELECT issued_at FROM login_codes WHERE client = $1 AND issued_at >= $2 ORDER BY issued_at DESC",
            client,
            since,
        )
        .await
    }

    async fn latest_code(&self, phone: &str) -> Result<Option<LoginCode>, StoreError> {
        let Some(r) = self
            .opt(
                "SELECT id, phone, code_mac, issued_at, expires_at, tries, spent FROM login_codes
                 WHERE phone = $1 ORDER BY issued_at DESC, id DESC LIMIT 1",
                &[&phone],
            )
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(LoginCode {
            id: get(&r, 0)?,
            phone: get(&r, 1)?,
            code_mac: get(&r, 2)?,
            issued_at: get(&r, 3)?,
            expires_at: get(&r, 4)?,
            tries: u32::try_from(get::<i64>(&r, 5)?)
                .map_err(|e| StoreError::Corrupt(format!("tries: {e}")))?,
            spent: get(&r, 6)?,
        }))
    }

    async fn record_wrong_try(&self, id: i64, spend: bool) -> Result<(), StoreError> {
        self.exec(
            "UPDATE login_codes SET tries = tries + 1, spent = spent OR $2 WHERE id = $1",
            &[&id, &spend],
        )
        .await
        .map(|_| ())
    }

    async fn spend_code(&self, id: i64) -> Result<(), StoreError> {
        self.exec("UPDATE login_codes SET spent = TRUE WHERE id = $1", &[&id])
            .await
            .map(|_| ())
    }

    async fn applicant_for_phone(&self, phone: &str, now: i64) -> Result<i64, StoreError> {
        // The no-op update makes RETURNING answer the existing row too.
        let row = self
            .one(
                "INSERT INTO applicants (phone, created_at) VALUES ($1, $2)
                 ON CONFLICT (phone) DO UPDATE SET phone = excluded.phone RETURNING id",
                &[&phone, &now],
            )
            .await?;
        get(&row, 0)
    }

    async fn insert_session(
        &self,
        token_hash: Vec<u8>,
        applicant_id: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO sessions (token_hash, applicant_id, created_at, last_seen) VALUES ($1, $2, $3, $3)",
            &[&token_hash, &applicant_id, &now],
        )
        .await
        .map(|_| ())
    }

    async fn session(&self, token_hash: Vec<u8>) -> Result<Option<SessionRow>, StoreError> {
        self.maybe(
            "SELECT applicant_id, created_at, last_seen FROM sessions WHERE token_hash = $1",
            &[&token_hash],
            session_row,
        )
        .await
    }

    async fn session_and_version(
        &self,
        token_hash: Vec<u8>,
        application_id: i64,
    ) -> Result<Option<(SessionRow, Option<i64>)>, StoreError> {
        self.opt(
            "SELECT s.applicant_id, s.created_at, s.last_seen,
                    (SELECT a.version FROM applications a
                      WHERE a.id = $2 AND a.applicant_id = s.applicant_id)
             FROM sessions s WHERE s.token_hash = $1",
            &[&token_hash, &application_id],
        )
        .await?
        .map(|r| Ok((session_row(&r)?, get(&r, 3)?)))
        .transpose()
    }

    async fn touch_session(&self, token_hash: Vec<u8>, now: i64) -> Result<(), StoreError> {
        self.exec(
            "UPDATE sessions SET last_seen = $2 WHERE token_hash = $1",
            &[&token_hash, &now],
        )
        .await
        .map(|_| ())
    }

    async fn delete_session(&self, token_hash: Vec<u8>) -> Result<(), StoreError> {
        self.exec("DELETE FROM sessions WHERE token_hash = $1", &[&token_hash])
            .await
            .map(|_| ())
    }

    async fn create_application(
        &self,
        applicant_id: i64,
        status: ApplicationStatus,
        now: i64,
    ) -> Result<i64, StoreError> {
        let row = self
            .one(
                "INSERT INTO applications (applicant_id, status, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id",
                &[&applicant_id, &status.name(), &now],
            )
            .await?;
        get(&row, 0)
    }

    async fn applications_of(&self, applicant_id: i64) -> Result<Vec<ApplicationRow>, StoreError> {
        self.all(
            &format!(
                "SELECT {APPLICATION_COLUMNS} FROM applications WHERE applicant_id = $1 ORDER BY id"
            ),
            &[&applicant_id],
            application_row,
        )
        .await
    }

    async fn application(&self, id: i64) -> Result<Option<ApplicationRow>, StoreError> {
        self.maybe(
            &format!("SELECT {APPLICATION_COLUMNS} FROM applications WHERE id = $1"),
            &[&id],
            application_row,
        )
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
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        tx.execute(
            "UPDATE applications SET requisites = COALESCE($2, requisites), status = COALESCE($3, status),
             version = version + 1, updated_at = $4 WHERE id = $1",
            &[&id, &requisites, &status, &now],
        )
        .await
        .map_err(db)?;
        if let Some(e) = &event {
            insert_event(&tx, id, e).await?;
        }
        tx.commit().await.map_err(db)
    }

    async fn set_renews_serial(&self, id: i64, serial: &str) -> Result<(), StoreError> {
        self.exec(
            "UPDATE applications SET renews_serial = $2 WHERE id = $1",
            &[&id, &serial],
        )
        .await
        .map(|_| ())
    }

    async fn events(&self, application_id: i64) -> Result<Vec<EventRow>, StoreError> {
        self.rows(
            "SELECT at, actor, status, comment FROM application_events WHERE application_id = $1 ORDER BY id",
            &[&application_id],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(EventRow {
                at: get(r, 0)?,
                actor: get(r, 1)?,
                status: named(r, 2)?,
                comment: get(r, 3)?,
            })
        })
        .collect()
    }

    async fn add_document(
        &self,
        application_id: i64,
        doc: DocumentRow,
        now: i64,
    ) -> Result<i64, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let row = tx
            .query_one(
                "INSERT INTO documents (application_id, kind, media_type, size, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[&application_id, &doc.kind.name(), &doc.media_type, &doc.size, &doc.sha256, &now],
            )
            .await
            .map_err(db)?;
        bump_version(&tx, application_id, now).await?;
        tx.commit().await.map_err(db)?;
        get(&row, 0)
    }

    async fn documents(&self, application_id: i64) -> Result<Vec<DocumentRow>, StoreError> {
        self.rows(
            "SELECT id, kind, media_type, size, sha256 FROM documents WHERE application_id = $1 ORDER BY id",
            &[&application_id],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(DocumentRow {
                id: get(r, 0)?,
                kind: named(r, 1)?,
                media_type: get(r, 2)?,
                size: get(r, 3)?,
                sha256: get(r, 4)?,
            })
        })
        .collect()
    }

    async fn delete_document(
        &self,
        application_id: i64,
        document_id: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let n = tx
            .execute(
                "DELETE FROM documents WHERE id = $1 AND application_id = $2",
                &[&document_id, &application_id],
            )
            .await
            .map_err(db)?;
        if n > 0 {
            bump_version(&tx, application_id, now).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(n > 0)
    }

    async fn add_operator(
        &self,
        login: &str,
        password_phc: &str,
        role: OperatorRole,
        now: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                "INSERT INTO operators (login, password_phc, created_at, role) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (login) DO NOTHING",
                &[&login, &password_phc, &now, &role.name()],
            )
            .await?;
        Ok(n == 1)
    }

    async fn operator_account(&self, login: &str) -> Result<Option<OperatorAccount>, StoreError> {
        self.maybe(
            &format!("{OPERATOR_ACCOUNT} WHERE login = $1"),
            &[&login],
            operator_account,
        )
        .await
    }

    async fn operator_by_id(&self, id: i64) -> Result<Option<OperatorAccount>, StoreError> {
        self.maybe(
            &format!("{OPERATOR_ACCOUNT} WHERE id = $1"),
            &[&id],
            operator_account,
        )
        .await
    }

    async fn delete_operator_session(&self, token_hash: Vec<u8>) -> Result<(), StoreError> {
        self.exec(
            "DELETE FROM operator_sessions WHERE token_hash = $1",
            &[&token_hash],
        )
        .await
        .map(|_| ())
    }

    async fn operator_login_failed(
        &self,
        id: i64,
        lock_after: i64,
        locked_until: i64,
    ) -> Result<bool, StoreError> {
        // One statement, so concurrent wrong passwords each count.
        Ok(self
            .maybe(
                "UPDATE operators SET
                     locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END,
                     failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END
                 WHERE id = $1 RETURNING locked_until = $3",
                &[&id, &lock_after, &locked_until],
                |r| get::<bool>(r, 0),
            )
            .await?
            .unwrap_or(false))
    }

    async fn operator_login_succeeded(&self, id: i64) -> Result<(), StoreError> {
        self.exec(
            "UPDATE operators SET failed_logins = 0 WHERE id = $1 AND failed_logins <> 0",
            &[&id],
        )
        .await
        .map(|_| ())
    }

    async fn set_operator_disabled(&self, login: &str, disabled: bool) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let found = tx
            .execute(
                "UPDATE operators SET disabled = $2 WHERE login = $1",
                &[&login, &disabled],
            )
            .await
            .map_err(db)?
            == 1;
        if disabled {
            tx.execute(
                "DELETE FROM operator_sessions WHERE operator_id IN (SELECT id FROM operators WHERE login = $1)",
                &[&login],
            )
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(found)
    }

    async fn set_operator_totp(
        &self,
        id: i64,
        sealed: Option<Vec<u8>>,
        enrolled: bool,
    ) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        tx.execute(
            "UPDATE operators SET totp_sealed = $2, totp_enrolled = $3 WHERE id = $1",
            &[&id, &sealed, &enrolled],
        )
        .await
        .map_err(db)?;
        if sealed.is_none() {
            tx.execute(
                "DELETE FROM operator_sessions WHERE operator_id = $1",
                &[&id],
            )
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        self.all(
            "SELECT id, at, actor, action, subject FROM audit_log
                 WHERE ($1::TEXT IS NULL OR actor = $1) AND ($2::TEXT IS NULL OR action = $2)
                   AND ($3::TEXT IS NULL OR subject = $3) AND ($4::BIGINT IS NULL OR id < $4)
                 ORDER BY id DESC LIMIT $5",
            &[
                &filter.actor,
                &filter.action,
                &filter.subject,
                &filter.before_id,
                &filter.limit.clamp(1, 1000),
            ],
            |r| {
                Ok(AuditEntry {
                    id: get(r, 0)?,
                    at: get(r, 1)?,
                    actor: get(r, 2)?,
                    action: get(r, 3)?,
                    subject: get(r, 4)?,
                })
            },
        )
        .await
    }

    async fn take_totp_step(&self, id: i64, step: i64) -> Result<bool, StoreError> {
        Ok(self
            .exec(
                "UPDATE operators SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2",
                &[&id, &step],
            )
            .await?
            == 1)
    }

    async fn insert_operator_session(
        &self,
        token_hash: Vec<u8>,
        operator_id: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO operator_sessions (token_hash, operator_id, created_at, last_seen) VALUES ($1, $2, $3, $3)",
            &[&token_hash, &operator_id, &now],
        )
        .await
        .map(|_| ())
    }

    async fn operator_session(
        &self,
        token_hash: Vec<u8>,
    ) -> Result<Option<SessionRow>, StoreError> {
        self.maybe(
            "SELECT operator_id, created_at, last_seen FROM operator_sessions WHERE token_hash = $1",
            &[&token_hash],
            session_row,
        )
        .await
    }

    async fn touch_operator_session(
        &self,
        token_hash: Vec<u8>,
        now: i64,
    ) -> Result<(), StoreError> {
        self.exec(
            "UPDATE operator_sessions SET last_seen = $2 WHERE token_hash = $1",
            &[&token_hash, &now],
        )
        .await
        .map(|_| ())
    }

    async fn applications_in(
        &self,
        status: ApplicationStatus,
    ) -> Result<Vec<ApplicationRow>, StoreError> {
        self.all(
            &format!(
                "SELECT {APPLICATION_COLUMNS} FROM applications WHERE status = $1 ORDER BY updated_at, id"
            ),
            &[&status.name()],
            application_row,
        )
        .await
    }

    async fn search_applications(
        &self,
        id: Option<i64>,
        texts: Vec<String>,
        limit: i64,
    ) -> Result<Vec<ApplicationRow>, StoreError> {
        // $1 the number, $2 the limit, then one pattern per text (ILIKE: any letter case).
        let matches: String = (0..texts.len())
            .map(|i| {
                format!(
                    " OR a.requisites ILIKE ${n} OR p.phone ILIKE ${n}",
                    n = i + 3
                )
            })
            .collect();
        let sql = format!(
            "SELECT a.id, a.applicant_id, a.status, a.requisites, a.version, a.registry_confirmed, a.statement_sha256, a.signature_sha256, a.identification, a.renews_serial
             FROM applications a JOIN applicants p ON p.id = a.applicant_id
             WHERE a.id = $1::BIGINT{matches} ORDER BY a.updated_at DESC, a.id DESC LIMIT $2"
        );
        let limit = limit.clamp(1, 200);
        let patterns: Vec<String> = texts
            .iter()
            .map(|t| {
                let escaped = t
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                format!("%{escaped}%")
            })
            .collect();
        let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = vec![&id, &limit];
        params.extend(
            patterns
                .iter()
                .map(|p| p as &(dyn tokio_postgres::types::ToSql + Sync)),
        );
        self.all(&sql, &params, application_row).await
    }

    async fn applicant_phone(&self, applicant_id: i64) -> Result<Option<String>, StoreError> {
        self.opt(
            "SELECT phone FROM applicants WHERE id = $1",
            &[&applicant_id],
        )
        .await?
        .map(|r| get(&r, 0))
        .transpose()
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
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        if !cas_status(&tx, id, &from, to, now).await? {
            return Ok(false);
        }
        // Each change is applied only when given: COALESCE keeps the column otherwise, and
        // the flags say whether a clearing (`Some(None)`) was asked for.
        let (statement_given, statement) = split(changes.statement_sha256);
        let (signature_given, signature) = split(changes.signature_sha256);
        let (identification_given, identification) = split(
            changes
                .identification
                .map(|kind| kind.map(identification_value)),
        );
        tx.execute(
            "UPDATE applications SET
                 requisites = COALESCE($2, requisites),
                 registry_confirmed = COALESCE($3, registry_confirmed),
                 statement_sha256 = CASE WHEN $4 THEN $5 ELSE statement_sha256 END,
                 signature_sha256 = CASE WHEN $6 THEN $7 ELSE signature_sha256 END,
                 identification = CASE WHEN $8 THEN $9 ELSE identification END
             WHERE id = $1",
            &[
                &id,
                &changes.requisites,
                &changes.registry_confirmed,
                &statement_given,
                &statement,
                &signature_given,
                &signature,
                &identification_given,
                &identification,
            ],
        )
        .await
        .map_err(db)?;
        insert_event(&tx, id, &event).await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn record_request(
        &self,
        request: RequestRow,
        from: ApplicationStatus,
        to: ApplicationStatus,
        event: EventRow,
        now: i64,
    ) -> Result<RequestRecorded, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let known = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM certificate_requests WHERE spki_sha256 = $1)
                     OR EXISTS (SELECT 1 FROM certificates WHERE spki_sha256 = $1)",
                &[&request.spki_sha256],
            )
            .await
            .map_err(db)?;
        if get::<bool>(&known, 0)? {
            return Ok(RequestRecorded::KeyKnown);
        }
        if !cas_status(&tx, request.application_id, &[from], to, now).await? {
            return Ok(RequestRecorded::WrongState);
        }
        let inserted = tx
            .execute(
                "INSERT INTO certificate_requests (application_id, der, request_sha256, spki_sha256, storage, serial, not_before, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &[
                    &request.application_id,
                    &request.der,
                    &request.request_sha256,
                    &request.spki_sha256,
                    &request.storage.name(),
                    &request.serial,
                    &request.not_before,
                    &now,
                ],
            )
            .await;
        match inserted {
            // The same key recorded on another application at the same moment: the unique
            // index decided, and this transaction rolls back. (A serial drawn twice is not
            // this: it stays an error.)
            Err(e) if violated(&e) == Some("certificate_requests_spki_sha256_key") => {
                return Ok(RequestRecorded::KeyKnown);
            }
            other => other.map_err(db)?,
        };
        insert_event(&tx, request.application_id, &event).await?;
        tx.commit().await.map_err(db)?;
        Ok(RequestRecorded::Recorded)
    }

    async fn request_of(&self, application_id: i64) -> Result<Option<RequestRow>, StoreError> {
        let Some(r) = self
            .opt(
                "SELECT application_id, der, request_sha256, spki_sha256, storage, serial, not_before
                 FROM certificate_requests WHERE application_id = $1",
                &[&application_id],
            )
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(RequestRow {
            application_id: get(&r, 0)?,
            der: get(&r, 1)?,
            request_sha256: get(&r, 2)?,
            spki_sha256: get(&r, 3)?,
            storage: named(&r, 4)?,
            serial: get(&r, 5)?,
            not_before: get(&r, 6)?,
        }))
    }

    async fn record_certificate(
        &self,
        certificate: CertificateRow,
        issued_on: Option<IssuedOn>,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        if let (Some(app), Some(moved)) = (certificate.application_id, &issued_on) {
            // The row lock orders two instances finishing the same issuance: the second finds
            // the status moved on and records nothing.
            if !cas_status(&tx, app, &[moved.from], moved.to, now).await? {
                return Ok(false);
            }
            insert_event(&tx, app, &moved.event).await?;
        }
        let inserted = tx
            .execute(
                &format!(
                    "INSERT INTO certificates ({CERTIFICATE_COLUMNS}, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                ),
                &[
                    &certificate.serial,
                    &certificate.applicant_id,
                    &certificate.application_id,
                    &certificate.spki_sha256,
                    &certificate.der,
                    &certificate.not_after,
                    &identification_value(certificate.identification),
                    &certificate.status.name(),
                    &certificate.revoked_at,
                    &certificate.reason.map(|r| r.name()),
                    &now,
                ],
            )
            .await;
        match inserted {
            // The application's certificate recorded already (by another instance).
            Err(e) if violated(&e) == Some("certificates_application_id_key") => {
                return Ok(false);
            }
            other => other.map_err(db)?,
        };
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn certificate_of(
        &self,
        application_id: i64,
    ) -> Result<Option<CertificateRow>, StoreError> {
        self.maybe(
            &format!("SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE application_id = $1"),
            &[&application_id],
            certificate_row,
        )
        .await
    }

    async fn certificate(&self, serial: &str) -> Result<Option<CertificateRow>, StoreError> {
        self.maybe(
            &format!("SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE serial = $1"),
            &[&serial],
            certificate_row,
        )
        .await
    }

    async fn certificates_of(&self, applicant_id: i64) -> Result<Vec<CertificateRow>, StoreError> {
        self.all(
            &format!(
                "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE applicant_id = $1 ORDER BY issued_at, serial"
            ),
            &[&applicant_id],
            certificate_row,
        )
        .await
    }

    async fn revoke_certificate(
        &self,
        serial: &str,
        status: CertificateStatus,
        reason: RevocationReason,
        at: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                "UPDATE certificates SET status = $2, reason = $3, revoked_at = $4 WHERE serial = $1 AND status = 'active'",
                &[&serial, &status.name(), &reason.name(), &at],
            )
            .await?;
        Ok(n == 1)
    }

    async fn revoked_certificates(&self) -> Result<Vec<CertificateRow>, StoreError> {
        self.all(
            &format!(
                "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE revoked_at IS NOT NULL ORDER BY revoked_at, serial"
            ),
            &[],
            certificate_row,
        )
        .await
    }

    async fn application_ids_in(&self, status: ApplicationStatus) -> Result<Vec<i64>, StoreError> {
        self.rows(
            "SELECT id FROM applications WHERE status = $1 ORDER BY updated_at, id",
            &[&status.name()],
        )
        .await?
        .iter()
        .map(|r| get(r, 0))
        .collect()
    }

    async fn next_crl_number(&self, issuer: &str) -> Result<i64, StoreError> {
        let row = self
            .one(
                "INSERT INTO crl_numbers (issuer, number) VALUES ($1, 1)
                 ON CONFLICT (issuer) DO UPDATE SET number = crl_numbers.number + 1
                 RETURNING number",
                &[&issuer],
            )
            .await?;
        get(&row, 0)
    }

    async fn latest_crl(&self, issuer: &str) -> Result<Option<StoredCrl>, StoreError> {
        self.opt(
            "SELECT number, der, covered, signed_at FROM crls WHERE issuer = $1",
            &[&issuer],
        )
        .await?
        .map(|r| {
            Ok(StoredCrl {
                number: get(&r, 0)?,
                der: get(&r, 1)?,
                covered: get(&r, 2)?,
                signed_at: get(&r, 3)?,
            })
        })
        .transpose()
    }

    async fn store_crl(&self, issuer: &str, crl: StoredCrl) -> Result<bool, StoreError> {
        let n = self
            .exec(
                "INSERT INTO crls (issuer, number, der, covered, signed_at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (issuer) DO UPDATE SET number = excluded.number, der = excluded.der,
                     covered = excluded.covered, signed_at = excluded.signed_at
                 WHERE crls.number < excluded.number",
                &[&issuer, &crl.number, &crl.der, &crl.covered, &crl.signed_at],
            )
            .await?;
        Ok(n == 1)
    }

    async fn operator_role(&self, operator_id: i64) -> Result<Option<OperatorRole>, StoreError> {
        self.opt("SELECT role FROM operators WHERE id = $1", &[&operator_id])
            .await?
            .map(|r| named(&r, 0))
            .transpose()
    }

    async fn audit(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO audit_log (at, actor, action, subject) VALUES ($1, $2, $3, $4)",
            &[&now, &actor, &action, &subject],
        )
        .await
        .map(|_| ())
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
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        tx.execute(
            "DELETE FROM idempotency_keys WHERE claimed_at < $1",
            &[&expired_before],
        )
        .await
        .map_err(db)?;
        // Claimed by this insert, or found (and locked) as another request left it.
        let inserted = tx
            .execute(
                "INSERT INTO idempotency_keys (scope, key, route, claimed_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (scope, key) DO NOTHING",
                &[&scope, &key, &route, &now],
            )
            .await
            .map_err(db)?;
        if inserted == 1 {
            tx.commit().await.map_err(db)?;
            return Ok(IdempotencyClaim::Claimed);
        }
        let found = tx
            .query_one(
                "SELECT route, claimed_at, status, content_type, body FROM idempotency_keys
                 WHERE scope = $1 AND key = $2 FOR UPDATE",
                &[&scope, &key],
            )
            .await
            .map_err(db)?;
        let claimed_route: String = get(&found, 0)?;
        let claimed_at: i64 = get(&found, 1)?;
        let claim = match get::<Option<i32>>(&found, 2)? {
            Some(status) => IdempotencyClaim::Completed(StoredAnswer {
                route: claimed_route,
                status: u16::try_from(status)
                    .map_err(|e| StoreError::Corrupt(format!("status {status}: {e}")))?,
                content_type: get::<Option<String>>(&found, 3)?.unwrap_or_default(),
                body: get::<Option<Vec<u8>>>(&found, 4)?.unwrap_or_default(),
            }),
            None if claimed_at < abandoned_before && claimed_route == route => {
                tx.execute(
                    "UPDATE idempotency_keys SET claimed_at = $3 WHERE scope = $1 AND key = $2",
                    &[&scope, &key, &now],
                )
                .await
                .map_err(db)?;
                IdempotencyClaim::Claimed
            }
            None => IdempotencyClaim::InProgress {
                route: claimed_route,
            },
        };
        tx.commit().await.map_err(db)?;
        Ok(claim)
    }

    async fn complete_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        answer: StoredAnswer,
    ) -> Result<(), StoreError> {
        self.exec(
            "UPDATE idempotency_keys SET status = $3, content_type = $4, body = $5
             WHERE scope = $1 AND key = $2",
            &[
                &scope,
                &key,
                &i32::from(answer.status),
                &answer.content_type,
                &answer.body,
            ],
        )
        .await
        .map(|_| ())
    }

    async fn release_idempotency_key(&self, scope: &str, key: &str) -> Result<(), StoreError> {
        self.exec(
            "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status IS NULL",
            &[&scope, &key],
        )
        .await
        .map(|_| ())
    }

    async fn ping_writable(&self) -> Result<(), StoreError> {
        // A standby (a replica, or the old primary after a failover) answers but takes no
        // write: such an instance is not ready.
        let row = self.one("SELECT pg_is_in_recovery()", &[]).await?;
        if get::<bool>(&row, 0)? {
            return Err(StoreError::Unavailable(
                "the database is a read-only standby".into(),
            ));
        }
        Ok(())
    }

    async fn enqueue_notice(&self, notice: NoticeRow) -> Result<i64, StoreError> {
        let row = self
            .one(
                "INSERT INTO outbox (channel, recipient, subject, body, created_at, next_at)
                 VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                &[
                    &notice.channel.name(),
                    &notice.recipient,
                    &notice.subject,
                    &notice.body,
                    &notice.created_at,
                ],
            )
            .await?;
        get(&row, 0)
    }

    async fn claim_due_notices(
        &self,
        now: i64,
        lease_until: i64,
        limit: usize,
    ) -> Result<Vec<NoticeRow>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        // SKIP LOCKED: instances sweeping at the same moment take different notices.
        self.all(
            "UPDATE outbox SET next_at = $2 WHERE id IN (
                 SELECT id FROM outbox WHERE next_at IS NOT NULL AND next_at <= $1
                 ORDER BY next_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
             RETURNING id, channel, recipient, subject, body, tries, created_at",
            &[&now, &lease_until, &limit],
            notice_row,
        )
        .await
    }

    async fn record_notice_attempt(
        &self,
        id: i64,
        attempt: NoticeAttempt,
    ) -> Result<(), StoreError> {
        match attempt {
            NoticeAttempt::Delivered { at } => {
                self.exec(
                    "UPDATE outbox SET tries = tries + 1, delivered_at = $2, next_at = NULL,
                     last_error = NULL WHERE id = $1",
                    &[&id, &at],
                )
                .await
            }
            NoticeAttempt::Failed { error, next_at } => {
                self.exec(
                    "UPDATE outbox SET tries = tries + 1, next_at = $2, last_error = $3 WHERE id = $1",
                    &[&id, &next_at, &error],
                )
                .await
            }
        }
        .map(|_| ())
    }

    async fn pending_notices(&self) -> Result<i64, StoreError> {
        let row = self
            .one("SELECT COUNT(*) FROM outbox WHERE next_at IS NOT NULL", &[])
            .await?;
        get(&row, 0)
    }

    async fn put_blob(&self, sha256: String, bytes: Vec<u8>, now: i64) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO blobs (sha256, bytes, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (sha256) DO NOTHING",
            &[&sha256, &bytes, &now],
        )
        .await
        .map(|_| ())
    }

    async fn blob(&self, sha256: String) -> Result<Option<Vec<u8>>, StoreError> {
        self.opt("SELECT bytes FROM blobs WHERE sha256 = $1", &[&sha256])
            .await?
            .map(|r| get(&r, 0))
            .transpose()
    }

    async fn take_lease(
        &self,
        name: &str,
        holder: &str,
        now: i64,
        until: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                "INSERT INTO leases (name, holder, until) VALUES ($1, $2, $4)
                 ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
                 WHERE leases.holder = excluded.holder OR leases.until < $3",
                &[&name, &holder, &now, &until],
            )
            .await?;
        Ok(n == 1)
    }
}

/// An optional change split into "given" and the value (None clears the column).
fn split<T>(change: Option<Option<T>>) -> (bool, Option<T>) {
    match change {
        Some(value) => (true, value),
        None => (false, None),
    }
}
