//! clerk-wasm: passwordless sign-up and sign-in for the browser over Clerk's
//! Frontend API (FAPI), written in Rust and compiled to WebAssembly.
//!
//! - [`core`]: the pure core (keys, requests, envelopes, models, flows, errors).
//! - [`Clerk`]: the stateful client object and its typed async Rust API.
//! - `shell` (feature `js-shell`): the core as synchronous exports for the npm
//!   package's JS shell (`pkg-template/index.js`); with `ui`, the mountable forms.
#![deny(missing_docs)]

/// The global allocator on wasm32: talc (smaller and faster than the default dlmalloc).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub mod clerk;
pub use clerk_core as core;
pub mod email_link;
#[cfg(feature = "js-shell")]
mod error_classes;
pub mod json;
#[cfg(feature = "js-shell")]
mod shell;
pub mod sign_in;
pub mod sign_up;
pub mod timers;
pub mod transport;
#[cfg(feature = "ui")]
pub mod ui;
pub mod worker_timers;

pub use crate::clerk::{Attempt, AttemptStatus, Clerk, ClerkOptions, ListenerId};
pub use crate::core::errors::ClerkError;
pub use crate::core::request::{Form, FormValue};
