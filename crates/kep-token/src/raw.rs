//! The only unsafe code of the project: direct calls into a PKCS#11 module's function list for
//! what cryptoki 0.12 cannot express — the standard GOST mechanisms (CKM_GOSTR3410_KEY_PAIR_GEN
//! 0x1200 and CKM_GOSTR3410 0x1201, which its constructors refuse), mechanism lists that include
//! them (cryptoki drops values it does not know), and attributes it cannot read
//! (CKA_GOSTR3410_PARAMS).
//!
//! The module is loaded a second time with libloading; the dynamic loader returns the same
//! image cryptoki already initialized, so the session and object handles cryptoki hands out are
//! valid here. Every call checks its return value; buffers are sized by a first query.
#![allow(unsafe_code)]

use cryptoki_sys::{
    CK_ATTRIBUTE, CK_ATTRIBUTE_TYPE, CK_C_GetFunctionList, CK_FUNCTION_LIST, CK_MECHANISM,
    CK_MECHANISM_TYPE, CK_OBJECT_HANDLE, CK_RV, CK_SESSION_HANDLE, CK_SLOT_ID, CK_ULONG, CKR_OK,
};
use std::path::Path;

/// A PKCS#11 return value other than CKR_OK, with the function that returned it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawError {
    /// The function.
    pub function: &'static str,
    /// Its CK_RV.
    pub rv: CK_RV,
}

fn check(function: &'static str, rv: CK_RV) -> Result<(), RawError> {
    if rv == CKR_OK as CK_RV {
        Ok(())
    } else {
        Err(RawError { function, rv })
    }
}

/// An attribute for a template: its type and value bytes.
#[derive(Debug, Clone)]
pub struct RawAttribute {
    /// CKA_*.
    kind: CK_ATTRIBUTE_TYPE,
    /// The value as the module expects it (CK_BBOOL is one byte; CK_ULONG native-endian).
    value: Vec<u8>,
}

impl RawAttribute {
    /// A CK_BBOOL attribute.
    pub fn bool(kind: CK_ATTRIBUTE_TYPE, value: bool) -> Self {
        Self {
            kind,
            value: vec![u8::from(value)],
        }
    }

    /// A CK_ULONG attribute (CKA_CLASS, CKA_KEY_TYPE).
    pub fn ulong(kind: CK_ATTRIBUTE_TYPE, value: CK_ULONG) -> Self {
        Self {
            kind,
            value: value.to_ne_bytes().to_vec(),
        }
    }

    /// A byte-string attribute.
    pub fn bytes(kind: CK_ATTRIBUTE_TYPE, value: &[u8]) -> Self {
        Self {
            kind,
            value: value.to_vec(),
        }
    }
}

fn to_ck(template: &mut [RawAttribute]) -> Vec<CK_ATTRIBUTE> {
    template
        .iter_mut()
        .map(|a| CK_ATTRIBUTE {
            type_: a.kind,
            pValue: a.value.as_mut_ptr().cast(),
            ulValueLen: a.value.len() as CK_ULONG,
        })
        .collect()
}

/// A module's function list, kept valid by the library handle it came from.
pub struct RawModule {
    // Keeps the library mapped for as long as `functions` is used.
    _library: libloading::Library,
    functions: *const CK_FUNCTION_LIST,
}

// SAFETY: a PKCS#11 function list is a table of function pointers the module requires to be
// callable from any thread once C_Initialize has run with OS locking (cryptoki initializes with
// CKF_OS_LOCKING_OK); the table itself is never written.
unsafe impl Send for RawModule {}
// SAFETY: as above; shared references only read the table.
unsafe impl Sync for RawModule {}

impl std::fmt::Debug for RawModule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawModule").finish_non_exhaustive()
    }
}

impl RawModule {
    /// Loads `path` and fetches its function list. The module must already be initialized (by
    /// cryptoki) before any call is made.
    pub fn load(path: &Path) -> Result<Self, String> {
        // SAFETY: loading a PKCS#11 module runs its initializers; these modules are built to
        // be loaded into arbitrary processes (and cryptoki has loaded this one already).
        let library = unsafe { libloading::Library::new(path) }.map_err(|e| e.to_string())?;
        // SAFETY: C_GetFunctionList has exactly this signature in every PKCS#11 module.
        let get: libloading::Symbol<'_, CK_C_GetFunctionList> =
            unsafe { library.get(b"C_GetFunctionList\0") }.map_err(|e| e.to_string())?;
        let get = (*get).ok_or("C_GetFunctionList is null")?;
        let mut list: *mut CK_FUNCTION_LIST = std::ptr::null_mut();
        // SAFETY: `list` is a valid out-pointer; the module fills it with its static table.
        let rv = unsafe { get(&mut list) };
        check("C_GetFunctionList", rv).map_err(|e| format!("{e:?}"))?;
        if list.is_null() {
            return Err("C_GetFunctionList returned no table".into());
        }
        Ok(Self {
            _library: library,
            functions: list,
        })
    }

    fn table(&self) -> &CK_FUNCTION_LIST {
        // SAFETY: non-null (checked in `load`), points to the module's static table, which lives
        // as long as the library stays loaded (`_library`).
        unsafe { &*self.functions }
    }

    /// Every mechanism the slot lists, including vendor and GOST values cryptoki drops.
    pub fn mechanism_list(&self, slot: CK_SLOT_ID) -> Result<Vec<CK_MECHANISM_TYPE>, RawError> {
        let f = self.table().C_GetMechanismList.ok_or(RawError {
            function: "C_GetMechanismList",
            rv: 0x54,
        })?;
        let mut count: CK_ULONG = 0;
        // SAFETY: a null list asks for the count only.
        check("C_GetMechanismList", unsafe {
            f(slot, std::ptr::null_mut(), &mut count)
        })?;
        let mut list = vec![0 as CK_MECHANISM_TYPE; count as usize];
        // SAFETY: `list` has room for `count` entries; the module writes at most that many.
        check("C_GetMechanismList", unsafe {
            f(slot, list.as_mut_ptr(), &mut count)
        })?;
        list.truncate(count as usize);
        Ok(list)
    }

    /// C_GenerateKeyPair with a parameterless mechanism given by its raw value.
    pub fn generate_key_pair(
        &self,
        session: CK_SESSION_HANDLE,
        mechanism: CK_MECHANISM_TYPE,
        public: &mut [RawAttribute],
        private: &mut [RawAttribute],
    ) -> Result<(CK_OBJECT_HANDLE, CK_OBJECT_HANDLE), RawError> {
        let f = self.table().C_GenerateKeyPair.ok_or(RawError {
            function: "C_GenerateKeyPair",
            rv: 0x54,
        })?;
        let mut mech = CK_MECHANISM {
            mechanism,
            pParameter: std::ptr::null_mut(),
            ulParameterLen: 0,
        };
        let mut public_ck = to_ck(public);
        let mut private_ck = to_ck(private);
        let (mut pub_handle, mut priv_handle): (CK_OBJECT_HANDLE, CK_OBJECT_HANDLE) = (0, 0);
        // SAFETY: the templates point into `public`/`private`, which outlive the call; the
        // mechanism has no parameter; the handles are valid out-pointers.
        let rv = unsafe {
            f(
                session,
                &mut mech,
                public_ck.as_mut_ptr(),
                public_ck.len() as CK_ULONG,
                private_ck.as_mut_ptr(),
                private_ck.len() as CK_ULONG,
                &mut pub_handle,
                &mut priv_handle,
            )
        };
        check("C_GenerateKeyPair", rv)?;
        Ok((pub_handle, priv_handle))
    }

    /// Single-part C_SignInit + C_Sign with a parameterless mechanism given by its raw value.
    pub fn sign(
        &self,
        session: CK_SESSION_HANDLE,
        mechanism: CK_MECHANISM_TYPE,
        key: CK_OBJECT_HANDLE,
        data: &[u8],
    ) -> Result<Vec<u8>, RawError> {
        let init = self.table().C_SignInit.ok_or(RawError {
            function: "C_SignInit",
            rv: 0x54,
        })?;
        let sign = self.table().C_Sign.ok_or(RawError {
            function: "C_Sign",
            rv: 0x54,
        })?;
        let mut mech = CK_MECHANISM {
            mechanism,
            pParameter: std::ptr::null_mut(),
            ulParameterLen: 0,
        };
        // SAFETY: valid mechanism struct, handles from this module.
        check("C_SignInit", unsafe { init(session, &mut mech, key) })?;
        let mut input = data.to_vec();
        let mut len: CK_ULONG = 0;
        // SAFETY: a null output asks for the length; the input buffer lives through the call.
        check("C_Sign", unsafe {
            sign(
                session,
                input.as_mut_ptr(),
                input.len() as CK_ULONG,
                std::ptr::null_mut(),
                &mut len,
            )
        })?;
        let mut out = vec![0u8; len as usize];
        // SAFETY: `out` has `len` bytes of room.
        check("C_Sign", unsafe {
            sign(
                session,
                input.as_mut_ptr(),
                input.len() as CK_ULONG,
                out.as_mut_ptr(),
                &mut len,
            )
        })?;
        out.truncate(len as usize);
        Ok(out)
    }

    /// C_GetAttributeValue of one attribute, whatever its type.
    pub fn attribute(
        &self,
        session: CK_SESSION_HANDLE,
        object: CK_OBJECT_HANDLE,
        kind: CK_ATTRIBUTE_TYPE,
    ) -> Result<Vec<u8>, RawError> {
        let f = self.table().C_GetAttributeValue.ok_or(RawError {
            function: "C_GetAttributeValue",
            rv: 0x54,
        })?;
        let mut attr = CK_ATTRIBUTE {
            type_: kind,
            pValue: std::ptr::null_mut(),
            ulValueLen: 0,
        };
        // SAFETY: a null value asks for the length.
        check("C_GetAttributeValue", unsafe {
            f(session, object, &mut attr, 1)
        })?;
        let mut value = vec![0u8; attr.ulValueLen as usize];
        attr.pValue = value.as_mut_ptr().cast();
        // SAFETY: `value` has exactly the length the module reported.
        check("C_GetAttributeValue", unsafe {
            f(session, object, &mut attr, 1)
        })?;
        value.truncate(attr.ulValueLen as usize);
        Ok(value)
    }
}
