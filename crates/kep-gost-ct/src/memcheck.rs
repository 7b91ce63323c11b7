//! The memcheck client requests, through the C shim: the crate's only unsafe code. Each function
//! hands the shim a slice's address and length; the requests change valgrind's shadow state for
//! those bytes only and never read or write the bytes themselves.
#![allow(unsafe_code)]

unsafe extern "C" {
    fn kep_ct_secret(bytes: *mut u8, len: usize);
    fn kep_ct_public(bytes: *mut u8, len: usize);
    fn kep_ct_under_valgrind() -> i32;
}

/// Marks `bytes` secret: memcheck reports any branch or address that depends on them.
pub(crate) fn secret(bytes: &mut [u8]) {
    // SAFETY: the pointer and length come from a live mutable slice; the request only changes
    // memcheck's shadow state for that range.
    unsafe { kep_ct_secret(bytes.as_mut_ptr(), bytes.len()) }
}

/// Marks `len` bytes at `bytes` public (kep-gost's declassification hook).
pub(crate) fn public(bytes: *mut u8, len: usize) {
    // SAFETY: kep-gost passes the address and size of a live value it holds mutably; the
    // request only changes memcheck's shadow state for that range.
    unsafe { kep_ct_public(bytes, len) }
}

/// Whether this process runs under valgrind.
pub(crate) fn under_valgrind() -> bool {
    // SAFETY: a client request with no arguments.
    unsafe { kep_ct_under_valgrind() != 0 }
}
