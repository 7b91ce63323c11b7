//! Placing the flash call. A real CA plugs in its telephony provider; the dev provider (only with
//! `--dev`) prints the calling number and keeps the last one for `GET /dev/calls/last`.

use std::sync::Mutex;

/// Something that places a call to `phone` from `caller` (whose last four digits are the code).
pub trait Telephony: Send + Sync + 'static {
    /// Places the call. Errors are reported to the applicant as "try again".
    fn call(&self, phone: &str, caller: &str) -> Result<(), String>;
}

/// A call the dev provider "placed".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DevCall {
    /// The applicant's number.
    pub phone: String,
    /// The calling number; its last four digits are the code.
    pub caller: String,
}

/// The development provider: no call, the number goes to stdout and to `/dev/calls/last`.
#[derive(Debug, Default)]
pub struct DevTelephony {
    last: Mutex<Option<DevCall>>,
    quiet: bool,
}

impl DevTelephony {
    /// A provider that prints each call to stdout.
    pub fn new() -> Self {
        Self::default()
    }

    /// A provider that only remembers calls (tests).
    pub fn quiet() -> Self {
        Self {
            last: Mutex::new(None),
            quiet: true,
        }
    }

    /// The last call placed.
    pub fn last(&self) -> Option<DevCall> {
        self.last.lock().ok().and_then(|l| l.clone())
    }
}

impl Telephony for DevTelephony {
    fn call(&self, phone: &str, caller: &str) -> Result<(), String> {
        if !self.quiet {
            // The dev provider's whole purpose is to show the number; production providers
            // never print it.
            println!("[dev telephony] calling {phone} from {caller}");
        }
        if let Ok(mut last) = self.last.lock() {
            *last = Some(DevCall {
                phone: phone.to_owned(),
                caller: caller.to_owned(),
            });
        }
        Ok(())
    }
}
