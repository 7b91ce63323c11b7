//! A verification's result as its Weierstrass x coordinate in fraction form, N/D (D = 0 for the
//! identity), compared with r without an inversion: x ≡ r (mod q) with x < p means x is one of
//! r, r + q, r + 2q, … below p (one value when q is close to p, up to four on the cofactor-4
//! curves), and x = c exactly when c·D = N. Variable time: public values only.

use crate::curves::{CurveDef, Fe};
use crypto_bigint::Uint;
use subtle::ConstantTimeEq;

/// x = numerator / denominator.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FractionX<const L: usize> {
    numerator: Fe<L>,
    denominator: Fe<L>,
}

impl<const L: usize> FractionX<L> {
    pub fn new(numerator: Fe<L>, denominator: Fe<L>) -> Self {
        Self {
            numerator,
            denominator,
        }
    }

    /// Whether the point is finite and its x reduced mod q equals `r` (r < q).
    pub fn is_congruent_to(&self, r: &Uint<L>, curve: &CurveDef<L>) -> bool {
        if self.denominator.is_zero_vartime() {
            return false;
        }
        let mut candidate = *r;
        while &candidate < curve.modulus() {
            let scaled = Fe::new(&candidate, curve.p).mul(&self.denominator);
            if bool::from(scaled.ct_eq(&self.numerator)) {
                return true;
            }
            let (next, overflow) = candidate.carrying_add(curve.order(), crypto_bigint::Limb::ZERO);
            if overflow != crypto_bigint::Limb::ZERO {
                return false;
            }
            candidate = next;
        }
        false
    }

    /// x itself, or `None` for the identity (the tests' view).
    #[cfg(test)]
    pub fn value_vartime(&self) -> Option<Uint<L>> {
        Some(
            self.numerator
                .mul(&self.denominator.invert_vartime()?)
                .retrieve(),
        )
    }
}
