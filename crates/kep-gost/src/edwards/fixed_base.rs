//! k·G in constant time on the Edwards form: the same signed 6-bit digits as the Weierstrass
//! fixed-base multiplication (`crate::fixed_base`), over affine tables of j·64^i·G (j = 1…32)
//! stored with d·u·v, so each window is one full table scan, a conditional negation and one
//! mixed addition (8M) — no doublings. A zero digit selects the identity (0, 1, 0), which the
//! complete formula adds like any point.

use super::{AffineAddend, EdwardsForm, Extended};
use crate::curves::{CurveDef, Fe};
use crate::fixed_base::{ENTRIES, SignedDigits, WINDOW_BITS, windows_for};
use crate::point::Point;
use crypto_bigint::{Uint, Word};
use subtle::{ConditionallySelectable, ConstantTimeEq};

/// One table entry in its stored form (u, v, d·u·v): plain integers keep the constant-time
/// selection to the limbs alone.
#[derive(Clone, Copy, Debug)]
struct Entry<const L: usize> {
    u: Uint<L>,
    v: Uint<L>,
    duv: Uint<L>,
}

/// The precomputed multiples of G.
#[derive(Debug)]
pub(crate) struct GeneratorTable<const L: usize> {
    windows: Vec<[Entry<L>; ENTRIES]>,
}

impl<const L: usize> GeneratorTable<L> {
    /// Built from public values only (G's multiples), in variable time.
    pub fn build(curve: &CurveDef<L>, form: &EdwardsForm<L>) -> Self {
        // G lies on the curve and has odd order: the map is defined there.
        let mut base = form
            .edwards_point(&curve.gx, &curve.gy)
            .unwrap_or(Extended::identity(curve));
        let mut windows = Vec::with_capacity(windows_for::<L>());
        for _ in 0..windows_for::<L>() {
            let base_addend = base.addend(form);
            let mut row = [Entry {
                u: Uint::ZERO,
                v: Uint::ZERO,
                duv: Uint::ZERO,
            }; ENTRIES];
            let mut acc = base;
            for entry in row.iter_mut() {
                if let Some(affine) = acc.affine_addend_vartime(form) {
                    *entry = Entry {
                        u: *affine.u.repr(),
                        v: *affine.v.repr(),
                        duv: *affine.duv.repr(),
                    };
                }
                acc = acc.add(&base_addend).to_extended();
            }
            windows.push(row);
            for _ in 0..WINDOW_BITS {
                base = base.projective().double().to_extended();
            }
        }
        Self { windows }
    }

    /// k·G in constant time, in Weierstrass projective coordinates.
    pub fn mul(&self, k: &Uint<L>, curve: &CurveDef<L>, form: &EdwardsForm<L>) -> Point<L> {
        let mut digits = SignedDigits::new(k);
        let mut acc = Extended::identity(curve);
        let identity = Entry {
            u: Uint::ZERO,
            v: *Fe::one(curve.p).repr(),
            duv: Uint::ZERO,
        };
        for row in &self.windows {
            let (magnitude, negative) = digits.next_digit();
            let mut chosen = identity;
            for (j, entry) in row.iter().enumerate() {
                let hit = ((j + 1) as Word).ct_eq(&magnitude);
                chosen.u.conditional_assign(&entry.u, hit);
                chosen.v.conditional_assign(&entry.v, hit);
                chosen.duv.conditional_assign(&entry.duv, hit);
            }
            let addend = AffineAddend {
                u: Fe::from_repr(chosen.u, curve.p),
                v: Fe::from_repr(chosen.v, curve.p),
                duv: Fe::from_repr(chosen.duv, curve.p),
            };
            let addend = AffineAddend {
                u: Fe::conditional_select(&addend.u, &addend.u.neg(), negative),
                v: addend.v,
                duv: Fe::conditional_select(&addend.duv, &addend.duv.neg(), negative),
            };
            acc = acc.add_affine(&addend).to_extended();
        }
        form.to_weierstrass(&acc.projective())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curves::{TC26_256_A, TC26_512_C};

    fn agrees_with_the_ladder<const L: usize>(curve: &CurveDef<L>) {
        let form = curve.edwards.as_ref().unwrap();
        let table = GeneratorTable::build(curve, form);
        let g = Point::generator(curve);
        let q_minus_1 = curve.order().wrapping_sub(&Uint::ONE);
        let mut seed = Uint::<L>::from_u64(0x1234_5678_9abc_def1);
        let mut cases = vec![
            Uint::ZERO,
            Uint::ONE,
            Uint::from_u8(32),
            Uint::from_u8(33),
            Uint::from_u8(63),
            q_minus_1,
            *curve.order(),
            Uint::MAX,
        ];
        for _ in 0..8 {
            seed = seed
                .wrapping_mul(&seed)
                .wrapping_add(&Uint::from_u64(0x9E37_79B9_7F4A_7C15));
            cases.push(seed);
        }
        for k in cases {
            assert!(table.mul(&k, curve, form).eq(&g.mul(&k, curve)), "{k}");
        }
    }

    #[test]
    fn edwards_fixed_base_equals_the_generic_ladder() {
        agrees_with_the_ladder(&TC26_256_A);
        agrees_with_the_ladder(&TC26_512_C);
    }
}
