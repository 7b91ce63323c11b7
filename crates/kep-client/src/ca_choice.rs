//! Which CA the app talks to, in the order an installed app decides it:
//!
//! 1. the test overrides (`KEP_CA_URL`, `KEP_CA_TLS_ROOT`) — only in debug and e2e builds; a
//!    release ignores them;
//! 2. the organization's admin configuration in the system location
//!    ([`admin_config_path`]: `/etc/kep-renew/config.json`, `%ProgramData%\KEP Renew\config.json`,
//!    `/Library/Application Support/KEP Renew/config.json`), which names the CA and may add roots
//!    for its TLS certificate;
//! 3. the CA the release was built for (`KEP_RENEW_CA_URL` at build time; the build refuses
//!    plain http to anything but this machine).
//!
//! Every address goes through [`CaEndpoint::parse`]: https, or http to loopback only.

use crate::endpoint::{CaEndpoint, EndpointError};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Where the organization's admin configuration is on this system.
pub fn admin_config_path() -> PathBuf {
    if cfg!(windows) {
        let base = std::env::var_os("ProgramData").unwrap_or_else(|| "C:\\ProgramData".into());
        PathBuf::from(base).join("KEP Renew").join("config.json")
    } else if cfg!(target_os = "macos") {
        PathBuf::from("/Library/Application Support/KEP Renew/config.json")
    } else {
        PathBuf::from("/etc/kep-renew/config.json")
    }
}

/// The admin configuration file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdminConfig {
    /// The CA's address (https).
    ca_url: Option<String>,
    /// PEM files with roots the CA's TLS certificate may chain to (an organization's own CA).
    #[serde(default)]
    trust_anchors: Vec<PathBuf>,
}

/// Where the choice came from (the settings screen says it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaSource {
    /// A debug or e2e build's environment.
    TestOverride,
    /// The admin configuration at this path.
    AdminConfig(PathBuf),
    /// The address the release was built for.
    BuildDefault,
}

/// The CA to talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaChoice {
    /// Its address and extra TLS roots.
    pub endpoint: CaEndpoint,
    /// Why this one.
    pub source: CaSource,
}

/// Why no CA could be chosen; the message names the file or the address.
#[derive(Debug, thiserror::Error)]
pub enum CaChoiceError {
    /// The admin configuration exists but does not read.
    #[error("{path}: {why}")]
    AdminConfig {
        /// The file.
        path: PathBuf,
        /// Why.
        why: String,
    },
    /// An address that is not a usable CA address.
    #[error("{address}: {source}")]
    Address {
        /// The address.
        address: String,
        /// Why.
        #[source]
        source: EndpointError,
    },
    /// A trust anchor file does not read or holds no certificate.
    #[error("{path}: {why}")]
    TrustAnchor {
        /// The file.
        path: PathBuf,
        /// Why.
        why: String,
    },
}

/// What the test overrides say, when the build honours them.
#[derive(Debug, Clone, Default)]
pub struct TestOverrides {
    /// `KEP_CA_URL`.
    pub ca_url: Option<String>,
    /// `KEP_CA_TLS_ROOT`.
    pub tls_root: Option<PathBuf>,
}

fn endpoint(address: &str) -> Result<CaEndpoint, CaChoiceError> {
    CaEndpoint::parse(address).map_err(|source| CaChoiceError::Address {
        address: address.to_owned(),
        source,
    })
}

fn with_anchor(endpoint: CaEndpoint, path: &Path) -> Result<CaEndpoint, CaChoiceError> {
    let anchor = |why: String| CaChoiceError::TrustAnchor {
        path: path.to_owned(),
        why,
    };
    let pem = std::fs::read(path).map_err(|e| anchor(e.to_string()))?;
    endpoint
        .with_trust_anchors(&pem)
        .map_err(|e| anchor(e.to_string()))
}

/// Chooses the CA: `overrides` (None in a release build), then the admin configuration at
/// `admin_path` (when the file exists), then `build_default`.
pub fn choose(
    build_default: &str,
    overrides: Option<&TestOverrides>,
    admin_path: &Path,
) -> Result<CaChoice, CaChoiceError> {
    if let Some(overrides) = overrides.filter(|o| o.ca_url.is_some() || o.tls_root.is_some()) {
        let mut chosen = endpoint(overrides.ca_url.as_deref().unwrap_or(build_default))?;
        if let Some(root) = &overrides.tls_root {
            chosen = with_anchor(chosen, root)?;
        }
        return Ok(CaChoice {
            endpoint: chosen,
            source: CaSource::TestOverride,
        });
    }
    let admin = |why: String| CaChoiceError::AdminConfig {
        path: admin_path.to_owned(),
        why,
    };
    match std::fs::read_to_string(admin_path) {
        Ok(text) => {
            let config: AdminConfig =
                serde_json::from_str(&text).map_err(|e| admin(e.to_string()))?;
            let mut chosen = endpoint(config.ca_url.as_deref().unwrap_or(build_default))?;
            for anchor in &config.trust_anchors {
                chosen = with_anchor(chosen, anchor)?;
            }
            Ok(CaChoice {
                endpoint: chosen,
                source: CaSource::AdminConfig(admin_path.to_owned()),
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(CaChoice {
            endpoint: endpoint(build_default)?,
            source: CaSource::BuildDefault,
        }),
        Err(e) => Err(admin(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kep-ca-choice-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_build_default_serves_when_no_admin_configuration_exists() {
        let dir = scratch("default");
        let choice = choose("https://ca.example.ru/", None, &dir.join("none.json")).unwrap();
        assert_eq!(choice.source, CaSource::BuildDefault);
        assert_eq!(choice.endpoint.as_url().as_str(), "https://ca.example.ru/");
    }

    #[test]
    fn the_admin_configuration_names_the_ca_and_its_roots() {
        let dir = scratch("admin");
        let root = dir.join("root.pem");
        let tls = kep_system_tests::tls::test_tls(&dir.join("tls"), "org");
        std::fs::write(&root, &tls.root_pem).unwrap();
        let path = dir.join("config.json");
        std::fs::write(
            &path,
            format!(
                r#"{{"ca_url": "https://uc.org.example/kep", "trust_anchors": [{:?}]}}"#,
                root
            ),
        )
        .unwrap();
        let choice = choose("https://ca.example.ru/", None, &path).unwrap();
        assert_eq!(choice.source, CaSource::AdminConfig(path.clone()));
        assert_eq!(
            choice.endpoint.as_url().as_str(),
            "https://uc.org.example/kep/"
        );
        assert_eq!(choice.endpoint.extra_roots().len(), 1);
        // Test overrides, when the build honours them, come first.
        let overrides = TestOverrides {
            ca_url: Some("http://127.0.0.1:9443/".into()),
            tls_root: None,
        };
        let choice = choose("https://ca.example.ru/", Some(&overrides), &path).unwrap();
        assert_eq!(choice.source, CaSource::TestOverride);
    }

    #[test]
    fn a_bad_admin_configuration_says_what_is_wrong() {
        let dir = scratch("bad");
        let path = dir.join("config.json");
        for (text, says) in [
            (r#"{"ca_url": "http://uc.org.example/"}"#, "plain http"),
            (
                r#"{"ca_url": "https://uc.org.example/", "extra": 1}"#,
                "unknown field",
            ),
            ("not json", "expected"),
            (
                r#"{"trust_anchors": ["/nonexistent/root.pem"]}"#,
                "/nonexistent/root.pem",
            ),
        ] {
            std::fs::write(&path, text).unwrap();
            let error = choose("https://ca.example.ru/", None, &path)
                .unwrap_err()
                .to_string();
            assert!(error.contains(says), "{text}: {error}");
        }
    }
}
