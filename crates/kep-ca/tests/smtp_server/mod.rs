//! A real SMTP server for the e-mail tests (Debian's python3-aiosmtpd running `server.py`):
//! STARTTLS (or implicit TLS) with AUTH, each message recorded as JSON.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The mailbox login the server accepts.
pub const LOGIN: &str = "ca-mailer";
/// Its password.
pub const PASSWORD: &str = "mailbox-secret-31";

/// The server, stopped (stdin closed, then killed) when dropped.
pub struct SmtpServer {
    child: Child,
    /// Where the messages are recorded.
    pub out: PathBuf,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start_server(
    dir: &Path,
    tls: &kep_system_tests::tls::TestTls,
    port: u16,
    implicit: bool,
) -> SmtpServer {
    let out = dir.join(format!("mail-{port}"));
    let mut command = Command::new("/usr/bin/python3");
    command
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_server/server.py"))
        .arg("--port")
        .arg(port.to_string())
        .arg("--cert")
        .arg(&tls.chain)
        .arg("--key")
        .arg(&tls.key)
        .arg("--out")
        .arg(&out)
        .args(["--login", LOGIN, "--password", PASSWORD]);
    if implicit {
        command.arg("--implicit");
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python3-aiosmtpd is installed (scripts/setup.sh)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "ready", "the SMTP server started");
    SmtpServer { child, out }
}

/// The messages received so far, in order.
pub fn received(server: &SmtpServer) -> Vec<serde_json::Value> {
    let mut files: Vec<_> = std::fs::read_dir(&server.out)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .map(|f| serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap())
        .collect()
}
