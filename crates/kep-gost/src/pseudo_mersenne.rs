//! Arithmetic modulo p = 2^(64·L) − c, c below 2³² (2²⁵⁶ − 617, 2⁵¹² − 569), on 64-bit limbs,
//! least significant first, every input and output below p. Constant time: fixed loops, carries
//! kept as numbers and turned into masks, never into branches. `const fn` (so curve constants
//! are computed at compile time), hence `while` loops and `as` widenings.

/// A limb.
type W = u64;

/// All ones when `bit` is 1, zero when 0.
#[inline(always)]
const fn mask(bit: W) -> W {
    bit.wrapping_neg()
}

/// `b` where `bit` is 1, `a` where it is 0.
#[inline(always)]
const fn select<const L: usize>(a: &[W; L], b: &[W; L], bit: W) -> [W; L] {
    let m = mask(bit);
    let mut out = [0; L];
    let mut i = 0;
    while i < L {
        out[i] = a[i] ^ ((a[i] ^ b[i]) & m);
        i += 1;
    }
    out
}

/// `value` + `c`, and whether that reached 2^(64·L) (then the wrapped sum is `value` − p).
#[inline(always)]
const fn plus_c<const L: usize>(value: &[W; L], c: W) -> ([W; L], W) {
    let mut out = [0; L];
    let mut carry = c as u128;
    let mut i = 0;
    while i < L {
        carry += value[i] as u128;
        out[i] = carry as W;
        carry >>= 64;
        i += 1;
    }
    (out, carry as W)
}

/// `value` mod p for any `value` below 2^(64·L) (below 2p).
#[inline(always)]
pub(crate) const fn reduce_once<const L: usize>(value: &[W; L], c: W) -> [W; L] {
    let (minus_p, reached) = plus_c(value, c);
    select(value, &minus_p, reached)
}

/// a + b mod p.
#[inline(always)]
pub(crate) const fn add<const L: usize>(a: &[W; L], b: &[W; L], c: W) -> [W; L] {
    let mut sum = [0; L];
    let mut carry = 0u128;
    let mut i = 0;
    while i < L {
        carry += a[i] as u128 + b[i] as u128;
        sum[i] = carry as W;
        carry >>= 64;
        i += 1;
    }
    // a + b = sum + carry·2^(64·L) < 2p. With a carry, a + b − p = sum + c (no further
    // overflow); without, sum − p is sum + c when that reaches 2^(64·L).
    let (plus, reached) = plus_c(&sum, c);
    select(&sum, &plus, (carry as W) | reached)
}

/// a − b mod p.
#[inline(always)]
pub(crate) const fn sub<const L: usize>(a: &[W; L], b: &[W; L], c: W) -> [W; L] {
    let mut diff = [0; L];
    let mut borrow: W = 0;
    let mut i = 0;
    while i < L {
        let (d, b1) = a[i].overflowing_sub(b[i]);
        let (d, b2) = d.overflowing_sub(borrow);
        diff[i] = d;
        borrow = (b1 | b2) as W;
        i += 1;
    }
    // On a borrow diff is a − b + 2^(64·L); a − b + p is that minus c (no further borrow).
    let mut borrow_c = c & mask(borrow);
    let mut i = 0;
    while i < L {
        let (d, b) = diff[i].overflowing_sub(borrow_c);
        diff[i] = d;
        borrow_c = b as W;
        i += 1;
    }
    diff
}

/// −a mod p.
#[inline(always)]
pub(crate) const fn neg<const L: usize>(a: &[W; L], c: W) -> [W; L] {
    sub(&[0; L], a, c)
}

/// a·b mod p: the 2·L-limb product, its high half folded in twice (2^(64·L) ≡ c), and one
/// conditional subtraction.
#[inline(always)]
pub(crate) const fn mul<const L: usize>(a: &[W; L], b: &[W; L], c: W) -> [W; L] {
    // The product, in a buffer for the widest field here (L ≤ 8).
    let mut wide = [0 as W; 16];
    let mut i = 0;
    while i < L {
        let mut carry = 0u128;
        let mut j = 0;
        while j < L {
            let t = wide[i + j] as u128 + (a[i] as u128) * (b[j] as u128) + carry;
            wide[i + j] = t as W;
            carry = t >> 64;
            j += 1;
        }
        wide[i + L] = carry as W;
        i += 1;
    }
    // lo + hi·c < 2^(64·L)·(c + 1): L limbs and a top word of at most c.
    let mut folded = [0; L];
    let mut carry = 0u128;
    let mut i = 0;
    while i < L {
        carry += wide[i] as u128 + (wide[i + L] as u128) * (c as u128);
        folded[i] = carry as W;
        carry >>= 64;
        i += 1;
    }
    // The top word times c again (below 2⁶⁴): the sum overflows at most once, and then the
    // wrapped value is small, so adding c for the overflow cannot overflow again.
    let mut carry = carry * (c as u128);
    let mut i = 0;
    while i < L {
        carry += folded[i] as u128;
        folded[i] = carry as W;
        carry >>= 64;
        i += 1;
    }
    let mut extra = (c & mask(carry as W)) as u128;
    let mut i = 0;
    while i < L {
        extra += folded[i] as u128;
        folded[i] = extra as W;
        extra >>= 64;
        i += 1;
    }
    reduce_once(&folded, c)
}
