//! An OCSP answer read as a relying party reads it (RFC 6960 §3.2): signed by the issuer itself
//! or by a responder the issuer delegated to (its certificate issued by that issuer, with
//! id-kp-OCSPSigning, valid now), about the certificate asked, with the nonce sent, and current.
//! Anything else is refused with its reason; the status is never guessed.

use super::asn1::{BasicOcspResponse, CertStatus, ID_PKIX_OCSP_NONCE, OcspResponseStatus};
use super::asn1::{OcspResponse, ResponderId, SingleResponse};
use super::responder::{Status, names_issuer};
use crate::crl::RevocationReason;
use crate::summary::{is_signed_by, is_signed_by_parts};
use der::asn1::OctetString;
use der::{Decode, Encode};
use std::time::{Duration, SystemTime};
use x509_cert::Certificate;
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_cert::serial_number::SerialNumber;

/// How far a responder's clock may run ahead of ours.
pub const CLOCK_SKEW: Duration = Duration::from_secs(5 * 60);

/// What a trustworthy answer says about one certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    /// Good, revoked (when, why) or unknown to the responder.
    pub status: Status,
    /// When the responder knew this to be true.
    pub this_update: SystemTime,
    /// Until when the answer may be kept, if the responder says.
    pub next_update: Option<SystemTime>,
}

/// Why an answer is not believed.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    /// Not a DER OCSPResponse.
    #[error("the answer does not read: {0}")]
    Unreadable(#[from] der::Error),
    /// The responder answered without a status (malformedRequest, tryLater, unauthorized…).
    #[error("the responder refused: {0:?}")]
    Refused(OcspResponseStatus),
    /// A successful answer without a basic response.
    #[error("the answer carries no basic response")]
    NotBasic,
    /// Signed by neither the issuer nor a responder certificate the issuer gave OCSP signing.
    #[error("the answer is signed by neither the issuer nor a responder it delegated to")]
    Unauthorized,
    /// The responder is named, but its signature does not verify.
    #[error("the answer's signature does not verify")]
    BadSignature,
    /// No single response is about the certificate asked.
    #[error("the answer is about other certificates")]
    NotAsked,
    /// The nonce sent came back changed.
    #[error("the answer's nonce is not the one sent")]
    Nonce,
    /// thisUpdate in the future or nextUpdate in the past.
    #[error("the answer is not current")]
    Stale,
}

fn responder_named(id: &ResponderId, cert: &Certificate) -> bool {
    let tbs = cert.tbs_certificate();
    match id {
        ResponderId::ByName(name) => tbs.subject() == name,
        ResponderId::ByKey(hash) => {
            let key = tbs.subject_public_key_info().subject_public_key.raw_bytes();
            ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, key).as_ref()
                == hash.as_bytes()
        }
    }
}

/// A responder certificate the issuer delegated OCSP signing to, valid at `now`.
fn delegated(cert: &Certificate, issuer: &Certificate, now: SystemTime) -> bool {
    let tbs = cert.tbs_certificate();
    let validity = tbs.validity();
    let signs_ocsp = tbs
        .get_extension::<ExtendedKeyUsage>()
        .ok()
        .flatten()
        .is_some_and(|(_, usage)| {
            usage
                .0
                .contains(&const_oid::db::rfc5280::ID_KP_OCSP_SIGNING)
        });
    signs_ocsp
        && validity.not_before.to_system_time() <= now
        && now <= validity.not_after.to_system_time()
        && is_signed_by(cert, issuer)
}

fn signer<'a>(
    basic: &'a BasicOcspResponse,
    issuer: &'a Certificate,
    now: SystemTime,
) -> Result<&'a Certificate, AnswerError> {
    let id = &basic.tbs_response_data.responder_id;
    if responder_named(id, issuer) {
        return Ok(issuer);
    }
    basic
        .certs
        .iter()
        .flatten()
        .find(|c| responder_named(id, c) && delegated(c, issuer, now))
        .ok_or(AnswerError::Unauthorized)
}

fn nonce_matches(basic: &BasicOcspResponse, sent: &[u8]) -> Result<bool, AnswerError> {
    let Some(echoed) = basic
        .tbs_response_data
        .response_extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == ID_PKIX_OCSP_NONCE)
    else {
        // RFC 8954 lets a responder leave the nonce out (a pre-signed answer); such an answer
        // is judged by its times alone.
        return Ok(true);
    };
    Ok(echoed.extn_value.as_bytes() == OctetString::new(sent)?.to_der()?.as_slice())
}

fn status_of(single: &SingleResponse) -> Status {
    match &single.cert_status {
        CertStatus::Good(_) => Status::Good,
        CertStatus::Unknown(_) => Status::Unknown,
        CertStatus::Revoked(info) => Status::Revoked {
            at: info.revocation_time.to_system_time(),
            reason: info.revocation_reason.and_then(RevocationReason::from_code),
        },
    }
}

/// Reads `der`, the answer to a request about `serial` of `issuer` sent with `nonce`, at `now`.
pub fn read_answer(
    der: &[u8],
    issuer: &Certificate,
    serial: &SerialNumber,
    nonce: Option<&[u8]>,
    now: SystemTime,
) -> Result<Answer, AnswerError> {
    let response = OcspResponse::from_der(der)?;
    if response.response_status != OcspResponseStatus::Successful {
        return Err(AnswerError::Refused(response.response_status));
    }
    let bytes = response.response_bytes.ok_or(AnswerError::NotBasic)?;
    if bytes.response_type != super::asn1::ID_PKIX_OCSP_BASIC {
        return Err(AnswerError::NotBasic);
    }
    let basic = BasicOcspResponse::from_der(bytes.response.as_bytes())?;
    let responder = signer(&basic, issuer, now)?;
    let signed = basic.tbs_response_data.to_der()?;
    if !is_signed_by_parts(
        &signed,
        &basic.signature_algorithm,
        &basic.signature,
        responder,
    ) {
        return Err(AnswerError::BadSignature);
    }
    if let Some(sent) = nonce
        && !nonce_matches(&basic, sent)?
    {
        return Err(AnswerError::Nonce);
    }
    let single = basic
        .tbs_response_data
        .responses
        .iter()
        .find(|r| r.cert_id.serial_number == *serial && names_issuer(&r.cert_id, issuer))
        .ok_or(AnswerError::NotAsked)?;
    let this_update = single.this_update.to_system_time();
    let next_update = single.next_update.map(|t| t.to_system_time());
    if this_update > now + CLOCK_SKEW || next_update.is_some_and(|next| next < now) {
        return Err(AnswerError::Stale);
    }
    Ok(Answer {
        status: status_of(single),
        this_update,
        next_update,
    })
}
