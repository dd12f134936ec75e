//! `cargo xtask dev | test | bench | build`: the project's two commands and their helpers.

mod bench;
mod bench_bundle;
mod bench_first_load;
mod bench_import;
mod bench_portal;

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

use xtask::build::build_all;
use xtask::run::run;
use xtask::server::{self, DevServer};
use xtask::{repo_root, tools};

const USAGE: &str = "\
usage: cargo xtask <command>
  dev     install what is missing, build, migrate the local D1, load demo data when empty,
          and serve the app and the API at http://127.0.0.1:8787 (wrangler dev, workerd);
          `dev --empty` loads no demo data: a new installation asks for its bureau first
  test    every test suite: format, clippy, native, wasm (node + Chromium), API against
          wrangler dev + D1, browser end-to-end; one summary line per suite
  bench [draw|import|portal|bundle|first-load]
          benchmarks, one line per figure: `name value unit` (all five by default)
  build   build the frontend and the worker only
  e2e [FILE...]
          the browser tests only (all of tests/e2e, or the named files, e.g. `field records`)
          against a fresh wrangler dev with the pinned clock; builds first";

/// The port `cargo xtask dev` serves on.
const DEV_PORT: u16 = 8787;

fn main() -> ExitCode {
    let root = repo_root();
    let command = std::env::args().nth(1);
    let result = match command.as_deref() {
        Some("dev") => dev(&root, std::env::args().skip(2).any(|arg| arg == "--empty")),
        Some("test") => test(&root),
        Some("bench") => {
            let only = std::env::args().nth(2);
            let wants = |part: &str| only.as_deref().is_none_or(|only| only == part);
            tools::ensure_build_tools(&root)
                .and_then(|()| {
                    if wants("draw") {
                        bench::run(&root)
                    } else {
                        Ok(())
                    }
                })
                .and_then(|()| {
                    if wants("import") || wants("portal") || wants("bundle") || wants("first-load")
                    {
                        build_all(&root)
                    } else {
                        Ok(())
                    }
                })
                .and_then(|()| {
                    if wants("import") {
                        bench_import::run(&root)
                    } else {
                        Ok(())
                    }
                })
                .and_then(|()| {
                    if wants("portal") {
                        bench_portal::run(&root)
                    } else {
                        Ok(())
                    }
                })
                .and_then(|()| {
                    if wants("bundle") {
                        bench_bundle::run(&root)
                    } else {
                        Ok(())
                    }
                })
                .and_then(|()| {
                    if wants("first-load") {
                        bench_first_load::run(&root)
                    } else {
                        Ok(())
                    }
                })
        }
        Some("build") => tools::ensure_build_tools(&root).and_then(|()| build_all(&root)),
        Some("e2e") => tools::ensure_build_tools(&root)
            .and_then(|()| build_all(&root))
            .and_then(|()| browser_tests(&root, std::env::args().skip(2).collect())),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The browser tests (`tests/e2e/NAME.test.mjs` for each of `files`, or every one) against a
/// fresh `wrangler dev` whose clock is pinned, the offset passed on for Chromium's clock.
fn browser_tests(root: &Path, files: Vec<String>) -> Result<(), String> {
    let server = DevServer::start_fresh(root)?;
    let mut cmd = Command::new("node");
    cmd.args(["--test", "--test-concurrency=1"]);
    if files.is_empty() {
        cmd.arg(root.join("tests/e2e"));
    }
    for file in &files {
        let name = file.trim_end_matches(".mjs").trim_end_matches(".test");
        cmd.arg(root.join("tests/e2e").join(format!("{name}.test.mjs")));
    }
    run(cmd
        .env("SUICHA_BASE_URL", server.base_url())
        .env(
            server::TEST_CLOCK_VAR,
            server.clock_offset_millis.to_string(),
        )
        .current_dir(root))
}

fn dev(root: &Path, empty: bool) -> Result<(), String> {
    tools::ensure_build_tools(root)?;
    build_all(root)?;
    server::migrate(root, None)?;
    if empty {
        println!(
            "\n  Suicha is starting at http://127.0.0.1:{DEV_PORT} without demo data.\n\
             \n  On a new database the first page asks for the bureau's name, its region and\n\
             \n  the first administrator (首次设置). A database that has data keeps it.\n\
             \n  The local database lives in .wrangler/state; delete that folder to start over.\n\
             Stop with Ctrl-C.\n"
        );
    } else {
        if server::load_demo_if_empty(root, None)? {
            eprintln!("xtask: loaded demo data into the empty local database");
        }
        let accounts = xtask::run::output(
            Command::new("cargo")
                .args(["run", "--quiet", "-p", "suicha", "--", "demo-accounts"])
                .current_dir(root),
        )?;
        println!(
            "\n  Suicha is starting at http://127.0.0.1:{DEV_PORT}\n\
             \n  Sign in (登录) with a demo account, one per role:\n{accounts}\
             \n  The local database lives in .wrangler/state; delete that folder to start over.\n\
             Stop with Ctrl-C.\n"
        );
    }
    // wrangler runs in the foreground; Ctrl-C reaches it (and workerd) through the terminal.
    let mut cmd = server::wrangler(root);
    cmd.args([
        "dev",
        "--local",
        "--ip",
        "127.0.0.1",
        "--port",
        &DEV_PORT.to_string(),
    ]);
    run(&mut cmd)
}

/// One suite's outcome, for the closing summary.
struct SuiteResult {
    name: &'static str,
    outcome: Result<(), String>,
    seconds: f64,
}

fn test(root: &Path) -> Result<(), String> {
    tools::ensure_build_tools(root)?;
    tools::ensure_chromium()?;
    let mut results: Vec<SuiteResult> = Vec::new();
    let mut suite = |name: &'static str, body: &mut dyn FnMut() -> Result<(), String>| {
        eprintln!("\n=== xtask test: {name}");
        let start = Instant::now();
        let outcome = body();
        let ok = outcome.is_ok();
        results.push(SuiteResult {
            name,
            outcome,
            seconds: start.elapsed().as_secs_f64(),
        });
        ok
    };
    let cargo = |args: &[&str]| {
        let mut cmd = Command::new("cargo");
        cmd.args(args).current_dir(root);
        cmd
    };

    suite("format", &mut || {
        run(&mut cargo(&["fmt", "--all", "--check"]))
    });
    suite("clippy", &mut || {
        run(&mut cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))?;
        // The field app: the same crate without feature `office` (see frontend/Cargo.toml).
        run(&mut cargo(&[
            "clippy",
            "-p",
            "frontend",
            "--no-default-features",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    });
    suite("native tests", &mut || {
        run(&mut cargo(&[
            "test",
            "--workspace",
            "--exclude",
            "suicha-tests",
        ]))
    });
    // The domain crate's tests compiled to wasm: in Node, then the same binaries in Chromium.
    let wasm_tests = || {
        let mut cmd = cargo(&[
            "test",
            "-p",
            "suicha-shared",
            "--target",
            "wasm32-unknown-unknown",
        ]);
        cmd.env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            tools::cargo_tool("wasm-bindgen-test-runner"),
        );
        cmd
    };
    suite("wasm tests (node)", &mut || run(&mut wasm_tests()));
    suite("wasm tests (chromium)", &mut || {
        run(wasm_tests()
            .env("WASM_BINDGEN_USE_BROWSER", "1")
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env(
                "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
                root.join("tests/webdriver.json"),
            ))
    });
    let built = suite("build", &mut || build_all(root));
    if built {
        suite("api tests", &mut || {
            run(&mut cargo(&["test", "-p", "suicha-tests"]))
        });
        suite("browser tests", &mut || browser_tests(root, Vec::new()));
    }

    eprintln!("\n=== xtask test: summary");
    for result in &results {
        match &result.outcome {
            Ok(()) => println!("ok     {:<24} {:>7.1} s", result.name, result.seconds),
            Err(message) => println!(
                "FAILED {:<24} {:>7.1} s  {message}",
                result.name, result.seconds
            ),
        }
    }
    let failed = results.iter().filter(|r| r.outcome.is_err()).count();
    println!(
        "suites: {} passed, {} failed",
        results.len() - failed,
        failed
    );
    if failed == 0 && built {
        Ok(())
    } else {
        Err(format!("{failed} suite(s) failed"))
    }
}
