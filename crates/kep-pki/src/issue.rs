//! Issuing certificates (the CA's side): qualified certificates for applicants, from a verified
//! request and the *approved* requisites, and the CA's own root and issuing certificates.
//! Everything is signed through [`KeySigner`].

use crate::error::PkiError;
use crate::extensions::{self, IdentificationKind, IssuerSignTool, known_extension};
use crate::oids;
use crate::request::VerifiedRequest;
use crate::requisites::Requisites;
use crate::signer::{KeySigner, SignatureAlgorithm};
use crate::subject::{StringType, SubjectAttribute, name_from_attributes, subject_name};
use crate::tbs::{CertificateOut, TbsCertificate};
use crate::verify::signature_algorithm_identifier;
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5280;
use der::asn1::{BitString, GeneralizedTime, Ia5String, OctetString};
use der::{Decode, Encode};
use spki::SubjectPublicKeyInfoOwned;
use std::time::{Duration, SystemTime};
use x509_cert::Certificate;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::certpolicy::PolicyInformation;
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AccessDescription, AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints,
    CertificatePolicies, CrlDistributionPoints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    PrivateKeyUsagePeriod, SubjectKeyIdentifier,
};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

/// Where the applicant's private key is kept; chooses the default subjectSignTool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStorage {
    /// A removable token (Рутокен): its certified on-chip crypto.
    Token,
    /// The app's own key store on the computer (not a certified tool).
    Computer,
}

/// The CA's configuration of the qualified profile.
#[derive(Debug, Clone)]
pub struct QualifiedProfile {
    /// Validity of issued certificates, in calendar months.
    pub validity_months: u32,
    /// privateKeyUsagePeriod of issued certificates, in calendar months.
    pub private_key_usage_months: u32,
    /// The CA's tools (issuerSignTool).
    pub issuer_sign_tool: IssuerSignTool,
    /// subjectSignTool when the request names none, for a key on a token.
    pub token_sign_tool: String,
    /// subjectSignTool when the request names none, for a key in the computer store.
    pub computer_sign_tool: String,
    /// The class policy (КС1 by default).
    pub class_policy: ObjectIdentifier,
    /// CRL distribution point URLs.
    pub crl_urls: Vec<String>,
    /// caIssuers URLs (authorityInfoAccess).
    pub ca_issuers_urls: Vec<String>,
    /// OCSP URLs (authorityInfoAccess).
    pub ocsp_urls: Vec<String>,
}

impl Default for QualifiedProfile {
    fn default() -> Self {
        Self {
            validity_months: 12,
            private_key_usage_months: 12,
            issuer_sign_tool: IssuerSignTool {
                sign_tool: "KEP Renew kep-gost".into(),
                ca_tool: "KEP Renew CA".into(),
                sign_tool_cert: "Не сертифицировано ФСБ России".into(),
                ca_tool_cert: "Не сертифицировано ФСБ России".into(),
            },
            token_sign_tool: "СКЗИ \"Рутокен ЭЦП 2.0\"".into(),
            computer_sign_tool: "KEP Renew kep-gost (не сертифицировано)".into(),
            class_policy: oids::POLICY_KC1,
            crl_urls: Vec::new(),
            ca_issuers_urls: Vec::new(),
            ocsp_urls: Vec::new(),
        }
    }
}

/// The issuing side: the CA's certificate and the signer of its key.
pub struct Issuer<'a> {
    /// The CA's certificate (its subject becomes the issuer name, its key id the AKI).
    pub certificate: &'a Certificate,
    /// The CA's key.
    pub signer: &'a dyn KeySigner,
}

impl std::fmt::Debug for Issuer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issuer")
            .field(
                "subject",
                &self.certificate.tbs_certificate().subject().to_string(),
            )
            .field("algorithm", &self.signer.algorithm())
            .finish()
    }
}

/// What an applicant's certificate is issued from.
#[derive(Debug, Clone, Copy)]
pub struct Applicant<'a> {
    /// The verified request (its key and requested subjectSignTool are used, its subject not).
    pub request: &'a VerifiedRequest,
    /// The requisites the CA approved.
    pub requisites: &'a Requisites,
    /// How identity was established.
    pub identification: IdentificationKind,
    /// Where the key is kept.
    pub storage: KeyStorage,
    /// Start of validity (the caller reads the clock).
    pub not_before: SystemTime,
}

/// Issues a qualified certificate (or, for an ECDSA P-256 key, the clearly non-qualified demo
/// variant without keyEncipherment and dataEncipherment). Returns the DER.
pub fn issue_qualified(
    issuer: &Issuer<'_>,
    profile: &QualifiedProfile,
    applicant: &Applicant<'_>,
) -> Result<Vec<u8>, PkiError> {
    issue_qualified_with_serial(issuer, profile, applicant, random_serial()?)
}

/// [`issue_qualified`] with a serial number the caller chose (and recorded) beforehand: a CA
/// that records serial and validity before signing can finish an interrupted issuance with the
/// same certificate contents instead of making a second certificate.
pub fn issue_qualified_with_serial(
    issuer: &Issuer<'_>,
    profile: &QualifiedProfile,
    applicant: &Applicant<'_>,
    serial: SerialNumber,
) -> Result<Vec<u8>, PkiError> {
    let spki = SubjectPublicKeyInfoOwned::from_der(&applicant.request.public_key_info)?;
    let sign_tool = match (&applicant.request.subject_sign_tool, applicant.storage) {
        (Some(tool), _) => tool.clone(),
        (None, KeyStorage::Token) => profile.token_sign_tool.clone(),
        (None, KeyStorage::Computer) => profile.computer_sign_tool.clone(),
    };
    let mut usages = KeyUsages::DigitalSignature | KeyUsages::NonRepudiation;
    if applicant.request.algorithm.is_gost() {
        usages |= KeyUsages::KeyEncipherment | KeyUsages::DataEncipherment;
    }
    let not_after = add_months(applicant.not_before, profile.validity_months)?;
    let pkup_end = add_months(applicant.not_before, profile.private_key_usage_months)?;
    let mut extensions = vec![
        known_extension(true, &KeyUsage(usages))?,
        known_extension(
            false,
            &ExtendedKeyUsage(vec![
                rfc5280::ID_KP_CLIENT_AUTH,
                rfc5280::ID_KP_EMAIL_PROTECTION,
            ]),
        )?,
        known_extension(false, &policies(profile.class_policy))?,
        extensions::subject_sign_tool(&sign_tool)?,
        profile.issuer_sign_tool.to_extension()?,
        applicant.identification.to_extension()?,
        known_extension(
            false,
            &PrivateKeyUsagePeriod {
                not_before: Some(GeneralizedTime::from_system_time(applicant.not_before)?),
                not_after: Some(GeneralizedTime::from_system_time(pkup_end)?),
            },
        )?,
    ];
    extensions.extend(key_identifiers(&spki, issuer.certificate)?);
    extensions.extend(distribution_points(profile)?);
    sign_certificate(
        issuer.signer,
        serial,
        issuer.certificate.tbs_certificate().subject().clone(),
        subject_name(applicant.requisites)?,
        spki,
        validity(applicant.not_before, not_after)?,
        extensions,
    )
}

/// The CA's own subject: organization, OGRN and INNLE as the profile wants them.
#[derive(Debug, Clone)]
pub struct CaSubject {
    /// commonName.
    pub common_name: String,
    /// organizationName.
    pub organization: String,
    /// stateOrProvinceName, e.g. `77 г. Москва`.
    pub region: Option<String>,
    /// localityName.
    pub locality: Option<String>,
    /// ОГРН, 13 digits.
    pub ogrn: Option<String>,
    /// ИНН of the legal entity, 10 digits.
    pub inn_le: Option<String>,
    /// emailAddress.
    pub email: Option<String>,
}

impl CaSubject {
    /// The subject as an X.509 name (C=RU first, as the CA profile orders it).
    pub fn name(&self) -> Result<Name, PkiError> {
        let mut attributes = vec![SubjectAttribute::new(
            rfc4519_country(),
            StringType::Printable,
            "RU",
        )];
        if let Some(region) = &self.region {
            attributes.push(SubjectAttribute::new(
                const_oid::db::rfc4519::ST,
                StringType::Utf8,
                region,
            ));
        }
        if let Some(locality) = &self.locality {
            attributes.push(SubjectAttribute::new(
                const_oid::db::rfc4519::L,
                StringType::Utf8,
                locality,
            ));
        }
        attributes.push(SubjectAttribute::new(
            const_oid::db::rfc4519::O,
            StringType::Utf8,
            &self.organization,
        ));
        attributes.push(SubjectAttribute::new(
            const_oid::db::rfc4519::CN,
            StringType::Utf8,
            &self.common_name,
        ));
        for (oid, value, len) in [
            (oids::OGRN, &self.ogrn, 13),
            (oids::INNLE, &self.inn_le, 10),
        ] {
            if let Some(value) = value {
                if value.len() != len || !value.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(PkiError::Profile(format!("{oid} must be {len} digits")));
                }
                attributes.push(SubjectAttribute::new(oid, StringType::Numeric, value));
            }
        }
        if let Some(email) = &self.email {
            attributes.push(SubjectAttribute::new(
                oids::EMAIL_ADDRESS,
                StringType::Ia5,
                email,
            ));
        }
        Ok(name_from_attributes(attributes)?)
    }
}

fn rfc4519_country() -> ObjectIdentifier {
    const_oid::db::rfc4519::COUNTRY_NAME
}

/// A CA certificate's shape.
#[derive(Debug, Clone)]
pub struct CaCertificate<'a> {
    /// The CA's subject.
    pub subject: &'a CaSubject,
    /// Start of validity.
    pub not_before: SystemTime,
    /// Validity in calendar months.
    pub validity_months: u32,
    /// pathLenConstraint (None: unlimited, for a root; Some(0) for an issuing CA).
    pub path_len: Option<u8>,
    /// The CA's own crypto tool (subjectSignTool).
    pub sign_tool: &'a str,
    /// The profile (for issuerSignTool, the class policy and URLs).
    pub profile: &'a QualifiedProfile,
}

/// A self-signed root certificate for `signer`'s key.
pub fn self_signed_root(
    ca: &CaCertificate<'_>,
    signer: &dyn KeySigner,
) -> Result<Vec<u8>, PkiError> {
    let spki = SubjectPublicKeyInfoOwned::from_der(signer.public_key_info())?;
    let ski = key_identifier(&spki)?;
    let name = ca.subject.name()?;
    let mut extensions = ca_extensions(ca, &spki)?;
    extensions.push(known_extension(
        false,
        &AuthorityKeyIdentifier {
            key_identifier: Some(OctetString::new(ski)?),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        },
    )?);
    let not_after = add_months(ca.not_before, ca.validity_months)?;
    sign_certificate(
        signer,
        random_serial()?,
        name.clone(),
        name,
        spki,
        validity(ca.not_before, not_after)?,
        extensions,
    )
}

/// A CA certificate for `subject_key` (a SubjectPublicKeyInfo), issued by `issuer`.
pub fn subordinate_ca(
    issuer: &Issuer<'_>,
    ca: &CaCertificate<'_>,
    subject_key: &[u8],
) -> Result<Vec<u8>, PkiError> {
    let spki = SubjectPublicKeyInfoOwned::from_der(subject_key)?;
    let mut extensions = ca_extensions(ca, &spki)?;
    extensions.retain(|e| e.extn_id != SubjectKeyIdentifier_OID);
    extensions.extend(key_identifiers(&spki, issuer.certificate)?);
    extensions.extend(distribution_points(ca.profile)?);
    let not_after = add_months(ca.not_before, ca.validity_months)?;
    sign_certificate(
        issuer.signer,
        random_serial()?,
        issuer.certificate.tbs_certificate().subject().clone(),
        ca.subject.name()?,
        spki,
        validity(ca.not_before, not_after)?,
        extensions,
    )
}

/// A delegated OCSP responder's certificate (RFC 6960 §4.2.2.2) for `subject_key` (a
/// SubjectPublicKeyInfo), issued by the CA it answers for: digitalSignature only,
/// id-kp-OCSPSigning, and id-pkix-ocsp-nocheck (its own status is not asked), valid from
/// `not_before` to `not_after` (short: it is renewed, not revoked).
pub fn ocsp_responder(
    issuer: &Issuer<'_>,
    subject: Name,
    subject_key: &[u8],
    not_before: SystemTime,
    not_after: SystemTime,
) -> Result<Vec<u8>, PkiError> {
    let spki = SubjectPublicKeyInfoOwned::from_der(subject_key)?;
    let mut extensions = vec![
        known_extension(
            true,
            &BasicConstraints {
                ca: false,
                path_len_constraint: None,
            },
        )?,
        known_extension(true, &KeyUsage(KeyUsages::DigitalSignature.into()))?,
        known_extension(false, &ExtendedKeyUsage(vec![rfc5280::ID_KP_OCSP_SIGNING]))?,
        extensions::extension(
            crate::ocsp::asn1::ID_PKIX_OCSP_NOCHECK,
            false,
            &der::asn1::Null,
        )?,
    ];
    extensions.extend(key_identifiers(&spki, issuer.certificate)?);
    sign_certificate(
        issuer.signer,
        random_serial()?,
        issuer.certificate.tbs_certificate().subject().clone(),
        subject,
        spki,
        validity(not_before, not_after)?,
        extensions,
    )
}

#[allow(non_upper_case_globals)]
const SubjectKeyIdentifier_OID: ObjectIdentifier = rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER;

fn ca_extensions(
    ca: &CaCertificate<'_>,
    spki: &SubjectPublicKeyInfoOwned,
) -> Result<Vec<Extension>, PkiError> {
    Ok(vec![
        known_extension(
            true,
            &BasicConstraints {
                ca: true,
                path_len_constraint: ca.path_len,
            },
        )?,
        known_extension(
            true,
            &KeyUsage(
                KeyUsages::DigitalSignature
                    | KeyUsages::NonRepudiation
                    | KeyUsages::KeyCertSign
                    | KeyUsages::CRLSign,
            ),
        )?,
        known_extension(
            false,
            &SubjectKeyIdentifier(OctetString::new(key_identifier(spki)?)?),
        )?,
        known_extension(false, &policies(ca.profile.class_policy))?,
        extensions::subject_sign_tool(ca.sign_tool)?,
        ca.profile.issuer_sign_tool.to_extension()?,
    ])
}

fn policies(class: ObjectIdentifier) -> CertificatePolicies {
    CertificatePolicies(vec![PolicyInformation {
        policy_identifier: class,
        policy_qualifiers: None,
    }])
}

/// SKI of the subject's key and AKI of the issuer's (its SKI, else computed from its key).
fn key_identifiers(
    spki: &SubjectPublicKeyInfoOwned,
    issuer: &Certificate,
) -> Result<Vec<Extension>, PkiError> {
    let issuer_ski = match issuer
        .tbs_certificate()
        .get_extension::<SubjectKeyIdentifier>()?
    {
        Some((_, ski)) => ski.0.as_bytes().to_vec(),
        None => key_identifier(issuer.tbs_certificate().subject_public_key_info())?,
    };
    Ok(vec![
        known_extension(
            false,
            &SubjectKeyIdentifier(OctetString::new(key_identifier(spki)?)?),
        )?,
        known_extension(
            false,
            &AuthorityKeyIdentifier {
                key_identifier: Some(OctetString::new(issuer_ski)?),
                authority_cert_issuer: None,
                authority_cert_serial_number: None,
            },
        )?,
    ])
}

/// RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's bytes.
pub fn key_identifier(spki: &SubjectPublicKeyInfoOwned) -> Result<Vec<u8>, PkiError> {
    let bits = spki.subject_public_key.raw_bytes();
    Ok(
        ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, bits)
            .as_ref()
            .to_vec(),
    )
}

fn distribution_points(profile: &QualifiedProfile) -> Result<Vec<Extension>, PkiError> {
    let uri = |url: &String| -> Result<GeneralName, PkiError> {
        Ok(GeneralName::UniformResourceIdentifier(Ia5String::new(url)?))
    };
    let mut out = Vec::new();
    if !profile.crl_urls.is_empty() {
        let names = profile
            .crl_urls
            .iter()
            .map(uri)
            .collect::<Result<Vec<_>, _>>()?;
        out.push(known_extension(
            false,
            &CrlDistributionPoints(vec![DistributionPoint {
                distribution_point: Some(DistributionPointName::FullName(names)),
                reasons: None,
                crl_issuer: None,
            }]),
        )?);
    }
    let mut access = Vec::new();
    for url in &profile.ocsp_urls {
        access.push(AccessDescription {
            access_method: rfc5280::ID_AD_OCSP,
            access_location: uri(url)?,
        });
    }
    for url in &profile.ca_issuers_urls {
        access.push(AccessDescription {
            access_method: rfc5280::ID_AD_CA_ISSUERS,
            access_location: uri(url)?,
        });
    }
    if !access.is_empty() {
        out.push(known_extension(false, &AuthorityInfoAccessSyntax(access))?);
    }
    Ok(out)
}

fn validity(not_before: SystemTime, not_after: SystemTime) -> Result<Validity, PkiError> {
    Ok(Validity::new(
        Time::try_from(not_before)?,
        Time::try_from(not_after)?,
    ))
}

/// `start` plus whole calendar months (the day clamped to the month's length), in UTC.
pub fn add_months(start: SystemTime, months: u32) -> Result<SystemTime, PkiError> {
    let t = time::OffsetDateTime::from(start);
    let total = i64::from(t.month() as u8 - 1) + i64::from(months);
    let year = i32::try_from(i64::from(t.year()) + total / 12)
        .map_err(|_| PkiError::Profile("validity out of range".into()))?;
    let month = time::Month::try_from((total % 12 + 1) as u8)
        .map_err(|_| PkiError::Profile("validity out of range".into()))?;
    let day = t.day().min(time::util::days_in_month(month, year));
    let date = time::Date::from_calendar_date(year, month, day)
        .map_err(|_| PkiError::Profile("validity out of range".into()))?;
    let end = t.replace_date(date);
    let seconds = u64::try_from(end.unix_timestamp())
        .map_err(|_| PkiError::Profile("validity out of range".into()))?;
    Ok(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
}

/// A positive random serial number of 16 bytes (well under the 20-octet limit).
pub fn random_serial() -> Result<SerialNumber, PkiError> {
    let mut bytes = [0u8; 16];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
        .map_err(|_| PkiError::Profile("the OS random number generator failed".into()))?;
    // Top bit clear: positive; top byte non-zero: the encoding keeps all 16 bytes.
    bytes[0] = (bytes[0] & 0x7F) | 0x01;
    Ok(SerialNumber::new(&bytes)?)
}

fn sign_certificate(
    signer: &dyn KeySigner,
    serial_number: SerialNumber,
    issuer: Name,
    subject: Name,
    spki: SubjectPublicKeyInfoOwned,
    validity: Validity,
    extensions: Vec<Extension>,
) -> Result<Vec<u8>, PkiError> {
    let algorithm = signature_algorithm_identifier(signer.algorithm());
    let tbs = TbsCertificate {
        version: 2,
        serial_number,
        signature: algorithm.clone(),
        issuer,
        validity,
        subject,
        subject_public_key_info: spki,
        extensions: Some(extensions),
    };
    let signature = signer.sign_message(&tbs.to_der()?)?;
    let certificate = CertificateOut {
        tbs_certificate: tbs,
        signature_algorithm: algorithm,
        signature: BitString::from_bytes(&signature)?,
    };
    let der = certificate.to_der()?;
    // Read back with x509-cert: what we write must be what everyone parses.
    Certificate::from_der(&der)?;
    Ok(der)
}

/// The algorithm a certificate's key is for, if this project signs with it.
pub fn key_algorithm(spki: &SubjectPublicKeyInfoOwned) -> Option<SignatureAlgorithm> {
    match spki.algorithm.oid {
        kep_gost::OID_GOST_2012_256 => Some(SignatureAlgorithm::Gost2012_256),
        kep_gost::OID_GOST_2012_512 => Some(SignatureAlgorithm::Gost2012_512),
        oids::EC_PUBLIC_KEY => Some(SignatureAlgorithm::EcdsaP256Sha256),
        _ => None,
    }
}
