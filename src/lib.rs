//! clerk-wasm: passwordless sign-up and sign-in for the browser over Clerk's
//! Frontend API (FAPI), written in Rust and compiled to WebAssembly.
#![deny(missing_docs)]

pub mod core;
pub mod js;
pub mod timers;
pub mod transport;
