//! What the CA's `--dev`-only routes answer (the demo and the tests read them): the last flash
//! call placed, and the notifications sent.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A call the dev provider "placed".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DevCall {
    /// The applicant's number.
    pub phone: String,
    /// The calling number; its last four digits are the code.
    pub caller: String,
}

/// A message in the dev outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutboxMessage {
    /// E.164 phone.
    pub phone: String,
    /// The text.
    pub text: String,
}
