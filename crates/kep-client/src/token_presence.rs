//! Tokens come and go: after a card-reader event (kep-token's PC/SC watcher) the PKCS#11 module
//! is asked afresh which tokens are present, and the follower hears of every change — so the
//! token list and the home show an inserted or pulled token without a button.
//!
//! Events come in bursts (a reader and its card; the service and all its readers): one rescan
//! once a burst has settled. A rescan waits for work on a token to end (C_Finalize would end that
//! work's session): meanwhile the module is only listed as it is, and the rescan is tried again
//! every second.

use crate::key_places::{KeyPlaces, ModuleRescan};
use crate::token_key::{self, TokenChoice};
use kep_token::readers::{ReaderEvent, ReaderWatcher};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// How long a burst of reader events is let settle before the rescan.
const SETTLE: Duration = Duration::from_millis(250);
/// How often a rescan put off by work on a token is tried again.
const RETRY: Duration = Duration::from_secs(1);

/// Starts watching the card readers; their events arrive on the receiver until the watcher is
/// dropped.
pub fn reader_events() -> (ReaderWatcher, mpsc::UnboundedReceiver<ReaderEvent>) {
    let (events, received) = mpsc::unbounded_channel();
    let watcher = ReaderWatcher::start(move |event| {
        // The follower has ended: nobody listens any more.
        let _ = events.send(event);
    });
    (watcher, received)
}

/// Follows `events` until they end: after each burst the tokens present are read afresh, and
/// `on_change` hears them whenever they differ from the last it heard (the first time, always).
pub async fn follow(
    keys: Arc<KeyPlaces>,
    mut events: mpsc::UnboundedReceiver<ReaderEvent>,
    on_change: impl Fn(&[TokenChoice]),
) {
    let mut heard: Option<Vec<TokenChoice>> = None;
    while let Some(event) = events.recv().await {
        tracing::debug!(?event, "card reader");
        let mut open = settle(&mut events).await;
        loop {
            let (tokens, put_off) = rescan(keys.clone()).await;
            if heard.as_ref() != Some(&tokens) {
                tracing::info!(tokens = tokens.len(), "the tokens present changed");
                on_change(&tokens);
                heard = Some(tokens);
            }
            if !put_off || !open {
                break;
            }
            tokio::select! {
                () = tokio::time::sleep(RETRY) => {}
                more = events.recv() => match more {
                    Some(_) => open = settle(&mut events).await,
                    None => open = false,
                },
            }
        }
        if !open {
            return;
        }
    }
}

/// Waits until no event has come for [`SETTLE`]; false when the events ended.
async fn settle(events: &mut mpsc::UnboundedReceiver<ReaderEvent>) -> bool {
    loop {
        match tokio::time::timeout(SETTLE, events.recv()).await {
            Ok(Some(_)) => {}
            Ok(None) => return false,
            Err(_quiet) => return true,
        }
    }
}

/// The tokens present after asking the module afresh, and whether asking was put off.
async fn rescan(keys: Arc<KeyPlaces>) -> (Vec<TokenChoice>, bool) {
    tokio::task::spawn_blocking(move || {
        let put_off = match keys.rescan_module() {
            Ok(ModuleRescan::Fresh) => {
                tracing::info!("the token library was initialized anew");
                false
            }
            Ok(rescan) => rescan == ModuleRescan::InUse,
            Err(error) => {
                tracing::warn!(%error, "the token library could not be asked afresh");
                false
            }
        };
        let tokens = keys
            .module()
            .and_then(|module| token_key::list(&module))
            .unwrap_or_else(|error| {
                tracing::info!(%error, "no tokens can be listed");
                Vec::new()
            });
        (tokens, put_off)
    })
    .await
    .unwrap_or_default()
}
