//! Fixed-base scalar multiplication for the generator G: k is recoded into signed 6-bit digits
//! d_i in [−32, 32] (k = Σ d_i·64^i), and a table holds j·64^i·G for j = 1…32 in affine
//! coordinates, built once per curve on first use. k·G is then one table scan, a conditional
//! negation and one mixed complete addition per window — no doublings. The scan reads all 32
//! entries of each window, a zero digit still adds (its sum is discarded by a selection), and the
//! recoding uses no branch, so everything stays constant-time in k.

use crate::curves::{CurveDef, Fe};
use crate::point::Point;
use crypto_bigint::{Uint, Word};
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

/// Six bits per window: 43 windows for 256-bit scalars (86 for 512), 32 entries each (the
/// sign halves the table).
pub(crate) const WINDOW_BITS: u32 = 6;
pub(crate) const ENTRIES: usize = 1 << (WINDOW_BITS - 1);

/// One table entry: an affine point in its stored form (plain integers keep the constant-time
/// selection to the limbs alone).
#[derive(Clone, Copy, Debug)]
struct Entry<const L: usize> {
    x: Uint<L>,
    y: Uint<L>,
}

/// The precomputed multiples of G.
#[derive(Debug)]
pub(crate) struct GeneratorTable<const L: usize> {
    windows: Vec<[Entry<L>; ENTRIES]>,
}

impl<const L: usize> GeneratorTable<L> {
    pub fn build(curve: &CurveDef<L>) -> Self {
        let windows_count = windows_for::<L>();
        let mut windows = Vec::with_capacity(windows_count);
        // base = 64^i·G
        let mut base = Point::generator(curve);
        for _ in 0..windows_count {
            let mut row = [Entry {
                x: Uint::ZERO,
                y: Uint::ZERO,
            }; ENTRIES];
            let mut acc = base;
            for entry in row.iter_mut() {
                // Public values: the table is G's multiples. 64^i·G is never the identity.
                let (x, y) = acc.to_affine().unwrap_or((Uint::ZERO, Uint::ZERO));
                *entry = Entry {
                    x: *Fe::new(&x, curve.p).repr(),
                    y: *Fe::new(&y, curve.p).repr(),
                };
                acc = acc.add(&base, curve);
            }
            windows.push(row);
            for _ in 0..WINDOW_BITS {
                base = base.double(curve);
            }
        }
        Self { windows }
    }

    /// k·G in constant time.
    pub fn mul(&self, k: &Uint<L>, curve: &CurveDef<L>) -> Point<L> {
        let mut digits = SignedDigits::new(k);
        let mut acc = Point::identity(curve);
        for row in &self.windows {
            let (magnitude, negative) = digits.next_digit();
            // Entry |d| − 1; a zero digit selects none, so the first is read and its sum dropped.
            let mut chosen = row[0];
            for (j, entry) in row.iter().enumerate().skip(1) {
                let hit = ((j + 1) as Word).ct_eq(&magnitude);
                chosen.x.conditional_assign(&entry.x, hit);
                chosen.y.conditional_assign(&entry.y, hit);
            }
            let x = Fe::from_repr(chosen.x, curve.p);
            let y = Fe::from_repr(chosen.y, curve.p);
            let y = Fe::conditional_select(&y, &y.neg(), negative);
            let sum = acc.add_affine(&x, &y, curve);
            acc = Point::conditional_select(&sum, &acc, magnitude.ct_eq(&0));
        }
        acc
    }
}

/// k's signed 6-bit digits d_i in [−32, 32], least significant first (k = Σ d_i·64^i), as
/// magnitude and sign, without a branch on k. One more digit than the bits need takes the last
/// carry: tables have `windows_for(L)` rows.
pub(crate) struct SignedDigits<'k> {
    words: &'k [Word],
    index: u32,
    carry: Word,
}

impl<'k> SignedDigits<'k> {
    pub fn new<const L: usize>(k: &'k Uint<L>) -> Self {
        Self {
            words: k.as_words(),
            index: 0,
            carry: 0,
        }
    }

    /// The next digit's |d| (0…32) and whether d is negative.
    pub fn next_digit(&mut self) -> (Word, Choice) {
        // The window plus the carry, 0…64: a digit in [−32, 32] and a carry.
        let t = window(self.words, self.index * WINDOW_BITS) + self.carry;
        self.index += 1;
        self.carry = (32 as Word).wrapping_sub(t) >> (Word::BITS - 1);
        let negative = Choice::from(self.carry as u8);
        let magnitude = Word::conditional_select(&t, &(64 as Word).wrapping_sub(t), negative);
        (magnitude, negative)
    }
}

/// How many digits (table rows) an L-limb scalar takes: one more than its bits need, for the
/// recoding's last carry.
pub(crate) const fn windows_for<const L: usize>() -> usize {
    Uint::<L>::BITS.div_ceil(WINDOW_BITS) as usize + 1
}

/// The WINDOW_BITS bits of the scalar starting at bit `position`, across a word boundary if the
/// window straddles one (zero past the top). Which words are read depends only on `position`
/// (public), never on k.
fn window(words: &[Word], position: u32) -> Word {
    let index = (position / Word::BITS) as usize;
    let offset = position % Word::BITS;
    let low = words.get(index).copied().unwrap_or(0) >> offset;
    let high = match (offset + WINDOW_BITS > Word::BITS, words.get(index + 1)) {
        (true, Some(next)) => next << (Word::BITS - offset),
        _ => 0,
    };
    (low | high) & ((1 << WINDOW_BITS) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curves::{CRYPTOPRO_A, TC26_256_A, TC26_512_A};

    fn agrees_with_the_ladder<const L: usize>(curve: &CurveDef<L>) {
        let table = GeneratorTable::build(curve);
        let g = Point::generator(curve);
        let q_minus_1 = curve.order().wrapping_sub(&Uint::ONE);
        let mut seed = Uint::<L>::from_u64(0x1234_5678_9abc_def1);
        for k in [
            Uint::ZERO,
            Uint::ONE,
            Uint::from_u8(16),
            q_minus_1,
            *curve.order(),
        ] {
            assert!(table.mul(&k, curve).eq(&g.mul(&k, curve)));
        }
        for _ in 0..8 {
            seed = seed
                .wrapping_mul(&seed)
                .wrapping_add(&Uint::from_u64(0x9E37_79B9_7F4A_7C15));
            assert!(table.mul(&seed, curve).eq(&g.mul(&seed, curve)));
        }
    }

    #[test]
    fn fixed_base_equals_the_generic_ladder() {
        agrees_with_the_ladder(&CRYPTOPRO_A);
        agrees_with_the_ladder(&TC26_256_A);
        agrees_with_the_ladder(&TC26_512_A);
    }
}
