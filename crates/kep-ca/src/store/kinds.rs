//! The statuses and kinds the store keeps, as enums in its API and as their wire names in its
//! columns. Each backend turns a column back into its enum through [`Column`], so a name that
//! no longer reads back is a [`StoreError::Corrupt`], never a string passed upwards.

use super::StoreError;
use kep_pki::crl::RevocationReason;
use kep_pki::extensions::IdentificationKind;
use kep_protocol::application::{ApplicationStatus, DocumentKind, KeyStorageKind};
use serde::{Deserialize, Serialize};

/// A value kept in a text column under a stable name.
pub trait Column: Sized {
    /// The stored name.
    fn name(&self) -> String;
    /// The value a stored name stands for.
    fn from_name(name: &str) -> Option<Self>;

    /// A stored name read back; a name no value has means a damaged row.
    fn read(name: &str) -> Result<Self, StoreError> {
        Self::from_name(name).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "the stored name {name:?} is no {}",
                std::any::type_name::<Self>()
            ))
        })
    }
}

/// The enums stored under their serde wire names (the names the API and the app use too).
macro_rules! wire_named {
    ($($t:ty),* $(,)?) => {$(
        impl Column for $t {
            fn name(&self) -> String {
                match serde_json::to_value(self) {
                    Ok(serde_json::Value::String(s)) => s,
                    // A unit variant always serializes to its name; anything else is a bug
                    // the round-trip test catches.
                    _ => String::new(),
                }
            }
            fn from_name(name: &str) -> Option<Self> {
                serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
            }
        }
    )*};
}

/// What has become of an issued certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    /// Valid (until its notAfter).
    Active,
    /// Replaced by a renewal (listed on the CRL as superseded).
    Superseded,
    /// Revoked by an operator.
    Revoked,
}

/// An operator's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperatorRole {
    /// A CA operator: reviews applications and signed statements, revokes certificates.
    Reviewer,
    /// The organization's responsible officer: confirms an applicant's identity in person.
    Officer,
}

/// A channel the outbox delivers through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeChannel {
    /// A text to the applicant's phone.
    Sms,
    /// An e-mail to the address in the requisites.
    Email,
}

wire_named!(
    ApplicationStatus,
    DocumentKind,
    KeyStorageKind,
    CertificateStatus,
    OperatorRole,
    NoticeChannel,
);

impl Column for RevocationReason {
    fn name(&self) -> String {
        match self {
            Self::KeyCompromise => "key_compromise",
            Self::AffiliationChanged => "affiliation_changed",
            Self::Superseded => "superseded",
            Self::CessationOfOperation => "cessation_of_operation",
        }
        .to_owned()
    }

    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "key_compromise" => Self::KeyCompromise,
            "affiliation_changed" => Self::AffiliationChanged,
            "superseded" => Self::Superseded,
            "cessation_of_operation" => Self::CessationOfOperation,
            _ => return None,
        })
    }
}

/// How an applicant's identity was established: stored as its INTEGER value (the one the
/// certificate carries).
pub fn identification_value(kind: IdentificationKind) -> i64 {
    i64::from(kind.value())
}

/// A stored identification value read back; one no kind has means a damaged row.
pub fn identification_of(value: i64) -> Result<IdentificationKind, StoreError> {
    u8::try_from(value)
        .ok()
        .and_then(IdentificationKind::from_value)
        .ok_or_else(|| StoreError::Corrupt(format!("the stored identification {value}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Column + PartialEq + std::fmt::Debug>(values: &[T]) {
        for v in values {
            let name = v.name();
            assert!(!name.is_empty(), "{v:?} has no name");
            assert_eq!(T::read(&name).ok().as_ref(), Some(v));
        }
    }

    #[test]
    fn every_name_reads_back() {
        use ApplicationStatus as A;
        round_trip(&[
            A::Draft,
            A::DocumentsRequired,
            A::InReview,
            A::Rejected,
            A::Approved,
            A::StatementInReview,
            A::StatementRejected,
            A::ReadyForKey,
            A::AwaitingIdentity,
            A::Issuing,
            A::Issued,
            A::Completed,
        ]);
        use DocumentKind as D;
        round_trip(&[
            D::PassportMain,
            D::PassportRegistration,
            D::Snils,
            D::Inn,
            D::SignedStatementScan,
            D::Other,
        ]);
        round_trip(&[KeyStorageKind::Token, KeyStorageKind::Computer]);
        round_trip(&[
            CertificateStatus::Active,
            CertificateStatus::Superseded,
            CertificateStatus::Revoked,
        ]);
        round_trip(&[OperatorRole::Reviewer, OperatorRole::Officer]);
        round_trip(&[NoticeChannel::Sms, NoticeChannel::Email]);
        round_trip(&[
            RevocationReason::KeyCompromise,
            RevocationReason::AffiliationChanged,
            RevocationReason::Superseded,
            RevocationReason::CessationOfOperation,
        ]);
    }

    #[test]
    fn identification_reads_back_and_nonsense_does_not() {
        for kind in [
            IdentificationKind::InPerson,
            IdentificationKind::RemoteWithQualifiedSignature,
        ] {
            assert_eq!(
                identification_of(identification_value(kind)).ok(),
                Some(kind)
            );
        }
        assert!(matches!(identification_of(7), Err(StoreError::Corrupt(_))));
    }

    #[test]
    fn an_unknown_name_is_a_damaged_row() {
        assert!(matches!(
            ApplicationStatus::read("teleported"),
            Err(StoreError::Corrupt(_))
        ));
    }
}
