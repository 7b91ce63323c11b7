//! Certificates on the token: installed next to their key and read back; listing the ones with
//! a private key beside them (the current КЭП that can sign).

use crate::error::TokenError;
use crate::worker::TokenWorker;
use cryptoki::object::{Attribute, AttributeType, CertificateType, ObjectClass};
use der::{Decode, Encode};
use x509_cert::Certificate;

/// Writes `certificate` (DER) with CKA_ID `id` and `label`, reads it back, and removes it again
/// if what was stored differs, so a failure leaves no orphan object.
pub fn install_certificate(
    worker: &TokenWorker,
    certificate: Vec<u8>,
    id: Vec<u8>,
    label: String,
) -> Result<(), TokenError> {
    let parsed = Certificate::from_der(&certificate)?;
    let subject = parsed.tbs_certificate().subject().to_der()?;
    let issuer = parsed.tbs_certificate().issuer().to_der()?;
    let serial = parsed.tbs_certificate().serial_number().to_der()?;
    worker.call(move |session, _, _| {
        let template = [
            Attribute::Class(ObjectClass::CERTIFICATE),
            Attribute::CertificateType(CertificateType::X_509),
            Attribute::Token(true),
            Attribute::Private(false),
            Attribute::Subject(subject),
            Attribute::Issuer(issuer),
            Attribute::SerialNumber(serial),
            Attribute::Id(id),
            Attribute::Label(label.into_bytes()),
            Attribute::Value(certificate.clone()),
        ];
        let handle = session.create_object(&template)?;
        let stored = session.get_attributes(handle, &[AttributeType::Value]);
        match stored {
            Ok(mut values) => match values.pop() {
                Some(Attribute::Value(value)) if value == certificate => Ok(()),
                _ => {
                    let _ = session.destroy_object(handle);
                    Err(TokenError::InstallMismatch)
                }
            },
            Err(e) => {
                let _ = session.destroy_object(handle);
                Err(e.into())
            }
        }
    })
}

/// A certificate on the token whose private key is there too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningCertificate {
    /// CKA_ID of the certificate and its key.
    pub id: Vec<u8>,
    /// CKA_LABEL.
    pub label: String,
    /// The certificate, DER.
    pub der: Vec<u8>,
}

/// Every certificate that has a private key with the same CKA_ID. An empty list means this
/// token holds no key the app can sign with (keys in CryptoPro containers are not PKCS#11
/// objects and cannot be used).
pub fn signing_certificates(worker: &TokenWorker) -> Result<Vec<SigningCertificate>, TokenError> {
    worker.call(|session, _, _| {
        let mut found = Vec::new();
        for handle in session.find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)])? {
            let attrs = session.get_attributes(
                handle,
                &[
                    AttributeType::Id,
                    AttributeType::Label,
                    AttributeType::Value,
                ],
            )?;
            let (mut id, mut label, mut der) = (None, String::new(), None);
            for attr in attrs {
                match attr {
                    Attribute::Id(v) => id = Some(v),
                    Attribute::Label(v) => label = String::from_utf8_lossy(&v).into_owned(),
                    Attribute::Value(v) => der = Some(v),
                    _ => {}
                }
            }
            let (Some(id), Some(der)) = (id, der) else {
                continue;
            };
            let keys = session.find_objects(&[
                Attribute::Class(ObjectClass::PRIVATE_KEY),
                Attribute::Id(id.clone()),
            ])?;
            if !keys.is_empty() {
                found.push(SigningCertificate { id, label, der });
            }
        }
        Ok(found)
    })
}

/// A certificate object on the token (public: readable before login).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCertificate {
    /// CKA_ID (shared with its key, when the key is there).
    pub id: Vec<u8>,
    /// The certificate, DER.
    pub der: Vec<u8>,
}

/// Every X.509 certificate on the token, readable without the PIN (whether its private key is
/// there shows only after login: see [`signing_certificates`]).
pub fn certificates(worker: &TokenWorker) -> Result<Vec<StoredCertificate>, TokenError> {
    worker.call(|session, _, _| {
        let mut found = Vec::new();
        for handle in session.find_objects(&[
            Attribute::Class(ObjectClass::CERTIFICATE),
            Attribute::CertificateType(CertificateType::X_509),
        ])? {
            let (mut id, mut der) = (None, None);
            for attr in
                session.get_attributes(handle, &[AttributeType::Id, AttributeType::Value])?
            {
                match attr {
                    Attribute::Id(v) => id = Some(v),
                    Attribute::Value(v) => der = Some(v),
                    _ => {}
                }
            }
            if let (Some(id), Some(der)) = (id, der) {
                found.push(StoredCertificate { id, der });
            }
        }
        Ok(found)
    })
}

/// Whether the token holds a public key object with CKA_ID `id` (readable before login): the
/// sign that the key pair a certificate names is there, before the PIN shows the private key.
pub fn has_public_key(worker: &TokenWorker, id: Vec<u8>) -> Result<bool, TokenError> {
    worker.call(move |session, _, _| {
        Ok(!session
            .find_objects(&[Attribute::Class(ObjectClass::PUBLIC_KEY), Attribute::Id(id)])?
            .is_empty())
    })
}
