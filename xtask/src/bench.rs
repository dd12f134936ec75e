//! `cargo xtask bench`: prints one line per figure, `name value unit`.
//!
//! Runs the draw benchmark natively (`shared/examples/draw_bench.rs`, profile `fast`), its peak
//! memory in a separate process, and the same workloads compiled to wasm and run in Node
//! (`shared/tests/draw_bench_wasm.rs` under `wasm-bindgen-test-runner`), then derives the
//! ratios the draw engine's goals are stated in (issue 3): n = 1 M native ≤ 8 × the memory
//! floor, wasm / native ≤ 2.0, teams for 5 k targets ≤ the 1 M draw (k = 5 k), n = 5 k < 1 ms.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

pub(crate) fn run(root: &Path) -> Result<(), String> {
    let mut figures: BTreeMap<String, f64> = BTreeMap::new();

    let native = cargo(
        root,
        &[
            "run",
            "--quiet",
            "-p",
            "suicha-shared",
            "--profile",
            "fast",
            "--example",
            "draw_bench",
        ],
        &[],
    )?;
    collect(&native, "", &mut figures);
    let memory = cargo(
        root,
        &[
            "run",
            "--quiet",
            "-p",
            "suicha-shared",
            "--profile",
            "fast",
            "--example",
            "draw_bench",
            "--",
            "--peak-memory",
        ],
        &[],
    )?;
    collect(&memory, "", &mut figures);
    let runner = xtask::tools::cargo_tool("wasm-bindgen-test-runner");
    let runner = runner.to_string_lossy();
    let wasm = cargo(
        root,
        &[
            "test",
            "-p",
            "suicha-shared",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "fast",
            "--test",
            "draw_bench_wasm",
            "--",
            "--nocapture",
        ],
        &[
            ("SUICHA_BENCH", "1"),
            ("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", &runner),
        ],
    )?;
    collect(&wasm, "BENCH ", &mut figures);

    let get = |name: &str| figures.get(name).copied();
    let mut derived = Vec::new();
    for size in ["n5k_k26", "n100k_k501", "n1m_k5001"] {
        if let (Some(native), Some(wasm)) = (
            get(&format!("draw_{size}_native")),
            get(&format!("draw_{size}_wasm")),
        ) {
            derived.push((format!("wasm_over_native_draw_{size}"), wasm / native, "x"));
        }
    }
    if let (Some(native), Some(wasm)) = (get("teams_t5k_i2k_native"), get("teams_t5k_i2k_wasm")) {
        derived.push((
            "wasm_over_native_teams_t5k_i2k".to_owned(),
            wasm / native,
            "x",
        ));
    }
    for suffix in ["native", "wasm"] {
        if let (Some(teams), Some(draw)) = (
            get(&format!("teams_t5k_i2k_{suffix}")),
            get(&format!("draw_n1m_k5001_{suffix}")),
        ) {
            derived.push((
                format!("teams_t5k_over_draw_n1m_k5001_{suffix}"),
                teams / draw,
                "x",
            ));
        }
    }
    for (name, value, unit) in derived {
        println!("{name} {value:.2} {unit}");
    }
    Ok(())
}

/// Runs cargo in `root`, stderr passed through; returns stdout, failing on a non-zero exit.
fn cargo(root: &Path, args: &[&str], envs: &[(&str, &str)]) -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for (key, value) in envs {
        command.env(key, value);
    }
    let output = command
        .output()
        .map_err(|error| format!("cargo {}: {error}", args.join(" ")))?;
    if !output.status.success() {
        return Err(format!(
            "cargo {} failed: {}",
            args.join(" "),
            output.status
        ));
    }
    String::from_utf8(output.stdout).map_err(|error| error.to_string())
}

/// Prints every `name value unit` line (after `prefix`) and records the numeric ones.
fn collect(output: &str, prefix: &str, figures: &mut BTreeMap<String, f64>) {
    for line in output.lines() {
        let Some(line) = line.trim().strip_prefix(prefix) else {
            continue;
        };
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() != 3 {
            continue;
        }
        println!("{line}");
        if let Ok(value) = fields[1].parse::<f64>() {
            figures.insert(fields[0].to_owned(), value);
        }
    }
}
