//! The draw benchmark in wasm, run in Node by `wasm-bindgen-test-runner`. `cargo xtask bench`
//! builds it with `SUICHA_BENCH=1` (read at compile time) for the full suite; otherwise it is a
//! quick smoke run of the n = 5 000 workload. Lines start with `BENCH ` and read
//! `name value unit`.
#![cfg(target_arch = "wasm32")]

#[path = "support/commit_workload.rs"]
mod commit_workload;

use shared::draw::bench::run_suite;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

/// `performance.now()` in microseconds.
fn now_us() -> f64 {
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .expect("Node and browsers have a global performance object");
    let now: js_sys::Function = js_sys::Reflect::get(&performance, &"now".into())
        .expect("performance.now exists")
        .into();
    now.call0(&performance)
        .expect("performance.now() runs")
        .as_f64()
        .expect("a number")
        * 1000.0
}

#[wasm_bindgen_test]
fn draw_benchmark_in_wasm() {
    let full = option_env!("SUICHA_BENCH").is_some();
    let sizes: &[u32] = if full {
        &[5_000, 100_000, 1_000_000]
    } else {
        &[5_000]
    };
    run_suite(&now_us, sizes, "wasm", &mut |line| {
        console_log!("BENCH {line}")
    });
    if full {
        // V8 runs the worker too: this is the CPU a commit costs in workerd, minus D1.
        commit_workload::run_commit_suite(&now_us, "wasm", &mut |line| {
            console_log!("BENCH {line}")
        });
    }
}
