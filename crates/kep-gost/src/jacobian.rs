//! Variable-time scalar multiplication for verification, where nothing is secret: Jacobian
//! coordinates (cheaper doublings: 1M + 8S instead of the complete formulas' 12M) and a width-5
//! NAF, with explicit handling of the special cases the complete formulas did not need.

use crate::curves::{CurveDef, Fe};
use crate::point::Point;
use crypto_bigint::Uint;

/// (X : Y : Z) standing for (X/Z², Y/Z³); Z = 0 is the identity.
#[derive(Clone, Copy, Debug)]
struct Jacobian<const L: usize> {
    x: Fe<L>,
    y: Fe<L>,
    z: Fe<L>,
}

fn is_zero<const L: usize>(a: &Fe<L>) -> bool {
    // Values are kept reduced, and 0 is 0 in Montgomery form.
    a.is_zero_vartime()
}

impl<const L: usize> Jacobian<L> {
    fn identity(curve: &CurveDef<L>) -> Self {
        Self {
            x: Fe::one(curve.p),
            y: Fe::one(curve.p),
            z: Fe::zero(curve.p),
        }
    }

    /// From homogeneous projective (X : Y : Z) = (X/Z, Y/Z): (X·Z : Y·Z² : Z).
    fn from_projective(point: &Point<L>) -> Self {
        let (x, y, z) = point.coordinates();
        Self {
            x: x.mul(z),
            y: y.mul(&z.square()),
            z: *z,
        }
    }

    /// To homogeneous projective: (X·Z : Y : Z³).
    fn to_projective(self) -> Point<L> {
        Point::from_coordinates(self.x.mul(&self.z), self.y, self.z.square().mul(&self.z))
    }

    fn neg(&self) -> Self {
        Self {
            x: self.x,
            y: self.y.neg(),
            z: self.z,
        }
    }

    /// dbl-2007-bl (any a).
    fn double(&self, curve: &CurveDef<L>) -> Self {
        if is_zero(&self.z) || is_zero(&self.y) {
            return Self::identity(curve);
        }
        let xx = self.x.square();
        let yy = self.y.square();
        let yyyy = yy.square();
        let zz = self.z.square();
        let s = self.x.add(&yy).square().sub(&xx).sub(&yyyy).double();
        let m = xx.double().add(&xx).add(&curve.a.mul(&zz.square()));
        let t = m.square().sub(&s.double());
        let y3 = m.mul(&s.sub(&t)).sub(&yyyy.double().double().double());
        let z3 = self.y.add(&self.z).square().sub(&yy).sub(&zz);
        Self { x: t, y: y3, z: z3 }
    }

    /// add-2007-bl, with the cases it excludes handled first.
    fn add(&self, other: &Self, curve: &CurveDef<L>) -> Self {
        if is_zero(&self.z) {
            return *other;
        }
        if is_zero(&other.z) {
            return *self;
        }
        let z1z1 = self.z.square();
        let z2z2 = other.z.square();
        let u1 = self.x.mul(&z2z2);
        let u2 = other.x.mul(&z1z1);
        let s1 = self.y.mul(&other.z).mul(&z2z2);
        let s2 = other.y.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&u1);
        let r = s2.sub(&s1).double();
        if is_zero(&h) {
            return if is_zero(&r) {
                self.double(curve)
            } else {
                Self::identity(curve)
            };
        }
        let i = h.double().square();
        let j = h.mul(&i);
        let v = u1.mul(&i);
        let x3 = r.square().sub(&j).sub(&v.double());
        let y3 = r.mul(&v.sub(&x3)).sub(&s1.mul(&j).double());
        let z3 = self.z.add(&other.z).square().sub(&z1z1).sub(&z2z2).mul(&h);
        Self {
            x: x3,
            y: y3,
            z: z3,
        }
    }
}

/// The width-5 NAF digits of k, least significant first: each is 0 or odd in [-15, 15].
fn wnaf<const L: usize>(k: &Uint<L>) -> Vec<i8> {
    const WIDTH: u32 = 5;
    let mut k = *k;
    let mut digits = Vec::with_capacity(Uint::<L>::BITS as usize + 1);
    while !k.is_zero_vartime() {
        let mut digit = 0i8;
        if bool::from(k.is_odd()) {
            let low = (k.as_words()[0] & ((1 << WIDTH) - 1)) as i8;
            digit = if low >= 1 << (WIDTH - 1) {
                low - (1 << WIDTH)
            } else {
                low
            };
            k = if digit >= 0 {
                k.wrapping_sub(&Uint::from_u8(digit as u8))
            } else {
                k.wrapping_add(&Uint::from_u8(digit.unsigned_abs()))
            };
        }
        digits.push(digit);
        k = k.shr_vartime(1);
    }
    digits
}

/// k·P in variable time (for verification only). k < q, so the NAF never overflows.
pub(crate) fn mul_vartime<const L: usize>(
    point: &Point<L>,
    k: &Uint<L>,
    curve: &CurveDef<L>,
) -> Point<L> {
    let p = Jacobian::from_projective(point);
    // Odd multiples P, 3P, …, 15P.
    let twice = p.double(curve);
    let mut odd = [p; 8];
    for i in 1..odd.len() {
        odd[i] = odd[i - 1].add(&twice, curve);
    }
    let mut acc = Jacobian::identity(curve);
    for &digit in wnaf(k).iter().rev() {
        acc = acc.double(curve);
        if digit > 0 {
            acc = acc.add(&odd[(digit / 2) as usize], curve);
        } else if digit < 0 {
            acc = acc.add(&odd[(-digit / 2) as usize].neg(), curve);
        }
    }
    acc.to_projective()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curves::{CRYPTOPRO_A, TC26_256_A, TC26_512_A, TEST_256};

    fn agrees_with_the_ladder<const L: usize>(curve: &CurveDef<L>) {
        let g = Point::generator(curve);
        let p = g.mul(&Uint::from_u64(0xDEAD_BEEF_1234_5678), curve);
        let q_minus_1 = curve.order().wrapping_sub(&Uint::ONE);
        let mut k = Uint::<L>::from_u64(0x0123_4567_89ab_cdef);
        let mut cases = vec![
            Uint::ZERO,
            Uint::ONE,
            Uint::from_u8(2),
            Uint::from_u8(15),
            Uint::from_u8(16),
            Uint::from_u8(31),
            q_minus_1,
        ];
        for _ in 0..8 {
            k = k
                .wrapping_mul(&k)
                .wrapping_add(&Uint::from_u64(0x9E37_79B9_7F4A_7C15));
            cases.push(k.rem_vartime(&crypto_bigint::NonZero::new(*curve.order()).unwrap()));
        }
        for k in cases {
            assert!(
                mul_vartime(&p, &k, curve).eq(&p.mul(&k, curve)),
                "{}",
                curve.name
            );
        }
    }

    #[test]
    fn vartime_equals_the_constant_time_ladder() {
        agrees_with_the_ladder(&TEST_256);
        agrees_with_the_ladder(&CRYPTOPRO_A);
        agrees_with_the_ladder(&TC26_256_A);
        agrees_with_the_ladder(&TC26_512_A);
    }

    #[test]
    fn naf_digits_rebuild_k() {
        let k = crypto_bigint::U256::from_u64(0b1011_0111_0101_1111);
        let digits = wnaf(&k);
        let value: i128 = digits
            .iter()
            .rev()
            .fold(0, |acc, &d| acc * 2 + i128::from(d));
        assert_eq!(value, 0b1011_0111_0101_1111);
        assert!(
            digits
                .iter()
                .all(|&d| d == 0 || (d % 2 != 0 && (-15..=15).contains(&d)))
        );
    }
}
