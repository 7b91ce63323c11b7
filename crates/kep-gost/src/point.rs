//! Points in projective coordinates (X:Y:Z), with the complete addition formulas of Renes,
//! Costello and Batina (EUROCRYPT 2016, algorithm 1, any a): one code path for every pair of
//! points — doubling and the point at infinity included — which is what makes a constant-time
//! scalar multiplication possible. They are complete on curves of odd order, which every curve
//! used here has.

use crate::curves::{CurveDef, Fe};
use crypto_bigint::Uint;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

/// A point of a curve. The identity is (0:1:0).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Point<const L: usize> {
    x: Fe<L>,
    y: Fe<L>,
    z: Fe<L>,
}

impl<const L: usize> Point<L> {
    pub fn identity(curve: &CurveDef<L>) -> Self {
        Self {
            x: Fe::zero(curve.p),
            y: Fe::one(curve.p),
            z: Fe::zero(curve.p),
        }
    }

    pub fn generator(curve: &CurveDef<L>) -> Self {
        Self {
            x: curve.gx,
            y: curve.gy,
            z: Fe::one(curve.p),
        }
    }

    /// The point (x, y) if it lies on the curve; `None` otherwise. x and y must be < p.
    pub fn from_affine(curve: &CurveDef<L>, x: &Uint<L>, y: &Uint<L>) -> Option<Self> {
        if x >= curve.modulus() || y >= curve.modulus() {
            return None;
        }
        let x = Fe::new(x, curve.p);
        let y = Fe::new(y, curve.p);
        let rhs = x.square().mul(&x).add(&curve.a.mul(&x)).add(&curve.b);
        if bool::from(y.square().ct_eq(&rhs)) {
            Some(Self {
                x,
                y,
                z: Fe::one(curve.p),
            })
        } else {
            None
        }
    }

    pub fn from_coordinates(x: Fe<L>, y: Fe<L>, z: Fe<L>) -> Self {
        Self { x, y, z }
    }

    pub fn coordinates(&self) -> (&Fe<L>, &Fe<L>, &Fe<L>) {
        (&self.x, &self.y, &self.z)
    }

    /// (x, y) when Z = 1, as for a decoded public key (variable time: public points only).
    pub fn affine_coordinates_vartime(&self) -> Option<(&Fe<L>, &Fe<L>)> {
        (self.z.retrieve() == Uint::ONE).then_some((&self.x, &self.y))
    }

    /// k·G through the curve's precomputed generator table (built on first use).
    /// On a curve with an Edwards form, the product is computed there.
    pub fn mul_generator(k: &Uint<L>, curve: &CurveDef<L>) -> Self {
        match &curve.edwards {
            Some(form) => form
                .generator_table
                .get_or_init(|| crate::edwards::fixed_base::GeneratorTable::build(curve, form))
                .mul(k, curve, form),
            None => curve
                .generator_table
                .get_or_init(|| crate::fixed_base::GeneratorTable::build(curve))
                .mul(k, curve),
        }
    }

    pub fn is_identity(&self) -> Choice {
        self.z.retrieve().ct_eq(&Uint::ZERO)
    }

    /// Affine coordinates, or `None` for the identity.
    pub fn to_affine(self) -> Option<(Uint<L>, Uint<L>)> {
        let (z_inv, exists) = self.z.invert();
        // Public: whether the point is the identity (never, for a multiple of G by a scalar
        // in [1, q − 1]); the coordinates stay secret until the caller says otherwise.
        let mut finite = bool::from(exists);
        crate::declassify::public(&mut finite);
        if finite {
            Some((self.x.mul(&z_inv).retrieve(), self.y.mul(&z_inv).retrieve()))
        } else {
            None
        }
    }

    /// P + Q by the complete formulas (12M + 3 m_a + 2 m_3b + 23 additions).
    pub fn add(&self, other: &Self, curve: &CurveDef<L>) -> Self {
        let (x1, y1, z1) = (&self.x, &self.y, &self.z);
        let (x2, y2, z2) = (&other.x, &other.y, &other.z);
        let t0 = x1.mul(x2);
        let t1 = y1.mul(y2);
        let t2 = z1.mul(z2);
        let t3 = x1.add(y1).mul(&x2.add(y2)).sub(&t0.add(&t1));
        let t4 = x1.add(z1).mul(&x2.add(z2)).sub(&t0.add(&t2));
        let t5 = y1.add(z1).mul(&y2.add(z2)).sub(&t1.add(&t2));
        Self::finish_add(t0, t1, t2, t3, t4, t5, curve)
    }

    /// P + (x2, y2), an affine point (Z2 = 1): the same formulas with Z2 = 1 (11M), for the
    /// generator tables.
    pub fn add_affine(&self, x2: &Fe<L>, y2: &Fe<L>, curve: &CurveDef<L>) -> Self {
        let (x1, y1, z1) = (&self.x, &self.y, &self.z);
        let t0 = x1.mul(x2);
        let t1 = y1.mul(y2);
        let t2 = *z1;
        let t3 = x1.add(y1).mul(&x2.add(y2)).sub(&t0.add(&t1));
        let t4 = x2.mul(z1).add(x1);
        let t5 = y2.mul(z1).add(y1);
        Self::finish_add(t0, t1, t2, t3, t4, t5, curve)
    }

    /// a·t: three additions where a = −3, a multiplication otherwise.
    fn mul_a(t: &Fe<L>, curve: &CurveDef<L>) -> Fe<L> {
        if curve.a_is_minus_3 {
            t.add(t).add(t).neg()
        } else {
            curve.a.mul(t)
        }
    }

    /// The rest of Renes–Costello–Batina algorithm 1 from t0 = X1X2, t1 = Y1Y2, t2 = Z1Z2,
    /// t3 = X1Y2 + X2Y1, t4 = X1Z2 + X2Z1, t5 = Y1Z2 + Y2Z1.
    fn finish_add(
        t0: Fe<L>,
        t1: Fe<L>,
        t2: Fe<L>,
        t3: Fe<L>,
        t4: Fe<L>,
        t5: Fe<L>,
        curve: &CurveDef<L>,
    ) -> Self {
        let b3 = &curve.b3;
        let z3 = b3.mul(&t2).add(&Self::mul_a(&t4, curve));
        let x3 = t1.sub(&z3);
        let z3 = t1.add(&z3);
        let y3 = x3.mul(&z3);
        let t1 = t0.add(&t0).add(&t0);
        let a_t2 = Self::mul_a(&t2, curve);
        let t1 = t1.add(&a_t2);
        let t2 = Self::mul_a(&t0.sub(&a_t2), curve);
        let t4 = b3.mul(&t4).add(&t2);
        let y3 = y3.add(&t1.mul(&t4));
        let x3 = t3.mul(&x3).sub(&t5.mul(&t4));
        let z3 = z3.mul(&t5).add(&t3.mul(&t1));
        Self {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    pub fn double(&self, curve: &CurveDef<L>) -> Self {
        self.add(self, curve)
    }

    #[cfg(test)]
    pub fn neg(&self) -> Self {
        Self {
            x: self.x,
            y: self.y.neg(),
            z: self.z,
        }
    }

    /// k·P in constant time: a fixed 4-bit window over all bits of `k` (whatever its value),
    /// with every table entry read for every window so that no memory access depends on `k`.
    ///
    /// Signing uses the generator tables and verification the variable-time path; this
    /// constant-time variable-base ladder is the tests' reference (and the base for key
    /// agreement when it arrives).
    #[cfg(test)]
    pub fn mul(&self, k: &Uint<L>, curve: &CurveDef<L>) -> Self {
        const WINDOW: u32 = 4;
        const TABLE: usize = 1 << WINDOW;
        let mut table = [Self::identity(curve); TABLE];
        for i in 1..TABLE {
            table[i] = table[i - 1].add(self, curve);
        }
        let words = k.as_words();
        let bits = Uint::<L>::BITS;
        let mut acc = Self::identity(curve);
        let mut position = bits;
        while position > 0 {
            position -= WINDOW;
            for _ in 0..WINDOW {
                acc = acc.double(curve);
            }
            let word = words[(position / crypto_bigint::Word::BITS) as usize];
            let nibble = (word >> (position % crypto_bigint::Word::BITS)) & 0xf;
            let mut chosen = Self::identity(curve);
            for (i, entry) in table.iter().enumerate() {
                chosen.conditional_assign(entry, (i as crypto_bigint::Word).ct_eq(&nibble));
            }
            acc = acc.add(&chosen, curve);
        }
        acc
    }

    /// Whether two points are equal (projectively: X1·Z2 = X2·Z1 and Y1·Z2 = Y2·Z1).
    #[cfg(test)]
    pub fn eq(&self, other: &Self) -> bool {
        let x = self.x.mul(&other.z).ct_eq(&other.x.mul(&self.z));
        let y = self.y.mul(&other.z).ct_eq(&other.y.mul(&self.z));
        bool::from(x & y)
    }
}

impl<const L: usize> ConditionallySelectable for Point<L> {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        Self {
            x: Fe::conditional_select(&a.x, &b.x, choice),
            y: Fe::conditional_select(&a.y, &b.y, choice),
            z: Fe::conditional_select(&a.z, &b.z, choice),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curves::{CRYPTOPRO_A, TC26_512_A, TEST_256};

    fn check_group_laws<const L: usize>(curve: &CurveDef<L>) {
        let g = Point::generator(curve);
        let o = Point::identity(curve);
        assert!(g.add(&o, curve).eq(&g));
        assert!(o.add(&g, curve).eq(&g));
        assert!(bool::from(g.add(&g.neg(), curve).is_identity()));
        let two_g = g.double(curve);
        let three_g = two_g.add(&g, curve);
        assert!(three_g.eq(&g.mul(&Uint::from_u8(3), curve)));
        // q·G = O and (q-1)·G = -G.
        let q = *curve.order();
        assert!(bool::from(g.mul(&q, curve).is_identity()));
        let q_minus_1 = q.wrapping_sub(&Uint::ONE);
        assert!(g.mul(&q_minus_1, curve).eq(&g.neg()));
        // The affine round trip lands on the curve.
        let (x, y) = three_g.to_affine().unwrap();
        assert!(Point::from_affine(curve, &x, &y).unwrap().eq(&three_g));
        assert!(o.to_affine().is_none());
    }

    #[test]
    fn group_laws_hold() {
        check_group_laws(&TEST_256);
        check_group_laws(&CRYPTOPRO_A);
        check_group_laws(&TC26_512_A);
    }

    #[test]
    fn points_off_the_curve_are_refused() {
        let curve = &TEST_256;
        let (x, y) = Point::generator(curve).to_affine().unwrap();
        assert!(Point::from_affine(curve, &x, &y.wrapping_add(&Uint::ONE)).is_none());
        assert!(Point::from_affine(curve, curve.modulus(), &y).is_none());
    }
}
