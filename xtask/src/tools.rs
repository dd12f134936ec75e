//! Installs what the build and the tests need, only when it is missing or at the wrong version.
//!
//! Cargo tools go to cargo's default bin folder (outside the repo), so a fresh clone on the same
//! machine finds them and does not rebuild them.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::run::{probe, run};

/// The `worker-build` release that matches the `worker` crate we pin.
pub const WORKER_BUILD_VERSION: &str = "0.8.7";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Where `cargo install` puts binaries.
pub fn cargo_bin_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        return PathBuf::from(home).join("bin");
    }
    let home = std::env::var_os("HOME").expect("HOME is set");
    PathBuf::from(home).join(".cargo").join("bin")
}

/// Path of an installed cargo tool.
pub fn cargo_tool(name: &str) -> PathBuf {
    cargo_bin_dir().join(name)
}

/// Path of a binary installed by npm into the repo's `node_modules`.
pub fn node_bin(root: &Path, name: &str) -> PathBuf {
    root.join("node_modules").join(".bin").join(name)
}

/// The version of `package` recorded in `Cargo.lock`.
pub fn locked_version(root: &Path, package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|err| format!("Cargo.lock: {err}"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .ok_or_else(|| format!("{package} is not in Cargo.lock"))?
        + needle.len();
    let end = lock[start..].find('"').ok_or("Cargo.lock is malformed")? + start;
    Ok(lock[start..end].to_owned())
}

/// Everything `cargo xtask dev` needs: the wasm target, wasm-bindgen-cli, worker-build, npm
/// packages (wrangler, binaryen, playwright-core).
pub fn ensure_build_tools(root: &Path) -> Result<(), String> {
    ensure_wasm_target()?;
    let wasm_bindgen = locked_version(root, "wasm-bindgen")?;
    // wasm-bindgen-cli's own lockfile pins a crate the registry lacks: install without --locked.
    ensure_cargo_tool("wasm-bindgen", "wasm-bindgen-cli", &wasm_bindgen, false)?;
    ensure_cargo_tool("worker-build", "worker-build", WORKER_BUILD_VERSION, true)?;
    ensure_npm_packages(root)
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed =
        probe(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    eprintln!("xtask: adding the {WASM_TARGET} target");
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

fn ensure_cargo_tool(bin: &str, krate: &str, version: &str, locked: bool) -> Result<(), String> {
    let path = cargo_tool(bin);
    let current = probe(Command::new(&path).arg("--version")).unwrap_or_default();
    if current
        .split_whitespace()
        .any(|word| word.trim_start_matches('v') == version)
    {
        return Ok(());
    }
    eprintln!("xtask: installing {krate} {version} (a one-time build of several minutes)");
    let mut cmd = Command::new("cargo");
    cmd.args(["install", krate, "--version", version, "--force"])
        // Much faster to build, and these tools' speed does not matter.
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        // Don't let the repo's toolchain file or target dir leak into the install.
        .env_remove("CARGO_TARGET_DIR")
        .current_dir(std::env::temp_dir());
    if locked {
        cmd.arg("--locked");
    }
    run(&mut cmd)
}

fn ensure_npm_packages(root: &Path) -> Result<(), String> {
    let lock = root.join("package-lock.json");
    let installed = root.join("node_modules").join(".package-lock.json");
    let fresh = match (modified(&lock), modified(&installed)) {
        (Some(lock), Some(installed)) => installed >= lock,
        _ => false,
    };
    if fresh && node_bin(root, "wrangler").exists() {
        return Ok(());
    }
    eprintln!("xtask: installing npm packages (npm ci)");
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(root))
}

/// Debian's Chromium and its driver, for the browser tests.
pub fn ensure_chromium() -> Result<(), String> {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    eprintln!("xtask: installing Debian's chromium and chromium-driver");
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get")
        .args([
            "install",
            "-y",
            "--no-install-recommends",
            "chromium",
            "chromium-driver",
        ])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// Modification time of a file, if it exists.
pub fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path)
        .and_then(|meta| meta.modified())
        .ok()
}
