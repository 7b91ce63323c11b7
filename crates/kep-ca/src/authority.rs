//! The CA's own hierarchy: a root and an issuing CA on GOST R 34.10-2012 (CryptoPro-A), their
//! certificates and the root's CRL in `<data>/ca/`. Where the keys are is [`CaKeys`]:
//!
//! * **On an HSM** (a CA in service): the root is offline, the issuing CA was installed by the
//!   key ceremony (`kep-ca ca …`, `docs/key-ceremony.md`); the issuing and OCSP keys are used on
//!   the token and never leave it. A key that is not the issuing certificate's stops the start.
//!   The root's CRL is the file the ceremony signed; it is served as it is.
//! * **In key files** (`--dev` and the tests): encrypted (kep-pki's PBES2/scrypt format),
//!   created on the first start when asked to, then only ever opened — a restart never makes a
//!   second hierarchy. The root key is opened only to create the issuing CA and to refresh the
//!   root's CRL; the issuing key stays in memory (zeroized on drop by kep-gost).
//!
//! The OCSP responder has a key of its own and a short-lived certificate the issuing CA renews
//! at start when it nears its end (RFC 6960 §4.2.2.2: a delegated responder, so the issuing key
//! signs no OCSP answers).

use crate::ca_keys::{CaKeys, HsmKeys};
use kep_pki::crl::{Revocation, build_crl};
use kep_pki::encrypted_key;
use kep_pki::issue::{
    CaCertificate, CaSubject, Issuer, QualifiedProfile, ocsp_responder, self_signed_root,
    subordinate_ca,
};
use kep_pki::signer::{KeySigner, SoftwareGostSigner};
use kep_token::hsm::HsmSigner;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use x509_cert::Certificate;
use x509_cert::der::Decode;
use zeroize::Zeroizing;

/// How the hierarchy is found or made.
#[derive(Clone)]
pub struct AuthorityConfig {
    /// `<data>/ca`.
    pub dir: PathBuf,
    /// Where the keys are.
    pub keys: CaKeys,
    /// The address clients reach the service at: certificates name their CRL and CA
    /// certificate under it.
    pub public_url: String,
    /// Where relying parties ask for certificate status (issued certificates name it in AIA;
    /// None: `<public_url>/ocsp`).
    pub ocsp_url: Option<String>,
    /// Make the hierarchy when the folder has none (dev mode); otherwise its absence is an error.
    pub create_if_missing: bool,
}

impl std::fmt::Debug for AuthorityConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthorityConfig")
            .field("dir", &self.dir)
            .field("keys", &self.keys)
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

/// Why the hierarchy could not be opened or made.
#[derive(Debug, thiserror::Error)]
pub enum AuthorityError {
    /// No hierarchy in the folder and creation was not asked for.
    #[error("no CA hierarchy in {0} (start once with --dev to create the development one)")]
    Missing(PathBuf),
    /// The keys are on an HSM and no issuing CA was installed (or a file of it is missing).
    #[error(
        "{0} is missing: install the issuing CA with `kep-ca ca install-issuing` (docs/key-ceremony.md)"
    )]
    NotInstalled(PathBuf),
    /// A key on the HSM could not be opened.
    #[error("the {key} key on the HSM: {source}")]
    Hsm {
        /// Which key.
        key: &'static str,
        /// Why.
        #[source]
        source: kep_token::TokenError,
    },
    /// A key is not the one its certificate names (the configuration names the wrong key id,
    /// or the certificate installed is for another key).
    #[error("{0}")]
    KeyMismatch(String),
    /// A key file did not open with the configured password.
    #[error("the CA key password does not open {0}")]
    WrongPassword(PathBuf),
    /// A file could not be read or written.
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// A file is damaged, or certificate building failed.
    #[error("CA material: {0}")]
    Damaged(String),
}

/// The hierarchy in memory.
pub struct Authority {
    root_der: Vec<u8>,
    issuing_der: Vec<u8>,
    issuing: Certificate,
    signer: Arc<dyn KeySigner>,
    profile: QualifiedProfile,
    dir: PathBuf,
    root_crl: std::sync::RwLock<Arc<[u8]>>,
    public_url: String,
    responder: Certificate,
    responder_signer: Arc<dyn KeySigner>,
}

impl std::fmt::Debug for Authority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authority")
            .field(
                "issuing",
                &self.issuing.tbs_certificate().subject().to_string(),
            )
            .finish_non_exhaustive()
    }
}

pub(crate) const ROOT_CERT: &str = "root.crt";
const ROOT_KEY: &str = "root.key.pem";
pub(crate) const ROOT_CRL: &str = "root.crl";
pub(crate) const ISSUING_CERT: &str = "issuing.crt";
const ISSUING_KEY: &str = "issuing.key.pem";
pub(crate) const OCSP_CERT: &str = "ocsp.crt";
const OCSP_KEY: &str = "ocsp.key.pem";

/// The responder's certificate lives this long and is renewed at start with less than
/// `OCSP_CERT_RENEW` left (a compromised responder key is replaced, not revoked).
const OCSP_CERT_LIFETIME: Duration = Duration::from_secs(90 * 86_400);
const OCSP_CERT_RENEW: Duration = Duration::from_secs(30 * 86_400);

/// The root's CRL is signed for a year and refreshed when less than this is left.
const ROOT_CRL_REFRESH: Duration = Duration::from_secs(30 * 86_400);
const ROOT_CRL_LIFETIME: Duration = Duration::from_secs(365 * 86_400);

fn damaged(e: impl std::fmt::Display) -> AuthorityError {
    AuthorityError::Damaged(e.to_string())
}

/// The development CA's subject (the names say it is not a real CA).
fn dev_subject(common_name: &str) -> CaSubject {
    CaSubject {
        common_name: common_name.into(),
        organization: "KEP Renew (разработка, не аккредитованный УЦ)".into(),
        region: Some("77 г. Москва".into()),
        locality: Some("Москва".into()),
        ogrn: Some("1027700132195".into()),
        inn_le: Some("7707083893".into()),
        email: Some("ca@kep-renew.invalid".into()),
    }
}

impl Authority {
    /// Opens the hierarchy in `config.dir`, creating it first when there is none and
    /// `create_if_missing`. Returns whether it was created.
    pub fn open_or_create(
        config: &AuthorityConfig,
        now: SystemTime,
    ) -> Result<(Self, bool), AuthorityError> {
        let installed = config.dir.join(ISSUING_CERT).exists();
        let created = match &config.keys {
            CaKeys::Files { .. } if !installed && config.create_if_missing => {
                create(config, now)?;
                true
            }
            CaKeys::Files { .. } if !installed => {
                return Err(AuthorityError::Missing(config.dir.clone()));
            }
            CaKeys::Hsm(_) if !installed => {
                return Err(AuthorityError::NotInstalled(config.dir.join(ISSUING_CERT)));
            }
            _ => false,
        };
        let root_der = read(&config.dir.join(ROOT_CERT))?;
        let issuing_der = read(&config.dir.join(ISSUING_CERT))?;
        let issuing = Certificate::from_der(&issuing_der).map_err(damaged)?;
        let signer: Arc<dyn KeySigner> = match &config.keys {
            CaKeys::Files { password, .. } => {
                Arc::new(open_key(&config.dir.join(ISSUING_KEY), password)?)
            }
            CaKeys::Hsm(hsm) => hsm_signer(hsm, &hsm.issuing_key_id, "issuing CA's")?,
        };
        if !holds_key_of(&issuing, &*signer) {
            return Err(AuthorityError::KeyMismatch(match &config.keys {
                CaKeys::Hsm(hsm) => format!(
                    "the key {} on the HSM is not the key of {} (wrong issuing_key_id, or another CA's certificate)",
                    crate::ca_keys::key_id_hex(&hsm.issuing_key_id),
                    config.dir.join(ISSUING_CERT).display()
                ),
                CaKeys::Files { .. } => {
                    "the issuing key does not match the issuing certificate".into()
                }
            }));
        }
        let root_crl = root_crl(config, &root_der, now)?;
        let (responder, responder_signer) = responder(config, &issuing, &*signer, now)?;
        Ok((
            Self {
                root_der,
                issuing_der,
                issuing,
                signer,
                profile: leaf_profile(&config.public_url, config.ocsp_url.as_deref()),
                dir: config.dir.clone(),
                root_crl: std::sync::RwLock::new(root_crl.into()),
                public_url: config.public_url.trim_end_matches('/').to_owned(),
                responder,
                responder_signer,
            },
            created,
        ))
    }

    /// The issuing CA as kep-pki's signer of certificates and CRLs.
    pub fn issuer(&self) -> Issuer<'_> {
        Issuer {
            certificate: &self.issuing,
            signer: &*self.signer,
        }
    }

    /// The qualified profile of applicants' certificates (URLs under the public address).
    pub fn profile(&self) -> &QualifiedProfile {
        &self.profile
    }

    /// The root certificate, DER.
    pub fn root_der(&self) -> &[u8] {
        &self.root_der
    }

    /// The issuing CA certificate, DER.
    pub fn issuing_der(&self) -> &[u8] {
        &self.issuing_der
    }

    /// The issuing CA certificate.
    pub fn issuing(&self) -> &Certificate {
        &self.issuing
    }

    /// The root's current CRL, DER.
    pub fn root_crl(&self) -> Arc<[u8]> {
        self.root_crl
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Serves `ca/root.crl` anew (after `kep-ca ca install-root-crl`, on SIGHUP) when it is the
    /// root's and not older than the one served; answers its number. Otherwise the served one
    /// stays.
    pub fn reload_root_crl(&self) -> Result<u64, AuthorityError> {
        let der = read(&self.dir.join(ROOT_CRL))?;
        let crl = kep_pki::crl::Crl::parse(&der).map_err(damaged)?;
        let root = Certificate::from_der(&self.root_der).map_err(damaged)?;
        let number = crl.number().unwrap_or_default();
        let served = kep_pki::crl::Crl::parse(&self.root_crl())
            .ok()
            .and_then(|c| c.number())
            .unwrap_or_default();
        if !crl.is_signed_by(&root) || number < served {
            return Err(AuthorityError::Damaged(format!(
                "{}: not the root's, or older than the CRL served (number {served})",
                self.dir.join(ROOT_CRL).display()
            )));
        }
        *self
            .root_crl
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = der.into();
        Ok(number)
    }

    /// The address certificates point at.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// The OCSP responder: the issuing CA it answers for, its certificate and key.
    pub fn ocsp_responder(&self) -> kep_pki::ocsp::Responder<'_> {
        kep_pki::ocsp::Responder {
            issuer: &self.issuing,
            certificate: &self.responder,
            signer: &*self.responder_signer,
        }
    }
}

/// The key with `key_id` on the HSM, as a signer.
fn hsm_signer(
    hsm: &HsmKeys,
    key_id: &[u8],
    key: &'static str,
) -> Result<Arc<dyn KeySigner>, AuthorityError> {
    let signer = HsmSigner::open(hsm.key(key_id), hsm.sessions)
        .map_err(|source| AuthorityError::Hsm { key, source })?;
    Ok(Arc::new(signer))
}

/// Whether `certificate` is for `signer`'s key.
pub(crate) fn holds_key_of(certificate: &Certificate, signer: &dyn KeySigner) -> bool {
    x509_cert::der::Encode::to_der(certificate.tbs_certificate().subject_public_key_info())
        .is_ok_and(|spki| spki == signer.public_key_info())
}

/// The responder's key (a file made once, or the HSM's) and certificate (issued again when
/// near its end, or when it does not match the key or the issuing CA).
fn responder(
    config: &AuthorityConfig,
    issuing: &Certificate,
    issuing_signer: &dyn KeySigner,
    now: SystemTime,
) -> Result<(Certificate, Arc<dyn KeySigner>), AuthorityError> {
    let signer: Arc<dyn KeySigner> = match &config.keys {
        CaKeys::Files {
            password,
            scrypt_log_n,
        } => {
            let key_path = config.dir.join(OCSP_KEY);
            Arc::new(if key_path.exists() {
                open_key(&key_path, password)?
            } else {
                new_key(password, *scrypt_log_n, &key_path)?
            })
        }
        CaKeys::Hsm(hsm) => {
            let signer = hsm_signer(hsm, &hsm.ocsp_key_id, "OCSP responder's")?;
            if signer.public_key_info() == issuing_signer.public_key_info() {
                return Err(AuthorityError::KeyMismatch(
                    "ocsp_key_id names the issuing CA's key: the OCSP responder needs a key of its own".into(),
                ));
            }
            signer
        }
    };
    let cert_path = config.dir.join(OCSP_CERT);
    let current = std::fs::read(&cert_path)
        .ok()
        .and_then(|der| Certificate::from_der(&der).ok())
        .filter(|cert| {
            let tbs = cert.tbs_certificate();
            let key_matches = x509_cert::der::Encode::to_der(tbs.subject_public_key_info())
                .is_ok_and(|spki| spki == signer.public_key_info());
            let fresh = tbs.validity().not_after.to_system_time() > now + OCSP_CERT_RENEW;
            key_matches && fresh && tbs.issuer() == issuing.tbs_certificate().subject()
        });
    if let Some(cert) = current {
        return Ok((cert, signer));
    }
    let subject = responder_subject(issuing.tbs_certificate().subject())?;
    let der = ocsp_responder(
        &Issuer {
            certificate: issuing,
            signer: issuing_signer,
        },
        subject,
        signer.public_key_info(),
        now,
        now + OCSP_CERT_LIFETIME,
    )
    .map_err(damaged)?;
    kep_private_file::write(&cert_path, &der)
        .map_err(|e| AuthorityError::Io(cert_path.clone(), e))?;
    Ok((Certificate::from_der(&der).map_err(damaged)?, signer))
}

/// The responder's name: the issuing CA's, its common name prefixed with "OCSP" (the
/// organization and its identifiers stay the CA's).
fn responder_subject(
    issuing: &x509_cert::name::Name,
) -> Result<x509_cert::name::Name, AuthorityError> {
    use x509_cert::der::asn1::{Any, ObjectIdentifier, Utf8StringRef};
    use x509_cert::der::{Decode, Encode};
    use x509_cert::name::{RdnSequence, RelativeDistinguishedName};
    const CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
    let mut rdns = Vec::new();
    for rdn in issuing.iter_rdn() {
        let mut attributes: Vec<_> = rdn.iter().cloned().collect();
        for attribute in attributes.iter_mut().filter(|a| a.oid == CN) {
            let old = attribute
                .value
                .decode_as::<Utf8StringRef<'_>>()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default();
            let new = format!("OCSP {old}");
            attribute.value =
                Any::encode_from(&Utf8StringRef::new(&new).map_err(damaged)?).map_err(damaged)?;
        }
        rdns.push(RelativeDistinguishedName::try_from(attributes).map_err(damaged)?);
    }
    // (A Name is its RDNSequence's DER.)
    let der = RdnSequence::from(rdns).to_der().map_err(damaged)?;
    x509_cert::name::Name::from_der(&der).map_err(damaged)
}

/// Applicants' certificates: CRL, OCSP and caIssuers under the service's public address.
fn leaf_profile(public_url: &str, ocsp_url: Option<&str>) -> QualifiedProfile {
    let base = public_url.trim_end_matches('/');
    QualifiedProfile {
        crl_urls: vec![format!("{base}/crl/issuing.crl")],
        ocsp_urls: vec![ocsp_url.map_or_else(|| format!("{base}/ocsp"), str::to_owned)],
        ca_issuers_urls: vec![format!("{base}/ca/issuing.crt")],
        ..QualifiedProfile::default()
    }
}

/// The issuing CA's own certificate: its CRL is the root's.
pub(crate) fn ca_profile(public_url: &str) -> QualifiedProfile {
    let base = public_url.trim_end_matches('/');
    QualifiedProfile {
        crl_urls: vec![format!("{base}/crl/root.crl")],
        ca_issuers_urls: vec![format!("{base}/ca/root.crt")],
        ..QualifiedProfile::default()
    }
}

fn read(path: &Path) -> Result<Vec<u8>, AuthorityError> {
    std::fs::read(path).map_err(|e| AuthorityError::Io(path.to_owned(), e))
}

pub(crate) fn open_key(path: &Path, password: &str) -> Result<SoftwareGostSigner, AuthorityError> {
    let text = Zeroizing::new(
        std::fs::read_to_string(path).map_err(|e| AuthorityError::Io(path.to_owned(), e))?,
    );
    let key = encrypted_key::open(&text, password).map_err(|e| match e {
        encrypted_key::KeyFileError::WrongPassword => {
            AuthorityError::WrongPassword(path.to_owned())
        }
        encrypted_key::KeyFileError::Damaged(why) => AuthorityError::Damaged(why),
    })?;
    SoftwareGostSigner::new(key).map_err(damaged)
}

pub(crate) fn new_key(
    password: &str,
    scrypt_log_n: u8,
    path: &Path,
) -> Result<SoftwareGostSigner, AuthorityError> {
    let mut rng = kep_pki::OsRng;
    let key = kep_gost::SigningKey::generate(kep_gost::ParamSet::CryptoProA, &mut rng)
        .map_err(damaged)?;
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    let fill = |b: &mut [u8]| {
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), b).map_err(damaged)
    };
    fill(&mut salt)?;
    fill(&mut iv)?;
    let pem = encrypted_key::seal(&key, password, scrypt_log_n, &salt, iv).map_err(damaged)?;
    kep_private_file::write(path, pem.as_bytes())
        .map_err(|e| AuthorityError::Io(path.to_owned(), e))?;
    SoftwareGostSigner::new(key).map_err(damaged)
}

/// Makes root and issuing CA. The issuing certificate is written last: its presence marks a
/// complete hierarchy, so an interrupted creation is simply redone.
fn create(config: &AuthorityConfig, now: SystemTime) -> Result<(), AuthorityError> {
    let CaKeys::Files {
        password,
        scrypt_log_n,
    } = &config.keys
    else {
        return Err(AuthorityError::NotInstalled(config.dir.join(ISSUING_CERT)));
    };
    let new_key = |name: &str| new_key(password, *scrypt_log_n, &config.dir.join(name));
    kep_private_file::create_dir(&config.dir)
        .map_err(|e| AuthorityError::Io(config.dir.clone(), e))?;
    let ca_profile = ca_profile(&config.public_url);
    let root_signer = new_key(ROOT_KEY)?;
    let root_subject = dev_subject("KEP Renew Dev Root CA");
    let root = self_signed_root(
        &CaCertificate {
            subject: &root_subject,
            not_before: now,
            validity_months: 180,
            path_len: Some(1),
            sign_tool: "KEP Renew kep-gost",
            profile: &ca_profile,
        },
        &root_signer,
    )
    .map_err(damaged)?;
    let root_cert = Certificate::from_der(&root).map_err(damaged)?;
    let issuing_signer = new_key(ISSUING_KEY)?;
    let issuing = subordinate_ca(
        &Issuer {
            certificate: &root_cert,
            signer: &root_signer,
        },
        &CaCertificate {
            subject: &dev_subject("KEP Renew Dev Issuing CA"),
            not_before: now,
            validity_months: 120,
            path_len: Some(0),
            sign_tool: "KEP Renew kep-gost",
            profile: &ca_profile,
        },
        issuing_signer.public_key_info(),
    )
    .map_err(damaged)?;
    for (name, der) in [(ROOT_CERT, &root), (ISSUING_CERT, &issuing)] {
        let path = config.dir.join(name);
        kep_private_file::write(&path, der).map_err(|e| AuthorityError::Io(path, e))?;
    }
    Ok(())
}

/// The root's CRL. With key files (nothing revoked: the root has one subordinate) it is
/// re-signed when it nears its nextUpdate, the root key opened only then. With the root
/// offline it is the ceremony's file, served as it is and warned about when it nears its end
/// (`/readyz` fails once it is past).
fn root_crl(
    config: &AuthorityConfig,
    root_der: &[u8],
    now: SystemTime,
) -> Result<Vec<u8>, AuthorityError> {
    let path = config.dir.join(ROOT_CRL);
    let current = std::fs::read(&path).ok();
    let next_update = current
        .as_deref()
        .and_then(|der| kep_pki::crl::Crl::parse(der).ok())
        .and_then(|crl| crl.next_update());
    let fresh = next_update.is_some_and(|next| next > now + ROOT_CRL_REFRESH);
    let password = match (&config.keys, current) {
        (_, Some(der)) if fresh => return Ok(der),
        (CaKeys::Hsm(_), Some(der)) => {
            let days_left = next_update
                .and_then(|next| next.duration_since(now).ok())
                .map_or(0, |left| left.as_secs() / 86_400);
            tracing::warn!(
                days_left,
                file = %path.display(),
                "the root CRL nears its nextUpdate: sign the next one offline (kep-ca ca root-crl) and install it (kep-ca ca install-root-crl)"
            );
            return Ok(der);
        }
        (CaKeys::Hsm(_), None) => return Err(AuthorityError::NotInstalled(path)),
        (CaKeys::Files { password, .. }, _) => password,
    };
    let root = Certificate::from_der(root_der).map_err(damaged)?;
    let signer = open_key(&config.dir.join(ROOT_KEY), password)?;
    let number = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(1);
    let crl = build_crl(
        &Issuer {
            certificate: &root,
            signer: &signer,
        },
        now,
        now + ROOT_CRL_LIFETIME,
        number,
        &[] as &[Revocation],
    )
    .map_err(damaged)?;
    kep_private_file::write(&path, &crl).map_err(|e| AuthorityError::Io(path, e))?;
    Ok(crl)
}
