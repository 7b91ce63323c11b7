//! A service's key on an always-connected token (an HSM, or a Рутокен in a server): named by
//! module, token label and CKA_ID, logged in with a PIN from the service's secrets, signing in
//! a few sessions of its own. A session the module drops (the HSM restarted, the token was
//! logged out) is opened and logged in again on the next signature, which is retried once; a
//! refusal (a wrong mechanism, a locked PIN) is not retried.
//!
//! The PIN is never tried on the token's final attempt: a service that locked its own HSM would
//! stop the CA until an officer with the SO PIN came.

use crate::error::TokenError;
use crate::keys::{TokenKey, find_key};
use crate::module::Module;
use crate::pin::{Pin, login};
use crate::signer::TokenSigner;
use crate::worker::TokenWorker;
use kep_pki::signer::{KeySigner, SignError, SignatureAlgorithm};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// Where a key is.
#[derive(Debug, Clone)]
pub struct HsmKeyRef {
    /// The PKCS#11 library.
    pub module: PathBuf,
    /// The token's label (CKA_LABEL of its CK_TOKEN_INFO).
    pub token_label: String,
    /// The key pair's CKA_ID.
    pub key_id: Vec<u8>,
    /// The user PIN.
    pub pin: Pin,
}

/// The slot holding the token labelled `label`.
pub fn slot_labelled(module: &Module, label: &str) -> Result<cryptoki::slot::Slot, TokenError> {
    let mut found = Vec::new();
    for slot in module.pkcs11().get_slots_with_token()? {
        if module.pkcs11().get_token_info(slot)?.label().trim() == label {
            found.push(slot);
        }
    }
    match found.as_slice() {
        [slot] => Ok(*slot),
        [] => Err(TokenError::NoTokenLabelled(label.to_owned())),
        _ => Err(TokenError::LabelAmbiguous(label.to_owned())),
    }
}

/// A logged-in session on the token labelled `token_label` (for the ceremony's key generation
/// and for each of a signer's sessions).
pub fn open_session(
    module: &Arc<Module>,
    token_label: &str,
    pin: &Pin,
) -> Result<Arc<TokenWorker>, TokenError> {
    let slot = slot_labelled(module, token_label)?;
    let worker = Arc::new(TokenWorker::open(module.clone(), slot)?);
    login(&worker, pin.clone(), false)?;
    Ok(worker)
}

/// Whether `error` means the session is gone and a new one may succeed.
fn session_lost(error: &TokenError) -> bool {
    matches!(
        error,
        TokenError::NoToken
            | TokenError::SessionClosed
            | TokenError::NotLoggedIn
            | TokenError::HandleInvalid
    )
}

/// The key as the project's signer.
pub struct HsmSigner {
    place: HsmKeyRef,
    module: Arc<Module>,
    algorithm: SignatureAlgorithm,
    public_key_info: Vec<u8>,
    sessions: Vec<Mutex<Option<TokenSigner>>>,
    next: AtomicUsize,
    reopened: AtomicU64,
}

impl std::fmt::Debug for HsmSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HsmSigner")
            .field("module", &self.place.module)
            .field("token_label", &self.place.token_label)
            .field("sessions", &self.sessions.len())
            .finish_non_exhaustive()
    }
}

impl HsmSigner {
    /// Opens the key with up to `sessions` sessions (at least one). The first is opened now, so
    /// a missing module, token or key or a wrong PIN stops the caller at once; the others are
    /// opened when concurrent signatures first need them.
    pub fn open(place: HsmKeyRef, sessions: usize) -> Result<Self, TokenError> {
        let module = Module::shared(&place.module)?;
        let first = open_signer(&module, &place)?;
        let key = first.key().clone();
        let mut slots: Vec<Mutex<Option<TokenSigner>>> =
            (1..sessions.max(1)).map(|_| Mutex::new(None)).collect();
        slots.insert(0, Mutex::new(Some(first)));
        Ok(Self {
            place,
            module,
            algorithm: key.algorithm,
            public_key_info: key.public_key_info,
            sessions: slots,
            next: AtomicUsize::new(0),
            reopened: AtomicU64::new(0),
        })
    }

    /// How many times a lost session was opened again.
    pub fn sessions_reopened(&self) -> u64 {
        self.reopened.load(Ordering::Relaxed)
    }

    /// Signs in one session, opening it when it is not open.
    fn sign_in(
        &self,
        slot: &mut Option<TokenSigner>,
        digest: &[u8],
    ) -> Result<Vec<u8>, TokenError> {
        let signer = match slot {
            Some(signer) => signer,
            None => slot.insert(open_signer(&self.module, &self.place)?),
        };
        signer.sign(digest)
    }
}

/// A new session on the key's token, logged in, with the key found again by its id (object
/// handles need not survive the session).
fn open_signer(module: &Arc<Module>, place: &HsmKeyRef) -> Result<TokenSigner, TokenError> {
    let worker = open_session(module, &place.token_label, &place.pin)?;
    let key: TokenKey = find_key(&worker, place.key_id.clone())?;
    Ok(TokenSigner::new(worker, key))
}

impl KeySigner for HsmSigner {
    fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    fn public_key_info(&self) -> &[u8] {
        &self.public_key_info
    }

    fn sign_digest(&self, digest: &[u8]) -> Result<Vec<u8>, SignError> {
        let index = self.next.fetch_add(1, Ordering::Relaxed) % self.sessions.len();
        let mut slot = self.sessions[index]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let result = match self.sign_in(&mut slot, digest) {
            Err(e) if session_lost(&e) => {
                *slot = None;
                self.reopened.fetch_add(1, Ordering::Relaxed);
                self.sign_in(&mut slot, digest)
            }
            other => other,
        };
        result.map_err(|e| {
            if session_lost(&e) || matches!(e, TokenError::NoTokenLabelled(_)) {
                // The next signature tries a new session again.
                *slot = None;
                SignError::KeyUnavailable(e.to_string())
            } else {
                SignError::Failed(e.to_string())
            }
        })
    }
}
