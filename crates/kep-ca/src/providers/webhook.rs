//! The generic webhook providers: one JSON POST per request to a URL the CA configures, with an
//! optional bearer token, bounded by a timeout. The contracts (documented in `docs/kep-ca.md`):
//!
//! * telephony — `POST {"phone": "+79…", "request_id": "…"}` → `200 {"caller": "+7 9…"}`; the
//!   caller's last four digits are the login code;
//! * notifications — `POST {"phone": "+79…", "text": "…"}` → any 2xx;
//! * registry — the CA's registry gateway (its СМЭВ adapter): `POST {"snils", "inn", "surname",
//!   "given_name", "patronymic", "birth_date"}` → `200 {"snils": V, "inn": V}`, V being
//!   `"confirmed"`, `"mismatch"` or `"unavailable"` — СФР's word on the СНИЛС, ФНС's on the ИНН.
//!   A missing or other V, a timeout, a 5xx count as that registry not answering; anything but
//!   two confirmations sends the applicant to the documents, with the reason in the timeline.

use super::{ProviderError, ProviderFuture};
use crate::notifier::{Notice, Notifier};
use crate::registry::{Registry, RegistryAnswer, RegistryVerdict};
use crate::telephony::Telephony;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use zeroize::Zeroizing;

/// Why a webhook cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// Plain http to another machine.
    #[error("{0}: a webhook must be https (plain http only to this machine)")]
    NotHttps(reqwest::Url),
    /// The HTTP client could not be built.
    #[error("the HTTP client: {0}")]
    Client(#[source] reqwest::Error),
}

/// Largest answer read from a provider.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;
/// Repeats after a transport error or a 5xx (so at most three attempts).
pub const RETRIES: u32 = 2;
/// Wait before the first repeat; doubled for the next.
const FIRST_BACKOFF: Duration = Duration::from_millis(200);

/// How long a webhook may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebhookTimeouts {
    /// The TCP/TLS connection.
    pub connect: Duration,
    /// The whole answer of one attempt.
    pub answer: Duration,
}

impl Default for WebhookTimeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(3),
            answer: Duration::from_secs(10),
        }
    }
}

/// One webhook endpoint.
pub struct Webhook {
    http: reqwest::Client,
    url: reqwest::Url,
    token: Option<Zeroizing<String>>,
    headers: reqwest::header::HeaderMap,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("url", &self.url.as_str())
            .field("token", &self.token.as_ref().map(|_| "…"))
            .finish()
    }
}

/// Whether one attempt's failure is worth repeating (the provider may well answer the next).
fn repeatable(e: &ProviderError) -> bool {
    matches!(e, ProviderError::Unreachable(_))
        || matches!(e, ProviderError::Status(status) if *status >= 500)
}

impl Webhook {
    /// The endpoint at `url` (https, or http to loopback), called with `token` as a bearer
    /// token, within `timeouts`.
    pub fn new(
        url: reqwest::Url,
        token: Option<Zeroizing<String>>,
        timeouts: WebhookTimeouts,
    ) -> Result<Self, WebhookError> {
        let loopback = url.host_str().is_some_and(super::is_loopback);
        if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
            return Err(WebhookError::NotHttps(url));
        }
        crate::tls::install_ring_provider();
        let http = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.answer)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("kep-ca/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(WebhookError::Client)?;
        Ok(Self {
            http,
            url,
            token,
            headers: reqwest::header::HeaderMap::new(),
        })
    }

    /// The same endpoint, with `name: value` on every request (a provider's client id, say).
    pub fn with_header(
        mut self,
        name: reqwest::header::HeaderName,
        value: reqwest::header::HeaderValue,
    ) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// POSTs `body` (JSON), repeating after a transport error or a 5xx at most [`RETRIES`]
    /// times; answers the JSON answer, None for an empty one.
    pub(crate) async fn post<T: Serialize, A: serde::de::DeserializeOwned>(
        &self,
        body: &T,
    ) -> Result<Option<A>, ProviderError> {
        let mut backoff = FIRST_BACKOFF;
        let mut attempt = 0;
        loop {
            match self.post_once(body).await {
                Err(e) if repeatable(&e) && attempt < RETRIES => {
                    attempt += 1;
                    tokio::time::sleep(backoff).await;
                    backoff *= 2;
                }
                other => return other,
            }
        }
    }

    async fn post_once<T: Serialize, A: serde::de::DeserializeOwned>(
        &self,
        body: &T,
    ) -> Result<Option<A>, ProviderError> {
        let mut request = self
            .http
            .post(self.url.clone())
            .headers(self.headers.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .json(body);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token.as_str());
        }
        let mut response = request
            .send()
            .await
            .map_err(|e| ProviderError::Unreachable(e.without_url().to_string()))?;
        let status = response.status();
        match status.as_u16() {
            401 | 403 => return Err(ProviderError::Credentials(status.as_u16())),
            429 => {
                let retry_after_s = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse().ok());
                return Err(ProviderError::RateLimited { retry_after_s });
            }
            _ if !status.is_success() => return Err(ProviderError::Status(status.as_u16())),
            _ => {}
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| ProviderError::Unreachable(e.without_url().to_string()))?
        {
            if bytes.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(ProviderError::Contract(format!(
                    "the answer is over {MAX_ANSWER_BYTES} bytes"
                )));
            }
            bytes.extend_from_slice(&chunk);
        }
        if bytes.is_empty() {
            return Ok(None);
        }
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| ProviderError::Contract(e.to_string()))
    }
}

#[derive(Serialize)]
struct CallRequest<'a> {
    phone: &'a str,
    request_id: &'a str,
}

#[derive(Deserialize)]
struct CallAnswer {
    caller: String,
}

/// Telephony through a webhook.
#[derive(Debug)]
pub struct WebhookTelephony(pub Webhook);

impl Telephony for WebhookTelephony {
    fn call<'a>(
        &'a self,
        phone: &'a str,
        request_id: &'a str,
    ) -> ProviderFuture<'a, Result<String, ProviderError>> {
        Box::pin(async move {
            let answer: Option<CallAnswer> =
                self.0.post(&CallRequest { phone, request_id }).await?;
            let caller = answer
                .ok_or_else(|| ProviderError::Contract("no caller in the answer".into()))?
                .caller;
            if caller.chars().filter(char::is_ascii_digit).count() < 4 {
                return Err(ProviderError::Contract(
                    "the caller has fewer than four digits".into(),
                ));
            }
            Ok(caller)
        })
    }
}

#[derive(Serialize)]
struct Message<'a> {
    phone: &'a str,
    text: &'a str,
}

/// Notifications (SMS or e-mail behind the CA's gateway) through a webhook.
#[derive(Debug)]
pub struct WebhookNotifier(pub Webhook);

impl Notifier for WebhookNotifier {
    fn notify<'a>(
        &'a self,
        phone: &'a str,
        notice: &'a Notice,
    ) -> ProviderFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            self.0
                .post::<_, serde_json::Value>(&Message {
                    phone,
                    text: &notice.text,
                })
                .await
                .map(drop)
        })
    }
}

#[derive(Serialize)]
struct Check<'a> {
    snils: &'a str,
    inn: &'a str,
    surname: &'a str,
    given_name: &'a str,
    patronymic: &'a str,
    birth_date: String,
}

#[derive(Deserialize)]
struct Verdicts {
    snils: Option<String>,
    inn: Option<String>,
}

fn verdict(answer: Option<&str>) -> RegistryVerdict {
    match answer {
        Some("confirmed") => RegistryVerdict::Confirmed,
        Some("mismatch") => RegistryVerdict::Mismatch,
        _ => RegistryVerdict::Unavailable,
    }
}

/// The registries (СФР, ФНС — through the CA's СМЭВ gateway) through a webhook.
#[derive(Debug)]
pub struct WebhookRegistry(pub Webhook);

impl Registry for WebhookRegistry {
    fn check<'a>(
        &'a self,
        requisites: &'a kep_pki::Requisites,
    ) -> ProviderFuture<'a, RegistryAnswer> {
        Box::pin(async move {
            let input = requisites.to_input();
            let body = Check {
                snils: &input.snils,
                inn: &input.inn,
                surname: &input.surname,
                given_name: &input.given_name,
                patronymic: &input.patronymic,
                birth_date: input.birth_date.clone(),
            };
            match self.0.post::<_, Verdicts>(&body).await {
                Ok(Some(v)) => RegistryAnswer {
                    snils: verdict(v.snils.as_deref()),
                    inn: verdict(v.inn.as_deref()),
                },
                Ok(None) => RegistryAnswer::both(RegistryVerdict::Unavailable),
                Err(e) => {
                    crate::metrics::METRICS.provider_failed("registry");
                    tracing::warn!(error = %e, "the registry gateway did not answer");
                    RegistryAnswer::both(RegistryVerdict::Unavailable)
                }
            }
        })
    }
}
