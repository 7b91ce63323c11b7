//! Why a trust list (the Ministry's TSL XML) was refused. Every refusal leaves the list in use
//! as it was.

/// A refused trust list.
#[derive(Debug, thiserror::Error)]
pub enum TslError {
    /// Reading the file failed.
    #[error("reading the trust list: {0}")]
    Io(#[from] std::io::Error),
    /// Larger than the cap.
    #[error("the trust list is larger than {cap} bytes")]
    TooLarge {
        /// The cap, in bytes.
        cap: u64,
    },
    /// The file ends inside an element (a download cut short).
    #[error("the trust list ends inside <{0}>: the file is truncated")]
    Truncated(String),
    /// A DTD: entity definitions (expansion bombs, external entities) are never processed.
    #[error("the trust list has a DTD (<!DOCTYPE …>): refused, entities are not processed")]
    Doctype,
    /// A reference to an entity other than XML's five.
    #[error("the trust list refers to the entity &{0};, which is not XML's own: refused")]
    UnknownEntity(String),
    /// Elements nested deeper than any real list.
    #[error("the trust list nests elements deeper than {0} levels: refused")]
    TooDeep(usize),
    /// Not UTF-8 (declared otherwise, or bytes that are not).
    #[error("the trust list is not UTF-8: {0}")]
    Encoding(String),
    /// Not well-formed XML.
    #[error("the trust list is not well-formed XML at byte {position}: {reason}")]
    Malformed {
        /// Where, in bytes from the start.
        position: u64,
        /// What the parser said.
        reason: String,
    },
    /// Another document.
    #[error("not a list of accredited CAs: the root element is <{0}>")]
    NotATrustList(String),
    /// `Версия` or `Дата` missing before the first CA.
    #[error("the trust list has no <{0}> before its first CA")]
    MissingHeader(&'static str),
    /// A value that does not read as what it must be.
    #[error("<{field}> is not valid: {value:?} ({why})")]
    BadValue {
        /// The element.
        field: &'static str,
        /// Its text (cut to 80 characters).
        value: String,
        /// What the reading said.
        why: String,
    },
    /// One text larger than any real one (a certificate is a few kilobytes).
    #[error("an element's text is larger than {0} bytes: refused")]
    TextTooLarge(usize),
}

/// Why one certificate of the list was left out (the rest of the list is read on).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LeftOut {
    /// `Данные` is not base64.
    #[error("certificate {serial}: data not in base64 ({cause})")]
    NotBase64 {
        /// `СерийныйНомер`.
        serial: String,
        /// What the decoder said.
        cause: String,
    },
    /// `Отпечаток` is not the SHA-1 of `Данные`.
    #[error("certificate {serial}: thumbprint {listed} listed, {computed} computed")]
    Thumbprint {
        /// `СерийныйНомер`.
        serial: String,
        /// As listed.
        listed: String,
        /// Of the data.
        computed: String,
    },
    /// A period of validity is missing.
    #[error("certificate {serial}: no {field}")]
    NoValidity {
        /// `СерийныйНомер`.
        serial: String,
        /// The missing element.
        field: &'static str,
    },
}
