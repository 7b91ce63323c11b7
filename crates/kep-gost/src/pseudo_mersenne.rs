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

/// `value` + `addend` (below 2¹²⁸), and the carry out of the top limb.
#[inline(always)]
const fn add_small<const L: usize>(value: &[W; L], addend: u128) -> ([W; L], W) {
    let mut out = [0; L];
    let mut carry = addend;
    let mut i = 0;
    while i < L {
        carry += value[i] as u128;
        out[i] = carry as W;
        carry >>= 64;
        i += 1;
    }
    (out, carry as W)
}

/// `value` + `c`, and whether that reached 2^(64·L) (then the wrapped sum is `value` − p).
#[inline(always)]
const fn plus_c<const L: usize>(value: &[W; L], c: W) -> ([W; L], W) {
    add_small(value, c as u128)
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

/// A column accumulator for product scanning: up to 192 bits.
#[derive(Clone, Copy)]
struct Column {
    low: u128,
    high: W,
}

impl Column {
    #[inline(always)]
    const fn add(mut self, product: u128) -> Self {
        let (sum, carry) = self.low.overflowing_add(product);
        self.low = sum;
        self.high += carry as W;
        self
    }

    /// The column's word, and the accumulator moved on to the next column.
    #[inline(always)]
    const fn next(self) -> (W, Self) {
        (
            self.low as W,
            Self {
                low: (self.low >> 64) | ((self.high as u128) << 64),
                high: 0,
            },
        )
    }
}

/// The 2·L-limb product a·b by columns (products within a column are independent, which keeps
/// the multiplier busy), in a buffer for the widest field here (L ≤ 8).
#[inline(always)]
const fn product<const L: usize>(a: &[W; L], b: &[W; L]) -> [W; 16] {
    let mut wide = [0 as W; 16];
    let mut column = Column { low: 0, high: 0 };
    let mut k = 0;
    while k < 2 * L - 1 {
        let mut i = if k < L { 0 } else { k - L + 1 };
        while i <= k && i < L {
            column = column.add((a[i] as u128) * (b[k - i] as u128));
            i += 1;
        }
        let (word, rest) = column.next();
        wide[k] = word;
        column = rest;
        k += 1;
    }
    wide[2 * L - 1] = column.low as W;
    wide
}

/// The 2·L-limb square a²: each cross product computed once and added twice.
#[inline(always)]
const fn square_product<const L: usize>(a: &[W; L]) -> [W; 16] {
    let mut wide = [0 as W; 16];
    let mut column = Column { low: 0, high: 0 };
    let mut k = 0;
    while k < 2 * L - 1 {
        let mut i = if k < L { 0 } else { k - L + 1 };
        while 2 * i < k {
            let cross = (a[i] as u128) * (a[k - i] as u128);
            column = column.add(cross).add(cross);
            i += 1;
        }
        if k % 2 == 0 {
            column = column.add((a[k / 2] as u128) * (a[k / 2] as u128));
        }
        let (word, rest) = column.next();
        wide[k] = word;
        column = rest;
        k += 1;
    }
    wide[2 * L - 1] = column.low as W;
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
    let (folded, overflow) = add_small(&folded, carry * (c as u128));
    let (folded, _) = add_small(&folded, (c & mask(overflow)) as u128);
    reduce_once(&folded, c)
}
