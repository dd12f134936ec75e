//! Orchestration shared by `cargo xtask` and the end-to-end test harness: finding the repo,
//! running commands, installing tools, building the two wasm artifacts, and running a real
//! `wrangler dev` (workerd + local D1) on a fresh database.
//!
//! Architecture invariant: std only. A fresh machine needs nothing but cargo (and the Node and
//! npm this machine kind ships) to run `cargo xtask dev` or `cargo xtask test`.

pub mod build;
pub mod run;
pub mod server;
pub mod tools;

use std::path::{Path, PathBuf};

/// The workspace root (the folder holding the root `Cargo.toml`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the root")
        .to_path_buf()
}
