//! The certificate subject of an individual, by the qualified profile (Приказ ФСБ № 795; see
//! `domain.md` §3): which attributes, in which order, with which ASN.1 string type.

use crate::oids;
use crate::requisites::Requisites;
use const_oid::ObjectIdentifier;
use const_oid::db::rfc4519;
use der::asn1::Any;
use der::{Decode, Encode, Tag};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};

/// The ASN.1 string type an attribute's value is encoded with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringType {
    Utf8,
    Printable,
    Numeric,
    Ia5,
}

impl StringType {
    fn tag(self) -> Tag {
        match self {
            StringType::Utf8 => Tag::Utf8String,
            StringType::Printable => Tag::PrintableString,
            StringType::Numeric => Tag::NumericString,
            StringType::Ia5 => Tag::Ia5String,
        }
    }
}

/// One attribute of the subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectAttribute {
    pub oid: ObjectIdentifier,
    pub string_type: StringType,
    pub value: String,
}

impl SubjectAttribute {
    /// An attribute of `string_type`.
    pub fn new(oid: ObjectIdentifier, string_type: StringType, value: impl Into<String>) -> Self {
        Self {
            oid,
            string_type,
            value: value.into(),
        }
    }
}

/// The subject's attributes in certificate order (most general first).
pub fn subject_attributes(r: &Requisites) -> Vec<SubjectAttribute> {
    use StringType::*;
    vec![
        SubjectAttribute::new(rfc4519::COUNTRY_NAME, Printable, "RU"),
        SubjectAttribute::new(rfc4519::ST, Utf8, r.region.to_string()),
        SubjectAttribute::new(rfc4519::L, Utf8, r.locality.as_str()),
        SubjectAttribute::new(rfc4519::SURNAME, Utf8, r.surname.as_str()),
        SubjectAttribute::new(rfc4519::GIVEN_NAME, Utf8, r.given_name_and_patronymic()),
        SubjectAttribute::new(rfc4519::CN, Utf8, r.full_name()),
        SubjectAttribute::new(oids::EMAIL_ADDRESS, Ia5, r.email.as_str()),
        SubjectAttribute::new(oids::SNILS, Numeric, r.snils.digits()),
        SubjectAttribute::new(oids::INN, Numeric, r.inn.digits()),
    ]
}

/// The subject as an X.509 `Name`, one attribute per RDN.
pub fn subject_name(r: &Requisites) -> der::Result<Name> {
    name_from_attributes(subject_attributes(r))
}

/// A `Name` of one attribute per RDN, in the order given.
pub fn name_from_attributes(attributes: Vec<SubjectAttribute>) -> der::Result<Name> {
    let mut rdns = RdnSequence::default();
    for attribute in attributes {
        let value = Any::new(attribute.string_type.tag(), attribute.value.into_bytes())?;
        let atv = AttributeTypeAndValue {
            oid: attribute.oid,
            value,
        };
        rdns.push(RelativeDistinguishedName::try_from(vec![atv])?);
    }
    // `Name` is built from its DER so that no unchecked (hazmat) constructor is needed.
    Name::from_der(&rdns.to_der()?)
}
