//! The twisted-Edwards form of the cofactor-4 curves TC26-256-A and TC26-512-C (RFC 7836,
//! section 4 of the standard's TC26 parameters): e·u² + v² = 1 + d·u²·v² with e = 1, which maps
//! to the Weierstrass curve by
//!
//!   x = s·(1 + v)/(1 − v) + t,  y = s·(1 + v)/((1 − v)·u),  s = (e − d)/4,  t = (e + d)/6,
//!
//! and back by u = (x − t)/y, v = (x − t − s)/(x − t + s). Both curves' d is not a square, so
//! the Edwards addition law is complete: one formula for every pair of points, doubling and the
//! identity (0, 1) included. It is also cheaper than the Weierstrass formulas for a general a
//! (these curves' a is not −3, nor −3 up to isomorphism): a doubling costs 4S (+ 3M to finish)
//! instead of 2M + 8S, an addition of an affine point 4M (+ 4M) instead of 16M.
//!
//! Coordinates (Hisil–Wong–Carter–Dawson 2008, with a = 1): projective (X : Y : Z) for
//! (u, v) = (X/Z, Y/Z); extended adds T = X·Y/Z, which additions need; a `Completed` result
//! (E, F, G, H) stands for (E/G, H/F) and becomes projective with 3M or extended with 4M, so a
//! doubling followed by another doubling skips T.
//!
//! Signing and key generation (constant time) use `fixed_base`, verification (variable time)
//! `joint`; both return to the Weierstrass form, where everything else — encodings, r = x mod q
//! — stays.

pub(crate) mod fixed_base;
pub(crate) mod joint;

use crate::curves::{CurveDef, Fe};
use crate::point::Point;
use std::sync::OnceLock;

/// A curve's Edwards form: d and the map's s and t (`tools/check_curves.py` and the tests
/// check s = (1 − d)/4, t = (1 + d)/6, a = s² − 3t², b = 2t³ − t·s²), and the tables built on
/// first use.
#[derive(Debug)]
pub(crate) struct EdwardsForm<const L: usize> {
    pub d: Fe<L>,
    pub s: Fe<L>,
    pub t: Fe<L>,
    pub generator_table: OnceLock<fixed_base::GeneratorTable<L>>,
    pub generator_odd: OnceLock<joint::GeneratorOdd<L>>,
}

impl<const L: usize> EdwardsForm<L> {
    pub const fn new(d: Fe<L>, s: Fe<L>, t: Fe<L>) -> Self {
        Self {
            d,
            s,
            t,
            generator_table: OnceLock::new(),
            generator_odd: OnceLock::new(),
        }
    }

    /// The Weierstrass point (x, y) (affine, public) in extended coordinates, without an
    /// inversion: (X : Y : Z) = ((x − t)(x − t + s) : (x − t − s)·y : y·(x − t + s)), then
    /// T = X·Y/Z by scaling. `None` where the map is undefined: y = 0 (the point of order 2,
    /// which no point of the prime-order subgroup is).
    pub fn edwards_point(&self, x: &Fe<L>, y: &Fe<L>) -> Option<Extended<L>> {
        let x_t = x.sub(&self.t);
        let denominator = x_t.add(&self.s);
        let xp = x_t.mul(&denominator);
        let yp = x_t.sub(&self.s).mul(y);
        let zp = y.mul(&denominator);
        if zp.is_zero_vartime() {
            return None;
        }
        Some(Extended {
            x: xp.mul(&zp),
            y: yp.mul(&zp),
            z: zp.square(),
            t: xp.mul(&yp),
        })
    }

    /// A point back in Weierstrass projective coordinates (constant time):
    /// W = (Z − Y)·X, (X' : Y' : Z') = (s(Z + Y)·X + t·W : s(Z + Y)·Z : W). The identity
    /// (X = 0, Y = Z) becomes (0 : 2sZ² : 0), the Weierstrass identity.
    pub fn to_weierstrass(&self, point: &Projective<L>) -> Point<L> {
        let (x, y, z) = (&point.x, &point.y, &point.z);
        let w = z.sub(y).mul(x);
        let s_sum = self.s.mul(&z.add(y));
        Point::from_coordinates(s_sum.mul(x).add(&self.t.mul(&w)), s_sum.mul(z), w)
    }

    /// The Weierstrass x of a point as a fraction: (s(Z + Y) + t(Z − Y)) / (Z − Y).
    pub fn weierstrass_x(&self, point: &Projective<L>) -> crate::fraction_x::FractionX<L> {
        let difference = point.z.sub(&point.y);
        crate::fraction_x::FractionX::new(
            self.s
                .mul(&point.z.add(&point.y))
                .add(&self.t.mul(&difference)),
            difference,
        )
    }
}

/// (X : Y : Z) for (u, v) = (X/Z, Y/Z).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Projective<const L: usize> {
    pub x: Fe<L>,
    pub y: Fe<L>,
    pub z: Fe<L>,
}

/// Projective coordinates with T = X·Y/Z.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Extended<const L: usize> {
    pub x: Fe<L>,
    pub y: Fe<L>,
    pub z: Fe<L>,
    pub t: Fe<L>,
}

/// A sum before its last multiplications: (u, v) = (E/G, H/F).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Completed<const L: usize> {
    e: Fe<L>,
    f: Fe<L>,
    g: Fe<L>,
    h: Fe<L>,
}

/// An addend in affine coordinates with d·u·v precomputed (table entries).
#[derive(Clone, Copy, Debug)]
pub(crate) struct AffineAddend<const L: usize> {
    pub u: Fe<L>,
    pub v: Fe<L>,
    pub duv: Fe<L>,
}

/// An addend in projective coordinates with d·T precomputed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ProjectiveAddend<const L: usize> {
    x: Fe<L>,
    y: Fe<L>,
    z: Fe<L>,
    dt: Fe<L>,
}

impl<const L: usize> Completed<L> {
    /// 3M.
    pub fn to_projective(self) -> Projective<L> {
        Projective {
            x: self.e.mul(&self.f),
            y: self.g.mul(&self.h),
            z: self.f.mul(&self.g),
        }
    }

    /// 4M.
    pub fn to_extended(self) -> Extended<L> {
        Extended {
            x: self.e.mul(&self.f),
            y: self.g.mul(&self.h),
            z: self.f.mul(&self.g),
            t: self.e.mul(&self.h),
        }
    }
}

impl<const L: usize> Projective<L> {
    /// 2P (dbl-2008-hwcd, a = 1): 4S. Complete.
    pub fn double(&self) -> Completed<L> {
        let a = self.x.square();
        let b = self.y.square();
        let c = self.z.square().double();
        let e = self.x.add(&self.y).square().sub(&a).sub(&b);
        let g = a.add(&b);
        Completed {
            e,
            f: g.sub(&c),
            g,
            h: a.sub(&b),
        }
    }
}

impl<const L: usize> Extended<L> {
    pub fn identity(curve: &CurveDef<L>) -> Self {
        Self {
            x: Fe::zero(curve.p),
            y: Fe::one(curve.p),
            z: Fe::one(curve.p),
            t: Fe::zero(curve.p),
        }
    }

    pub fn projective(&self) -> Projective<L> {
        Projective {
            x: self.x,
            y: self.y,
            z: self.z,
        }
    }

    /// The rest of add-2008-hwcd (a = 1) from A = X1·X2, B = Y1·Y2, C = d·T1·T2, D = Z1·Z2.
    fn finish_add(
        &self,
        x2_plus_y2: &Fe<L>,
        a: Fe<L>,
        b: Fe<L>,
        c: Fe<L>,
        d: Fe<L>,
    ) -> Completed<L> {
        let e = self.x.add(&self.y).mul(x2_plus_y2).sub(&a).sub(&b);
        Completed {
            e,
            f: d.sub(&c),
            g: d.add(&c),
            h: b.sub(&a),
        }
    }

    /// P + an affine addend: 4M. Complete.
    pub fn add_affine(&self, addend: &AffineAddend<L>) -> Completed<L> {
        let a = self.x.mul(&addend.u);
        let b = self.y.mul(&addend.v);
        let c = self.t.mul(&addend.duv);
        self.finish_add(&addend.u.add(&addend.v), a, b, c, self.z)
    }

    /// P + a projective addend: 5M. Complete.
    pub fn add(&self, addend: &ProjectiveAddend<L>) -> Completed<L> {
        let a = self.x.mul(&addend.x);
        let b = self.y.mul(&addend.y);
        let c = self.t.mul(&addend.dt);
        let d = self.z.mul(&addend.z);
        self.finish_add(&addend.x.add(&addend.y), a, b, c, d)
    }

    /// As an addend (1M).
    pub fn addend(&self, form: &EdwardsForm<L>) -> ProjectiveAddend<L> {
        ProjectiveAddend {
            x: self.x,
            y: self.y,
            z: self.z,
            dt: form.d.mul(&self.t),
        }
    }

    /// As an affine addend (an inversion; variable time: public points only). `None` never
    /// happens on a complete curve (Z ≠ 0), but is not assumed.
    pub fn affine_addend_vartime(&self, form: &EdwardsForm<L>) -> Option<AffineAddend<L>> {
        let z_inv = self.z.invert_vartime()?;
        let u = self.x.mul(&z_inv);
        let v = self.y.mul(&z_inv);
        Some(AffineAddend {
            u,
            v,
            duv: form.d.mul(&u).mul(&v),
        })
    }
}

impl<const L: usize> AffineAddend<L> {
    pub fn neg(&self) -> Self {
        Self {
            u: self.u.neg(),
            v: self.v,
            duv: self.duv.neg(),
        }
    }
}

impl<const L: usize> ProjectiveAddend<L> {
    pub fn neg(&self) -> Self {
        Self {
            x: self.x.neg(),
            y: self.y,
            z: self.z,
            dt: self.dt.neg(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curves::{TC26_256_A, TC26_512_C};
    use crypto_bigint::Uint;

    /// s = (1 − d)/4, t = (1 + d)/6, a = s² − 3t², b = 2t³ − t·s², and G maps to a point of
    /// the Edwards curve and back to itself.
    fn constants_hold<const L: usize>(curve: &CurveDef<L>) {
        let form = curve.edwards.as_ref().expect("an Edwards form");
        let one = Fe::one(curve.p);
        let (d, s, t) = (&form.d, &form.s, &form.t);
        assert_eq!(
            s.double().double().retrieve(),
            one.sub(d).retrieve(),
            "4s = 1 − d"
        );
        let six_t = t.double().add(&t.double()).add(&t.double());
        assert_eq!(six_t.retrieve(), one.add(d).retrieve(), "6t = 1 + d");
        let t2 = t.square();
        let a = s.square().sub(&t2.add(&t2).add(&t2));
        assert_eq!(a.retrieve(), curve.a.retrieve(), "a");
        let b = t2.mul(t).double().sub(&t.mul(&s.square()));
        assert_eq!(b.retrieve(), curve.b.retrieve(), "b");
        let g = form.edwards_point(&curve.gx, &curve.gy).unwrap();
        let g = g.affine_addend_vartime(form).unwrap();
        // u² + v² = 1 + d·u²·v².
        let (u2, v2) = (g.u.square(), g.v.square());
        assert_eq!(
            u2.add(&v2).retrieve(),
            one.add(&d.mul(&u2).mul(&v2)).retrieve()
        );
        let back = form.to_weierstrass(&Projective {
            x: g.u,
            y: g.v,
            z: one,
        });
        assert_eq!(
            back.to_affine().unwrap(),
            (curve.gx.retrieve(), curve.gy.retrieve())
        );
    }

    #[test]
    fn the_edwards_constants_match_the_weierstrass_curves() {
        constants_hold(&TC26_256_A);
        constants_hold(&TC26_512_C);
    }

    /// Doubling and adding in Edwards form agree with the Weierstrass formulas, the identity
    /// included, and the identity maps to the Weierstrass identity.
    fn operations_agree<const L: usize>(curve: &CurveDef<L>) {
        let form = curve.edwards.as_ref().unwrap();
        let g = Point::generator(curve);
        let ge = form.edwards_point(&curve.gx, &curve.gy).unwrap();
        let identity = Extended::identity(curve);
        assert!(bool::from(
            form.to_weierstrass(&identity.projective()).is_identity()
        ));
        let two = ge.projective().double().to_extended();
        assert!(form.to_weierstrass(&two.projective()).eq(&g.double(curve)));
        let three = two.add(&ge.addend(form)).to_extended();
        assert!(
            form.to_weierstrass(&three.projective())
                .eq(&g.mul(&Uint::from_u8(3), curve))
        );
        let five = three
            .add_affine(&two.affine_addend_vartime(form).unwrap())
            .to_projective();
        assert!(
            form.to_weierstrass(&five)
                .eq(&g.mul(&Uint::from_u8(5), curve))
        );
        // P + (−P) = O, P + O = P, O + O = O.
        let zero = three.add(&three.addend(form).neg()).to_projective();
        assert!(bool::from(form.to_weierstrass(&zero).is_identity()));
        let same = three.add(&identity.addend(form)).to_projective();
        assert!(
            form.to_weierstrass(&same)
                .eq(&g.mul(&Uint::from_u8(3), curve))
        );
        let still = identity.projective().double().to_projective();
        assert!(bool::from(form.to_weierstrass(&still).is_identity()));
    }

    #[test]
    fn edwards_operations_agree_with_weierstrass() {
        operations_agree(&TC26_256_A);
        operations_agree(&TC26_512_C);
    }

    /// k·G through the Edwards table and the Weierstrass one; u·G + v·P through both joint
    /// multiplications (P = w·G).
    fn both_forms_agree<const L: usize>(curve: &CurveDef<L>, k: Uint<L>, u: Uint<L>, w: Uint<L>) {
        let form = curve.edwards.as_ref().unwrap();
        let weierstrass = curve
            .generator_table
            .get_or_init(|| crate::fixed_base::GeneratorTable::build(curve));
        let edwards = Point::mul_generator(&k, curve);
        assert!(edwards.eq(&weierstrass.mul(&k, curve)));
        let order = crypto_bigint::NonZero::new(*curve.order()).unwrap();
        let (u, v) = (u.rem_vartime(&order), k.rem_vartime(&order));
        let Some((px, py)) = weierstrass.mul(&w, curve).to_affine() else {
            return;
        };
        let p = Point::from_affine(curve, &px, &py).unwrap();
        let expected = crate::jacobian::mul_add_vartime(&u, &p, &v, curve).value_vartime();
        let affine = p.affine_coordinates_vartime().unwrap();
        let x = super::joint::mul_add_vartime(&u, affine, &v, curve, form).unwrap();
        assert_eq!(x.value_vartime(), expected);
    }

    proptest::proptest! {
        #[test]
        fn random_scalars_agree_in_both_forms_256(
            k in proptest::prelude::any::<[u64; 4]>(),
            u in proptest::prelude::any::<[u64; 4]>(),
            w in proptest::prelude::any::<[u64; 4]>(),
        ) {
            both_forms_agree(&TC26_256_A, Uint::from_words(k), Uint::from_words(u), Uint::from_words(w));
        }

        #[test]
        fn random_scalars_agree_in_both_forms_512(
            k in proptest::prelude::any::<[u64; 8]>(),
            u in proptest::prelude::any::<[u64; 8]>(),
            w in proptest::prelude::any::<[u64; 8]>(),
        ) {
            both_forms_agree(&TC26_512_C, Uint::from_words(k), Uint::from_words(u), Uint::from_words(w));
        }
    }
}
