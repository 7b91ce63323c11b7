//! A signature's verdict: the signature read, the content digested as a stream, the signature
//! checked over it, the signer's chain built to this CA or to the accredited list the CA
//! serves (at the signing time the signer claims), and the certificate's status asked now. Each
//! part is said in its own Russian sentence; the verdict follows from them.

use super::FileSignatureError;
use crate::cert_status::{Anchors, StatusClient};
use crate::messages_ru::file_signatures as say;
use kep_pki::chain::{ChainError, verify_chain};
use kep_pki::cms_signature::{CmsError, SignaturePolicy, SignedMessage};
use kep_pki::content_digest::digest_reader;
use kep_pki::summary::rfc3339;
use kep_protocol::certificate::CertificateStatus;
use kep_protocol::file_signatures::{ChainLink, CheckVerdict, SignatureCheck, SignerTrust};
use std::io::Read;
use std::path::Path;
use std::time::SystemTime;

/// A CA certificate of the accredited list, trusted as listed.
#[derive(Debug, Clone)]
pub struct ListedAnchor {
    /// The certificate, DER.
    pub der: Vec<u8>,
    /// The CA, as the list names it.
    pub ca_name: String,
    /// Its ИНН.
    pub ca_inn: String,
}

/// Reads the signature file at `path` (DER, base64 or PEM).
pub fn read_signature(path: &Path) -> Result<SignedMessage, FileSignatureError> {
    let file = std::fs::File::open(path).map_err(FileSignatureError::Unreadable)?;
    let mut raw = Vec::new();
    file.take(super::signature_file::MAX_SIGNATURE_BYTES + 1)
        .read_to_end(&mut raw)
        .map_err(FileSignatureError::Unreadable)?;
    if raw.len() as u64 > super::signature_file::MAX_SIGNATURE_BYTES {
        return Err(FileSignatureError::SignatureTooLarge);
    }
    SignedMessage::parse(&super::signature_file::signature_der(raw)).map_err(read_refusal)
}

fn read_refusal(error: CmsError) -> FileSignatureError {
    use kep_pki::verify::VerifyError;
    match error {
        CmsError::Der(e) if matches!(e.kind(), der::ErrorKind::Incomplete { .. }) => {
            FileSignatureError::Truncated
        }
        CmsError::SignerCount(n) if n > 1 => FileSignatureError::SeveralSigners,
        CmsError::Signature(VerifyError::UnsupportedAlgorithm(oid))
        | CmsError::WrongDigestAlgorithm(oid) => FileSignatureError::UnknownAlgorithm(oid),
        CmsError::SignerCertificateMissing => FileSignatureError::NoSignerCertificate,
        other => FileSignatureError::NotASignature(other.to_string()),
    }
}

/// The content's digest for `message` and its SHA-256 (for the report), read once.
pub fn digest_content(
    message: &SignedMessage,
    content: &mut dyn Read,
) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    let mut tee = Sha256Tee {
        inner: content,
        sha256: ring::digest::Context::new(&ring::digest::SHA256),
    };
    let digest = digest_reader(message.algorithm(), &mut tee, |_| {})?;
    Ok((digest, tee.sha256.finish().as_ref().to_vec()))
}

/// A reader that also computes the SHA-256 of what passes through it.
struct Sha256Tee<'a> {
    inner: &'a mut dyn Read,
    sha256: ring::digest::Context,
}

impl Read for Sha256Tee<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.sha256.update(&buf[..n]);
        Ok(n)
    }
}

/// What is checked against.
#[derive(Debug, Clone, Copy)]
pub struct TrustSources<'a> {
    /// This CA's root and issuing certificates.
    pub own: &'a Anchors,
    /// The accredited CAs' listed certificates (empty when the list could not be had).
    pub accredited: &'a [ListedAnchor],
    /// Whether the accredited list was available.
    pub list_known: bool,
}

/// The names of the files, for the verdict.
#[derive(Debug, Clone)]
pub struct Names {
    /// The signed file (none for an attached signature).
    pub file: Option<String>,
    /// The signature file.
    pub signature: String,
}

enum SignatureState {
    Genuine(kep_pki::cms_signature::VerifiedSignature),
    OtherContent,
    Broken(String),
}

/// The verdict on `message` over content whose digest is `digest` (and SHA-256 `sha256`).
pub async fn judge(
    message: &SignedMessage,
    digest: &[u8],
    sha256: &[u8],
    names: Names,
    sources: TrustSources<'_>,
    status_client: &StatusClient,
    now: SystemTime,
) -> Result<SignatureCheck, FileSignatureError> {
    let leaf = message
        .signer_certificate()
        .map_err(|e| FileSignatureError::NotASignature(e.to_string()))?;
    let state = match message.verify(digest, SignaturePolicy::Cms) {
        Ok(verified) => SignatureState::Genuine(verified),
        Err(CmsError::ContentMismatch) => SignatureState::OtherContent,
        Err(other) => SignatureState::Broken(other.to_string()),
    };
    let (signing_time, carried) = match &state {
        SignatureState::Genuine(v) => (v.signing_time, v.carried.clone()),
        _ => (None, Vec::new()),
    };

    // The chain, at the time the signer claims (never later than now).
    let at = signing_time.filter(|t| *t <= now).unwrap_or(now);
    let roots: Vec<Vec<u8>> = sources
        .own
        .roots
        .iter()
        .cloned()
        .chain(sources.accredited.iter().map(|a| a.der.clone()))
        .collect();
    let intermediates: Vec<Vec<u8>> = sources
        .own
        .intermediates
        .iter()
        .cloned()
        .chain(carried)
        .collect();
    let chain = verify_chain(&leaf, &intermediates, &roots, at, &[]);
    let (trust, trust_note, path, chain_failure) = match &chain {
        Ok(path) => {
            let top = path.last().cloned().unwrap_or_default();
            let listed = sources.accredited.iter().find(|a| a.der == top);
            match (sources.own.roots.contains(&top), listed) {
                (false, Some(ca)) => (
                    SignerTrust::Accredited {
                        name: ca.ca_name.clone(),
                        inn: ca.ca_inn.clone(),
                    },
                    say::trusted_accredited(&ca.ca_name, &ca.ca_inn),
                    path.clone(),
                    None,
                ),
                _ => (
                    SignerTrust::ThisCa,
                    say::TRUSTED_THIS_CA.to_owned(),
                    path.clone(),
                    None,
                ),
            }
        }
        Err(error) => (
            SignerTrust::Untrusted,
            say::untrusted(error, sources.list_known),
            vec![leaf.clone()],
            Some(error.clone()),
        ),
    };

    let status = match (&state, &chain) {
        (SignatureState::Genuine(_) | SignatureState::OtherContent, Ok(path)) => {
            let anchors = Anchors {
                roots: path.last().cloned().into_iter().collect(),
                intermediates: path.iter().skip(1).cloned().collect(),
            };
            status_client.status(&leaf, &anchors, now).await
        }
        _ => CertificateStatus::Unchecked {
            reason: say::STATUS_NOT_ASKED.to_owned(),
        },
    };
    let summary = kep_pki::summary::summarize(&leaf, &[], &[], now)
        .map_err(|e| FileSignatureError::NotASignature(e.to_string()))?;

    let content_unchanged = matches!(state, SignatureState::Genuine(_));
    let timed_out_chain = matches!(
        chain_failure,
        Some(ChainError::Expired { .. } | ChainError::NotYetValid { .. })
    );
    let revoked = matches!(
        status,
        CertificateStatus::Revoked { .. } | CertificateStatus::Superseded { .. }
    );
    let (verdict, headline) = match &state {
        SignatureState::Broken(_) => (CheckVerdict::Invalid, say::HEADLINE_BROKEN),
        SignatureState::OtherContent => (CheckVerdict::Invalid, say::HEADLINE_OTHER_CONTENT),
        SignatureState::Genuine(_) if timed_out_chain => {
            (CheckVerdict::Invalid, say::HEADLINE_NOT_VALID_THEN)
        }
        SignatureState::Genuine(_) if revoked => (CheckVerdict::Invalid, say::HEADLINE_REVOKED),
        SignatureState::Genuine(_) if chain_failure.is_some() => {
            (CheckVerdict::NotConfirmed, say::HEADLINE_UNTRUSTED)
        }
        SignatureState::Genuine(_) => match status {
            CertificateStatus::Valid { .. } => (CheckVerdict::Valid, say::HEADLINE_VALID),
            CertificateStatus::Expired => (CheckVerdict::NotConfirmed, say::HEADLINE_EXPIRED_NOW),
            _ => (CheckVerdict::NotConfirmed, say::HEADLINE_STATUS_UNKNOWN),
        },
    };
    let content_note = match &state {
        SignatureState::Genuine(_) => say::CONTENT_UNCHANGED.to_owned(),
        SignatureState::OtherContent => say::CONTENT_CHANGED.to_owned(),
        SignatureState::Broken(why) => {
            tracing::info!(why, "a signature does not verify");
            say::SIGNATURE_BROKEN.to_owned()
        }
    };
    let chain = path
        .iter()
        .filter_map(|der| kep_pki::summary::summarize(der, &[], &[], now).ok())
        .map(|s| ChainLink {
            subject: s.owner,
            serial: s.serial,
            not_after: s.not_after,
        })
        .collect();
    Ok(SignatureCheck {
        file_name: names.file,
        content_sha256: sha256.iter().map(|b| format!("{b:02x}")).collect(),
        signature_name: names.signature,
        verdict,
        headline: headline.to_owned(),
        time_note: say::time_note(signing_time),
        signing_time: signing_time.map(rfc3339),
        content_unchanged,
        content_note,
        trust,
        trust_note,
        status_note: say::status_note(&status, &summary.not_after),
        status,
        chain,
        signer: summary,
        checked_at: rfc3339(now),
    })
}
