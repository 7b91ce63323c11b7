//! Where a certificate says its status and its issuer are published: the OCSP responders and
//! the CA certificate in authorityInfoAccess, the CRLs in cRLDistributionPoints. Only the
//! addresses are read here; whether to fetch them is the caller's decision.

use x509_cert::Certificate;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{AuthorityInfoAccessSyntax, CrlDistributionPoints};

/// The published addresses of one certificate, in the order the certificate lists them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Locations {
    /// id-ad-ocsp access locations.
    pub ocsp: Vec<String>,
    /// id-ad-caIssuers access locations.
    pub ca_issuers: Vec<String>,
    /// The full names of every CRL distribution point.
    pub crls: Vec<String>,
}

fn uri(name: &GeneralName) -> Option<String> {
    match name {
        GeneralName::UniformResourceIdentifier(uri) => Some(uri.as_str().to_owned()),
        _ => None,
    }
}

/// The addresses `cert` names. An extension that does not read gives no addresses (its
/// certificate is then simply one whose status cannot be fetched).
pub fn locations(cert: &Certificate) -> Locations {
    let tbs = cert.tbs_certificate();
    let mut found = Locations::default();
    if let Ok(Some((_, access))) = tbs.get_extension::<AuthorityInfoAccessSyntax>() {
        for description in access.0 {
            let Some(location) = uri(&description.access_location) else {
                continue;
            };
            if description.access_method == const_oid::db::rfc5280::ID_AD_OCSP {
                found.ocsp.push(location);
            } else if description.access_method == const_oid::db::rfc5280::ID_AD_CA_ISSUERS {
                found.ca_issuers.push(location);
            }
        }
    }
    if let Ok(Some((_, points))) = tbs.get_extension::<CrlDistributionPoints>() {
        for point in points.0 {
            if let Some(DistributionPointName::FullName(names)) = point.distribution_point {
                found.crls.extend(names.iter().filter_map(uri));
            }
        }
    }
    found
}
