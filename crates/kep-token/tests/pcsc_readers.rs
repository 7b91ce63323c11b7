//! Readers and hot-plug through the real PC/SC stack: pcscd with the vpcd virtual reader, a
//! virtual card from vicc (start it = insert, stop it = pull out). With pcscd stopped the state
//! is "service unavailable", reported once.
//!
//! Needs root to start pcscd (CI runs as root) and the packages of scripts/setup.sh.

// Needs Linux tooling (pcscd, SoftHSM2, gnome-keyring under dbus-run-session).
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use kep_system_tests::tools::Scratch;
use kep_token::readers::{ReaderEvent, ReaderWatcher, Readers, list_readers};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// vpcd's configuration for pcscd in `scratch`, on `port`: Debian's listens on 35963, inside the
/// kernel's ephemeral range, where any process's outgoing connection may hold it first.
fn vpcd_config(scratch: &Scratch, port: u16) -> std::path::PathBuf {
    let dir = scratch.path("reader.conf.d");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("vpcd"),
        format!(
            "FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME   /dev/null:{port:#06X}\nLIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID    {port:#06X}\n"
        ),
    )
    .unwrap();
    dir
}

fn start_pcscd(config: &std::path::Path) -> Killed {
    Killed(
        Command::new("pcscd")
            .args(["--foreground", "--config"])
            .arg(config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("pcscd is installed (scripts/setup.sh)"),
    )
}

/// A virtual ISO 7816 card that connects to vpcd (= inserting it).
fn start_card(scratch: &Scratch, port: u16) -> Killed {
    // Debian's vicc imports `Crypto`; pycryptodome installs as `Cryptodome`.
    let shim = scratch.path("py");
    std::fs::create_dir_all(&shim).unwrap();
    let _ = std::os::unix::fs::symlink(
        "/usr/lib/python3/dist-packages/Cryptodome",
        shim.join("Crypto"),
    );
    Killed(
        Command::new("/usr/bin/python3")
            .args(["/usr/bin/vicc", "-t", "iso7816", "-P", &port.to_string()])
            .env(
                "PYTHONPATH",
                format!(
                    "/usr/lib/python3/site-packages/virtualsmartcard:{}",
                    shim.display()
                ),
            )
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("vicc is installed (scripts/setup.sh)"),
    )
}

fn wait_for(
    events: &Mutex<Vec<ReaderEvent>>,
    what: &str,
    predicate: impl Fn(&ReaderEvent) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if events.lock().unwrap().iter().any(&predicate) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no {what}; events: {:?}",
            events.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn readers_and_cards_come_and_go() {
    assert!(
        !Command::new("pgrep")
            .arg("pcscd")
            .status()
            .unwrap()
            .success(),
        "another pcscd is running: stop it first"
    );
    let scratch = Scratch::new("pcsc");
    assert_eq!(list_readers(), Readers::ServiceUnavailable);

    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let watcher = ReaderWatcher::start(move |e| sink.lock().unwrap().push(e));
    wait_for(&events, "service-unavailable state", |e| {
        *e == ReaderEvent::ServiceUnavailable
    });
    std::thread::sleep(Duration::from_millis(1500));
    let unavailable = events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| **e == ReaderEvent::ServiceUnavailable)
        .count();
    assert_eq!(
        unavailable, 1,
        "a stopped service is reported once, not in a loop"
    );

    let port = kep_system_tests::tools::free_port();
    let pcscd = start_pcscd(&vpcd_config(&scratch, port));
    wait_for(&events, "service", |e| *e == ReaderEvent::ServiceAvailable);
    wait_for(
        &events,
        "virtual reader",
        |e| matches!(e, ReaderEvent::ReaderAdded(n) if n.contains("Virtual PCD")),
    );
    let Readers::Available(readers) = list_readers() else {
        panic!("pcscd runs")
    };
    assert!(
        readers
            .iter()
            .any(|r| r.name.contains("Virtual PCD") && !r.card_present)
    );

    let card = start_card(&scratch, port);
    wait_for(
        &events,
        "card insertion",
        |e| matches!(e, ReaderEvent::CardInserted(n) if n.contains("Virtual PCD")),
    );
    drop(card);
    wait_for(
        &events,
        "card removal",
        |e| matches!(e, ReaderEvent::CardRemoved(n) if n.contains("Virtual PCD")),
    );

    drop(pcscd);
    let before = unavailable;
    wait_for(&events, "service stop", |e| {
        *e == ReaderEvent::ServiceUnavailable
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    while events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| **e == ReaderEvent::ServiceUnavailable)
        .count()
        == before
    {
        assert!(
            Instant::now() < deadline,
            "no second service-unavailable: {:?}",
            events.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(watcher);
}
