//! What stages 4 and 6 share whatever keeps the key: the certificate request kept in the app's
//! key folder (so a retry resends the identical bytes), and the check that the certificate the CA
//! sent certifies that very key before it is installed anywhere.

use crate::key_error::KeyError;
use kep_protocol::application::KeyStorageKind;
use std::path::{Path, PathBuf};

/// The key's name in the key folder for an application.
pub fn key_name(application_id: i64) -> String {
    format!("renewal-{application_id}")
}

/// Where the request of `application_id` is kept.
pub(crate) fn request_path(dir: &Path, application_id: i64) -> PathBuf {
    dir.join(format!("{}.csr", key_name(application_id)))
}

/// Checks that `certificate` (DER) is for the public key of the kept `request` (DER) of a key
/// in `home`.
pub(crate) fn certifies(
    request: &[u8],
    certificate: &[u8],
    home: KeyStorageKind,
) -> Result<(), KeyError> {
    use der::{Decode, Encode};
    let requested = kep_pki::request::verify_request(request)
        .map_err(|e| KeyError::Corrupt(format!("the kept certificate request: {e}")))?;
    let issued = x509_cert::Certificate::from_der(certificate)
        .and_then(|c| c.tbs_certificate().subject_public_key_info().to_der())
        .map_err(|e| KeyError::CertificateDamaged(e.to_string()))?;
    if issued == requested.public_key_info {
        Ok(())
    } else {
        Err(KeyError::NotForThisKey(home))
    }
}
