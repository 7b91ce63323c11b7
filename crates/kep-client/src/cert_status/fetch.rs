//! One bounded fetch of a status source: http(s) only, no redirects (set on the client), the
//! answer read up to a cap and no further, within the time left.

use super::StatusError;
use futures_util::StreamExt;
use std::time::Instant;

/// What to send.
pub(super) enum Ask<'a> {
    /// GET (a CRL).
    Get,
    /// POST an OCSP request.
    Ocsp(&'a [u8]),
}

/// Whether `url` is one this client fetches at all.
pub(super) fn fetchable(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
}

/// Fetches `url` with at most `cap` bytes of answer, before `deadline`.
pub(super) async fn fetch(
    http: &reqwest::Client,
    url: &str,
    ask: Ask<'_>,
    cap: usize,
    deadline: Instant,
) -> Result<Vec<u8>, StatusError> {
    let left = deadline.saturating_duration_since(Instant::now());
    tokio::time::timeout(left, fetch_unbounded(http, url, ask, cap))
        .await
        .map_err(StatusError::Timeout)?
}

async fn fetch_unbounded(
    http: &reqwest::Client,
    url: &str,
    ask: Ask<'_>,
    cap: usize,
) -> Result<Vec<u8>, StatusError> {
    let request = match ask {
        Ask::Get => http.get(url),
        Ask::Ocsp(body) => http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/ocsp-request")
            .body(body.to_vec()),
    };
    let unreachable = |e: reqwest::Error| StatusError::Unreachable {
        url: url.to_owned(),
        cause: crate::cause::error_chain(&e),
    };
    let response = request.send().await.map_err(unreachable)?;
    if response.status() != reqwest::StatusCode::OK {
        return Err(StatusError::Http {
            url: url.to_owned(),
            status: response.status().as_u16(),
        });
    }
    let too_large = || StatusError::TooLarge {
        url: url.to_owned(),
        limit: cap,
    };
    if response
        .content_length()
        .is_some_and(|length| length > cap as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(unreachable)?;
        if body.len() + chunk.len() > cap {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
