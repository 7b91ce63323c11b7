//! Object identifiers of the Russian qualified certificate profile (Приказ ФСБ № 795; see
//! `domain.md` §3) and the algorithms this crate signs and verifies with.

use const_oid::ObjectIdentifier as Oid;

/// СНИЛС, NumericString(11).
pub const SNILS: Oid = Oid::new_unwrap("1.2.643.100.3");
/// ИНН of an individual, NumericString(12).
pub const INN: Oid = Oid::new_unwrap("1.2.643.3.131.1.1");
/// ИНН of a legal entity (INNLE), NumericString(10).
pub const INNLE: Oid = Oid::new_unwrap("1.2.643.100.4");
/// ОГРН, NumericString(13).
pub const OGRN: Oid = Oid::new_unwrap("1.2.643.100.1");
/// emailAddress (PKCS #9), IA5String.
pub const EMAIL_ADDRESS: Oid = Oid::new_unwrap("1.2.840.113549.1.9.1");

/// subjectSignTool: the owner's crypto tool, UTF8String (1..200).
pub const SUBJECT_SIGN_TOOL: Oid = Oid::new_unwrap("1.2.643.100.111");
/// issuerSignTool: the CA's tools, SEQUENCE of four UTF8String.
pub const ISSUER_SIGN_TOOL: Oid = Oid::new_unwrap("1.2.643.100.112");
/// IdentificationKind: how the owner's identity was established, INTEGER.
pub const IDENTIFICATION_KIND: Oid = Oid::new_unwrap("1.2.643.100.114");

/// Class policies of the crypto tool: КС1..КС3, КВ1, КВ2, КА.
pub const POLICY_KC1: Oid = Oid::new_unwrap("1.2.643.100.113.1");
/// КС2.
pub const POLICY_KC2: Oid = Oid::new_unwrap("1.2.643.100.113.2");
/// КС3.
pub const POLICY_KC3: Oid = Oid::new_unwrap("1.2.643.100.113.3");
/// КВ1.
pub const POLICY_KB1: Oid = Oid::new_unwrap("1.2.643.100.113.4");
/// КВ2.
pub const POLICY_KB2: Oid = Oid::new_unwrap("1.2.643.100.113.5");
/// КА.
pub const POLICY_KA: Oid = Oid::new_unwrap("1.2.643.100.113.6");

/// ecdsa-with-SHA256.
pub const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
/// id-ecPublicKey.
pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
/// prime256v1 (P-256).
pub const SECP256R1: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
/// SHA-256.
pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
