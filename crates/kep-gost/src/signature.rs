//! A GOST R 34.10-2012 signature value: s‖r, each big-endian, 32 or 64 bytes — the form in
//! X.509, PKCS#10, CRLs and CMS.

use crate::error::{Error, Result};
use crate::param_set::KeySize;
use core::fmt;

/// A signature (s‖r). Its size says which key size made it.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature {
    bytes: Vec<u8>,
}

impl Signature {
    /// Reads s‖r (64 bytes for 256-bit keys, 128 for 512-bit ones). The range of r and s is
    /// checked against the curve when verifying.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        match bytes.len() {
            64 | 128 => Ok(Self {
                bytes: bytes.to_vec(),
            }),
            actual => Err(Error::Length {
                expected: 64,
                actual,
            }),
        }
    }

    /// The key size this signature belongs to.
    pub fn key_size(&self) -> KeySize {
        if self.bytes.len() == 64 {
            KeySize::Bits256
        } else {
            KeySize::Bits512
        }
    }

    /// s‖r.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// s, big-endian.
    pub fn s(&self) -> &[u8] {
        &self.bytes[..self.bytes.len() / 2]
    }

    /// r, big-endian.
    pub fn r(&self) -> &[u8] {
        &self.bytes[self.bytes.len() / 2..]
    }

    pub(crate) fn from_vec_unchecked(bytes: Vec<u8>) -> Self {
        Self { bytes }
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature(")?;
        for b in &self.bytes {
            write!(f, "{b:02x}")?;
        }
        write!(f, ")")
    }
}

impl TryFrom<&[u8]> for Signature {
    type Error = Error;

    fn try_from(bytes: &[u8]) -> Result<Self> {
        Self::from_bytes(bytes)
    }
}

impl From<Signature> for Vec<u8> {
    fn from(signature: Signature) -> Vec<u8> {
        signature.bytes
    }
}

impl signature::SignatureEncoding for Signature {
    type Repr = Vec<u8>;
}
