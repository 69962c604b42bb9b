//! Fuzzing the pure core on stable Rust (issue 13, item 3): seeded,
//! structure-aware random inputs for every parser, decoder and the engine,
//! each checked for panics and for a property (an oracle, a round trip, the
//! engine's contract). No nightly, no extra dependency: `cargo test` runs a
//! smoke pass (300 inputs per target); `make fuzz` runs ≥ 10⁶ inputs with a
//! new seed; `make test` runs a short fixed-seed pass (10,000 inputs per
//! target, in its suite `native-tests`).
//!
//! ```sh
//! FUZZ_ITERS=100000 cargo test -p clerk-core --test fuzz -- --nocapture   # per target
//! FUZZ_SEED=0x1234 FUZZ_CASE=77 cargo test -p clerk-core --test fuzz -- --exact engine --nocapture
//! ```
//!
//! A failure prints the input (the engine: its event trace) and the line
//! that replays it. Each crash found becomes a test in `regressions.rs`.
//!
//! The JSON the core reads here is `J` (value.rs), a model of the JS values
//! the browser hands it, not `serde_json::Value`: numbers are all `f64`
//! (`NaN`, `Infinity`), members can be `undefined`, and so on.

// The targets take `&I` for any input type `I` (a `String` among them).
#![allow(clippy::ptr_arg)]

mod decode;
mod engine;
mod gen;
mod harness;
mod parsers;
mod regressions;
mod value;

use harness::{run, Settings};

fn iters() -> u64 {
    Settings::get().iters
}

#[test]
fn key() {
    run("key", iters(), parsers::key_input, parsers::key_check);
}

#[test]
fn b64() {
    run("b64", iters(), parsers::b64_input, parsers::b64_check);
}

#[test]
fn jwt() {
    run("jwt", iters(), parsers::jwt_input, parsers::jwt_check);
}

#[test]
fn token_cache() {
    run(
        "token_cache",
        iters(),
        parsers::cache_input,
        parsers::cache_check,
    );
}

#[test]
fn url() {
    run("url", iters(), parsers::url_input, parsers::url_check);
}

#[test]
fn query() {
    run("query", iters(), parsers::query_input, parsers::query_check);
}

#[test]
fn phone() {
    run("phone", iters(), parsers::phone_input, parsers::phone_check);
}

#[test]
fn markup() {
    run(
        "markup",
        iters(),
        parsers::markup_input,
        parsers::markup_check,
    );
}

#[test]
fn request() {
    run(
        "request",
        iters(),
        parsers::request_input,
        parsers::request_check,
    );
}

#[test]
fn form_plan() {
    run(
        "form_plan",
        iters(),
        parsers::plan_input,
        parsers::plan_check,
    );
}

#[test]
fn decode() {
    run("decode", iters(), decode::input, decode::check);
}

/// One input here is a whole sequence (10–110 events and the end phase), so
/// a tenth as many; the events are counted too.
#[test]
fn engine() {
    let events = std::cell::Cell::new(0u64);
    let n = run("engine", (iters() / 10).max(20), engine::input, |i| {
        events.set(events.get() + engine::check(i));
    });
    eprintln!(
        "fuzz engine-events {:>9} inputs  ({n} sequences)",
        events.get()
    );
    engine::print_stats();
}
