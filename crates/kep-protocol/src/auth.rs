//! Flash-call login: the applicant asks for a call, types the last four digits of the calling
//! number, and gets a session token.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `POST /api/v1/auth/code`: call this mobile number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeRequest {
    /// The mobile number as typed (any common Russian format).
    pub phone: String,
}

/// The call is on its way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeRequested {
    /// The number as the CA understood it, `+7 912 345-67-89`.
    pub phone: String,
    /// Seconds until another call may be requested (the UI counts down).
    pub retry_after_s: u32,
    /// Seconds the code stays valid.
    pub expires_in_s: u32,
}

/// `POST /api/v1/auth/verify`: the last four digits of the calling number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeVerification {
    /// The same number as in the request.
    pub phone: String,
    /// Four digits.
    pub code: String,
}

/// A session: send `Authorization: Bearer <token>` with every call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionIssued {
    /// The bearer token (secret; kept in the OS keyring by the app).
    pub token: String,
    /// Seconds until the session ends however active it is (12 h).
    pub expires_in_s: u32,
    /// Seconds of inactivity that end it (30 min).
    pub idle_timeout_s: u32,
}

/// Who the session belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Me {
    /// The applicant's id.
    pub applicant_id: i64,
}
