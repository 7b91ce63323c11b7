//! Independent verifiers for tests: OpenSSL with its gost engine, and GnuTLS `certtool`, each run
//! in a scratch folder of its own. The project never depends on them at run time.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch folder, removed when dropped.
#[derive(Debug)]
pub struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    /// A fresh folder named after `tag` and this process.
    pub fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("kep-test-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        Self { dir }
    }

    /// A path inside the folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// A path inside the folder, as a string for command lines.
    pub fn arg(&self, name: &str) -> String {
        self.path(name).to_string_lossy().into_owned()
    }

    /// Writes a file into the folder (and the folders it is in).
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        std::fs::write(path, contents).unwrap_or_else(|e| panic!("{name}: {e}"));
    }

    /// Reads a file from the folder.
    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// OpenSSL with the gost engine loaded through a config file in a scratch folder.
#[derive(Debug)]
pub struct OpenSsl {
    /// The scratch folder the commands run in.
    pub scratch: Scratch,
}

impl OpenSsl {
    /// Writes the engine config; fails the test with a clear message when the engine is missing.
    pub fn new(tag: &str) -> Self {
        let scratch = Scratch::new(tag);
        let out = Command::new("openssl")
            .args(["version", "-e"])
            .output()
            .expect("openssl is installed (scripts/setup.sh)");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let engines = text
            .split('"')
            .nth(1)
            .expect("ENGINESDIR in `openssl version -e`");
        let engine = Path::new(engines).join("gost.so");
        assert!(
            engine.exists(),
            "{} is missing: install libengine-gost-openssl (scripts/setup.sh)",
            engine.display()
        );
        scratch.write(
            "openssl.cnf",
            format!(
                "openssl_conf = openssl_def\n[openssl_def]\nengines = engine_section\n\
                 [engine_section]\ngost = gost_section\n[gost_section]\nengine_id = gost\n\
                 dynamic_path = {}\ndefault_algorithms = ALL\n",
                engine.display()
            ),
        );
        Self { scratch }
    }

    /// Runs openssl in the scratch folder with the engine; returns the whole output.
    pub fn try_run(&self, args: &[&str]) -> Output {
        Command::new("openssl")
            .args(args)
            .env("OPENSSL_CONF", self.scratch.path("openssl.cnf"))
            .current_dir(self.scratch.dir())
            .output()
            .expect("openssl runs")
    }

    /// Runs openssl and returns stdout; fails the test with stderr when it fails.
    pub fn run(&self, args: &[&str]) -> Vec<u8> {
        let out = self.try_run(args);
        assert!(
            out.status.success(),
            "openssl {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }
}

/// Runs GnuTLS `certtool`; returns stdout and stderr together, and whether it succeeded.
pub fn certtool(args: &[&str]) -> (bool, String) {
    let out = Command::new("certtool")
        .args(args)
        .output()
        .expect("certtool (gnutls-bin) is installed (scripts/setup.sh)");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// PEM text of a DER object.
pub fn pem(label: &str, der: &[u8]) -> String {
    der::pem::encode_string(label, der::pem::LineEnding::LF, der).expect("PEM encoding")
}

/// The DER inside the first PEM block labelled `label` in `text` (which may hold several, and
/// other text around them, as tools print).
pub fn pem_der(text: &[u8], label: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(text);
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text
        .find(&begin)
        .unwrap_or_else(|| panic!("no {label} in:\n{text}"));
    let stop = text[start..]
        .find(&end)
        .unwrap_or_else(|| panic!("unterminated {label}"))
        + start
        + end.len();
    der::pem::decode_vec(&text.as_bytes()[start..stop])
        .expect("valid PEM")
        .1
}

/// Runs the calling test again inside a private D-Bus session with an unlocked gnome-keyring (in a
/// scratch HOME, so the user's own keyring is never touched) and checks that it passed there.
/// Returns true in the outer process (the caller returns), false inside (the caller does the
/// real work). `test` is the test function's name.
pub fn rerun_in_keyring_session(test: &str) -> bool {
    const CHILD: &str = "KEP_KEYRING_TEST_CHILD";
    if std::env::var_os(CHILD).is_some() {
        return false;
    }
    let scratch = Scratch::new(&format!("keyring-{test}"));
    let exe = std::env::current_exe().expect("the test binary");
    let script = format!(
        "printf 'test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec \"$0\" --exact {test} --nocapture"
    );
    let out = Command::new("dbus-run-session")
        .args(["--", "bash", "-c", &script])
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
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_round_trips_inside_other_text() {
        let text = format!("noise\n{}more noise", pem("CERTIFICATE", b"hello"));
        assert_eq!(pem_der(text.as_bytes(), "CERTIFICATE"), b"hello");
    }
}

/// A child process that is killed when dropped: a failing test leaves no server behind.
#[derive(Debug)]
pub struct KilledOnDrop(pub std::process::Child);

impl Drop for KilledOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `command` with its standard error appended to `log`, and waits (up to a minute) for a
/// line of its standard output containing `ready`; the test fails with the log otherwise.
pub fn start_until_line(command: &mut Command, log: &Path, ready: &str) -> KilledOnDrop {
    use std::io::BufRead;
    let err = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap_or_else(|e| panic!("{}: {e}", log.display()));
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .stderr(err)
        .spawn()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    let stdout = child.stdout.take().expect("piped standard output");
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let ready = ready.to_owned();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if line.contains(&ready) {
                let _ = ready_tx.send(());
            }
        }
    });
    let child = KilledOnDrop(child);
    if ready_rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .is_err()
    {
        panic!(
            "{command:?} did not start: {}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
    }
    child
}

/// The lowest port the kernel hands out for outgoing connections and `bind(0)`
/// (`ip_local_port_range`).
fn ephemeral_floor() -> u16 {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse().ok())
        .unwrap_or(32768)
}

/// `N` different TCP ports on 127.0.0.1, free a moment ago, for servers a test starts in other
/// processes. They are taken below the kernel's ephemeral range: a port from `bind(0)` is free
/// only until any process's next outgoing connection (the service's own, to PostgreSQL or a
/// stub) takes it as its local port — which made an instance fail with «Address already in
/// use». No port is handed out twice in one test process.
pub fn free_ports<const N: usize>() -> [u16; N] {
    use std::collections::BTreeSet;
    use std::sync::Mutex;
    static GIVEN: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());
    let mut given = GIVEN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let ceiling = ephemeral_floor().max(20_000);
    let span = u32::from(ceiling - 15_000);
    // A cheap xorshift, seeded by the time and the process: tests in parallel processes start
    // from different places.
    let mut x = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u32)
        ^ std::process::id().rotate_left(16)
        | 1;
    let mut held = Vec::new();
    for _ in 0..50_000 {
        if held.len() == N {
            break;
        }
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let port = 15_000 + (x % span) as u16;
        if given.contains(&port) {
            continue;
        }
        if let Ok(listener) = std::net::TcpListener::bind(("127.0.0.1", port)) {
            given.insert(port);
            held.push((port, listener));
        }
    }
    assert_eq!(held.len(), N, "{N} free loopback ports below {ceiling}");
    std::array::from_fn(|i| held[i].0)
}

/// A TCP port on 127.0.0.1 free a moment ago (see [`free_ports`]).
pub fn free_port() -> u16 {
    let [port] = free_ports::<1>();
    port
}
