//! Why a value was refused, and which field of the requisites it belongs to. The types are
//! kep-protocol's (they cross IPC and HTTP); a refusal made here carries its Russian sentence.

pub use kep_protocol::{Field, FieldError, ValidationKind};

/// The refusal of `field` for `kind`, with the sentence shown under the field.
pub fn field_error(field: Field, kind: ValidationKind) -> FieldError {
    FieldError {
        field,
        kind,
        message: crate::messages_ru::field_message(field, kind),
    }
}
