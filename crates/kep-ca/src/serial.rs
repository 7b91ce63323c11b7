//! Certificate serial numbers as the store keeps them: upper-case hex of the DER content.

use kep_pki::crl::SerialNumber;

/// A serial as stored back to its DER form.
pub(crate) fn serial_from_hex(text: &str) -> Option<SerialNumber> {
    SerialNumber::new(&hex::decode(text).ok()?).ok()
}

/// A serial's stored form.
pub(crate) fn serial_hex(serial: &SerialNumber) -> String {
    hex::encode_upper(serial.as_bytes())
}
