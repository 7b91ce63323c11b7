//! Types that cross a boundary: the Tauri IPC between the UI and the app, and the CA service's
//! HTTP API. Every type here derives `ts_rs::TS`, so `cargo test` writes its TypeScript twin to
//! `ui/src/bindings/` and the UI and the backend cannot drift apart. Nothing else exports
//! bindings, and this crate depends on no crate of ours (kep-pki validates these types).
#![forbid(unsafe_code)]

pub mod app_info;
pub mod application;
pub mod auth;
pub mod certificate;
pub mod dev;
pub mod documents;
pub mod error;
pub mod file_signatures;
pub mod files;
pub mod health;
pub mod key;
pub mod messages_ru;
pub mod my_certificates;
pub mod operator;
pub mod queries;
pub mod requisites;
pub mod sensor;
pub mod settings;
pub mod stage;
pub mod token;
pub mod trust;
pub mod update;
pub mod wizard;

pub use app_info::AppInfo;
pub use error::{ApiError, ErrorKind};
pub use requisites::{Field, FieldError, RequisitesCheck, RequisitesInput, ValidationKind};
pub use stage::Stage;
