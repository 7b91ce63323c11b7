//! PIN handling: the token's PIN flags, and a login that explains itself — tries left when the
//! token says so, a warning before the final try, a clear message when locked, and a notice when
//! the factory PIN is still in use. PINs are zeroized.
//!
//! The logic runs against [`LoginPort`], so the states SoftHSM never produces (final try,
//! locked) are tested by replaying a token's answers.

use crate::constants::DEFAULT_USER_PIN;
use crate::error::TokenError;
use cryptoki::session::{Session, UserType};
use cryptoki::slot::{Slot, TokenInfo};
use cryptoki::types::AuthPin;
use zeroize::Zeroizing;

/// A PIN typed by the user; zeroized when dropped.
#[derive(Clone)]
pub struct Pin(Zeroizing<String>);

impl Pin {
    /// Wraps a PIN.
    pub fn new(pin: impl Into<String>) -> Self {
        Self(Zeroizing::new(pin.into()))
    }

    /// The PIN's text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(***)")
    }
}

/// The user PIN flags of CK_TOKEN_INFO.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PinFlags {
    /// A wrong PIN was entered since the last success.
    pub count_low: bool,
    /// The next wrong PIN locks it.
    pub final_try: bool,
    /// Locked.
    pub locked: bool,
    /// Must be changed (factory state on some tokens).
    pub to_be_changed: bool,
}

impl From<&TokenInfo> for PinFlags {
    fn from(info: &TokenInfo) -> Self {
        Self {
            count_low: info.user_pin_count_low(),
            final_try: info.user_pin_final_try(),
            locked: info.user_pin_locked(),
            to_be_changed: info.user_pin_to_be_changed(),
        }
    }
}

/// How a login attempt ended, as far as PIN logic cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginAnswer {
    /// Logged in (or already was).
    Ok,
    /// CKR_PIN_INCORRECT.
    Incorrect,
    /// CKR_PIN_LOCKED.
    Locked,
    /// Anything else.
    Failed(TokenError),
}

/// What login needs from a token.
pub trait LoginPort {
    /// The current PIN flags.
    fn pin_flags(&self) -> Result<PinFlags, TokenError>;
    /// One C_Login with the user PIN.
    fn login(&self, pin: &Pin) -> LoginAnswer;
}

/// A successful login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginOutcome {
    /// The factory PIN (12345678) is still set: the user should change it.
    pub default_pin: bool,
    /// The token asks for the PIN to be changed.
    pub must_change: bool,
}

/// Logs in with `pin`. When the token says the next wrong PIN locks it, nothing is tried unless
/// `final_try_confirmed` (the UI shows the warning first and asks).
pub fn authenticate(
    port: &dyn LoginPort,
    pin: &Pin,
    final_try_confirmed: bool,
) -> Result<LoginOutcome, TokenError> {
    let before = port.pin_flags()?;
    if before.locked {
        return Err(TokenError::PinLocked);
    }
    if before.final_try && !final_try_confirmed {
        return Err(TokenError::PinFinalTry);
    }
    match port.login(pin) {
        LoginAnswer::Ok => Ok(LoginOutcome {
            default_pin: pin.expose() == DEFAULT_USER_PIN,
            must_change: before.to_be_changed,
        }),
        LoginAnswer::Locked => Err(TokenError::PinLocked),
        LoginAnswer::Incorrect => {
            let after = port.pin_flags()?;
            if after.locked {
                Err(TokenError::PinLocked)
            } else {
                Err(TokenError::PinIncorrect {
                    final_try_next: after.final_try,
                    count_low: after.count_low,
                })
            }
        }
        LoginAnswer::Failed(e) => Err(e),
    }
}

/// The real port: a session on a slot of a module.
#[allow(missing_debug_implementations)] // holds a session, which has nothing to show
pub struct SessionLogin<'a> {
    /// The module's context (for CK_TOKEN_INFO).
    pub pkcs11: &'a cryptoki::context::Pkcs11,
    /// The slot.
    pub slot: Slot,
    /// The session to log in.
    pub session: &'a Session,
}

impl LoginPort for SessionLogin<'_> {
    fn pin_flags(&self) -> Result<PinFlags, TokenError> {
        Ok(PinFlags::from(&self.pkcs11.get_token_info(self.slot)?))
    }

    fn login(&self, pin: &Pin) -> LoginAnswer {
        use cryptoki::error::{Error, RvError};
        let secret = AuthPin::new(pin.expose().to_owned().into());
        match self.session.login(UserType::User, Some(&secret)) {
            Ok(()) | Err(Error::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => LoginAnswer::Ok,
            Err(Error::Pkcs11(RvError::PinIncorrect, _)) => LoginAnswer::Incorrect,
            Err(Error::Pkcs11(RvError::PinLocked, _)) => LoginAnswer::Locked,
            Err(other) => LoginAnswer::Failed(other.into()),
        }
    }
}

/// Logs the worker's session in with `pin` (see [`authenticate`]).
pub fn login(
    worker: &crate::worker::TokenWorker,
    pin: Pin,
    final_try_confirmed: bool,
) -> Result<LoginOutcome, TokenError> {
    worker.call(move |session, module, slot| {
        let port = SessionLogin {
            pkcs11: module.pkcs11(),
            slot,
            session,
        };
        authenticate(&port, &pin, final_try_confirmed)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// Replays a token: its flags before and after each attempt, and its answers.
    struct Replay {
        flags: RefCell<Vec<PinFlags>>,
        answers: RefCell<Vec<LoginAnswer>>,
    }

    impl LoginPort for Replay {
        fn pin_flags(&self) -> Result<PinFlags, TokenError> {
            Ok(self.flags.borrow_mut().remove(0))
        }
        fn login(&self, _: &Pin) -> LoginAnswer {
            self.answers.borrow_mut().remove(0)
        }
    }

    fn replay(flags: Vec<PinFlags>, answers: Vec<LoginAnswer>) -> Replay {
        Replay {
            flags: RefCell::new(flags),
            answers: RefCell::new(answers),
        }
    }

    const CLEAN: PinFlags = PinFlags {
        count_low: false,
        final_try: false,
        locked: false,
        to_be_changed: false,
    };
    const LOW: PinFlags = PinFlags {
        count_low: true,
        ..CLEAN
    };
    const FINAL: PinFlags = PinFlags {
        count_low: true,
        final_try: true,
        ..CLEAN
    };
    const LOCKED: PinFlags = PinFlags {
        locked: true,
        ..CLEAN
    };

    #[test]
    fn default_pin_is_accepted_with_a_notice() {
        let port = replay(vec![CLEAN], vec![LoginAnswer::Ok]);
        let outcome = authenticate(&port, &Pin::new("12345678"), false).unwrap();
        assert!(outcome.default_pin);
        let port = replay(vec![CLEAN], vec![LoginAnswer::Ok]);
        assert!(
            !authenticate(&port, &Pin::new("87654321x"), false)
                .unwrap()
                .default_pin
        );
    }

    #[test]
    fn wrong_pin_reports_what_the_token_says() {
        let port = replay(vec![CLEAN, LOW], vec![LoginAnswer::Incorrect]);
        assert_eq!(
            authenticate(&port, &Pin::new("0000"), false),
            Err(TokenError::PinIncorrect {
                final_try_next: false,
                count_low: true
            })
        );
        let port = replay(vec![LOW, FINAL], vec![LoginAnswer::Incorrect]);
        assert_eq!(
            authenticate(&port, &Pin::new("0000"), false),
            Err(TokenError::PinIncorrect {
                final_try_next: true,
                count_low: true
            })
        );
    }

    #[test]
    fn the_final_try_needs_confirmation() {
        let port = replay(vec![FINAL], vec![]);
        assert_eq!(
            authenticate(&port, &Pin::new("0000"), false),
            Err(TokenError::PinFinalTry)
        );
        let port = replay(vec![FINAL, LOCKED], vec![LoginAnswer::Incorrect]);
        assert_eq!(
            authenticate(&port, &Pin::new("0000"), true),
            Err(TokenError::PinLocked)
        );
        let port = replay(vec![FINAL], vec![LoginAnswer::Ok]);
        assert!(authenticate(&port, &Pin::new("12345678"), true).is_ok());
    }

    #[test]
    fn a_locked_pin_is_not_tried() {
        let port = replay(vec![LOCKED], vec![]);
        assert_eq!(
            authenticate(&port, &Pin::new("12345678"), true),
            Err(TokenError::PinLocked)
        );
        let port = replay(vec![CLEAN], vec![LoginAnswer::Locked]);
        assert_eq!(
            authenticate(&port, &Pin::new("12345678"), false),
            Err(TokenError::PinLocked)
        );
    }

    #[test]
    fn pins_do_not_show_in_debug() {
        assert_eq!(format!("{:?}", Pin::new("12345678")), "Pin(***)");
    }
}
