//! `ApiError` as an HTTP response: the same `{kind, message}` body as over IPC, with the status
//! its kind implies.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kep_protocol::{ApiError, ErrorKind};

/// The HTTP status for an error kind.
pub fn status(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::InvalidInput | ErrorKind::CodeWrong | ErrorKind::CodeExpired => {
            StatusCode::BAD_REQUEST
        }
        ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict | ErrorKind::KeyReused => StatusCode::CONFLICT,
        ErrorKind::SignatureRejected => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        // Never sent by the service; 499 is what proxies log for a client that gave up.
        ErrorKind::Cancelled => StatusCode::from_u16(499).unwrap_or(StatusCode::BAD_REQUEST),
        ErrorKind::RateLimited | ErrorKind::CodeAttemptsExhausted => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::Network => StatusCode::BAD_GATEWAY,
        ErrorKind::Io | ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// An error response.
#[derive(Debug)]
pub struct HttpError(pub ApiError);

impl From<ApiError> for HttpError {
    fn from(e: ApiError) -> Self {
        Self(e)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        (status(self.0.kind), Json(self.0)).into_response()
    }
}

/// A JSON body whose rejections (malformed JSON, wrong content type, too large) come back in the
/// `{kind, message}` shape like every other error.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = HttpError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::JsonRejection;
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(JsonRejection::BytesRejection(e))
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(HttpError(ApiError::new(
                    ErrorKind::TooLarge,
                    "Слишком большой запрос.",
                )))
            }
            Err(_) => Err(HttpError(ApiError::new(
                ErrorKind::InvalidInput,
                "Неверный формат запроса.",
            ))),
        }
    }
}
