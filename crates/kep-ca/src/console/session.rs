//! The console's sign-in state: the operator session's token in a cookie (HttpOnly, Secure,
//! SameSite=Strict, scoped to /operator), and a CSRF token derived from it that every form
//! carries and every POST must return. A page another site makes cannot read the cookie nor
//! know the token; the browser does not even send a Strict cookie along with it.

use crate::store::OperatorAccount;
use axum::http::HeaderMap;
use axum::http::header::{COOKIE, SET_COOKIE};
use ring::hmac;

/// The cookie's name.
pub const COOKIE_NAME: &str = "kep_console";

/// The session token the request's cookie carries.
pub fn token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}

/// The Set-Cookie value that keeps `token` for the session's life.
pub fn set_cookie(token: &str, max_age_s: u32) -> String {
    format!(
        "{COOKIE_NAME}={token}; Path=/operator; Max-Age={max_age_s}; HttpOnly; Secure; SameSite=Strict"
    )
}

/// The Set-Cookie value that removes it.
pub fn clear_cookie() -> String {
    format!("{COOKIE_NAME}=; Path=/operator; Max-Age=0; HttpOnly; Secure; SameSite=Strict")
}

/// Adds `cookie` to `headers`.
pub fn put_cookie(headers: &mut HeaderMap, cookie: &str) {
    if let Ok(value) = cookie.parse() {
        headers.append(SET_COOKIE, value);
    }
}

/// The CSRF token of the session `token`: what its forms carry.
pub fn csrf(token: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, token.as_bytes());
    hex::encode(hmac::sign(&key, b"kep-ca console form"))
}

/// Whether a POST's `given` CSRF token is its session's, and the browser (when it says)
/// sent it from the console's own pages.
pub fn csrf_ok(token: &str, given: &str, headers: &HeaderMap) -> bool {
    let same_origin = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|site| site == "same-origin");
    let expected = csrf(token);
    same_origin
        && bool::from(subtle::ConstantTimeEq::ct_eq(
            expected.as_bytes(),
            given.as_bytes(),
        ))
}

/// A signed-in operator, as the pages need them.
#[derive(Debug, Clone)]
pub struct Signed {
    /// The account.
    pub account: OperatorAccount,
    /// The session token (the cookie's value).
    pub token: String,
    /// Its CSRF token.
    pub csrf: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_read_among_others_and_set_strictly() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, "a=1; kep_console=abc; b=2".parse().unwrap());
        assert_eq!(token(&headers).as_deref(), Some("abc"));
        let cookie = set_cookie("abc", 1800);
        for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/operator"] {
            assert!(cookie.contains(flag), "{cookie}");
        }
    }

    #[test]
    fn a_form_must_carry_its_sessions_token_from_the_console() {
        let headers = HeaderMap::new();
        let token = "session token";
        assert!(csrf_ok(token, &csrf(token), &headers));
        assert!(!csrf_ok(token, &csrf("another session"), &headers));
        assert!(!csrf_ok(token, "", &headers));
        let mut cross = HeaderMap::new();
        cross.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(!csrf_ok(token, &csrf(token), &cross));
    }
}
