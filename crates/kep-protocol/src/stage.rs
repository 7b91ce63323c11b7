//! The six stages of the renewal, in the order the CA's procedure gives them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A stage of the renewal wizard. The Russian names are UI text and live in the UI's
/// dictionary; this enum is the stable identifier both sides agree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Stage {
    /// 1. Login, the application and its requisites, registry checks, sending it.
    Application,
    /// 2. The CA reviews the application (1–2 hours).
    CaReview,
    /// 3. Re-checking requisites and signing the statement.
    Issuance,
    /// 4. Choosing the key storage and generating the key pair.
    Key,
    /// 5. Identity confirmation.
    Identity,
    /// 6. Installing the issued certificate.
    Install,
}

impl Stage {
    /// All stages in order.
    pub const ALL: [Stage; 6] = [
        Stage::Application,
        Stage::CaReview,
        Stage::Issuance,
        Stage::Key,
        Stage::Identity,
        Stage::Install,
    ];

    /// The stage's number as the procedure counts them (1..=6).
    pub fn number(self) -> u8 {
        match self {
            Stage::Application => 1,
            Stage::CaReview => 2,
            Stage::Issuance => 3,
            Stage::Key => 4,
            Stage::Identity => 5,
            Stage::Install => 6,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_order() {
        for (i, stage) in Stage::ALL.iter().enumerate() {
            assert_eq!(usize::from(stage.number()), i + 1);
        }
        assert!(Stage::ALL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn serde_names_are_snake_case() {
        assert_eq!(
            serde_json::to_string(&Stage::CaReview).unwrap(),
            "\"ca_review\""
        );
    }
}
