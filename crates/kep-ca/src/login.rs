//! Flash-call login. A code request places a call from a number whose last four digits are the
//! code; the applicant types them. Codes live 5 minutes and allow 5 tries; a new call for the
//! same number only after 60 s; at most 5 calls a number and 20 an address per hour. Codes are
//! stored as HMACs and compared in constant time; session tokens are 256 random bits, stored as
//! SHA-256, valid 12 h, ended by 30 min of inactivity.

use crate::clock::Clock;
use crate::store::{SessionRow, Store, StoreError};
use crate::telephony::Telephony;
use kep_protocol::auth::{CodeRequested, SessionIssued};
use ring::rand::{SecureRandom, SystemRandom};
use ring::{digest, hmac};
use subtle::ConstantTimeEq;

/// How long a code is valid.
pub const CODE_LIFETIME_S: i64 = 5 * 60;
/// Tries per code.
pub const CODE_TRIES: u32 = 5;
/// Wait between calls to one number.
pub const RESEND_AFTER_S: i64 = 60;
/// Calls per number per hour.
pub const CALLS_PER_NUMBER_HOUR: usize = 5;
/// Calls per client address per hour.
pub const CALLS_PER_CLIENT_HOUR: usize = 20;
/// A session's absolute lifetime.
pub const SESSION_LIFETIME_S: i64 = 12 * 3600;
/// A session's idle timeout.
pub const SESSION_IDLE_S: i64 = 30 * 60;
/// How often a session's idle timer is moved by its use (at most a minute's grace on
/// [`SESSION_IDLE_S`]).
pub const TOUCH_EVERY_S: i64 = 60;

const HOUR: i64 = 3600;

/// The login service.
pub struct Login<S, C, T> {
    store: S,
    clock: C,
    telephony: T,
    code_key: hmac::Key,
    rng: SystemRandom,
}

impl<S, C, T> std::fmt::Debug for Login<S, C, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login").finish_non_exhaustive()
    }
}

/// Why a login step was refused, or failed.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// The phone number does not read.
    #[error("the phone number does not read: {0:?}")]
    PhoneInvalid(kep_pki::ValidationKind),
    /// Too many calls: the next one only after `seconds`.
    #[error("call again in {seconds} s")]
    CallAgainIn {
        /// How long to wait (at least 1).
        seconds: i64,
    },
    /// The provider did not place the call (or gave no usable number).
    #[error("the flash call was not placed")]
    CallFailed,
    /// No live code for the number (never asked, used, or expired).
    #[error("the code expired")]
    CodeExpired,
    /// The code's tries are used up.
    #[error("the code's tries are used up")]
    CodeAttemptsExhausted,
    /// A wrong code; `left` tries remain.
    #[error("a wrong code, {left} tries left")]
    CodeWrong {
        /// Tries left.
        left: u32,
    },
    /// The session token is unknown, expired or idle too long.
    #[error("the session ended")]
    SessionEnded,
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StoreError),
    /// The OS random number generator failed.
    #[error("the OS random number generator failed: {0}")]
    Randomness(ring::error::Unspecified),
}

// (ring's `Unspecified` is no `std::error::Error` here, so no `#[from]`.)
impl From<ring::error::Unspecified> for LoginError {
    fn from(e: ring::error::Unspecified) -> Self {
        Self::Randomness(e)
    }
}

fn call_again_in(seconds: i64) -> LoginError {
    LoginError::CallAgainIn {
        seconds: seconds.max(1),
    }
}

/// A fresh bearer token: 256 random bits, hex.
pub(crate) fn new_token(rng: &SystemRandom) -> Result<String, ring::error::Unspecified> {
    let mut token = [0u8; 32];
    rng.fill(&mut token)?;
    Ok(token.iter().map(|b| format!("{b:02x}")).collect())
}

/// Whether a session is within its absolute lifetime and idle timeout at `now`.
pub(crate) fn session_is_live(session: &crate::store::SessionRow, now: i64) -> bool {
    now - session.created_at < SESSION_LIFETIME_S && now - session.last_seen < SESSION_IDLE_S
}

/// SHA-256 of a session token: what the database keeps.
pub fn token_hash(token: &str) -> Vec<u8> {
    digest::digest(&digest::SHA256, token.as_bytes())
        .as_ref()
        .to_vec()
}

impl<S: Store, C: Clock, T: Telephony> Login<S, C, T> {
    /// A login service; `code_key` is a fresh random HMAC key (codes never outlive the process
    /// that issued them by more than 5 minutes anyway).
    pub fn new(store: S, clock: C, telephony: T) -> Result<Self, LoginError> {
        Self::with_code_key(store, clock, telephony, None)
    }

    /// A login service whose codes are kept under `code_key` (from the configuration, so that
    /// several instances — or a restarted one — check each other's codes); None: a fresh
    /// random key for this process.
    pub fn with_code_key(
        store: S,
        clock: C,
        telephony: T,
        code_key: Option<&[u8]>,
    ) -> Result<Self, LoginError> {
        let rng = SystemRandom::new();
        let code_key = match code_key {
            Some(bytes) => hmac::Key::new(hmac::HMAC_SHA256, bytes),
            None => hmac::Key::generate(hmac::HMAC_SHA256, &rng)?,
        };
        Ok(Self {
            store,
            clock,
            telephony,
            code_key,
            rng,
        })
    }

    /// The store (for the API's other services).
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The clock.
    pub fn clock(&self) -> &C {
        &self.clock
    }

    fn mac(&self, phone: &str, code: &str) -> Vec<u8> {
        hmac::sign(&self.code_key, format!("{phone}\0{code}").as_bytes())
            .as_ref()
            .to_vec()
    }

    /// Places a call to `phone` (as typed) for a client at `client` (its address).
    pub async fn request_code(
        &self,
        phone: &str,
        client: &str,
    ) -> Result<CodeRequested, LoginError> {
        let phone = kep_pki::Phone::parse(phone).map_err(LoginError::PhoneInvalid)?;
        let now = self.clock.unix();
        let recent = self
            .store
            .codes_for_phone_since(phone.e164(), now - HOUR)
            .await?;
        if let Some(last) = recent.first().filter(|last| now - **last < RESEND_AFTER_S) {
            return Err(call_again_in(RESEND_AFTER_S - (now - last)));
        }
        if recent.len() >= CALLS_PER_NUMBER_HOUR {
            let oldest = recent.last().copied().unwrap_or(now);
            return Err(call_again_in(oldest + HOUR - now));
        }
        let from_client = self
            .store
            .codes_for_client_since(client, now - HOUR)
            .await?;
        if from_client.len() >= CALLS_PER_CLIENT_HOUR {
            let oldest = from_client.last().copied().unwrap_or(now);
            return Err(call_again_in(oldest + HOUR - now));
        }
        let mut random = [0u8; 16];
        self.rng.fill(&mut random).map_err(LoginError::Randomness)?;
        let request_id: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let caller = self
            .telephony
            .call(phone.e164(), &request_id)
            .await
            .map_err(|e| {
                crate::metrics::METRICS.provider_failed("telephony");
                tracing::warn!(error = %e, request_id, "the flash call was not placed");
                match e {
                    // The provider's own limit: the applicant waits as long as it asks.
                    crate::providers::ProviderError::RateLimited {
                        retry_after_s: Some(seconds),
                    } => call_again_in(i64::try_from(seconds).unwrap_or(HOUR).min(HOUR)),
                    _ => LoginError::CallFailed,
                }
            })?;
        // The code is the calling number's last four digits.
        let digits: Vec<char> = caller.chars().filter(char::is_ascii_digit).collect();
        let Some(code) = digits
            .len()
            .checked_sub(4)
            .map(|from| digits[from..].iter().collect::<String>())
        else {
            tracing::warn!(
                request_id,
                "the provider's calling number has fewer than four digits"
            );
            return Err(LoginError::CallFailed);
        };
        self.store
            .insert_code(
                phone.e164(),
                client,
                self.mac(phone.e164(), &code),
                now,
                now + CODE_LIFETIME_S,
            )
            .await?;
        Ok(CodeRequested {
            phone: phone.to_string(),
            retry_after_s: RESEND_AFTER_S as u32,
            expires_in_s: CODE_LIFETIME_S as u32,
        })
    }

    /// Checks the four digits and opens a session.
    pub async fn verify(&self, phone: &str, code: &str) -> Result<SessionIssued, LoginError> {
        let phone = kep_pki::Phone::parse(phone).map_err(|kind| {
            // No code was ever issued for a number that does not read: the answer is the same
            // as for an expired one, and the reason goes to the log.
            tracing::info!(?kind, "a code was checked for a phone that does not read");
            LoginError::CodeExpired
        })?;
        let now = self.clock.unix();
        let Some(stored) = self.store.latest_code(phone.e164()).await? else {
            return Err(LoginError::CodeExpired);
        };
        if stored.tries >= CODE_TRIES {
            return Err(LoginError::CodeAttemptsExhausted);
        }
        if stored.spent || now >= stored.expires_at {
            return Err(LoginError::CodeExpired);
        }
        let code = code.trim();
        let well_formed = code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit());
        let matches =
            well_formed && bool::from(self.mac(phone.e164(), code).ct_eq(&stored.code_mac));
        if !matches {
            let tries = stored.tries + 1;
            self.store
                .record_wrong_try(stored.id, tries >= CODE_TRIES)
                .await?;
            let left = CODE_TRIES - tries;
            return Err(if left == 0 {
                LoginError::CodeAttemptsExhausted
            } else {
                LoginError::CodeWrong { left }
            });
        }
        self.store.spend_code(stored.id).await?;
        let applicant = self.store.applicant_for_phone(phone.e164(), now).await?;
        let token = new_token(&self.rng)?;
        self.store
            .insert_session(token_hash(&token), applicant, now)
            .await?;
        self.store
            .audit(&format!("applicant:{applicant}"), "login", "session", now)
            .await?;
        Ok(SessionIssued {
            token,
            expires_in_s: SESSION_LIFETIME_S as u32,
            idle_timeout_s: SESSION_IDLE_S as u32,
        })
    }

    /// The applicant a bearer token belongs to, refreshing its idle timer.
    pub async fn authenticate(&self, token: &str) -> Result<i64, LoginError> {
        let hash = token_hash(token);
        let Some(session) = self.store.session(hash.clone()).await? else {
            return Err(LoginError::SessionEnded);
        };
        self.admit(hash, session).await
    }

    /// A status poll's whole read: the applicant a bearer token belongs to (as
    /// [`Self::authenticate`]) and, in the same query, the version of application
    /// `application_id` if they own it (None: not theirs, or none).
    pub async fn authenticate_polling(
        &self,
        token: &str,
        application_id: i64,
    ) -> Result<(i64, Option<i64>), LoginError> {
        let hash = token_hash(token);
        let Some((session, version)) = self
            .store
            .session_and_version(hash.clone(), application_id)
            .await?
        else {
            return Err(LoginError::SessionEnded);
        };
        Ok((self.admit(hash, session).await?, version))
    }

    /// A stored session let in if it is live, its idle timer moved on.
    async fn admit(&self, hash: Vec<u8>, session: SessionRow) -> Result<i64, LoginError> {
        let now = self.clock.unix();
        if !crate::login::session_is_live(&session, now) {
            self.store.delete_session(hash).await?;
            return Err(LoginError::SessionEnded);
        }
        // Polls come every few seconds: the idle timer moves once a minute, not on every one
        // (a write each time would queue every poll behind the writer).
        if now - session.last_seen >= TOUCH_EVERY_S {
            self.store.touch_session(hash, now).await?;
        }
        Ok(session.applicant_id)
    }

    /// Ends the session of `token`.
    pub async fn logout(&self, token: &str) -> Result<(), LoginError> {
        Ok(self.store.delete_session(token_hash(token)).await?)
    }
}
