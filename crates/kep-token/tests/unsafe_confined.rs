//! The unsafe layer stays confined: only `src/raw.rs` may allow unsafe code, the crate root
//! denies it, and the raw module is private.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn only_raw_rs_allows_unsafe_code_and_it_is_private() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    assert!(files.len() > 5, "the sources were found");
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let allows = text.contains("allow(unsafe_code)");
        let is_raw = file.file_name().is_some_and(|n| n == "raw.rs");
        assert!(
            !allows || is_raw,
            "{} allows unsafe code; only raw.rs may",
            file.display()
        );
        if !is_raw {
            assert!(
                !text.contains("unsafe {")
                    && !text.contains("unsafe impl")
                    && !text.contains("unsafe fn"),
                "{} has unsafe code outside raw.rs",
                file.display()
            );
        }
    }
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    assert!(lib.contains("#![deny(unsafe_code)]"));
    assert!(
        lib.lines().any(|l| l.trim() == "mod raw;"),
        "the raw module is private"
    );
    assert!(
        !lib.contains("pub use raw"),
        "nothing of raw is re-exported"
    );
}
