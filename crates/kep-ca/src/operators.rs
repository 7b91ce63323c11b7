//! Operator accounts: argon2id passwords, a second factor (TOTP, RFC 6238) required by
//! default in service, a lock-out after wrong passwords or codes, accounts disabled by the
//! administrator, and their own sessions (an applicant's token is worthless on operator routes
//! and the reverse). Every sign-in, failure, lock-out and account change is in the audit log.

use crate::clock::Clock;
use crate::login::{SESSION_IDLE_S, SESSION_LIFETIME_S, token_hash};
use crate::secret_seal::{SealError, SecretSeal};
use crate::store::{OperatorAccount, Store, StoreError};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use kep_protocol::auth::SessionIssued;
use kep_protocol::operator::TotpEnrollment;
use ring::rand::{SecureRandom, SystemRandom};
use std::sync::Arc;

pub use crate::store::OperatorRole;

/// How long the console's enrollment page may wait for the first code.
pub const ENROLLMENT_TICKET_S: i64 = 10 * 60;

/// How operators sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInPolicy {
    /// Every operator signs in with a TOTP code (accounts without one enroll first).
    pub totp_required: bool,
    /// Wrong passwords or codes in a row that lock the account.
    pub lock_after: i64,
    /// How long a lock-out lasts (seconds).
    pub lock_for_s: i64,
}

impl SignInPolicy {
    /// A CA in service: TOTP for everyone, 10 wrong tries lock the account for 15 minutes.
    pub const PRODUCTION: Self = Self {
        totp_required: true,
        lock_after: 10,
        lock_for_s: 15 * 60,
    };

    /// `--dev`: TOTP optional (an operator who enrolled is still asked for codes).
    pub const DEVELOPMENT: Self = Self {
        totp_required: false,
        ..Self::PRODUCTION
    };
}

/// The operators service.
pub struct Operators<S> {
    store: S,
    clock: Arc<dyn Clock>,
    rng: SystemRandom,
    seal: SecretSeal,
    policy: SignInPolicy,
}

impl<S> std::fmt::Debug for Operators<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Operators").finish_non_exhaustive()
    }
}

/// Why an operator action was refused, or failed.
#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    /// A login must not be empty and a password needs 10 characters.
    #[error("a login and a password of at least 10 characters are required")]
    CredentialsTooShort,
    /// The login is taken.
    #[error("the operator exists already")]
    Exists,
    /// A wrong login or password (which one is not said).
    #[error("a wrong login or password")]
    LoginWrong,
    /// Too many wrong passwords or codes: the account is locked for this many more seconds.
    #[error("the account is locked for {retry_after_s} s")]
    Locked {
        /// When it opens again, from now.
        retry_after_s: i64,
    },
    /// The administrator disabled the account.
    #[error("the account is disabled")]
    Disabled,
    /// The account has a second factor: the code is needed.
    #[error("the authenticator code is required")]
    TotpRequired,
    /// The code is wrong (or was used already).
    #[error("a wrong authenticator code")]
    TotpWrong,
    /// Sign-in needs a second factor the account has not enrolled yet.
    #[error("the account must enroll an authenticator first")]
    TotpEnrollmentRequired,
    /// The account has enrolled one already (the administrator resets it).
    #[error("the account has an authenticator already")]
    TotpEnrolled,
    /// No operator with this login (administration).
    #[error("no operator «{0}»")]
    NotFound(String),
    /// A sealed secret did not open (another `login_code_key`?).
    #[error(transparent)]
    Seal(#[from] SealError),
    /// A TOTP secret is unusable.
    #[error(transparent)]
    Totp(#[from] crate::totp::TotpError),
    /// No live operator session.
    #[error("an operator login is required")]
    LoginRequired,
    /// The operator does not hold the role the action needs.
    #[error("the {} role is required", crate::store::Column::name(.0))]
    RoleRequired(OperatorRole),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StoreError),
    /// The OS random number generator failed.
    #[error("the OS random number generator failed: {0}")]
    Randomness(ring::error::Unspecified),
    /// Hashing a password, or reading a stored hash, failed.
    #[error("password hash: {0}")]
    PasswordHash(argon2::password_hash::Error),
}

// (ring's `Unspecified` is no `std::error::Error` here, so no `#[from]`.)
impl From<ring::error::Unspecified> for OperatorError {
    fn from(e: ring::error::Unspecified) -> Self {
        Self::Randomness(e)
    }
}

impl<S: Store> Operators<S> {
    /// The service: secrets sealed with `seal`, sign-in by `policy`.
    pub fn new(store: S, clock: Arc<dyn Clock>, seal: SecretSeal, policy: SignInPolicy) -> Self {
        Self {
            store,
            clock,
            rng: SystemRandom::new(),
            seal,
            policy,
        }
    }

    /// The sign-in policy.
    pub fn policy(&self) -> SignInPolicy {
        self.policy
    }

    fn hash(&self, password: &str) -> Result<String, OperatorError> {
        let mut salt = [0u8; 16];
        self.rng
            .fill(&mut salt)
            .map_err(OperatorError::Randomness)?;
        let salt = SaltString::encode_b64(&salt).map_err(OperatorError::PasswordHash)?;
        Ok(Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map_err(OperatorError::PasswordHash)?
            .to_string())
    }

    /// Adds an operator (the `kep-ca operator add` subcommand and the dev seed).
    pub async fn add(
        &self,
        login: &str,
        password: &str,
        role: OperatorRole,
    ) -> Result<(), OperatorError> {
        if login.trim().is_empty() || password.chars().count() < 10 {
            return Err(OperatorError::CredentialsTooShort);
        }
        let phc = self.hash(password)?;
        let now = self.clock.unix();
        if !self.store.add_operator(login, &phc, role, now).await? {
            return Err(OperatorError::Exists);
        }
        Ok(self.store.audit("cli", "operator.add", login, now).await?)
    }

    /// The account `login` once its password checks out: not locked (a locked account is not
    /// even tried), not disabled. A wrong password counts towards the lock-out.
    async fn password_checked(
        &self,
        login: &str,
        password: &str,
    ) -> Result<OperatorAccount, OperatorError> {
        let found = self.store.operator_account(login).await?;
        let now = self.clock.unix();
        if let Some(account) = &found
            && account.locked_until > now
        {
            return Err(OperatorError::Locked {
                retry_after_s: account.locked_until - now,
            });
        }
        // An unknown login costs the same argon2 work as a known one.
        let phc = match &found {
            Some(account) => account.password_phc.clone(),
            None => self.hash("unknown operator")?,
        };
        let parsed = PasswordHash::new(&phc).map_err(OperatorError::PasswordHash)?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        match (found, ok) {
            (Some(account), true) if account.disabled => {
                self.audited(&account, "operator.login_refused_disabled")
                    .await?;
                Err(OperatorError::Disabled)
            }
            (Some(account), true) => Ok(account),
            (Some(account), false) => Err(self.failed(&account, OperatorError::LoginWrong).await?),
            (None, _) => Err(OperatorError::LoginWrong),
        }
    }

    /// Counts a wrong password or code; answers `error`, or the lock-out it caused.
    async fn failed(
        &self,
        account: &OperatorAccount,
        error: OperatorError,
    ) -> Result<OperatorError, OperatorError> {
        let until = self.clock.unix() + self.policy.lock_for_s;
        let locked = self
            .store
            .operator_login_failed(account.id, self.policy.lock_after, until)
            .await?;
        self.audited(account, "operator.login_failed").await?;
        if locked {
            self.audited(account, "operator.locked").await?;
            tracing::warn!(
                operator = account.id,
                "operator account locked after wrong sign-ins"
            );
            return Ok(OperatorError::Locked {
                retry_after_s: self.policy.lock_for_s,
            });
        }
        Ok(error)
    }

    async fn audited(&self, account: &OperatorAccount, action: &str) -> Result<(), StoreError> {
        self.store
            .audit(
                &format!("operator:{}", account.id),
                action,
                &account.login,
                self.clock.unix(),
            )
            .await
    }

    /// The second factor: the code `totp` right now for an enrolled account (and not used
    /// before), nothing for one without (unless the policy requires it).
    async fn second_factor(
        &self,
        account: &OperatorAccount,
        totp: Option<&str>,
    ) -> Result<(), OperatorError> {
        let sealed = match (&account.totp_sealed, account.totp_enrolled) {
            (Some(sealed), true) => sealed,
            _ if self.policy.totp_required => return Err(OperatorError::TotpEnrollmentRequired),
            _ => return Ok(()),
        };
        let code = totp.ok_or(OperatorError::TotpRequired)?;
        self.code_taken(account, sealed, code).await
    }

    /// `code` is right for the secret `sealed` now and its step was not used: it is taken.
    async fn code_taken(
        &self,
        account: &OperatorAccount,
        sealed: &[u8],
        code: &str,
    ) -> Result<(), OperatorError> {
        let secret = self.seal.open(sealed)?;
        let step = crate::totp::check(&secret, &account.login, code, self.clock.unix())?;
        match step {
            Some(step) if self.store.take_totp_step(account.id, step).await? => Ok(()),
            _ => Err(self.failed(account, OperatorError::TotpWrong).await?),
        }
    }

    /// A session for `account`, which just signed in.
    async fn open_session(
        &self,
        account: &OperatorAccount,
    ) -> Result<SessionIssued, OperatorError> {
        self.store.operator_login_succeeded(account.id).await?;
        let token = crate::login::new_token(&self.rng)?;
        let now = self.clock.unix();
        self.store
            .insert_operator_session(token_hash(&token), account.id, now)
            .await?;
        self.audited(account, "operator.login").await?;
        Ok(SessionIssued {
            token,
            expires_in_s: SESSION_LIFETIME_S as u32,
            idle_timeout_s: SESSION_IDLE_S as u32,
        })
    }

    /// Signs in with a password and, for an enrolled account (every account in service), the
    /// current TOTP code.
    pub async fn login(
        &self,
        login: &str,
        password: &str,
        totp: Option<&str>,
    ) -> Result<SessionIssued, OperatorError> {
        let account = self.password_checked(login, password).await?;
        self.second_factor(&account, totp).await?;
        self.open_session(&account).await
    }

    /// Starts enrolling an authenticator: a fresh secret, sealed and kept (not yet required);
    /// a new start replaces an unfinished one.
    pub async fn begin_totp_enrollment(
        &self,
        login: &str,
        password: &str,
    ) -> Result<TotpEnrollment, OperatorError> {
        let account = self.password_checked(login, password).await?;
        if account.totp_enrolled {
            return Err(OperatorError::TotpEnrolled);
        }
        let secret = crate::totp::new_secret()?;
        let sealed = self.seal.seal(&secret)?;
        self.store
            .set_operator_totp(account.id, Some(sealed), false)
            .await?;
        self.audited(&account, "operator.totp_enrollment_started")
            .await?;
        let enrollment = crate::totp::enrollment(&secret, &account.login)?;
        Ok(TotpEnrollment {
            secret: enrollment.secret_base32.to_string(),
            otpauth_url: enrollment.url.to_string(),
        })
    }

    /// Ends the enrollment with the app's first code, and signs in.
    pub async fn confirm_totp_enrollment(
        &self,
        login: &str,
        password: &str,
        code: &str,
    ) -> Result<SessionIssued, OperatorError> {
        let account = self.password_checked(login, password).await?;
        self.finish_enrollment(account, code).await
    }

    /// [`begin_totp_enrollment`](Self::begin_totp_enrollment) for the console, with a ticket
    /// that stands for the password on the page that asks for the first code: sealed, naming
    /// the login, valid for [`ENROLLMENT_TICKET_S`].
    pub async fn begin_console_enrollment(
        &self,
        login: &str,
        password: &str,
    ) -> Result<(TotpEnrollment, String), OperatorError> {
        let enrollment = self.begin_totp_enrollment(login, password).await?;
        let expires = self.clock.unix() + ENROLLMENT_TICKET_S;
        let sealed = self.seal.seal(format!("{expires}:{login}").as_bytes())?;
        let ticket =
            base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, sealed);
        Ok((enrollment, ticket))
    }

    /// Ends a console enrollment with its ticket and the app's first code, and signs in.
    pub async fn confirm_console_enrollment(
        &self,
        ticket: &str,
        code: &str,
    ) -> Result<SessionIssued, OperatorError> {
        let login = self.ticket_login(ticket)?;
        let account = self
            .store
            .operator_account(&login)
            .await?
            .ok_or(OperatorError::LoginRequired)?;
        let now = self.clock.unix();
        if account.locked_until > now {
            return Err(OperatorError::Locked {
                retry_after_s: account.locked_until - now,
            });
        }
        if account.disabled {
            return Err(OperatorError::Disabled);
        }
        self.finish_enrollment(account, code).await
    }

    /// The login a live enrollment ticket names.
    fn ticket_login(&self, ticket: &str) -> Result<String, OperatorError> {
        // A forged, damaged or foreign ticket is the sign-in page again; the log says which.
        fn refused(why: &str, e: impl std::fmt::Display) -> OperatorError {
            tracing::debug!(error = %e, "enrollment ticket refused: {why}");
            OperatorError::LoginRequired
        }
        let sealed =
            base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, ticket)
                .map_err(|e| refused("not base64", e))?;
        let plain = self
            .seal
            .open(&sealed)
            .map_err(|e| refused("not sealed by this CA", e))?;
        let text = std::str::from_utf8(&plain).map_err(|e| refused("not text", e))?;
        let (expires, login) = text.split_once(':').ok_or(OperatorError::LoginRequired)?;
        match expires.parse::<i64>() {
            Ok(expires) if expires > self.clock.unix() => Ok(login.to_owned()),
            _ => Err(OperatorError::LoginRequired),
        }
    }

    /// The first code ends `account`'s enrollment; a session opens.
    async fn finish_enrollment(
        &self,
        account: OperatorAccount,
        code: &str,
    ) -> Result<SessionIssued, OperatorError> {
        if account.totp_enrolled {
            return Err(OperatorError::TotpEnrolled);
        }
        let sealed = account
            .totp_sealed
            .clone()
            .ok_or(OperatorError::TotpEnrollmentRequired)?;
        self.code_taken(&account, &sealed, code).await?;
        self.store
            .set_operator_totp(account.id, Some(sealed), true)
            .await?;
        self.audited(&account, "operator.totp_enrolled").await?;
        self.open_session(&account).await
    }

    /// Disables or enables `login` (`kep-ca operator disable|enable`); disabling ends its
    /// sessions.
    pub async fn set_disabled(
        &self,
        login: &str,
        disabled: bool,
        actor: &str,
    ) -> Result<(), OperatorError> {
        if !self.store.set_operator_disabled(login, disabled).await? {
            return Err(OperatorError::NotFound(login.to_owned()));
        }
        let action = if disabled {
            "operator.disable"
        } else {
            "operator.enable"
        };
        Ok(self
            .store
            .audit(actor, action, login, self.clock.unix())
            .await?)
    }

    /// Installs `secret` as `login`'s authenticator, enrolled at once — the dev seed's demo
    /// accounts only (`npm run demo` prints their secrets); a CA's operators enroll their own.
    pub async fn install_totp(
        &self,
        login: &str,
        secret: &[u8],
        actor: &str,
    ) -> Result<(), OperatorError> {
        let account = self
            .store
            .operator_account(login)
            .await?
            .ok_or_else(|| OperatorError::NotFound(login.to_owned()))?;
        let sealed = self.seal.seal(secret)?;
        self.store
            .set_operator_totp(account.id, Some(sealed), true)
            .await?;
        Ok(self
            .store
            .audit(actor, "operator.totp_installed", login, self.clock.unix())
            .await?)
    }

    /// Removes `login`'s authenticator (`kep-ca operator reset-totp`): its sessions end, and it
    /// enrolls again at its next sign-in.
    pub async fn reset_totp(&self, login: &str, actor: &str) -> Result<(), OperatorError> {
        let account = self
            .store
            .operator_account(login)
            .await?
            .ok_or_else(|| OperatorError::NotFound(login.to_owned()))?;
        self.store
            .set_operator_totp(account.id, None, false)
            .await?;
        Ok(self
            .store
            .audit(actor, "operator.reset_totp", login, self.clock.unix())
            .await?)
    }

    /// The account a session token belongs to (the console's cookie), if it is live and the
    /// account is not disabled.
    pub async fn session_account(&self, token: &str) -> Result<OperatorAccount, OperatorError> {
        let id = self.authenticate(token).await?;
        match self.store.operator_by_id(id).await? {
            Some(account) if !account.disabled => Ok(account),
            _ => Err(OperatorError::LoginRequired),
        }
    }

    /// Ends the session `token` (signing out).
    pub async fn sign_out(&self, token: &str) -> Result<(), OperatorError> {
        Ok(self
            .store
            .delete_operator_session(token_hash(token))
            .await?)
    }

    /// The operator a bearer token belongs to.
    pub async fn authenticate(&self, token: &str) -> Result<i64, OperatorError> {
        let hash = token_hash(token);
        let now = self.clock.unix();
        let session = self
            .store
            .operator_session(hash.clone())
            .await?
            .ok_or(OperatorError::LoginRequired)?;
        if !crate::login::session_is_live(&session, now) {
            return Err(OperatorError::LoginRequired);
        }
        if now - session.last_seen >= crate::login::TOUCH_EVERY_S {
            self.store.touch_operator_session(hash, now).await?;
        }
        Ok(session.applicant_id)
    }

    /// The operator a bearer token belongs to, if they hold `role`.
    pub async fn authenticate_as(
        &self,
        token: &str,
        role: OperatorRole,
    ) -> Result<i64, OperatorError> {
        let id = self.authenticate(token).await?;
        let held = self.store.operator_role(id).await?;
        if held != Some(role) {
            return Err(OperatorError::RoleRequired(role));
        }
        Ok(id)
    }
}
