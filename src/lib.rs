//! clerk-wasm: passwordless sign-up and sign-in for the browser over Clerk's
//! Frontend API (FAPI), written in Rust and compiled to WebAssembly.
//!
//! One engine, one driver, two faces:
//!
//! - [`core`] (the `clerk-core` crate, no web dependency): FAPI models,
//!   requests, flows, and the client [`engine`](core::engine) — every
//!   behaviour of the client object as a sans-IO state machine.
//! - `driver`: carries out the engine's commands in the browser (fetch,
//!   its answer read through gloo-net; gloo-timers or worker timers, cookies, BroadcastChannel).
//! - [`Clerk`]: the typed async Rust API (Leptos, Yew, Dioxus).
//! - `npm` (feature `npm`): the npm package's exports for its JS skin;
//!   `ui` (feature `ui`): the mountable forms, on the same driver.
#![deny(missing_docs)]

/// The global allocator on wasm32: lol_alloc's free list (first fit,
/// address-ordered, neighbours merged on free). About 450 B gzip smaller
/// than talc, which the SDK used before (README, "Size"); the SDK holds a
/// few hundred small blocks, so a walk of the free list is short.
/// `tests/allocator.rs` checks reuse, alignment and overlap in the browser.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
// SAFETY: without the `atomics` target feature (the cfg above) a wasm32
// module has one thread, so the allocator is never entered concurrently.
static ALLOC: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

pub mod clerk;
pub use clerk_core as core;
mod driver;
pub mod email_link;
pub mod interop;
#[cfg(feature = "npm")]
mod npm;
mod page;
pub mod sign_in;
pub mod sign_up;
pub mod timers;
#[cfg(feature = "ui")]
pub mod ui;

pub use crate::clerk::{Attempt, AttemptStatus, CallFuture, Clerk, ClerkOptions, ListenerId};
pub use crate::core::engine::{Call, Hosted, Op, Output, RedirectUrls};
pub use crate::core::errors::ClerkError;
pub use crate::core::request::{Form, FormValue};
