//! Remembered PINs in the real OS keyring: a private D-Bus session with gnome-keyring's Secret
//! Service (unlocked, in a scratch HOME so the user's own keyring is never touched). Without a
//! session bus the test runs itself again inside `dbus-run-session`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use kep_system_tests::tools::Scratch;
use kep_token::Pin;
use kep_token::remembered_pin::PinMemory;
use std::process::Command;

const CHILD: &str = "KEP_KEYRING_TEST_CHILD";

#[test]
fn pins_are_remembered_in_the_keyring_and_forgotten() {
    if std::env::var_os(CHILD).is_none() {
        // Re-run this very test inside a private session bus with an unlocked keyring.
        let scratch = Scratch::new("keyring");
        let exe = std::env::current_exe().unwrap();
        let script = "printf 'test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec \"$0\" --exact pins_are_remembered_in_the_keyring_and_forgotten --nocapture";
        let out = Command::new("dbus-run-session")
            .args(["--", "bash", "-c", script])
            .arg(&exe)
            .env(CHILD, "1")
            .env("HOME", scratch.dir())
            .env("XDG_DATA_HOME", scratch.path("data"))
            .env("XDG_RUNTIME_DIR", scratch.dir())
            .output()
            .expect("dbus-run-session and gnome-keyring are installed (scripts/setup.sh)");
        assert!(
            out.status.success() && String::from_utf8_lossy(&out.stdout).contains("1 passed"),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
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
    // Nothing of it landed in a file of ours: the keyring keeps it (encrypted) in its own store.
}
