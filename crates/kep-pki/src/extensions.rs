//! The extensions of the qualified profile that x509-cert does not know: subjectSignTool,
//! issuerSignTool and IdentificationKind; and a helper that wraps any extension value.

use crate::oids;
use const_oid::{AssociatedOid, ObjectIdentifier};
use der::asn1::{OctetString, Utf8StringRef};
use der::{Decode, Encode, Sequence};
use x509_cert::ext::Extension;

/// Upper bounds of the sign-tool strings (Приказ ФСБ № 795).
pub const MAX_SIGN_TOOL_CHARS: usize = 200;
/// Upper bound of the certificate-of-conformity strings of issuerSignTool.
pub const MAX_SIGN_TOOL_CERT_CHARS: usize = 100;

/// Why an extension value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtensionError {
    /// A sign-tool string is empty or longer than the profile allows.
    #[error("{field} must have 1 to {max} characters")]
    Length {
        /// Which string.
        field: &'static str,
        /// Its limit.
        max: usize,
    },
    /// The DER is malformed.
    #[error("malformed extension: {0}")]
    Der(#[from] der::Error),
}

fn check(field: &'static str, value: &str, max: usize) -> Result<(), ExtensionError> {
    let n = value.chars().count();
    if n == 0 || n > max {
        Err(ExtensionError::Length { field, max })
    } else {
        Ok(())
    }
}

/// Wraps an encodable value as a certificate extension.
pub fn extension<T: Encode>(
    oid: ObjectIdentifier,
    critical: bool,
    value: &T,
) -> der::Result<Extension> {
    Ok(Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(value.to_der()?)?,
    })
}

/// An extension of a type x509-cert knows (it carries its own OID).
pub fn known_extension<T: Encode + AssociatedOid>(
    critical: bool,
    value: &T,
) -> der::Result<Extension> {
    extension(T::OID, critical, value)
}

/// subjectSignTool: the name of the owner's crypto tool, e.g. `СКЗИ "Рутокен ЭЦП 2.0"`.
pub fn subject_sign_tool(tool: &str) -> Result<Extension, ExtensionError> {
    check("subjectSignTool", tool, MAX_SIGN_TOOL_CHARS)?;
    Ok(extension(
        oids::SUBJECT_SIGN_TOOL,
        false,
        &Utf8StringRef::new(tool)?,
    )?)
}

/// Reads a subjectSignTool extension value.
pub fn parse_subject_sign_tool(value: &[u8]) -> Result<String, ExtensionError> {
    let tool = Utf8StringRef::from_der(value)?.as_str().to_owned();
    check("subjectSignTool", &tool, MAX_SIGN_TOOL_CHARS)?;
    Ok(tool)
}

/// issuerSignTool: the CA's crypto tool and CA software, with their certificates of conformity.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct IssuerSignTool {
    /// The CA's crypto tool (СКЗИ).
    pub sign_tool: String,
    /// The CA software (средство УЦ).
    pub ca_tool: String,
    /// The crypto tool's certificate of conformity.
    pub sign_tool_cert: String,
    /// The CA software's certificate of conformity.
    pub ca_tool_cert: String,
}

impl IssuerSignTool {
    /// Checks the lengths and wraps the value as an extension.
    pub fn to_extension(&self) -> Result<Extension, ExtensionError> {
        self.validate()?;
        Ok(extension(oids::ISSUER_SIGN_TOOL, false, self)?)
    }

    /// Reads an issuerSignTool extension value.
    pub fn parse(value: &[u8]) -> Result<Self, ExtensionError> {
        let tool = Self::from_der(value)?;
        tool.validate()?;
        Ok(tool)
    }

    fn validate(&self) -> Result<(), ExtensionError> {
        check("signTool", &self.sign_tool, MAX_SIGN_TOOL_CHARS)?;
        check("cATool", &self.ca_tool, MAX_SIGN_TOOL_CHARS)?;
        check(
            "signToolCert",
            &self.sign_tool_cert,
            MAX_SIGN_TOOL_CERT_CHARS,
        )?;
        check("cAToolCert", &self.ca_tool_cert, MAX_SIGN_TOOL_CERT_CHARS)
    }
}

/// How the owner's identity was established (IdentificationKind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentificationKind {
    /// 0: in person.
    InPerson,
    /// 1: remotely, with a valid qualified signature (a renewal signed with the old КЭП).
    RemoteWithQualifiedSignature,
    /// 2: remotely, with a biometric foreign passport.
    BiometricPassport,
    /// 3: remotely, through ЕСИА and ЕБС.
    EsiaEbs,
}

impl IdentificationKind {
    /// The INTEGER value.
    pub fn value(self) -> u8 {
        match self {
            IdentificationKind::InPerson => 0,
            IdentificationKind::RemoteWithQualifiedSignature => 1,
            IdentificationKind::BiometricPassport => 2,
            IdentificationKind::EsiaEbs => 3,
        }
    }

    /// The kind an INTEGER value names.
    pub fn from_value(value: u8) -> Option<Self> {
        match value {
            0 => Some(IdentificationKind::InPerson),
            1 => Some(IdentificationKind::RemoteWithQualifiedSignature),
            2 => Some(IdentificationKind::BiometricPassport),
            3 => Some(IdentificationKind::EsiaEbs),
            _ => None,
        }
    }

    /// The extension.
    pub fn to_extension(self) -> der::Result<Extension> {
        extension(oids::IDENTIFICATION_KIND, false, &self.value())
    }

    /// Reads an IdentificationKind extension value.
    pub fn parse(value: &[u8]) -> Result<Self, ExtensionError> {
        let v = u8::from_der(value)?;
        Self::from_value(v).ok_or(ExtensionError::Der(der::Tag::Integer.value_error().into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_tools_round_trip_and_limits() {
        let ext = subject_sign_tool("СКЗИ \"Рутокен ЭЦП 2.0\"").unwrap();
        assert_eq!(ext.extn_id, oids::SUBJECT_SIGN_TOOL);
        assert_eq!(
            parse_subject_sign_tool(ext.extn_value.as_bytes()).unwrap(),
            "СКЗИ \"Рутокен ЭЦП 2.0\""
        );
        assert!(subject_sign_tool("").is_err());
        assert!(subject_sign_tool(&"я".repeat(201)).is_err());

        let issuer = IssuerSignTool {
            sign_tool: "KEP Renew GOST".into(),
            ca_tool: "KEP Renew CA".into(),
            sign_tool_cert: "не сертифицировано".into(),
            ca_tool_cert: "не сертифицировано".into(),
        };
        let ext = issuer.to_extension().unwrap();
        assert_eq!(
            IssuerSignTool::parse(ext.extn_value.as_bytes()).unwrap(),
            issuer
        );
    }

    #[test]
    fn identification_kind_is_an_integer() {
        for kind in [
            IdentificationKind::InPerson,
            IdentificationKind::RemoteWithQualifiedSignature,
        ] {
            let ext = kind.to_extension().unwrap();
            assert_eq!(ext.extn_value.as_bytes(), [0x02, 0x01, kind.value()]);
            assert_eq!(
                IdentificationKind::parse(ext.extn_value.as_bytes()).unwrap(),
                kind
            );
        }
        assert!(IdentificationKind::parse(&[0x02, 0x01, 0x07]).is_err());
    }
}
