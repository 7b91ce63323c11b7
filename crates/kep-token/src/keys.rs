//! Key pairs on the token: GOST R 34.10-2012 (CryptoPro-A with Streebog-256, per `domain.md`
//! §5) through the raw mechanism, ECDSA P-256 as a clearly non-qualified fallback. Private keys
//! are sensitive and non-extractable; one fresh CKA_ID ties the public key, the private key and
//! (later) the certificate.

use crate::constants::{
    CKA_GOSTR3410_PARAMS, CKA_GOSTR3411_PARAMS, CKK_GOSTR3410, CKK_GOSTR3410_512,
    CKM_GOSTR3410_512_KEY_PAIR_GEN, CKM_GOSTR3410_KEY_PAIR_GEN,
};
use crate::error::TokenError;
use crate::raw::RawAttribute;
use crate::worker::TokenWorker;
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, ObjectClass, ObjectHandle};
use cryptoki_sys::{
    CKA_CLASS, CKA_EXTRACTABLE, CKA_ID, CKA_KEY_TYPE, CKA_LABEL, CKA_PRIVATE, CKA_SENSITIVE,
    CKA_SIGN, CKA_TOKEN, CKA_VALUE, CKA_VERIFY, CKO_PRIVATE_KEY, CKO_PUBLIC_KEY,
    CKR_TEMPLATE_INCOMPLETE, CKR_TEMPLATE_INCONSISTENT,
};
use der::Encode;
use der::asn1::ObjectIdentifier;
use kep_pki::signer::SignatureAlgorithm;

/// Which key to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// GOST R 34.10-2012 256-bit on CryptoPro-A (qualified certificates).
    Gost256,
    /// GOST R 34.10-2012 512-bit on TC26-512-A, through Рутокен's vendor mechanism (only where
    /// the token lists it; untested without a real Рутокен).
    Gost512,
    /// ECDSA P-256: NOT for a qualified certificate; for tokens without GOST (the demo).
    EcdsaP256NonQualified,
}

/// A key pair made on the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenKey {
    /// CKA_ID shared by the public key, the private key and the certificate.
    pub id: Vec<u8>,
    /// The private key's object handle (valid in the worker's session).
    pub private: cryptoki_sys::CK_OBJECT_HANDLE,
    /// The signature algorithm.
    pub algorithm: SignatureAlgorithm,
    /// The public key as a SubjectPublicKeyInfo.
    pub public_key_info: Vec<u8>,
}

/// A fresh random CKA_ID (16 bytes). Chosen before a key is generated, so that a caller can
/// record where the key will be and clean up after an interrupted generation.
pub fn fresh_id() -> Result<Vec<u8>, TokenError> {
    let mut id = vec![0u8; 16];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut id)
        .map_err(|_| TokenError::Module("the OS random number generator failed".into()))?;
    Ok(id)
}

fn oid_der(oid: &str) -> Result<Vec<u8>, TokenError> {
    let oid = ObjectIdentifier::new(oid).map_err(|e| TokenError::Module(e.to_string()))?;
    Ok(oid.to_der()?)
}

/// Generates a key pair labelled `label`. A `seed` from the random-number sensor goes to
/// C_SeedRandom first; a token that does not take seeds uses its hardware RNG.
pub fn generate(
    worker: &TokenWorker,
    kind: KeyKind,
    label: &str,
    seed: Option<Vec<u8>>,
) -> Result<TokenKey, TokenError> {
    generate_with_id(worker, kind, label, fresh_id()?, seed)
}

/// [`generate`] with a CKA_ID chosen by the caller (see [`fresh_id`]).
pub fn generate_with_id(
    worker: &TokenWorker,
    kind: KeyKind,
    label: &str,
    id: Vec<u8>,
    seed: Option<Vec<u8>>,
) -> Result<TokenKey, TokenError> {
    let label = label.to_owned();
    worker.call(move |session, module, _slot| {
        if let Some(seed) = seed {
            match session.seed_random(&seed) {
                Ok(()) => {}
                Err(cryptoki::error::Error::Pkcs11(
                    cryptoki::error::RvError::RandomSeedNotSupported,
                    _,
                )) => {}
                Err(e) => return Err(e.into()),
            }
        }
        match kind {
            KeyKind::Gost256 | KeyKind::Gost512 => {
                let (key_type, mechanism, param_set, algorithm) = match kind {
                    KeyKind::Gost512 => (
                        CKK_GOSTR3410_512,
                        CKM_GOSTR3410_512_KEY_PAIR_GEN,
                        kep_gost::ParamSet::Tc26_512A,
                        SignatureAlgorithm::Gost2012_512,
                    ),
                    _ => (
                        CKK_GOSTR3410,
                        CKM_GOSTR3410_KEY_PAIR_GEN,
                        kep_gost::ParamSet::CryptoProA,
                        SignatureAlgorithm::Gost2012_256,
                    ),
                };
                let params = param_set.oid().to_der()?;
                let digest = param_set.key_size().digest_oid().to_der()?;
                let common = |class| {
                    vec![
                        RawAttribute::ulong(CKA_CLASS, class),
                        RawAttribute::ulong(CKA_KEY_TYPE, key_type),
                        RawAttribute::bool(CKA_TOKEN, true),
                        RawAttribute::bytes(CKA_ID, &id),
                        RawAttribute::bytes(CKA_LABEL, label.as_bytes()),
                    ]
                };
                let domain = [
                    RawAttribute::bytes(CKA_GOSTR3410_PARAMS, &params),
                    RawAttribute::bytes(CKA_GOSTR3411_PARAMS, &digest),
                ];
                let mut public = common(CKO_PUBLIC_KEY);
                public.extend(domain.clone());
                public.extend([
                    RawAttribute::bool(CKA_PRIVATE, false),
                    RawAttribute::bool(CKA_VERIFY, true),
                ]);
                let mut private = common(CKO_PRIVATE_KEY);
                private.extend([
                    RawAttribute::bool(CKA_PRIVATE, true),
                    RawAttribute::bool(CKA_SENSITIVE, true),
                    RawAttribute::bool(CKA_EXTRACTABLE, false),
                    RawAttribute::bool(CKA_SIGN, true),
                ]);
                let raw = module.raw();
                // PKCS#11 takes the domain parameters from the public template; Рутокен's
                // samples also repeat them in the private one. Try the standard way first:
                // SoftHSM calls them read-only in the private template and, refusing it,
                // leaves a half-made private key object behind that no handle reaches.
                let mut private_with_domain = private.clone();
                private_with_domain.extend(domain);
                let generated = raw
                    .generate_key_pair(
                        session.handle(),
                        mechanism,
                        &mut public.clone(),
                        &mut private.clone(),
                    )
                    .or_else(|e| match e.rv {
                        CKR_TEMPLATE_INCOMPLETE | CKR_TEMPLATE_INCONSISTENT => raw
                            .generate_key_pair(
                                session.handle(),
                                mechanism,
                                &mut public,
                                &mut private_with_domain,
                            ),
                        _ => Err(e),
                    });
                let (pub_handle, priv_handle) = generated?;
                // CKA_VALUE of a GOST public key: x‖y little-endian, 64 (128) bytes.
                let xy = raw.attribute(session.handle(), pub_handle, CKA_VALUE)?;
                let key = kep_gost::VerifyingKey::from_bytes(param_set, &xy).map_err(|e| {
                    TokenError::Module(format!("the token returned an invalid public key: {e}"))
                })?;
                Ok(TokenKey {
                    id,
                    private: priv_handle,
                    algorithm,
                    public_key_info: key
                        .to_public_key_der()
                        .map_err(|e| TokenError::Module(e.to_string()))?,
                })
            }
            KeyKind::EcdsaP256NonQualified => {
                let p256 = oid_der("1.2.840.10045.3.1.7")?;
                let public = [
                    Attribute::Token(true),
                    Attribute::Private(false),
                    Attribute::Verify(true),
                    Attribute::EcParams(p256.clone()),
                    Attribute::Id(id.clone()),
                    Attribute::Label(label.as_bytes().to_vec()),
                ];
                let private = [
                    Attribute::Token(true),
                    Attribute::Private(true),
                    Attribute::Sensitive(true),
                    Attribute::Extractable(false),
                    Attribute::Sign(true),
                    Attribute::Id(id.clone()),
                    Attribute::Label(label.as_bytes().to_vec()),
                ];
                let (pub_handle, priv_handle) =
                    session.generate_key_pair(&Mechanism::EccKeyPairGen, &public, &private)?;
                Ok(TokenKey {
                    id,
                    private: priv_handle.handle(),
                    algorithm: SignatureAlgorithm::EcdsaP256Sha256,
                    public_key_info: ec_public_key_info(session, pub_handle)?,
                })
            }
        }
    })
}

/// The SubjectPublicKeyInfo of the P-256 public key object `public`.
fn ec_public_key_info(
    session: &cryptoki::session::Session,
    public: ObjectHandle,
) -> Result<Vec<u8>, TokenError> {
    let point = match session
        .get_attributes(public, &[AttributeType::EcPoint])?
        .pop()
    {
        Some(Attribute::EcPoint(point)) => point,
        _ => return Err(TokenError::Module("the token returned no EC point".into())),
    };
    // CKA_EC_POINT is a DER OCTET STRING holding 04‖x‖y.
    let point = <der::asn1::OctetString as der::Decode>::from_der(&point)?;
    ecdsa_spki(point.as_bytes())
}

fn ecdsa_spki(point: &[u8]) -> Result<Vec<u8>, TokenError> {
    let spki = spki_of(point).map_err(|e| TokenError::Module(e.to_string()))?;
    Ok(spki)
}

fn spki_of(point: &[u8]) -> der::Result<Vec<u8>> {
    use der::asn1::{Any, BitString};
    let alg = spki::AlgorithmIdentifierOwned {
        oid: ObjectIdentifier::new_unwrap("1.2.840.10045.2.1"),
        parameters: Some(Any::encode_from(&ObjectIdentifier::new_unwrap(
            "1.2.840.10045.3.1.7",
        ))?),
    };
    spki::SubjectPublicKeyInfoOwned {
        algorithm: alg,
        subject_public_key: BitString::from_bytes(point)?,
    }
    .to_der()
}

/// Destroys every object with CKA_ID `id` (what an interrupted key generation or installation
/// left behind); answers how many there were.
pub fn destroy_objects_with_id(worker: &TokenWorker, id: Vec<u8>) -> Result<usize, TokenError> {
    worker.call(move |session, _, _| {
        let found = session.find_objects(&[Attribute::Id(id)])?;
        for handle in &found {
            session.destroy_object(*handle)?;
        }
        Ok(found.len())
    })
}

/// Finds the private key with `id` (for signing with an existing КЭП).
pub fn find_private_key(
    worker: &TokenWorker,
    id: Vec<u8>,
) -> Result<cryptoki_sys::CK_OBJECT_HANDLE, TokenError> {
    worker.call(move |session, _, _| {
        let found = session.find_objects(&[
            Attribute::Class(ObjectClass::PRIVATE_KEY),
            Attribute::Id(id),
        ])?;
        found
            .first()
            .map(|h: &ObjectHandle| h.handle())
            .ok_or(TokenError::KeyNotFound)
    })
}

/// The key pair with `id` as a [`TokenKey`]: its private key, and its public key read from the
/// token's public key object (a CA's keys, made in the ceremony and named by id in the
/// configuration). A token that keeps no public key object for it answers `KeyNotFound`.
pub fn find_key(worker: &TokenWorker, id: Vec<u8>) -> Result<TokenKey, TokenError> {
    worker.call(move |session, module, _| {
        let find = |class| {
            session
                .find_objects(&[Attribute::Class(class), Attribute::Id(id.clone())])
                .map_err(TokenError::from)
        };
        let (Some(private), Some(public)) = (
            find(ObjectClass::PRIVATE_KEY)?.first().copied(),
            find(ObjectClass::PUBLIC_KEY)?.first().copied(),
        ) else {
            return Err(TokenError::KeyNotFound);
        };
        let raw = module.raw();
        let key_type = raw.attribute(session.handle(), public.handle(), CKA_KEY_TYPE)?;
        let key_type = key_type
            .get(..std::mem::size_of::<cryptoki_sys::CK_ULONG>())
            .and_then(|b| b.try_into().ok())
            .map(cryptoki_sys::CK_ULONG::from_ne_bytes)
            .ok_or_else(|| TokenError::Module("the token returned a malformed key type".into()))?;
        let (algorithm, public_key_info) = match key_type {
            CKK_GOSTR3410 | CKK_GOSTR3410_512 => {
                let params =
                    raw.attribute(session.handle(), public.handle(), CKA_GOSTR3410_PARAMS)?;
                let oid = <ObjectIdentifier as der::Decode>::from_der(&params)?;
                let param_set = kep_gost::ParamSet::from_oid(&oid)
                    .map_err(|_| TokenError::Unsupported("the key's GOST parameter set"))?;
                let xy = raw.attribute(session.handle(), public.handle(), CKA_VALUE)?;
                let key = kep_gost::VerifyingKey::from_bytes(param_set, &xy).map_err(|e| {
                    TokenError::Module(format!("the token returned an invalid public key: {e}"))
                })?;
                let algorithm = match param_set.key_size() {
                    kep_gost::KeySize::Bits256 => SignatureAlgorithm::Gost2012_256,
                    kep_gost::KeySize::Bits512 => SignatureAlgorithm::Gost2012_512,
                };
                let spki = key
                    .to_public_key_der()
                    .map_err(|e| TokenError::Module(e.to_string()))?;
                (algorithm, spki)
            }
            cryptoki_sys::CKK_EC => (
                SignatureAlgorithm::EcdsaP256Sha256,
                ec_public_key_info(session, public)?,
            ),
            _ => return Err(TokenError::Unsupported("the key's algorithm")),
        };
        Ok(TokenKey {
            id,
            private: private.handle(),
            algorithm,
            public_key_info,
        })
    })
}

impl From<der::Error> for TokenError {
    fn from(e: der::Error) -> Self {
        TokenError::Module(format!("malformed data from the token: {e}"))
    }
}
