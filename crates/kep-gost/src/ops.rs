//! The algorithm itself, generic over the integer width: key derivation, signing with a given
//! nonce, verification. The public types dispatch here by curve.
//!
//! Byte conventions (domain.md §4): private keys travel big-endian here; public keys are
//! x‖y little-endian; signatures are s‖r big-endian; the digest's bytes are read
//! little-endian to form e.

use crate::curves::{CurveDef, Fe};
use crate::error::{Error, Result};
use crate::point::Point;
use crypto_bigint::{NonZero, Uint};
use subtle::{Choice, ConditionallySelectable, ConstantTimeLess};
use zeroize::Zeroizing;

fn check_len(bytes: &[u8], expected: usize) -> Result<()> {
    if bytes.len() == expected {
        Ok(())
    } else {
        Err(Error::Length {
            expected,
            actual: bytes.len(),
        })
    }
}

fn nonzero_order<const L: usize>(curve: &CurveDef<L>) -> NonZero<Uint<L>> {
    // q is an odd prime; the conversion cannot fail.
    NonZero::new(*curve.order()).unwrap_or(NonZero::<Uint<L>>::ONE)
}

/// Reads a private scalar (big-endian, width bytes) and checks 0 < d < q in constant time.
pub(crate) fn secret_scalar<const L: usize>(
    curve: &CurveDef<L>,
    d_be: &[u8],
) -> Result<Zeroizing<Uint<L>>> {
    check_len(d_be, Uint::<L>::BYTES)?;
    let d = Zeroizing::new(Uint::<L>::from_be_slice(d_be));
    let mut in_range = bool::from(!Choice::from(d.is_zero()) & d.ct_lt(curve.order()));
    // Public: a key out of range is refused (key generation draws again).
    crate::declassify::public(&mut in_range);
    if in_range {
        Ok(d)
    } else {
        Err(Error::PrivateKeyOutOfRange)
    }
}

/// d mod q for a private scalar given at full width (big-endian). Keys in the wild may hold
/// d ≥ q on the cofactor-4 curves, whose q is a quarter of the width (RFC 9215's own TC26-256-A
/// example does); d and d mod q make the same signatures.
pub(crate) fn reduce_secret<const L: usize>(
    curve: &CurveDef<L>,
    d_be: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    check_len(d_be, Uint::<L>::BYTES)?;
    let d = Zeroizing::new(Uint::<L>::from_be_slice(d_be));
    let reduced = Zeroizing::new(d.rem(&nonzero_order(curve)));
    Ok(Zeroizing::new(reduced.to_be_bytes().as_ref().to_vec()))
}

/// A uniformly distributed scalar in [1, q-1] from 2·width random bytes, reduced mod q (the
/// bias is below 2^-256).
pub(crate) fn scalar_from_wide<const L: usize>(
    curve: &CurveDef<L>,
    wide: &[u8],
) -> Zeroizing<Uint<L>> {
    let bytes = Uint::<L>::BYTES;
    let hi = Zeroizing::new(Uint::<L>::from_be_slice(&wide[..bytes]));
    let lo = Zeroizing::new(Uint::<L>::from_be_slice(&wide[bytes..2 * bytes]));
    Zeroizing::new(Uint::rem_wide((*lo, *hi), &nonzero_order(curve)))
}

/// The public key of d: (d·G) as x‖y little-endian.
pub(crate) fn public_key<const L: usize>(curve: &CurveDef<L>, d: &Uint<L>) -> Vec<u8> {
    let point = Point::mul_generator(d, curve);
    // d is in [1, q-1] so d·G is never the identity.
    let (mut x, mut y) = point.to_affine().unwrap_or((Uint::ZERO, Uint::ZERO));
    // Public: the public key.
    crate::declassify::public(&mut x);
    crate::declassify::public(&mut y);
    let mut out = Vec::with_capacity(2 * Uint::<L>::BYTES);
    out.extend_from_slice(x.to_le_bytes().as_ref());
    out.extend_from_slice(y.to_le_bytes().as_ref());
    out
}

/// Parses a point (x‖y little-endian) and checks it is on the curve and not the identity.
pub(crate) fn decode_point<const L: usize>(curve: &CurveDef<L>, xy: &[u8]) -> Result<Point<L>> {
    let bytes = Uint::<L>::BYTES;
    check_len(xy, 2 * bytes)?;
    let x = Uint::<L>::from_le_slice(&xy[..bytes]);
    let y = Uint::<L>::from_le_slice(&xy[bytes..]);
    Point::from_affine(curve, &x, &y).ok_or(Error::PointNotOnCurve)
}

/// Parses and fully validates a public key: on the curve, not the identity, and in the
/// prime-order subgroup (on a prime-order curve the first two imply the third; on a cofactor-4
/// curve q·P = O is checked).
pub(crate) fn public_point<const L: usize>(curve: &CurveDef<L>, xy: &[u8]) -> Result<Point<L>> {
    let point = decode_point(curve, xy)?;
    if curve.cofactor != 1
        && !bool::from(crate::jacobian::mul_vartime(&point, curve.order(), curve).is_identity())
    {
        return Err(Error::PointNotInSubgroup);
    }
    Ok(point)
}

/// e: the digest's bytes read little-endian, reduced mod q; 0 becomes 1.
pub(crate) fn digest_to_e<const L: usize>(curve: &CurveDef<L>, digest: &[u8]) -> Result<Uint<L>> {
    check_len(digest, Uint::<L>::BYTES)?;
    let alpha = Uint::<L>::from_le_slice(digest);
    let e = alpha.rem(&nonzero_order(curve));
    Ok(Uint::conditional_select(
        &e,
        &Uint::ONE,
        Choice::from(e.is_zero()),
    ))
}

/// Signs e with nonce k: r = x(k·G) mod q, s = (r·d + k·e) mod q. `None` when r or s is 0 (the
/// caller takes another k). Returns s‖r big-endian.
pub(crate) fn sign_with_nonce<const L: usize>(
    curve: &CurveDef<L>,
    d: &Uint<L>,
    e: &Uint<L>,
    k: &Uint<L>,
) -> Option<Vec<u8>> {
    let c = Point::mul_generator(k, curve);
    let (xc, _) = c.to_affine()?;
    // x(k·G) itself stays secret (whether it exceeded q says something of k); r is public.
    let mut r = xc.rem(&nonzero_order(curve));
    crate::declassify::public(&mut r);
    if r.is_zero_vartime() {
        return None;
    }
    let q = curve.q;
    let rd = Fe::new(&r, q).mul(&Fe::new(d, q));
    let ke = Fe::new(k, q).mul(&Fe::new(e, q));
    // Public: s is the signature's other half.
    let mut s = rd.add(&ke).retrieve();
    crate::declassify::public(&mut s);
    if s.is_zero_vartime() {
        return None;
    }
    let mut out = Vec::with_capacity(2 * Uint::<L>::BYTES);
    out.extend_from_slice(s.to_be_bytes().as_ref());
    out.extend_from_slice(r.to_be_bytes().as_ref());
    Some(out)
}

/// Verifies s‖r over e against the public point (variable time: nothing here is secret).
pub(crate) fn verify<const L: usize>(
    curve: &CurveDef<L>,
    public: &Point<L>,
    e: &Uint<L>,
    signature: &[u8],
) -> Result<()> {
    let bytes = Uint::<L>::BYTES;
    check_len(signature, 2 * bytes)?;
    let s = Uint::<L>::from_be_slice(&signature[..bytes]);
    let r = Uint::<L>::from_be_slice(&signature[bytes..]);
    let q_int = curve.order();
    if r.is_zero_vartime() || s.is_zero_vartime() || &r >= q_int || &s >= q_int {
        return Err(Error::SignatureOutOfRange);
    }
    let q = curve.q;
    let v = Fe::new(e, q).invert_vartime().ok_or(Error::Verification)?;
    let z1 = Fe::new(&s, q).mul(&v).retrieve();
    let z2 = Fe::new(&r, q).neg().mul(&v).retrieve();
    let x = match &curve.edwards {
        Some(form) => {
            let affine = public
                .affine_coordinates_vartime()
                .ok_or(Error::Verification)?;
            crate::edwards::joint::mul_add_vartime(&z1, affine, &z2, curve, form)
                .ok_or(Error::Verification)?
        }
        None => crate::jacobian::mul_add_vartime(&z1, public, &z2, curve),
    };
    if x.is_congruent_to(&r, curve) {
        Ok(())
    } else {
        Err(Error::Verification)
    }
}
