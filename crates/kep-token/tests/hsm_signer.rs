//! A service's key on the GOST SoftHSM2 through `HsmSigner`: found by label and id with its
//! public key read back from the token, signing from several threads, a session the module
//! closes (as an HSM restart does) or a token logged out under it is opened again and the
//! signature retried; a wrong PIN, a missing token or a missing key stops the opening.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, unsafe_code)] // a test may fail loudly

mod common;

use kep_pki::signer::KeySigner;
use kep_token::error::TokenError;
use kep_token::hsm::{HsmKeyRef, HsmSigner};
use kep_token::keys::{KeyKind, find_key, generate};
use kep_token::{Module, Pin, TokenWorker};
use std::sync::Arc;

fn verifies(signer: &dyn KeySigner, message: &[u8], signature: &[u8]) -> bool {
    let spki = signer.public_key_info().to_vec();
    let algorithm = kep_pki::verify::signature_algorithm_identifier(signer.algorithm());
    let algorithm = spki::AlgorithmIdentifier {
        oid: algorithm.oid,
        parameters: algorithm.parameters.as_ref().map(der::asn1::AnyRef::from),
    };
    kep_pki::verify::verify_signature(&spki, &algorithm, message, signature).is_ok()
}

#[test]
fn an_hsm_key_survives_lost_sessions_and_refuses_bad_settings() {
    let token = common::soft_token("hsm-signer", common::gost_library());
    let worker = Arc::new(TokenWorker::open(token.module.clone(), token.slot).unwrap());
    kep_token::pin::login(&worker, Pin::new(common::USER_PIN), false).unwrap();
    let made = generate(&worker, KeyKind::Gost256, "issuing CA", None).unwrap();
    // The public key as the token keeps it is the one generation returned.
    let found = find_key(&worker, made.id.clone()).unwrap();
    assert_eq!(found.public_key_info, made.public_key_info);
    assert_eq!(found.algorithm, made.algorithm);
    drop(worker);

    let place = HsmKeyRef {
        module: token.library.clone(),
        token_label: common::LABEL.into(),
        key_id: made.id.clone(),
        pin: Pin::new(common::USER_PIN),
    };
    // One load of the module per process: the signer shares the test's.
    assert!(Arc::ptr_eq(
        &Module::shared(&token.library).unwrap(),
        &Module::shared(&token.library).unwrap()
    ));
    let signer = Arc::new(HsmSigner::open(place.clone(), 3).unwrap());
    assert_eq!(signer.public_key_info(), made.public_key_info.as_slice());

    // Concurrent signatures over the sessions, each verifying.
    let threads: Vec<_> = (0..6)
        .map(|i| {
            let signer = signer.clone();
            std::thread::spawn(move || {
                let message = format!("certificate {i}");
                let signature = signer.sign_message(message.as_bytes()).unwrap();
                assert!(verifies(&*signer, message.as_bytes(), &signature));
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(signer.sessions_reopened(), 0);

    // The module closes every session of the slot (what an HSM restart does to a client):
    // each session is opened again on its next signature, which succeeds.
    let library = unsafe { cryptoki_sys::Pkcs11::new(&token.library) }.unwrap();
    let rv = unsafe { library.C_CloseAllSessions(token.slot.id()) };
    assert_eq!(rv, cryptoki_sys::CKR_OK);
    for i in 0..3 {
        let message = format!("after the restart {i}");
        let signature = signer.sign_message(message.as_bytes()).unwrap();
        assert!(verifies(&*signer, message.as_bytes(), &signature));
    }
    assert_eq!(signer.sessions_reopened(), 3);

    // Logged out under the signer (another session logs out the whole token).
    {
        let other = TokenWorker::open(token.module.clone(), token.slot).unwrap();
        other.call(|session, _, _| Ok(session.logout()?)).unwrap();
    }
    let signature = signer.sign_message(b"after a logout").unwrap();
    assert!(verifies(&*signer, b"after a logout", &signature));
    assert!(signer.sessions_reopened() >= 4);

    // Settings that cannot work stop the opening with what is wrong. (Login is the token's
    // for the whole process while any session is open: close them first, or C_Login answers
    // "already logged in" whatever the PIN.)
    drop(signer);
    let open = |place: HsmKeyRef| HsmSigner::open(place, 1).map(|_| ()).unwrap_err();
    assert!(matches!(
        open(HsmKeyRef {
            pin: Pin::new("00000000"),
            ..place.clone()
        }),
        TokenError::PinIncorrect { .. }
    ));
    assert_eq!(
        open(HsmKeyRef {
            token_label: "no such token".into(),
            ..place.clone()
        }),
        TokenError::NoTokenLabelled("no such token".into())
    );
    assert_eq!(
        open(HsmKeyRef {
            key_id: vec![0xEE; 16],
            ..place.clone()
        }),
        TokenError::KeyNotFound
    );
    assert!(matches!(
        open(HsmKeyRef {
            module: "/nonexistent/libpkcs11.so".into(),
            ..place
        }),
        TokenError::Module(_)
    ));
}
