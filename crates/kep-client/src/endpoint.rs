//! Where the CA lives, the rule on what an acceptable address is, and which roots its TLS
//! certificate may chain to besides the system's.
//!
//! The session token and personal data travel to the CA, so plain `http` is refused unless the
//! CA runs on this very machine (loopback: the demo and the tests).

use std::net::IpAddr;
use url::{Host, Url};

/// Why a CA address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("the CA address is not a valid URL")]
    Malformed,
    #[error("the CA address uses the unsupported scheme {0:?}")]
    UnsupportedScheme(String),
    #[error("plain http is allowed only to loopback, not to {0:?}")]
    PlainHttpToRemote(String),
    #[error("the CA address must not carry a user name or password")]
    HasCredentials,
    #[error("the CA address must not carry a query or fragment")]
    HasQueryOrFragment,
    #[error("no certificate in the trust anchors given")]
    NoTrustAnchor,
}

/// A validated base address of a CA service, always ending with `/`, with the extra roots its
/// TLS certificate may chain to (an organization's own CA, a test CA).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaEndpoint {
    base: Url,
    extra_roots: Vec<Vec<u8>>,
}

impl CaEndpoint {
    pub fn parse(input: &str) -> Result<Self, EndpointError> {
        let mut base = Url::parse(input.trim()).map_err(|_| EndpointError::Malformed)?;
        if !base.username().is_empty() || base.password().is_some() {
            return Err(EndpointError::HasCredentials);
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(EndpointError::HasQueryOrFragment);
        }
        let host = base.host().ok_or(EndpointError::Malformed)?;
        match base.scheme() {
            "https" => {}
            "http" if is_loopback(&host) => {}
            "http" => return Err(EndpointError::PlainHttpToRemote(host.to_string())),
            other => return Err(EndpointError::UnsupportedScheme(other.to_owned())),
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        Ok(Self {
            base,
            extra_roots: Vec::new(),
        })
    }

    /// The same endpoint, also trusting the root certificates in `pem` for its TLS.
    pub fn with_trust_anchors(mut self, pem: &[u8]) -> Result<Self, EndpointError> {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject;
        let roots: Vec<Vec<u8>> = CertificateDer::pem_slice_iter(pem)
            .map(|c| c.map(|c| c.to_vec()))
            .collect::<Result<_, _>>()
            .map_err(crate::cause::logged(
                "the trust anchors do not parse as PEM",
                || EndpointError::NoTrustAnchor,
            ))?;
        if roots.is_empty() {
            return Err(EndpointError::NoTrustAnchor);
        }
        self.extra_roots.extend(roots);
        Ok(self)
    }

    /// The extra roots (DER).
    pub fn extra_roots(&self) -> &[Vec<u8>] {
        &self.extra_roots
    }

    /// The address of `path` (relative, e.g. `api/v1/session`) under this endpoint.
    pub fn join(&self, path: &str) -> Result<Url, EndpointError> {
        self.base
            .join(path.trim_start_matches('/'))
            .map_err(|_| EndpointError::Malformed)
    }

    pub fn as_url(&self) -> &Url {
        &self.base
    }
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_is_accepted() {
        let ep = CaEndpoint::parse("https://ca.example.ru/renew").unwrap();
        assert_eq!(ep.as_url().as_str(), "https://ca.example.ru/renew/");
        assert_eq!(
            ep.join("/api/v1/session").unwrap().as_str(),
            "https://ca.example.ru/renew/api/v1/session"
        );
    }

    #[test]
    fn plain_http_only_to_loopback() {
        for ok in [
            "http://127.0.0.1:8443",
            "http://127.8.9.10",
            "http://[::1]:80/",
            "http://LOCALHOST:1",
        ] {
            assert!(CaEndpoint::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://ca.example.ru",
            "http://10.0.0.1",
            "http://localhost.evil.ru",
            "http://[::2]",
        ] {
            assert!(
                matches!(
                    CaEndpoint::parse(bad),
                    Err(EndpointError::PlainHttpToRemote(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn refuses_odd_addresses() {
        assert_eq!(CaEndpoint::parse(""), Err(EndpointError::Malformed));
        assert_eq!(
            CaEndpoint::parse("ftp://ca.example.ru"),
            Err(EndpointError::UnsupportedScheme("ftp".into()))
        );
        assert_eq!(
            CaEndpoint::parse("https://user:pw@ca.example.ru"),
            Err(EndpointError::HasCredentials)
        );
        assert_eq!(
            CaEndpoint::parse("https://ca.example.ru/?x=1"),
            Err(EndpointError::HasQueryOrFragment)
        );
        assert_eq!(
            CaEndpoint::parse("file:///etc/passwd"),
            Err(EndpointError::Malformed)
        );
    }
}
