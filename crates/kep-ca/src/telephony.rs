//! Placing the flash call. The provider calls the applicant's phone and says from which number;
//! the last four digits of that number are the login code. The dev provider (only with `--dev`)
//! makes up the number, prints it and keeps it for `GET /dev/calls/last`.

use crate::providers::{ProviderError, ProviderFuture};
pub use kep_protocol::dev::DevCall;
use std::sync::Mutex;

/// Something that places a flash call.
pub trait Telephony: Send + Sync + 'static {
    /// Calls `phone` (E.164); `request_id` names this call in the provider's logs. Answers the
    /// calling number, whose last four digits are the code.
    fn call<'a>(
        &'a self,
        phone: &'a str,
        request_id: &'a str,
    ) -> ProviderFuture<'a, Result<String, ProviderError>>;
}

impl<T: Telephony + ?Sized> Telephony for std::sync::Arc<T> {
    fn call<'a>(
        &'a self,
        phone: &'a str,
        request_id: &'a str,
    ) -> ProviderFuture<'a, Result<String, ProviderError>> {
        (**self).call(phone, request_id)
    }
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

    fn place(&self, phone: &str) -> Result<String, ProviderError> {
        let mut random = [0u8; 8];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut random).map_err(
            |e| ProviderError::Unreachable(format!("the OS random number generator: {e}")),
        )?;
        let n = u64::from_le_bytes(random);
        let code = format!("{:04}", n % 10_000);
        // A plausible Russian mobile number ending in the code.
        let caller = format!(
            "+7 9{:02} {:03}-{}-{}",
            (n >> 20) % 100,
            (n >> 30) % 1000,
            &code[..2],
            &code[2..]
        );
        if !self.quiet {
            // The dev provider's whole purpose is to show the number; production providers
            // never print it.
            println!("[dev telephony] calling {phone} from {caller}");
        }
        if let Ok(mut last) = self.last.lock() {
            *last = Some(DevCall {
                phone: phone.to_owned(),
                caller: caller.clone(),
            });
        }
        Ok(caller)
    }
}

impl Telephony for DevTelephony {
    fn call<'a>(
        &'a self,
        phone: &'a str,
        _request_id: &'a str,
    ) -> ProviderFuture<'a, Result<String, ProviderError>> {
        Box::pin(std::future::ready(self.place(phone)))
    }
}
