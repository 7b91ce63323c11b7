//! Operator accounts: argon2id passwords, their own sessions (an applicant's token is worthless
//! on operator routes and the reverse).

use crate::clock::Clock;
use crate::login::{SESSION_IDLE_S, SESSION_LIFETIME_S, token_hash};
use crate::store::{Store, StoreError};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use kep_protocol::auth::SessionIssued;
use ring::rand::{SecureRandom, SystemRandom};
use std::sync::Arc;

pub use crate::store::OperatorRole;

/// The operators service.
pub struct Operators<S> {
    store: S,
    clock: Arc<dyn Clock>,
    rng: SystemRandom,
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
    /// The service.
    pub fn new(store: S, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            rng: SystemRandom::new(),
        }
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

    /// Checks a password and opens an operator session.
    pub async fn login(&self, login: &str, password: &str) -> Result<SessionIssued, OperatorError> {
        let found = self.store.operator(login).await?;
        // An unknown login costs the same argon2 work as a known one.
        let phc = match &found {
            Some((_, phc)) => phc.clone(),
            None => self.hash("unknown operator")?,
        };
        let parsed = PasswordHash::new(&phc).map_err(OperatorError::PasswordHash)?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        let (Some((operator_id, _)), true) = (found, ok) else {
            return Err(OperatorError::LoginWrong);
        };
        let token = crate::login::new_token(&self.rng)?;
        let now = self.clock.unix();
        self.store
            .insert_operator_session(token_hash(&token), operator_id, now)
            .await?;
        self.store
            .audit(
                &format!("operator:{operator_id}"),
                "operator.login",
                login,
                now,
            )
            .await?;
        Ok(SessionIssued {
            token,
            expires_in_s: SESSION_LIFETIME_S as u32,
            idle_timeout_s: SESSION_IDLE_S as u32,
        })
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
