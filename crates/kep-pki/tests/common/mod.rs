//! Shared fixtures of kep-pki's integration tests.
#![allow(dead_code)] // each test file uses a part

use kep_pki::ValidateRequisites;
use kep_pki::{Requisites, RequisitesInput};
use time::macros::date;

/// "Today" of the tests.
pub const TODAY: time::Date = date!(2026 - 11 - 24);

/// A valid applicant.
pub fn sample_input() -> RequisitesInput {
    RequisitesInput {
        surname: "Иванов".into(),
        given_name: "Иван".into(),
        patronymic: "Иванович".into(),
        birth_date: "15.03.1985".into(),
        passport_series: "45 06".into(),
        passport_number: "123456".into(),
        passport_issue_date: "2005-04-01".into(),
        passport_issuer: "ОВД района Тверской г. Москвы".into(),
        passport_division_code: "772-001".into(),
        snils: "112-233-445 95".into(),
        inn: "500100732259".into(),
        email: "ivanov@example.ru".into(),
        phone: "8 (912) 345-67-89".into(),
        region_code: "77".into(),
        region_name: "г. Москва".into(),
        locality: "Москва".into(),
    }
}

/// The sample applicant's validated requisites.
pub fn sample() -> Requisites {
    sample_input().validate(TODAY).expect("the sample is valid")
}

use der::Decode;
use kep_gost::ParamSet;
use kep_pki::extensions::IdentificationKind;
use kep_pki::issue::{
    Applicant, CaCertificate, CaSubject, Issuer, KeyStorage, QualifiedProfile, issue_qualified,
    self_signed_root, subordinate_ca,
};
use kep_pki::request::verify_request;
use kep_pki::signer::{KeySigner, SignError, SignatureAlgorithm, SoftwareGostSigner};
use std::time::{Duration, SystemTime};
use x509_cert::Certificate;

pub fn gost_signer(param_set: ParamSet, seed: u8) -> SoftwareGostSigner {
    let mut d = vec![seed; param_set.key_size().bytes()];
    d[0] = 0x01; // below every curve's q
    SoftwareGostSigner::new(kep_gost::SigningKey::from_bytes(param_set, &d).unwrap()).unwrap()
}

/// A software ECDSA P-256 key, standing in for the demo token's non-qualified key.
pub struct P256Signer {
    key: p256::ecdsa::SigningKey,
    spki: Vec<u8>,
}

impl P256Signer {
    pub fn new() -> Self {
        use p256::pkcs8::EncodePublicKey;
        let key = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
        let spki = key.verifying_key().to_public_key_der().unwrap().into_vec();
        Self { key, spki }
    }
}

impl KeySigner for P256Signer {
    fn algorithm(&self) -> SignatureAlgorithm {
        SignatureAlgorithm::EcdsaP256Sha256
    }
    fn public_key_info(&self) -> &[u8] {
        &self.spki
    }
    fn sign_digest(&self, digest: &[u8]) -> Result<Vec<u8>, SignError> {
        use p256::ecdsa::signature::hazmat::PrehashSigner;
        let signature: p256::ecdsa::Signature = self
            .key
            .sign_prehash(digest)
            .map_err(|e| SignError::Failed(e.to_string()))?;
        Ok(signature.to_der().as_bytes().to_vec())
    }
}

pub struct Pki {
    pub profile: QualifiedProfile,
    pub root_signer: SoftwareGostSigner,
    pub root: Vec<u8>,
    pub ca_signer: SoftwareGostSigner,
    pub ca: Vec<u8>,
}

pub fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000) // 2026-11-19
}

/// Root → issuing CA, on CryptoPro-A (the curve GnuTLS can verify too).
pub fn pki() -> Pki {
    let profile = QualifiedProfile {
        crl_urls: vec!["http://127.0.0.1:8443/crl/issuing.crl".into()],
        ca_issuers_urls: vec!["http://127.0.0.1:8443/ca/issuing.cer".into()],
        ..QualifiedProfile::default()
    };
    let root_subject = CaSubject {
        common_name: "KEP Renew Test Root".into(),
        organization: "KEP Renew".into(),
        region: Some("77 г. Москва".into()),
        locality: Some("Москва".into()),
        ogrn: Some("1027700132195".into()),
        inn_le: Some("7707083893".into()),
        email: Some("ca@example.ru".into()),
    };
    let root_signer = gost_signer(ParamSet::CryptoProA, 0x21);
    let root = self_signed_root(
        &CaCertificate {
            subject: &root_subject,
            not_before: now(),
            validity_months: 120,
            path_len: None,
            sign_tool: "KEP Renew kep-gost",
            profile: &profile,
        },
        &root_signer,
    )
    .unwrap();
    let ca_subject = CaSubject {
        common_name: "KEP Renew Test Issuing CA".into(),
        ..root_subject
    };
    let ca_signer = gost_signer(ParamSet::CryptoProA, 0x22);
    let root_cert = Certificate::from_der(&root).unwrap();
    let ca = subordinate_ca(
        &Issuer {
            certificate: &root_cert,
            signer: &root_signer,
        },
        &CaCertificate {
            subject: &ca_subject,
            not_before: now(),
            validity_months: 60,
            path_len: Some(0),
            sign_tool: "KEP Renew kep-gost",
            profile: &profile,
        },
        ca_signer.public_key_info(),
    )
    .unwrap();
    Pki {
        profile,
        root_signer,
        root,
        ca_signer,
        ca,
    }
}

pub fn issue(
    pki: &Pki,
    request: &[u8],
    identification: IdentificationKind,
    storage: KeyStorage,
) -> Vec<u8> {
    let verified = verify_request(request).unwrap();
    let ca = Certificate::from_der(&pki.ca).unwrap();
    issue_qualified(
        &Issuer {
            certificate: &ca,
            signer: &pki.ca_signer,
        },
        &pki.profile,
        &Applicant {
            request: &verified,
            requisites: &sample(),
            identification,
            storage,
            not_before: now(),
        },
    )
    .unwrap()
}
