//! Reading digit strings the way people type them.

use super::ValidationKind;

/// No identifier we read is longer than this once typed with separators; anything longer is
/// refused before any further work (a pasted megabyte costs nothing).
pub const MAX_TYPED_LEN: usize = 64;

/// The ASCII digits of `input`, with the `separators` dropped. Any other character (a letter, a
/// full-width digit, a control character) is refused.
pub fn digits_only(input: &str, separators: &[char]) -> Result<String, ValidationKind> {
    let input = input.trim();
    if input.is_empty() {
        return Err(ValidationKind::Empty);
    }
    if input.len() > MAX_TYPED_LEN {
        return Err(ValidationKind::TooLong);
    }
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        if c.is_ascii_digit() {
            out.push(c);
        } else if !separators.contains(&c) {
            return Err(ValidationKind::InvalidCharacters);
        }
    }
    Ok(out)
}

/// The numeric values of an all-ASCII-digit string.
pub fn values(digits: &str) -> impl Iterator<Item = u32> + '_ {
    digits.bytes().map(|b| u32::from(b - b'0'))
}

/// Σ dᵢ·wᵢ over the leading digits.
pub fn weighted_sum(digits: &str, weights: &[u32]) -> u32 {
    values(digits).zip(weights).map(|(d, w)| d * w).sum()
}
