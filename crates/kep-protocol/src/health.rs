//! What the CA's readiness probe reports.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What `/readyz` checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Readiness {
    /// The database takes a write.
    pub database: bool,
    /// The issuing CA's key signs.
    pub ca_key: bool,
    /// The root's and the issuing CA's CRLs are within their validity.
    pub crl: bool,
}
