//! TLS for tests: a throwaway root and a server certificate it signed for `localhost` and
//! 127.0.0.1, written as PEM files (what a CA's administrator would configure) and handed to
//! clients as the extra trust anchor.

use std::path::{Path, PathBuf};

/// A test TLS identity.
#[derive(Debug, Clone)]
pub struct TestTls {
    /// The root (PEM): the trust anchor clients add.
    pub root_pem: String,
    /// The server certificate, then the root (PEM).
    pub chain: PathBuf,
    /// The server's private key (PEM).
    pub key: PathBuf,
}

/// Makes a root and a server certificate under `dir` (`tls-chain.pem`, `tls-key.pem`,
/// `tls-root.pem`); `name` tells one identity from another (for reload tests).
pub fn test_tls(dir: &Path, name: &str) -> TestTls {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
    let mut root_params = CertificateParams::new(Vec::<String>::new()).expect("root params");
    root_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    root_params.distinguished_name.push(
        DnType::CommonName,
        format!("KEP Renew test TLS root {name}"),
    );
    let root_key = KeyPair::generate().expect("root key");
    let root = CertifiedIssuer::self_signed(root_params, root_key).expect("root");
    let mut params = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
        .expect("server params");
    params
        .distinguished_name
        .push(DnType::CommonName, format!("kep-ca test {name}"));
    let key = KeyPair::generate().expect("server key");
    let server = params.signed_by(&key, &root).expect("server certificate");
    std::fs::create_dir_all(dir).expect("tls dir");
    let chain = dir.join(format!("tls-{name}-chain.pem"));
    let key_path = dir.join(format!("tls-{name}-key.pem"));
    std::fs::write(&chain, format!("{}{}", server.pem(), root.pem())).expect("chain");
    std::fs::write(&key_path, key.serialize_pem()).expect("key");
    std::fs::write(dir.join(format!("tls-{name}-root.pem")), root.pem()).expect("root");
    TestTls {
        root_pem: root.pem(),
        chain,
        key: key_path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openssl_verifies_the_server_certificate_with_the_root() {
        let dir = std::env::temp_dir().join(format!("kep-test-tls-{}", std::process::id()));
        let tls = test_tls(&dir, "check");
        let out = std::process::Command::new("openssl")
            .args(["verify", "-CAfile"])
            .arg(dir.join("tls-check-root.pem"))
            .arg(&tls.chain)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        std::fs::remove_dir_all(&dir).ok();
        assert!(out.status.success(), "{text}");
    }
}
