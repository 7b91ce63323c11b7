//! Where values computed from a secret become public, said explicitly. Everything else derived
//! from the private key d or a nonce k stays secret: no branch and no memory address may depend
//! on it. The places, each a call of [`public`]:
//!
//! * `ops::secret_scalar`: whether d (or k) is in [1, q − 1] — a key out of range is refused, and
//!   key generation draws again (probability ≈ 2⁻²⁵⁶);
//! * `Point::to_affine`: whether a multiple of G is the identity (never, for a scalar in range);
//! * `ops::public_key`: the public key's x and y;
//! * `ops::sign_with_nonce`: r = x(k·G) mod q and s, the signature's halves, and so the r = 0 and
//!   s = 0 retries (probability ≈ 2⁻²⁵⁵ each).
//!
//! With the `ct-check` feature a checker (the kep-gost-ct crate, under valgrind's memcheck)
//! registers a hook that marks these bytes as defined, having marked the secrets undefined; any
//! other use of a secret in a branch or an address is then reported. Without the feature, or
//! without a hook, declassifying does nothing.

/// Marks `value` public. Takes it mutably, so that the compiler reads it again from memory after
/// the hook (a register copy would keep the secret's mark).
#[inline(always)]
pub(crate) fn public<T: Copy>(value: &mut T) {
    #[cfg(feature = "ct-check")]
    if let Some(hook) = HOOK.get() {
        hook((value as *mut T).cast::<u8>(), core::mem::size_of::<T>());
    }
    #[cfg(not(feature = "ct-check"))]
    let _ = value;
}

#[cfg(feature = "ct-check")]
static HOOK: std::sync::OnceLock<fn(*mut u8, usize)> = std::sync::OnceLock::new();

/// Registers what declassifying does (the constant-time checker's memcheck request). Only the
/// first registration counts.
#[cfg(feature = "ct-check")]
pub fn set_hook(hook: fn(*mut u8, usize)) {
    let _ = HOOK.set(hook);
}
