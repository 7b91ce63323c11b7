//! The list of accredited CAs the CA trusts (from the Ministry's TSL), as its API serves it, so
//! that the app shows and checks against the same list.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The list in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct TrustListView {
    /// The list's `Версия`.
    #[ts(type = "number")]
    pub version: i64,
    /// The list's `Дата`, RFC 3339.
    pub date: String,
    /// When the CA imported it, RFC 3339.
    pub imported_at: String,
    /// SHA-256 of the file (hex).
    pub sha256: String,
    /// Every CA of the list, accredited now or not (its status says).
    pub cas: Vec<AccreditedCaView>,
}

/// One CA of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct AccreditedCaView {
    /// `Название`.
    pub name: String,
    /// `ИНН`.
    pub inn: String,
    /// `ОГРН`.
    pub ogrn: String,
    /// `РеестровыйНомер`.
    pub registry_number: String,
    /// The accreditation now, in the list's words («Действует», «Прекращена», «Аннулирована»).
    pub status: String,
    /// Since when, RFC 3339.
    pub status_since: Option<String>,
    /// Whether it is accredited now (only then are its certificates trusted for what comes in).
    pub accredited: bool,
    /// Its authorized persons' certificates.
    pub certificates: Vec<AccreditedCertificateView>,
}

/// A CA certificate of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct AccreditedCertificateView {
    /// SHA-1 thumbprint, upper-case hex.
    pub thumbprint: String,
    /// Serial number, upper-case hex.
    pub serial: String,
    /// Validity, RFC 3339.
    pub not_before: String,
    /// Validity, RFC 3339.
    pub not_after: String,
    /// The key's CRL addresses.
    pub crl_urls: Vec<String>,
    /// The certificate, DER in base64.
    pub der: String,
}
