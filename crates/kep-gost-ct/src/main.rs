//! The constant-time check of kep-gost (the ctgrind technique): run under valgrind's memcheck,
//! it marks the private key, the randomness key generation draws and the nonce's entropy as
//! undefined, then generates keys and signs on each family. Memcheck reports every conditional
//! jump and every memory address that depends on them, except where kep-gost declassifies a
//! value explicitly (kep_gost::declassify lists the places). `scripts/ct-check.sh` runs it and
//! fails on any report.
//!
//! The script also runs it three ways that memcheck must report, so that a check that sees
//! nothing is known to be able to see: `leaky branch` and `leaky index` (deliberately
//! variable-time helpers: a branch on a secret, a table indexed by one), and `undeclassified`
//! (the same checks with no declassification: the secrets do reach the public outputs).

mod leaky;
mod memcheck;
mod secret_rng;

use kep_gost::{ParamSet, SigningKey};
use secret_rng::SecretRng;
use std::process::ExitCode;

/// The families `npm run bench` measures: a 256-bit a = −3 curve, a twisted-Edwards-equivalent
/// one, and a 512-bit one.
const FAMILIES: [ParamSet; 3] = [
    ParamSet::CryptoProA,
    ParamSet::Tc26_256A,
    ParamSet::Tc26_512A,
];

fn check(param_set: ParamSet) -> Result<(), String> {
    let name = format!("{param_set:?}");
    let width = param_set.key_size().bytes();
    // Key generation from secret randomness.
    let generated = SigningKey::generate(param_set, &mut SecretRng::new(7))
        .map_err(|e| format!("{name}: keygen: {e}"))?;
    // A key from a secret scalar, and a signature with secret entropy.
    let mut d = generated.to_bytes();
    memcheck::secret(&mut d);
    let key = SigningKey::from_bytes(param_set, &d).map_err(|e| format!("{name}: {e}"))?;
    let digest = vec![0x5A; width];
    let mut entropy = [0x3C; 64];
    memcheck::secret(&mut entropy);
    let signature = key
        .sign_digest_bytes(&digest, &entropy)
        .map_err(|e| format!("{name}: sign: {e}"))?;
    // Only public values from here on: verifying uses them freely.
    key.verifying_key()
        .verify_digest_bytes(&digest, &signature)
        .map_err(|e| format!("{name}: the signature does not verify: {e}"))?;
    println!("{name}: keygen and signing checked");
    Ok(())
}

fn main() -> ExitCode {
    if !memcheck::under_valgrind() {
        eprintln!("kep-gost-ct: not under valgrind — run it through scripts/ct-check.sh");
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] => kep_gost::declassify::set_hook(memcheck::public),
        ["undeclassified"] => {}
        ["leaky", which] if leaky::run(which) => return ExitCode::SUCCESS,
        _ => {
            eprintln!("usage: kep-gost-ct [undeclassified | leaky branch | leaky index]");
            return ExitCode::from(2);
        }
    }
    for param_set in FAMILIES {
        if let Err(error) = check(param_set) {
            eprintln!("kep-gost-ct: {error}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
