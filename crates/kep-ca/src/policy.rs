//! What the CA accepts when it issues: the configuration a CA's security officer owns, kept as
//! `<data>/ca/policy.json` (written with the development defaults on the first `--dev` start,
//! then only read, so an edit survives restarts).

use serde::{Deserialize, Serialize};
use std::path::Path;

/// The issuance policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuancePolicy {
    /// Also accept ECDSA P-256 requests and issue the clearly non-qualified demo certificate
    /// (for tokens without GOST). Never on for a real qualified CA.
    pub demo_profile: bool,
    /// The subjectSignTool values (the СКЗИ that made and keeps the key) the CA accepts for the
    /// qualified profile. A request naming another tool, or whose storage implies another, is
    /// refused.
    pub accepted_sign_tools: Vec<String>,
    /// Accept a statement signed with a КЭП only when that certificate was itself issued after
    /// identification in person (IdentificationKind 0).
    pub require_in_person_signer: bool,
}

impl IssuancePolicy {
    /// The development CA: both sign tools, so that the token and the computer paths can be
    /// walked, and the demo profile for tokens without GOST.
    pub fn development() -> Self {
        let profile = kep_pki::issue::QualifiedProfile::default();
        Self {
            demo_profile: true,
            accepted_sign_tools: vec![profile.token_sign_tool, profile.computer_sign_tool],
            require_in_person_signer: false,
        }
    }

    /// A CA in service: the qualified profile only (no demo certificates), both crypto tools,
    /// and a statement signed with a КЭП accepted only from a certificate issued after
    /// identification in person. The security officer reviews it after the ceremony.
    pub fn production() -> Self {
        Self {
            demo_profile: false,
            require_in_person_signer: true,
            ..Self::development()
        }
    }

    /// Reads the policy file; when it is missing and `default` is given, writes that one first.
    pub fn load(path: &Path, default: Option<&IssuancePolicy>) -> Result<Self, String> {
        match std::fs::read(path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let policy = default.ok_or_else(|| format!("{}: missing", path.display()))?;
                let text = serde_json::to_vec_pretty(policy).map_err(|e| e.to_string())?;
                kep_private_file::write(path, &text)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                Ok(policy.clone())
            }
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }
}
