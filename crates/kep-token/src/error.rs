//! What can go wrong with a token, in terms the wizard can explain.

use crate::raw::RawError;

/// A token error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The PKCS#11 module could not be loaded or initialized.
    #[error("the PKCS#11 module could not be loaded: {0}")]
    Module(String),
    /// No token is present (or it was pulled out).
    #[error("no token in the reader")]
    NoToken,
    /// The PIN was wrong; the token may say how close it is to locking.
    #[error("wrong PIN")]
    PinIncorrect {
        /// The next wrong PIN locks the token.
        final_try_next: bool,
        /// The token reports that few tries remain.
        count_low: bool,
    },
    /// The next wrong PIN would lock the token: the user must confirm before trying.
    #[error("the next wrong PIN locks the token")]
    PinFinalTry,
    /// The PIN is locked; the administrator (SO) PIN unlocks it.
    #[error("the PIN is locked")]
    PinLocked,
    /// The PIN has a length or characters the token refuses.
    #[error("the PIN has an invalid length or characters")]
    PinInvalid,
    /// The token cannot make this kind of key.
    #[error("the token does not support {0}")]
    Unsupported(&'static str),
    /// No key or certificate with this id.
    #[error("key not found on the token")]
    KeyNotFound,
    /// The certificate read back is not the one written.
    #[error("the certificate was not stored correctly")]
    InstallMismatch,
    /// The worker owning the session is gone, or the module closed the session.
    #[error("the token session has ended")]
    SessionClosed,
    /// The session is no longer logged in (the token was logged out or restarted).
    #[error("the token is not logged in")]
    NotLoggedIn,
    /// A key's handle is no longer valid (the session lost its login, so private objects are
    /// out of its sight, or the token was replaced).
    #[error("the key's handle is no longer valid")]
    HandleInvalid,
    /// No token with this label is present.
    #[error("no token labelled «{0}»")]
    NoTokenLabelled(String),
    /// Two tokens carry this label: which one is meant is unclear.
    #[error("more than one token is labelled «{0}»")]
    LabelAmbiguous(String),
    /// Any other PKCS#11 failure.
    #[error("PKCS#11 {function} failed: {code}")]
    Pkcs11 {
        /// The function.
        function: String,
        /// Its return value, by name or number.
        code: String,
    },
}

/// CK_RV values this crate reacts to.
pub(crate) mod rv {
    pub const CKR_PIN_INVALID: cryptoki_sys::CK_RV = 0xA1;
    pub const CKR_PIN_LEN_RANGE: cryptoki_sys::CK_RV = 0xA2;
    pub const CKR_PIN_LOCKED: cryptoki_sys::CK_RV = 0xA4;
    pub const CKR_TOKEN_NOT_PRESENT: cryptoki_sys::CK_RV = 0xE0;
    pub const CKR_DEVICE_REMOVED: cryptoki_sys::CK_RV = 0x32;
    pub const CKR_SESSION_HANDLE_INVALID: cryptoki_sys::CK_RV = 0xB3;
    pub const CKR_SESSION_CLOSED: cryptoki_sys::CK_RV = 0xB0;
    pub const CKR_USER_NOT_LOGGED_IN: cryptoki_sys::CK_RV = 0x101;
    pub const CKR_KEY_HANDLE_INVALID: cryptoki_sys::CK_RV = 0x60;
    pub const CKR_OBJECT_HANDLE_INVALID: cryptoki_sys::CK_RV = 0x82;
}

impl TokenError {
    /// Maps a return value; PIN values need the token's flags and are mapped by `pin`.
    pub(crate) fn from_rv(function: &str, code: cryptoki_sys::CK_RV) -> Self {
        match code {
            rv::CKR_TOKEN_NOT_PRESENT | rv::CKR_DEVICE_REMOVED | rv::CKR_SESSION_HANDLE_INVALID => {
                TokenError::NoToken
            }
            rv::CKR_SESSION_CLOSED => TokenError::SessionClosed,
            rv::CKR_USER_NOT_LOGGED_IN => TokenError::NotLoggedIn,
            rv::CKR_KEY_HANDLE_INVALID | rv::CKR_OBJECT_HANDLE_INVALID => TokenError::HandleInvalid,
            rv::CKR_PIN_LOCKED => TokenError::PinLocked,
            rv::CKR_PIN_INVALID | rv::CKR_PIN_LEN_RANGE => TokenError::PinInvalid,
            _ => TokenError::Pkcs11 {
                function: function.to_owned(),
                code: format!("CKR 0x{code:x}"),
            },
        }
    }
}

impl From<RawError> for TokenError {
    fn from(e: RawError) -> Self {
        TokenError::from_rv(e.function, e.rv)
    }
}

impl From<cryptoki::error::Error> for TokenError {
    fn from(e: cryptoki::error::Error) -> Self {
        use cryptoki::error::{Error, RvError};
        match e {
            Error::Pkcs11(
                RvError::TokenNotPresent | RvError::DeviceRemoved | RvError::SessionHandleInvalid,
                _,
            ) => TokenError::NoToken,
            Error::Pkcs11(RvError::SessionClosed, _) => TokenError::SessionClosed,
            Error::Pkcs11(RvError::UserNotLoggedIn, _) => TokenError::NotLoggedIn,
            Error::Pkcs11(RvError::KeyHandleInvalid | RvError::ObjectHandleInvalid, _) => {
                TokenError::HandleInvalid
            }
            Error::Pkcs11(RvError::PinLocked, _) => TokenError::PinLocked,
            Error::Pkcs11(RvError::PinInvalid | RvError::PinLenRange, _) => TokenError::PinInvalid,
            Error::Pkcs11(code, function) => TokenError::Pkcs11 {
                function: function.to_string(),
                code: format!("{code:?}"),
            },
            other => TokenError::Pkcs11 {
                function: "cryptoki".into(),
                code: other.to_string(),
            },
        }
    }
}
