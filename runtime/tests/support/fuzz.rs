//! The stable fuzz driver the runtime's fuzz tests share (`fuzz_decode.rs`,
//! `fuzz_streams.rs`): proptest's runner, seeded and sized from the environment.

use std::time::Instant;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

/// Runs `test` on `cases()` inputs of `strategy`, printing the count, the time and the seed.
pub fn drive<S: Strategy>(
    name: &str,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let cases: u32 = match std::env::var("ASKUI_FUZZ_CASES") {
        Ok(text) => text.trim().parse().expect("ASKUI_FUZZ_CASES is a number"),
        Err(_) => 2_000,
    };
    let seed: u64 = match std::env::var("ASKUI_FUZZ_SEED") {
        Ok(text) => text.trim().parse().expect("ASKUI_FUZZ_SEED is a number"),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |time| time.as_nanos() as u64),
    };
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut seed_bytes = [0u8; 16];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    seed_bytes[8..].copy_from_slice(&(!seed).to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::XorShift, &seed_bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let start = Instant::now();
    if let Err(failure) = runner.run(&strategy, test) {
        panic!("fuzz {name} failed (ASKUI_FUZZ_SEED={seed}): {failure}");
    }
    println!(
        "fuzz {name}: {cases} cases in {:.1} s (seed {seed})",
        start.elapsed().as_secs_f64()
    );
}
