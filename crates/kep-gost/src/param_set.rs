//! Parameter sets: the OIDs by which keys name their curve, and how each is written.

use crate::curves::{self, CurveDef, L256, L512};
use crate::error::{Error, Result};
use const_oid::ObjectIdentifier;

/// GOST R 34.10-2012 public key, 256-bit (1.2.643.7.1.1.1.1).
pub const OID_GOST_2012_256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.643.7.1.1.1.1");
/// GOST R 34.10-2012 public key, 512-bit (1.2.643.7.1.1.1.2).
pub const OID_GOST_2012_512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.643.7.1.1.1.2");
/// Streebog-256 (1.2.643.7.1.1.2.2).
pub const OID_STREEBOG_256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.643.7.1.1.2.2");
/// Streebog-512 (1.2.643.7.1.1.2.3).
pub const OID_STREEBOG_512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.643.7.1.1.2.3");
/// Signature with Streebog-256 (1.2.643.7.1.1.3.2).
pub const OID_SIGN_WITH_STREEBOG_256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.643.7.1.1.3.2");
/// Signature with Streebog-512 (1.2.643.7.1.1.3.3).
pub const OID_SIGN_WITH_STREEBOG_512: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.643.7.1.1.3.3");

/// The key size: 256 or 512 bits, each with its own Streebog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeySize {
    /// GOST R 34.10-2012 with 256-bit keys and Streebog-256.
    Bits256,
    /// GOST R 34.10-2012 with 512-bit keys and Streebog-512.
    Bits512,
}

impl KeySize {
    /// Length of a private key, a coordinate, r, s and the digest, in bytes.
    pub const fn bytes(self) -> usize {
        match self {
            KeySize::Bits256 => 32,
            KeySize::Bits512 => 64,
        }
    }

    /// The public key algorithm OID.
    pub const fn algorithm_oid(self) -> ObjectIdentifier {
        match self {
            KeySize::Bits256 => OID_GOST_2012_256,
            KeySize::Bits512 => OID_GOST_2012_512,
        }
    }

    /// The Streebog OID of this size.
    pub const fn digest_oid(self) -> ObjectIdentifier {
        match self {
            KeySize::Bits256 => OID_STREEBOG_256,
            KeySize::Bits512 => OID_STREEBOG_512,
        }
    }

    /// The signature algorithm OID (signature with Streebog of this size).
    pub const fn signature_oid(self) -> ObjectIdentifier {
        match self {
            KeySize::Bits256 => OID_SIGN_WITH_STREEBOG_256,
            KeySize::Bits512 => OID_SIGN_WITH_STREEBOG_512,
        }
    }

    /// The size named by a public key algorithm OID.
    pub fn from_algorithm_oid(oid: &ObjectIdentifier) -> Result<Self> {
        match *oid {
            OID_GOST_2012_256 => Ok(KeySize::Bits256),
            OID_GOST_2012_512 => Ok(KeySize::Bits512),
            _ => Err(Error::UnsupportedAlgorithm),
        }
    }
}

/// A parameter set, named by its OID. Aliases (e.g. CryptoPro-A, CryptoPro-XchA and TC26-256-B)
/// are distinct values that share one curve, so a key keeps the OID it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParamSet {
    /// 1.2.643.2.2.35.0, the standard's 256-bit example curve (tests only).
    CryptoProTest,
    /// 1.2.643.2.2.35.1 CryptoPro-A: the curve of most qualified certificates and of Рутокен.
    CryptoProA,
    /// 1.2.643.2.2.35.2 CryptoPro-B.
    CryptoProB,
    /// 1.2.643.2.2.35.3 CryptoPro-C.
    CryptoProC,
    /// 1.2.643.2.2.36.0 CryptoPro-XchA (= CryptoPro-A's curve).
    CryptoProXchA,
    /// 1.2.643.2.2.36.1 CryptoPro-XchB (= CryptoPro-C's curve).
    CryptoProXchB,
    /// 1.2.643.7.1.2.1.1.1 TC26-256-A: a twisted-Edwards-equivalent curve with cofactor 4.
    Tc26_256A,
    /// 1.2.643.7.1.2.1.1.2 TC26-256-B (= CryptoPro-A's curve).
    Tc26_256B,
    /// 1.2.643.7.1.2.1.1.3 TC26-256-C (= CryptoPro-B's curve).
    Tc26_256C,
    /// 1.2.643.7.1.2.1.1.4 TC26-256-D (= CryptoPro-C's curve).
    Tc26_256D,
    /// 1.2.643.7.1.2.1.2.0, the standard's 512-bit example curve (tests only).
    Tc26_512Test,
    /// 1.2.643.7.1.2.1.2.1 TC26-512-A.
    Tc26_512A,
    /// 1.2.643.7.1.2.1.2.2 TC26-512-B.
    Tc26_512B,
    /// 1.2.643.7.1.2.1.2.3 TC26-512-C: a twisted-Edwards-equivalent curve with cofactor 4.
    Tc26_512C,
}

/// A curve of either width.
#[derive(Debug, Clone, Copy)]
pub(crate) enum CurveRef {
    B256(&'static CurveDef<L256>),
    B512(&'static CurveDef<L512>),
}

impl ParamSet {
    /// Every parameter set this crate implements.
    pub const ALL: [ParamSet; 14] = [
        ParamSet::CryptoProTest,
        ParamSet::CryptoProA,
        ParamSet::CryptoProB,
        ParamSet::CryptoProC,
        ParamSet::CryptoProXchA,
        ParamSet::CryptoProXchB,
        ParamSet::Tc26_256A,
        ParamSet::Tc26_256B,
        ParamSet::Tc26_256C,
        ParamSet::Tc26_256D,
        ParamSet::Tc26_512Test,
        ParamSet::Tc26_512A,
        ParamSet::Tc26_512B,
        ParamSet::Tc26_512C,
    ];

    /// The OID that names this parameter set.
    pub const fn oid(self) -> ObjectIdentifier {
        let oid = match self {
            ParamSet::CryptoProTest => "1.2.643.2.2.35.0",
            ParamSet::CryptoProA => "1.2.643.2.2.35.1",
            ParamSet::CryptoProB => "1.2.643.2.2.35.2",
            ParamSet::CryptoProC => "1.2.643.2.2.35.3",
            ParamSet::CryptoProXchA => "1.2.643.2.2.36.0",
            ParamSet::CryptoProXchB => "1.2.643.2.2.36.1",
            ParamSet::Tc26_256A => "1.2.643.7.1.2.1.1.1",
            ParamSet::Tc26_256B => "1.2.643.7.1.2.1.1.2",
            ParamSet::Tc26_256C => "1.2.643.7.1.2.1.1.3",
            ParamSet::Tc26_256D => "1.2.643.7.1.2.1.1.4",
            ParamSet::Tc26_512Test => "1.2.643.7.1.2.1.2.0",
            ParamSet::Tc26_512A => "1.2.643.7.1.2.1.2.1",
            ParamSet::Tc26_512B => "1.2.643.7.1.2.1.2.2",
            ParamSet::Tc26_512C => "1.2.643.7.1.2.1.2.3",
        };
        ObjectIdentifier::new_unwrap(oid)
    }

    /// The parameter set an OID names.
    pub fn from_oid(oid: &ObjectIdentifier) -> Result<Self> {
        ParamSet::ALL
            .into_iter()
            .find(|p| p.oid() == *oid)
            .ok_or(Error::UnsupportedParamSet)
    }

    /// 256 or 512 bits.
    pub const fn key_size(self) -> KeySize {
        match self {
            ParamSet::Tc26_512Test
            | ParamSet::Tc26_512A
            | ParamSet::Tc26_512B
            | ParamSet::Tc26_512C => KeySize::Bits512,
            _ => KeySize::Bits256,
        }
    }

    /// Whether OpenSSL's gost engine writes the digestParamSet OID in this set's SPKI and PKCS#8
    /// parameters (observed: yes for the CryptoPro sets and the 512-bit A, B and test sets; no
    /// for the TC26-256 sets and TC26-512-C). Both forms are accepted on input.
    pub const fn writes_digest_param(self) -> bool {
        !matches!(
            self,
            ParamSet::Tc26_256A
                | ParamSet::Tc26_256B
                | ParamSet::Tc26_256C
                | ParamSet::Tc26_256D
                | ParamSet::Tc26_512C
        )
    }

    pub(crate) fn curve(self) -> CurveRef {
        match self {
            ParamSet::CryptoProTest => CurveRef::B256(&curves::TEST_256),
            ParamSet::Tc26_256A => CurveRef::B256(&curves::TC26_256_A),
            ParamSet::CryptoProA | ParamSet::CryptoProXchA | ParamSet::Tc26_256B => {
                CurveRef::B256(&curves::CRYPTOPRO_A)
            }
            ParamSet::CryptoProB | ParamSet::Tc26_256C => CurveRef::B256(&curves::CRYPTOPRO_B),
            ParamSet::CryptoProC | ParamSet::CryptoProXchB | ParamSet::Tc26_256D => {
                CurveRef::B256(&curves::CRYPTOPRO_C)
            }
            ParamSet::Tc26_512Test => CurveRef::B512(&curves::TEST_512),
            ParamSet::Tc26_512A => CurveRef::B512(&curves::TC26_512_A),
            ParamSet::Tc26_512B => CurveRef::B512(&curves::TC26_512_B),
            ParamSet::Tc26_512C => CurveRef::B512(&curves::TC26_512_C),
        }
    }
}

/// Runs `$body` with `$c` bound to the parameter set's curve, whichever its width.
macro_rules! with_curve {
    ($param_set:expr, |$c:ident| $body:expr) => {
        match $param_set.curve() {
            $crate::param_set::CurveRef::B256($c) => $body,
            $crate::param_set::CurveRef::B512($c) => $body,
        }
    };
}
pub(crate) use with_curve;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_round_trip_and_aliases_share_curves() {
        for p in ParamSet::ALL {
            assert_eq!(ParamSet::from_oid(&p.oid()).unwrap(), p);
        }
        let name = |p: ParamSet| with_curve!(p, |c| c.name);
        assert_eq!(name(ParamSet::CryptoProXchA), name(ParamSet::CryptoProA));
        assert_eq!(name(ParamSet::Tc26_256B), name(ParamSet::CryptoProA));
        assert_eq!(name(ParamSet::Tc26_256C), name(ParamSet::CryptoProB));
        assert_eq!(name(ParamSet::Tc26_256D), name(ParamSet::CryptoProC));
        assert_eq!(name(ParamSet::CryptoProXchB), name(ParamSet::CryptoProC));
        let unknown = ObjectIdentifier::new_unwrap("1.2.643.7.1.2.1.1.9");
        assert_eq!(
            ParamSet::from_oid(&unknown),
            Err(Error::UnsupportedParamSet)
        );
    }
}
