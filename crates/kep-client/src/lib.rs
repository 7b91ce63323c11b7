//! The app's side of the conversation with the CA: endpoints, the HTTP transport and (in later
//! steps) the typed API client and the renewal flow. No Tauri here, so all of it is tested
//! without a window.
#![forbid(unsafe_code)]

pub mod ca;
pub mod endpoint;
pub mod flow;
pub mod http;
pub mod session_vault;
pub mod tls;

pub use ca::{CaClient, Polled};
pub use endpoint::{CaEndpoint, EndpointError};
pub use http::{HttpClientError, build_http_client};
