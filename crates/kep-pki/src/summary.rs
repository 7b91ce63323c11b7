//! A certificate read for display (the app's certificate card and the CA's operator screens):
//! owner, identifiers, issuer, validity, key, thumbprint, and whether it is qualified.

use crate::error::PkiError;
use crate::extensions::{IdentificationKind, IssuerSignTool, parse_subject_sign_tool};
use crate::issue::key_algorithm;
use crate::oids;
use crate::signer::SignatureAlgorithm;
use crate::verify::verify_signature;
use der::asn1::AnyRef;
use der::{Decode, Encode};

pub use kep_protocol::certificate::CertificateSummary;
use spki::AlgorithmIdentifier;
use std::time::SystemTime;
use x509_cert::Certificate;
use x509_cert::ext::pkix::CertificatePolicies;
use x509_cert::name::Name;

pub(crate) fn attribute(name: &Name, oid: const_oid::ObjectIdentifier) -> Option<String> {
    name.iter()
        .find(|atv| atv.oid == oid)
        .and_then(|atv| match atv.value.tag() {
            der::Tag::Utf8String
            | der::Tag::PrintableString
            | der::Tag::NumericString
            | der::Tag::Ia5String => std::str::from_utf8(atv.value.value())
                .ok()
                .map(str::to_owned),
            _ => None,
        })
}

use der::Tagged;

/// Reads `der` for display. `roots` and `intermediates` (DER) decide whether the certificate
/// chains to a trusted root; `now` gives the days left.
pub fn summarize(
    der: &[u8],
    roots: &[Vec<u8>],
    intermediates: &[Vec<u8>],
    now: SystemTime,
) -> Result<CertificateSummary, PkiError> {
    let cert = Certificate::from_der(der)?;
    let tbs = cert.tbs_certificate();
    let subject = tbs.subject();
    let validity = tbs.validity();
    let not_after = validity.not_after.to_system_time();
    let days_left = match not_after.duration_since(now) {
        Ok(left) => (left.as_secs() / 86_400) as i64,
        Err(past) => -((past.duration().as_secs() / 86_400) as i64) - 1,
    };
    let spki = tbs.subject_public_key_info();
    let algorithm = key_algorithm(spki);
    let key_algorithm_text = crate::messages_ru::key_algorithm(algorithm);
    let param_set = match algorithm {
        Some(SignatureAlgorithm::Gost2012_256 | SignatureAlgorithm::Gost2012_512) => {
            gost_param_set(spki)
        }
        _ => None,
    };
    let extension = |oid| {
        tbs.extensions()
            .and_then(|exts| exts.iter().find(|e| e.extn_id == oid))
    };
    let subject_sign_tool = extension(oids::SUBJECT_SIGN_TOOL)
        .and_then(|e| parse_subject_sign_tool(e.extn_value.as_bytes()).ok());
    let has_issuer_sign_tool = extension(oids::ISSUER_SIGN_TOOL)
        .is_some_and(|e| IssuerSignTool::parse(e.extn_value.as_bytes()).is_ok());
    let identification_kind = extension(oids::IDENTIFICATION_KIND)
        .and_then(|e| IdentificationKind::parse(e.extn_value.as_bytes()).ok())
        .map(IdentificationKind::value);
    let class_policies = [
        oids::POLICY_KC1,
        oids::POLICY_KC2,
        oids::POLICY_KC3,
        oids::POLICY_KB1,
        oids::POLICY_KB2,
        oids::POLICY_KA,
    ];
    let has_class_policy = tbs
        .get_extension::<CertificatePolicies>()
        .ok()
        .flatten()
        .is_some_and(|(_, p)| {
            p.0.iter()
                .any(|pi| class_policies.contains(&pi.policy_identifier))
        });
    let snils = attribute(subject, oids::SNILS);
    let qualified = snils.is_some()
        && subject_sign_tool.is_some()
        && has_issuer_sign_tool
        && has_class_policy
        && chains_to_root(&cert, roots, intermediates);
    Ok(CertificateSummary {
        owner: attribute(subject, const_oid::db::rfc4519::CN)
            .unwrap_or_else(|| subject.to_string()),
        snils,
        inn: attribute(subject, oids::INN),
        issuer: attribute(tbs.issuer(), const_oid::db::rfc4519::CN)
            .unwrap_or_else(|| tbs.issuer().to_string()),
        serial: tbs
            .serial_number()
            .as_bytes()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect(),
        not_before: rfc3339(validity.not_before.to_system_time()),
        not_after: rfc3339(not_after),
        days_left,
        key_algorithm: key_algorithm_text.to_owned(),
        param_set,
        thumbprint: ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, der)
            .as_ref()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect(),
        subject_sign_tool,
        identification_kind,
        qualified,
    })
}

fn gost_param_set(spki: &spki::SubjectPublicKeyInfoOwned) -> Option<String> {
    let der = spki.to_der().ok()?;
    kep_gost::VerifyingKey::from_public_key_der(&der)
        .ok()
        .map(|k| k.param_set().oid().to_string())
}

/// `t` as RFC 3339 (UTC), as every time crosses IPC.
pub fn rfc3339(t: SystemTime) -> String {
    time::OffsetDateTime::from(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Whether `cert` was signed by `issuer`'s key (names match and the signature verifies).
pub fn is_signed_by(cert: &Certificate, issuer: &Certificate) -> bool {
    cert.tbs_certificate().issuer() == issuer.tbs_certificate().subject()
        && cert.tbs_certificate().to_der().is_ok_and(|tbs| {
            is_signed_by_parts(&tbs, cert.signature_algorithm(), cert.signature(), issuer)
        })
}

/// Whether `signature` over `tbs` (with `algorithm`) verifies under `issuer`'s key.
pub(crate) fn is_signed_by_parts(
    tbs: &[u8],
    algorithm: &spki::AlgorithmIdentifierOwned,
    signature: &der::asn1::BitString,
    issuer: &Certificate,
) -> bool {
    let Ok(spki) = issuer.tbs_certificate().subject_public_key_info().to_der() else {
        return false;
    };
    let Some(signature) = signature.as_bytes() else {
        return false;
    };
    let algorithm = AlgorithmIdentifier {
        oid: algorithm.oid,
        parameters: algorithm.parameters.as_ref().map(AnyRef::from),
    };
    verify_signature(&spki, &algorithm, tbs, signature).is_ok()
}

/// Follows issuer signatures through `intermediates` up to one of `roots` (at most 8 steps).
/// Path validation proper (validity, constraints, revocation) is the chain verifier's job.
fn chains_to_root(cert: &Certificate, roots: &[Vec<u8>], intermediates: &[Vec<u8>]) -> bool {
    let parse = |list: &[Vec<u8>]| {
        list.iter()
            .filter_map(|d| Certificate::from_der(d).ok())
            .collect::<Vec<_>>()
    };
    let (roots, intermediates) = (parse(roots), parse(intermediates));
    let mut current = cert.clone();
    for _ in 0..8 {
        if roots.iter().any(|root| is_signed_by(&current, root)) {
            return true;
        }
        match intermediates.iter().find(|ca| is_signed_by(&current, ca)) {
            Some(next) => current = next.clone(),
            None => return false,
        }
    }
    false
}

/// Whether a certificate is the person's with these requisites — the rule for signing a statement
/// with one's current КЭП: the same ФИО (case, ё/е and spacing aside), СНИЛС and ИНН.
pub fn same_person(summary: &CertificateSummary, requisites: &crate::RequisitesInput) -> bool {
    fn digits(text: &str) -> String {
        text.chars().filter(char::is_ascii_digit).collect()
    }
    fn name(text: &str) -> String {
        text.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
            .replace('ё', "е")
    }
    let full_name = [
        requisites.surname.as_str(),
        requisites.given_name.as_str(),
        requisites.patronymic.as_str(),
    ]
    .join(" ");
    name(&summary.owner) == name(&full_name)
        && summary.snils.as_deref().map(digits) == Some(digits(&requisites.snils))
        && summary.inn.as_deref().map(digits) == Some(digits(&requisites.inn))
}
