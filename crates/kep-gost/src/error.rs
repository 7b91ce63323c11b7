//! Why an operation failed. Each variant is a distinct, actionable reason; none carries secret
//! material.

/// An error of this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The parameter set OID is not one this crate implements.
    #[error("unknown or unsupported GOST R 34.10-2012 parameter set")]
    UnsupportedParamSet,
    /// The algorithm OID is not GOST R 34.10-2012 (256 or 512).
    #[error("not a GOST R 34.10-2012 key algorithm")]
    UnsupportedAlgorithm,
    /// The parameter set does not match the key size of the algorithm OID.
    #[error("the parameter set does not fit the key size")]
    KeySizeMismatch,
    /// A byte string has the wrong length for this key size.
    #[error("wrong length: expected {expected} bytes, got {actual}")]
    Length {
        /// The length this key size needs.
        expected: usize,
        /// The length given.
        actual: usize,
    },
    /// The private key is 0 or not below the group order q.
    #[error("private key out of range")]
    PrivateKeyOutOfRange,
    /// The public key's coordinates are not below p, or the point is not on the curve.
    #[error("public key is not a point of the curve")]
    PointNotOnCurve,
    /// The public key is the point at infinity or outside the prime-order subgroup.
    #[error("public key is not in the prime-order subgroup")]
    PointNotInSubgroup,
    /// r or s is 0 or not below q.
    #[error("signature component out of range")]
    SignatureOutOfRange,
    /// The signature does not verify.
    #[error("signature verification failed")]
    Verification,
    /// The random number generator failed.
    #[error("the random number generator failed")]
    Rng,
    /// DER or its content is malformed.
    #[error("malformed DER: {0}")]
    Der(#[from] der::Error),
    /// The DER is well-formed but its content is not a GOST key of the expected shape.
    #[error("malformed key encoding")]
    KeyEncoding,
}

/// This crate's result type.
pub type Result<T> = core::result::Result<T, Error>;

impl From<Error> for signature::Error {
    fn from(_: Error) -> Self {
        // signature::Error is opaque by design (no side channel through error details).
        signature::Error::new()
    }
}
