//! Where the CA lives, and the rule on what an acceptable address is.
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
}

/// A validated base address of a CA service, always ending with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaEndpoint {
    base: Url,
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
        Ok(Self { base })
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
