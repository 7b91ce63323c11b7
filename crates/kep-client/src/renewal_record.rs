//! A record of each renewal, kept in `<data>/records/<application>/` once the certificate is
//! installed: the certificate, the CA's chain, the statement as the CA stored it with the
//! signature made here (or the scan sent), and `record.json`. Listed under the certificate on
//! the home; «Проверить» re-verifies the statement's signature and the chain here, offline.

use crate::cert_status::Anchors;
use kep_protocol::my_certificates::{RecordCheck, RecordStatement, RenewalRecord};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

const CERTIFICATE: &str = "certificate.cer";
const CHAIN: &str = "chain.pem";
const STATEMENT: &str = "statement.pdf";
const SIGNATURE: &str = "statement.pdf.sig";
const SCAN: &str = "statement-scan";
const META: &str = "record.json";

/// What `record.json` holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Meta {
    application_id: i64,
    thumbprint: String,
    installed_at: String,
    statement: RecordStatement,
    files: Vec<String>,
}

/// The records folder.
#[derive(Debug, Clone)]
pub struct RenewalRecords {
    dir: PathBuf,
}

fn thumbprint(der: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, der)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

impl RenewalRecords {
    /// `records/` in `data_dir`.
    pub fn new(data_dir: &Path) -> Self {
        Self {
            dir: data_dir.join("records"),
        }
    }

    fn folder(&self, application_id: i64) -> PathBuf {
        self.dir.join(application_id.to_string())
    }

    /// Keeps the signature made here over the statement (before it is sent).
    pub fn keep_signature(&self, application_id: i64, cms: &[u8]) -> std::io::Result<()> {
        kep_private_file::write(&self.folder(application_id).join(SIGNATURE), cms)
    }

    /// Completes the record once the certificate is installed. `scan` is the scan sent, for a
    /// statement signed by hand (with its file extension).
    pub fn complete(
        &self,
        application_id: i64,
        certificate: &[u8],
        chain_pem: &str,
        statement_pdf: &[u8],
        scan: Option<(&[u8], &str)>,
    ) -> std::io::Result<()> {
        let folder = self.folder(application_id);
        let write = |name: &str, bytes: &[u8]| kep_private_file::write(&folder.join(name), bytes);
        write(CERTIFICATE, certificate)?;
        write(CHAIN, chain_pem.as_bytes())?;
        write(STATEMENT, statement_pdf)?;
        let mut files = vec![
            CERTIFICATE.to_owned(),
            CHAIN.to_owned(),
            STATEMENT.to_owned(),
        ];
        let statement = if folder.join(SIGNATURE).exists() {
            files.push(SIGNATURE.to_owned());
            RecordStatement::Signed
        } else {
            if let Some((bytes, extension)) = scan {
                let name = format!("{SCAN}.{extension}");
                write(&name, bytes)?;
                files.push(name);
            }
            RecordStatement::Scan
        };
        let meta = Meta {
            application_id,
            thumbprint: thumbprint(certificate),
            installed_at: kep_pki::summary::rfc3339(SystemTime::now()),
            statement,
            files,
        };
        write(
            META,
            &serde_json::to_vec_pretty(&meta).map_err(std::io::Error::other)?,
        )
    }

    fn metas(&self) -> Vec<Meta> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|e| std::fs::read(e.path().join(META)).ok())
            .filter_map(|bytes| serde_json::from_slice(&bytes).ok())
            .collect()
    }

    /// The record of the certificate with `thumbprint` (upper-case hex SHA-1), if one is kept.
    pub fn for_certificate(&self, thumbprint: &str) -> Option<RenewalRecord> {
        let meta = self
            .metas()
            .into_iter()
            .find(|m| m.thumbprint.eq_ignore_ascii_case(thumbprint))?;
        Some(RenewalRecord {
            application_id: meta.application_id,
            installed_at: meta.installed_at,
            statement: meta.statement,
            files: meta.files,
            folder: self
                .folder(meta.application_id)
                .to_string_lossy()
                .into_owned(),
        })
    }

    /// «Проверить»: the statement's signature over the kept PDF (by the certificate it names,
    /// CAdES-BES) and the certificate's chain to `anchors`, at the time of the check.
    pub fn check(&self, application_id: i64, anchors: &Anchors) -> RecordCheck {
        use crate::messages_ru as text;
        let folder = self.folder(application_id);
        let read = |name: &str| std::fs::read(folder.join(name));
        let (statement_ok, statement) = match (read(SIGNATURE), read(STATEMENT)) {
            (Ok(cms), Ok(pdf)) => match kep_pki::cms_signature::verify_detached(
                &cms,
                &pdf,
                kep_pki::cms_signature::SignaturePolicy::CadesBes,
            ) {
                Ok(_) => (true, text::RECORD_SIGNATURE_OK.to_owned()),
                Err(e) => (
                    false,
                    text::record_signature_bad(kep_pki::messages_ru::cms_error(&e)),
                ),
            },
            (Err(_), Ok(_)) if self.has_scan(&folder) => (true, text::RECORD_SCAN_KEPT.to_owned()),
            _ => (false, text::RECORD_STATEMENT_MISSING.to_owned()),
        };
        let (chain_ok, chain) = match read(CERTIFICATE) {
            Ok(der) => {
                let intermediates: Vec<Vec<u8>> = read(CHAIN)
                    .ok()
                    .map(|pem| pem_certificates(&pem))
                    .unwrap_or_default()
                    .into_iter()
                    .chain(anchors.intermediates.iter().cloned())
                    .collect();
                match kep_pki::chain::verify_chain(
                    &der,
                    &intermediates,
                    &anchors.roots,
                    SystemTime::now(),
                    &[],
                ) {
                    Ok(_) => (true, text::RECORD_CHAIN_OK.to_owned()),
                    Err(e) => (
                        false,
                        text::record_chain_bad(&kep_pki::messages_ru::chain_error(&e)),
                    ),
                }
            }
            Err(_) => (false, text::RECORD_CERTIFICATE_MISSING.to_owned()),
        };
        RecordCheck {
            statement_ok,
            statement,
            chain_ok,
            chain,
        }
    }

    fn has_scan(&self, folder: &Path) -> bool {
        std::fs::read_dir(folder).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with(SCAN))
        })
    }
}

/// The certificates of a PEM bundle (DER), in order.
fn pem_certificates(pem: &[u8]) -> Vec<Vec<u8>> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    CertificateDer::pem_slice_iter(pem)
        .filter_map(Result::ok)
        .map(|c| c.to_vec())
        .collect()
}
