//! PostgreSQL for tests: Debian's server (installed by `scripts/setup.sh`) run as a throwaway
//! cluster in a temporary folder on a free loopback port, as the `postgres` user when the tests
//! run as root (initdb refuses root). The scripts start one shared cluster for a whole run
//! (`scripts/with-postgres.sh`, which exports `KEP_TEST_POSTGRES`); a test that stops and starts
//! the server makes a [`Cluster`] of its own.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The environment variable holding the shared cluster's connection string (no dbname).
pub const SHARED: &str = "KEP_TEST_POSTGRES";
/// The environment variable that runs the kep-ca suite on PostgreSQL (`postgres`) instead of
/// SQLite.
pub const BACKEND: &str = "KEP_CA_TEST_STORE";

/// Whether this run's kep-ca tests use PostgreSQL.
pub fn selected() -> bool {
    std::env::var(BACKEND).as_deref() == Ok("postgres")
}

fn bin_dir() -> PathBuf {
    let base = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<PathBuf> = std::fs::read_dir(base)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (is Debian's postgresql installed?)",
                base.display()
            )
        })
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    versions.sort();
    versions
        .pop()
        .expect("a PostgreSQL server under /usr/lib/postgresql")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A command run as the cluster's owner.
fn as_owner(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn run(mut command: Command, what: &str) {
    let out = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A cluster of this test's own, stopped (immediately) when dropped.
#[derive(Debug)]
pub struct Cluster {
    dir: PathBuf,
    port: u16,
    bin: PathBuf,
    /// Server settings beyond the defaults (`-c name=value`).
    settings: String,
}

impl Cluster {
    /// initdb in a fresh folder, then start on a free port (about two seconds).
    pub fn start() -> Self {
        Self::start_with(|_| String::new())
    }

    /// A cluster that also speaks TLS with the certificate chain and key given (PEM), for
    /// clients that ask; connections in clear stay allowed (the tests' own checks use them).
    pub fn start_tls(chain: &Path, key: &Path) -> Self {
        Self::start_with(|dir| {
            for (from, name) in [(chain, "server.crt"), (key, "server.key")] {
                let to = dir.join(name);
                std::fs::copy(from, &to).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
                run(
                    {
                        let mut c = Command::new("chmod");
                        c.arg("600").arg(&to);
                        c
                    },
                    "chmod the TLS files",
                );
                if is_root() {
                    run(
                        {
                            let mut c = Command::new("chown");
                            c.arg("postgres").arg(&to);
                            c
                        },
                        "chown the TLS files",
                    );
                }
            }
            format!(
                " -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
                dir.join("server.crt").display(),
                dir.join("server.key").display()
            )
        })
    }

    fn start_with(settings: impl FnOnce(&Path) -> String) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "kep-pg-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        if is_root() {
            run(
                {
                    let mut c = Command::new("chown");
                    c.arg("postgres").arg(&dir);
                    c
                },
                "chown the cluster folder",
            );
        }
        let bin = bin_dir();
        let mut initdb = as_owner(&bin.join("initdb"));
        initdb.arg("-D").arg(dir.join("data")).args([
            "-A",
            "trust",
            "-U",
            "kep",
            "--no-sync",
            "-E",
            "UTF8",
        ]);
        run(initdb, "initdb");
        let cluster = Self {
            port: crate::tools::free_port(),
            settings: settings(&dir),
            dir,
            bin,
        };
        cluster.start_again();
        cluster
    }

    /// Starts the (stopped) server again on the same port.
    pub fn start_again(&self) {
        let mut pg_ctl = as_owner(&self.bin.join("pg_ctl"));
        pg_ctl
            .arg("-D")
            .arg(self.dir.join("data"))
            .arg("-o")
            .arg(format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300{}",
                self.port,
                self.dir.display(),
                self.settings
            ))
            .arg("-l")
            .arg(self.dir.join("log"))
            .args(["-w", "start"]);
        run(pg_ctl, "pg_ctl start");
    }

    /// Stops the server at once (connections cut, as when it crashes or the network goes).
    pub fn stop(&self) {
        let mut pg_ctl = as_owner(&self.bin.join("pg_ctl"));
        pg_ctl
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "-w", "stop"]);
        run(pg_ctl, "pg_ctl stop");
    }

    /// The server's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The connection string of the server, without a database.
    pub fn server(&self) -> String {
        format!("host=127.0.0.1 port={} user=kep", self.port)
    }

    /// A fresh, empty database on this cluster; answers its connection string.
    pub fn database(&self) -> String {
        fresh_database(&self.server())
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let mut pg_ctl = as_owner(&self.bin.join("pg_ctl"));
        pg_ctl
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "stop"]);
        let _ = pg_ctl.output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Creates a uniquely named database on the server `server` names; answers its connection
/// string.
pub fn fresh_database(server: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "t_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    let mut createdb = Command::new(bin_dir().join("createdb"));
    for part in server.split_whitespace() {
        match part.split_once('=') {
            Some(("host", v)) => {
                createdb.args(["-h", v]);
            }
            Some(("port", v)) => {
                createdb.args(["-p", v]);
            }
            Some(("user", v)) => {
                createdb.args(["-U", v]);
            }
            _ => {}
        }
    }
    createdb.arg(&name);
    run(createdb, "createdb");
    format!("{server} dbname={name}")
}

/// A fresh database on the run's shared cluster (`KEP_TEST_POSTGRES`, set by
/// `scripts/with-postgres.sh`).
pub fn shared_database() -> String {
    let server = std::env::var(SHARED).unwrap_or_else(|_| {
        panic!("{SHARED} is not set: run the PostgreSQL tests through scripts/with-postgres.sh")
    });
    fresh_database(&server)
}
