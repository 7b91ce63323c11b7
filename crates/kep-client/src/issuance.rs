//! The CA's API for stages 3–6: the statement and its two signing paths, the certificate request,
//! the certificate and its chain, and the report that it was installed.

use crate::ca::{CaClient, CaError};
use kep_protocol::application::{ApplicationView, KeyStorageKind};
use reqwest::Method;

impl CaClient {
    async fn binary(&self, path: &str) -> Result<Vec<u8>, CaError> {
        let response = self.send_with(Method::GET, path, true, |r| r).await?;
        if response.status().is_success() {
            Ok(response
                .bytes()
                .await
                .map_err(CaError::Unreachable)?
                .to_vec())
        } else {
            Err(Self::error(response).await)
        }
    }

    /// The statement PDF exactly as the CA stored it (sign these bytes).
    pub async fn statement_pdf(&self, id: i64) -> Result<Vec<u8>, CaError> {
        self.binary(&format!("api/v1/applications/{id}/statement"))
            .await
    }

    /// Path (a): the detached CMS signature over the statement, made with the current КЭП.
    /// The CA checks it over its stored bytes; sending the same signature again is harmless.
    pub async fn sign_statement(&self, id: i64, cms: Vec<u8>) -> Result<ApplicationView, CaError> {
        let path = format!("api/v1/applications/{id}/statement/signature");
        Self::answer(
            self.send_with(Method::POST, &path, false, |r| {
                r.header(reqwest::header::CONTENT_TYPE, "application/pkcs7-signature")
                    .body(cms.clone())
            })
            .await?,
        )
        .await
    }

    /// Path (b): the uploaded scan of the hand-signed statement goes to the operator.
    pub async fn submit_statement_scan(&self, id: i64) -> Result<ApplicationView, CaError> {
        let path = format!("api/v1/applications/{id}/statement/scan");
        Self::answer(self.send_with(Method::POST, &path, false, |r| r).await?).await
    }

    /// The certificate request (PKCS#10 DER) for a key kept in `storage`. Retried on transport
    /// failures: the CA answers the identical request with the same result (and finishes an
    /// issuance it was interrupted in).
    pub async fn send_request(
        &self,
        id: i64,
        der: Vec<u8>,
        storage: KeyStorageKind,
    ) -> Result<ApplicationView, CaError> {
        let storage = match storage {
            KeyStorageKind::Token => "token",
            KeyStorageKind::Computer => "computer",
        };
        let path = format!("api/v1/applications/{id}/request?storage={storage}");
        Self::answer(
            self.send_with(Method::POST, &path, true, |r| {
                r.header(reqwest::header::CONTENT_TYPE, "application/pkcs10")
                    .body(der.clone())
            })
            .await?,
        )
        .await
    }

    /// The CA's current CRL of the certificates it issued (public).
    pub async fn issuing_crl(&self) -> Result<Vec<u8>, CaError> {
        self.binary("crl/issuing.crl").await
    }

    /// «Обновить сертификат»: the application renewing `certificate` (DER) — or, for one this
    /// CA did not issue, an application for a new certificate. Safe to repeat: the CA answers
    /// the application already under way.
    pub async fn renew(&self, certificate: Vec<u8>) -> Result<ApplicationView, CaError> {
        Self::answer(
            self.send_with(Method::POST, "api/v1/renewals", true, |r| {
                r.header(reqwest::header::CONTENT_TYPE, "application/pkix-cert")
                    .body(certificate.clone())
            })
            .await?,
        )
        .await
    }

    /// The CA's root and issuing CA certificates (DER, public): the anchors the app builds
    /// chains from.
    pub async fn ca_certificates(&self) -> Result<(Vec<u8>, Vec<u8>), CaError> {
        Ok((
            self.binary("ca/root.crt").await?,
            self.binary("ca/issuing.crt").await?,
        ))
    }

    /// An uploaded document's bytes.
    pub async fn document(&self, id: i64, document: i64) -> Result<Vec<u8>, CaError> {
        self.binary(&format!("api/v1/applications/{id}/documents/{document}"))
            .await
    }

    /// The issued certificate, DER.
    pub async fn certificate(&self, id: i64) -> Result<Vec<u8>, CaError> {
        self.binary(&format!("api/v1/applications/{id}/certificate"))
            .await
    }

    /// The issued certificate with the CA's chain, PEM (leaf first).
    pub async fn certificate_chain(&self, id: i64) -> Result<String, CaError> {
        let bytes = self
            .binary(&format!("api/v1/applications/{id}/chain"))
            .await?;
        String::from_utf8(bytes).map_err(|e| CaError::Unreadable(e.to_string()))
    }

    /// Stage 6 done: the certificate is installed; the CA records the old one as superseded.
    pub async fn installed(&self, id: i64) -> Result<ApplicationView, CaError> {
        let path = format!("api/v1/applications/{id}/installed");
        // Repeating it changes nothing at the CA: safe to retry.
        Self::answer(self.send_with(Method::POST, &path, true, |r| r).await?).await
    }
}
