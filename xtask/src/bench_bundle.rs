//! The public bundle benchmark of issue 11 item 6: `GET /api/public/draws/:id` (≈ 0.7 MB for
//! the demo county) under 50 concurrent clients, beside a static asset served by the same
//! `wrangler dev`, with workerd's memory read from `/proc` while the load runs.
//!
//! A fresh database with the demo county gets one committed draw (signed in as the demo
//! planner, through the API as the browser does it). Then:
//! - `bundle_cold`: 50 clients at once on a draw no one has fetched (one fills the edge
//!   cache, the others wait for it);
//! - `bundle`: `CLIENTS` clients × `REQUESTS` GETs of the same bundle (cache hits);
//! - `static`: the same load on `/portal.css`, served by wrangler's asset handler.
//!
//! Prints p50/p95 per load in ms, workerd's resident memory before and at its peak during each
//! load (sampled every 10 ms from `/proc/PID/status`, `VmRSS`), and the body's size.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use xtask::server::DevServer;

use crate::bench_portal::get;

const CLIENTS: usize = 50;
const REQUESTS: usize = 6;

/// `cargo xtask bench bundle`'s entry point (called from xtask/src/main.rs).
pub(crate) fn run(root: &Path) -> Result<(), String> {
    let server = DevServer::start_fresh(root)?;
    let port = server.port;
    let workerd =
        workerd_pid(server.pid()).ok_or("no workerd process in the dev server's process group")?;
    let session = sign_in(port)?;
    let draw = commit_draw(port, &session)?;
    let path = format!("/api/public/draws/{draw}");
    get(port, "/portal.css")?;
    println!("bundle_rss_idle {:.1} MB", rss_mb(workerd));

    let (p50, p95, peak) = load(port, workerd, &path, 1)?;
    println!("bundle_cold_p50 {p50:.2} ms");
    println!("bundle_cold_p95 {p95:.2} ms");
    println!("bundle_cold_rss_peak {peak:.1} MB");

    let mut medians = Vec::new();
    for (name, path) in [("bundle", path.as_str()), ("static", "/portal.css")] {
        let before = rss_mb(workerd);
        let (p50, p95, peak) = load(port, workerd, path, REQUESTS)?;
        println!("bundle_{name}_p50 {p50:.2} ms");
        println!("bundle_{name}_p95 {p95:.2} ms");
        println!("bundle_{name}_rss_before {before:.1} MB");
        println!("bundle_{name}_rss_peak {peak:.1} MB");
        medians.push(p50);
    }
    println!(
        "bundle_over_static {:.2} x",
        medians[0] / medians[1].max(0.001)
    );
    let (_, body) = get(port, &path)?;
    println!("bundle_weight {} bytes", body.len());
    println!("bundle_clients {CLIENTS} count");
    drop(server);
    Ok(())
}

/// The workerd process among the descendants of wrangler (`wrangler_pid` leads the group).
fn workerd_pid(wrangler_pid: u32) -> Option<u32> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        for entry in std::fs::read_dir("/proc").ok()?.flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            // pid (comm) state ppid pgrp …
            let Some((comm, rest)) = stat.split_once(") ") else {
                continue;
            };
            let group = rest.split_whitespace().nth(2);
            if comm.ends_with("(workerd") && group == Some(&wrangler_pid.to_string()) {
                return Some(pid);
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

/// `VmRSS` of `pid`, in MB.
fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| {
            value
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// `CLIENTS` threads each GET `path` `requests` times, all starting together; returns
/// (p50, p95) in ms and workerd's peak RSS in MB while they ran.
fn load(port: u16, workerd: u32, path: &str, requests: usize) -> Result<(f64, f64, f64), String> {
    let done = Arc::new(AtomicBool::new(false));
    let peak_kb = Arc::new(AtomicU64::new(0));
    let sampler = {
        let (done, peak_kb) = (Arc::clone(&done), Arc::clone(&peak_kb));
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                peak_kb.fetch_max((rss_mb(workerd) * 1024.0) as u64, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    let barrier = Arc::new(std::sync::Barrier::new(CLIENTS));
    let path = Arc::new(path.to_owned());
    let threads: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (barrier, path) = (Arc::clone(&barrier), Arc::clone(&path));
            std::thread::spawn(move || -> Result<Vec<f64>, String> {
                barrier.wait();
                let mut samples = Vec::with_capacity(requests);
                for _ in 0..requests {
                    let start = Instant::now();
                    let (head, _) = get(port, &path)?;
                    samples.push(start.elapsed().as_secs_f64() * 1000.0);
                    if !head.starts_with("HTTP/1.1 200") {
                        return Err(format!("{path}: {}", head.lines().next().unwrap_or("")));
                    }
                }
                Ok(samples)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut failure = None;
    for thread in threads {
        match thread
            .join()
            .map_err(|_| "a client thread panicked".to_owned())
        {
            Ok(Ok(samples)) => all.extend(samples),
            Ok(Err(err)) | Err(err) => failure = Some(err),
        }
    }
    done.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    if let Some(err) = failure {
        return Err(err);
    }
    all.sort_by(f64::total_cmp);
    let at = |q: f64| all[((all.len() as f64 - 1.0) * q).round() as usize];
    Ok((
        at(0.50),
        at(0.95),
        peak_kb.load(Ordering::Relaxed) as f64 / 1024.0,
    ))
}

/// A signed-in session: the cookie pair and the CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

/// One request over a fresh connection; returns the head and the body as text.
fn send(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<(String, String), String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|err| err.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .map_err(|err| err.to_string())?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream
        .write_all(request.as_bytes())
        .map_err(|err| err.to_string())?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|err| err.to_string())?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    Ok((head.to_owned(), body.to_owned()))
}

/// The text of the first `"name":"…"` string value in `json`.
fn string_field(json: &str, name: &str) -> Option<String> {
    let start = json.find(&format!("\"{name}\":\""))? + name.len() + 4;
    Some(json[start..start + json[start..].find('"')?].to_owned())
}

/// The first `"name":N` number value in `json`.
fn number_field(json: &str, name: &str) -> Option<i64> {
    let start = json.find(&format!("\"{name}\":"))? + name.len() + 3;
    json[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()
}

fn sign_in(port: u16) -> Result<Session, String> {
    let (head, body) = send(
        port,
        "POST",
        "/api/session",
        &[],
        r#"{"username":"planner","password":"Suicha@2026demo"}"#,
    )?;
    let cookie = head
        .lines()
        .find_map(|line| {
            let lower = line.to_ascii_lowercase();
            lower
                .starts_with("set-cookie:")
                .then(|| line["set-cookie:".len()..].trim().to_owned())
        })
        .and_then(|value| value.split(';').next().map(str::to_owned))
        .ok_or_else(|| format!("sign-in as the demo planner failed: {head}\n{body:.300}"))?;
    let csrf = string_field(&body, "csrf_token").ok_or("no csrf_token")?;
    Ok(Session { cookie, csrf })
}

/// Creates, seals and commits a draw of the demo county; returns the draw's id.
fn commit_draw(port: u16, session: &Session) -> Result<i64, String> {
    let headers = [
        ("cookie", session.cookie.as_str()),
        ("x-csrf-token", session.csrf.as_str()),
    ];
    let spec = r#"{"period":{"year":2026,"quarter":1},"sections":[{"section":"eia_permit","filters":[],
        "strata":[{"name":"general","categories":["general"],"size":{"ratio_bp":100}},
                  {"name":"key","categories":["key"],"size":{"ratio_bp":2500}},
                  {"name":"special","categories":["special"],"size":{"count":5}}],
        "items":[3,9,10],"annual_guarantee":true}],
        "risk_weights":{"base":100,"per_violation":50,"max_counted_violations":4,"per_complaint":20,
          "max_counted_complaints":5,"credit":{"a":-50,"b":0,"c":50,"d":100,"unrated":0},
          "unstable_permit_compliance":50,"high_public_concern":30,
          "category":{"general":0,"key":50,"special":100}},
        "yearly_cap":4,
        "team_rules":{"team_size":2,"max_team_size":3,"exclude_same_region":false,"rotate_lead":true,
          "max_assignments_per_draw":40}}"#;
    let (head, body) = send(
        port,
        "POST",
        "/api/tasks",
        &headers,
        &format!(
            r#"{{"name":"公开包基准","owner_section":"eia_permit","spec":{spec},"exclusions":[]}}"#
        ),
    )?;
    let task = number_field(&body, "id")
        .ok_or_else(|| format!("creating the task failed: {head}\n{body:.300}"))?;
    let (head, body) = send(
        port,
        "POST",
        &format!("/api/tasks/{task}/seal"),
        &headers,
        "{}",
    )?;
    if !head.starts_with("HTTP/1.1 200") {
        return Err(format!("sealing failed: {head}\n{body:.300}"));
    }
    let mut with_key = headers.to_vec();
    with_key.push(("idempotency-key", "bench-bundle-commit"));
    let (head, body) = send(
        port,
        "POST",
        &format!("/api/tasks/{task}/commit"),
        &with_key,
        r#"{"witness":null}"#,
    )?;
    if !head.starts_with("HTTP/1.1 201") {
        return Err(format!("committing failed: {head}\n{body:.300}"));
    }
    // The body is the draw: {"draw":{"id":N,…
    number_field(&body, "id").ok_or_else(|| "no draw id".to_owned())
}
