//! Deliberately variable-time helpers, for the check's own test: memcheck must report each
//! (scripts/ct-check.sh fails when it does not).

use crate::memcheck;
use std::hint::black_box;

/// Counts the bytes before the first zero: the loop ends on a secret byte (a real branch; a
/// simple `if` may compile to a conditional move, which memcheck does not see as a jump).
#[inline(never)]
fn branches_on(secret: &[u8]) -> usize {
    secret.iter().take_while(|&&b| b != 0).count()
}

/// A table indexed by a secret byte.
#[inline(never)]
fn indexes_by(secret: &[u8], table: &[u32; 256]) -> u32 {
    table[usize::from(secret[0])]
}

/// Runs one helper on a secret; the result is not looked at (only the helper can be reported).
pub(crate) fn run(which: &str) -> bool {
    let mut secret = [0xA5u8, 0x5A, 0x00, 0x11];
    memcheck::secret(&mut secret);
    let table: [u32; 256] = core::array::from_fn(|i| i as u32);
    match which {
        "branch" => {
            black_box(branches_on(black_box(&secret)));
        }
        "index" => {
            black_box(indexes_by(black_box(&secret), &table));
        }
        _ => return false,
    }
    true
}
