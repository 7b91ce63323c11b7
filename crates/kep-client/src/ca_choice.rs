//! Which CA the app talks to, in the order an installed app decides it:
//!
//! 1. the address the person switched to in «Настройки» (after a health check), unless the
//!    organization fixed the CA (`"ca_locked": true`);
//! 2. the test overrides (`KEP_CA_URL`, `KEP_CA_TLS_ROOT`) — only in debug and e2e builds; a
//!    release ignores them;
//! 3. the organization's admin configuration in the system location
//!    ([`admin_config_path`]: `/etc/kep-renew/config.json`, `%ProgramData%\KEP Renew\config.json`,
//!    `/Library/Application Support/KEP Renew/config.json`), which names the CA and may add roots
//!    for its TLS certificate (they apply to the person's choice too);
//! 4. the CA the release was built for (`KEP_RENEW_CA_URL` at build time; the build refuses
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
    /// The person may not switch to another CA.
    #[serde(default)]
    ca_locked: bool,
}

/// Where the choice came from (the settings screen says it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaSource {
    /// A debug or e2e build's environment.
    TestOverride,
    /// The address the person switched to.
    Person,
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
    /// Whether the person may switch to another CA (not when the organization fixed it).
    pub switchable: bool,
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

/// What the admin configuration file says (nothing when there is none).
#[derive(Debug, Default)]
struct Organization {
    file: Option<PathBuf>,
    config: Option<AdminConfig>,
    /// The test override's TLS root (debug and e2e builds).
    extra_root: Option<PathBuf>,
}

impl Organization {
    fn read(path: &Path) -> Result<Self, CaChoiceError> {
        let admin = |why: String| CaChoiceError::AdminConfig {
            path: path.to_owned(),
            why,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Self {
                file: Some(path.to_owned()),
                config: Some(serde_json::from_str(&text).map_err(|e| admin(e.to_string()))?),
                extra_root: None,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(admin(e.to_string())),
        }
    }

    fn locked(&self) -> bool {
        self.config.as_ref().is_some_and(|c| c.ca_locked)
    }

    /// `address` with the organization's TLS roots.
    fn endpoint(&self, address: &str) -> Result<CaEndpoint, CaChoiceError> {
        let mut chosen = endpoint(address)?;
        let organization = self.config.iter().flat_map(|c| &c.trust_anchors);
        for anchor in organization.chain(&self.extra_root) {
            chosen = with_anchor(chosen, anchor)?;
        }
        Ok(chosen)
    }
}

/// Chooses the CA: `person` (the address switched to in settings) unless the organization
/// fixed the CA, then the test override's address (`overrides`: None in a release build), then
/// the admin configuration's at `admin_path` (when the file exists), then `build_default`. The
/// organization's TLS roots and the test override's root serve whichever is chosen.
pub fn choose(
    build_default: &str,
    overrides: Option<&TestOverrides>,
    admin_path: &Path,
    person: Option<&str>,
) -> Result<CaChoice, CaChoiceError> {
    let mut organization = Organization::read(admin_path)?;
    let overrides = overrides.cloned().unwrap_or_default();
    organization.extra_root = overrides.tls_root.clone();
    let switchable = !organization.locked();
    if let Some(address) = person.filter(|_| switchable) {
        match organization.endpoint(address) {
            Ok(chosen) => {
                return Ok(CaChoice {
                    endpoint: chosen,
                    source: CaSource::Person,
                    switchable,
                });
            }
            // Checked when it was chosen; a file edited since falls back to the default.
            Err(e) => tracing::warn!(error = %e, "the CA chosen in settings is not usable"),
        }
    }
    let named = organization.config.as_ref().and_then(|c| c.ca_url.clone());
    let (address, source) = match (overrides.ca_url, named, &organization.file) {
        (Some(test), _, _) => (test, CaSource::TestOverride),
        (None, Some(named), Some(file)) => (named, CaSource::AdminConfig(file.clone())),
        // (A file that only adds TLS roots leaves the build's CA in place.)
        _ => (build_default.to_owned(), CaSource::BuildDefault),
    };
    let source = match (source, &organization.extra_root) {
        (CaSource::BuildDefault, Some(_)) => CaSource::TestOverride,
        (source, _) => source,
    };
    Ok(CaChoice {
        endpoint: organization.endpoint(&address)?,
        source,
        switchable,
    })
}

/// The endpoint for an address the person typed in settings: refused when the organization
/// fixed the CA (then `Ok(None)`), else with the organization's TLS roots (and the test
/// override's).
pub fn candidate(
    admin_path: &Path,
    overrides: Option<&TestOverrides>,
    address: &str,
) -> Result<Option<CaEndpoint>, CaChoiceError> {
    let mut organization = Organization::read(admin_path)?;
    organization.extra_root = overrides.and_then(|o| o.tls_root.clone());
    if organization.locked() {
        return Ok(None);
    }
    organization.endpoint(address).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kep-ca-choice-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// An organization's TLS root (PEM) in `dir`.
    fn org_root(dir: &Path) -> PathBuf {
        let root = dir.join("root.pem");
        let tls = kep_system_tests::tls::test_tls(&dir.join("tls"), "org");
        std::fs::write(&root, &tls.root_pem).unwrap();
        root
    }

    #[test]
    fn the_build_default_serves_when_no_admin_configuration_exists() {
        let dir = scratch("default");
        let choice = choose("https://ca.example.ru/", None, &dir.join("none.json"), None).unwrap();
        assert_eq!(choice.source, CaSource::BuildDefault);
        assert_eq!(choice.endpoint.as_url().as_str(), "https://ca.example.ru/");
    }

    #[test]
    fn the_admin_configuration_names_the_ca_and_its_roots() {
        let dir = scratch("admin");
        let root = org_root(&dir);
        let path = dir.join("config.json");
        std::fs::write(
            &path,
            format!(
                r#"{{"ca_url": "https://uc.org.example/kep", "trust_anchors": [{:?}]}}"#,
                root
            ),
        )
        .unwrap();
        let choice = choose("https://ca.example.ru/", None, &path, None).unwrap();
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
        let choice = choose("https://ca.example.ru/", Some(&overrides), &path, None).unwrap();
        assert_eq!(choice.source, CaSource::TestOverride);
        assert!(choice.switchable);
    }

    #[test]
    fn the_persons_choice_comes_before_the_organization_unless_it_fixed_the_ca() {
        let dir = scratch("person");
        let root = org_root(&dir);
        let path = dir.join("config.json");
        let write = |locked: bool| {
            std::fs::write(
                &path,
                format!(
                    r#"{{"ca_url": "https://uc.org.example/", "trust_anchors": [{root:?}], "ca_locked": {locked}}}"#
                ),
            )
            .unwrap()
        };
        write(false);
        let choice = choose(
            "https://ca.example.ru/",
            None,
            &path,
            Some("https://other.example/"),
        )
        .unwrap();
        assert_eq!(choice.source, CaSource::Person);
        assert_eq!(choice.endpoint.as_url().as_str(), "https://other.example/");
        // The organization's roots serve the person's CA too.
        assert_eq!(choice.endpoint.extra_roots().len(), 1);
        assert!(choice.switchable);
        assert!(
            candidate(&path, None, "https://other.example/")
                .unwrap()
                .is_some()
        );
        // A kept address that no longer parses falls back to the organization's.
        let choice = choose(
            "https://ca.example.ru/",
            None,
            &path,
            Some("http://plain.example/"),
        )
        .unwrap();
        assert_eq!(choice.source, CaSource::AdminConfig(path.clone()));

        write(true);
        let choice = choose(
            "https://ca.example.ru/",
            None,
            &path,
            Some("https://other.example/"),
        )
        .unwrap();
        assert_eq!(choice.source, CaSource::AdminConfig(path.clone()));
        assert_eq!(choice.endpoint.as_url().as_str(), "https://uc.org.example/");
        assert!(!choice.switchable);
        assert!(
            candidate(&path, None, "https://other.example/")
                .unwrap()
                .is_none()
        );
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
            let error = choose("https://ca.example.ru/", None, &path, None)
                .unwrap_err()
                .to_string();
            assert!(error.contains(says), "{text}: {error}");
        }
    }
}
