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

/// Where a family's run stopped before it was checked (a constant-time finding is memcheck's
/// report, not this).
#[derive(Debug, thiserror::Error)]
#[error("{family:?}: {step}: {source}")]
struct CheckError {
    family: ParamSet,
    step: &'static str,
    #[source]
    source: kep_gost::Error,
}

fn check(family: ParamSet) -> Result<(), CheckError> {
    let failed = |step| {
        move |source| CheckError {
            family,
            step,
            source,
        }
    };
    let width = family.key_size().bytes();
    // Key generation from secret randomness.
    let generated =
        SigningKey::generate(family, &mut SecretRng::new(7)).map_err(failed("keygen"))?;
    // A key from a secret scalar, and a signature with secret entropy.
    let mut d = generated.to_bytes();
    memcheck::secret(&mut d);
    let key = SigningKey::from_bytes(family, &d).map_err(failed("the key"))?;
    let digest = vec![0x5A; width];
    let mut entropy = [0x3C; 64];
    memcheck::secret(&mut entropy);
    let signature = key
        .sign_digest_bytes(&digest, &entropy)
        .map_err(failed("sign"))?;
    // Only public values from here on: verifying uses them freely.
    key.verifying_key()
        .verify_digest_bytes(&digest, &signature)
        .map_err(failed("the signature does not verify"))?;
    println!("{family:?}: keygen and signing checked");
    Ok(())
}

fn main() -> ExitCode {
    if !memcheck::under_valgrind() {
        eprintln!("kep-gost-ct: not under valgrind — run it through scripts/ct-check.sh");
    }
    // The arguments after the program's name.
    let args: Vec<String> = std::env::args().collect();
    let args = args.get(1..).unwrap_or_default();
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
