//! Arithmetic modulo p = 2^(64·L) − c, c below 2³² (2²⁵⁶ − 617, 2⁵¹² − 569), on 64-bit limbs,
//! least significant first, every input and output below p. Constant time: fixed loops, carries
//! turned into masks, never into branches — each mask passes through `black_box`, because the
//! optimizer otherwise turns a selection on a carry flag into a conditional jump (it did, for the
//! final subtraction of a product; `npm test`'s constant-time check caught it). `const fn` (so
//! curve constants are computed at compile time), hence `while` loops and `as` widenings.

/// A limb.
type W = u64;

/// All ones when `bit` is 1, zero when 0; opaque to the optimizer (see the module's comment).
#[inline(always)]
const fn mask(bit: W) -> W {
    core::hint::black_box(bit).wrapping_neg()
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

/// a + b + carry, and the carry out.
#[inline(always)]
const fn adc(a: W, b: W, carry: bool) -> (W, bool) {
    let (sum, o1) = a.overflowing_add(b);
    let (sum, o2) = sum.overflowing_add(carry as W);
    (sum, o1 | o2)
}

/// a·b + c + d as (low, high) words; it cannot overflow 128 bits. (`u64::carrying_mul_add`
/// is not `const` yet.)
#[inline(always)]
const fn mac(a: W, b: W, c: W, d: W) -> (W, W) {
    let t = (a as u128) * (b as u128) + c as u128 + d as u128;
    (t as W, (t >> 64) as W)
}

/// `value` + `small`, and whether the sum reached 2^(64·L).
#[inline(always)]
const fn add_word<const L: usize>(value: &[W; L], small: W) -> ([W; L], bool) {
    let mut out = [0; L];
    let mut carry = false;
    let mut addend = small;
    let mut i = 0;
    while i < L {
        let (sum, o) = adc(value[i], addend, carry);
        out[i] = sum;
        carry = o;
        addend = 0;
        i += 1;
    }
    (out, carry)
}

/// A number below 2p, given as `value` plus 2^(64·L) when `wrapped`, reduced mod p. Without
/// `wrapped`, `value` − p = `value` + c − 2^(64·L), which is the answer exactly when `value` + c
/// reaches 2^(64·L); with it, the answer is `value` + 2^(64·L) − p = `value` + c (below p, so
/// no overflow).
#[inline(always)]
const fn reduce_below_2p<const L: usize>(value: &[W; L], wrapped: bool, c: W) -> [W; L] {
    let (plus_c, reached) = add_word(value, c);
    select(value, &plus_c, (wrapped | reached) as W)
}

/// `value` mod p for any `value` below 2^(64·L) (below 2p).
#[inline(always)]
pub(crate) const fn reduce_once<const L: usize>(value: &[W; L], c: W) -> [W; L] {
    reduce_below_2p(value, false, c)
}

/// a + b mod p.
#[inline(always)]
pub(crate) const fn add<const L: usize>(a: &[W; L], b: &[W; L], c: W) -> [W; L] {
    let mut sum = [0; L];
    let mut carry = false;
    let mut i = 0;
    while i < L {
        let (s, o) = adc(a[i], b[i], carry);
        sum[i] = s;
        carry = o;
        i += 1;
    }
    // a + b < 2p is `sum` plus the carry's 2^(64·L).
    reduce_below_2p(&sum, carry, c)
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

/// The 2·L-limb product a·b, row by row (operand scanning), in a buffer for the widest field
/// here (L ≤ 8).
#[inline(always)]
const fn product<const L: usize>(a: &[W; L], b: &[W; L]) -> [W; 16] {
    let mut wide = [0 as W; 16];
    let mut i = 0;
    while i < L {
        accumulate_row(&mut wide, i, a[i], b, 0);
        i += 1;
    }
    wide
}

/// wide[i + j] += a_i·b_j for j from `first` to L − 1, the row's carry going to wide[i + L]
/// (still zero when the rows are added in order).
#[inline(always)]
const fn accumulate_row<const L: usize>(
    wide: &mut [W; 16],
    i: usize,
    a_i: W,
    b: &[W; L],
    first: usize,
) {
    let mut carry: W = 0;
    let mut j = first;
    while j < L {
        let (low, high) = mac(a_i, b[j], wide[i + j], carry);
        wide[i + j] = low;
        carry = high;
        j += 1;
    }
    wide[i + L] = carry;
}

/// The 2·L-limb square a²: the cross products a_i·a_j (i < j) once, the sum doubled by one
/// shift, then the squares a_i² added — half the multiplications of a product.
#[inline(always)]
const fn square_product<const L: usize>(a: &[W; L]) -> [W; 16] {
    let mut wide = [0 as W; 16];
    let mut i = 0;
    while i + 1 < L {
        accumulate_row(&mut wide, i, a[i], a, i + 1);
        i += 1;
    }
    // The cross sum is below 2^(128·L − 1): doubling it cannot overflow.
    let mut shifted_out = 0;
    let mut k = 0;
    while k < 2 * L {
        let word = wide[k];
        wide[k] = (word << 1) | shifted_out;
        shifted_out = word >> 63;
        k += 1;
    }
    let mut carry = false;
    let mut i = 0;
    while i < L {
        let (low, high) = mac(a[i], a[i], 0, 0);
        let (x, c1) = adc(wide[2 * i], low, carry);
        let (y, c2) = adc(wide[2 * i + 1], high, c1);
        wide[2 * i] = x;
        wide[2 * i + 1] = y;
        carry = c2;
        i += 1;
    }
    wide
}

/// a·b mod p: the 2·L-limb product, its high half folded in twice (2^(64·L) ≡ c), and one
/// conditional subtraction.
#[inline(always)]
pub(crate) const fn mul<const L: usize>(a: &[W; L], b: &[W; L], c: W) -> [W; L] {
    fold(&product(a, b), c)
}

/// a² mod p.
#[inline(always)]
pub(crate) const fn square<const L: usize>(a: &[W; L], c: W) -> [W; L] {
    fold(&square_product(a), c)
}

/// A 2·L-limb value mod p.
#[inline(always)]
const fn fold<const L: usize>(wide: &[W; 16], c: W) -> [W; L] {
    // low + high·c < 2^(64·L)·(c + 1): L limbs and a top word `top` of at most c.
    let mut folded = [0; L];
    let mut top: W = 0;
    let mut i = 0;
    while i < L {
        let (low, high) = mac(wide[i + L], c, wide[i], top);
        folded[i] = low;
        top = high;
        i += 1;
    }
    // top·2^(64·L) ≡ top·c (below 2⁶⁴, as c < 2³²), and folded + top·c < 2^(64·L) + 2⁶⁴ < 2p.
    let (folded, wrapped) = add_word(&folded, top * c);
    reduce_below_2p(&folded, wrapped, c)
}

/// a^(2^n) mod p: n squarings.
fn square_times<const L: usize>(a: &[W; L], n: u32, c: W) -> [W; L] {
    let mut x = *a;
    for _ in 0..n {
        x = square(&x, c);
    }
    x
}

/// a⁻¹ = a^(p − 2) mod p (Fermat), 0 for 0; constant time (the exponent is public). With
/// p − 2 = 2^(64·L) − (c + 2) and c + 2 ≤ 2^k, the exponent is 64·L − k ones followed by the k
/// bits of 2^k − c − 2: a^(2^m − 1) for m = 64·L − k by an addition chain over m's bits
/// (about 64·L squarings and 2·log₂ m multiplications), then k squarings and a multiplication
/// per set low bit — for 2²⁵⁶ − 617, 256 squarings and 20 multiplications, against about twice
/// that cost for crypto-bigint's constant-time safegcd here.
pub(crate) fn invert<const L: usize>(a: &[W; L], c: W) -> [W; L] {
    let k = W::BITS - (c + 1).leading_zeros();
    let m = 64 * L as u32 - k;
    // ones = a^(2^length − 1), length growing along m's bits from the top.
    let mut ones = *a;
    let mut length = 1;
    for bit in (0..(u32::BITS - m.leading_zeros() - 1)).rev() {
        ones = mul(&square_times(&ones, length, c), &ones, c);
        length *= 2;
        if (m >> bit) & 1 == 1 {
            ones = mul(&square(&ones, c), a, c);
            length += 1;
        }
    }
    let low = (1 << k) - c - 2;
    let mut result = ones;
    for bit in (0..k).rev() {
        result = square(&result, c);
        if (low >> bit) & 1 == 1 {
            result = mul(&result, a, c);
        }
    }
    result
}
