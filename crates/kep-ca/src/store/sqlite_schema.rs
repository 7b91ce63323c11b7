//! The SQLite schema's migrations, applied in order; `PRAGMA user_version` records how far a database is.

/// Each entry moves the schema one version up. Never edit a released entry: append a new one.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: login codes, applicants, sessions, audit log.
    "CREATE TABLE login_codes (
         id INTEGER PRIMARY KEY,
         phone TEXT NOT NULL,
         client TEXT NOT NULL,
         code_mac BLOB NOT NULL,
         issued_at INTEGER NOT NULL,
         expires_at INTEGER NOT NULL,
         tries INTEGER NOT NULL DEFAULT 0,
         spent INTEGER NOT NULL DEFAULT 0
     );
     CREATE INDEX login_codes_phone ON login_codes (phone, issued_at);
     CREATE INDEX login_codes_client ON login_codes (client, issued_at);
     CREATE TABLE applicants (
         id INTEGER PRIMARY KEY,
         phone TEXT NOT NULL UNIQUE,
         created_at INTEGER NOT NULL
     );
     CREATE TABLE sessions (
         token_hash BLOB PRIMARY KEY,
         applicant_id INTEGER NOT NULL REFERENCES applicants (id),
         created_at INTEGER NOT NULL,
         last_seen INTEGER NOT NULL
     );
     CREATE TABLE audit_log (
         id INTEGER PRIMARY KEY,
         at INTEGER NOT NULL,
         actor TEXT NOT NULL,
         action TEXT NOT NULL,
         subject TEXT NOT NULL
     );",
    // 2: applications, their timeline and documents.
    "CREATE TABLE applications (
         id INTEGER PRIMARY KEY,
         applicant_id INTEGER NOT NULL REFERENCES applicants (id),
         status TEXT NOT NULL,
         requisites TEXT,
         version INTEGER NOT NULL DEFAULT 1,
         created_at INTEGER NOT NULL,
         updated_at INTEGER NOT NULL
     );
     CREATE INDEX applications_applicant ON applications (applicant_id);
     CREATE TABLE application_events (
         id INTEGER PRIMARY KEY,
         application_id INTEGER NOT NULL REFERENCES applications (id),
         at INTEGER NOT NULL,
         actor TEXT NOT NULL,
         status TEXT NOT NULL,
         comment TEXT
     );
     CREATE TABLE documents (
         id INTEGER PRIMARY KEY,
         application_id INTEGER NOT NULL REFERENCES applications (id),
         kind TEXT NOT NULL,
         media_type TEXT NOT NULL,
         size INTEGER NOT NULL,
         sha256 TEXT NOT NULL,
         created_at INTEGER NOT NULL
     );",
    // 3: operators and their sessions (kept apart from applicants' sessions).
    "CREATE TABLE operators (
         id INTEGER PRIMARY KEY,
         login TEXT NOT NULL UNIQUE,
         password_phc TEXT NOT NULL,
         created_at INTEGER NOT NULL
     );
     CREATE TABLE operator_sessions (
         token_hash BLOB PRIMARY KEY,
         operator_id INTEGER NOT NULL REFERENCES operators (id),
         created_at INTEGER NOT NULL,
         last_seen INTEGER NOT NULL
     );",
    // 4: the statement, identity, certificate requests, certificates and the CRL counter.
    "ALTER TABLE applications ADD COLUMN registry_confirmed INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE applications ADD COLUMN statement_sha256 TEXT;
     ALTER TABLE applications ADD COLUMN signature_sha256 TEXT;
     ALTER TABLE applications ADD COLUMN identification INTEGER;
     ALTER TABLE operators ADD COLUMN role TEXT NOT NULL DEFAULT 'reviewer';
     CREATE TABLE certificate_requests (
         application_id INTEGER PRIMARY KEY REFERENCES applications (id),
         der BLOB NOT NULL,
         request_sha256 TEXT NOT NULL,
         spki_sha256 TEXT NOT NULL UNIQUE,
         storage TEXT NOT NULL,
         serial TEXT NOT NULL UNIQUE,
         not_before INTEGER NOT NULL,
         created_at INTEGER NOT NULL
     );
     CREATE TABLE certificates (
         serial TEXT PRIMARY KEY,
         applicant_id INTEGER NOT NULL REFERENCES applicants (id),
         application_id INTEGER UNIQUE REFERENCES applications (id),
         spki_sha256 TEXT NOT NULL UNIQUE,
         der BLOB NOT NULL,
         not_after INTEGER NOT NULL,
         identification INTEGER NOT NULL,
         status TEXT NOT NULL,
         revoked_at INTEGER,
         reason TEXT,
         issued_at INTEGER NOT NULL
     );
     CREATE INDEX certificates_applicant ON certificates (applicant_id);
     CREATE TABLE crl_numbers (
         issuer TEXT PRIMARY KEY,
         number INTEGER NOT NULL
     );",
    // 5: idempotency keys: the first answer to a state-changing POST, replayed when the same
    // key comes again (a client that timed out, was cancelled or restarted retries safely).
    "CREATE TABLE idempotency_keys (
         scope TEXT NOT NULL,
         key TEXT NOT NULL,
         route TEXT NOT NULL,
         claimed_at INTEGER NOT NULL,
         status INTEGER,
         content_type TEXT,
         body BLOB,
         PRIMARY KEY (scope, key)
     );
     CREATE INDEX idempotency_keys_claimed ON idempotency_keys (claimed_at);",
    // 6: the outbox: notifications to applicants, delivered (and retried) apart from the
    // decisions that caused them.
    "CREATE TABLE outbox (
         id INTEGER PRIMARY KEY,
         channel TEXT NOT NULL,
         recipient TEXT NOT NULL,
         subject TEXT NOT NULL,
         body TEXT NOT NULL,
         created_at INTEGER NOT NULL,
         tries INTEGER NOT NULL DEFAULT 0,
         next_at INTEGER,
         delivered_at INTEGER,
         last_error TEXT
     );
     CREATE INDEX outbox_due ON outbox (next_at) WHERE next_at IS NOT NULL;",
    // 7: documents, scans and statements in the database (content-addressed) rather than in
    // one instance's folder; leases for background work that runs on one instance at a time.
    "CREATE TABLE blobs (
         sha256 TEXT PRIMARY KEY,
         bytes BLOB NOT NULL,
         created_at INTEGER NOT NULL
     );
     CREATE TABLE leases (
         name TEXT PRIMARY KEY,
         holder TEXT NOT NULL,
         until INTEGER NOT NULL
     );",
    // 8: the newest signed CRL, so that every instance hands out the same one.
    "CREATE TABLE crls (
         issuer TEXT PRIMARY KEY,
         number INTEGER NOT NULL,
         der BLOB NOT NULL,
         covered TEXT NOT NULL,
         signed_at INTEGER NOT NULL
     );",
    // 9: operator accounts fit for a CA: disabled, locked out after wrong passwords, TOTP
    // (its secret sealed under the service's key; the last time step taken, so a code works
    // once).
    "ALTER TABLE operators ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE operators ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE operators ADD COLUMN locked_until INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE operators ADD COLUMN totp_sealed BLOB;
     ALTER TABLE operators ADD COLUMN totp_enrolled INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE operators ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;",
    // 10: the certificate an application renews (serial, hex), when it was opened for one.
    "ALTER TABLE applications ADD COLUMN renews_serial TEXT;",
    // 11: the Ministry's list of accredited CAs: every import (its version, hash, source and
    // outcome), and the CAs of each (one row each, its keys and certificates as JSON); only the
    // import marked current is used.
    "CREATE TABLE trust_imports (
         id INTEGER PRIMARY KEY,
         version INTEGER NOT NULL,
         list_date INTEGER NOT NULL,
         sha256 TEXT NOT NULL,
         source TEXT NOT NULL,
         started_at INTEGER NOT NULL,
         finished_at INTEGER,
         state TEXT NOT NULL,
         outcome TEXT,
         cas INTEGER NOT NULL DEFAULT 0,
         certificates INTEGER NOT NULL DEFAULT 0
     );
     CREATE UNIQUE INDEX trust_imports_current ON trust_imports (state) WHERE state = 'current';
     CREATE TABLE trust_cas (
         import_id INTEGER NOT NULL REFERENCES trust_imports (id),
         position INTEGER NOT NULL,
         name TEXT NOT NULL,
         inn TEXT NOT NULL,
         ogrn TEXT NOT NULL,
         registry_number TEXT NOT NULL,
         body TEXT NOT NULL,
         PRIMARY KEY (import_id, position)
     );",
];
