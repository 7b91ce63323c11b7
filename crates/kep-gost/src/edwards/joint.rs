//! u·G + v·P in variable time on the Edwards form (verification: nothing here is secret), the
//! same joint Straus–Shamir pass over width-7 and width-5 NAFs as `crate::jacobian`: G's odd
//! multiples affine (precomputed once), P's projective (per call). A doubling that is not
//! followed by an addition skips T; so does an addition followed by a doubling.

use super::{AffineAddend, EdwardsForm, Extended, ProjectiveAddend};
use crate::curves::{CurveDef, Fe};
use crate::fraction_x::FractionX;
use crate::jacobian::{G_WIDTH, P_WIDTH, wnaf};
use crypto_bigint::Uint;

/// G's odd multiples G, 3G, …, 63G (affine, with d·u·v).
#[derive(Debug)]
pub(crate) struct GeneratorOdd<const L: usize>(Vec<AffineAddend<L>>);

/// P, 3P, …, (2n − 1)P in extended coordinates.
fn odd_multiples<const L: usize>(
    p: Extended<L>,
    n: usize,
    form: &EdwardsForm<L>,
) -> Vec<Extended<L>> {
    let twice = p.projective().double().to_extended().addend(form);
    let mut odd = Vec::with_capacity(n);
    odd.push(p);
    for i in 1..n {
        odd.push(odd[i - 1].add(&twice).to_extended());
    }
    odd
}

impl<const L: usize> GeneratorOdd<L> {
    fn build(curve: &CurveDef<L>, form: &EdwardsForm<L>) -> Self {
        let g = form
            .edwards_point(&curve.gx, &curve.gy)
            .unwrap_or(Extended::identity(curve));
        Self(
            odd_multiples(g, 1 << (G_WIDTH - 2), form)
                .iter()
                .filter_map(|point| point.affine_addend_vartime(form))
                .collect(),
        )
    }
}

/// The NAF digit at `i` (0 past the end).
fn digit_at(naf: &[i8], i: usize) -> i8 {
    naf.get(i).copied().unwrap_or(0)
}

/// u·G + v·P, as the Weierstrass x of the sum. u, v < q; P in the prime-order subgroup (then the
/// map to the Edwards form is defined; `None` if it is not).
pub(crate) fn mul_add_vartime<const L: usize>(
    u: &Uint<L>,
    point: (&Fe<L>, &Fe<L>),
    v: &Uint<L>,
    curve: &CurveDef<L>,
    form: &EdwardsForm<L>,
) -> Option<FractionX<L>> {
    let g_odd = &form
        .generator_odd
        .get_or_init(|| GeneratorOdd::build(curve, form))
        .0;
    let p = form.edwards_point(point.0, point.1)?;
    let p_odd: Vec<ProjectiveAddend<L>> = odd_multiples(p, 1 << (P_WIDTH - 2), form)
        .iter()
        .map(|multiple| multiple.addend(form))
        .collect();
    let u_naf = wnaf::<L, G_WIDTH>(u);
    let v_naf = wnaf::<L, P_WIDTH>(v);
    // T is computed only where an addition comes next.
    let mut acc = Extended::identity(curve).projective();
    let mut started = false;
    for i in (0..u_naf.len().max(v_naf.len())).rev() {
        let (du, dv) = (digit_at(&u_naf, i), digit_at(&v_naf, i));
        let doubled = started.then(|| acc.double());
        if du == 0 && dv == 0 {
            if let Some(doubled) = doubled {
                acc = doubled.to_projective();
            }
            continue;
        }
        // Before the first addition the accumulator is the identity.
        let mut current = doubled.map_or(Extended::identity(curve), |d| d.to_extended());
        let mut sum = None;
        if du != 0 {
            let entry = &g_odd[usize::from(du.unsigned_abs() / 2)];
            let added = current.add_affine(&if du > 0 { *entry } else { entry.neg() });
            if dv == 0 {
                sum = Some(added);
            } else {
                current = added.to_extended();
            }
        }
        if dv != 0 {
            let entry = &p_odd[usize::from(dv.unsigned_abs() / 2)];
            sum = Some(current.add(&if dv > 0 { *entry } else { entry.neg() }));
        }
        if let Some(sum) = sum {
            acc = sum.to_projective();
        }
        started = true;
    }
    Some(form.weierstrass_x(&acc))
}
