//! The flash call through Plusofon, written against its published FlashCall REST API
//! (<https://help.plusofon.ru/API/v1/FlashCall>, the `api/v1/flash-call/send` method of
//! `https://restapi.plusofon.ru`): `POST` with `Authorization: Bearer <the Flash Call account's
//! access_token>`, the `Client` header (the API's client id, 10553 for every customer) and
//! `{"phone": "79991234567"}` (digits, no `+`); the answer is `{"success": true, "data":
//! {"key": "…", "pin": "1234"}}`. The account must have «return_pin» and «same_pin_phone» on,
//! so that the `pin` comes back and equals the calling number's last four digits — the code the
//! applicant types, as with every provider. Anything else (`success: false`, no pin) breaks the
//! contract; credentials, rate limits, timeouts and repeats are the webhook client's.

use super::webhook::Webhook;
use super::{ProviderError, ProviderFuture};
use crate::telephony::Telephony;
use serde::{Deserialize, Serialize};

/// Plusofon's API address of the send method.
pub const SEND_URL: &str = "https://restapi.plusofon.ru/api/v1/flash-call/send";
/// The `Client` header Plusofon's documentation gives for every request.
pub const DEFAULT_CLIENT_ID: &str = "10553";

#[derive(Serialize)]
struct Send<'a> {
    phone: &'a str,
}

#[derive(Deserialize)]
struct Answer {
    success: Option<bool>,
    data: Option<Sent>,
    message: Option<String>,
}

#[derive(Deserialize)]
struct Sent {
    pin: Option<serde_json::Value>,
}

/// The flash call through Plusofon.
#[derive(Debug)]
pub struct PlusofonTelephony(Webhook);

impl PlusofonTelephony {
    /// Plusofon at `endpoint` (a [`Webhook`] to [`SEND_URL`] with the access token), sending
    /// `client_id` in the `Client` header.
    pub fn new(endpoint: Webhook, client_id: &str) -> Result<Self, ProviderError> {
        let value = reqwest::header::HeaderValue::from_str(client_id)
            .map_err(|e| ProviderError::Contract(format!("the client id: {e}")))?;
        Ok(Self(endpoint.with_header(
            reqwest::header::HeaderName::from_static("client"),
            value,
        )))
    }
}

impl Telephony for PlusofonTelephony {
    fn call<'a>(
        &'a self,
        phone: &'a str,
        _request_id: &'a str,
    ) -> ProviderFuture<'a, Result<String, ProviderError>> {
        Box::pin(async move {
            let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
            let answer: Answer = self
                .0
                .post(&Send { phone: &digits })
                .await?
                .ok_or_else(|| ProviderError::Contract("an empty answer".into()))?;
            if answer.success == Some(false) {
                return Err(ProviderError::Contract(format!(
                    "success: false ({})",
                    answer.message.as_deref().unwrap_or("no message")
                )));
            }
            let pin = match answer.data.and_then(|d| d.pin) {
                Some(serde_json::Value::String(pin)) => pin,
                Some(serde_json::Value::Number(pin)) => format!("{:0>4}", pin.to_string()),
                _ => {
                    return Err(ProviderError::Contract(
                        "no pin in the answer: turn on «return_pin» for the Flash Call account"
                            .into(),
                    ));
                }
            };
            if pin.len() != 4 || !pin.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ProviderError::Contract("the pin is not four digits".into()));
            }
            // The pin is the calling number's last four digits: it stands for the caller.
            Ok(pin)
        })
    }
}
