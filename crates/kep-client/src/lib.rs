//! The app's side of the renewal, all six stages: endpoints, the HTTP transport, the typed API
//! client, the renewal flow persisted in the app's data folder, the key in either home, the files
//! waiting for upload, the app's log. Errors per concern ([`ca_error`], [`key_error`],
//! [`renewal_error`]) become `{kind, message}` in one place. No Tauri here, so all of it is
//! tested without a window.
#![forbid(unsafe_code)]

pub mod accredited_cas;
pub mod action;
pub mod app_log;
pub mod ca;
pub mod ca_choice;
pub mod ca_error;
pub mod ca_health;
mod cause;
pub mod cert_status;
pub mod computer_key;
pub mod current_certificates;
pub mod draft;
pub mod endpoint;
pub mod file_signatures;
pub mod flow;
pub mod http;
mod ipc_error;
pub mod issuance;
pub mod issued_key;
pub mod key_error;
pub mod key_places;
pub mod messages_ru;
pub mod my_certificates;
pub mod new_key;
pub mod pending_files;
pub mod reminders;
pub mod renewal;
pub mod renewal_error;
pub mod renewal_record;
pub mod session_vault;
pub mod settings;
pub mod tls;
pub mod token_key;
pub mod token_presence;
pub mod trust_anchors;
pub mod user_settings;

pub use ca::{CaClient, Polled};
pub use endpoint::{CaEndpoint, EndpointError};
pub use http::{HttpClientError, build_http_client};
pub use kep_pki::requisites::check as check_requisites;
