//! Expiry reminders: at 60, 30, 14, 7 and 1 days before a certificate ends, one desktop
//! notification per threshold and certificate — never the same one twice, across restarts (the
//! thresholds already told are kept in `reminders.json` in the data folder, by thumbprint). A
//! certificate already replaced or revoked is not reminded of; nor is one already expired (the
//! home says so).

use kep_protocol::certificate::CertificateStatus;
use kep_protocol::my_certificates::MyCertificate;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The days before the end at which a reminder is due, widest first.
pub const THRESHOLDS: [i64; 5] = [60, 30, 14, 7, 1];

/// One notification to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// Its title.
    pub title: String,
    /// Its text.
    pub body: String,
}

/// The thresholds told so far, by thumbprint: the narrowest one told.
#[derive(Debug, Clone)]
pub struct RemindersFile {
    path: PathBuf,
}

/// The narrowest threshold `days_left` has reached, if any.
fn reached(days_left: i64) -> Option<i64> {
    THRESHOLDS.iter().copied().rfind(|t| days_left <= *t)
}

impl RemindersFile {
    /// `reminders.json` in `data_dir`.
    pub fn new(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join("reminders.json"),
        }
    }

    fn told(&self) -> BTreeMap<String, i64> {
        std::fs::read(&self.path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// The reminders due for `certificates` now, each recorded as told. When the record
    /// cannot be written the reminders are still given (a repeat tomorrow beats a silence).
    pub fn due(&self, certificates: &[MyCertificate]) -> Vec<Reminder> {
        let mut told = self.told();
        let mut due = Vec::new();
        for certificate in certificates {
            let summary = &certificate.summary;
            if summary.days_left < 0
                || matches!(
                    certificate.status,
                    CertificateStatus::Revoked { .. } | CertificateStatus::Superseded { .. }
                )
            {
                continue;
            }
            let Some(threshold) = reached(summary.days_left) else {
                continue;
            };
            let before = told.get(&summary.thumbprint).copied();
            if before.is_some_and(|b| b <= threshold) {
                continue;
            }
            told.insert(summary.thumbprint.clone(), threshold);
            due.push(Reminder {
                title: crate::messages_ru::REMINDER_TITLE.to_owned(),
                body: crate::messages_ru::reminder(&summary.owner, summary.days_left),
            });
        }
        if !due.is_empty() {
            let written = serde_json::to_vec_pretty(&told)
                .map_err(std::io::Error::other)
                .and_then(|bytes| kep_private_file::write(&self.path, &bytes));
            if let Err(error) = written {
                tracing::warn!(%error, "the reminders told could not be recorded");
            }
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kep_protocol::certificate::{CertificateSummary, StatusSource};
    use kep_protocol::my_certificates::{CertificatePlace, ExpiryMark};

    fn certificate(thumbprint: &str, days_left: i64, status: CertificateStatus) -> MyCertificate {
        MyCertificate {
            id: format!("computer:{thumbprint}"),
            summary: CertificateSummary {
                owner: "Иванов Иван Иванович".into(),
                snils: None,
                inn: None,
                issuer: "УЦ".into(),
                serial: "01".into(),
                not_before: String::new(),
                not_after: String::new(),
                days_left,
                key_algorithm: String::new(),
                param_set: None,
                thumbprint: thumbprint.into(),
                subject_sign_tool: None,
                identification_kind: None,
                qualified: true,
            },
            place: CertificatePlace::Computer,
            status,
            expiry: ExpiryMark::for_days(days_left),
            renewable: true,
            removable: false,
            can_sign: false,
            record: None,
        }
    }

    fn valid() -> CertificateStatus {
        CertificateStatus::Valid {
            source: StatusSource::Ocsp,
            checked_at: String::new(),
        }
    }

    #[test]
    fn each_threshold_once_per_certificate_across_restarts() {
        let dir = std::env::temp_dir().join(format!("kep-reminders-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let file = RemindersFile::new(&dir);
        // 45 days: the 60-day reminder, once.
        let due = file.due(&[certificate("A", 45, valid())]);
        assert_eq!(due.len(), 1);
        assert!(due[0].body.contains("осталось 45 дней."), "{due:?}");
        assert!(file.due(&[certificate("A", 44, valid())]).is_empty());
        // Read again from the file (a restart): still told.
        assert!(
            RemindersFile::new(&dir)
                .due(&[certificate("A", 40, valid())])
                .is_empty()
        );
        // 30 days: the next one; skipping straight to 5 days gives one reminder, not three.
        assert_eq!(file.due(&[certificate("A", 30, valid())]).len(), 1);
        assert_eq!(file.due(&[certificate("A", 5, valid())]).len(), 1);
        assert!(file.due(&[certificate("A", 3, valid())]).is_empty());
        assert_eq!(file.due(&[certificate("A", 1, valid())]).len(), 1);
        // Far from the end, expired, replaced or revoked: nothing.
        let quiet = [
            certificate("B", 200, valid()),
            certificate("C", -3, CertificateStatus::Expired),
            certificate(
                "D",
                10,
                CertificateStatus::Superseded {
                    revoked_at: String::new(),
                },
            ),
            certificate(
                "E",
                10,
                CertificateStatus::Revoked {
                    revoked_at: String::new(),
                    reason: None,
                },
            ),
        ];
        assert!(file.due(&quiet).is_empty());
        // A status that could not be learnt still reminds (the end date is certain).
        let unchecked = CertificateStatus::Unchecked {
            reason: String::new(),
        };
        assert_eq!(file.due(&[certificate("F", 7, unchecked)]).len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
