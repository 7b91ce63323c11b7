//! PEM text of certificates for downloads (chains are handed out as PEM bundles).

/// One certificate as PEM; empty when the DER could not be encoded (never for our own DER).
pub fn certificate(der: &[u8]) -> String {
    der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, der).unwrap_or_default()
}
