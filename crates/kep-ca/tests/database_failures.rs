//! The database failing under the service: unreachable when it starts (a clear message and a
//! non-zero exit), lost while it runs (`/readyz` fails, requests get `503 {kind, message}`,
//! and all is well again once it returns), and a migration that fails half-way run again — on
//! PostgreSQL (a cluster of each test's own, stopped and started by the test) and on SQLite.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::database;
use kep_ca::store::{Database, DatabaseConfig};
use kep_protocol::{ApiError, ErrorKind};
use kep_system_tests::postgres::Cluster;
use kep_system_tests::tools::{Scratch, free_port};
use serde_json::json;
use std::process::Command;
use std::time::{Duration, Instant};

/// A production configuration whose database is PostgreSQL at `url`.
fn config_file(scratch: &Scratch, url: &str) -> std::path::PathBuf {
    scratch.write("secrets/ca-key-password", "password of the CA key\n");
    scratch.write(
        "secrets/login-code-key",
        "9d2f4a6c8e1b3d5f7a9c0e2b4d6f8a1c3e5b7d9f0a7f3a9c2e4b1d8f6a0c5e7b\n",
    );
    scratch.write(
        "kep-ca.toml",
        format!(
            r#"
[service]
data = "{data}"
listen = "127.0.0.1:{port}"
public_url = "http://127.0.0.1:{port}"

[secrets]
ca_key_password = {{ file = "{secrets}/ca-key-password" }}
login_code_key = {{ file = "{secrets}/login-code-key" }}

[telephony]
provider = "webhook"
url = "http://127.0.0.1:9/call"

[registry]
provider = "webhook"
url = "http://127.0.0.1:9/check"

[notifications]
provider = "webhook"
url = "http://127.0.0.1:9/send"

[database]
engine = "postgres"
url = "{url}"
connect_timeout_s = 2
"#,
            data = scratch.path("data").display(),
            port = free_port(),
            secrets = scratch.path("secrets").display(),
        ),
    );
    scratch.path("kep-ca.toml")
}

#[test]
fn an_unreachable_database_stops_the_start_with_a_clear_message() {
    let scratch = Scratch::new("ca-db-unreachable");
    let nobody = format!("host=127.0.0.1 port={} user=kep dbname=kep", free_port());
    let config = config_file(&scratch, &nobody);
    for command in ["serve", "migrate"] {
        let out = Command::new(env!("CARGO_BIN_EXE_kep-ca"))
            .args([command, "--config"])
            .arg(&config)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{command}: {said}");
        assert!(
            said.contains("unavailable") && said.contains("127.0.0.1"),
            "{command} says what it could not reach: {said}"
        );
    }
}

async fn readyz(base: &str) -> u16 {
    reqwest::get(format!("{base}/readyz"))
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

#[tokio::test]
async fn a_database_lost_mid_run_answers_unavailable_until_it_returns() {
    let cluster = Cluster::start();
    let url = cluster.database();
    let ca = common::start_with("ca-db-lost", |c| c.database = database::postgres(url)).await;
    assert_eq!(readyz(&ca.base).await, 200);
    let (status, _) = ca
        .post("/api/v1/auth/code", json!({ "phone": "+79990000051" }))
        .await;
    assert_eq!(status, 200);

    cluster.stop();
    assert_eq!(
        readyz(&ca.base).await,
        503,
        "not ready without its database"
    );
    let (status, body) = ca
        .post("/api/v1/auth/code", json!({ "phone": "+79990000052" }))
        .await;
    assert_eq!(status, 503, "{body}");
    let error: ApiError = serde_json::from_value(body).unwrap();
    assert_eq!(error.kind, ErrorKind::Unavailable);
    assert_eq!(error.message, kep_ca::messages_ru::DATABASE_UNAVAILABLE);

    cluster.start_again();
    let deadline = Instant::now() + Duration::from_secs(30);
    while readyz(&ca.base).await != 200 {
        assert!(
            Instant::now() < deadline,
            "ready again once the database is back"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (status, body) = ca
        .post("/api/v1/auth/code", json!({ "phone": "+79990000052" }))
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_failed_postgres_migration_changes_nothing_and_runs_again() {
    let cluster = Cluster::start();
    let url = cluster.database();
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    // A table in the way of the migration's last statement: it fails at the very end.
    client
        .batch_execute("CREATE TABLE leases (x INTEGER)")
        .await
        .unwrap();
    let db = database::postgres(url.clone());
    let error = Database::open(&db).await.unwrap_err().to_string();
    assert!(error.contains("migration 1"), "{error}");
    let tables: i64 = client
        .query_one(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        tables, 1,
        "only the table in the way: the migration rolled back"
    );

    client.batch_execute("DROP TABLE leases").await.unwrap();
    let store = Database::open(&db).await.unwrap();
    assert_eq!(
        store.schema_version().await.unwrap(),
        store.migrations_known() as i64
    );
    // And `kep-ca migrate` on the configuration says so.
    let scratch = Scratch::new("ca-db-migrate");
    let out = Command::new(env!("CARGO_BIN_EXE_kep-ca"))
        .args(["migrate", "--config"])
        .arg(config_file(&scratch, &url))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let known = store.migrations_known();
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains(&format!("schema at version {known} of {known}")),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[tokio::test]
async fn a_failed_sqlite_migration_stops_at_the_version_before_and_runs_again() {
    let scratch = Scratch::new("ca-db-sqlite-migration");
    let path = scratch.path("kep-ca.sqlite");
    {
        let db = rusqlite::Connection::open(&path).unwrap();
        db.execute_batch("CREATE TABLE leases (x INTEGER)").unwrap();
    }
    let config = DatabaseConfig::Sqlite(path.clone());
    // Migration 7 makes `blobs`, then `leases`: it fails at its second table.
    let error = Database::open(&config).await.unwrap_err().to_string();
    assert!(error.contains("migration 7"), "{error}");
    let last = kep_ca::store::sqlite::SqliteStore::migrations_known();
    {
        let db = rusqlite::Connection::open(&path).unwrap();
        let version: i64 = db
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 6, "the versions before it stand");
        let blobs: i64 = db
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'blobs'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(blobs, 0, "the failed migration's first table rolled back");
        db.execute_batch("DROP TABLE leases").unwrap();
    }
    let store = Database::open(&config).await.unwrap();
    assert_eq!(store.schema_version().await.unwrap() as usize, last);
}
