//! The runner: a seeded generator (xoshiro256**), the iteration count from the
//! environment, and one `run` per target that catches a panic, prints the
//! input that caused it and how to replay exactly that case, then fails.
//!
//! Environment:
//! - `FUZZ_ITERS`: inputs per target (default 300: a smoke run inside
//!   `cargo test`); the engine target runs `FUZZ_ITERS / 10` sequences of
//!   about 60 events each.
//! - `FUZZ_SEED`: the run's seed (default a fixed one, so `make test` is
//!   deterministic; `make fuzz` passes a new one each run). Decimal or `0x…`.
//! - `FUZZ_CASE`: run only this case of each target (replays a failure).

use std::fmt::Debug;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::time::Instant;

/// xoshiro256** (Blackman & Vigna), seeded through splitmix64; or, for the
/// coverage-guided targets in `fuzz/` (nightly, cargo-fuzz), libFuzzer's
/// bytes first, so its mutations steer the generators' choices.
#[derive(Clone)]
pub struct Rng([u64; 4], Option<(Vec<u8>, usize)>);

impl Rng {
    /// Draws from `data`, 4 bytes at a time; then (exhausted) from a
    /// generator seeded by it.
    #[allow(dead_code)]
    pub fn from_bytes(data: &[u8]) -> Rng {
        let mut h = 0xCBF2_9CE4_8422_2325u64;
        for b in data {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01B3);
        }
        let mut r = Rng::new(h);
        r.1 = Some((data.to_vec(), 0));
        r
    }

    pub fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng([next(), next(), next(), next()], None)
    }

    pub fn u64(&mut self) -> u64 {
        if let Some((data, at)) = &mut self.1 {
            // 4 bytes a draw (both halves: `below` reads the high one).
            if *at < data.len() {
                let mut b = [0u8; 4];
                let n = (data.len() - *at).min(4);
                b[..n].copy_from_slice(&data[*at..*at + n]);
                *at += n;
                let v = u64::from(u32::from_le_bytes(b));
                return v << 32 | v;
            }
        }
        let s = &mut self.0;
        let out = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        out
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.u64() >> 32).wrapping_mul(n as u64) >> 32) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.u64() % (hi - lo + 1)
    }

    /// True with probability `n` in `d`.
    pub fn chance(&mut self, n: usize, d: usize) -> bool {
        self.below(d) < n
    }

    pub fn bool(&mut self) -> bool {
        self.u64() & 1 == 1
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// The run's settings, read from the environment.
pub struct Settings {
    pub iters: u64,
    pub seed: u64,
    pub case: Option<u64>,
}

fn number(var: &str) -> Option<u64> {
    let v = std::env::var(var).ok()?;
    let v = v.trim().replace('_', "");
    match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => v.parse().ok(),
    }
}

impl Settings {
    pub fn get() -> Settings {
        Settings {
            iters: number("FUZZ_ITERS").unwrap_or(300),
            seed: number("FUZZ_SEED").unwrap_or(0xC1E2_6A53),
            case: number("FUZZ_CASE"),
        }
    }
}

/// The seed of case `i` of `target`: independent of every other case, so
/// one case replays alone.
fn case_seed(seed: u64, target: &str, i: u64) -> u64 {
    let mut h = seed ^ 0xCBF2_9CE4_8422_2325;
    for b in target.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3);
    }
    Rng::new(h ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15)).u64()
}

/// Runs `iters` cases of `target`: each makes an input with `gen` and
/// checks it with `check` (which panics on a broken property). Prints
/// `fuzz <target> <n> inputs …` (the per-target count `make fuzz` sums) and
/// returns the count.
pub fn run<I: Debug>(
    target: &str,
    iters: u64,
    mut gen: impl FnMut(&mut Rng) -> I,
    mut check: impl FnMut(&I),
) -> u64 {
    let s = Settings::get();
    let t0 = Instant::now();
    let cases: Vec<u64> = match s.case {
        Some(c) => vec![c],
        None => (0..iters).collect(),
    };
    for &i in &cases {
        let mut rng = Rng::new(case_seed(s.seed, target, i));
        let input = gen(&mut rng);
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check(&input))) {
            report(target, s.seed, i, &input);
            resume_unwind(panic);
        }
    }
    let n = cases.len() as u64;
    eprintln!(
        "fuzz {target:<12} {n:>9} inputs  seed {:#x}  {:>6} ms",
        s.seed,
        t0.elapsed().as_millis()
    );
    n
}

fn report(target: &str, seed: u64, case: u64, input: &dyn Debug) {
    let mut text = format!("{input:?}");
    if text.len() > 20_000 {
        let mut cut = 20_000;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str("… (cut)");
    }
    eprintln!(
        "\n=== fuzz target `{target}` failed on case {case}\ninput: {text}\n\
         replay: FUZZ_SEED={seed:#x} FUZZ_CASE={case} cargo test -p clerk-core --test fuzz -- --exact {target} --nocapture\n"
    );
}
