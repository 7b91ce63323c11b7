//! Where the list of accredited CAs is kept: each import (its version, hash, source and outcome)
//! and the CAs it brought, one row each. An import streams its CAs in under a state of its own
//! (`loading`) and becomes `current` in one step, only when its version is newer than the
//! current one's — so a failed or older import never touches the list in use, and every
//! instance over the database sees the same list.

use super::StoreError;
use super::database::Database;
use super::postgres::{PostgresStore, db as pg_db, get as pg_get};
use super::sqlite::SqliteStore;
use rusqlite::{OptionalExtension, params};
use std::future::Future;

/// One import of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustImportRow {
    /// Its id (0 before it is recorded).
    pub id: i64,
    /// The list's `Версия`.
    pub version: i64,
    /// The list's `Дата` (Unix seconds).
    pub list_date: i64,
    /// SHA-256 of the file (hex, lower case).
    pub sha256: String,
    /// Where it came from (a file path or a URL).
    pub source: String,
    /// When the import began.
    pub started_at: i64,
    /// When it ended, if it has.
    pub finished_at: Option<i64>,
    /// `loading`, `current`, `replaced`, `ignored` or `failed`.
    pub state: String,
    /// What happened, in words (why it was ignored or failed).
    pub outcome: Option<String>,
    /// How many CAs it brought.
    pub cas: i64,
    /// How many certificates.
    pub certificates: i64,
}

impl TrustImportRow {
    /// An import about to begin, not yet recorded.
    pub fn loading(version: i64, list_date: i64, sha256: String, source: &str, now: i64) -> Self {
        Self {
            id: 0,
            version,
            list_date,
            sha256,
            source: source.to_owned(),
            started_at: now,
            finished_at: None,
            state: "loading".into(),
            outcome: None,
            cas: 0,
            certificates: 0,
        }
    }
}

/// One CA of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustCaRow {
    /// `Название`.
    pub name: String,
    /// `ИНН`.
    pub inn: String,
    /// `ОГРН`.
    pub ogrn: String,
    /// `РеестровыйНомер`.
    pub registry_number: String,
    /// Its accreditation, keys and certificates (JSON, `crate::trust`'s format).
    pub body: String,
}

/// The list's storage.
pub trait TrustStore: Send + Sync + 'static {
    /// Records an import that begins (state `loading`); answers its id.
    fn begin_trust_import(
        &self,
        import: TrustImportRow,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;

    /// Adds a CA to an import under way.
    fn add_trust_ca(
        &self,
        import_id: i64,
        position: i64,
        ca: TrustCaRow,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Makes the import current if its version is newer than the current one's (the current
    /// one becomes `replaced`): true; else it is `ignored` and its CAs dropped: false.
    fn finish_trust_import(
        &self,
        import_id: i64,
        cas: i64,
        certificates: i64,
        now: i64,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Ends an import without using it (`failed` or `ignored`, with why); its CAs are dropped.
    fn close_trust_import(
        &self,
        import_id: i64,
        state: &str,
        outcome: &str,
        now: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The current import, if any.
    fn current_trust_import(
        &self,
    ) -> impl Future<Output = Result<Option<TrustImportRow>, StoreError>> + Send;

    /// The CAs of the current import, in the list's order.
    fn trust_cas(&self) -> impl Future<Output = Result<Vec<TrustCaRow>, StoreError>> + Send;

    /// The latest imports, newest first.
    fn trust_imports(
        &self,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<TrustImportRow>, StoreError>> + Send;
}

const IMPORT_COLUMNS: &str = "id, version, list_date, sha256, source, started_at, finished_at, state, outcome, cas, certificates";

fn import_of_sqlite(r: &rusqlite::Row<'_>) -> rusqlite::Result<TrustImportRow> {
    Ok(TrustImportRow {
        id: r.get(0)?,
        version: r.get(1)?,
        list_date: r.get(2)?,
        sha256: r.get(3)?,
        source: r.get(4)?,
        started_at: r.get(5)?,
        finished_at: r.get(6)?,
        state: r.get(7)?,
        outcome: r.get(8)?,
        cas: r.get(9)?,
        certificates: r.get(10)?,
    })
}

impl TrustStore for SqliteStore {
    async fn begin_trust_import(&self, i: TrustImportRow) -> Result<i64, StoreError> {
        self.with(move |c| {
            c.execute(
                "INSERT INTO trust_imports (version, list_date, sha256, source, started_at, state)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'loading')",
                params![i.version, i.list_date, i.sha256, i.source, i.started_at],
            )?;
            Ok(c.last_insert_rowid())
        })
        .await
    }

    async fn add_trust_ca(
        &self,
        import_id: i64,
        position: i64,
        ca: TrustCaRow,
    ) -> Result<(), StoreError> {
        self.with(move |c| {
            c.execute(
                "INSERT INTO trust_cas (import_id, position, name, inn, ogrn, registry_number, body)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![import_id, position, ca.name, ca.inn, ca.ogrn, ca.registry_number, ca.body],
            )
            .map(|_| ())
        })
        .await
    }

    async fn finish_trust_import(
        &self,
        import_id: i64,
        cas: i64,
        certificates: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.with(move |c| {
            let tx = c.unchecked_transaction()?;
            let newer: bool = tx.query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM trust_imports WHERE state = 'current'
                     AND version >= (SELECT version FROM trust_imports WHERE id = ?1))",
                params![import_id],
                |r| r.get(0),
            )?;
            if newer {
                tx.execute(
                    "UPDATE trust_imports SET state = 'replaced' WHERE state = 'current'",
                    [],
                )?;
                tx.execute(
                    "UPDATE trust_imports SET state = 'current', finished_at = ?2, cas = ?3,
                         certificates = ?4, outcome = NULL WHERE id = ?1",
                    params![import_id, now, cas, certificates],
                )?;
            } else {
                tx.execute(
                    "DELETE FROM trust_cas WHERE import_id = ?1",
                    params![import_id],
                )?;
                tx.execute(
                    "UPDATE trust_imports SET state = 'ignored', finished_at = ?2,
                         outcome = 'a list of this version or newer is in use' WHERE id = ?1",
                    params![import_id, now],
                )?;
            }
            tx.commit()?;
            Ok(newer)
        })
        .await
    }

    async fn close_trust_import(
        &self,
        import_id: i64,
        state: &str,
        outcome: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let (state, outcome) = (state.to_owned(), outcome.to_owned());
        self.with(move |c| {
            let tx = c.unchecked_transaction()?;
            tx.execute(
                "DELETE FROM trust_cas WHERE import_id = ?1",
                params![import_id],
            )?;
            tx.execute(
                "UPDATE trust_imports SET state = ?2, outcome = ?3, finished_at = ?4
                 WHERE id = ?1 AND state = 'loading'",
                params![import_id, state, outcome, now],
            )?;
            tx.commit()
        })
        .await
    }

    async fn current_trust_import(&self) -> Result<Option<TrustImportRow>, StoreError> {
        self.read(|c| {
            c.query_row(
                &format!("SELECT {IMPORT_COLUMNS} FROM trust_imports WHERE state = 'current'"),
                [],
                import_of_sqlite,
            )
            .optional()
        })
        .await
    }

    async fn trust_cas(&self) -> Result<Vec<TrustCaRow>, StoreError> {
        self.read(|c| {
            let mut statement = c.prepare_cached(
                "SELECT name, inn, ogrn, registry_number, body FROM trust_cas
                 WHERE import_id = (SELECT id FROM trust_imports WHERE state = 'current')
                 ORDER BY position",
            )?;
            let rows = statement.query_map([], |r| {
                Ok(TrustCaRow {
                    name: r.get(0)?,
                    inn: r.get(1)?,
                    ogrn: r.get(2)?,
                    registry_number: r.get(3)?,
                    body: r.get(4)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    async fn trust_imports(&self, limit: i64) -> Result<Vec<TrustImportRow>, StoreError> {
        self.read(move |c| {
            let mut statement = c.prepare_cached(&format!(
                "SELECT {IMPORT_COLUMNS} FROM trust_imports ORDER BY id DESC LIMIT ?1"
            ))?;
            let rows = statement.query_map(params![limit], import_of_sqlite)?;
            rows.collect()
        })
        .await
    }
}

fn import_of_postgres(r: &tokio_postgres::Row) -> Result<TrustImportRow, StoreError> {
    Ok(TrustImportRow {
        id: pg_get(r, 0)?,
        version: pg_get(r, 1)?,
        list_date: pg_get(r, 2)?,
        sha256: pg_get(r, 3)?,
        source: pg_get(r, 4)?,
        started_at: pg_get(r, 5)?,
        finished_at: pg_get(r, 6)?,
        state: pg_get(r, 7)?,
        outcome: pg_get(r, 8)?,
        cas: pg_get(r, 9)?,
        certificates: pg_get(r, 10)?,
    })
}

impl TrustStore for PostgresStore {
    async fn begin_trust_import(&self, i: TrustImportRow) -> Result<i64, StoreError> {
        let row = self
            .one(
                "INSERT INTO trust_imports (version, list_date, sha256, source, started_at, state)
                 VALUES ($1, $2, $3, $4, $5, 'loading') RETURNING id",
                &[
                    &i.version,
                    &i.list_date,
                    &i.sha256,
                    &i.source,
                    &i.started_at,
                ],
            )
            .await?;
        pg_get(&row, 0)
    }

    async fn add_trust_ca(
        &self,
        import_id: i64,
        position: i64,
        ca: TrustCaRow,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO trust_cas (import_id, position, name, inn, ogrn, registry_number, body)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &import_id,
                &position,
                &ca.name,
                &ca.inn,
                &ca.ogrn,
                &ca.registry_number,
                &ca.body,
            ],
        )
        .await
        .map(|_| ())
    }

    async fn finish_trust_import(
        &self,
        import_id: i64,
        cas: i64,
        certificates: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_db)?;
        // One import becomes current at a time, across instances.
        tx.execute("LOCK TABLE trust_imports IN SHARE ROW EXCLUSIVE MODE", &[])
            .await
            .map_err(pg_db)?;
        let row = tx
            .query_one(
                "SELECT NOT EXISTS (SELECT 1 FROM trust_imports WHERE state = 'current'
                     AND version >= (SELECT version FROM trust_imports WHERE id = $1))",
                &[&import_id],
            )
            .await
            .map_err(pg_db)?;
        let newer: bool = pg_get(&row, 0)?;
        if newer {
            tx.execute(
                "UPDATE trust_imports SET state = 'replaced' WHERE state = 'current'",
                &[],
            )
            .await
            .map_err(pg_db)?;
            tx.execute(
                "UPDATE trust_imports SET state = 'current', finished_at = $2, cas = $3,
                     certificates = $4, outcome = NULL WHERE id = $1",
                &[&import_id, &now, &cas, &certificates],
            )
            .await
            .map_err(pg_db)?;
        } else {
            tx.execute("DELETE FROM trust_cas WHERE import_id = $1", &[&import_id])
                .await
                .map_err(pg_db)?;
            tx.execute(
                "UPDATE trust_imports SET state = 'ignored', finished_at = $2,
                     outcome = 'a list of this version or newer is in use' WHERE id = $1",
                &[&import_id, &now],
            )
            .await
            .map_err(pg_db)?;
        }
        tx.commit().await.map_err(pg_db)?;
        Ok(newer)
    }

    async fn close_trust_import(
        &self,
        import_id: i64,
        state: &str,
        outcome: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_db)?;
        tx.execute("DELETE FROM trust_cas WHERE import_id = $1", &[&import_id])
            .await
            .map_err(pg_db)?;
        tx.execute(
            "UPDATE trust_imports SET state = $2, outcome = $3, finished_at = $4
             WHERE id = $1 AND state = 'loading'",
            &[&import_id, &state, &outcome, &now],
        )
        .await
        .map_err(pg_db)?;
        tx.commit().await.map_err(pg_db)
    }

    async fn current_trust_import(&self) -> Result<Option<TrustImportRow>, StoreError> {
        self.opt(
            &format!("SELECT {IMPORT_COLUMNS} FROM trust_imports WHERE state = 'current'"),
            &[],
        )
        .await?
        .as_ref()
        .map(import_of_postgres)
        .transpose()
    }

    async fn trust_cas(&self) -> Result<Vec<TrustCaRow>, StoreError> {
        self.all(
            "SELECT name, inn, ogrn, registry_number, body FROM trust_cas
             WHERE import_id = (SELECT id FROM trust_imports WHERE state = 'current')
             ORDER BY position",
            &[],
            |r| {
                Ok(TrustCaRow {
                    name: pg_get(r, 0)?,
                    inn: pg_get(r, 1)?,
                    ogrn: pg_get(r, 2)?,
                    registry_number: pg_get(r, 3)?,
                    body: pg_get(r, 4)?,
                })
            },
        )
        .await
    }

    async fn trust_imports(&self, limit: i64) -> Result<Vec<TrustImportRow>, StoreError> {
        self.all(
            &format!("SELECT {IMPORT_COLUMNS} FROM trust_imports ORDER BY id DESC LIMIT $1"),
            &[&limit],
            import_of_postgres,
        )
        .await
    }
}

impl TrustStore for Database {
    async fn begin_trust_import(&self, import: TrustImportRow) -> Result<i64, StoreError> {
        match self {
            Self::Sqlite(s) => s.begin_trust_import(import).await,
            Self::Postgres(s) => s.begin_trust_import(import).await,
        }
    }

    async fn add_trust_ca(
        &self,
        import_id: i64,
        position: i64,
        ca: TrustCaRow,
    ) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(s) => s.add_trust_ca(import_id, position, ca).await,
            Self::Postgres(s) => s.add_trust_ca(import_id, position, ca).await,
        }
    }

    async fn finish_trust_import(
        &self,
        import_id: i64,
        cas: i64,
        certificates: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        match self {
            Self::Sqlite(s) => {
                s.finish_trust_import(import_id, cas, certificates, now)
                    .await
            }
            Self::Postgres(s) => {
                s.finish_trust_import(import_id, cas, certificates, now)
                    .await
            }
        }
    }

    async fn close_trust_import(
        &self,
        import_id: i64,
        state: &str,
        outcome: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(s) => s.close_trust_import(import_id, state, outcome, now).await,
            Self::Postgres(s) => s.close_trust_import(import_id, state, outcome, now).await,
        }
    }

    async fn current_trust_import(&self) -> Result<Option<TrustImportRow>, StoreError> {
        match self {
            Self::Sqlite(s) => s.current_trust_import().await,
            Self::Postgres(s) => s.current_trust_import().await,
        }
    }

    async fn trust_cas(&self) -> Result<Vec<TrustCaRow>, StoreError> {
        match self {
            Self::Sqlite(s) => s.trust_cas().await,
            Self::Postgres(s) => s.trust_cas().await,
        }
    }

    async fn trust_imports(&self, limit: i64) -> Result<Vec<TrustImportRow>, StoreError> {
        match self {
            Self::Sqlite(s) => s.trust_imports(limit).await,
            Self::Postgres(s) => s.trust_imports(limit).await,
        }
    }
}
