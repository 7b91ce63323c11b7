//! SoftHSM2 for the tests: the GOST-capable build (`scripts/softhsm-gost.sh`, built once and
//! cached) and token folders of their own, initialized with `softhsm2-util` the way a new token
//! comes (user PIN 12345678, SO PIN 87654321).

use crate::tools::Scratch;
use std::path::PathBuf;
use std::process::Command;

/// The user PIN of the test tokens.
pub const USER_PIN: &str = "12345678";
/// Their SO PIN.
pub const SO_PIN: &str = "87654321";

/// The GOST-capable SoftHSM2 library (`KEP_SOFTHSM_GOST`, else built by the script).
pub fn gost_library() -> PathBuf {
    if let Some(path) = std::env::var_os("KEP_SOFTHSM_GOST") {
        return PathBuf::from(path);
    }
    let script = crate::repo_root().join("scripts/softhsm-gost.sh");
    let out = Command::new("bash")
        .arg(&script)
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    PathBuf::from(text.lines().last().expect("the library path").trim())
}

/// Writes a SoftHSM2 configuration with a token folder of its own in `scratch`; answers its
/// path, for `SOFTHSM2_CONF` (with `BOTAN_MLOCK_POOL_SIZE=0`: Botan's locked pool crashes
/// processes at exit).
pub fn config(scratch: &Scratch) -> PathBuf {
    std::fs::create_dir_all(scratch.path("tokens")).unwrap();
    scratch.write(
        "softhsm2.conf",
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n",
            scratch.arg("tokens")
        ),
    );
    scratch.path("softhsm2.conf")
}

/// [`config`], with a token initialized for each of `labels`.
pub fn tokens(scratch: &Scratch, labels: &[&str]) -> PathBuf {
    let conf = config(scratch);
    for label in labels {
        // pkcs11-tool initializes the first slot whatever it holds; softhsm2-util takes the
        // free one (the token files are the same for every SoftHSM2 2.6 build).
        let out = Command::new("softhsm2-util")
            .args(["--init-token", "--free", "--label", label])
            .args(["--so-pin", SO_PIN, "--pin", USER_PIN])
            .env("SOFTHSM2_CONF", &conf)
            .env("BOTAN_MLOCK_POOL_SIZE", "0")
            .output()
            .expect("softhsm2-util runs (softhsm2, scripts/setup.sh)");
        assert!(
            out.status.success(),
            "softhsm2-util --init-token {label}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    conf
}
