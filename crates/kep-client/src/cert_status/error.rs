//! Why a certificate's status could not be established. Each becomes one Russian sentence of
//! «не удалось проверить» — never a guessed status.

use kep_pki::chain::ChainError;
use kep_pki::ocsp::AnswerError;

#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    /// The certificate does not read.
    #[error("the certificate does not read: {0}")]
    Malformed(#[from] der::Error),
    /// Its chain does not lead to a trusted root: its addresses are not fetched at all.
    #[error("the chain does not check: {0}")]
    Chain(#[from] ChainError),
    /// The certificate names neither an OCSP responder nor a CRL over http(s).
    #[error("the certificate names no OCSP responder or CRL over http(s)")]
    NoLocation,
    /// The address did not answer (refused, reset, DNS, TLS).
    #[error("{url} did not answer: {cause}")]
    Unreachable {
        /// Where.
        url: String,
        /// The transport's words.
        cause: String,
    },
    /// The deadline passed.
    #[error("no answer within the deadline")]
    Timeout(#[from] tokio::time::error::Elapsed),
    /// No randomness for the OCSP nonce.
    #[error("no randomness for the OCSP nonce: {0}")]
    Randomness(ring::error::Unspecified),
    /// The answer was larger than allowed.
    #[error("{url} answered with more than {limit} bytes")]
    TooLarge {
        /// Where.
        url: String,
        /// The cap.
        limit: usize,
    },
    /// An HTTP status other than 200.
    #[error("{url} answered HTTP {status}")]
    Http {
        /// Where.
        url: String,
        /// The status.
        status: u16,
    },
    /// The OCSP answer is not believed.
    #[error("the OCSP answer is refused: {0}")]
    Ocsp(#[from] AnswerError),
    /// The responder does not know the certificate (its issuer's own responder).
    #[error("the responder does not know the certificate")]
    UnknownToResponder,
    /// The CRL does not read.
    #[error("the CRL does not read: {0}")]
    CrlUnreadable(kep_pki::error::PkiError),
    /// The CRL is not signed by the certificate's issuer.
    #[error("the CRL is not signed by the issuer")]
    CrlNotSigned,
    /// The CRL's nextUpdate has passed.
    #[error("the CRL is out of date")]
    CrlStale,
    /// The worker that read the CRL stopped.
    #[error("the CRL reader stopped: {0}")]
    Worker(String),
}
