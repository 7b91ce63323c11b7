//! The text catalogues keep their promise: each crate's Russian sentences live in its one
//! `messages_ru.rs` (the UI's in `ru.ts`), and no catalogue says the same sentence twice.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use kep_system_tests::read_repo_file;
use std::collections::BTreeMap;

const CATALOGUES: &[&str] = &[
    "crates/kep-ca/src/messages_ru.rs",
    "crates/kep-client/src/messages_ru.rs",
    "crates/kep-pki/src/messages_ru.rs",
    "crates/kep-protocol/src/messages_ru.rs",
    "crates/kep-token/src/messages_ru.rs",
    "src-tauri/src/messages_ru.rs",
    "ui/src/lib/i18n/ru.ts",
];

/// The quoted literals of `text` that hold Cyrillic and end a sentence (longer than a word).
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for quote in ['"', '\''] {
        let mut rest = text;
        while let Some(start) = rest.find(quote) {
            let after = &rest[start + 1..];
            let Some(end) = after.find(quote) else { break };
            let literal = &after[..end];
            if literal
                .chars()
                .any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
                && literal.contains(' ')
                && literal.trim_end().ends_with(['.', '!', '?'])
            {
                out.push(literal.to_owned());
            }
            rest = &after[end + 1..];
        }
    }
    out
}

#[test]
fn no_catalogue_says_a_sentence_twice() {
    for catalogue in CATALOGUES {
        let text = read_repo_file(catalogue).unwrap();
        let found = sentences(&text);
        assert!(!found.is_empty(), "{catalogue}: sentences were found");
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for s in &found {
            *seen.entry(s.as_str()).or_default() += 1;
        }
        let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "{catalogue} repeats {twice:?}");
    }
}

#[test]
fn the_app_crates_keep_their_sentences_in_their_catalogue() {
    // The app's side: every user-facing sentence of these sources is in the crate's catalogue.
    for dir in [
        "crates/kep-client/src",
        "crates/kep-token/src",
        "src-tauri/src",
    ] {
        let root = kep_system_tests::repo_root().join(dir);
        let mut stack = vec![root];
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".rs") || name == "messages_ru.rs" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Unit tests may say anything.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            let code: String = code
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            let stray = sentences(&code);
            assert!(
                stray.is_empty(),
                "{} holds sentences outside its catalogue: {stray:?}",
                path.display()
            );
        }
    }
}
