//! The HTTP client every CA call goes through: rustls with ring, bounded connections. Whole
//! actions are bounded by their caller (`crate::action`); the backstop only ends a request
//! nobody bounds.

use std::time::Duration;

/// The longest any request may take when nobody bounds it (an upload of 10 MiB at the slowest
/// rate still waited for fits).
pub const BACKSTOP: Duration = Duration::from_secs(600);

#[derive(Debug, thiserror::Error)]
pub enum HttpClientError {
    #[error("the HTTP client could not be built: {0}")]
    Build(#[source] reqwest::Error),
}

/// Builds the client used for all CA calls. Installs the ring TLS provider first if the process
/// has none yet, so that a caller that forgot cannot end up without TLS.
pub fn build_http_client() -> Result<reqwest::Client, HttpClientError> {
    build_http_client_with(crate::action::Deadlines::default().connect)
}

/// [`build_http_client`] whose connections give up after `connect`.
pub fn build_http_client_with(connect: Duration) -> Result<reqwest::Client, HttpClientError> {
    build_http_client_trusting(connect, &[])
}

/// [`build_http_client_with`], also trusting the root certificates `extra_roots` (DER).
pub fn build_http_client_trusting(
    connect: Duration,
    extra_roots: &[Vec<u8>],
) -> Result<reqwest::Client, HttpClientError> {
    crate::tls::install_ring_provider();
    let mut builder = reqwest::Client::builder();
    for root in extra_roots {
        builder = builder.add_root_certificate(
            reqwest::Certificate::from_der(root).map_err(HttpClientError::Build)?,
        );
    }
    builder
        .connect_timeout(connect)
        .timeout(BACKSTOP)
        .user_agent(concat!("kep-renew/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(HttpClientError::Build)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    /// A one-shot HTTP server on loopback, so the test exercises a real socket.
    fn serve_once(body: &'static str) -> (String, std::thread::JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let handle = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap();
            let request = String::from_utf8_lossy(&buf[..n]).into_owned();
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(response.as_bytes()).unwrap();
            request
        });
        (format!("http://{addr}/"), handle)
    }

    #[tokio::test]
    async fn talks_to_a_loopback_server() {
        let (base, server) = serve_once(r#"{"ok":true}"#);
        let endpoint = crate::CaEndpoint::parse(&base).unwrap();
        let client = build_http_client().unwrap();
        let response = client
            .get(endpoint.join("api/v1/health").unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.unwrap(), r#"{"ok":true}"#);
        let request = server.join().unwrap();
        assert!(request.starts_with("GET /api/v1/health HTTP/1.1"));
        assert!(request.contains("user-agent: kep-renew/"));
    }

    #[tokio::test]
    async fn builds_a_tls_capable_client_with_ring() {
        // Building the client must succeed with no provider installed beforehand: it installs ring.
        let _client = build_http_client().unwrap();
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }
}
