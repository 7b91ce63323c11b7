//! TLS to PostgreSQL: kep-ca checks the server's certificate against the roots it trusts and
//! the host's name, and refuses a server it cannot check or one that does not speak TLS — on a
//! real server with `ssl = on` and certificates made for the test.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kep_ca::store::postgres::{PostgresConfig, PostgresTls};
use kep_ca::store::{Database, DatabaseConfig};
use kep_system_tests::postgres::Cluster;
use kep_system_tests::tls::test_tls;
use kep_system_tests::tools::Scratch;
use std::time::Duration;

fn verified(url: String, root_pem: &str) -> DatabaseConfig {
    DatabaseConfig::Postgres(PostgresConfig {
        url,
        password: None,
        pool_size: 2,
        connect_timeout: Duration::from_secs(3),
        tls: PostgresTls::VerifyFull {
            extra_root: Some(root_pem.as_bytes().to_vec()),
        },
    })
}

#[tokio::test]
async fn the_connection_is_encrypted_and_the_server_checked() {
    let scratch = Scratch::new("ca-db-tls");
    let server = test_tls(&scratch.path("server"), "postgres");
    let cluster = Cluster::start_tls(&server.chain, &server.key);
    let url = cluster.database();

    let store = Database::open(&verified(url.clone(), &server.root_pem))
        .await
        .unwrap();
    assert!(store.schema_version().await.unwrap() > 0);
    // The server's own view: every connection of kep-ca's is over TLS.
    let (admin, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let row = admin
        .query_one(
            "SELECT count(*), coalesce(bool_and(s.ssl), false) FROM pg_stat_ssl s
             JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'kep-ca'",
            &[],
        )
        .await
        .unwrap();
    let (connections, all_tls): (i64, bool) = (row.get(0), row.get(1));
    assert!(
        connections > 0 && all_tls,
        "{connections} connections, all TLS: {all_tls}"
    );

    // A server whose certificate no trusted root signed is refused, and says why.
    let stranger = test_tls(&scratch.path("stranger"), "stranger");
    let error = Database::open(&verified(url.clone(), &stranger.root_pem))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("unavailable") && error.contains("certificate"),
        "{error}"
    );
}

#[tokio::test]
async fn a_server_without_tls_is_refused_when_tls_is_required() {
    let scratch = Scratch::new("ca-db-no-tls");
    let server = test_tls(&scratch.path("server"), "postgres");
    let cluster = Cluster::start();
    let error = Database::open(&verified(cluster.database(), &server.root_pem))
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("TLS"), "{error}");
}
