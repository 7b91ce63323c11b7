//! What the benchmarks share: the baseline every figure is printed next to.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)] // a benchmark may fail loudly

use std::time::Instant;

/// kep-gost signing 32-byte digests on one core (CryptoPro-A), per second.
pub fn raw_sign_rate() -> f64 {
    let key = kep_gost::SigningKey::generate(kep_gost::ParamSet::CryptoProA, &mut kep_pki::OsRng)
        .unwrap();
    let digest = [0x5Au8; 32];
    let entropy = [0xA5u8; 32];
    for _ in 0..200 {
        key.sign_digest_bytes(&digest, &entropy).unwrap();
    }
    let n = 3000;
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(key.sign_digest_bytes(&digest, &entropy).unwrap());
    }
    n as f64 / start.elapsed().as_secs_f64()
}
