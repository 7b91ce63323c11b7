//! Operators' second factor: TOTP (RFC 6238 — HMAC-SHA1, 6 digits, 30-second steps, one step
//! of clock drift either way), the form every authenticator app reads from an `otpauth://` QR
//! code. Secrets are 20 random bytes (RFC 4226 §4), sealed at rest (`secret_seal`); a code is
//! accepted once (the step taken is recorded by the store).

use ring::rand::{SecureRandom, SystemRandom};
use totp_rs::{Algorithm, Builder, Totp};
use zeroize::Zeroizing;

/// The issuer authenticator apps show beside the login.
pub const ISSUER: &str = "KEP Renew CA";

/// Why a TOTP step could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum TotpError {
    /// The secret or the login does not make a valid TOTP (a login with ':' cannot be named in
    /// an otpauth URL).
    #[error("TOTP: {0}")]
    Invalid(String),
    /// The OS random number generator failed.
    #[error("the OS random number generator failed")]
    Randomness,
}

/// A fresh secret.
pub fn new_secret() -> Result<Zeroizing<Vec<u8>>, TotpError> {
    let mut secret = Zeroizing::new(vec![0u8; 20]);
    SystemRandom::new()
        .fill(&mut secret)
        .map_err(|_| TotpError::Randomness)?;
    Ok(secret)
}

fn totp(secret: &[u8], login: &str) -> Result<Totp, TotpError> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_skew(1)
        .with_secret(secret.to_vec())
        .with_issuer(Some(ISSUER))
        .with_account_name(login.replace(':', "_"))
        .build()
        .map_err(|e| TotpError::Invalid(e.to_string()))
}

/// The time step `code` is right for at `now` (Unix seconds), within a step either way.
pub fn check(secret: &[u8], login: &str, code: &str, now: i64) -> Result<Option<i64>, TotpError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let now = u64::try_from(now).unwrap_or_default();
    Ok(totp(secret, login)?
        .check(&code, now)
        .and_then(|step| i64::try_from(step).ok()))
}

/// The code at `now` (for tests and the dev seed's banner).
pub fn code_at(secret: &[u8], login: &str, now: i64) -> Result<String, TotpError> {
    Ok(totp(secret, login)?
        .generate(u64::try_from(now).unwrap_or_default())
        .to_string())
}

/// The secret an enrollment showed in base32 (what an operator types into an app by hand).
pub fn secret_from_base32(text: &str) -> Option<Zeroizing<Vec<u8>>> {
    totp_rs::Secret::try_from_base32(text)
        .ok()
        .map(|s| Zeroizing::new(s.as_bytes().to_vec()))
}

/// What an operator enrolls with: the secret in base32 (typed by hand) and the `otpauth://` URL
/// (scanned from the QR code).
pub struct Enrollment {
    /// The secret, base32 (RFC 4648, no padding), for typing into an app.
    pub secret_base32: Zeroizing<String>,
    /// `otpauth://totp/KEP%20Renew%20CA:login?secret=…&issuer=…`.
    pub url: Zeroizing<String>,
}

impl std::fmt::Debug for Enrollment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Enrollment(***)")
    }
}

/// The enrollment of `secret` for `login`.
pub fn enrollment(secret: &[u8], login: &str) -> Result<Enrollment, TotpError> {
    let totp = totp(secret, login)?;
    Ok(Enrollment {
        secret_base32: Zeroizing::new(totp.secret().to_base32()),
        url: Zeroizing::new(
            totp.to_url()
                .map_err(|e| TotpError::Invalid(e.to_string()))?,
        ),
    })
}

/// The QR code of `url` as an SVG image.
pub fn qr_svg(url: &str) -> Result<String, TotpError> {
    let code =
        qrcode::QrCode::new(url.as_bytes()).map_err(|e| TotpError::Invalid(e.to_string()))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_rfc_6238() {
        // RFC 6238 appendix B, SHA-1: secret "12345678901234567890", 8 digits there; the last
        // 6 of them are the 6-digit code.
        let secret = b"12345678901234567890";
        for (time, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ] {
            assert_eq!(code_at(secret, "op", time).unwrap(), &eight[2..], "{time}");
            assert_eq!(
                check(secret, "op", &eight[2..], time).unwrap(),
                Some(time / 30)
            );
        }
    }

    #[test]
    fn a_code_is_right_within_one_step_either_way() {
        let secret = new_secret().unwrap();
        let now = 1_800_000_000;
        let code = code_at(&secret, "op", now).unwrap();
        assert!(check(&secret, "op", &code, now + 30).unwrap().is_some());
        assert!(check(&secret, "op", &code, now - 30).unwrap().is_some());
        assert_eq!(check(&secret, "op", &code, now + 90).unwrap(), None);
        assert_eq!(check(&secret, "op", "12 34", now).unwrap(), None);
        assert_eq!(check(&secret, "op", "abcdef", now).unwrap(), None);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert!(check(&secret, "op", &spaced, now).unwrap().is_some());
    }

    #[test]
    fn enrollment_names_the_issuer_and_the_login() {
        let secret = new_secret().unwrap();
        let e = enrollment(&secret, "reviewer").unwrap();
        assert!(e.url.starts_with("otpauth://totp/"), "{}", *e.url);
        assert!(e.url.contains("reviewer") && e.url.contains("issuer=KEP%20Renew%20CA"));
        assert!(e.url.contains(e.secret_base32.as_str()));
        assert_eq!(
            secret_from_base32(&e.secret_base32).unwrap().as_slice(),
            secret.as_slice()
        );
        let svg = qr_svg(&e.url).unwrap();
        assert!(svg.contains("<svg"));
        assert_eq!(format!("{e:?}"), "Enrollment(***)");
    }
}
