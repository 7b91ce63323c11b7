//! Using the КЭП at once: signing files (detached CAdES-BES `.sig`, DER or base64, any size, a
//! progress report per file) with a certificate of «Мои сертификаты» whose key is on a token or
//! in the computer key store, and checking signatures people receive — who signed, when they
//! say, whether the file is unchanged, whether the certificate is trusted (this CA or the
//! accredited list the CA serves) and its status now — with a PDF report of the check.

mod check;
mod chosen;
mod error;
mod report;
mod signature_file;
mod signing;

pub use check::ListedAnchor;
pub use chosen::ChosenFiles;
pub use error::FileSignatureError;
pub use report::report_pdf;
pub use signing::{Destination, FileProblem, FileSigned, Signing, sign_file};

use crate::current_certificates::CandidateId;
use crate::my_certificates::MyCertificates;
use kep_pki::signer::KeySigner;
use kep_protocol::certificate::CertificateStatus;
use kep_protocol::file_signatures::{
    ChosenFile, SignFiles, SignatureCheck, SignedFile, SigningProgress,
};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use zeroize::Zeroizing;

/// How long the accredited list is used before it is asked again.
const LIST_FRESH: Duration = Duration::from_secs(3600);
/// How long the check waits for the list before going on without it.
const LIST_BUDGET: Duration = Duration::from_secs(5);

/// Signing and checking, over the home's certificates and anchors.
pub struct FileSignatures {
    home: Arc<MyCertificates>,
    chosen: Mutex<ChosenFiles>,
    /// The last check of each signature (by its file's id), for its report.
    checked: Mutex<std::collections::HashMap<String, SignatureCheck>>,
    /// The accredited list's anchors and when they were had (None: never, or it failed).
    listed: tokio::sync::Mutex<Option<(Instant, Option<Vec<ListedAnchor>>)>>,
}

impl std::fmt::Debug for FileSignatures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileSignatures").finish_non_exhaustive()
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, FileSignatureError> + Send + 'static,
) -> Result<T, FileSignatureError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| FileSignatureError::Worker(e.to_string()))?
}

impl FileSignatures {
    /// Signing and checking with the certificates of `home`.
    pub fn new(home: Arc<MyCertificates>) -> Self {
        Self {
            home,
            chosen: Mutex::new(ChosenFiles::default()),
            checked: Mutex::new(std::collections::HashMap::new()),
            listed: tokio::sync::Mutex::new(None),
        }
    }

    /// Adds dropped or chosen files; answers the ones added.
    pub fn add_files(&self, paths: Vec<std::path::PathBuf>) -> Vec<ChosenFile> {
        lock(&self.chosen).add(paths)
    }

    /// The files chosen so far.
    pub fn files(&self) -> Vec<ChosenFile> {
        lock(&self.chosen).list()
    }

    /// Forgets a chosen file (or all of them with `None`).
    pub fn remove_file(&self, id: Option<&str>) {
        let mut chosen = lock(&self.chosen);
        match id {
            Some(id) => chosen.remove(id),
            None => chosen.clear(),
        }
    }

    /// The path and name of a chosen file.
    pub fn file(&self, id: &str) -> Result<(std::path::PathBuf, ChosenFile), FileSignatureError> {
        lock(&self.chosen)
            .get(id)
            .ok_or(FileSignatureError::UnknownFile)
    }

    /// Signs the files of `request` with its certificate, the key opened with `secret` (the
    /// token's PIN or the container's password) once for all of them and closed after;
    /// `progress` hears each file's bytes read. A file that cannot be read or whose signature
    /// cannot be written is reported in its [`SignedFile`]; the others go on.
    pub async fn sign(
        &self,
        request: &SignFiles,
        secret: Zeroizing<String>,
        destination: Destination,
        progress: Arc<dyn Fn(SigningProgress) + Send + Sync>,
    ) -> Result<Vec<SignedFile>, FileSignatureError> {
        let files = request
            .file_ids
            .iter()
            .map(|id| self.file(id))
            .collect::<Result<Vec<_>, _>>()?;
        if matches!(destination, Destination::File(_)) && files.len() != 1 {
            return Err(FileSignatureError::UnknownFile);
        }
        let (certificate, candidate, der, anchors) =
            self.home.one_entry(&request.certificate_id).await?;
        if matches!(
            certificate.status,
            CertificateStatus::Revoked { .. } | CertificateStatus::Superseded { .. }
        ) {
            return Err(FileSignatureError::Revoked);
        }
        if !crate::my_certificates::within_validity(&der, SystemTime::now()) {
            return Err(FileSignatureError::NotValidNow);
        }
        if !certificate.can_sign {
            return Err(FileSignatureError::NoKey);
        }
        // The issuing CA goes into each signature, so a recipient who trusts only the root
        // (OpenSSL, GnuTLS, a portal) can build the path.
        let issuers = kep_pki::chain::verify_chain(
            &der,
            &anchors.intermediates,
            &anchors.roots,
            SystemTime::now(),
            &[],
        )
        .map(|path| path[1..path.len().saturating_sub(1).max(1)].to_vec())
        .unwrap_or_default();
        let keys = self.home.keys().clone();
        let encoding = request.encoding;
        blocking(move || {
            let signer = open_signer(&keys, candidate, &secret, &der)?;
            drop(secret);
            let now = SystemTime::now();
            let mut outcomes = Vec::new();
            for (path, file) in files {
                let target = destination.for_file(&path);
                let total = file.size;
                let id = file.id.clone();
                let mut told = |done: u64| {
                    progress(SigningProgress {
                        file_id: id.clone(),
                        done,
                        total: total.max(done),
                    })
                };
                told(0);
                let signing = signing::Signing {
                    signer: signer.as_ref(),
                    certificate: &der,
                    issuers: &issuers,
                };
                let outcome =
                    signing::sign_file(&path, &target, &signing, encoding, now, &mut told);
                outcomes.push(match outcome {
                    Ok(signed) => {
                        tracing::info!(replaced = signed.replaced, "a file was signed");
                        SignedFile {
                            file_id: file.id,
                            name: file.name,
                            signature_name: Some(chosen::file_name(&signed.signature)),
                            replaced: signed.replaced,
                            problem: None,
                        }
                    }
                    Err(problem) => {
                        tracing::warn!(error = %problem, "a file was not signed");
                        SignedFile {
                            file_id: file.id,
                            name: file.name,
                            signature_name: None,
                            replaced: false,
                            problem: Some(crate::messages_ru::file_signatures::file_problem(
                                &problem,
                            )),
                        }
                    }
                });
            }
            // The signer (a computer key: zeroized as it drops; a token: its session closed).
            drop(signer);
            Ok(outcomes)
        })
        .await
    }

    /// Checks the signature `signature_id` over the file `file_id` (none for an attached
    /// signature).
    pub async fn check(
        &self,
        signature_id: &str,
        file_id: Option<&str>,
    ) -> Result<SignatureCheck, FileSignatureError> {
        let (signature_path, signature) = self.file(signature_id)?;
        let file = file_id.map(|id| self.file(id)).transpose()?;
        let (message, digest, sha256) = blocking(move || {
            let message = check::read_signature(&signature_path)?;
            let (digest, sha256) = match (&file, message.attached_content()) {
                (Some((path, _)), _) => {
                    let mut reader =
                        std::fs::File::open(path).map_err(FileSignatureError::Unreadable)?;
                    check::digest_content(&message, &mut reader)
                }
                (None, Some(mut content)) => check::digest_content(&message, &mut content),
                (None, None) => return Err(FileSignatureError::NeedsFile),
            }
            .map_err(FileSignatureError::Unreadable)?;
            Ok((message, digest, sha256))
        })
        .await?;
        let own = self.home.anchors().await;
        let listed = self.accredited().await;
        let sources = check::TrustSources {
            own: &own,
            accredited: listed.as_deref().unwrap_or_default(),
            list_known: listed.is_some(),
        };
        let names = check::Names {
            file: file_id
                .and_then(|id| self.file(id).ok())
                .map(|(_, f)| f.name),
            signature: signature.name,
        };
        let check = check::judge(
            &message,
            &digest,
            &sha256,
            names,
            sources,
            self.home.status_client(),
            SystemTime::now(),
        )
        .await?;
        lock(&self.checked).insert(signature_id.to_owned(), check.clone());
        Ok(check)
    }

    /// The report of the last check of `signature_id`, made by app version `version`, with its
    /// suggested file name.
    pub fn report(
        &self,
        signature_id: &str,
        version: &str,
    ) -> Result<(Vec<u8>, String), FileSignatureError> {
        let check = lock(&self.checked)
            .get(signature_id)
            .cloned()
            .ok_or(FileSignatureError::UnknownFile)?;
        let name = crate::messages_ru::file_signatures::report::file_name(
            check.file_name.as_deref().unwrap_or(&check.signature_name),
        );
        Ok((report_pdf(&check, version)?, name))
    }

    /// The accredited list's certificates of CAs accredited now, asked of the CA at most
    /// hourly (a failure is asked again at the next check).
    async fn accredited(&self) -> Option<Vec<ListedAnchor>> {
        let mut listed = self.listed.lock().await;
        if let Some((at, Some(anchors))) = &*listed
            && at.elapsed() < LIST_FRESH
        {
            return Some(anchors.clone());
        }
        let asked = tokio::time::timeout(LIST_BUDGET, self.home.ca().accredited_cas()).await;
        let anchors = match asked {
            Ok(Ok(Some(list))) => Some(listed_anchors(&list)),
            Ok(Ok(None)) => Some(Vec::new()),
            Ok(Err(error)) => {
                tracing::info!(%error, "the accredited list could not be had");
                None
            }
            Err(_) => {
                tracing::info!("the accredited list did not come in time");
                None
            }
        };
        *listed = Some((Instant::now(), anchors.clone()));
        anchors
    }
}

/// The listed certificates of the CAs accredited now.
fn listed_anchors(list: &kep_protocol::trust::TrustListView) -> Vec<ListedAnchor> {
    use base64::Engine;
    list.cas
        .iter()
        .filter(|ca| ca.accredited)
        .flat_map(|ca| {
            ca.certificates.iter().filter_map(|c| {
                Some(ListedAnchor {
                    der: base64::engine::general_purpose::STANDARD
                        .decode(&c.der)
                        .ok()?,
                    ca_name: ca.name.clone(),
                    ca_inn: ca.inn.clone(),
                })
            })
        })
        .collect()
}

/// Opens the key of `candidate` with `secret` and makes sure it is the key of `certificate`.
fn open_signer(
    keys: &crate::key_places::KeyPlaces,
    candidate: CandidateId,
    secret: &str,
    certificate: &[u8],
) -> Result<Box<dyn KeySigner>, FileSignatureError> {
    let (signer, stored): (Box<dyn KeySigner>, Vec<u8>) = match candidate {
        CandidateId::Computer { name } => {
            let (signer, stored) = crate::computer_key::signer(keys.key_store(), &name, secret)?;
            (Box::new(signer), stored)
        }
        CandidateId::Token { serial, key_id } => {
            let pin = kep_token::Pin::new(secret);
            let (signer, stored) =
                crate::token_key::signer(&keys.module()?, &serial, &key_id, pin)?;
            (Box::new(signer), stored)
        }
    };
    use der::{Decode, Encode};
    let spki = x509_cert::Certificate::from_der(certificate)
        .ok()
        .and_then(|c| c.tbs_certificate().subject_public_key_info().to_der().ok());
    if stored != certificate || spki.as_deref() != Some(signer.public_key_info()) {
        return Err(FileSignatureError::KeyMismatch);
    }
    Ok(signer)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
