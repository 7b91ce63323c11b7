//! OCSP (RFC 6960): the messages ([`asn1`]), a delegated responder ([`responder`]) that
//! reads requests and signs answers (the certificate statuses come from the CA), and the
//! relying party's reading of an answer ([`answer`]).

pub mod answer;
pub mod asn1;
pub mod responder;

pub use answer::{Answer, AnswerError, read_answer};
pub use responder::{
    MAX_REQUEST_BYTES, ParsedRequest, RequestError, Responder, Status, parse_request,
    parse_response, refusal, request_for,
};
