//! Certificate serial numbers as the store keeps them: upper-case hex of the DER content.

use kep_pki::crl::SerialNumber;

/// A serial as stored back to its DER form.
pub(crate) fn serial_from_hex(hex: &str) -> Option<SerialNumber> {
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| {
            hex.get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()?;
    SerialNumber::new(&bytes).ok()
}

/// A serial's stored form.
pub(crate) fn serial_hex(serial: &SerialNumber) -> String {
    serial
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}
