//! Reading a signature file as people receive them: binary DER, the DER in base64 (one line or
//! wrapped), or PEM (`-----BEGIN CMS-----`, `PKCS7`); and writing one as DER or one-line base64.

use base64::Engine;
use std::io::Read;
use std::path::Path;

/// The largest signature file read. A detached signature is a few kilobytes; an attached one
/// carries its document, which must then fit in memory.
pub const MAX_SIGNATURE_BYTES: u64 = 64 * 1024 * 1024;

/// Whether the file at `path` reads as a CMS signature (its first bytes only).
pub fn looks_like_signature(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::with_capacity(256);
    if file.take(256).read_to_end(&mut head).is_err() {
        return false;
    }
    if head.first() == Some(&0x30) {
        return is_signed_data_head(&head);
    }
    // base64 or PEM: decode the first whole groups of the body and look again.
    let text = String::from_utf8_lossy(&head);
    let mut body: String = text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .flat_map(str::chars)
        .filter(|c| !c.is_whitespace())
        .collect();
    if !body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
    {
        return false;
    }
    body.truncate(body.len().min(128) / 4 * 4);
    base64::engine::general_purpose::STANDARD
        .decode(body.as_bytes())
        .is_ok_and(|der| is_signed_data_head(&der))
}

/// SEQUENCE { OID 1.2.840.113549.1.7.2 (signedData) … }: the OID right after the outer
/// SEQUENCE's 2–5 byte header.
fn is_signed_data_head(head: &[u8]) -> bool {
    const SIGNED_DATA: [u8; 11] = [
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
    ];
    head.first() == Some(&0x30)
        && (2..=5).any(|at| head.get(at..at + SIGNED_DATA.len()) == Some(&SIGNED_DATA[..]))
}

/// The DER of a signature file's bytes: as they are when binary, else decoded from base64 or
/// PEM. Bytes that are neither come back unchanged (and then fail to parse as CMS).
pub fn signature_der(raw: Vec<u8>) -> Vec<u8> {
    if raw.first() == Some(&0x30) {
        return raw;
    }
    let Ok(text) = std::str::from_utf8(&raw) else {
        return raw;
    };
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .flat_map(str::chars)
        .filter(|c| !c.is_whitespace())
        .collect();
    match base64::engine::general_purpose::STANDARD.decode(body.as_bytes()) {
        Ok(der) if der.first() == Some(&0x30) => der,
        _ => raw,
    }
}

/// A signature's bytes as written to the `.sig` file.
pub fn encode(der: &[u8], encoding: kep_protocol::file_signatures::SignatureEncoding) -> Vec<u8> {
    match encoding {
        kep_protocol::file_signatures::SignatureEncoding::Der => der.to_vec(),
        kep_protocol::file_signatures::SignatureEncoding::Base64 => {
            base64::engine::general_purpose::STANDARD
                .encode(der)
                .into_bytes()
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use kep_protocol::file_signatures::SignatureEncoding;

    const HEAD: [u8; 19] = [
        0x30, 0x82, 0x01, 0x00, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
        0xa0, 0x82, 0x00, 0xf0,
    ];

    #[test]
    fn der_base64_and_pem_read_alike() {
        let der = HEAD.to_vec();
        let b64 = encode(&der, SignatureEncoding::Base64);
        assert!(!b64.contains(&b'\n'));
        assert_eq!(signature_der(b64.clone()), der);
        let wrapped = format!(
            "-----BEGIN CMS-----\n{}\n{}\n-----END CMS-----\n",
            std::str::from_utf8(&b64[..8]).unwrap(),
            std::str::from_utf8(&b64[8..]).unwrap()
        );
        assert_eq!(signature_der(wrapped.into_bytes()), der);
        assert_eq!(signature_der(der.clone()), der);
        assert_eq!(signature_der(b"hello".to_vec()), b"hello");
    }

    #[test]
    fn signatures_are_recognised_by_their_first_bytes() {
        let dir = std::env::temp_dir().join(format!("kep-sigfile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let der = dir.join("a.sig");
        std::fs::write(&der, HEAD).unwrap();
        let b64 = dir.join("b.sig");
        std::fs::write(&b64, encode(&HEAD, SignatureEncoding::Base64)).unwrap();
        let pdf = dir.join("c.pdf");
        std::fs::write(&pdf, b"%PDF-1.7\n").unwrap();
        let text = dir.join("d.txt");
        std::fs::write(&text, "Договор ".repeat(40)).unwrap();
        assert!(!looks_like_signature(&text));
        assert!(looks_like_signature(&der));
        assert!(looks_like_signature(&b64));
        assert!(!looks_like_signature(&pdf));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
