//! A console form's fields, or — when the body is not the form a console page sends — a page
//! that says so (not the API's JSON refusal).

use super::refusal::Refusal;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

/// `application/x-www-form-urlencoded` fields of type `T`.
pub struct ConsoleForm<T>(pub T);

impl<T, S> FromRequest<S> for ConsoleForm<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Refusal;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Form::<T>::from_request(request, state)
            .await
            .map(|axum::Form(fields)| Self(fields))
            .map_err(|e| {
                tracing::info!(error = %e, "a console form did not read");
                Refusal::Malformed
            })
    }
}
