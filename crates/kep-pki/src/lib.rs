//! The document layer of KEP Renew, shared by the app and the CA: the owner's identifiers and
//! requisites (validating kep-protocol's wire types), the qualified certificate profile,
//! requests, certificates, CMS, paths and CRLs.
//!
//! No I/O: every function works on values it is given (even "today" is a parameter).
#![forbid(unsafe_code)]

pub mod chain;
pub mod cms_signature;
pub mod content_digest;
pub mod crl;
pub mod details;
pub mod encrypted_key;
pub mod error;
pub mod extensions;
pub mod identifiers;
pub mod issue;
pub mod locations;
pub mod messages_ru;
pub mod ocsp;
pub mod oids;
mod os_rng;
pub mod request;
pub mod requisites;
pub mod signer;
pub mod subject;
pub mod summary;
mod tbs;
pub mod verify;

pub use identifiers::{
    Email, Field, FieldError, Inn, PassportRf, PersonName, Phone, Snils, ValidationKind,
};
pub use os_rng::{OsRng, OsRngError};
pub use requisites::{Region, Requisites, RequisitesInput, ValidateRequisites};
