//! Fixed-base scalar multiplication for the generator G: a table of j·16^i·G for every 4-bit
//! window i and digit j, built once per curve on first use. k·G is then one table lookup and one
//! complete addition per window — no doublings — about five times fewer point operations than
//! the generic ladder. The lookup reads all sixteen entries of each window, so it stays
//! constant-time in k.

use crate::curves::{CurveDef, Fe};
use crate::point::Point;
use crypto_bigint::{Uint, Word};
use subtle::{ConditionallySelectable, ConstantTimeEq};

/// Six bits per window: 43 windows for 256-bit scalars (86 for 512), 64 entries each. Wider
/// windows mean fewer additions and a larger table scanned per window; six measured best.
const WINDOW_BITS: u32 = 6;
const DIGITS: usize = 1 << WINDOW_BITS;

/// One table entry: projective coordinates in their stored form (plain integers keep the
/// constant-time selection to the limbs alone).
#[derive(Clone, Copy, Debug)]
struct Entry<const L: usize> {
    x: Uint<L>,
    y: Uint<L>,
    z: Uint<L>,
}

/// The precomputed multiples of G.
#[derive(Debug)]
pub(crate) struct GeneratorTable<const L: usize> {
    windows: Vec<[Entry<L>; DIGITS]>,
}

impl<const L: usize> GeneratorTable<L> {
    pub fn build(curve: &CurveDef<L>) -> Self {
        let windows_count = Uint::<L>::BITS.div_ceil(WINDOW_BITS) as usize;
        let mut windows = Vec::with_capacity(windows_count);
        // base = 16^i·G
        let mut base = Point::generator(curve);
        for _ in 0..windows_count {
            let mut row = [Entry::from(Point::identity(curve)); DIGITS];
            let mut acc = Point::identity(curve);
            for entry in row.iter_mut().skip(1) {
                acc = acc.add(&base, curve);
                *entry = Entry::from(acc);
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
        let words = k.as_words();
        let mut acc = Point::identity(curve);
        for (i, row) in self.windows.iter().enumerate() {
            let digit = window(words, i as u32 * WINDOW_BITS);
            let mut chosen = row[0];
            for (j, entry) in row.iter().enumerate().skip(1) {
                let hit = (j as Word).ct_eq(&digit);
                chosen.x.conditional_assign(&entry.x, hit);
                chosen.y.conditional_assign(&entry.y, hit);
                chosen.z.conditional_assign(&entry.z, hit);
            }
            acc = acc.add(&chosen.to_point(curve), curve);
        }
        acc
    }
}

/// The WINDOW_BITS bits of the scalar starting at bit `position`, across a word boundary if the
/// window straddles one. Which words are read depends only on `position` (public), never on k.
fn window(words: &[Word], position: u32) -> Word {
    let index = (position / Word::BITS) as usize;
    let offset = position % Word::BITS;
    let low = words.get(index).copied().unwrap_or(0) >> offset;
    let high = match (offset + WINDOW_BITS > Word::BITS, words.get(index + 1)) {
        (true, Some(next)) => next << (Word::BITS - offset),
        _ => 0,
    };
    (low | high) & (DIGITS as Word - 1)
}

impl<const L: usize> From<Point<L>> for Entry<L> {
    fn from(point: Point<L>) -> Self {
        let (x, y, z) = point.coordinates();
        Self {
            x: *x.repr(),
            y: *y.repr(),
            z: *z.repr(),
        }
    }
}

impl<const L: usize> Entry<L> {
    fn to_point(self, curve: &CurveDef<L>) -> Point<L> {
        Point::from_coordinates(
            Fe::from_repr(self.x, curve.p),
            Fe::from_repr(self.y, curve.p),
            Fe::from_repr(self.z, curve.p),
        )
    }
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
