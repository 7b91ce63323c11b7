//! What a certificate says in full, for «Подробнее»: both names attribute by attribute, its
//! policies by name, the issuer's sign tools. Russian attribute names come from the catalogue.

use crate::error::PkiError;
use crate::extensions::IssuerSignTool;
use crate::oids;
use const_oid::db::rfc4519;
use der::Decode;
use x509_cert::Certificate;
use x509_cert::ext::pkix::CertificatePolicies;
use x509_cert::name::Name;

/// A certificate's details, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    /// The subject, «name = value» per attribute.
    pub subject: Vec<String>,
    /// The issuer, likewise.
    pub issuer: Vec<String>,
    /// The policies, «name (OID)» where the name is known.
    pub policies: Vec<String>,
    /// issuerSignTool's four values, if present.
    pub issuer_sign_tools: Vec<String>,
}

fn attribute_name(oid: &const_oid::ObjectIdentifier) -> Option<&'static str> {
    use crate::messages_ru::attribute as name;
    Some(match *oid {
        rfc4519::CN => name::COMMON_NAME,
        rfc4519::SN => name::SURNAME,
        rfc4519::GIVEN_NAME => name::GIVEN_NAME,
        rfc4519::TITLE => name::TITLE,
        rfc4519::O => name::ORGANIZATION,
        rfc4519::OU => name::UNIT,
        rfc4519::L => name::LOCALITY,
        rfc4519::ST => name::REGION,
        rfc4519::C => name::COUNTRY,
        rfc4519::STREET => name::STREET,
        oids::SNILS => name::SNILS,
        oids::INN => name::INN,
        oids::INNLE => name::INN_LE,
        oids::OGRN => name::OGRN,
        oids::EMAIL_ADDRESS => name::EMAIL,
        _ => return None,
    })
}

fn lines(name: &Name) -> Vec<String> {
    name.iter()
        .map(|atv| {
            let value = std::str::from_utf8(atv.value.value())
                .map(str::to_owned)
                .unwrap_or_else(|_| format!("{:02X?}", atv.value.value()));
            match attribute_name(&atv.oid) {
                Some(label) => format!("{label} = {value}"),
                None => format!("{} = {value}", atv.oid),
            }
        })
        .collect()
}

fn policy_name(oid: &const_oid::ObjectIdentifier) -> Option<&'static str> {
    Some(match *oid {
        oids::POLICY_KC1 => "КС1",
        oids::POLICY_KC2 => "КС2",
        oids::POLICY_KC3 => "КС3",
        oids::POLICY_KB1 => "КВ1",
        oids::POLICY_KB2 => "КВ2",
        oids::POLICY_KA => "КА1",
        _ => return None,
    })
}

/// Reads `der` in full.
pub fn details(der: &[u8]) -> Result<Details, PkiError> {
    let cert = Certificate::from_der(der)?;
    let tbs = cert.tbs_certificate();
    let policies = tbs
        .get_extension::<CertificatePolicies>()?
        .map(|(_, policies)| {
            policies
                .0
                .iter()
                .map(|p| match policy_name(&p.policy_identifier) {
                    Some(name) => format!("{name} ({})", p.policy_identifier),
                    None => p.policy_identifier.to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    let issuer_sign_tools = tbs
        .extensions()
        .and_then(|exts| exts.iter().find(|e| e.extn_id == oids::ISSUER_SIGN_TOOL))
        .and_then(|e| IssuerSignTool::parse(e.extn_value.as_bytes()).ok())
        .map(|t| vec![t.sign_tool, t.ca_tool, t.sign_tool_cert, t.ca_tool_cert])
        .unwrap_or_default();
    Ok(Details {
        subject: lines(tbs.subject()),
        issuer: lines(tbs.issuer()),
        policies,
        issuer_sign_tools,
    })
}
