//! Variable-time scalar multiplication for verification, where nothing is secret: Jacobian
//! coordinates (cheaper doublings: 3M + 5S where a = −3, 1M + 8S otherwise, instead of the
//! complete formulas' 12M), width-w NAFs, and u·G + v·Q as one joint (Straus–Shamir) pass over
//! both scalars — one chain of doublings — with G's odd multiples precomputed once per curve
//! (width 7) and Q's per call (width 5). The special cases the complete formulas did not need
//! are handled explicitly.

use crate::curves::{CurveDef, Fe};
use crate::fraction_x::FractionX;
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

    /// dbl-2001-b where a = −3 (3M + 5S), else dbl-2007-bl (any a).
    fn double(&self, curve: &CurveDef<L>) -> Self {
        if is_zero(&self.z) || is_zero(&self.y) {
            return Self::identity(curve);
        }
        if curve.a_is_minus_3 {
            let delta = self.z.square();
            let gamma = self.y.square();
            let beta = self.x.mul(&gamma);
            let alpha = self.x.sub(&delta).mul(&self.x.add(&delta));
            let alpha = alpha.double().add(&alpha);
            let beta4 = beta.double().double();
            let x3 = alpha.square().sub(&beta4.double());
            let z3 = self.y.add(&self.z).square().sub(&gamma).sub(&delta);
            let gamma2_8 = gamma.square().double().double().double();
            let y3 = alpha.mul(&beta4.sub(&x3)).sub(&gamma2_8);
            return Self {
                x: x3,
                y: y3,
                z: z3,
            };
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

/// The width-`WIDTH` NAF digits of k, least significant first: each is 0 or odd in
/// (−2^(WIDTH−1), 2^(WIDTH−1)). Read window by window from k's words (no shifting of k).
pub(crate) fn wnaf<const L: usize, const WIDTH: u32>(k: &Uint<L>) -> Vec<i8> {
    let bits = Uint::<L>::BITS as usize;
    // One spare word: a window may reach past the top, where k is zero.
    let mut words = k.as_words().to_vec();
    words.push(0);
    let width = 1u64 << WIDTH;
    let mut digits = vec![0i8; bits + 1];
    let mut position = 0;
    let mut carry = 0u64;
    while position <= bits {
        let (index, offset) = (position / 64, position % 64);
        let mut buffer = words.get(index).copied().unwrap_or(0) >> offset;
        if offset + WIDTH as usize > 64 {
            buffer |= words.get(index + 1).copied().unwrap_or(0) << (64 - offset);
        }
        let window = carry + (buffer & (width - 1));
        if window & 1 == 0 {
            // An even window: this bit is 0 (with the carry, which moves on with it).
            position += 1;
            continue;
        }
        // In i16: 2^WIDTH does not fit an i8 for WIDTH = 7; the digit does.
        let digit = if window < width / 2 {
            carry = 0;
            window as i16
        } else {
            carry = 1;
            window as i16 - width as i16
        };
        digits[position] = digit as i8;
        position += WIDTH as usize;
    }
    while digits.last() == Some(&0) {
        digits.pop();
    }
    digits
}

/// The odd multiples P, 3P, …, (2n − 1)P.
fn odd_multiples<const L: usize>(
    p: Jacobian<L>,
    n: usize,
    curve: &CurveDef<L>,
) -> Vec<Jacobian<L>> {
    let twice = p.double(curve);
    let mut odd = Vec::with_capacity(n);
    odd.push(p);
    for i in 1..n {
        odd.push(odd[i - 1].add(&twice, curve));
    }
    odd
}

/// A public key's odd multiples P, 3P, …, 15P, for width-5 NAFs.
fn point_odd<const L: usize>(point: &Point<L>, curve: &CurveDef<L>) -> Vec<Jacobian<L>> {
    odd_multiples(Jacobian::from_projective(point), 1 << (P_WIDTH - 2), curve)
}

/// G's odd multiples G, 3G, …, 63G, for width-7 NAFs.
#[derive(Debug)]
pub(crate) struct GeneratorOdd<const L: usize>(Vec<Jacobian<L>>);

pub(crate) const G_WIDTH: u32 = 7;
pub(crate) const P_WIDTH: u32 = 5;

impl<const L: usize> GeneratorOdd<L> {
    fn build(curve: &CurveDef<L>) -> Self {
        let g = Jacobian::from_projective(&Point::generator(curve));
        Self(odd_multiples(g, 1 << (G_WIDTH - 2), curve))
    }
}

/// acc + digit·(the odd multiples' point), for a NAF digit.
fn add_digit<const L: usize>(
    acc: Jacobian<L>,
    odd: &[Jacobian<L>],
    digit: i8,
    curve: &CurveDef<L>,
) -> Jacobian<L> {
    let entry = &odd[usize::from(digit.unsigned_abs() / 2)];
    match digit {
        0 => acc,
        d if d > 0 => acc.add(entry, curve),
        _ => acc.add(&entry.neg(), curve),
    }
}

/// u·G + v·P in variable time (verification only), in one pass, as the sum's x (X/Z²). u, v < q.
pub(crate) fn mul_add_vartime<const L: usize>(
    u: &Uint<L>,
    point: &Point<L>,
    v: &Uint<L>,
    curve: &CurveDef<L>,
) -> FractionX<L> {
    let g_odd = &curve
        .generator_odd
        .get_or_init(|| GeneratorOdd::build(curve))
        .0;
    let p_odd = point_odd(point, curve);
    let u_naf = wnaf::<L, G_WIDTH>(u);
    let v_naf = wnaf::<L, P_WIDTH>(v);
    let mut acc = Jacobian::identity(curve);
    for i in (0..u_naf.len().max(v_naf.len())).rev() {
        acc = acc.double(curve);
        acc = add_digit(acc, g_odd, u_naf.get(i).copied().unwrap_or(0), curve);
        acc = add_digit(acc, &p_odd, v_naf.get(i).copied().unwrap_or(0), curve);
    }
    FractionX::new(acc.x, acc.z.square())
}

/// k·P in variable time (for verification only). k < q, so the NAF never overflows.
pub(crate) fn mul_vartime<const L: usize>(
    point: &Point<L>,
    k: &Uint<L>,
    curve: &CurveDef<L>,
) -> Point<L> {
    let odd = point_odd(point, curve);
    let mut acc = Jacobian::identity(curve);
    for &digit in wnaf::<L, P_WIDTH>(k).iter().rev() {
        acc = acc.double(curve);
        acc = add_digit(acc, &odd, digit, curve);
    }
    acc.to_projective()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curves::{CRYPTOPRO_A, TC26_256_A, TC26_512_A, TC26_512_C, TEST_256};

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

    fn joint_agrees_with_the_ladder<const L: usize>(curve: &CurveDef<L>) {
        let g = Point::generator(curve);
        let p = g.mul(&Uint::from_u64(0x0BAD_F00D_1234_5678), curve);
        let q_minus_1 = curve.order().wrapping_sub(&Uint::ONE);
        let mut k = Uint::<L>::from_u64(0x0fed_cba9_8765_4321);
        let mut cases = vec![
            (Uint::ZERO, Uint::ONE),
            (Uint::ONE, Uint::ZERO),
            (Uint::from_u8(63), Uint::from_u8(64)),
            (q_minus_1, q_minus_1),
            (q_minus_1, Uint::ONE),
        ];
        for _ in 0..8 {
            k = k
                .wrapping_mul(&k)
                .wrapping_add(&Uint::from_u64(0x9E37_79B9_7F4A_7C15));
            let order = crypto_bigint::NonZero::new(*curve.order()).unwrap();
            let u = k.rem_vartime(&order);
            let v = k.wrapping_mul(&k).rem_vartime(&order);
            cases.push((u, v));
        }
        for (u, v) in cases {
            let expected = g.mul(&u, curve).add(&p.mul(&v, curve), curve);
            let expected_x = expected.to_affine().map(|(x, _)| x);
            assert_eq!(
                mul_add_vartime(&u, &p, &v, curve).value_vartime(),
                expected_x,
                "{}",
                curve.name
            );
            if let Some(edwards) = &curve.edwards {
                let (x, y) = p.to_affine().unwrap();
                let (x, y) = (Fe::new(&x, curve.p), Fe::new(&y, curve.p));
                let sum = crate::edwards::joint::mul_add_vartime(&u, (&x, &y), &v, curve, edwards);
                assert_eq!(
                    sum.unwrap().value_vartime(),
                    expected_x,
                    "{} (Edwards)",
                    curve.name
                );
            }
        }
        // P = G: the sum's doublings and cancellations (u·G + (q − u)·G = O).
        let u = Uint::from_u64(12345);
        let minus_u = curve.order().wrapping_sub(&u);
        assert_eq!(
            mul_add_vartime(&u, &g, &minus_u, curve).value_vartime(),
            None
        );
        let twice = g
            .mul(&u.wrapping_add(&u), curve)
            .to_affine()
            .map(|(x, _)| x);
        assert_eq!(mul_add_vartime(&u, &g, &u, curve).value_vartime(), twice);
        if let Some(edwards) = &curve.edwards {
            let (x, y) = (&curve.gx, &curve.gy);
            let joint = |a, b| crate::edwards::joint::mul_add_vartime(a, (x, y), b, curve, edwards);
            assert_eq!(joint(&u, &minus_u).unwrap().value_vartime(), None);
            assert_eq!(joint(&u, &u).unwrap().value_vartime(), twice);
        }
    }

    #[test]
    fn joint_multiplication_equals_the_constant_time_ladder() {
        joint_agrees_with_the_ladder(&TEST_256);
        joint_agrees_with_the_ladder(&CRYPTOPRO_A);
        joint_agrees_with_the_ladder(&TC26_256_A);
        joint_agrees_with_the_ladder(&TC26_512_A);
        joint_agrees_with_the_ladder(&TC26_512_C);
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
        let digits = wnaf::<4, 5>(&k);
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
