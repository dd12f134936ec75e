//! Statistics against a real `wrangler dev` + D1 with the demo county: a committed draw, a
//! targeted inspection, records (one confidential, two entered late), some published, and the
//! exact figures of the year, of each quarter, per inspector and per object. Who may read them.
//!
//! One test makes all the data and checks every figure, so nothing else in this binary can
//! change the bureau-wide counts under it; the authorization test creates nothing.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use shared::authz::Role;
use suicha_tests::{Client, china_today, fixtures};

const YEAR: i32 = 2026;

/// A fourth-quarter draw of exactly three general, two key and one special object, teams of
/// two, checklist items 3, 9 and 10.
fn spec() -> Value {
    fixtures::eia_q4_exact().json()
}

fn ok(reply: suicha_tests::Reply, status: u16) -> Value {
    assert_eq!(reply.status, status, "{}", reply.body);
    reply.json()
}

/// A complete record: every item compliant unless a problem was found.
fn record(inspection: &Value, inspected_on: &str, result: &str, confidential: bool) -> Value {
    let mut record = fixtures::Record::of(inspection, inspected_on, result).order_number(
        if result == "no_problem" {
            ""
        } else {
            "县环责改〔2026〕第201号"
        },
    );
    if result != "no_problem" {
        record = record.problem("废气收集设施未正常运行");
    }
    if confidential {
        record = record.confidential("涉及国家秘密");
    }
    record.json()
}

fn rate(part: u64, whole: u64, basis_points: Option<u32>) -> Value {
    json!({"part": part, "whole": whole, "basis_points": basis_points})
}

fn statistics(client: &Client, query: &str) -> Value {
    ok(
        client.get(&format!("/api/statistics?year={YEAR}{query}")),
        200,
    )
}

fn count_of(list: &Value, key: &str, value: &str) -> u64 {
    list.as_array()
        .unwrap()
        .iter()
        .find(|entry| entry[key] == value)
        .map_or(0, |entry| entry["count"].as_u64().unwrap())
}

#[test]
fn the_figures_follow_the_records_and_publications() {
    let planner = Client::demo(Role::Planner);
    let auditor = Client::demo(Role::Auditor);
    let today = china_today();
    assert_eq!(today.year(), YEAR, "these dates assume the year {YEAR}");
    let today = today.to_string();

    // Before: nothing inspected; the denominators come from the directory and the checklist.
    let before = statistics(&auditor, "");
    assert_eq!(before["inspections"], json!({"random": 0, "targeted": 0}));
    assert_eq!(before["disclosure"], rate(0, 0, None));
    let checklist_items = ok(planner.get("/api/checklist"), 200)["items"]
        .as_array()
        .unwrap()
        .len() as u64;
    assert_eq!(
        before["checklist_coverage"],
        rate(0, checklist_items, Some(0))
    );
    let active = |category: &str| {
        ok(
            planner.get(&format!(
                "/api/objects?category={category}&status=active&limit=1"
            )),
            200,
        )["total"]
            .as_u64()
            .unwrap()
    };
    let key_special = active("key") + active("special");
    assert!(
        key_special > 10,
        "the demo county has key and special objects"
    );
    assert_eq!(before["key_special_coverage"]["whole"], key_special);

    // A committed draw: six inspections.
    let task = ok(
        planner.post(
            "/api/tasks",
            &json!({"name": "统计测试：2026年第四季度环评抽查", "owner_section": "eia_permit", "spec": spec(), "exclusions": []}),
        ),
        201,
    )["id"]
        .as_i64()
        .unwrap();
    ok(
        planner.post(&format!("/api/tasks/{task}/seal"), &json!({})),
        200,
    );
    let mut committer = planner.clone();
    committer
        .extra_headers
        .push(("idempotency-key".to_owned(), format!("statistics-{task}")));
    ok(
        committer.post(
            &format!("/api/tasks/{task}/commit"),
            &json!({"witness": null}),
        ),
        201,
    );
    let drawn = ok(
        planner.get(&format!("/api/inspections?year={YEAR}&task={task}")),
        200,
    )["inspections"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(drawn.len(), 6);
    let drawn_objects: BTreeSet<i64> = drawn
        .iter()
        .map(|i| i["object"]["id"].as_i64().unwrap())
        .collect();

    // A targeted inspection (complaint) of a key object the draw did not pick, in September.
    let key_objects = ok(
        planner.get("/api/objects?category=key&status=active&limit=20"),
        200,
    );
    let target = key_objects["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| !drawn_objects.contains(&o["id"].as_i64().unwrap()))
        .unwrap()
        .clone();
    let team: Vec<i64> = ok(planner.get("/api/inspectors?limit=100"), 200)["inspectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["record"]["certificate"].is_string() && i["record"]["active"] == true)
        .take(2)
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    let targeted = ok(
        planner.post(
            "/api/inspections",
            &json!({"credit_code": target["record"]["credit_code"], "trigger": "complaint",
                    "trigger_detail": "群众举报夜间异味（12345 转办）", "section": "eia_permit",
                    "items": [3, 9], "team": team, "planned_on": "2026-09-01"}),
        ),
        201,
    )["inspection"]
        .clone();
    assert_eq!(targeted["quarter"], 3);

    // Records: 0 on time, 1 confidential, 2 entered late (inspected 9 October: the deadline
    // was 19 October), 3–5 on time; the targeted one inspected 1 September, entered late.
    let put = |inspection: &Value, body: Value| {
        let id = inspection["id"].as_i64().unwrap();
        ok(
            planner.put(&format!("/api/inspections/{id}/record"), &body),
            201,
        );
    };
    put(&drawn[0], record(&drawn[0], &today, "no_problem", false));
    put(
        &drawn[1],
        record(&drawn[1], &today, "ordered_to_correct", true),
    );
    put(
        &drawn[2],
        record(&drawn[2], "2026-10-09", "case_opened", false),
    );
    for inspection in &drawn[3..] {
        put(inspection, record(inspection, &today, "no_problem", false));
    }
    put(
        &targeted,
        record(&targeted, "2026-09-01", "no_problem", false),
    );
    // Published: 0, 2 and 3 (the task completed today, so on time); the targeted result is
    // past its 20 working days and not published: overdue.
    for inspection in [&drawn[0], &drawn[2], &drawn[3]] {
        let id = inspection["id"].as_i64().unwrap();
        ok(
            planner.post(&format!("/api/inspections/{id}/publish"), &json!({})),
            200,
        );
    }
    let confidential = drawn[1]["id"].as_i64().unwrap();
    assert_eq!(
        planner
            .post(
                &format!("/api/inspections/{confidential}/publish"),
                &json!({})
            )
            .status,
        409
    );

    let year = statistics(&auditor, "");
    assert_eq!(year["year"], YEAR);
    assert_eq!(year["quarter"], Value::Null);
    assert_eq!(year["as_of"], today);
    assert_eq!(year["inspections"], json!({"random": 6, "targeted": 1}));
    assert_eq!(year["recorded"], json!({"random": 6, "targeted": 1}));
    assert_eq!(count_of(&year["by_trigger"], "trigger", "complaint"), 1);
    assert_eq!(count_of(&year["by_trigger"], "trigger", "referral"), 0);
    assert_eq!(
        year["by_category"],
        json!([
            {"category": "general", "random": 3, "targeted": 0},
            {"category": "key", "random": 2, "targeted": 1},
            {"category": "special", "random": 1, "targeted": 0}
        ])
    );
    assert_eq!(
        year["by_section"],
        json!([{"section": "eia_permit", "random": 6, "targeted": 1}])
    );
    assert_eq!(count_of(&year["by_result"], "result", "no_problem"), 5);
    assert_eq!(
        count_of(&year["by_result"], "result", "ordered_to_correct"),
        1
    );
    assert_eq!(count_of(&year["by_result"], "result", "case_opened"), 1);
    assert_eq!(
        year["checklist_coverage"],
        rate(
            3,
            checklist_items,
            shared::records::rate_basis_points(3, checklist_items)
        )
    );
    let uncovered: Vec<i64> = year["uncovered_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect();
    assert_eq!(uncovered.len() as u64, checklist_items - 3);
    assert!(!uncovered.contains(&3) && !uncovered.contains(&9) && !uncovered.contains(&10));
    // Two key and one special object drawn, one key object inspected on a complaint.
    assert_eq!(year["key_special_coverage"]["part"], 4);
    assert_eq!(year["key_special_coverage"]["whole"], key_special);
    // Publishable: 6 of the 7 records (one confidential); published: 3.
    assert_eq!(year["disclosure"], rate(3, 6, Some(5000)));
    assert_eq!(year["withheld"], 1);
    assert_eq!(year["entry_on_time"], rate(5, 7, Some(7143)));
    assert_eq!(year["publication_on_time"], rate(3, 4, Some(7500)));
    assert_eq!(year["publication_overdue"], 1);

    // The fourth quarter alone: the targeted inspection is in the third.
    let q4 = statistics(&auditor, "&quarter=4");
    assert_eq!(q4["quarter"], 4);
    assert_eq!(q4["inspections"], json!({"random": 6, "targeted": 0}));
    assert_eq!(q4["disclosure"], rate(3, 5, Some(6000)));
    assert_eq!(q4["entry_on_time"], rate(5, 6, Some(8333)));
    assert_eq!(q4["publication_on_time"], rate(3, 3, Some(10_000)));
    assert_eq!(q4["publication_overdue"], 0);
    assert_eq!(
        q4["key_special_coverage"]["part"], 4,
        "key and special coverage is year to date"
    );
    let q3 = statistics(&auditor, "&quarter=3");
    assert_eq!(q3["inspections"], json!({"random": 0, "targeted": 1}));
    assert_eq!(q3["key_special_coverage"]["part"], 1);
    assert_eq!(q3["checklist_coverage"]["part"], 2);
    // A section account sees the same bureau-wide figures.
    assert_eq!(statistics(&Client::demo(Role::Section), ""), year);

    // Per inspector: two team places per inspection, one lead each; names, never phones.
    let inspectors = ok(
        auditor.get(&format!("/api/statistics/inspectors?year={YEAR}")),
        200,
    );
    let rows = inspectors["inspectors"].as_array().unwrap();
    let sum = |key: &str| rows.iter().map(|r| r[key].as_u64().unwrap()).sum::<u64>();
    assert_eq!((sum("random"), sum("targeted"), sum("lead")), (12, 2, 7));
    assert!(!inspectors.to_string().contains("phone"));
    let first = &rows[0];
    assert!(first["name"].is_string() && first["department"].is_string());
    let totals: Vec<u64> = rows
        .iter()
        .map(|r| r["random"].as_u64().unwrap() + r["targeted"].as_u64().unwrap())
        .collect();
    assert!(
        totals.windows(2).all(|w| w[0] >= w[1]),
        "most inspections first"
    );
    let team_member = rows.iter().find(|r| r["inspector_id"] == team[0]).unwrap();
    assert!(team_member["targeted"].as_u64().unwrap() >= 1);

    // Per object: the seven inspected objects, one inspection each; search by name.
    let objects = ok(
        auditor.get(&format!("/api/statistics/objects?year={YEAR}&limit=5")),
        200,
    );
    assert_eq!(objects["total"], 7);
    assert_eq!(objects["objects"].as_array().unwrap().len(), 5);
    assert_eq!(objects["next_offset"], 5);
    let rest = ok(
        auditor.get(&format!(
            "/api/statistics/objects?year={YEAR}&limit=5&offset=5"
        )),
        200,
    );
    assert_eq!(rest["objects"].as_array().unwrap().len(), 2);
    assert_eq!(rest["next_offset"], Value::Null);
    let name = target["record"]["name"].as_str().unwrap();
    let found = ok(
        auditor.get(&format!(
            "/api/statistics/objects?year={YEAR}&q={}",
            percent_encode(name)
        )),
        200,
    );
    let hit = found["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["object_id"] == target["id"])
        .expect("the searched object")
        .clone();
    assert_eq!(hit["random"], 0);
    assert_eq!(hit["targeted"], 1);
    assert_eq!(hit["category"], "key");
    assert_eq!(
        ok(
            auditor.get(&format!("/api/statistics/objects?year={}", YEAR - 1)),
            200
        )["total"],
        0
    );
}

#[test]
fn statistics_are_for_staff_who_read_figures() {
    for path in [
        "/api/statistics",
        "/api/statistics/inspectors",
        "/api/statistics/objects",
    ] {
        let inspector = Client::demo(Role::Inspector).get(path);
        assert_eq!(
            (inspector.status, inspector.json()["error"].clone()),
            (403, json!("forbidden")),
            "{path}"
        );
        assert_eq!(Client::anonymous().get(path).status, 401, "{path}");
        for role in [Role::Admin, Role::Planner, Role::Section, Role::Auditor] {
            assert_eq!(Client::demo(role).get(path).status, 200, "{path} {role:?}");
        }
    }
    for query in ["?quarter=5", "?year=1999", "?year=abc"] {
        let refused = Client::demo(Role::Auditor).get(&format!("/api/statistics{query}"));
        assert_eq!(
            (refused.status, refused.json()["error"].clone()),
            (400, json!("invalid_query")),
            "{query}"
        );
    }
}

/// Percent-encodes a query value (UTF-8 bytes; unreserved characters kept).
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}
