//! Arithmetic modulo a curve's p (or its order q), in one of two forms chosen per modulus:
//!
//! * **pseudo-Mersenne**, p = 2^(64·L) − c with c below 2³² — the CryptoPro-A and TC26-256-A
//!   field (2²⁵⁶ − 617) and the TC26-512-A/C field (2⁵¹² − 569): elements are kept as they are
//!   (< p) and a product is reduced by folding its high half times c back into the low half
//!   (`pseudo_mersenne.rs`: 64-bit limbs, constant time);
//! * **Montgomery** for every other modulus (crypto-bigint's `FixedMontyForm`).
//!
//! An element carries a reference to its modulus (which form, and the constants) instead of a
//! copy of them, so moving one costs its limbs only. Which form applies is public (the curve);
//! nothing here branches on a value.

use crate::pseudo_mersenne as pm;
use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{Odd, Uint, Word};
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

/// A modulus and the form its elements take.
#[derive(Debug)]
pub(crate) struct Modulus<const L: usize> {
    monty: FixedMontyParams<L>,
    /// Some(c) when the modulus is 2^(64·L) − c with c below 2³².
    special: Option<Word>,
}

impl<const L: usize> Modulus<L> {
    /// The modulus given in hex (odd); pseudo-Mersenne form when it is 2^(64·L) − c with c
    /// below 2³², Montgomery otherwise.
    pub const fn from_be_hex(hex: &str) -> Self {
        let modulus = Odd::<Uint<L>>::from_be_hex(hex);
        let c = modulus.as_ref().wrapping_neg();
        // c must fit in 32 bits: the folding in `pseudo_mersenne::mul` relies on it.
        let mut small = c.as_words()[0] >> 32 == 0;
        let mut i = 1;
        while i < L {
            if c.as_words()[i] != 0 {
                small = false;
            }
            i += 1;
        }
        Self {
            monty: FixedMontyParams::new_vartime(modulus),
            special: if small { Some(c.as_words()[0]) } else { None },
        }
    }

    /// Montgomery form only, whatever the modulus (for the scalars mod q, which are few).
    pub const fn montgomery_from_be_hex(hex: &str) -> Self {
        Self {
            monty: FixedMontyParams::new_vartime(Odd::<Uint<L>>::from_be_hex(hex)),
            special: None,
        }
    }

    /// The modulus as an integer.
    pub fn value(&self) -> &Uint<L> {
        self.monty.modulus().as_ref()
    }

    /// Whether elements are kept as they are (pseudo-Mersenne).
    #[cfg(test)]
    pub fn is_special(&self) -> bool {
        self.special.is_some()
    }
}

/// An element modulo a [`Modulus`].
#[derive(Clone, Copy)]
pub(crate) struct Fe<const L: usize> {
    /// The value itself (pseudo-Mersenne) or its Montgomery form; < the modulus either way.
    repr: Uint<L>,
    modulus: &'static Modulus<L>,
}

impl<const L: usize> core::fmt::Debug for Fe<L> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("Fe").field(&self.repr).finish()
    }
}

impl<const L: usize> Fe<L> {
    /// `integer` mod the modulus.
    pub const fn new(integer: &Uint<L>, modulus: &'static Modulus<L>) -> Self {
        let repr = match modulus.special {
            // An integer below 2^(64·L) is below 2p: one constant-time subtraction reduces it.
            Some(c) => Uint::from_words(pm::reduce_once(integer.as_words(), c)),
            None => *FixedMontyForm::new(integer, &modulus.monty).as_montgomery(),
        };
        Self { repr, modulus }
    }

    /// A constant from hex (curve definitions).
    pub const fn from_be_hex(hex: &str, modulus: &'static Modulus<L>) -> Self {
        Self::new(&Uint::from_be_hex(hex), modulus)
    }

    pub const fn zero(modulus: &'static Modulus<L>) -> Self {
        Self {
            repr: Uint::ZERO,
            modulus,
        }
    }

    pub const fn one(modulus: &'static Modulus<L>) -> Self {
        Self::new(&Uint::ONE, modulus)
    }

    /// The stored form (for tables of points; read back with [`Self::from_repr`]).
    pub fn repr(&self) -> &Uint<L> {
        &self.repr
    }

    /// An element from its stored form.
    pub fn from_repr(repr: Uint<L>, modulus: &'static Modulus<L>) -> Self {
        Self { repr, modulus }
    }

    const fn monty(&self) -> FixedMontyForm<L> {
        FixedMontyForm::from_montgomery(self.repr, &self.modulus.monty)
    }

    const fn with(&self, repr: Uint<L>) -> Self {
        Self {
            repr,
            modulus: self.modulus,
        }
    }

    /// The value, as an integer below the modulus.
    pub fn retrieve(&self) -> Uint<L> {
        match self.modulus.special {
            Some(_) => self.repr,
            None => self.monty().retrieve(),
        }
    }

    #[inline]
    pub fn mul(&self, rhs: &Self) -> Self {
        self.with(match self.modulus.special {
            Some(c) => Uint::from_words(pm::mul(self.repr.as_words(), rhs.repr.as_words(), c)),
            None => *self.monty().mul(&rhs.monty()).as_montgomery(),
        })
    }

    #[inline]
    pub fn square(&self) -> Self {
        self.with(match self.modulus.special {
            Some(c) => Uint::from_words(pm::square(self.repr.as_words(), c)),
            None => *self.monty().square().as_montgomery(),
        })
    }

    #[inline]
    pub const fn add(&self, rhs: &Self) -> Self {
        self.with(match self.modulus.special {
            Some(c) => Uint::from_words(pm::add(self.repr.as_words(), rhs.repr.as_words(), c)),
            None => *self.monty().add(&rhs.monty()).as_montgomery(),
        })
    }

    #[inline]
    pub fn sub(&self, rhs: &Self) -> Self {
        self.with(match self.modulus.special {
            Some(c) => Uint::from_words(pm::sub(self.repr.as_words(), rhs.repr.as_words(), c)),
            None => *self.monty().sub(&rhs.monty()).as_montgomery(),
        })
    }

    #[inline]
    pub fn neg(&self) -> Self {
        self.with(match self.modulus.special {
            Some(c) => Uint::from_words(pm::neg(self.repr.as_words(), c)),
            None => *self.monty().neg().as_montgomery(),
        })
    }

    #[inline]
    pub fn double(&self) -> Self {
        self.add(self)
    }

    /// The inverse in constant time, and whether there is one (when not, the first value is
    /// unspecified): by Fermat on the 256-bit pseudo-Mersenne field, by the Montgomery form's
    /// safegcd otherwise. Measured here (2026-12-03, a loop of inversions): 2²⁵⁶ − 617 Fermat
    /// 4.9 µs, safegcd 5.8–8.2 µs; 2⁵¹² − 569 Fermat 28 µs, safegcd 16–22 µs — 512 squarings
    /// cost more than safegcd's steps at that width.
    pub fn invert(&self) -> (Self, Choice) {
        if let Some(c) = self.modulus.special.filter(|_| L <= 4) {
            let inverse = Uint::from_words(pm::invert(self.repr.as_words(), c));
            return (self.with(inverse), !self.repr.ct_eq(&Uint::ZERO));
        }
        let inverse = self.in_montgomery().invert();
        let exists = Choice::from(u8::from(bool::from(inverse.is_some())));
        (
            self.with_inverse(&inverse.unwrap_or(self.in_montgomery())),
            exists,
        )
    }

    /// The inverse, if any (variable time: public values only).
    pub fn invert_vartime(&self) -> Option<Self> {
        let inverse = self.in_montgomery().invert_vartime().into_option()?;
        Some(self.with_inverse(&inverse))
    }

    /// Back from an inversion's Montgomery form.
    fn with_inverse(&self, inverse: &FixedMontyForm<L>) -> Self {
        self.with(match self.modulus.special {
            Some(_) => inverse.retrieve(),
            None => *inverse.as_montgomery(),
        })
    }

    /// This element in Montgomery form, whatever its own form.
    fn in_montgomery(&self) -> FixedMontyForm<L> {
        match self.modulus.special {
            Some(_) => FixedMontyForm::new(&self.repr, &self.modulus.monty),
            None => self.monty(),
        }
    }

    /// Whether it is zero (variable time: public values only).
    pub fn is_zero_vartime(&self) -> bool {
        self.repr.is_zero_vartime()
    }
}

impl<const L: usize> ConstantTimeEq for Fe<L> {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.repr.ct_eq(&other.repr)
    }
}

impl<const L: usize> ConditionallySelectable for Fe<L> {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        a.with(Uint::conditional_select(&a.repr, &b.repr, choice))
    }
}

/// Both forms compared on the same inputs (the property tests and `npm run fuzz`): any
/// difference panics.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) mod agreement {
    use super::{Fe, Modulus};
    use crate::curves::{CRYPTOPRO_A, TC26_512_A};
    use crypto_bigint::Uint;
    use subtle::ConstantTimeEq;

    /// The same moduli in Montgomery form: the reference.
    static P256_MONTY: Modulus<4> = Modulus::montgomery_from_be_hex(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97",
    );
    static P512_MONTY: Modulus<8> = Modulus::montgomery_from_be_hex(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7",
    );

    fn agree<const L: usize>(
        special: &'static Modulus<L>,
        monty: &'static Modulus<L>,
        a: &Uint<L>,
        b: &Uint<L>,
    ) {
        assert!(special.special.is_some() && monty.special.is_none());
        let (x, y) = (Fe::new(a, special), Fe::new(b, special));
        let (u, v) = (Fe::new(a, monty), Fe::new(b, monty));
        assert_eq!(x.retrieve(), u.retrieve(), "reduction of a");
        assert_eq!(x.mul(&y).retrieve(), u.mul(&v).retrieve(), "a·b");
        assert_eq!(x.square().retrieve(), u.square().retrieve(), "a²");
        assert_eq!(x.add(&y).retrieve(), u.add(&v).retrieve(), "a + b");
        assert_eq!(x.sub(&y).retrieve(), u.sub(&v).retrieve(), "a − b");
        assert_eq!(x.neg().retrieve(), u.neg().retrieve(), "−a");
        assert_eq!(x.double().retrieve(), u.double().retrieve(), "2a");
        let ((i, i_exists), (j, j_exists)) = (x.invert(), u.invert());
        assert_eq!(bool::from(i_exists), bool::from(j_exists), "invertible");
        assert_eq!(x.invert_vartime().is_some(), bool::from(i_exists));
        if bool::from(i_exists) {
            assert_eq!(i.retrieve(), j.retrieve(), "a⁻¹");
            assert_eq!(x.mul(&i).retrieve(), Uint::ONE, "a·a⁻¹");
        }
        assert_eq!(bool::from(x.ct_eq(&y)), bool::from(u.ct_eq(&v)), "equality");
    }

    /// a and b on the 256-bit field.
    pub(crate) fn on_256(a: &Uint<4>, b: &Uint<4>) {
        agree(CRYPTOPRO_A.p, &P256_MONTY, a, b);
    }

    /// a and b on the 512-bit field.
    pub(crate) fn on_512(a: &Uint<8>, b: &Uint<8>) {
        agree(TC26_512_A.p, &P512_MONTY, a, b);
    }

    /// Two integers of each width from `data` (zero-padded), little-endian.
    pub(crate) fn on_bytes(data: &[u8]) {
        let mut bytes = [0u8; 192];
        let n = data.len().min(bytes.len());
        bytes[..n].copy_from_slice(&data[..n]);
        on_256(
            &Uint::from_le_slice(&bytes[..32]),
            &Uint::from_le_slice(&bytes[32..64]),
        );
        on_512(
            &Uint::from_le_slice(&bytes[64..128]),
            &Uint::from_le_slice(&bytes[128..192]),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::agreement::{on_256, on_512, on_bytes};
    use crate::curves::{CRYPTOPRO_A, TC26_512_A};
    use crypto_bigint::Uint;
    use proptest::prelude::*;

    fn edges<const L: usize>(p: &Uint<L>) -> Vec<Uint<L>> {
        vec![
            Uint::ZERO,
            Uint::ONE,
            p.wrapping_sub(&Uint::ONE),
            *p,
            p.wrapping_add(&Uint::ONE),
            Uint::MAX,
            Uint::MAX.wrapping_sub(&Uint::ONE),
        ]
    }

    #[test]
    fn the_curves_fields_are_pseudo_mersenne() {
        assert!(CRYPTOPRO_A.p.is_special());
        assert!(TC26_512_A.p.is_special());
        assert!(!CRYPTOPRO_A.q.is_special());
    }

    #[test]
    fn edge_values_agree_with_montgomery() {
        for a in edges(CRYPTOPRO_A.p.value()) {
            for b in edges(CRYPTOPRO_A.p.value()) {
                on_256(&a, &b);
            }
        }
        for a in edges(TC26_512_A.p.value()) {
            for b in edges(TC26_512_A.p.value()) {
                on_512(&a, &b);
            }
        }
    }

    proptest! {
        #[test]
        fn random_256_bit_values_agree(a in any::<[u64; 4]>(), b in any::<[u64; 4]>()) {
            on_256(&Uint::from_words(a), &Uint::from_words(b));
        }

        #[test]
        fn the_fuzz_targets_bytes_agree(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            on_bytes(&data);
        }

        #[test]
        fn random_512_bit_values_agree(a in any::<[u64; 8]>(), b in any::<[u64; 8]>()) {
            on_512(&Uint::from_words(a), &Uint::from_words(b));
        }
    }
}
