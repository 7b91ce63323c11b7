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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curves::{CRYPTOPRO_A, TC26_256_A};
    use crypto_bigint::{NonZero, U256};

    /// x = N/D for x ≥ q too (r + q, r + 3q on the cofactor-4 curve), and only for r itself.
    #[test]
    fn every_multiple_of_q_below_p_is_tried() {
        for curve in [&TC26_256_A, &CRYPTOPRO_A] {
            let order = NonZero::new(*curve.order()).unwrap();
            let denominator = Fe::new(&U256::from_u64(0xABCD_EF01), curve.p);
            let mut x = U256::from_u64(7);
            while &x < curve.modulus() {
                let fraction = FractionX::new(Fe::new(&x, curve.p).mul(&denominator), denominator);
                let r = x.rem_vartime(&order);
                assert!(fraction.is_congruent_to(&r, curve), "{x}");
                let other = r.wrapping_add(&U256::ONE).rem_vartime(&order);
                assert!(!fraction.is_congruent_to(&other, curve), "{x}");
                let (next, carry) = x.carrying_add(curve.order(), crypto_bigint::Limb::ZERO);
                if carry != crypto_bigint::Limb::ZERO {
                    break;
                }
                x = next;
            }
        }
        let identity = FractionX::new(Fe::one(TC26_256_A.p), Fe::zero(TC26_256_A.p));
        assert!(!identity.is_congruent_to(&U256::ONE, &TC26_256_A));
    }
}
