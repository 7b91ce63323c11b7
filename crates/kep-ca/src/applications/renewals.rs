//! «Обновить сертификат» from the app's home: the applicant names a certificate and gets the
//! application that renews it. One this CA issued to this applicant opens (or reopens, while
//! one is under way) a renewal of that certificate, pre-filled with the latest requisites; one
//! this CA did not issue opens a new application for a new certificate (the app says so).
//! Someone else's certificate of this CA is refused.

use super::applicant::{ApplicantError, ApplicantService};
use crate::store::Store;
use der::{Decode, Encode};
use kep_protocol::application::{ApplicationStatus, ApplicationView};

/// An application still on its way (a renewal asked again returns it instead of a second).
fn under_way(status: ApplicationStatus) -> bool {
    !matches!(
        status,
        ApplicationStatus::Completed | ApplicationStatus::Rejected
    )
}

impl<S: Store> ApplicantService<S> {
    /// The application renewing the certificate `der` for `applicant_id`.
    pub async fn renew(
        &self,
        applicant_id: i64,
        der: &[u8],
    ) -> Result<ApplicationView, ApplicantError> {
        let certificate =
            x509_cert::Certificate::from_der(der).map_err(ApplicantError::NotACertificate)?;
        let serial = crate::serial::serial_hex(certificate.tbs_certificate().serial_number());
        let store = &self.records.store;
        let ours = store
            .certificate(&serial)
            .await
            .map_err(super::RecordError::from)?;
        // Issued here means: this serial, and these very bytes.
        let renews = match ours {
            Some(row) if certificate.to_der().is_ok_and(|d| d == row.der) => {
                if row.applicant_id != applicant_id {
                    return Err(ApplicantError::NotYourCertificate);
                }
                Some(serial)
            }
            _ => None,
        };
        let rows = store
            .applications_of(applicant_id)
            .await
            .map_err(super::RecordError::from)?;
        let open = rows
            .iter()
            .rev()
            .find(|row| under_way(row.status) && row.renews_serial == renews)
            .map(|row| row.id);
        let id = match open {
            Some(id) => id,
            None => {
                self.records
                    .open_renewal(applicant_id, "applicant", renews.as_deref())
                    .await?
            }
        };
        let (view, _) = self.records.view(applicant_id, id).await?;
        Ok(view)
    }
}
