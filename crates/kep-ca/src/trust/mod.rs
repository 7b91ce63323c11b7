//! Trust beyond this CA: the Ministry's list of accredited CAs (TSL), read, kept and used to
//! check statements signed with a КЭП from any accredited CA.

pub mod accredited;
pub mod capped_get;
pub mod crl_fetch;
pub mod download;
pub mod fetch_policy;
pub mod import;
pub mod issuer_fetch;
pub mod listed_issuer;
pub mod other_ca_signer;
pub mod stored;
pub mod trusted_cas;
pub mod tsl;
pub mod tsl_error;
