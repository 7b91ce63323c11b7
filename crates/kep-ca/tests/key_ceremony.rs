//! The key ceremony end to end on the GOST SoftHSM2, through the `kep-ca ca …` commands, with
//! OpenSSL (gost engine) checking every artefact: the root on a token of its own with its first
//! CRL; the issuing and OCSP keys made on the HSM token with the issuing CA's request; the
//! request signed by the root; what each step must refuse (an altered request, another name,
//! the wrong root's key, an expired root, a certificate for another key than the HSM's); the
//! chain installed; the root's CRL refreshed and installed. Then the service runs on the HSM's
//! keys: a certificate it issues, its CRL and its OCSP answers all verify in OpenSSL up to the
//! root; a configuration naming the wrong key stops it at start.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, unsafe_code)]

mod common;
#[path = "common/stubs.rs"]
mod stubs;

use kep_system_tests::softhsm;
use kep_system_tests::tools::{OpenSsl, Scratch, pem};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

const ROOT_TOKEN: &str = "KEP Root";
const HSM_TOKEN: &str = "KEP CA HSM";

fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

struct Ceremony {
    scratch: Scratch,
    conf: PathBuf,
    library: PathBuf,
}

impl Ceremony {
    fn kep_ca(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_kep-ca"))
            .arg("ca")
            .args(args)
            .env("SOFTHSM2_CONF", &self.conf)
            .env("BOTAN_MLOCK_POOL_SIZE", "0")
            .current_dir(self.scratch.dir())
            .output()
            .unwrap()
    }

    /// A step that must succeed; answers its record.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.kep_ca(args);
        assert!(out.status.success(), "kep-ca ca {args:?}: {}", said(&out));
        String::from_utf8(out.stdout).unwrap()
    }

    /// A step that must refuse, saying `why`; nothing else changes.
    fn refuses(&self, args: &[&str], why: &str) {
        let out = self.kep_ca(args);
        let text = said(&out);
        assert_eq!(out.status.code(), Some(2), "kep-ca ca {args:?}: {text}");
        assert!(
            text.contains(why),
            "kep-ca ca {args:?} should say «{why}»: {text}"
        );
    }

    fn library(&self) -> &str {
        self.library.to_str().unwrap()
    }
}

/// OpenSSL checks that `der` is a CRL signed by the certificate in `ca_pem`; answers its text.
fn crl_verifies(ssl: &OpenSsl, der: &[u8], ca_pem: &str) -> String {
    ssl.scratch.write("check.crl", der);
    let out = ssl.try_run(&[
        "crl",
        "-inform",
        "DER",
        "-in",
        "check.crl",
        "-CAfile",
        ca_pem,
        "-noout",
        "-text",
    ]);
    let text = said(&out);
    assert!(text.contains("verify OK"), "{text}");
    text
}

/// The value after `label` on a line of a step's record.
fn recorded(record: &str, label: &str) -> String {
    record
        .lines()
        .find_map(|line| line.trim().strip_prefix(label))
        .unwrap_or_else(|| panic!("«{label}» in {record}"))
        .trim()
        .to_owned()
}

fn subject(common_name: &str) -> String {
    format!(
        "common_name = \"{common_name}\"\norganization = \"ООО «Тестовый УЦ»\"\nregion = \"77 г. Москва\"\nlocality = \"Москва\"\nogrn = \"1027700132195\"\ninn_le = \"7707083893\"\nemail = \"ca@ca.example\"\n"
    )
}

/// An expired root (valid a year, three years ago) with its key in a ceremony key file.
fn expired_root(dir: &Path) {
    use kep_pki::issue::{CaCertificate, CaSubject, QualifiedProfile, self_signed_root};
    let key = kep_gost::SigningKey::generate(kep_gost::ParamSet::CryptoProA, &mut kep_pki::OsRng)
        .unwrap();
    let pem_key =
        kep_pki::encrypted_key::seal(&key, "an expired root's password", 10, &[7; 16], [9; 16])
            .unwrap();
    let signer = kep_pki::signer::SoftwareGostSigner::new(key).unwrap();
    let der = self_signed_root(
        &CaCertificate {
            subject: &CaSubject {
                common_name: "Expired Root".into(),
                organization: "ООО «Тестовый УЦ»".into(),
                region: None,
                locality: None,
                ogrn: None,
                inn_le: None,
                email: None,
            },
            not_before: SystemTime::now() - Duration::from_secs(3 * 365 * 86_400),
            validity_months: 12,
            path_len: Some(1),
            sign_tool: "test",
            profile: &QualifiedProfile::default(),
        },
        &signer,
    )
    .unwrap();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("root.crt"), der).unwrap();
    std::fs::write(dir.join("root.key.pem"), pem_key).unwrap();
    std::fs::write(dir.join("password"), "an expired root's password\n").unwrap();
}

/// The service's configuration with its keys on the HSM token.
fn service_config(c: &Ceremony, issuing_id: &str, ocsp_id: &str) -> String {
    let s = &c.scratch;
    s.write("secrets/hsm-pin", format!("{}\n", softhsm::USER_PIN));
    s.write("secrets/telephony-token", "a telephony token\n");
    s.write(
        "secrets/login-code-key",
        "7f3a9c2e4b1d8f6a0c5e7b9d2f4a6c8e1b3d5f7a9c0e2b4d6f8a1c3e5b7d9f0a\n",
    );
    format!(
        r#"
[service]
data = "{data}"
listen = "127.0.0.1:18443"
public_url = "http://127.0.0.1:18443"

[hsm]
module = "{module}"
token_label = "{HSM_TOKEN}"
issuing_key_id = "{issuing_id}"
ocsp_key_id = "{ocsp_id}"
pin = {{ file = "{secrets}/hsm-pin" }}

[secrets]
login_code_key = {{ file = "{secrets}/login-code-key" }}

{providers}"#,
        data = s.arg("data"),
        module = c.library(),
        secrets = s.arg("secrets"),
        // (Never called: the configuration only has to name them.)
        providers = stubs::providers_section("127.0.0.1:9".parse().unwrap(), &s.path("secrets")),
    )
}

// OpenSSL runs as a blocking child process while the service answers it on another thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_ceremony_on_softhsm_makes_a_ca_openssl_trusts() {
    let scratch = Scratch::new("key-ceremony");
    let library = softhsm::gost_library();
    let conf = softhsm::tokens(&scratch, &[ROOT_TOKEN, HSM_TOKEN]);
    // SAFETY: the only test of this binary sets them before any thread loads the module.
    unsafe {
        std::env::set_var("SOFTHSM2_CONF", &conf);
        std::env::set_var("BOTAN_MLOCK_POOL_SIZE", "0");
    }
    let c = Ceremony {
        scratch,
        conf,
        library,
    };
    let s = &c.scratch;
    s.write("pin", format!("{}\n", softhsm::USER_PIN));
    s.write("root.toml", subject("Тестовый корневой УЦ"));
    s.write("issuing.toml", subject("Тестовый УЦ"));
    s.write("other.toml", subject("Другой УЦ"));
    let ssl = OpenSsl::new("key-ceremony-openssl");
    let to_pem = |from: &str, to: &str| {
        ssl.scratch.write(
            to,
            pem("CERTIFICATE", &std::fs::read(s.path(from)).unwrap()),
        );
    };
    let root_key = |id: &str| {
        vec![
            "--module".to_owned(),
            c.library().to_owned(),
            "--token-label".into(),
            ROOT_TOKEN.into(),
            "--pin-file".into(),
            "pin".into(),
            "--key-id".into(),
            id.to_owned(),
        ]
    };
    let with = |base: &[&str], extra: &[String]| {
        let mut all: Vec<String> = base.iter().map(|a| (*a).to_owned()).collect();
        all.extend_from_slice(extra);
        all
    };
    let run = |args: Vec<String>| c.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let refuse = |args: Vec<String>, why: &str| {
        c.refuses(&args.iter().map(String::as_str).collect::<Vec<_>>(), why);
    };

    // 1. The root, its key on its own token.
    let init_root = [
        "init-root",
        "--subject",
        "root.toml",
        "--out",
        "root",
        "--module",
        c.library(),
        "--token-label",
        ROOT_TOKEN,
        "--pin-file",
        "pin",
    ];
    let record = c.ok(&init_root);
    let root_id = recorded(&record, "key: token «KEP Root», key id");
    to_pem("root/root.crt", "root.pem");
    let verified = ssl.run(&["verify", "-CAfile", "root.pem", "root.pem"]);
    assert!(String::from_utf8_lossy(&verified).contains("root.pem: OK"));
    let text = crl_verifies(&ssl, &s.read("root/root.crl"), "root.pem");
    assert!(
        text.contains("X509v3 CRL Number: \n                1"),
        "{text}"
    );
    // Nothing is made twice.
    c.refuses(&init_root, "has a root already");

    // 2. The issuing CA's and the OCSP responder's keys on the HSM, the request out.
    let record = c.ok(&[
        "init-issuing",
        "--subject",
        "issuing.toml",
        "--out",
        "issuing.csr",
        "--module",
        c.library(),
        "--token-label",
        HSM_TOKEN,
        "--pin-file",
        "pin",
    ]);
    let issuing_id = recorded(&record, "issuing key id:");
    let ocsp_id = recorded(&record, "OCSP responder key id:");
    assert!(
        record.contains(&format!("issuing_key_id = \"{issuing_id}\"")),
        "{record}"
    );
    ssl.scratch
        .write("issuing.csr", std::fs::read(s.path("issuing.csr")).unwrap());
    let req = ssl.try_run(&[
        "req",
        "-inform",
        "DER",
        "-in",
        "issuing.csr",
        "-verify",
        "-noout",
    ]);
    assert!(
        said(&req).contains("verify OK")
            || said(&req).contains("Certificate request self-signature verify OK"),
        "{}",
        said(&req)
    );

    // 3. What the root must not sign.
    let sign = |request: &str, subject_file: &str, out: &str| {
        vec![
            "sign-issuing".to_owned(),
            "--root-cert".into(),
            "root/root.crt".into(),
            "--request".into(),
            request.into(),
            "--subject".into(),
            subject_file.into(),
            "--public-url".into(),
            "http://127.0.0.1:18443".into(),
            "--out".into(),
            out.into(),
        ]
    };
    let mut altered = std::fs::read(s.path("issuing.csr")).unwrap();
    let last = altered.len() - 1;
    altered[last] ^= 0x01;
    s.write("altered.csr", altered);
    refuse(
        with(
            &[],
            &[
                sign("altered.csr", "issuing.toml", "x.crt"),
                root_key(&root_id),
            ]
            .concat(),
        ),
        "does not verify",
    );
    refuse(
        with(
            &[],
            &[
                sign("issuing.csr", "other.toml", "x.crt"),
                root_key(&root_id),
            ]
            .concat(),
        ),
        "the ceremony signs",
    );
    // Another root's key (a file root made for the purpose) with this root's certificate.
    s.write("other-password", "another root's password\n");
    c.ok(&[
        "init-root",
        "--subject",
        "other.toml",
        "--out",
        "other-root",
        "--key-file",
        "other-root.key.pem",
        "--password-file",
        "other-password",
        "--validity-years",
        "5",
    ]);
    refuse(
        with(
            &[],
            &[
                sign("issuing.csr", "issuing.toml", "x.crt"),
                vec![
                    "--key-file".into(),
                    "other-root.key.pem".into(),
                    "--password-file".into(),
                    "other-password".into(),
                ],
            ]
            .concat(),
        ),
        "is not the key of",
    );
    expired_root(&s.path("expired"));
    let mut expired = sign("issuing.csr", "issuing.toml", "x.crt");
    expired[2] = "expired/root.crt".into();
    expired.extend([
        "--key-file".into(),
        "expired/root.key.pem".into(),
        "--password-file".into(),
        "expired/password".into(),
    ]);
    refuse(expired, "expired on");
    // The other root lives 5 years: it cannot sign an issuing CA for 10.
    let mut too_long = sign("issuing.csr", "issuing.toml", "x.crt");
    too_long[2] = "other-root/root.crt".into();
    too_long.extend([
        "--key-file".into(),
        "other-root.key.pem".into(),
        "--password-file".into(),
        "other-password".into(),
    ]);
    refuse(too_long, "before the issuing CA would");
    assert!(!s.path("x.crt").exists());

    // 4. The root signs the issuing CA.
    run(with(
        &[],
        &[
            sign("issuing.csr", "issuing.toml", "issuing.crt"),
            root_key(&root_id),
        ]
        .concat(),
    ));
    to_pem("issuing.crt", "issuing.pem");
    let verified = ssl.run(&["verify", "-CAfile", "root.pem", "issuing.pem"]);
    assert!(String::from_utf8_lossy(&verified).contains("issuing.pem: OK"));
    // The same request signed by the other root: a certificate of the wrong chain.
    run(with(
        &[],
        &[
            sign("issuing.csr", "issuing.toml", "foreign.crt"),
            vec![
                "--key-file".into(),
                "other-root.key.pem".into(),
                "--password-file".into(),
                "other-password".into(),
                "--validity-years".into(),
                "3".into(),
            ],
        ]
        .concat(),
    )
    .into_iter()
    .map(|a| {
        if a == "root/root.crt" {
            "other-root/root.crt".into()
        } else {
            a
        }
    })
    .collect());

    // 5. Installed at the service, checked against the HSM's keys.
    s.write("kep-ca.toml", service_config(&c, &issuing_id, &ocsp_id));
    s.write("swapped.toml", service_config(&c, &ocsp_id, &issuing_id));
    let install = |config: &str, certificate: &str| {
        vec![
            "install-issuing".to_owned(),
            "--config".into(),
            config.into(),
            "--certificate".into(),
            certificate.into(),
            "--root-cert".into(),
            "root/root.crt".into(),
            "--root-crl".into(),
            "root/root.crl".into(),
        ]
    };
    refuse(
        install("kep-ca.toml", "foreign.crt"),
        "was not signed by the root",
    );
    refuse(
        install("swapped.toml", "issuing.crt"),
        "is for another key than hsm.issuing_key_id",
    );
    let record = run(install("kep-ca.toml", "issuing.crt"));
    assert!(record.contains("issuing CA installed"), "{record}");
    assert!(s.path("data/ca/policy.json").exists());

    // 6. The root's next CRL, offline, then installed; an older one is not.
    let record = run(with(
        &[
            "root-crl",
            "--root-cert",
            "root/root.crt",
            "--previous",
            "root/root.crl",
            "--out",
            "root-2.crl",
            "--crl-days",
            "200",
        ],
        &root_key(&root_id),
    ));
    assert!(record.contains("number: 2"), "{record}");
    let text = crl_verifies(&ssl, &s.read("root-2.crl"), "root.pem");
    assert!(
        text.contains("X509v3 CRL Number: \n                2"),
        "{text}"
    );
    c.ok(&[
        "install-root-crl",
        "--config",
        "kep-ca.toml",
        "--crl",
        "root-2.crl",
    ]);
    c.refuses(
        &[
            "install-root-crl",
            "--config",
            "kep-ca.toml",
            "--crl",
            "root/root.crl",
        ],
        "not above the installed one's",
    );
    c.refuses(
        &[
            "root-crl",
            "--root-cert",
            "root/root.crt",
            "--previous",
            "other-root/root.crl",
            "--out",
            "y.crl",
            "--module",
            c.library(),
            "--token-label",
            ROOT_TOKEN,
            "--pin-file",
            "pin",
            "--key-id",
            &root_id,
        ],
        "was not signed by this root",
    );

    // 7. The service on the HSM's keys.
    let settings = kep_ca::config::load(&s.path("kep-ca.toml")).unwrap();
    let keys = settings.service.keys.clone();
    let data = s.path("data");
    let ca = common::start_with("key-ceremony-service", |config| {
        config.data = data.clone();
        config.database = kep_ca::store::DatabaseConfig::Sqlite(data.join("kep-ca.sqlite"));
        config.keys = keys.clone();
        config.create_if_missing = false;
        // OpenSSL checks times against the real clock: the service's starts at the real now.
        config.clock = std::sync::Arc::new(kep_ca::clock::ManualClock::new(SystemTime::now()));
    })
    .await;
    assert_eq!(
        &*ca.state.applications.authority().root_crl(),
        std::fs::read(s.path("root-2.crl")).unwrap().as_slice()
    );
    let certificate = ca.issue_one().await;
    ssl.scratch
        .write("user.pem", pem("CERTIFICATE", &certificate.der));
    let verified = ssl.run(&[
        "verify",
        "-CAfile",
        "root.pem",
        "-untrusted",
        "issuing.pem",
        "user.pem",
    ]);
    assert!(String::from_utf8_lossy(&verified).contains("user.pem: OK"));
    // The issuing CA's CRL, signed on the HSM.
    let crl = ca
        .http
        .get(format!("{}/crl/issuing.crl", ca.base))
        .send()
        .await
        .unwrap();
    assert_eq!(crl.status(), 200);
    crl_verifies(&ssl, &crl.bytes().await.unwrap(), "issuing.pem");
    // OCSP, signed by the responder's key on the HSM.
    let url = format!("{}/ocsp", ca.base);
    let out = ssl.try_run(&[
        "ocsp",
        "-url",
        &url,
        "-issuer",
        "issuing.pem",
        "-CAfile",
        "root.pem",
        "-verify_other",
        "issuing.pem",
        "-cert",
        "user.pem",
    ]);
    let text = said(&out);
    assert!(
        text.contains("Response verify OK") && text.contains("user.pem: good"),
        "{text}"
    );

    // A newer root CRL, installed, is served after a reload (what SIGHUP does); an older one
    // put in its place is not.
    let mut next = vec![
        "root-crl".to_owned(),
        "--root-cert".into(),
        "root/root.crt".into(),
        "--previous".into(),
        "root-2.crl".into(),
        "--out".into(),
        "root-3.crl".into(),
    ];
    next.extend(root_key(&root_id));
    run(next);
    c.ok(&[
        "install-root-crl",
        "--config",
        "kep-ca.toml",
        "--crl",
        "root-3.crl",
    ]);
    let authority = ca.state.applications.authority();
    assert_eq!(authority.reload_root_crl().unwrap(), 3);
    let served = std::fs::read(s.path("root-3.crl")).unwrap();
    assert_eq!(&*authority.root_crl(), served.as_slice());
    std::fs::copy(s.path("root-2.crl"), s.path("data/ca/root.crl")).unwrap();
    assert!(authority.reload_root_crl().is_err());
    assert_eq!(&*authority.root_crl(), served.as_slice());

    // A configuration naming the wrong key stops the start, saying so.
    let swapped = kep_ca::config::load(&s.path("swapped.toml")).unwrap();
    let mut config = kep_ca::ServiceConfig::development(&data, "http://127.0.0.1:18443");
    config.database = kep_ca::store::DatabaseConfig::Sqlite(data.join("kep-ca.sqlite"));
    config.keys = swapped.service.keys.clone();
    config.create_if_missing = false;
    let stopped = kep_ca::service(config)
        .await
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(stopped.contains("is not the key of"), "{stopped}");
}
