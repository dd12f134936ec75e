//! The public portal benchmark of issue 7: latency of the worker-rendered results page under
//! concurrent load, against a static asset served by the same `wrangler dev` side by side, and
//! the page's weight.
//!
//! A fresh database with the demo county gets 1 000 published results (written with SQL, the
//! way the API writes them: targeted inspections, records, publications). Then for each URL,
//! `CLIENTS` threads each send `REQUESTS` GETs over fresh connections, interleaved:
//! - `static`: `/portal.css`, served by wrangler's asset handler without the worker;
//! - `results_cached`: `/public/results?year=2026`, a cache hit after the first request (one
//!   D1 read of `public_generation`, then the edge cache);
//! - `results_uncached`: the same page with a distinct `page=` beyond the last page each time,
//!   so every request renders (three D1 queries) — what the first visitor after a publication
//!   pays;
//! - `front_page`: `/public`, cached.
//!
//! Prints p50/p95 per URL in ms, the ratios to the static asset, and the page weight in bytes.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use xtask::server::{DevServer, query_json};

const CLIENTS: usize = 8;
const REQUESTS: usize = 50;
const PUBLISHED: usize = 1_000;

/// `cargo xtask bench`'s entry point for the portal (called from xtask/src/main.rs).
pub(crate) fn run(root: &Path) -> Result<(), String> {
    let server = DevServer::start_fresh(root)?;
    seed(root, &server)?;
    let port = server.port;
    // Warm every path once (first render, cache fill, workerd's JIT).
    for path in ["/portal.css", "/public/results?year=2026", "/public"] {
        get(port, path)?;
    }
    let mut medians = Vec::new();
    for (name, path) in [
        ("static", "/portal.css"),
        ("results_cached", "/public/results?year=2026"),
        ("results_uncached", "/public/results?year=2026&page={n}"),
        ("front_page", "/public"),
    ] {
        let (p50, p95) = load(port, path)?;
        println!("portal_{name}_p50 {p50:.2} ms");
        println!("portal_{name}_p95 {p95:.2} ms");
        medians.push((name, p50));
    }
    let static_p50 = medians[0].1;
    for (name, p50) in &medians[1..] {
        println!("portal_{name}_over_static {:.2} x", p50 / static_p50);
    }
    let (_, page) = get(port, "/public/results?year=2026")?;
    let (_, css) = get(port, "/portal.css")?;
    println!("portal_results_page_weight {} bytes", page.len());
    println!("portal_stylesheet_weight {} bytes", css.len());
    println!(
        "portal_results_rows_per_page {} count",
        String::from_utf8_lossy(&page)
            .matches("data-testid=\"result-row\"")
            .count()
    );
    drop(server);
    Ok(())
}

/// 1 000 published results for 2026: targeted inspections of the first objects, their records
/// and publications, inserted as the API would (the triggers keep counts and the generation).
fn seed(root: &Path, server: &DevServer) -> Result<(), String> {
    let sql = format!(
        "INSERT INTO inspections (kind, object_id, year, quarter, trigger, trigger_detail, sections_json, items_json,
                                  created_at, created_by)
         SELECT 'targeted', id, 2026, 1 + id % 4, 'complaint', 'bench', '[\"eia_permit\"]', '[3, 9]',
                '2026-11-01T00:00:00.000Z', 1
           FROM objects ORDER BY id LIMIT {PUBLISHED};
         INSERT INTO inspection_records (inspection_id, inspected_on, team_present_json, findings_json, result,
                                         entry_deadline, recorded_at, recorded_by, updated_at)
         SELECT id, '2026-11-02', '[1, 2]', '[]', 'no_problem', '2026-11-11', '2026-11-03T00:00:00.000Z', 1,
                '2026-11-03T00:00:00.000Z'
           FROM inspections WHERE trigger_detail = 'bench';
         INSERT INTO publications (inspection_id, year, quarter, object_name, credit_code, category, task_name, kind,
                                   inspected_on, items_json, result, phrase, department, published_at, published_by)
         SELECT i.id, i.year, i.quarter, o.name, o.credit_code, o.category, '投诉举报（非随机检查）', 'targeted',
                '2026-11-02', '[\"建设项目环境影响评价制度执行情况\", \"排污许可证执行情况\"]', 'no_problem',
                '未发现问题', '环评与排污许可科', '2026-11-05T00:00:00.000Z', 1
           FROM inspections i JOIN objects o ON o.id = i.object_id WHERE i.trigger_detail = 'bench';"
    );
    query_json(root, Some(&server.persist), &sql)?;
    Ok(())
}

/// Runs `CLIENTS` × `REQUESTS` GETs of `path` (`{n}` replaced by a unique number) and returns
/// (p50, p95) in milliseconds.
fn load(port: u16, path: &str) -> Result<(f64, f64), String> {
    let path = Arc::new(path.to_owned());
    let threads: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let path = Arc::clone(&path);
            std::thread::spawn(move || -> Result<Vec<f64>, String> {
                let mut samples = Vec::with_capacity(REQUESTS);
                for request in 0..REQUESTS {
                    // Pages beyond the last one render an empty table: always a miss.
                    let n = 1_000 + client * REQUESTS + request;
                    let url = path.replace("{n}", &n.to_string());
                    let start = Instant::now();
                    let (head, _) = get(port, &url)?;
                    samples.push(start.elapsed().as_secs_f64() * 1000.0);
                    if !head.starts_with("HTTP/1.1 200") {
                        return Err(format!("{url}: {}", head.lines().next().unwrap_or("")));
                    }
                }
                Ok(samples)
            })
        })
        .collect();
    let mut all = Vec::new();
    for thread in threads {
        all.extend(thread.join().map_err(|_| "a client thread panicked")??);
    }
    all.sort_by(f64::total_cmp);
    let at = |q: f64| all[((all.len() as f64 - 1.0) * q).round() as usize];
    Ok((at(0.50), at(0.95)))
}

/// One GET over a fresh connection; returns the head and the (de-chunked) body. Reads exactly
/// the response, so a server that keeps the connection open costs nothing extra.
pub(crate) fn get(port: u16, path: &str) -> Result<(String, Vec<u8>), String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|err| err.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|err| err.to_string())?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|err| err.to_string())?;
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        if let Some(done) = complete(&buffer) {
            let head = String::from_utf8_lossy(&buffer[..done.0]).into_owned();
            return Ok((head, done.1));
        }
        let read = stream.read(&mut chunk).map_err(|err| err.to_string())?;
        if read == 0 {
            let text = String::from_utf8_lossy(&buffer).into_owned();
            return Err(format!(
                "{path}: connection closed mid-response: {text:.200}"
            ));
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
}

/// `Some((head length, body))` once `buffer` holds a whole response.
fn complete(buffer: &[u8]) -> Option<(usize, Vec<u8>)> {
    let split = buffer.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&buffer[..split]).to_ascii_lowercase();
    let body = &buffer[split + 4..];
    if head.contains("transfer-encoding: chunked") {
        let mut out = Vec::new();
        let mut rest = body;
        loop {
            let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
            let size = std::str::from_utf8(&rest[..line_end])
                .ok()
                .and_then(|text| usize::from_str_radix(text.trim(), 16).ok())?;
            if size == 0 {
                return Some((split, out));
            }
            let start = line_end + 2;
            if rest.len() < start + size + 2 {
                return None;
            }
            out.extend_from_slice(&rest[start..start + size]);
            rest = &rest[start + size + 2..];
        }
    }
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    (body.len() >= length).then(|| (split, body[..length].to_vec()))
}
