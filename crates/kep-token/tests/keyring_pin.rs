//! Remembered PINs in the real OS keyring: a private D-Bus session with gnome-keyring's Secret
//! Service (unlocked, in a scratch HOME so the user's own keyring is never touched). Without a
//! session bus the test runs itself again inside `dbus-run-session`.

// Needs Linux tooling (pcscd, SoftHSM2, gnome-keyring under dbus-run-session).
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use kep_token::Pin;
use kep_token::remembered_pin::PinMemory;

#[test]
fn pins_are_remembered_in_the_keyring_and_forgotten() {
    if kep_system_tests::tools::rerun_in_keyring_session(
        "pins_are_remembered_in_the_keyring_and_forgotten",
    ) {
        return;
    }

    let memory = PinMemory;
    let serial = "0123456789abcdef";
    memory.forget(serial).unwrap();
    assert!(memory.recall(serial).unwrap().is_none());
    memory.remember(serial, &Pin::new("24681357")).unwrap();
    assert_eq!(memory.recall(serial).unwrap().unwrap().expose(), "24681357");
    assert!(memory.recall("another-token").unwrap().is_none());
    memory.forget(serial).unwrap();
    assert!(memory.recall(serial).unwrap().is_none());
    // Called from inside an async runtime (as a Tauri command would): no panic.
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        memory.remember(serial, &Pin::new("11112222")).unwrap();
        assert_eq!(memory.recall(serial).unwrap().unwrap().expose(), "11112222");
        memory.forget(serial).unwrap();
    });
    // Nothing of it landed in a file of ours: the keyring keeps it (encrypted) in its own store.
}
