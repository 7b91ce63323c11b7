//! The issuing CA: its key and the OCSP responder's made on the HSM with a request out
//! (`init-issuing`), the request signed by the offline root (`sign-issuing`), the chain
//! installed at the service (`install-issuing`), and the root's later CRLs installed
//! (`install-root-crl`).

use super::root::{SIGN_TOOL, open_root};
use super::{
    CeremonyError, KeyPlace, fingerprint, generate_on_token, holds_key_of, is_ca, read_bytes,
    read_certificate, refused, serial_text, subject_text, time_text, token, validity_problem,
    write_new,
};
use crate::authority::{ISSUING_CERT, OCSP_CERT, ROOT_CERT, ROOT_CRL, ca_profile};
use crate::ca_keys::{CaKeys, key_id_hex};
use kep_pki::crl::Crl;
use kep_pki::issue::{CaCertificate, CaSubject, Issuer, subordinate_ca};
use kep_pki::signer::KeySigner;
use kep_token::Pin;
use kep_token::hsm::HsmSigner;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use x509_cert::Certificate;
use x509_cert::der::Decode;

/// `kep-ca ca init-issuing`.
#[derive(Debug)]
pub struct InitIssuing {
    /// The issuing CA's name.
    pub subject: CaSubject,
    /// The HSM's PKCS#11 library.
    pub module: PathBuf,
    /// The HSM token's label.
    pub token_label: String,
    /// Its user PIN.
    pub pin: Pin,
    /// The issuing key's CKA_ID (None: a fresh one).
    pub issuing_key_id: Option<Vec<u8>>,
    /// The OCSP responder key's CKA_ID (None: a fresh one).
    pub ocsp_key_id: Option<Vec<u8>>,
    /// Where the request (DER) is written.
    pub out: PathBuf,
}

/// Makes the issuing and OCSP keys on the HSM and the issuing CA's request.
pub fn init_issuing(step: &InitIssuing) -> Result<String, CeremonyError> {
    if step.out.exists() {
        return Err(refused(format!("{} exists", step.out.display())));
    }
    if step.issuing_key_id.is_some() && step.issuing_key_id == step.ocsp_key_id {
        return Err(CeremonyError::Usage(
            "--issuing-key-id and --ocsp-key-id must differ".into(),
        ));
    }
    let name = step.subject.name()?;
    let make = |id: Option<Vec<u8>>, label: String| {
        let (worker, id) = generate_on_token(&step.module, &step.token_label, &step.pin, id)?;
        let key = kep_token::keys::generate_with_id(
            &worker,
            kep_token::keys::KeyKind::Gost256,
            &label,
            id,
            None,
        )
        .map_err(token(format!("making a key on «{}»", step.token_label)))?;
        Ok::<_, CeremonyError>(kep_token::TokenSigner::new(worker, key))
    };
    let issuing = make(
        step.issuing_key_id.clone(),
        step.subject.common_name.clone(),
    )?;
    let ocsp = make(
        step.ocsp_key_id.clone(),
        format!("OCSP {}", step.subject.common_name),
    )?;
    let request = kep_pki::request::build_named_request(name, &issuing, Vec::new())?;
    // The request verifies before it leaves.
    kep_pki::request::verify_request(&request)?;
    write_new(&step.out, &request)?;
    let (issuing_id, ocsp_id) = (key_id_hex(&issuing.key().id), key_id_hex(&ocsp.key().id));
    let mut record = String::new();
    let _ = writeln!(record, "issuing CA keys made on «{}»", step.token_label);
    let _ = writeln!(record, "  issuing key id: {issuing_id}");
    let _ = writeln!(record, "  OCSP responder key id: {ocsp_id}");
    let _ = writeln!(
        record,
        "  request {} (SHA-256 {})",
        step.out.display(),
        fingerprint(&request)
    );
    let _ = writeln!(record, "the service's configuration:");
    let _ = writeln!(record, "  [hsm]");
    let _ = writeln!(record, "  module = \"{}\"", step.module.display());
    let _ = writeln!(record, "  token_label = \"{}\"", step.token_label);
    let _ = writeln!(record, "  issuing_key_id = \"{issuing_id}\"");
    let _ = writeln!(record, "  ocsp_key_id = \"{ocsp_id}\"");
    let _ = writeln!(record, "  pin = {{ file = \"…\" }}");
    Ok(record)
}

/// `kep-ca ca sign-issuing`.
#[derive(Debug)]
pub struct SignIssuing {
    /// The root's certificate.
    pub root_cert: PathBuf,
    /// The root's key.
    pub key: KeyPlace,
    /// The issuing CA's request.
    pub request: PathBuf,
    /// The name the request must carry (what the ceremony agreed to sign).
    pub subject: CaSubject,
    /// Where the service publishes the root's certificate and CRL (`/ca/root.crt`,
    /// `/crl/root.crl`): the issuing certificate names them.
    pub public_url: String,
    /// How long the issuing CA is valid.
    pub validity_years: u32,
    /// Where the issuing certificate is written.
    pub out: PathBuf,
    /// Now.
    pub now: SystemTime,
}

/// The root checks the request and signs the issuing CA.
pub fn sign_issuing(step: &SignIssuing) -> Result<String, CeremonyError> {
    if !(1..=15).contains(&step.validity_years) {
        return Err(CeremonyError::Usage(
            "--validity-years: from 1 to 15".into(),
        ));
    }
    let url = reqwest::Url::parse(&step.public_url)
        .map_err(|e| CeremonyError::Usage(format!("--public-url: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(CeremonyError::Usage(
            "--public-url: the service's http or https address".into(),
        ));
    }
    let (root, _) = open_root(&step.root_cert, step.now)?;
    let signer = step.key.open()?;
    if !holds_key_of(&root, &*signer) {
        return Err(refused(format!(
            "the key given is not the key of {} (the wrong root, or the wrong token)",
            step.root_cert.display()
        )));
    }
    let request = kep_pki::request::verify_request(&read_bytes(&step.request)?).map_err(|e| {
        refused(format!(
            "the request {} does not verify ({e}): it was altered, or is not a PKCS#10 request",
            step.request.display()
        ))
    })?;
    if !request.algorithm.is_gost() {
        return Err(refused(
            "the request's key is not GOST R 34.10-2012: a qualified CA's key must be",
        ));
    }
    let expected = step.subject.name()?;
    if request.subject != expected {
        return Err(refused(format!(
            "the request names «{}», the ceremony signs «{expected}»",
            request.subject
        )));
    }
    if request.public_key_info.as_slice() == signer.public_key_info() {
        return Err(refused("the request is for the root's own key"));
    }
    let not_after = kep_pki::issue::add_months(step.now, step.validity_years * 12)?;
    // (Certificates keep whole seconds.)
    let not_after = SystemTime::UNIX_EPOCH
        + Duration::from_secs(
            not_after
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        );
    let root_end = root.tbs_certificate().validity().not_after.to_system_time();
    if not_after > root_end {
        return Err(refused(format!(
            "the root ends on {}, before the issuing CA would ({}): choose fewer --validity-years",
            time_text(root_end),
            time_text(not_after)
        )));
    }
    if step.out.exists() {
        return Err(refused(format!("{} exists", step.out.display())));
    }
    let der = subordinate_ca(
        &Issuer {
            certificate: &root,
            signer: &*signer,
        },
        &CaCertificate {
            subject: &step.subject,
            not_before: step.now,
            validity_months: step.validity_years * 12,
            path_len: Some(0),
            sign_tool: SIGN_TOOL,
            profile: &ca_profile(url.as_str()),
        },
        &request.public_key_info,
    )?;
    let issuing = Certificate::from_der(&der).map_err(kep_pki::error::PkiError::from)?;
    if !kep_pki::summary::is_signed_by(&issuing, &root) {
        return Err(refused(
            "the issuing certificate's signature does not verify: nothing was written",
        ));
    }
    write_new(&step.out, &der)?;
    let mut record = String::new();
    let _ = writeln!(record, "issuing CA certificate signed");
    let _ = writeln!(record, "  subject: {}", subject_text(&issuing));
    let _ = writeln!(record, "  issuer: {}", subject_text(&root));
    let _ = writeln!(record, "  serial: {}", serial_text(&issuing));
    let _ = writeln!(record, "  valid until: {}", time_text(not_after));
    let _ = writeln!(record, "  SHA-256: {}", fingerprint(&der));
    let _ = writeln!(record, "  wrote {}", step.out.display());
    Ok(record)
}

/// `kep-ca ca install-issuing`.
#[derive(Debug)]
pub struct InstallIssuing {
    /// The service's data folder (the chain goes to its `ca/`).
    pub data: PathBuf,
    /// The service's keys: must be on the HSM.
    pub keys: CaKeys,
    /// The issuing CA's certificate.
    pub certificate: PathBuf,
    /// The root's certificate.
    pub root_cert: PathBuf,
    /// The root's CRL.
    pub root_crl: PathBuf,
    /// Now.
    pub now: SystemTime,
}

/// Checks the chain against the HSM's keys and installs it.
pub fn install_issuing(step: &InstallIssuing) -> Result<String, CeremonyError> {
    let CaKeys::Hsm(hsm) = &step.keys else {
        return Err(refused(
            "the configuration keeps the CA's keys in files: install-issuing installs a CA whose keys are on an HSM ([hsm])",
        ));
    };
    let (root, root_der) = open_root(&step.root_cert, step.now)?;
    let (issuing, issuing_der) = read_certificate(&step.certificate, "the issuing CA")?;
    if !is_ca(&issuing) {
        return Err(refused(format!(
            "{} is not a CA certificate",
            step.certificate.display()
        )));
    }
    if !kep_pki::summary::is_signed_by(&issuing, &root) {
        return Err(refused(format!(
            "{} was not signed by the root {}",
            step.certificate.display(),
            step.root_cert.display()
        )));
    }
    if let Some(problem) = validity_problem(&issuing, step.now) {
        return Err(refused(format!(
            "the issuing CA {} {problem}",
            step.certificate.display()
        )));
    }
    let crl_der = read_bytes(&step.root_crl)?;
    check_root_crl(&crl_der, &step.root_crl, &root, step.now)?;
    if Crl::parse(&crl_der)?
        .revoked_at(issuing.tbs_certificate().serial_number(), step.now)
        .is_some()
    {
        return Err(refused(format!(
            "the root's CRL lists {} as revoked",
            step.certificate.display()
        )));
    }
    let open = |id: &[u8], what: &str| {
        HsmSigner::open(hsm.key(id), 1).map_err(token(format!(
            "the {what} key {} on «{}»",
            key_id_hex(id),
            hsm.token_label
        )))
    };
    let issuing_key = open(&hsm.issuing_key_id, "issuing")?;
    if !holds_key_of(&issuing, &issuing_key) {
        return Err(refused(format!(
            "{} is for another key than hsm.issuing_key_id {}",
            step.certificate.display(),
            key_id_hex(&hsm.issuing_key_id)
        )));
    }
    let ocsp_key = open(&hsm.ocsp_key_id, "OCSP responder")?;
    if ocsp_key.public_key_info() == issuing_key.public_key_info() {
        return Err(refused(
            "hsm.ocsp_key_id names the issuing key: the OCSP responder needs its own",
        ));
    }
    let dir = step.data.join("ca");
    kep_private_file::create_dir(&dir).map_err(|source| CeremonyError::Io {
        path: dir.clone(),
        source,
    })?;
    let mut record = String::new();
    for (name, der) in [(ISSUING_CERT, &issuing_der), (ROOT_CERT, &root_der)] {
        match std::fs::read(dir.join(name)) {
            Ok(current) if current == *der => {}
            Ok(_) => {
                return Err(refused(format!(
                    "{} holds another CA already: replacing an installed CA (a rollover) is not done by this command",
                    dir.join(name).display()
                )));
            }
            Err(_) => {}
        }
    }
    let write = |name: &str, der: &[u8]| {
        let path = dir.join(name);
        kep_private_file::write(&path, der).map_err(|source| CeremonyError::Io { path, source })
    };
    write(ROOT_CERT, &root_der)?;
    write(ROOT_CRL, &crl_der)?;
    // A responder certificate of an earlier attempt is issued again at start.
    let _ = std::fs::remove_file(dir.join(OCSP_CERT));
    let policy = dir.join("policy.json");
    if !policy.exists() {
        crate::policy::IssuancePolicy::load(
            &policy,
            Some(&crate::policy::IssuancePolicy::production()),
        )
        .map_err(refused)?;
        let _ = writeln!(
            record,
            "  wrote {} (the production defaults: review it)",
            policy.display()
        );
    }
    // Last: its presence marks an installed CA.
    write(ISSUING_CERT, &issuing_der)?;
    Ok(format!(
        "issuing CA installed in {}\n  issuing: {} (SHA-256 {})\n  root: {} (SHA-256 {})\n  keys on «{}»: issuing {}, OCSP {}\n{record}",
        dir.display(),
        subject_text(&issuing),
        fingerprint(&issuing_der),
        subject_text(&root),
        fingerprint(&root_der),
        hsm.token_label,
        key_id_hex(&hsm.issuing_key_id),
        key_id_hex(&hsm.ocsp_key_id),
    ))
}

/// A root CRL is the root's, current, and carries a number.
fn check_root_crl(
    der: &[u8],
    path: &Path,
    root: &Certificate,
    now: SystemTime,
) -> Result<Crl, CeremonyError> {
    let crl =
        Crl::parse(der).map_err(|e| refused(format!("{} is not a CRL: {e}", path.display())))?;
    if !crl.is_signed_by(root) {
        return Err(refused(format!(
            "{} was not signed by the root",
            path.display()
        )));
    }
    if crl.next_update().is_none_or(|next| next <= now) || crl.number().is_none() {
        return Err(refused(format!(
            "{} is out of date or has no CRL number",
            path.display()
        )));
    }
    Ok(crl)
}

/// `kep-ca ca install-root-crl`: a newer root CRL into `<data>/ca`.
pub fn install_root_crl(
    data: &Path,
    crl_path: &Path,
    now: SystemTime,
) -> Result<String, CeremonyError> {
    let dir = data.join("ca");
    let (root, _) = read_certificate(&dir.join(ROOT_CERT), "the installed root")?;
    let der = read_bytes(crl_path)?;
    let crl = check_root_crl(&der, crl_path, &root, now)?;
    let installed = std::fs::read(dir.join(ROOT_CRL))
        .ok()
        .and_then(|d| Crl::parse(&d).ok())
        .and_then(|c| c.number());
    let number = crl.number().unwrap_or_default();
    if installed.is_some_and(|current| number <= current) {
        return Err(refused(format!(
            "{} has number {number}, not above the installed one's ({})",
            crl_path.display(),
            installed.unwrap_or_default()
        )));
    }
    let path = dir.join(ROOT_CRL);
    kep_private_file::write(&path, &der).map_err(|source| CeremonyError::Io {
        path: path.clone(),
        source,
    })?;
    Ok(format!(
        "root CRL number {number} installed in {} (next update {}); instances serve it after SIGHUP or a restart\n",
        path.display(),
        crl.next_update().map_or_else(|| "?".into(), time_text)
    ))
}
