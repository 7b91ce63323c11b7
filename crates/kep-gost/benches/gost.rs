//! Key generation, signing and verification per parameter-set family, and — with the
//! `engine-comparison` feature — the same operations through OpenSSL's gost engine in the same
//! run. `scripts/bench-table.py` turns the results into the ratio table of the README.
//!
//! Families: CryptoPro-A (256-bit, the curve of most qualified certificates), TC26-256-A
//! (256-bit, cofactor 4), TC26-512-A (512-bit).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may fail loudly

use criterion::{Criterion, criterion_group, criterion_main};
use kep_gost::{ParamSet, SigningKey};
use std::hint::black_box;

struct BenchRng(u64);

impl rand_core::TryRng for BenchRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(self.try_next_u64()? as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let z = (self.0 ^ (self.0 >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        Ok(z ^ (z >> 31))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for b in dst {
            *b = self.try_next_u64()? as u8;
        }
        Ok(())
    }
}
impl rand_core::TryCryptoRng for BenchRng {}

const FAMILIES: [(&str, ParamSet); 3] = [
    ("cryptopro-a", ParamSet::CryptoProA),
    ("tc26-256-a", ParamSet::Tc26_256A),
    ("tc26-512-a", ParamSet::Tc26_512A),
];

/// Per family, kep-gost's three operations and then — with `engine-comparison` — the engine's,
/// back to back, so a machine whose speed drifts during the run skews the ratios less.
fn families(c: &mut Criterion) {
    let mut rng = BenchRng(42);
    #[cfg(feature = "engine-comparison")]
    engine_setup();
    for (family, param_set) in FAMILIES {
        let key = SigningKey::generate(param_set, &mut rng).unwrap();
        let digest = kep_gost::streebog_digest(param_set.key_size(), b"benchmark message");
        let signature = key.sign_digest_with_rng(&mut rng, &digest).unwrap();
        let public = key.verifying_key().clone();

        let mut group = c.benchmark_group(family);
        group.bench_function("keygen/kep-gost", |b| {
            b.iter(|| SigningKey::generate(param_set, &mut rng).unwrap())
        });
        group.bench_function("sign/kep-gost", |b| {
            b.iter(|| {
                key.sign_digest_with_rng(&mut rng, black_box(&digest))
                    .unwrap()
            })
        });
        group.bench_function("verify/kep-gost", |b| {
            b.iter(|| {
                public
                    .verify_digest_bytes(black_box(&digest), &signature)
                    .unwrap()
            })
        });
        #[cfg(feature = "engine-comparison")]
        engine(&mut group, &key, &digest);
        group.finish();
    }
}

#[cfg(feature = "engine-comparison")]
fn engine_setup() {
    assert!(
        std::env::var_os("OPENSSL_CONF").is_some(),
        "set OPENSSL_CONF to a config that loads the gost engine (scripts/bench.sh does)"
    );
    openssl::init();
}

/// The engine's keygen, sign and verify on the same key (ours exported as PKCS#8).
#[cfg(feature = "engine-comparison")]
fn engine(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    key: &SigningKey,
    digest: &[u8],
) {
    use openssl::pkey::PKey;
    use openssl::pkey_ctx::PkeyCtx;
    {
        let pkey = PKey::private_key_from_der(&key.to_pkcs8_der().unwrap())
            .expect("the gost engine is loaded (OPENSSL_CONF)");
        let mut signature = Vec::new();
        let mut ctx = PkeyCtx::new(&pkey).unwrap();
        ctx.sign_init().unwrap();
        ctx.sign_to_vec(digest, &mut signature).unwrap();

        group.bench_function("keygen/openssl-gost-engine", |b| {
            b.iter(|| {
                // A context made from a key carries its parameter set into keygen.
                let mut ctx = PkeyCtx::new(&pkey).unwrap();
                ctx.keygen_init().unwrap();
                ctx.keygen().unwrap()
            })
        });
        group.bench_function("sign/openssl-gost-engine", |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(128);
                let mut ctx = PkeyCtx::new(&pkey).unwrap();
                ctx.sign_init().unwrap();
                ctx.sign_to_vec(black_box(digest), &mut out).unwrap();
                out
            })
        });
        group.bench_function("verify/openssl-gost-engine", |b| {
            b.iter(|| {
                let mut ctx = PkeyCtx::new(&pkey).unwrap();
                ctx.verify_init().unwrap();
                assert!(ctx.verify(black_box(digest), &signature).unwrap());
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = families
}
criterion_main!(benches);
