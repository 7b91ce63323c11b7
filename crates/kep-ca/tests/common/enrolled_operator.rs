//! An operator's first sign-in on a CA in service (TOTP required): enroll the authenticator
//! through the API, answer with the app's first code, get the session.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};

/// The session of `login` after enrolling its authenticator at `base` (`…/`).
pub async fn first_sign_in(
    http: &reqwest::Client,
    base: &str,
    login: &str,
    password: &str,
) -> String {
    let post = |path: &str, body: Value| {
        http.post(format!("{base}api/v1/operator/{path}"))
            .json(&body)
            .send()
    };
    let credentials = json!({ "login": login, "password": password });
    let refused = post("login", credentials.clone()).await.unwrap();
    assert_eq!(
        refused.status(),
        403,
        "a CA in service asks for an authenticator first"
    );
    let enrollment: Value = post("totp/enrollment", credentials)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = kep_ca::totp::secret_from_base32(enrollment["secret"].as_str().unwrap()).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let code = kep_ca::totp::code_at(&secret, login, now).unwrap();
    let session = post(
        "totp/confirmation",
        json!({ "login": login, "password": password, "totp": code }),
    )
    .await
    .unwrap();
    assert_eq!(session.status(), 200);
    let session: Value = session.json().await.unwrap();
    session["token"].as_str().unwrap().to_owned()
}
