//! The typed client of the CA's API (kep-ca): login, applications, documents. Idempotent calls
//! (GET, PUT, DELETE) are retried with backoff on transport failures and 5xx answers; a POST is
//! retried only when it carries an idempotency key ([`CaClient::keyed`]): the CA then answers a
//! repeat with its first answer, so nothing happens twice. Every failure arrives as a
//! [`CaError`]: the CA's own refusal, or what went wrong on the way. The client
//! bounds connections only; the caller bounds whole actions (`crate::action`).

use crate::endpoint::CaEndpoint;
use kep_protocol::application::{ApplicationView, DocumentInfo, DocumentKind};
use kep_protocol::auth::{CodeRequest, CodeRequested, CodeVerification, SessionIssued};
use kep_protocol::{ApiError, RequisitesInput};

pub use crate::ca_error::CaError;
use reqwest::{Method, RequestBuilder, StatusCode};
use std::time::Duration;

/// Attempts of an idempotent call.
pub const ATTEMPTS: u32 = 3;
/// Delay before the first retry; doubled for each next one.
pub const FIRST_BACKOFF: Duration = Duration::from_millis(200);

pub use crate::messages_ru::CA_UNREACHABLE;

/// A polled resource: unchanged since the ETag given, or its new state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Polled<T> {
    /// 304: nothing changed.
    NotModified,
    /// The current state and its ETag.
    Changed {
        /// The state.
        value: T,
        /// Its ETag, for the next poll.
        etag: String,
    },
}

/// A client of one CA, optionally with a session.
#[derive(Debug, Clone)]
pub struct CaClient {
    http: reqwest::Client,
    endpoint: CaEndpoint,
    token: Option<String>,
    idempotency_key: Option<String>,
}

/// The header that makes a POST safe to repeat.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

/// A fresh idempotency key: 128 random bits, hex.
pub fn new_idempotency_key() -> Result<String, CaError> {
    let mut bytes = [0u8; 16];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).map_err(|e| {
        CaError::Setup(format!(
            "no idempotency key: the OS random number generator: {e}"
        ))
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl CaClient {
    /// A client of `endpoint` without a session (connections bounded by the default deadline).
    pub fn new(endpoint: CaEndpoint) -> Result<Self, CaError> {
        Self::with_connect_timeout(endpoint, crate::action::Deadlines::default().connect)
    }

    /// A client of `endpoint` whose connections give up after `connect`.
    pub fn with_connect_timeout(endpoint: CaEndpoint, connect: Duration) -> Result<Self, CaError> {
        let http = crate::http::build_http_client_trusting(connect, endpoint.extra_roots())
            .map_err(|e| CaError::Setup(e.to_string()))?;
        Ok(Self {
            http,
            endpoint,
            token: None,
            idempotency_key: None,
        })
    }

    /// The same client without the session (the connection pool is shared).
    pub fn without_token(&self) -> Self {
        Self {
            token: None,
            idempotency_key: None,
            ..self.clone()
        }
    }

    /// The same client whose POSTs carry `key`: safe to retry, answered once.
    pub fn keyed(&self, key: &str) -> Self {
        Self {
            idempotency_key: Some(key.to_owned()),
            ..self.clone()
        }
    }

    /// The same client with a session token.
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Whether a session token is set.
    pub fn has_session(&self) -> bool {
        self.token.is_some()
    }

    fn request(&self, method: Method, path: &str) -> Result<RequestBuilder, CaError> {
        let url = self
            .endpoint
            .join(path)
            .map_err(|e| CaError::Setup(format!("the address {path}: {e}")))?;
        let post = method == Method::POST;
        let mut request = self.http.request(method, url);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let (true, Some(key)) = (post, &self.idempotency_key) {
            request = request.header(IDEMPOTENCY_KEY, key);
        }
        Ok(request)
    }

    /// Sends, retrying idempotent methods on transport errors and 5xx.
    async fn send(
        &self,
        method: Method,
        path: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<reqwest::Response, CaError> {
        let idempotent = matches!(
            method,
            Method::GET | Method::PUT | Method::DELETE | Method::HEAD
        );
        self.send_with(method, path, idempotent, build).await
    }

    /// Sends, retrying when `idempotent` (a POST the CA answers the same way when repeated, such
    /// as the identical certificate request, may say so).
    pub(crate) async fn send_with(
        &self,
        method: Method,
        path: &str,
        idempotent: bool,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<reqwest::Response, CaError> {
        let keyed = method == Method::POST && self.idempotency_key.is_some();
        let attempts = if idempotent || keyed { ATTEMPTS } else { 1 };
        let mut backoff = FIRST_BACKOFF;
        for attempt in 1..=attempts {
            let started = std::time::Instant::now();
            let result = build(self.request(method.clone(), path)?).send().await;
            logged_call(&method, path, &result, started, attempt);
            let retry = match &result {
                Ok(response) => {
                    response.status().is_server_error()
                        && response.status() != StatusCode::NOT_IMPLEMENTED
                }
                Err(e) => e.is_connect() || e.is_timeout() || e.is_request(),
            };
            if retry && attempt < attempts {
                tokio::time::sleep(backoff).await;
                backoff *= 2;
                continue;
            }
            return result.map_err(CaError::Unreachable);
        }
        Err(CaError::Setup("no attempt was made".into()))
    }

    /// The body as `T`, or the CA's `{kind, message}`.
    pub(crate) async fn answer<T: serde::de::DeserializeOwned>(
        response: reqwest::Response,
    ) -> Result<T, CaError> {
        if response.status().is_success() {
            response
                .json()
                .await
                .map_err(|e| CaError::Unreadable(e.to_string()))
        } else {
            Err(Self::error(response).await)
        }
    }

    pub(crate) async fn error(response: reqwest::Response) -> CaError {
        let status = response.status();
        match response.json::<ApiError>().await {
            Ok(error) => CaError::Refused(error),
            Err(_) if status.is_server_error() => CaError::Failed(status),
            Err(e) => CaError::Unreadable(format!("{status}: {e}")),
        }
    }

    /// Asks the CA to call `phone`.
    pub async fn request_code(&self, phone: &str) -> Result<CodeRequested, CaError> {
        let body = CodeRequest {
            phone: phone.to_owned(),
        };
        Self::answer(
            self.send(Method::POST, "api/v1/auth/code", |r| r.json(&body))
                .await?,
        )
        .await
    }

    /// Sends the four digits; on success the returned client carries the session.
    pub async fn verify_code(
        &self,
        phone: &str,
        code: &str,
    ) -> Result<(Self, SessionIssued), CaError> {
        let body = CodeVerification {
            phone: phone.to_owned(),
            code: code.to_owned(),
        };
        let session: SessionIssued = Self::answer(
            self.send(Method::POST, "api/v1/auth/verify", |r| r.json(&body))
                .await?,
        )
        .await?;
        Ok((self.clone().with_token(session.token.clone()), session))
    }

    /// The applicant's applications.
    pub async fn applications(&self) -> Result<Vec<ApplicationView>, CaError> {
        Self::answer(self.send(Method::GET, "api/v1/applications", |r| r).await?).await
    }

    /// One application; with `etag`, an unchanged one answers [`Polled::NotModified`].
    pub async fn application(
        &self,
        id: i64,
        etag: Option<&str>,
    ) -> Result<Polled<ApplicationView>, CaError> {
        let path = format!("api/v1/applications/{id}");
        let response = self
            .send(Method::GET, &path, |r| match etag {
                Some(tag) => r.header(reqwest::header::IF_NONE_MATCH, tag),
                None => r,
            })
            .await?;
        if response.status() == StatusCode::NOT_MODIFIED {
            return Ok(Polled::NotModified);
        }
        let etag = response
            .headers()
            .get(reqwest::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        Ok(Polled::Changed {
            value: Self::answer(response).await?,
            etag,
        })
    }

    /// Saves the requisites.
    pub async fn save_requisites(
        &self,
        id: i64,
        requisites: &RequisitesInput,
    ) -> Result<ApplicationView, CaError> {
        let path = format!("api/v1/applications/{id}/requisites");
        Self::answer(
            self.send(Method::PUT, &path, |r| r.json(requisites))
                .await?,
        )
        .await
    }

    /// Sends the application.
    pub async fn submit(&self, id: i64) -> Result<ApplicationView, CaError> {
        let path = format!("api/v1/applications/{id}/submit");
        Self::answer(self.send(Method::POST, &path, |r| r).await?).await
    }

    /// Uploads a document.
    pub async fn upload(
        &self,
        id: i64,
        kind: DocumentKind,
        bytes: Vec<u8>,
    ) -> Result<DocumentInfo, CaError> {
        let kind = serde_json::to_value(kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let path = format!("api/v1/applications/{id}/documents?kind={kind}");
        Self::answer(
            self.send(Method::POST, &path, |r| r.body(bytes.clone()))
                .await?,
        )
        .await
    }

    /// Uploads a document, reporting (bytes sent, total) as the body goes out in 64 KiB chunks.
    /// Not retried here (the body is a stream); with [`keyed`](Self::keyed) the caller may simply
    /// upload again and the CA keeps one copy.
    pub async fn upload_with_progress(
        &self,
        id: i64,
        kind: DocumentKind,
        bytes: Vec<u8>,
        progress: std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>,
    ) -> Result<DocumentInfo, CaError> {
        const CHUNK: usize = 64 * 1024;
        let kind = serde_json::to_value(kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let path = format!("api/v1/applications/{id}/documents?kind={kind}");
        let total = bytes.len() as u64;
        let bytes = bytes::Bytes::from(bytes);
        let chunks: Vec<bytes::Bytes> = (0..bytes.len())
            .step_by(CHUNK)
            .map(|start| bytes.slice(start..(start + CHUNK).min(bytes.len())))
            .collect();
        let mut sent = 0u64;
        let stream = futures_util::stream::iter(chunks.into_iter().map(move |chunk| {
            sent += chunk.len() as u64;
            progress(sent, total);
            Ok::<_, std::io::Error>(chunk)
        }));
        let started = std::time::Instant::now();
        let result = self
            .request(Method::POST, &path)?
            .header(reqwest::header::CONTENT_LENGTH, total)
            .body(reqwest::Body::wrap_stream(stream))
            .send()
            .await;
        logged_call(&Method::POST, &path, &result, started, 1);
        let response = result.map_err(CaError::Unreachable)?;
        Self::answer(response).await
    }

    /// Ends the session at the CA.
    pub async fn logout(&self) -> Result<(), CaError> {
        let response = self.send(Method::POST, "api/v1/auth/logout", |r| r).await?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(Self::error(response).await)
        }
    }

    /// Deletes a document.
    pub async fn delete_document(&self, id: i64, document: i64) -> Result<(), CaError> {
        let path = format!("api/v1/applications/{id}/documents/{document}");
        let response = self.send(Method::DELETE, &path, |r| r).await?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(Self::error(response).await)
        }
    }
}

/// One line in the app's log per CA call: method, route (the path without its query), status
/// or the transport error, duration and attempt. Bodies and headers — where codes, tokens and
/// requisites travel — are never logged.
fn logged_call(
    method: &Method,
    path: &str,
    result: &Result<reqwest::Response, reqwest::Error>,
    started: std::time::Instant,
    attempt: u32,
) {
    let route = path.split('?').next().unwrap_or_default();
    let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    match result {
        Ok(response) => tracing::info!(
            %method,
            route,
            status = response.status().as_u16(),
            ms,
            attempt,
            "CA call"
        ),
        Err(e) => tracing::warn!(
            %method,
            route,
            error = %e,
            ms,
            attempt,
            "CA call failed"
        ),
    }
}
