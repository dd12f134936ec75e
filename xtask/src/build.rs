//! Builds the two wasm artifacts: the frontend into `frontend/dist/` and the worker into
//! `worker-api/build/`. Each step is skipped when its output is newer than its input, so a
//! second `cargo xtask dev` starts fast.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::run::run;
use crate::tools::{cargo_tool, modified, node_bin};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The wasm features rustc emits for `wasm32-unknown-unknown` by default, for wasm-opt (the
/// module carries no `target_features` section once wasm-bindgen has run).
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

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

/// `frontend/dist/`: the two builds of the app (see `frontend/Cargo.toml`) as wasm + JS glue
/// from wasm-bindgen — `office` (every page) and `field` (sign-in, home, the assignment list
/// and the record form, what `static/boot.js` loads first for those paths) — and the static
/// files, with the build hash written into `index.html`, `boot.js` and the service worker.
pub fn build_frontend(root: &Path) -> Result<(), String> {
    let dist = root.join("frontend").join("dist");
    std::fs::create_dir_all(&dist).map_err(|err| format!("{}: {err}", dist.display()))?;
    // One cargo output path for both builds: bind each right after its build.
    for (app, features) in [
        ("office", &[][..]),
        ("field", &["--no-default-features"][..]),
    ] {
        let mut cargo = Command::new("cargo");
        cargo
            .args([
                "build",
                "--release",
                "--target",
                WASM_TARGET,
                "-p",
                "frontend",
            ])
            .args(features)
            .current_dir(root);
        if app == "field" {
            // Leptos's `erase_components`: every component returns `AnyView`, so the view types
            // do not nest into one type per page; measured −12.6 KB gzip (−4.5 %) on the field
            // app. With `--target`, RUSTFLAGS reach only the wasm crates, and cargo keeps their
            // artifacts apart from the office build's, so the two builds do not rebuild each other.
            let mut flags = std::env::var("RUSTFLAGS").unwrap_or_default();
            flags.push_str(" --cfg erase_components");
            cargo.env("RUSTFLAGS", flags.trim());
        }
        run(&mut cargo)?;
        let wasm = release_wasm(root, "frontend");
        if is_stale(&dist.join(format!("{app}_bg.wasm")), &wasm) {
            run(Command::new(cargo_tool("wasm-bindgen"))
                .args([
                    "--target",
                    "web",
                    "--no-typescript",
                    "--remove-name-section",
                    "--out-name",
                    app,
                    "--out-dir",
                ])
                .arg(&dist)
                .arg(&wasm))?;
            if app == "field" {
                // binaryen's -O1 (npm binaryen 132): −5.5 KB gzip on the field app. -Oz and -Os
                // shrink the raw file more but compress worse (+7 % gzip), so they are not used.
                let out = dist.join("field_bg.wasm");
                run(Command::new(node_bin(root, "wasm-opt"))
                    .arg("-O1")
                    .args(WASM_FEATURES)
                    .arg(&out)
                    .arg("-o")
                    .arg(&out))?;
            }
        }
    }
    for stale in ["frontend.js", "frontend_bg.wasm"] {
        let _ = std::fs::remove_file(dist.join(stale));
    }
    let static_dir = root.join("frontend").join("static");
    let mut names: Vec<std::ffi::OsString> = std::fs::read_dir(&static_dir)
        .map_err(|err| format!("{}: {err}", static_dir.display()))?
        .map(|entry| entry.map(|entry| entry.file_name()))
        .collect::<Result<_, _>>()
        .map_err(|err| err.to_string())?;
    names.sort();
    // The build hash: every file the app is made of, so any change makes a new one.
    let mut hash = Fnv64::new();
    for name in ["field_bg.wasm", "field.js", "office_bg.wasm", "office.js"] {
        hash.file(&dist.join(name))?;
    }
    for name in &names {
        hash.file(&static_dir.join(name))?;
    }
    let snippets = snippet_files(&dist)?;
    for snippet in &snippets {
        hash.file(&dist.join(snippet))?;
    }
    let build = format!("{:016x}", hash.0);
    let mut shell: Vec<String> = ["/", "/boot.js", "/style.css", "/field.js", "/field_bg.wasm"]
        .iter()
        .map(|path| match *path {
            "/" => "/".to_owned(),
            path => format!("{path}?v={build}"),
        })
        .collect();
    shell.extend(snippets.iter().map(|snippet| format!("/{snippet}")));
    let shell_list = shell
        .iter()
        .map(|url| format!("\"{url}\""))
        .collect::<Vec<_>>()
        .join(", ");
    for name in &names {
        let from = static_dir.join(name);
        let to = dist.join(name);
        let text = match name.to_str() {
            Some("index.html" | "boot.js" | "sw.js") => Some(
                std::fs::read_to_string(&from)
                    .map_err(|err| format!("{}: {err}", from.display()))?
                    .replace("__SUICHA_BUILD__", &build)
                    .replace("/* __SUICHA_SHELL__ */", &shell_list),
            ),
            _ => None,
        };
        match text {
            Some(text) => std::fs::write(&to, text),
            None => std::fs::copy(&from, &to).map(|_| ()),
        }
        .map_err(|err| format!("{}: {err}", to.display()))?;
    }
    Ok(())
}

/// The JS snippets wasm-bindgen copied next to the glue (`snippets/…`), relative to `dist`.
fn snippet_files(dist: &Path) -> Result<Vec<String>, String> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<(), String> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Ok(());
        };
        for entry in entries {
            let entry = entry.map_err(|err| err.to_string())?;
            let name = format!("{prefix}/{}", entry.file_name().to_string_lossy());
            if entry.path().is_dir() {
                walk(&entry.path(), &name, out)?;
            } else {
                out.push(name);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(&dist.join("snippets"), "snippets", &mut out)?;
    out.sort();
    Ok(out)
}

/// FNV-1a, 64 bits: a build hash without a dependency (not for security).
struct Fnv64(u64);

impl Fnv64 {
    fn new() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }

    fn file(&mut self, path: &Path) -> Result<(), String> {
        let bytes = std::fs::read(path).map_err(|err| format!("{}: {err}", path.display()))?;
        for byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        Ok(())
    }
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
