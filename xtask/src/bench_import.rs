//! The import benchmark of issue 5: 100 000 objects imported through the real API into a fresh
//! local D1 (`wrangler dev`: workerd + SQLite), the way the import page does it — create the
//! import, upload the validated rows in chunks of 1 000, preview the diff, commit in one batch —
//! and, as the floor, the same rows loaded by a bare `sqlite3` into the same schema.
//!
//! Prints `import_100k_api_seconds X s` (create → commit; the browser's file parsing and
//! validation are not included: see docs/directories.md#figures) and
//! `import_100k_sqlite3_seconds Y s`, plus the parts of the API time.
//!
//! Std only, like the rest of xtask: a minimal HTTP/1.1 client over `TcpStream`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use xtask::server::DevServer;

const ROWS: usize = 100_000;
/// The demo planner (`suicha demo-accounts`); only ever exists in local demo databases.
const PLANNER: (&str, &str) = ("planner", "Suicha@2026demo");

/// `cargo xtask bench`'s entry point (called from xtask/src/main.rs).
pub(crate) fn run(root: &Path) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("suicha-bench-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    xtask::run::run(
        Command::new("cargo")
            .args([
                "run",
                "--quiet",
                "--release",
                "-p",
                "suicha",
                "--",
                "bench-import-data",
            ])
            .arg(ROWS.to_string())
            .arg(&dir)
            .current_dir(root),
    )?;
    let result = api(root, &dir).and_then(|()| floor(root, &dir));
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn chunk_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut chunks: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|err| format!("{}: {err}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("chunk-"))
        })
        .collect();
    chunks.sort();
    Ok(chunks)
}

fn api(root: &Path, dir: &Path) -> Result<(), String> {
    let server = DevServer::start_fresh(root)?;
    let mut client = Client {
        port: server.port,
        cookie: String::new(),
        csrf: String::new(),
    };
    let signed_in = client.request(
        "POST",
        "/api/session",
        &format!(
            r#"{{"username":"{}","password":"{}"}}"#,
            PLANNER.0, PLANNER.1
        ),
    )?;
    client.csrf = json_string(&signed_in.body, "csrf_token")
        .ok_or_else(|| format!("sign-in: {}", signed_in.body))?;
    let chunks = chunk_files(dir)?;

    let started = Instant::now();
    let created = client.request(
        "POST",
        "/api/imports",
        &format!(
            r#"{{"directory":"objects","file_name":"bench.xlsx","file_sha256":"{}","row_count":{ROWS}}}"#,
            "0".repeat(64)
        ),
    )?;
    let id = json_number(&created.body, "id").ok_or_else(|| format!("create: {}", created.body))?;
    for chunk in &chunks {
        let body =
            std::fs::read_to_string(chunk).map_err(|err| format!("{}: {err}", chunk.display()))?;
        let reply = client.request("POST", &format!("/api/imports/{id}/rows"), &body)?;
        if reply.status != 200 {
            return Err(format!(
                "{}: {} {}",
                chunk.display(),
                reply.status,
                reply.body
            ));
        }
    }
    let uploaded = started.elapsed();
    let preview = client.request("GET", &format!("/api/imports/{id}/preview"), "")?;
    if json_number(&preview.body, "new") != Some(ROWS as i64) {
        return Err(format!("preview: {}", preview.body));
    }
    let previewed = started.elapsed();
    let commit = client.request("POST", &format!("/api/imports/{id}/commit"), "{}")?;
    if commit.status != 200 {
        return Err(format!("commit: {} {}", commit.status, commit.body));
    }
    let committed = started.elapsed();
    let total = client.request("GET", "/api/objects?limit=1", "")?;
    drop(server);
    println!(
        "import_100k_api_upload_seconds {:.1} s",
        uploaded.as_secs_f64()
    );
    println!(
        "import_100k_api_preview_seconds {:.1} s",
        (previewed - uploaded).as_secs_f64()
    );
    println!(
        "import_100k_api_commit_seconds {:.1} s",
        (committed - previewed).as_secs_f64()
    );
    println!("import_100k_api_seconds {:.1} s", committed.as_secs_f64());
    if json_number(&total.body, "total").unwrap_or(0) < ROWS as i64 {
        return Err(format!("after the commit: {}", total.body));
    }
    Ok(())
}

/// The same rows into the same schema with a bare `sqlite3`, in one transaction.
fn floor(root: &Path, dir: &Path) -> Result<(), String> {
    if Command::new("sqlite3").arg("-version").output().is_err() {
        xtask::run::run(Command::new("apt-get").arg("update"))?;
        xtask::run::run(Command::new("apt-get").args([
            "install",
            "-y",
            "--no-install-recommends",
            "sqlite3",
        ]))?;
    }
    let db = dir.join("floor.sqlite");
    let schema = root.join("migrations/0010_create_directories.sql");
    let sqlite = |input: &Path| -> Result<(), String> {
        let file =
            std::fs::File::open(input).map_err(|err| format!("{}: {err}", input.display()))?;
        let output = Command::new("sqlite3")
            .arg(&db)
            .stdin(file)
            .output()
            .map_err(|err| format!("sqlite3: {err}"))?;
        if !output.status.success() || !output.stderr.is_empty() {
            return Err(format!(
                "sqlite3 {}: {}",
                input.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok(())
    };
    sqlite(&schema)?;
    let started = Instant::now();
    sqlite(&dir.join("objects.sql"))?;
    println!(
        "import_100k_sqlite3_seconds {:.2} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

struct Reply {
    status: u16,
    body: String,
}

struct Client {
    port: u16,
    cookie: String,
    csrf: String,
}

impl Client {
    fn request(&mut self, method: &str, path: &str, body: &str) -> Result<Reply, String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))
            .map_err(|err| format!("{method} {path}: {err}"))?;
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.port,
            body.len()
        );
        if !body.is_empty() {
            head.push_str("Content-Type: application/json\r\n");
        }
        if !self.cookie.is_empty() {
            head.push_str(&format!("Cookie: {}\r\n", self.cookie));
        }
        if !self.csrf.is_empty() {
            head.push_str(&format!("x-csrf-token: {}\r\n", self.csrf));
        }
        head.push_str("\r\n");
        stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(body.as_bytes()))
            .map_err(|err| format!("{method} {path}: {err}"))?;
        // Read until the answer is complete (by its length or its last chunk): workerd may
        // keep the connection open despite `Connection: close`.
        let mut raw = Vec::new();
        let mut buffer = [0u8; 64 * 1024];
        loop {
            let read = stream
                .read(&mut buffer)
                .map_err(|err| format!("{method} {path}: {err}"))?;
            if read == 0 {
                break;
            }
            raw.extend_from_slice(&buffer[..read]);
            if complete(&raw) {
                break;
            }
        }
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text
            .split_once("\r\n\r\n")
            .ok_or_else(|| format!("{method} {path}: no HTTP answer"))?;
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        for line in head.lines() {
            if let Some(value) = line
                .strip_prefix("set-cookie: ")
                .or_else(|| line.strip_prefix("Set-Cookie: "))
            {
                self.cookie = value.split(';').next().unwrap_or_default().to_owned();
            }
        }
        let chunked = head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked");
        let body = if chunked {
            dechunk(body)
        } else {
            body.to_owned()
        };
        Ok(Reply { status, body })
    }
}

/// Whether `raw` holds a whole HTTP answer (by `Content-Length`, or a chunked body's end).
fn complete(raw: &[u8]) -> bool {
    let Some(head_end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
    let body = raw.len() - head_end - 4;
    if let Some(length) = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse::<usize>().ok())
    {
        return body >= length;
    }
    if head.contains("transfer-encoding: chunked") {
        return raw.ends_with(b"0\r\n\r\n");
    }
    false
}

/// Decodes a `Transfer-Encoding: chunked` body.
fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

/// The first `"key":"value"` string in a JSON text (enough for the answers read here).
fn json_string(body: &str, key: &str) -> Option<String> {
    let start = body.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let end = body[start..].find('"')?;
    Some(body[start..start + end].to_owned())
}

/// The first `"key":number` in a JSON text.
fn json_number(body: &str, key: &str) -> Option<i64> {
    let start = body.find(&format!("\"{key}\":"))? + key.len() + 3;
    let digits: String = body[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    digits.parse().ok()
}
