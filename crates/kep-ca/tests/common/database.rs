//! The database a test's kep-ca runs on: SQLite in its data folder, or — when the run selects
//! PostgreSQL (`KEP_CA_TEST_STORE=postgres`, set by scripts/test.sh for the second pass of the
//! suite) — a fresh database on the run's throwaway cluster. One set of tests, both backends.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kep_ca::store::DatabaseConfig;
use kep_ca::store::postgres::PostgresConfig;
use std::path::Path;
use std::time::Duration;

/// PostgreSQL at `url` as the tests use it.
pub fn postgres(url: String) -> DatabaseConfig {
    DatabaseConfig::Postgres(PostgresConfig {
        url,
        password: None,
        pool_size: 8,
        connect_timeout: Duration::from_secs(3),
        tls: kep_ca::store::postgres::PostgresTls::Disabled,
    })
}

/// The database of a CA whose data folder is `data`.
pub fn for_data(data: &Path) -> DatabaseConfig {
    if kep_system_tests::postgres::selected() {
        postgres(kep_system_tests::postgres::shared_database())
    } else {
        DatabaseConfig::Sqlite(data.join("kep-ca.sqlite"))
    }
}

/// The `[database]` section of a configuration file for `database`.
pub fn section(database: &DatabaseConfig) -> String {
    match database {
        DatabaseConfig::Sqlite(_) => String::new(),
        DatabaseConfig::Postgres(pg) => {
            format!("[database]\nengine = \"postgres\"\nurl = \"{}\"\n", pg.url)
        }
    }
}
