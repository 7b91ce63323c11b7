//! Types that can only hold valid values: each parses (accepting the ways people write it),
//! normalizes, and displays in the conventional form. A failed parse names a stable
//! [`ValidationKind`]; [`FieldError`] adds the field and a Russian sentence for the UI.

pub mod date;
mod digits;
mod email;
mod error;
mod inn;
pub(crate) mod passport;
pub(crate) mod person_name;
mod phone;
mod snils;
mod text;

pub use email::Email;
pub use error::{Field, FieldError, ValidationKind, field_error};
pub use inn::Inn;
pub use passport::{DivisionCode, PassportNumber, PassportRf, PassportSeries};
pub use person_name::PersonName;
pub use phone::Phone;
pub use snils::Snils;
pub use text::FreeText;
