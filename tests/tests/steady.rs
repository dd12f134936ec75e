//! Steady under load and bad input (issue #11 item 6), against a real `wrangler dev` + D1:
//! 50 concurrent writers on one object or one draw, the sign-in lock-out under a parallel
//! guess storm, the public bundle served from its parts through the edge cache, the same
//! Idempotency-Key sent 50 times at once, an import row whose certificate belongs to someone
//! else, and HTTPS-only and HEAD on every route.
//!
//! The hostile spreadsheets (a claimed XFD1048576 sheet, 2·10⁹ shared strings, a zip bomb) go
//! through the browser's reader in `shared/tests/directory_file_limits.rs`, natively and in
//! wasm.

use serde_json::{Value, json};
use shared::api::PublicDraw;
use shared::authz::Role;
use shared::demo_accounts::DEMO_PASSWORD;
use shared::directory::files::read_table;
use shared::directory::validate_inspectors;
use shared::draw::verify_bundle;
use suicha_tests::{Client, Reply};

const WRITERS: usize = 50;

/// Runs `request(i)` for i in 0..n on n threads at once; the replies in order of i.
fn at_once(n: usize, request: impl Fn(usize) -> Reply + Sync) -> Vec<Reply> {
    let barrier = std::sync::Barrier::new(n);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let (barrier, request) = (&barrier, &request);
                scope.spawn(move || {
                    barrier.wait();
                    request(i)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

/// Where `needle` first occurs in `raw` at or after `from`.
fn find(raw: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    raw.get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|at| at + from)
}

/// The header lines of the HTTP answer whose header block is `head` (status line first).
fn header_lines(head: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(head)
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect()
}

/// Where the HTTP answer that starts at `from` ends (its header block, then a body of its
/// `content-length`), once all of it is in `raw`.
fn answer_end(raw: &[u8], from: usize) -> Option<usize> {
    let body_start = find(raw, b"\r\n\r\n", from)? + 4;
    let length = header_lines(&raw[from..body_start])
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.parse::<usize>().ok())
        .unwrap_or(0);
    (raw.len() >= body_start + length).then_some(body_start + length)
}

/// A HEAD request over a raw connection, followed on the same connection by `GET
/// /api/health`: the HEAD answer's status and headers, and as its body the bytes between its
/// header block and the next answer's status line (none, for a correct HEAD answer). The
/// second request makes the check exact without waiting for the server to close the
/// connection (`wrangler dev` keeps it open for its keep-alive timeout, `Connection: close`
/// or not): a HEAD answer that carried a body would put it before the second status line.
fn head_request(client: &Client, path: &str) -> Reply {
    use std::io::{Read, Write};
    let url = suicha_tests::server().worker_url();
    let port = url.rsplit(':').next().unwrap();
    let mut stream = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let mut request = format!("HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
    for (name, value) in client.cookie_header() {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!(
        "\r\nGET /api/health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    ));
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    let (head_end, next) = loop {
        let head_end = find(&raw, b"\r\n\r\n", 0).map(|end| end + 4);
        let next = head_end.and_then(|end| find(&raw, b"HTTP/1.1 ", end));
        if let (Some(head_end), Some(next)) = (head_end, next)
            && answer_end(&raw, next).is_some()
        {
            break (head_end, next);
        }
        match stream.read(&mut chunk) {
            Ok(n) if n > 0 => raw.extend_from_slice(&chunk[..n]),
            outcome => panic!(
                "HEAD {path}: {outcome:?} after {}",
                String::from_utf8_lossy(&raw)
            ),
        }
    };
    let status = String::from_utf8_lossy(&raw[..head_end])
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        headers: header_lines(&raw[..head_end]),
        body: String::from_utf8_lossy(&raw[head_end..next]).into_owned(),
    }
}

/// The statuses in order, then the body of every answer that is not 2xx, 401, 409 or 429 (for
/// a failure message).
fn statuses(replies: &[Reply]) -> String {
    let codes: Vec<u16> = replies.iter().map(|reply| reply.status).collect();
    let odd: std::collections::BTreeSet<String> = replies
        .iter()
        .filter(|reply| !(reply.status < 300 || [401, 409, 429].contains(&reply.status)))
        .map(|reply| format!("{} {}", reply.status, reply.body))
        .collect();
    format!("{codes:?} {odd:?}")
}

/// No answer is a server error: under load the worker queues or refuses cleanly.
fn assert_no_server_errors(replies: &[Reply]) {
    assert!(
        replies.iter().all(|reply| reply.status < 500),
        "{}",
        statuses(replies)
    );
}

fn count(replies: &[Reply], status: u16) -> usize {
    replies
        .iter()
        .filter(|reply| reply.status == status)
        .count()
}

/// Every audit entry of `action` on `target`. (The list's `action` filter is a prefix without
/// `_`, so the exact action is compared here.)
fn audit_entries(action: &str, target: &str) -> Vec<Value> {
    let exact = action;
    let action = action.split('_').next().unwrap_or(action);
    let auditor = Client::demo(Role::Auditor);
    let mut found = Vec::new();
    let mut before: Option<u64> = None;
    loop {
        let path = match before {
            Some(seq) => format!("/api/audit?action={action}&before={seq}"),
            None => format!("/api/audit?action={action}"),
        };
        let page = auditor.get(&path);
        assert_eq!(page.status, 200, "{}", page.body);
        let page = page.json();
        found.extend(
            page["entries"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|entry| entry["target"] == target && entry["action"] == exact)
                .cloned(),
        );
        match page["next_before"].as_u64() {
            Some(seq) => before = Some(seq),
            None => return found,
        }
    }
}

fn chain_verifies() {
    let verification = Client::demo(Role::Auditor).get("/api/audit/verify").json();
    assert_eq!(verification["broken"], Value::Null, "{verification}");
}

fn new_account(username: &str) -> i64 {
    let admin = Client::demo(Role::Admin);
    let reply = admin.post(
        "/api/accounts",
        &json!({"username": username, "display_name": "稳态测试", "role": "inspector", "section": null, "password": DEMO_PASSWORD}),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.json()["id"].as_i64().unwrap()
}

fn with_key(client: &Client, key: &str) -> Client {
    let mut client = client.clone();
    client
        .extra_headers
        .push(("idempotency-key".to_owned(), key.to_owned()));
    client
}

/// A sealed task of the EIA section over the demo county (the same spec as tests/draws.rs).
fn sealed_task(planner: &Client, name: &str, quarter: u8) -> i64 {
    let spec = json!({
        "period": {"year": 2026, "quarter": quarter},
        "sections": [{
            "section": "eia_permit",
            "filters": [],
            "strata": [
                {"name": "general", "categories": ["general"], "size": {"ratio_bp": 100}},
                {"name": "key", "categories": ["key"], "size": {"ratio_bp": 2500}},
                {"name": "special", "categories": ["special"], "size": {"count": 5}}
            ],
            "items": [3, 9, 10],
            "annual_guarantee": true
        }],
        "risk_weights": {"base": 100, "per_violation": 50, "max_counted_violations": 4, "per_complaint": 20,
            "max_counted_complaints": 5, "credit": {"a": -50, "b": 0, "c": 50, "d": 100, "unrated": 0},
            "unstable_permit_compliance": 50, "high_public_concern": 30,
            "category": {"general": 0, "key": 50, "special": 100}},
        "yearly_cap": 4,
        "team_rules": {"team_size": 2, "max_team_size": 3, "exclude_same_region": false, "rotate_lead": true,
            "max_assignments_per_draw": 40}
    });
    let created = planner.post(
        "/api/tasks",
        &json!({"name": name, "owner_section": "eia_permit", "spec": spec, "exclusions": []}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let sealed = planner.post(&format!("/api/tasks/{id}/seal"), &json!({}));
    assert_eq!(sealed.status, 200, "{}", sealed.body);
    id
}

fn committed_draw(planner: &Client, name: &str, quarter: u8) -> i64 {
    let task = sealed_task(planner, name, quarter);
    let reply = with_key(planner, &format!("steady-commit-{task}")).post(
        &format!("/api/tasks/{task}/commit"),
        &json!({"witness": null}),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.json()["draw"]["id"].as_i64().unwrap()
}

#[test]
fn fifty_concurrent_tag_edits_of_one_object_all_succeed_and_all_are_chained() {
    let planner = Client::demo(Role::Planner);
    let objects = planner.get("/api/objects?limit=1&category=key").json();
    let id = objects["objects"][0]["id"].as_i64().unwrap();
    let replies = at_once(WRITERS, |i| {
        planner.put(
            &format!("/api/objects/{id}/tags"),
            &json!({"tags": [format!("并发标签{i:02}")]}),
        )
    });
    assert_no_server_errors(&replies);
    assert_eq!(count(&replies, 200), WRITERS, "{}", statuses(&replies));
    let entries = audit_entries("object.tags", &format!("object:{id}"));
    assert_eq!(entries.len(), WRITERS, "every change is in the chain once");
    chain_verifies();
    // The object ends with the tags of one of the writers.
    let tags = planner.get(&format!("/api/objects/{id}")).json()["tags"].clone();
    assert_eq!(tags.as_array().map(Vec::len), Some(1), "{tags}");
}

#[test]
fn fifty_concurrent_voids_of_one_draw_void_it_once_and_the_rest_are_clean_conflicts() {
    let planner = Client::demo(Role::Planner);
    let draw = committed_draw(&planner, "并发作废", 1);
    let replies = at_once(WRITERS, |_| {
        planner.post(
            &format!("/api/draws/{draw}/void"),
            &json!({"reason": "并发作废测试：同一抽取同时作废五十次"}),
        )
    });
    assert_no_server_errors(&replies);
    assert_eq!(count(&replies, 200), 1, "{}", statuses(&replies));
    assert_eq!(count(&replies, 409), WRITERS - 1, "{}", statuses(&replies));
    for reply in replies.iter().filter(|reply| reply.status == 409) {
        assert_eq!(reply.json()["error"], "already_voided", "{}", reply.body);
    }
    assert_eq!(audit_entries("draw.void", &format!("draw:{draw}")).len(), 1);
    chain_verifies();
}

#[test]
fn the_same_idempotency_key_fifty_times_at_once_replays_one_draw() {
    let planner = Client::demo(Role::Planner);
    let task = sealed_task(&planner, "同键并发提交", 4);
    let client = with_key(&planner, "steady-same-key-0001");
    let replies = at_once(WRITERS, |_| {
        client.post(
            &format!("/api/tasks/{task}/commit"),
            &json!({"witness": "12345"}),
        )
    });
    assert_no_server_errors(&replies);
    assert_eq!(count(&replies, 201), WRITERS, "{}", statuses(&replies));
    let ids: std::collections::BTreeSet<i64> = replies
        .iter()
        .map(|reply| reply.json()["draw"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 1, "one draw: {ids:?}");
    let replayed = replies
        .iter()
        .filter(|reply| reply.header("idempotent-replay") == Some("true"))
        .count();
    assert_eq!(replayed, WRITERS - 1, "all but the first are replays");
    let detail = planner.get(&format!("/api/tasks/{task}")).json();
    assert_eq!(detail["draws"].as_array().unwrap().len(), 1);
    assert_eq!(
        audit_entries("draw.commit", &format!("task:{task}")).len(),
        1
    );
}

/// Guesses sent at once in the lock-out race.
const GUESSES: usize = 50;

/// Fifty guesses at once: exactly five are checked (four wrong answers, the fifth locks),
/// the other 45 are refused unchecked, and then even the right password is refused.
fn guess_storm(username: &str) -> Vec<Reply> {
    at_once(GUESSES, |i| {
        Client::anonymous().post(
            "/api/session",
            &json!({"username": username, "password": format!("wrong-guess-{i}")}),
        )
    })
}

#[test]
fn fifty_parallel_wrong_passwords_get_five_checks_and_lock_the_account() {
    let id = new_account("storm.target");
    let replies = guess_storm("storm.target");
    assert_no_server_errors(&replies);
    assert_eq!(count(&replies, 401), 4, "{}", statuses(&replies));
    assert_eq!(count(&replies, 429), GUESSES - 4, "{}", statuses(&replies));
    assert_eq!(
        audit_entries("session.sign_in_failed", &format!("account:{id}")).len(),
        5,
        "exactly five passwords were checked"
    );
    let right = Client::anonymous().post(
        "/api/session",
        &json!({"username": "storm.target", "password": DEMO_PASSWORD}),
    );
    assert_eq!(right.status, 429, "{}", right.body);
    assert_eq!(right.json()["error"], "too_many_attempts");
    assert!(right.header("retry-after").is_some());

    // A name that is no account answers the storm the same way.
    let unknown = guess_storm("storm.nobody");
    assert_no_server_errors(&unknown);
    assert_eq!(count(&unknown, 401), 4, "{}", statuses(&unknown));
    assert_eq!(count(&unknown, 429), GUESSES - 4, "{}", statuses(&unknown));
    let body = |replies: &[Reply], status| {
        replies
            .iter()
            .find(|reply| reply.status == status)
            .unwrap()
            .json()
    };
    assert_eq!(body(&replies, 401), body(&unknown, 401));
    assert_eq!(body(&replies, 429), body(&unknown, 429));
    chain_verifies();
}

#[test]
fn wrong_current_passwords_on_a_password_change_are_throttled_too() {
    new_account("storm.changer");
    let session = Client::sign_in("storm.changer", DEMO_PASSWORD);
    let attempt = || {
        session.post(
            "/api/session/password",
            &json!({"current_password": "not-the-password", "new_password": "全新的密码abc123"}),
        )
    };
    for _ in 0..4 {
        assert_eq!(attempt().json()["error"], "wrong_current_password");
    }
    let fifth = attempt();
    assert_eq!(fifth.status, 429, "{}", fifth.body);
    // Locked: the right current password is refused too, and so is a sign-in.
    let right = session.post(
        "/api/session/password",
        &json!({"current_password": DEMO_PASSWORD, "new_password": "全新的密码abc123"}),
    );
    assert_eq!(right.status, 429, "{}", right.body);
    let sign_in = Client::anonymous().post(
        "/api/session",
        &json!({"username": "storm.changer", "password": DEMO_PASSWORD}),
    );
    assert_eq!(sign_in.status, 429, "{}", sign_in.body);
}

#[test]
fn the_public_bundle_is_streamed_from_its_parts_and_cached_by_generation() {
    let planner = Client::demo(Role::Planner);
    let draw = committed_draw(&planner, "公开包流式", 2);
    let path = format!("/api/public/draws/{draw}");
    let first = suicha_tests::get(&path);
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(
        first.body.len() > 512 * 1024,
        "the demo bundle spans parts: {} bytes",
        first.body.len()
    );
    assert_eq!(first.header("content-type"), Some("application/json"));
    assert!(first.header("cache-control").unwrap().starts_with("public"));
    let etag = first.header("etag").unwrap().to_owned();
    let parsed: PublicDraw = serde_json::from_str(&first.body).unwrap();
    assert_eq!(parsed.draw.id, draw);
    verify_bundle(&parsed.bundle).expect("the streamed bundle verifies");

    let again = suicha_tests::get(&path);
    assert_eq!(again.header("x-cache"), Some("hit"));
    assert_eq!(again.body, first.body);
    let not_modified = suicha_tests::get_with(&path, &[("if-none-match", &etag)]);
    assert_eq!(not_modified.status, 304);
    assert!(not_modified.body.is_empty());

    let concurrent = at_once(WRITERS, |_| suicha_tests::get(&path));
    assert_no_server_errors(&concurrent);
    assert_eq!(count(&concurrent, 200), WRITERS);
    assert!(concurrent.iter().all(|reply| reply.body == first.body));

    let head = head_request(&Client::anonymous(), &path);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("etag"), Some(etag.as_str()));

    // A void is a new generation: a new ETag and the void in the body.
    let voided = planner.post(
        &format!("/api/draws/{draw}/void"),
        &json!({"reason": "流式公开包测试后作废"}),
    );
    assert_eq!(voided.status, 200, "{}", voided.body);
    let after = suicha_tests::get_with(&path, &[("if-none-match", &etag)]);
    assert_eq!(after.status, 200);
    assert_ne!(after.header("etag"), Some(etag.as_str()));
    let after: PublicDraw = serde_json::from_str(&after.body).unwrap();
    assert!(after.draw.void.is_some());
    assert_eq!(after.bundle, parsed.bundle);

    assert_eq!(suicha_tests::get("/api/public/draws/999999").status, 404);
}

#[test]
fn an_import_row_whose_certificate_belongs_to_another_inspector_is_found_by_the_preview() {
    let planner = Client::demo(Role::Planner);
    let inspectors = planner.get("/api/inspectors?limit=500").json();
    let holder = inspectors["inspectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|inspector| inspector["record"]["certificate"].is_string())
        .expect("a demo inspector with a certificate")
        .clone();
    let certificate = holder["record"]["certificate"].as_str().unwrap();
    let csv = format!(
        "姓名,工号,执法证号,负责区域,从业年限,专业特长,科室,岗位,联系电话,是否在岗\n\
         赵新,STEADY01,STEADYCERT1,三合街道,3,水,县执法支队,执法队员,13800009901,是\n\
         钱新,STEADY02,{certificate},名山街道,2,大气,县执法支队,执法队员,13800009902,是\n"
    );
    let table = read_table("inspectors.csv", csv.as_bytes()).unwrap();
    let import = validate_inspectors(&table, None);
    assert!(import.is_clean(), "{:?}", import.issues);
    let rows: Vec<Value> = import
        .rows
        .iter()
        .map(|row| serde_json::to_value(row).unwrap())
        .collect();
    let created = planner.post(
        "/api/imports",
        &json!({"directory": "inspectors", "file_name": "inspectors.csv", "file_sha256": "d".repeat(64), "row_count": rows.len()}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let staged = planner.post(
        &format!("/api/imports/{id}/rows"),
        &json!({"first_seq": 1, "rows": rows}),
    );
    assert!(staged.status < 300, "{}", staged.body);
    for reply in [
        planner.get(&format!("/api/imports/{id}/preview")),
        planner.post(&format!("/api/imports/{id}/commit"), &json!({})),
    ] {
        assert_eq!(reply.status, 400, "{}", reply.body);
        let body = reply.json();
        let issue = &body["issues"][0];
        assert_eq!(issue["code"], "duplicate_certificate", "{body}");
        assert_eq!(issue["row"], 3, "the file's row: {body}");
        assert!(
            issue["message_zh"]
                .as_str()
                .unwrap()
                .contains(holder["record"]["employee_no"].as_str().unwrap()),
            "{body}"
        );
        assert!(
            body["message"].as_str().unwrap().contains("第 3 行"),
            "{body}"
        );
    }
}

#[test]
fn every_response_is_https_only_and_every_get_route_answers_head() {
    let hsts = "max-age=63072000; includeSubDomains";
    for path in [
        "/api/health",
        "/api/no-such-thing",
        "/public",
        "/",
        "/portal.css",
    ] {
        let reply = suicha_tests::get_with(path, &[("sec-fetch-mode", "navigate")]);
        assert_eq!(
            reply.header("strict-transport-security"),
            Some(hsts),
            "{path}"
        );
    }
    // Static assets (served by wrangler's asset handler, not the worker) answer HEAD too.
    for path in ["/", "/portal.css"] {
        let get = suicha_tests::get(path);
        let head = head_request(&Client::anonymous(), path);
        assert_eq!(head.status, 200, "HEAD {path}");
        assert!(
            head.body.is_empty(),
            "HEAD {path} has no body: {}",
            head.body
        );
        assert_eq!(
            head.header("content-type"),
            get.header("content-type"),
            "HEAD {path}"
        );
        assert_eq!(
            head.header("strict-transport-security"),
            Some(hsts),
            "HEAD {path}"
        );
    }
    let routes = suicha_tests::get("/api/meta/routes").json();
    let planner = Client::demo(Role::Planner);
    let mut checked = 0;
    for route in routes.as_array().unwrap() {
        if route["method"] != "GET" {
            continue;
        }
        let path = route["path"]
            .as_str()
            .unwrap()
            .split('/')
            .map(|segment| match segment {
                ":year" => "2026",
                ":quarter" | ":version" => "1",
                s if s.starts_with(':') => "1",
                s => s,
            })
            .collect::<Vec<_>>()
            .join("/");
        let get = planner.get(&path);
        let head = head_request(&planner, &path);
        assert_eq!(head.status, get.status, "HEAD {path}");
        assert!(
            head.body.is_empty(),
            "HEAD {path} has no body: {}",
            head.body
        );
        assert_eq!(
            head.header("strict-transport-security"),
            Some(hsts),
            "HEAD {path}"
        );
        checked += 1;
    }
    assert!(checked >= 30, "{checked} GET routes");
}
