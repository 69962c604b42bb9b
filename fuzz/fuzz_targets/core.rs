//! Every target of core/tests/fuzz behind one libFuzzer entry: the first
//! byte picks the target, the rest drive its generator (so one corpus and
//! one coverage map serve them all). A failure leaves its input in
//! fuzz/artifacts/core/; `cargo +nightly fuzz run core <that file>` replays
//! it (the engine's trace included).
#![no_main]
// The shared modules also hold the stable runner, unused here.
#![allow(dead_code)]

use libfuzzer_sys::fuzz_target;

#[path = "../../core/tests/fuzz/decode.rs"]
mod decode;
#[path = "../../core/tests/fuzz/engine.rs"]
mod engine;
#[path = "../../core/tests/fuzz/gen.rs"]
mod gen;
#[path = "../../core/tests/fuzz/harness.rs"]
mod harness;
#[path = "../../core/tests/fuzz/parsers.rs"]
mod parsers;
#[path = "../../core/tests/fuzz/value.rs"]
mod value;

use harness::Rng;

fn one<I: std::fmt::Debug>(r: &mut Rng, gen: impl Fn(&mut Rng) -> I, check: impl Fn(&I)) {
    let input = gen(r);
    check(&input);
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let r = &mut Rng::from_bytes(rest);
    match which % 13 {
        0 => one(r, parsers::key_input, parsers::key_check),
        1 => one(r, parsers::b64_input, |s| parsers::b64_check(s)),
        2 => one(r, parsers::jwt_input, |s| parsers::jwt_check(s)),
        3 => one(r, parsers::cache_input, |s| parsers::cache_check(s)),
        4 => one(r, parsers::url_input, parsers::url_check),
        5 => one(r, parsers::query_input, parsers::query_check),
        6 => one(r, parsers::phone_input, |s| parsers::phone_check(s)),
        7 => one(r, parsers::markup_input, parsers::markup_check),
        8 => one(r, parsers::request_input, parsers::request_check),
        9 => one(r, parsers::plan_input, parsers::plan_check),
        10 | 11 => one(r, decode::input, decode::check),
        _ => one(r, engine::input, |i| {
            engine::check(i);
        }),
    }
});
