//! `kep-ca ca <step> --flag value …`: the ceremony's command line. Secrets (PINs, key file
//! passwords) come from files named by `--pin-file` / `--password-file`, never from the line
//! itself (it stays in shell histories and process lists).

use super::issuing::{InitIssuing, InstallIssuing, SignIssuing};
use super::root::{InitRoot, RootCrl};
use super::{CeremonyError, KeyPlace, read_secret, read_subject};
use crate::ca_keys::parse_key_id;
use kep_pki::crl::{RevocationReason, SerialNumber};
use std::path::PathBuf;
use std::time::SystemTime;

/// How each step is called.
pub const USAGE: &str = "\
  kep-ca ca init-root --subject FILE --out DIR ROOT-KEY [--validity-years 15] [--crl-days 365]
  kep-ca ca init-issuing --subject FILE --out REQUEST --module LIB --token-label LABEL --pin-file FILE [--issuing-key-id HEX] [--ocsp-key-id HEX]
  kep-ca ca sign-issuing --root-cert FILE ROOT-KEY --request FILE --subject FILE --public-url URL --out FILE [--validity-years 10]
  kep-ca ca install-issuing --config FILE --certificate FILE --root-cert FILE --root-crl FILE
  kep-ca ca root-crl --root-cert FILE ROOT-KEY --previous FILE --out FILE [--crl-days 365] [--revoke SERIAL[:REASON]]…
  kep-ca ca install-root-crl --config FILE --crl FILE
where ROOT-KEY is --key-file FILE --password-file FILE, or --module LIB --token-label LABEL --pin-file FILE [--key-id HEX]
(the root's key id is needed to use it, and chosen afresh when init-root makes it)";

/// The flags of one call.
struct Flags {
    given: Vec<(String, String)>,
}

impl Flags {
    fn parse(args: impl Iterator<Item = String>) -> Result<Self, CeremonyError> {
        let mut given = Vec::new();
        let mut args = args.peekable();
        while let Some(flag) = args.next() {
            let Some(name) = flag.strip_prefix("--") else {
                return Err(usage(format!("«{flag}» is not a flag")));
            };
            let value = args
                .next()
                .ok_or_else(|| usage(format!("--{name} needs a value")))?;
            given.push((name.to_owned(), value));
        }
        Ok(Self { given })
    }

    fn take(&mut self, name: &str) -> Option<String> {
        let index = self.given.iter().position(|(n, _)| n == name)?;
        Some(self.given.remove(index).1)
    }

    fn take_all(&mut self, name: &str) -> Vec<String> {
        std::iter::from_fn(|| self.take(name)).collect()
    }

    fn require(&mut self, name: &str) -> Result<String, CeremonyError> {
        self.take(name)
            .ok_or_else(|| usage(format!("--{name} is required")))
    }

    fn path(&mut self, name: &str) -> Result<PathBuf, CeremonyError> {
        self.require(name).map(PathBuf::from)
    }

    fn number(&mut self, name: &str, default: u32) -> Result<u32, CeremonyError> {
        self.take(name).map_or(Ok(default), |text| {
            text.parse()
                .map_err(|_| usage(format!("--{name}: «{text}» is not a number")))
        })
    }

    fn key_id(&mut self, name: &str) -> Result<Option<Vec<u8>>, CeremonyError> {
        self.take(name)
            .map(|text| {
                parse_key_id(&text).ok_or_else(|| usage(format!("--{name}: a CKA_ID in hex")))
            })
            .transpose()
    }

    /// The root's key: a file, or a token.
    fn key_place(&mut self) -> Result<KeyPlace, CeremonyError> {
        match (self.take("key-file"), self.take("module")) {
            (Some(path), None) => Ok(KeyPlace::File {
                path: path.into(),
                password: read_secret(&self.path("password-file")?)?,
            }),
            (None, Some(module)) => Ok(KeyPlace::Token {
                module: module.into(),
                token_label: self.require("token-label")?,
                pin: kep_token::Pin::new(read_secret(&self.path("pin-file")?)?.as_str()),
                key_id: self.key_id("key-id")?,
            }),
            _ => Err(usage(
                "the root's key: --key-file FILE --password-file FILE, or --module LIB --token-label LABEL --pin-file FILE",
            )),
        }
    }

    /// Nothing left over: a misspelt flag is an error, not ignored.
    fn done(self) -> Result<(), CeremonyError> {
        match self.given.first() {
            Some((name, _)) => Err(usage(format!("--{name} is not a flag of this step"))),
            None => Ok(()),
        }
    }
}

fn usage(why: impl std::fmt::Display) -> CeremonyError {
    CeremonyError::Usage(format!("{why}\nusage:\n{USAGE}"))
}

/// `SERIAL[:REASON]`.
fn revocation(text: &str) -> Result<(SerialNumber, Option<RevocationReason>), CeremonyError> {
    let (serial, reason) = text.split_once(':').unwrap_or((text, ""));
    let serial = hex::decode(serial)
        .ok()
        .and_then(|bytes| SerialNumber::new(&bytes).ok())
        .ok_or_else(|| usage(format!("--revoke: «{serial}» is not a serial in hex")))?;
    let reason = match reason {
        "" => None,
        "keyCompromise" => Some(RevocationReason::KeyCompromise),
        "affiliationChanged" => Some(RevocationReason::AffiliationChanged),
        "superseded" => Some(RevocationReason::Superseded),
        "cessationOfOperation" => Some(RevocationReason::CessationOfOperation),
        other => {
            return Err(usage(format!(
                "--revoke: unknown reason «{other}» (keyCompromise, affiliationChanged, superseded, cessationOfOperation)"
            )));
        }
    };
    Ok((serial, reason))
}

/// Runs `kep-ca ca <step> …` (the arguments after `ca`); answers the step's record.
pub fn run(mut args: impl Iterator<Item = String>) -> Result<String, CeremonyError> {
    let step = args.next().unwrap_or_default();
    let mut flags = Flags::parse(args)?;
    let now = SystemTime::now();
    let record = match step.as_str() {
        "init-root" => {
            let step = InitRoot {
                subject: read_subject(&flags.path("subject")?)?,
                out: flags.path("out")?,
                key: flags.key_place()?,
                validity_years: flags.number("validity-years", 15)?,
                crl_days: flags.number("crl-days", 365)?,
                now,
            };
            flags.done()?;
            super::root::init_root(&step)?
        }
        "init-issuing" => {
            let step = InitIssuing {
                subject: read_subject(&flags.path("subject")?)?,
                out: flags.path("out")?,
                module: flags.path("module")?,
                token_label: flags.require("token-label")?,
                pin: kep_token::Pin::new(read_secret(&flags.path("pin-file")?)?.as_str()),
                issuing_key_id: flags.key_id("issuing-key-id")?,
                ocsp_key_id: flags.key_id("ocsp-key-id")?,
            };
            flags.done()?;
            super::issuing::init_issuing(&step)?
        }
        "sign-issuing" => {
            let step = SignIssuing {
                root_cert: flags.path("root-cert")?,
                key: flags.key_place()?,
                request: flags.path("request")?,
                subject: read_subject(&flags.path("subject")?)?,
                public_url: flags.require("public-url")?,
                validity_years: flags.number("validity-years", 10)?,
                out: flags.path("out")?,
                now,
            };
            flags.done()?;
            super::issuing::sign_issuing(&step)?
        }
        "install-issuing" => {
            let settings = crate::config::load(&flags.path("config")?)?;
            let step = InstallIssuing {
                data: settings.service.data.clone(),
                keys: settings.service.keys.clone(),
                certificate: flags.path("certificate")?,
                root_cert: flags.path("root-cert")?,
                root_crl: flags.path("root-crl")?,
                now,
            };
            flags.done()?;
            super::issuing::install_issuing(&step)?
        }
        "root-crl" => {
            let step = RootCrl {
                root_cert: flags.path("root-cert")?,
                key: flags.key_place()?,
                previous: flags.path("previous")?,
                out: flags.path("out")?,
                days: flags.number("crl-days", 365)?,
                revoke: flags
                    .take_all("revoke")
                    .iter()
                    .map(|r| revocation(r))
                    .collect::<Result<_, _>>()?,
                now,
            };
            flags.done()?;
            super::root::root_crl(&step)?
        }
        "install-root-crl" => {
            let settings = crate::config::load(&flags.path("config")?)?;
            let crl = flags.path("crl")?;
            flags.done()?;
            super::issuing::install_root_crl(&settings.service.data, &crl, now)?
        }
        other => return Err(usage(format!("unknown step «{other}»"))),
    };
    Ok(record)
}
