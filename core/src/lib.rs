//! The pure core: FAPI models, request building, response decoding, flow
//! state machines and errors. No web-sys, no I/O; tested natively.
//!
//! Data flows one way: a flow function or an [`endpoints`] constructor builds a
//! [`request::Request`]; the shell sends it; [`response`] decodes the answer into
//! [`model`] types or an [`response::ApiError`]; [`flow`] decides what comes next.
//! Time is always passed in as `now_ms` (Unix milliseconds).
#![deny(missing_docs)]

#[macro_use]
pub mod model;

pub mod ascii;
pub mod b64;
pub mod cookies;
pub mod endpoints;
pub mod engine;
pub mod errors;
pub mod flow;
pub mod form_plan;
pub mod jwt;
pub mod key;
pub mod list;
pub mod markup;
pub mod phone;
pub mod redirect;
pub mod request;
pub mod response;
pub mod url;
pub mod utf8;

#[cfg(test)]
mod fixture_tests;
