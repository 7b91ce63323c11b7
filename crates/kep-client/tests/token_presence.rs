//! Tokens come and go (#24): after a card-reader event the GOST SoftHSM2 module is asked afresh,
//! so a token made after the app loaded the module (SoftHSM2 reads its slots only when
//! initialized) is heard of without a button; while work on a token holds the module the rescan
//! waits for it, and a token that went away is heard of too.

// Linux tooling (the SoftHSM2 GOST build, softhsm2-util).
#![cfg(target_os = "linux")]
// SoftHSM reads its configuration from the environment: set once, before anything else runs
// (this file has a single test).
#![allow(unsafe_code)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kep_client::key_places::{KeyPlaces, MemoryPins};
use kep_client::token_key::TokenChoice;
use kep_system_tests::softhsm;
use kep_system_tests::tools::Scratch;
use kep_token::readers::ReaderEvent;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const READER: &str = "Virtual PCD 00 00";

fn labels(tokens: &[TokenChoice]) -> Vec<String> {
    let mut labels: Vec<String> = tokens.iter().map(|t| t.label.clone()).collect();
    labels.sort();
    labels
}

/// Waits until the follower has last heard exactly `expected` (labels), and answers how many
/// times it has heard anything.
async fn heard(log: &Mutex<Vec<Vec<String>>>, expected: &[&str]) -> usize {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        {
            let log = log.lock().unwrap();
            if log.last().is_some_and(|last| last == expected) {
                return log.len();
            }
            assert!(
                Instant::now() < deadline,
                "the follower did not hear {expected:?}; it heard {log:?}"
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn token_folders(scratch: &Scratch) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(scratch.path("tokens"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_that_comes_or_goes_is_heard_of_after_a_reader_event() {
    let library = softhsm::gost_library();
    let scratch = Scratch::new("token-presence");
    let conf = softhsm::tokens(&scratch, &["Первый"]);
    // SAFETY: the only test in this binary, before any thread that reads the environment.
    unsafe {
        std::env::set_var("SOFTHSM2_CONF", &conf);
        std::env::set_var("BOTAN_MLOCK_POOL_SIZE", "0");
    }
    let keys = Arc::new(KeyPlaces::new(
        scratch.path("keys"),
        Some(library),
        Arc::new(MemoryPins::default()),
    ));
    // The app has the module loaded (the home read the tokens) before a token comes.
    let module = keys.module().unwrap();
    assert_eq!(
        labels(&kep_client::token_key::list(&module).unwrap()),
        ["Первый"]
    );
    drop(module);

    let log = Arc::new(Mutex::new(Vec::<Vec<String>>::new()));
    let (events, received) = tokio::sync::mpsc::unbounded_channel();
    let sink = log.clone();
    let follower = tokio::spawn(kep_client::token_presence::follow(
        keys.clone(),
        received,
        move |tokens| sink.lock().unwrap().push(labels(tokens)),
    ));

    // A token arrives (another process makes it, as plugging one in does), with its reader's
    // burst of events: heard of once.
    softhsm::tokens(&scratch, &["Второй"]);
    events
        .send(ReaderEvent::ReaderAdded(READER.into()))
        .unwrap();
    events
        .send(ReaderEvent::CardInserted(READER.into()))
        .unwrap();
    assert_eq!(heard(&log, &["Второй", "Первый"]).await, 1);

    // Work on a token holds the module: a token that comes meanwhile waits for it to end, then
    // is heard of without another event.
    let busy = keys.module().unwrap();
    let before = token_folders(&scratch);
    softhsm::tokens(&scratch, &["Третий"]);
    events
        .send(ReaderEvent::CardInserted(READER.into()))
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        log.lock().unwrap().len(),
        1,
        "nothing new while the module is held: {:?}",
        log.lock().unwrap()
    );
    assert_eq!(
        labels(&kep_client::token_key::list(&busy).unwrap()),
        ["Второй", "Первый"],
        "the work's module is untouched"
    );
    drop(busy);
    assert_eq!(heard(&log, &["Второй", "Первый", "Третий"]).await, 2);

    // A token goes away: heard of.
    let third: Vec<_> = token_folders(&scratch)
        .into_iter()
        .filter(|dir| !before.contains(dir))
        .collect();
    assert_eq!(third.len(), 1, "the third token's folder");
    std::fs::remove_dir_all(&third[0]).unwrap();
    events
        .send(ReaderEvent::CardRemoved(READER.into()))
        .unwrap();
    assert_eq!(heard(&log, &["Второй", "Первый"]).await, 3);

    // The events end (the watcher is dropped): so does the follower.
    drop(events);
    tokio::time::timeout(Duration::from_secs(5), follower)
        .await
        .expect("the follower ends with its events")
        .unwrap();
}
