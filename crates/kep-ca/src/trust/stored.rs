//! A CA of the list as the database keeps it: the searchable columns, and the rest (its
//! accreditation, keys, CRL addresses and certificates) as JSON with base64 certificates.

use super::accredited::{
    Accreditation, AccreditationSince, AccreditedCa, AuthorityKey, ListedCertificate,
};
use crate::store::trust_store::TrustCaRow;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Body {
    accreditation: Vec<StatusBody>,
    keys: Vec<KeyBody>,
}

#[derive(Serialize, Deserialize)]
struct StatusBody {
    state: String,
    since: i64,
}

#[derive(Serialize, Deserialize)]
struct KeyBody {
    key_id: String,
    crl_urls: Vec<String>,
    certificates: Vec<CertificateBody>,
}

#[derive(Serialize, Deserialize)]
struct CertificateBody {
    thumbprint: String,
    serial: String,
    not_before: i64,
    not_after: i64,
    der: String,
}

/// The row of `ca`.
pub fn row_of(ca: &AccreditedCa) -> Result<TrustCaRow, serde_json::Error> {
    let body = Body {
        accreditation: ca
            .accreditation
            .iter()
            .map(|a| StatusBody {
                state: a.state.words().to_owned(),
                since: a.since,
            })
            .collect(),
        keys: ca
            .keys
            .iter()
            .map(|k| KeyBody {
                key_id: k.key_id.clone(),
                crl_urls: k.crl_urls.clone(),
                certificates: k
                    .certificates
                    .iter()
                    .map(|c| CertificateBody {
                        thumbprint: c.thumbprint.clone(),
                        serial: c.serial.clone(),
                        not_before: c.not_before,
                        not_after: c.not_after,
                        der: base64::engine::general_purpose::STANDARD.encode(&c.der),
                    })
                    .collect(),
            })
            .collect(),
    };
    Ok(TrustCaRow {
        name: ca.name.clone(),
        inn: ca.inn.clone(),
        ogrn: ca.ogrn.clone(),
        registry_number: ca.registry_number.clone(),
        body: serde_json::to_string(&body)?,
    })
}

/// Why a kept row does not read back.
#[derive(Debug, thiserror::Error)]
pub enum StoredCaError {
    /// The JSON body.
    #[error("a kept CA of the trust list: {0}")]
    Body(#[from] serde_json::Error),
    /// A certificate's base64.
    #[error("a kept certificate of the trust list: {0}")]
    Certificate(#[from] base64::DecodeError),
}

/// The CA a row keeps.
pub fn ca_of(row: &TrustCaRow) -> Result<AccreditedCa, StoredCaError> {
    let body: Body = serde_json::from_str(&row.body)?;
    let mut keys = Vec::with_capacity(body.keys.len());
    for key in body.keys {
        let mut certificates = Vec::with_capacity(key.certificates.len());
        for c in key.certificates {
            certificates.push(ListedCertificate {
                der: base64::engine::general_purpose::STANDARD.decode(c.der.as_bytes())?,
                thumbprint: c.thumbprint,
                serial: c.serial,
                not_before: c.not_before,
                not_after: c.not_after,
            });
        }
        keys.push(AuthorityKey {
            key_id: key.key_id,
            crl_urls: key.crl_urls,
            certificates,
        });
    }
    Ok(AccreditedCa {
        name: row.name.clone(),
        inn: row.inn.clone(),
        ogrn: row.ogrn.clone(),
        registry_number: row.registry_number.clone(),
        accreditation: body
            .accreditation
            .into_iter()
            .map(|a| AccreditationSince {
                state: Accreditation::from_words(&a.state),
                since: a.since,
            })
            .collect(),
        keys,
        left_out: Vec::new(),
    })
}
