//! A key on a token as the project's signer: the host computes the digest, the token signs it
//! with a single-part C_Sign (Рутокен has no multi-part GOST signing).

use crate::constants::{CKM_ECDSA, CKM_GOSTR3410, CKM_GOSTR3410_512};
use crate::error::TokenError;
use crate::keys::TokenKey;
use crate::worker::TokenWorker;
use kep_pki::signer::{KeySigner, SignError, SignatureAlgorithm};
use std::sync::Arc;

/// A token key that signs host digests.
#[derive(Debug, Clone)]
pub struct TokenSigner {
    worker: Arc<TokenWorker>,
    key: TokenKey,
}

impl TokenSigner {
    /// The signer of `key` (made or found in `worker`'s session, which must be logged in).
    pub fn new(worker: Arc<TokenWorker>, key: TokenKey) -> Self {
        Self { worker, key }
    }

    /// The key.
    pub fn key(&self) -> &TokenKey {
        &self.key
    }

    /// Signs a host digest, with the token's own error (which tells a lost session from a
    /// refusal; [`KeySigner::sign_digest`] is this, mapped).
    pub fn sign(&self, digest: &[u8]) -> Result<Vec<u8>, TokenError> {
        let algorithm = self.key.algorithm;
        let handle = self.key.private;
        let digest = digest.to_vec();
        self.worker.call(move |session, module, _| {
            let mechanism = match algorithm {
                SignatureAlgorithm::Gost2012_256 => CKM_GOSTR3410,
                SignatureAlgorithm::EcdsaP256Sha256 => CKM_ECDSA,
                SignatureAlgorithm::Gost2012_512 => CKM_GOSTR3410_512,
            };
            let raw = module
                .raw()
                .sign(session.handle(), mechanism, handle, &digest)?;
            match algorithm {
                SignatureAlgorithm::EcdsaP256Sha256 => ecdsa_der(&raw),
                // The token returns s‖r, the form certificates and CMS carry.
                _ => Ok(raw),
            }
        })
    }
}

/// (r, s) as the DER Ecdsa-Sig-Value X.509 and CMS carry.
fn ecdsa_der(raw: &[u8]) -> Result<Vec<u8>, TokenError> {
    use der::Encode;
    use der::asn1::UintRef;
    #[derive(der::Sequence)]
    struct EcdsaSig<'a> {
        r: UintRef<'a>,
        s: UintRef<'a>,
    }
    if raw.len() != 64 {
        return Err(TokenError::Module(
            "unexpected ECDSA signature length".into(),
        ));
    }
    let sig = EcdsaSig {
        r: UintRef::new(&raw[..32])?,
        s: UintRef::new(&raw[32..])?,
    };
    Ok(sig.to_der()?)
}

impl KeySigner for TokenSigner {
    fn algorithm(&self) -> SignatureAlgorithm {
        self.key.algorithm
    }

    fn public_key_info(&self) -> &[u8] {
        &self.key.public_key_info
    }

    fn sign_digest(&self, digest: &[u8]) -> Result<Vec<u8>, SignError> {
        let result = self.sign(digest);
        result.map_err(|e| match e {
            TokenError::NoToken | TokenError::SessionClosed | TokenError::NotLoggedIn => {
                SignError::KeyUnavailable(e.to_string())
            }
            other => SignError::Failed(other.to_string()),
        })
    }
}
