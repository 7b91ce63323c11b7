//! The process-wide TLS provider.
//!
//! reqwest is built with `rustls-no-provider`, so rustls would otherwise have no crypto at all
//! (its default, aws-lc, is deliberately kept out of the dependency tree: `npm test` fails if
//! `aws-lc-sys` appears). We install ring's provider once, at start-up.

/// Installs rustls' ring provider as the process default. Idempotent: when a provider is already
/// installed (by an earlier call, or by a test harness) it is left as it is.
pub fn install_ring_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // `install_default` fails only when another thread won the race; either way a provider
        // is now installed, which is all we need.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installs_a_provider_and_is_idempotent() {
        install_ring_provider();
        install_ring_provider();
        let provider = rustls::crypto::CryptoProvider::get_default().expect("installed");
        let ring = rustls::crypto::ring::default_provider();
        let names = |p: &rustls::crypto::CryptoProvider| {
            p.cipher_suites
                .iter()
                .map(|s| s.suite())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(provider), names(&ring));
    }
}
