//! Keys in DER: SubjectPublicKeyInfo (RFC 9215 / RFC 4491) and PKCS#8, written exactly as
//! OpenSSL's gost engine writes them and read in every form found in the wild
//! (see shared/docs/vectors/openssl-notes.txt).

use crate::error::{Error, Result};
use crate::param_set::{KeySize, ParamSet, with_curve};
use crate::signing_key::SigningKey;
use crate::verifying_key::VerifyingKey;
use der::asn1::{
    Any, BitString, BitStringRef, ObjectIdentifier, OctetString, OctetStringRef, UintRef,
};
use der::{Decode, Encode, Sequence};
use pkcs8::{PrivateKeyInfoOwned, PrivateKeyInfoRef};
use spki::{AlgorithmIdentifier, SubjectPublicKeyInfo, SubjectPublicKeyInfoRef};
use zeroize::Zeroizing;

/// `GostR3410-2012-PublicKeyParameters`: the curve, and (optionally) the digest. Keys of the
/// GOST 2001 era may carry a third OID, the encryption parameters, which is read and ignored.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
struct KeyParameters {
    public_key_param_set: ObjectIdentifier,
    digest_param_set: Option<ObjectIdentifier>,
    encryption_param_set: Option<ObjectIdentifier>,
}

fn algorithm_identifier(param_set: ParamSet) -> Result<AlgorithmIdentifier<Any>> {
    let size = param_set.key_size();
    let params = KeyParameters {
        public_key_param_set: param_set.oid(),
        digest_param_set: param_set.writes_digest_param().then(|| size.digest_oid()),
        encryption_param_set: None,
    };
    Ok(AlgorithmIdentifier {
        oid: size.algorithm_oid(),
        parameters: Some(Any::encode_from(&params)?),
    })
}

/// The parameter set named by an AlgorithmIdentifier, checked against its key size.
fn param_set_of(oid: &ObjectIdentifier, parameters: Option<&der::AnyRef<'_>>) -> Result<ParamSet> {
    let size = KeySize::from_algorithm_oid(oid)?;
    let params: KeyParameters = parameters.ok_or(Error::KeyEncoding)?.decode_as()?;
    let param_set = ParamSet::from_oid(&params.public_key_param_set)?;
    if param_set.key_size() != size {
        return Err(Error::KeySizeMismatch);
    }
    match params.digest_param_set {
        Some(digest) if digest != size.digest_oid() => Err(Error::KeyEncoding),
        _ => Ok(param_set),
    }
}

impl VerifyingKey {
    /// The SubjectPublicKeyInfo, DER: the point as an OCTET STRING of x‖y little-endian inside
    /// the BIT STRING; digestParamSet written where the engine writes it.
    pub fn to_public_key_der(&self) -> Result<Vec<u8>> {
        let point = OctetString::new(self.as_bytes())?.to_der()?;
        let spki = SubjectPublicKeyInfo {
            algorithm: algorithm_identifier(self.param_set())?,
            subject_public_key: BitString::from_bytes(&point)?,
        };
        Ok(spki.to_der()?)
    }

    /// Reads a SubjectPublicKeyInfo (with or without digestParamSet) and validates the point.
    pub fn from_public_key_der(der: &[u8]) -> Result<Self> {
        let spki = SubjectPublicKeyInfoRef::from_der(der)?;
        Self::from_spki(
            &spki.algorithm.oid,
            spki.algorithm.parameters.as_ref(),
            &spki.subject_public_key,
        )
    }

    /// A key from the parts of a SubjectPublicKeyInfo another parser already split
    /// (e.g. x509-cert's).
    pub fn from_spki(
        algorithm: &ObjectIdentifier,
        parameters: Option<&der::AnyRef<'_>>,
        subject_public_key: &BitStringRef<'_>,
    ) -> Result<Self> {
        let param_set = param_set_of(algorithm, parameters)?;
        let bits = subject_public_key.as_bytes().ok_or(Error::KeyEncoding)?;
        let point = <&OctetStringRef>::from_der(bits)?;
        Self::from_bytes(param_set, point.as_bytes())
    }
}

impl SigningKey {
    /// PKCS#8 (PrivateKeyInfo v1), DER, as the engine writes it: the privateKey OCTET STRING
    /// holds d little-endian, without inner DER. The result is zeroized when dropped.
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>> {
        let mut d_le = self.to_bytes();
        d_le.reverse();
        let info = PrivateKeyInfoOwned::new(
            algorithm_identifier(self.param_set())?,
            OctetString::new(d_le.as_slice())?,
        );
        Ok(Zeroizing::new(info.to_der()?))
    }

    /// Reads PKCS#8 with the private key in any of the forms producers use: raw little-endian
    /// (the engine's default), a nested OCTET STRING (little-endian, the engine's legacy form),
    /// or an INTEGER (big-endian). A scalar d ≥ q is taken mod q, as OpenSSL does (RFC 9215's
    /// TC26-256-A example key is one); d ≡ 0 is refused.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self> {
        let info = PrivateKeyInfoRef::from_der(der)?;
        let param_set = param_set_of(&info.algorithm.oid, info.algorithm.parameters.as_ref())?;
        let width = param_set.key_size().bytes();
        let d_be = private_scalar_be(info.private_key.as_bytes(), width)?;
        let d_be = with_curve!(param_set, |c| crate::ops::reduce_secret(c, &d_be))?;
        let key = Self::from_bytes(param_set, &d_be)?;
        if let Some(public) = info.public_key {
            let bytes = public.as_bytes().ok_or(Error::KeyEncoding)?;
            let point = <&OctetStringRef>::from_der(bytes)
                .map(|o| o.as_bytes())
                .unwrap_or(bytes);
            if point != key.verifying_key().as_bytes() {
                return Err(Error::KeyEncoding);
            }
        }
        Ok(key)
    }
}

/// d big-endian from the privateKey field's contents.
fn private_scalar_be(contents: &[u8], width: usize) -> Result<Zeroizing<Vec<u8>>> {
    let mut d = Zeroizing::new(Vec::with_capacity(width));
    if contents.len() == width {
        d.extend(contents.iter().rev());
    } else if let Ok(nested) = <&OctetStringRef>::from_der(contents) {
        if nested.as_bytes().len() != width {
            return Err(Error::KeyEncoding);
        }
        d.extend(nested.as_bytes().iter().rev());
    } else {
        let integer = UintRef::from_der(contents).map_err(|_| Error::KeyEncoding)?;
        let bytes = integer.as_bytes();
        if bytes.len() > width {
            return Err(Error::KeyEncoding);
        }
        d.resize(width - bytes.len(), 0);
        d.extend_from_slice(bytes);
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The RFC 9215 test-paramset key (= the standard's A.1 key), as PEM from the vectors.
    const A1_D: &str = "7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28";

    fn a1_key() -> SigningKey {
        SigningKey::from_bytes(ParamSet::CryptoProTest, &hex::decode(A1_D).unwrap()).unwrap()
    }

    #[test]
    fn pkcs8_round_trips_and_accepts_every_form() {
        let key = a1_key();
        let der = key.to_pkcs8_der().unwrap();
        assert_eq!(
            SigningKey::from_pkcs8_der(&der).unwrap().to_bytes(),
            key.to_bytes()
        );

        let alg = algorithm_identifier(ParamSet::CryptoProTest).unwrap();
        let d_be = hex::decode(A1_D).unwrap();
        let mut d_le = d_be.clone();
        d_le.reverse();
        let nested = OctetString::new(d_le.clone()).unwrap().to_der().unwrap();
        let integer = der::asn1::Uint::new(&d_be).unwrap().to_der().unwrap();
        for contents in [d_le, nested, integer] {
            let info = PrivateKeyInfoOwned::new(alg.clone(), OctetString::new(contents).unwrap());
            let parsed = SigningKey::from_pkcs8_der(&info.to_der().unwrap()).unwrap();
            assert_eq!(parsed.to_bytes(), key.to_bytes());
        }
    }

    #[test]
    fn spki_round_trips_and_both_digest_forms_are_read() {
        for param_set in ParamSet::ALL {
            let key = SigningKey::from_bytes(param_set, &vec![7u8; param_set.key_size().bytes()])
                .unwrap();
            let public = key.verifying_key();
            let der = public.to_public_key_der().unwrap();
            let back = VerifyingKey::from_public_key_der(&der).unwrap();
            assert_eq!(&back, public);
            assert_eq!(
                back.param_set(),
                param_set,
                "the OID a key was given is kept"
            );

            // The other form: digestParamSet toggled.
            let size = param_set.key_size();
            let params = KeyParameters {
                public_key_param_set: param_set.oid(),
                digest_param_set: (!param_set.writes_digest_param()).then(|| size.digest_oid()),
                encryption_param_set: None,
            };
            let spki = SubjectPublicKeyInfo {
                algorithm: AlgorithmIdentifier {
                    oid: size.algorithm_oid(),
                    parameters: Some(Any::encode_from(&params).unwrap()),
                },
                subject_public_key: BitString::from_bytes(
                    &OctetString::new(public.as_bytes())
                        .unwrap()
                        .to_der()
                        .unwrap(),
                )
                .unwrap(),
            };
            let other = VerifyingKey::from_public_key_der(&spki.to_der().unwrap()).unwrap();
            assert_eq!(&other, public);
        }
    }

    #[test]
    fn engine_layout_of_a_cryptopro_a_spki() {
        let key = SigningKey::from_bytes(ParamSet::CryptoProA, &[1u8; 32]).unwrap();
        let der = key.verifying_key().to_public_key_der().unwrap();
        // SEQUENCE { SEQUENCE { OID 1.2.643.7.1.1.1.1, SEQUENCE { OID CryptoPro-A, OID Streebog-256 } },
        //            BIT STRING { OCTET STRING (64) } }
        let expected_prefix = hex::decode(
            "3066301f06082a85030701010101301306072a85030202230106082a850307010102020343000440",
        )
        .unwrap();
        assert_eq!(&der[..expected_prefix.len()], expected_prefix.as_slice());
        assert_eq!(der.len(), expected_prefix.len() + 64);
    }

    #[test]
    fn bad_encodings_are_typed_errors() {
        assert!(matches!(
            VerifyingKey::from_public_key_der(&[]),
            Err(Error::Der(_))
        ));
        let key = a1_key();
        let der = key.verifying_key().to_public_key_der().unwrap();
        for cut in 0..der.len() {
            assert!(VerifyingKey::from_public_key_der(&der[..cut]).is_err());
        }
        let p8 = key.to_pkcs8_der().unwrap();
        for cut in 0..p8.len() {
            assert!(SigningKey::from_pkcs8_der(&p8[..cut]).is_err());
        }
        // A 512-bit paramset under the 256-bit algorithm OID.
        let params = KeyParameters {
            public_key_param_set: ParamSet::Tc26_512A.oid(),
            digest_param_set: None,
            encryption_param_set: None,
        };
        let any = Any::encode_from(&params).unwrap();
        let any_ref = der::AnyRef::from(&any);
        assert_eq!(
            param_set_of(&KeySize::Bits256.algorithm_oid(), Some(&any_ref)),
            Err(Error::KeySizeMismatch)
        );
    }
}
