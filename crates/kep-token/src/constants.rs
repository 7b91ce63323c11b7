//! PKCS#11 values cryptoki 0.12 does not define: the GOST R 34.10-2012 key type, attributes and
//! mechanisms (standard and Рутокен's vendor ones), per `domain.md` §5.

use cryptoki_sys::{CK_ATTRIBUTE_TYPE, CK_KEY_TYPE, CK_MECHANISM_TYPE};

/// CKK_GOSTR3410 (256-bit keys).
pub const CKK_GOSTR3410: CK_KEY_TYPE = 0x30;
/// CKK_GOSTR3410_512 (Рутокен vendor).
pub const CKK_GOSTR3410_512: CK_KEY_TYPE = 0xD432_1003;
/// CKA_GOSTR3410_PARAMS: DER of the parameter set OID.
pub const CKA_GOSTR3410_PARAMS: CK_ATTRIBUTE_TYPE = 0x250;
/// CKA_GOSTR3411_PARAMS: DER of the digest OID.
pub const CKA_GOSTR3411_PARAMS: CK_ATTRIBUTE_TYPE = 0x251;
/// CKM_GOSTR3410_KEY_PAIR_GEN.
pub const CKM_GOSTR3410_KEY_PAIR_GEN: CK_MECHANISM_TYPE = 0x1200;
/// CKM_GOSTR3410: raw signature of a 32-byte digest.
pub const CKM_GOSTR3410: CK_MECHANISM_TYPE = 0x1201;
/// CKM_GOSTR3410_512_KEY_PAIR_GEN (Рутокен vendor).
pub const CKM_GOSTR3410_512_KEY_PAIR_GEN: CK_MECHANISM_TYPE = 0xD432_1005;
/// CKM_GOSTR3410_512: raw signature of a 64-byte digest (Рутокен vendor).
pub const CKM_GOSTR3410_512: CK_MECHANISM_TYPE = 0xD432_1006;
/// CKM_EC_KEY_PAIR_GEN.
pub const CKM_EC_KEY_PAIR_GEN: CK_MECHANISM_TYPE = 0x1040;
/// CKM_ECDSA (raw, host digest).
pub const CKM_ECDSA: CK_MECHANISM_TYPE = 0x1041;

/// The factory user PIN of a Рутокен (and what the seed tells users to type).
pub const DEFAULT_USER_PIN: &str = "12345678";
