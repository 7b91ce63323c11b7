//! The PostgreSQL schema's migrations, applied in order under an advisory lock (instances that
//! start together wait for each other rather than race); `schema_migrations` records how far a
//! database is. PostgreSQL's DDL is transactional, so all pending migrations run in one
//! transaction: one that is interrupted leaves the schema as it was, and the next start (or
//! `kep-ca migrate`) runs it again.

/// The advisory lock key migrations hold ("kepm" in ASCII).
pub(super) const MIGRATION_LOCK: i64 = 0x6b65_706d;

/// Each entry moves the schema one version up. Never edit a released entry: append a new one.
/// Version 1 is the SQLite schema at its version 7, in PostgreSQL's types; version 2 matches
/// SQLite's 8, version 3 SQLite's 9.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: everything the service stores.
    "CREATE TABLE login_codes (
         id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         phone TEXT NOT NULL,
         client TEXT NOT NULL,
         code_mac BYTEA NOT NULL,
         issued_at BIGINT NOT NULL,
         expires_at BIGINT NOT NULL,
         tries BIGINT NOT NULL DEFAULT 0,
         spent BOOLEAN NOT NULL DEFAULT FALSE
     );
     CREATE INDEX login_codes_phone ON login_codes (phone, issued_at);
     CREATE INDEX login_codes_client ON login_codes (client, issued_at);
     CREATE TABLE applicants (
         id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         phone TEXT NOT NULL UNIQUE,
         created_at BIGINT NOT NULL
     );
     CREATE TABLE sessions (
         token_hash BYTEA PRIMARY KEY,
         applicant_id BIGINT NOT NULL REFERENCES applicants (id),
         created_at BIGINT NOT NULL,
         last_seen BIGINT NOT NULL
     );
     CREATE TABLE audit_log (
         id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         at BIGINT NOT NULL,
         actor TEXT NOT NULL,
         action TEXT NOT NULL,
         subject TEXT NOT NULL
     );
     CREATE TABLE applications (
         id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         applicant_id BIGINT NOT NULL REFERENCES applicants (id),
         status TEXT NOT NULL,
         requisites TEXT,
         version BIGINT NOT NULL DEFAULT 1,
         created_at BIGINT NOT NULL,
         updated_at BIGINT NOT NULL,
         registry_confirmed BOOLEAN NOT NULL DEFAULT FALSE,
         statement_sha256 TEXT,
         signature_sha256 TEXT,
         identification BIGINT
     );
     CREATE INDEX applications_applicant ON applications (applicant_id);
     CREATE INDEX applications_status ON applications (status, updated_at);
     CREATE TABLE application_events (
         id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         application_id BIGINT NOT NULL REFERENCES applications (id),
         at BIGINT NOT NULL,
         actor TEXT NOT NULL,
         status TEXT NOT NULL,
         comment TEXT
     );
     CREATE INDEX application_events_application ON application_events (application_id);
     CREATE TABLE documents (
         id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         application_id BIGINT NOT NULL REFERENCES applications (id),
         kind TEXT NOT NULL,
         media_type TEXT NOT NULL,
         size BIGINT NOT NULL,
         sha256 TEXT NOT NULL,
         created_at BIGINT NOT NULL
     );
     CREATE INDEX documents_application ON documents (application_id);
     CREATE TABLE operators (
         id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         login TEXT NOT NULL UNIQUE,
         password_phc TEXT NOT NULL,
         created_at BIGINT NOT NULL,
         role TEXT NOT NULL DEFAULT 'reviewer'
     );
     CREATE TABLE operator_sessions (
         token_hash BYTEA PRIMARY KEY,
         operator_id BIGINT NOT NULL REFERENCES operators (id),
         created_at BIGINT NOT NULL,
         last_seen BIGINT NOT NULL
     );
     CREATE TABLE certificate_requests (
         application_id BIGINT PRIMARY KEY REFERENCES applications (id),
         der BYTEA NOT NULL,
         request_sha256 TEXT NOT NULL,
         spki_sha256 TEXT NOT NULL UNIQUE,
         storage TEXT NOT NULL,
         serial TEXT NOT NULL UNIQUE,
         not_before BIGINT NOT NULL,
         created_at BIGINT NOT NULL
     );
     CREATE TABLE certificates (
         serial TEXT PRIMARY KEY,
         applicant_id BIGINT NOT NULL REFERENCES applicants (id),
         application_id BIGINT UNIQUE REFERENCES applications (id),
         spki_sha256 TEXT NOT NULL UNIQUE,
         der BYTEA NOT NULL,
         not_after BIGINT NOT NULL,
         identification BIGINT NOT NULL,
         status TEXT NOT NULL,
         revoked_at BIGINT,
         reason TEXT,
         issued_at BIGINT NOT NULL
     );
     CREATE INDEX certificates_applicant ON certificates (applicant_id);
     CREATE INDEX certificates_revoked ON certificates (revoked_at) WHERE revoked_at IS NOT NULL;
     CREATE TABLE crl_numbers (
         issuer TEXT PRIMARY KEY,
         number BIGINT NOT NULL
     );
     CREATE TABLE idempotency_keys (
         scope TEXT NOT NULL,
         key TEXT NOT NULL,
         route TEXT NOT NULL,
         claimed_at BIGINT NOT NULL,
         status INTEGER,
         content_type TEXT,
         body BYTEA,
         PRIMARY KEY (scope, key)
     );
     CREATE INDEX idempotency_keys_claimed ON idempotency_keys (claimed_at);
     CREATE TABLE outbox (
         id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         channel TEXT NOT NULL,
         recipient TEXT NOT NULL,
         subject TEXT NOT NULL,
         body TEXT NOT NULL,
         created_at BIGINT NOT NULL,
         tries BIGINT NOT NULL DEFAULT 0,
         next_at BIGINT,
         delivered_at BIGINT,
         last_error TEXT
     );
     CREATE INDEX outbox_due ON outbox (next_at) WHERE next_at IS NOT NULL;
     CREATE TABLE blobs (
         sha256 TEXT PRIMARY KEY,
         bytes BYTEA NOT NULL,
         created_at BIGINT NOT NULL
     );
     CREATE TABLE leases (
         name TEXT PRIMARY KEY,
         holder TEXT NOT NULL,
         until BIGINT NOT NULL
     );",
    // 2: the newest signed CRL, so that every instance hands out the same one.
    "CREATE TABLE crls (
         issuer TEXT PRIMARY KEY,
         number BIGINT NOT NULL,
         der BYTEA NOT NULL,
         covered TEXT NOT NULL,
         signed_at BIGINT NOT NULL
     );",
    // 3: operator accounts fit for a CA (SQLite's 9).
    "ALTER TABLE operators ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
     ALTER TABLE operators ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;
     ALTER TABLE operators ADD COLUMN locked_until BIGINT NOT NULL DEFAULT 0;
     ALTER TABLE operators ADD COLUMN totp_sealed BYTEA;
     ALTER TABLE operators ADD COLUMN totp_enrolled BOOLEAN NOT NULL DEFAULT FALSE;
     ALTER TABLE operators ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;",
    // 4: the certificate an application renews (SQLite's 10).
    "ALTER TABLE applications ADD COLUMN renews_serial TEXT;",
    // 5: the Ministry's list of accredited CAs (SQLite's 11).
    "CREATE TABLE trust_imports (
         id BIGSERIAL PRIMARY KEY,
         version BIGINT NOT NULL,
         list_date BIGINT NOT NULL,
         sha256 TEXT NOT NULL,
         source TEXT NOT NULL,
         started_at BIGINT NOT NULL,
         finished_at BIGINT,
         state TEXT NOT NULL,
         outcome TEXT,
         cas BIGINT NOT NULL DEFAULT 0,
         certificates BIGINT NOT NULL DEFAULT 0
     );
     CREATE UNIQUE INDEX trust_imports_current ON trust_imports (state) WHERE state = 'current';
     CREATE TABLE trust_cas (
         import_id BIGINT NOT NULL REFERENCES trust_imports (id),
         position BIGINT NOT NULL,
         name TEXT NOT NULL,
         inn TEXT NOT NULL,
         ogrn TEXT NOT NULL,
         registry_number TEXT NOT NULL,
         body TEXT NOT NULL,
         PRIMARY KEY (import_id, position)
     );",
];
