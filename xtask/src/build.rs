//! Builds the two wasm artifacts: the frontend into `frontend/dist/` and the worker into
//! `worker-api/build/`. Each step is skipped when its output is newer than its input, so a
//! second `cargo xtask dev` starts fast.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::run::run;
use crate::tools::{cargo_tool, modified, node_bin};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Where cargo puts a release wasm of `crate_name` (hyphens become underscores).
fn release_wasm(root: &Path, crate_name: &str) -> PathBuf {
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    target_dir
        .join(WASM_TARGET)
        .join("release")
        .join(format!("{}.wasm", crate_name.replace('-', "_")))
}

fn cargo_release_wasm(root: &Path, package: &str) -> Result<(), String> {
    run(Command::new("cargo")
        .args(["build", "--release", "--target", WASM_TARGET, "-p", package])
        .current_dir(root))
}

fn is_stale(output: &Path, input: &Path) -> bool {
    match (modified(output), modified(input)) {
        (Some(output), Some(input)) => output < input,
        _ => true,
    }
}

/// `frontend/dist/`: the app's wasm + JS glue from wasm-bindgen, and the static files.
pub fn build_frontend(root: &Path) -> Result<(), String> {
    cargo_release_wasm(root, "frontend")?;
    let dist = root.join("frontend").join("dist");
    std::fs::create_dir_all(&dist).map_err(|err| format!("{}: {err}", dist.display()))?;
    let wasm = release_wasm(root, "frontend");
    if is_stale(&dist.join("frontend_bg.wasm"), &wasm) {
        run(Command::new(cargo_tool("wasm-bindgen"))
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--remove-name-section",
                "--out-dir",
            ])
            .arg(&dist)
            .arg(&wasm))?;
    }
    let static_dir = root.join("frontend").join("static");
    let entries =
        std::fs::read_dir(&static_dir).map_err(|err| format!("{}: {err}", static_dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|err| err.to_string())?;
        let to = dist.join(entry.file_name());
        std::fs::copy(entry.path(), &to).map_err(|err| format!("{}: {err}", to.display()))?;
    }
    Ok(())
}

/// `worker-api/build/`: worker-build's module wrapper around the worker's wasm. Its downloads
/// are turned off: wasm-bindgen is ours, esbuild is wrangler's, and wasm-opt is skipped (the
/// dev build must be cheap; see `docs/operations.md` for an optimised deploy build).
pub fn build_worker(root: &Path) -> Result<(), String> {
    cargo_release_wasm(root, "worker-api")?;
    let crate_dir = root.join("worker-api");
    if !is_stale(
        &crate_dir.join("build").join("index_bg.wasm"),
        &release_wasm(root, "worker-api"),
    ) {
        return Ok(());
    }
    run(Command::new(cargo_tool("worker-build"))
        .args(["--release", "--no-opt"])
        .env("WASM_BINDGEN_BIN", cargo_tool("wasm-bindgen"))
        .env("ESBUILD_BIN", node_bin(root, "esbuild"))
        .current_dir(&crate_dir))
}

/// Both artifacts.
pub fn build_all(root: &Path) -> Result<(), String> {
    build_frontend(root)?;
    build_worker(root)
}
