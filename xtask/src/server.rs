//! A real `wrangler dev` (workerd + local D1) on a fresh or persistent database.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::run::{output, run};

/// Environment for every wrangler call: no telemetry, no outbound requests.
pub fn wrangler(root: &Path) -> Command {
    let mut cmd = Command::new("node");
    cmd.arg(root.join("node_modules/wrangler/bin/wrangler.js"))
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
        .env(
            "WRANGLER_LOG_PATH",
            std::env::temp_dir().join("suicha-wrangler-logs"),
        )
        .current_dir(root);
    cmd
}

fn persist_args(cmd: &mut Command, persist: Option<&Path>) {
    if let Some(dir) = persist {
        cmd.arg("--persist-to").arg(dir);
    }
}

/// Applies the D1 migrations to the local database (`persist` = `None`: wrangler's default
/// `.wrangler/state`).
pub fn migrate(root: &Path, persist: Option<&Path>) -> Result<(), String> {
    let mut cmd = wrangler(root);
    cmd.args(["d1", "migrations", "apply", "DB", "--local"])
        .stdout(Stdio::null());
    persist_args(&mut cmd, persist);
    run(&mut cmd)
}

/// Runs one SQL statement against the local database and returns wrangler's JSON answer.
pub fn query_json(root: &Path, persist: Option<&Path>, sql: &str) -> Result<String, String> {
    let mut cmd = wrangler(root);
    cmd.args(["d1", "execute", "DB", "--local", "--json", "--command", sql]);
    persist_args(&mut cmd, persist);
    output(&mut cmd)
}

/// Executes a SQL file against the local database.
pub fn execute_file(root: &Path, persist: Option<&Path>, file: &Path) -> Result<(), String> {
    let mut cmd = wrangler(root);
    cmd.args(["d1", "execute", "DB", "--local", "--yes", "--file"])
        .arg(file)
        .stdout(Stdio::null());
    persist_args(&mut cmd, persist);
    run(&mut cmd)
}

/// Loads the demo data into whatever part of the local database is empty: the demo county
/// (`suicha demo-sql`) when there is no checklist yet, and one demo account per role (`suicha
/// demo-accounts-sql`) when there are no accounts. Returns whether it loaded anything.
pub fn load_demo_if_empty(root: &Path, persist: Option<&Path>) -> Result<bool, String> {
    let answer = query_json(
        root,
        persist,
        "SELECT (SELECT count(*) FROM checklist_items) AS checklist, (SELECT count(*) FROM accounts) AS accounts",
    )?
    .replace([' ', '\n'], "");
    let mut sql = String::new();
    for (table, command) in [("checklist", "demo-sql"), ("accounts", "demo-accounts-sql")] {
        if answer.contains(&format!("\"{table}\":0")) {
            sql.push_str(&output(
                Command::new("cargo")
                    .args(["run", "--quiet", "-p", "suicha", "--", command])
                    .current_dir(root),
            )?);
        }
    }
    if sql.is_empty() {
        return Ok(false);
    }
    let file = std::env::temp_dir().join(format!("suicha-demo-{}.sql", std::process::id()));
    std::fs::write(&file, sql).map_err(|err| format!("{}: {err}", file.display()))?;
    let loaded = execute_file(root, persist, &file);
    let _ = std::fs::remove_file(&file);
    loaded.map(|()| true)
}

/// A free TCP port on loopback.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A running `wrangler dev`. Dropping it stops wrangler, workerd and esbuild (the whole process
/// group); a watchdog does the same if this process dies without dropping it.
/// The instant a test server's clock starts at: Friday 2026-11-27 10:00 Beijing time
/// (02:00 UTC), in milliseconds since the Unix epoch. Every test server runs its clock from
/// here, so no test depends on the day it runs; the dates in the tests are chosen against it.
pub const TEST_CLOCK_START_MILLIS: i64 = 1_795_744_800_000;

/// The variable that shifts the worker's clock (`worker-api/src/time.rs`). Only this harness
/// sets it; `cargo xtask dev` and production run on the real clock.
pub const TEST_CLOCK_VAR: &str = "SUICHA_TEST_CLOCK_OFFSET_MS";

/// Milliseconds since the Unix epoch on this machine's clock.
pub fn real_now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as i64)
}

pub struct DevServer {
    child: Child,
    /// Where `wrangler dev` serves: its dev proxy, which forwards to the worker.
    pub port: u16,
    /// Where the worker itself listens inside `wrangler dev` (workerd's own socket, the one
    /// wrangler's dev proxy forwards to); [`DevServer::port`] when it could not be found.
    ///
    /// The API tests and the benches send their requests here. Under bursts of concurrent
    /// requests wrangler's dev proxy loses some of its connections to the worker (see
    /// cloudflare/workers-sdk#14641): it answers such a POST itself with `503 "Your worker
    /// restarted mid-request"`, and holds such a GET in a retry queue that only a reload
    /// empties, i.e. forever. Neither is the worker's answer; going straight to the worker
    /// measures the worker. The same workerd serves the static assets there too.
    pub worker_port: u16,
    /// What the server adds to the real clock: its clock started at
    /// [`TEST_CLOCK_START_MILLIS`] when it was started.
    pub clock_offset_millis: i64,
    pub persist: PathBuf,
    pub log: PathBuf,
}

impl DevServer {
    /// A server on a new, empty database with migrations and demo data applied, in a temp dir.
    pub fn start_fresh(root: &Path) -> Result<DevServer, String> {
        let persist = DevServer::fresh_database(root)?;
        load_demo_if_empty(root, Some(&persist))?;
        DevServer::start(root, &persist, free_port())
    }

    /// Like [`DevServer::start_fresh`] but without the demo county: a new installation, as a
    /// bureau first sees it (no bureau, no account, no data).
    pub fn start_empty(root: &Path) -> Result<DevServer, String> {
        let persist = DevServer::fresh_database(root)?;
        DevServer::start(root, &persist, free_port())
    }

    /// A new, migrated database in a temporary directory.
    fn fresh_database(root: &Path) -> Result<std::path::PathBuf, String> {
        let persist =
            std::env::temp_dir().join(format!("suicha-d1-{}-{}", std::process::id(), free_port()));
        let _ = std::fs::remove_dir_all(&persist);
        std::fs::create_dir_all(&persist).map_err(|err| format!("{}: {err}", persist.display()))?;
        migrate(root, Some(&persist))?;
        Ok(persist)
    }

    /// Starts `wrangler dev` on `port` with the database in `persist`, its clock pinned to
    /// start at [`TEST_CLOCK_START_MILLIS`], and waits until `/api/health` answers.
    pub fn start(root: &Path, persist: &Path, port: u16) -> Result<DevServer, String> {
        for artifact in ["worker-api/build/index.js", "frontend/dist/index.html"] {
            if !root.join(artifact).exists() {
                return Err(format!(
                    "{artifact} is missing: build first with `cargo xtask build` (or run `cargo xtask test`)"
                ));
            }
        }
        let log = persist.join("wrangler-dev.log");
        let debug_log = persist.join("wrangler-debug.log");
        let log_file =
            std::fs::File::create(&log).map_err(|err| format!("{}: {err}", log.display()))?;
        let clock_offset_millis = TEST_CLOCK_START_MILLIS - real_now_millis();
        let mut cmd = wrangler(root);
        cmd.args([
            "dev",
            "--local",
            "--ip",
            "127.0.0.1",
            "--port",
            &port.to_string(),
        ])
        .args([
            "--inspector-port",
            &free_port().to_string(),
            "--show-interactive-dev-session=false",
        ])
        .arg("--persist-to")
        .arg(persist)
        .arg("--var")
        .arg(format!("{TEST_CLOCK_VAR}:{clock_offset_millis}"))
        // wrangler writes its debug log here (a path ending in `.log` is the file itself);
        // it names the worker's own listener (see `worker_port`).
        .env("WRANGLER_LOG_PATH", &debug_log)
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().map_err(|err| err.to_string())?)
        .stderr(log_file)
        .process_group(0);
        let child = cmd
            .spawn()
            .map_err(|err| format!("cannot start wrangler dev: {err}"))?;
        spawn_watchdog(child.id());
        let mut server = DevServer {
            child,
            port,
            worker_port: port,
            clock_offset_millis,
            persist: persist.to_path_buf(),
            log,
        };
        server.wait_ready(Duration::from_secs(60))?;
        match server.find_worker_port(&debug_log, Duration::from_secs(10)) {
            Some(worker_port) => server.worker_port = worker_port,
            None => eprintln!(
                "xtask: the worker's own port is not in {}; requests go through wrangler's dev proxy",
                debug_log.display()
            ),
        }
        Ok(server)
    }

    /// Milliseconds since the Unix epoch on this server's (pinned) clock.
    pub fn now_millis(&self) -> i64 {
        real_now_millis() + self.clock_offset_millis
    }

    /// The process id of wrangler, which leads the server's process group (workerd is in it).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `http://127.0.0.1:PORT`: `wrangler dev` as a browser reaches it.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `http://127.0.0.1:PORT` of the worker itself, past wrangler's dev proxy (see
    /// [`DevServer::worker_port`]).
    pub fn worker_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.worker_port)
    }

    /// The worker's own port, from the last `userWorkerUrl` wrangler logged (at each reload),
    /// once it answers `/api/health` itself.
    fn find_worker_port(&self, debug_log: &Path, limit: Duration) -> Option<u16> {
        let start = Instant::now();
        while start.elapsed() < limit {
            let port = std::fs::read_to_string(debug_log)
                .ok()
                .and_then(|text| user_worker_port(&text));
            if let Some(port) = port
                && http_get(port, "/api/health")
                    .is_ok_and(|response| response.starts_with("HTTP/1.1 200"))
            {
                return Some(port);
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        None
    }

    fn wait_ready(&self, limit: Duration) -> Result<(), String> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if http_get(self.port, "/api/health")
                .is_ok_and(|response| response.starts_with("HTTP/1.1 200"))
            {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        Err(format!(
            "wrangler dev did not answer /api/health within {limit:?}; its log:\n{log}"
        ))
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        kill_group(self.child.id());
        let _ = self.child.wait();
    }
}

/// Sends SIGTERM to a process group through `sh`'s builtin `kill`. (Debian's
/// `/bin/kill` from procps misreads `kill -TERM -PGID` and signals every process.)
fn kill_group(pgid: u32) {
    let _ = Command::new("sh")
        .args(["-c", &format!("kill -TERM -{pgid}")])
        .stderr(Stdio::null())
        .status();
}

/// A tiny shell loop that stops the server's process group once this process is gone, so a
/// test binary that exits without dropping its server leaves nothing behind.
fn spawn_watchdog(pgid: u32) {
    let script = format!(
        "while kill -0 {parent} 2>/dev/null; do sleep 0.5; done; kill -TERM -{pgid} 2>/dev/null",
        parent = std::process::id()
    );
    let _ = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn();
}

/// The port of the last `"userWorkerUrl":{…,"port":"NNNN"}` in wrangler's debug log.
fn user_worker_port(log: &str) -> Option<u16> {
    let rest = &log[log.rfind("\"userWorkerUrl\":{")?..];
    let rest = &rest[..rest.find('}')?];
    let digits = rest.split("\"port\":\"").nth(1)?;
    digits.split('"').next()?.parse().ok()
}

/// A minimal HTTP/1.1 GET on loopback, for readiness checks (std only).
pub fn http_get(port: u16, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::user_worker_port;

    #[test]
    fn the_worker_port_is_read_from_the_last_reload() {
        let log = r#"[InspectorProxyWorker] handleProxyControllerIncomingMessage {"type":"reloadComplete","proxyData":{"userWorkerUrl":{"protocol":"http:","hostname":"127.0.0.1","port":"40279"},"userWorkerInspectorUrl":{"port":"1"}}}
{"type":"reloadComplete","proxyData":{"userWorkerUrl":{"protocol":"http:","hostname":"127.0.0.1","port":"41825"}}}"#;
        assert_eq!(user_worker_port(log), Some(41825));
        assert_eq!(user_worker_port("no reload yet"), None);
    }
}
