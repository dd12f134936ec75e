//! The first-load benchmark of issue 16: the JS + wasm bytes each entry route downloads
//! (gzipped) and the time to the shell and to the route's content on emulated Fast 3G, in
//! headless Chromium (`tests/bench/first_load.mjs`, against a fresh `wrangler dev` with the
//! demo data and one committed draw, so the demo inspector has assignments).

use std::path::Path;
use std::process::Command;

use xtask::server::DevServer;

/// `cargo xtask bench first-load` (called from xtask/src/main.rs).
pub(crate) fn run(root: &Path) -> Result<(), String> {
    let server = DevServer::start_fresh(root)?;
    let status = Command::new("node")
        .arg(root.join("tests/bench/first_load.mjs"))
        .env("SUICHA_BASE_URL", server.base_url())
        .current_dir(root)
        .status()
        .map_err(|err| format!("node: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("tests/bench/first_load.mjs: {status}"))
    }
}
