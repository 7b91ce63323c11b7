//! The offline root: made once (`kep-ca ca init-root`), brought out to sign the issuing CA and,
//! before each nextUpdate, its CRL (`kep-ca ca root-crl`).

use super::{
    CeremonyError, KeyPlace, fingerprint, holds_key_of, is_self_signed_ca, read_bytes,
    read_certificate, refused, serial_text, subject_text, time_text, validity_problem, write_new,
};
use kep_pki::crl::{Crl, Revocation, RevocationReason, SerialNumber, build_crl};
use kep_pki::issue::{CaCertificate, CaSubject, Issuer, QualifiedProfile, self_signed_root};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};
use x509_cert::Certificate;
use x509_cert::der::Decode;

/// The crypto tool the CA's certificates name as their own (subjectSignTool).
pub const SIGN_TOOL: &str = "KEP Renew kep-ca";

/// `kep-ca ca init-root`.
#[derive(Debug)]
pub struct InitRoot {
    /// The root's name.
    pub subject: CaSubject,
    /// Where its key is made.
    pub key: KeyPlace,
    /// The folder root.crt and root.crl are written to.
    pub out: PathBuf,
    /// How long the root is valid.
    pub validity_years: u32,
    /// How long its first CRL is valid.
    pub crl_days: u32,
    /// Now.
    pub now: SystemTime,
}

fn days(n: u32) -> Duration {
    Duration::from_secs(u64::from(n) * 86_400)
}

/// Makes the root: key, self-signed certificate, first CRL (number 1, nothing revoked).
pub fn init_root(step: &InitRoot) -> Result<String, CeremonyError> {
    if !(1..=25).contains(&step.validity_years) {
        return Err(CeremonyError::Usage(
            "--validity-years: from 1 to 25".into(),
        ));
    }
    check_crl_days(step.crl_days)?;
    kep_private_file::create_dir(&step.out).map_err(|source| CeremonyError::Io {
        path: step.out.clone(),
        source,
    })?;
    let (cert_path, crl_path) = (step.out.join("root.crt"), step.out.join("root.crl"));
    for path in [&cert_path, &crl_path] {
        if path.exists() {
            return Err(refused(format!(
                "{} exists: this folder has a root already",
                path.display()
            )));
        }
    }
    let (signer, place) = step.key.generate(&step.subject.common_name)?;
    let der = self_signed_root(
        &CaCertificate {
            subject: &step.subject,
            not_before: step.now,
            validity_months: step.validity_years * 12,
            // Root → issuing CA → applicants.
            path_len: Some(1),
            sign_tool: SIGN_TOOL,
            profile: &QualifiedProfile::default(),
        },
        &*signer,
    )?;
    let root = Certificate::from_der(&der).map_err(kep_pki::error::PkiError::from)?;
    let crl = build_crl(
        &Issuer {
            certificate: &root,
            signer: &*signer,
        },
        step.now,
        step.now + days(step.crl_days),
        1,
        &[] as &[Revocation],
    )?;
    // What a relying party will check, checked before anything is written.
    if !is_self_signed_ca(&root) || !Crl::parse(&crl)?.is_signed_by(&root) {
        return Err(refused(
            "the new root's signature does not verify: the key signs wrongly; nothing was written",
        ));
    }
    write_new(&cert_path, &der)?;
    write_new(&crl_path, &crl)?;
    let mut record = String::new();
    let _ = writeln!(record, "root CA made");
    let _ = writeln!(record, "  subject: {}", subject_text(&root));
    let _ = writeln!(record, "  serial: {}", serial_text(&root));
    let _ = writeln!(record, "  key: {place}");
    let _ = writeln!(
        record,
        "  valid until: {}",
        time_text(root.tbs_certificate().validity().not_after.to_system_time())
    );
    let _ = writeln!(record, "  SHA-256: {}", fingerprint(&der));
    let _ = writeln!(record, "  wrote {}", cert_path.display());
    let _ = writeln!(
        record,
        "  wrote {} (number 1, next update {})",
        crl_path.display(),
        time_text(step.now + days(step.crl_days))
    );
    Ok(record)
}

fn check_crl_days(n: u32) -> Result<(), CeremonyError> {
    if (1..=730).contains(&n) {
        Ok(())
    } else {
        Err(CeremonyError::Usage("--crl-days: from 1 to 730".into()))
    }
}

/// `kep-ca ca root-crl`.
#[derive(Debug)]
pub struct RootCrl {
    /// The root's certificate.
    pub root_cert: PathBuf,
    /// The root's key.
    pub key: KeyPlace,
    /// The root's current CRL: its entries are carried over, its number grows by one.
    pub previous: PathBuf,
    /// Where the new CRL is written.
    pub out: PathBuf,
    /// How long it is valid.
    pub days: u32,
    /// Issuing CAs to revoke now.
    pub revoke: Vec<(SerialNumber, Option<RevocationReason>)>,
    /// Now.
    pub now: SystemTime,
}

/// The root's next CRL.
pub fn root_crl(step: &RootCrl) -> Result<String, CeremonyError> {
    check_crl_days(step.days)?;
    let (root, _) = open_root(&step.root_cert, step.now)?;
    let signer = step.key.open()?;
    if !holds_key_of(&root, &*signer) {
        return Err(refused(format!(
            "the key given is not the key of {} (the wrong root, or the wrong token)",
            step.root_cert.display()
        )));
    }
    let previous = Crl::parse(&read_bytes(&step.previous)?)
        .map_err(|e| refused(format!("{} is not a CRL: {e}", step.previous.display())))?;
    if !previous.is_signed_by(&root) {
        return Err(refused(format!(
            "{} was not signed by this root",
            step.previous.display()
        )));
    }
    let number = previous
        .number()
        .and_then(|n| n.checked_add(1))
        .ok_or_else(|| {
            refused(format!(
                "{} has no CRL number to follow",
                step.previous.display()
            ))
        })?;
    let mut revocations = previous.revocations();
    for (serial, reason) in &step.revoke {
        if !revocations.iter().any(|r| &r.serial == serial) {
            revocations.push(Revocation {
                serial: serial.clone(),
                revoked_at: step.now,
                reason: *reason,
            });
        }
    }
    let crl = build_crl(
        &Issuer {
            certificate: &root,
            signer: &*signer,
        },
        step.now,
        step.now + days(step.days),
        number,
        &revocations,
    )?;
    if !Crl::parse(&crl)?.is_signed_by(&root) {
        return Err(refused(
            "the new CRL's signature does not verify: nothing was written",
        ));
    }
    write_new(&step.out, &crl)?;
    let mut record = String::new();
    let _ = writeln!(record, "root CRL signed");
    let _ = writeln!(record, "  issuer: {}", subject_text(&root));
    let _ = writeln!(
        record,
        "  number: {number}, next update {}",
        time_text(step.now + days(step.days))
    );
    let _ = writeln!(record, "  revoked: {}", revocations.len());
    let _ = writeln!(record, "  wrote {}", step.out.display());
    Ok(record)
}

/// The root certificate at `path`, refused unless it is a self-signed CA valid at `now`.
pub(crate) fn open_root(
    path: &std::path::Path,
    now: SystemTime,
) -> Result<(Certificate, Vec<u8>), CeremonyError> {
    let (root, der) = read_certificate(path, "the root")?;
    if !is_self_signed_ca(&root) {
        return Err(refused(format!(
            "{} is not a self-signed CA certificate whose signature verifies",
            path.display()
        )));
    }
    if let Some(problem) = validity_problem(&root, now) {
        return Err(refused(format!(
            "the root {} {problem}: it signs nothing more (a new root is a new ceremony)",
            path.display()
        )));
    }
    Ok((root, der))
}
