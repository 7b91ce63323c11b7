//! Operator accounts: argon2id passwords, their own sessions (an applicant's token is worthless
//! on operator routes and the reverse).

use crate::clock::Clock;
use crate::login::{SESSION_IDLE_S, SESSION_LIFETIME_S, token_hash};
use crate::messages_ru;
use crate::store::Store;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use kep_protocol::auth::SessionIssued;
use kep_protocol::{ApiError, ErrorKind};
use ring::rand::{SecureRandom, SystemRandom};
use std::sync::Arc;

/// What an operator may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperatorRole {
    /// A CA operator: reviews applications and signed statements, revokes certificates.
    Reviewer,
    /// The organization's responsible officer: confirms an applicant's identity in person.
    Officer,
}

impl OperatorRole {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reviewer => "reviewer",
            Self::Officer => "officer",
        }
    }

    /// The role a stored or typed name stands for.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "reviewer" => Some(Self::Reviewer),
            "officer" => Some(Self::Officer),
            _ => None,
        }
    }
}

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

fn internal(e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "internal error");
    ApiError::internal()
}

fn denied() -> ApiError {
    ApiError::new(ErrorKind::Unauthorized, messages_ru::OPERATOR_LOGIN_WRONG)
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

    fn hash(&self, password: &str) -> Result<String, ApiError> {
        let mut salt = [0u8; 16];
        self.rng.fill(&mut salt).map_err(|_| internal("rng"))?;
        let salt = SaltString::encode_b64(&salt).map_err(internal)?;
        Ok(Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map_err(internal)?
            .to_string())
    }

    /// Adds an operator (the `kep-ca operator add` subcommand and the dev seed).
    pub async fn add(
        &self,
        login: &str,
        password: &str,
        role: OperatorRole,
    ) -> Result<(), ApiError> {
        if login.trim().is_empty() || password.chars().count() < 10 {
            return Err(ApiError::new(
                ErrorKind::InvalidInput,
                messages_ru::OPERATOR_CREDENTIALS_TOO_SHORT,
            ));
        }
        let phc = self.hash(password)?;
        let now = self.clock.unix();
        if !self
            .store
            .add_operator(login, &phc, role.as_str(), now)
            .await
            .map_err(internal)?
        {
            return Err(ApiError::new(
                ErrorKind::Conflict,
                messages_ru::OPERATOR_EXISTS,
            ));
        }
        self.store
            .audit("cli", "operator.add", login, now)
            .await
            .map_err(internal)
    }

    /// Checks a password and opens an operator session.
    pub async fn login(&self, login: &str, password: &str) -> Result<SessionIssued, ApiError> {
        let found = self.store.operator(login).await.map_err(internal)?;
        // An unknown login costs the same argon2 work as a known one.
        let phc = match &found {
            Some((_, phc)) => phc.clone(),
            None => self.hash("unknown operator")?,
        };
        let parsed = PasswordHash::new(&phc).map_err(internal)?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        let (Some((operator_id, _)), true) = (found, ok) else {
            return Err(denied());
        };
        let token = crate::login::new_token(&self.rng)?;
        let now = self.clock.unix();
        self.store
            .insert_operator_session(token_hash(&token), operator_id, now)
            .await
            .map_err(internal)?;
        self.store
            .audit(
                &format!("operator:{operator_id}"),
                "operator.login",
                login,
                now,
            )
            .await
            .map_err(internal)?;
        Ok(SessionIssued {
            token,
            expires_in_s: SESSION_LIFETIME_S as u32,
            idle_timeout_s: SESSION_IDLE_S as u32,
        })
    }

    /// The operator a bearer token belongs to.
    pub async fn authenticate(&self, token: &str) -> Result<i64, ApiError> {
        let unauthorized = || {
            ApiError::new(
                ErrorKind::Unauthorized,
                messages_ru::OPERATOR_LOGIN_REQUIRED,
            )
        };
        let hash = token_hash(token);
        let now = self.clock.unix();
        let session = self
            .store
            .operator_session(hash.clone())
            .await
            .map_err(internal)?
            .ok_or_else(unauthorized)?;
        if !crate::login::session_is_live(&session, now) {
            return Err(unauthorized());
        }
        self.store
            .touch_operator_session(hash, now)
            .await
            .map_err(internal)?;
        Ok(session.applicant_id)
    }

    /// The operator a bearer token belongs to, if they hold `role`.
    pub async fn authenticate_as(&self, token: &str, role: OperatorRole) -> Result<i64, ApiError> {
        let id = self.authenticate(token).await?;
        let held = self.store.operator_role(id).await.map_err(internal)?;
        if held.as_deref().and_then(OperatorRole::parse) != Some(role) {
            return Err(ApiError::new(
                ErrorKind::Forbidden,
                match role {
                    OperatorRole::Reviewer => messages_ru::OPERATORS_ONLY,
                    OperatorRole::Officer => messages_ru::OFFICER_ONLY,
                },
            ));
        }
        Ok(id)
    }
}
