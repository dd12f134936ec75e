//! The working-day calendar as data (`/api/calendar`, `/api/workdays/add`): on the pinned clock
//! (Fri 2026-11-27), a deadline that runs into 2027 is provisional; an admin enters a 2027
//! schedule and the same deadline follows it; only an admin may, with the version they
//! started from, and a bad text is refused with its line. See docs/calendar.md.
//!
//! One test function: the steps share the server's calendar and must run in order.

use serde_json::{Value, json};
use shared::authz::Role;
use suicha_tests::{Client, china_today, fixtures};

/// A made-up 2027 notice (not the real one): 元旦 through Monday 01-04, a make-up working day
/// on Saturday 01-09 — both within reach of a 20-working-day deadline from 2026-12-10.
const NOTICE_2027: &str = "# test notice\n\
year 2027 测试用通知（非真实）\n\
off  2027-01-01..2027-01-04 元旦\n\
work 2027-01-09             元旦\n";

fn deadline(client: &Client, date: &str, n: u32) -> Value {
    let reply = client.get(&format!("/api/workdays/add?date={date}&n={n}"));
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()
}

fn year_state(client: &Client, year: i64) -> Value {
    let overview = client.get("/api/calendar");
    assert_eq!(overview.status, 200, "{}", overview.body);
    overview.json()["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["year"] == year)
        .unwrap_or_else(|| panic!("{year} is listed: {}", overview.body))
        .clone()
}

fn enter(client: &Client, year: i64, text: &str, expected_version: u32) -> suicha_tests::Reply {
    client.put(
        &format!("/api/calendar/{year}"),
        &json!({"text": text, "expected_version": expected_version}),
    )
}

#[test]
fn a_2027_deadline_is_provisional_until_the_notice_is_entered_then_follows_it() {
    assert_eq!(china_today().to_string(), "2026-11-27");
    let inspector = Client::demo(Role::Inspector);
    let admin = Client::demo(Role::Admin);
    let planner = Client::demo(Role::Planner);

    // Before: 2024–2026 shipped, 2027 (next year on the pinned clock) provisional.
    let listed: Vec<(i64, String)> = inspector.get("/api/calendar").json()["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| {
            (
                y["year"].as_i64().unwrap(),
                y["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (2024, "shipped".to_owned()),
            (2025, "shipped".to_owned()),
            (2026, "shipped".to_owned()),
            (2027, "provisional".to_owned())
        ]
    );
    let detail = inspector.get("/api/calendar/2027").json();
    assert_eq!(detail["state"], "provisional");
    assert_eq!(detail["version"], 0);
    assert_eq!(detail["text"], "");
    assert_eq!(
        detail["periods"][0],
        json!({"first": "2027-01-01", "last": "2027-01-01", "make_up_workday": false, "name": "元旦"})
    );
    let shipped = inspector.get("/api/calendar/2026").json();
    assert_eq!(shipped["state"], "shipped");
    assert!(
        shipped["text"]
            .as_str()
            .unwrap()
            .contains("off  2026-10-01..2026-10-07 国庆节"),
        "{shipped}"
    );

    // Thu 2026-12-10 + 20 working days: 15 in December, Fri 2027-01-01 元旦 by the rule, then
    // 01-04..01-08 — provisional. A deadline inside 2026 is not.
    assert_eq!(
        deadline(&inspector, "2026-12-10", 20),
        json!({"date": "2027-01-08", "provisional": true})
    );
    assert_eq!(
        deadline(&inspector, "2026-11-27", 7),
        json!({"date": "2026-12-08", "provisional": false})
    );
    assert_eq!(
        inspector.get("/api/workdays/add?date=2026-12-10").json()["error"],
        "invalid_query"
    );

    // Only an admin enters a schedule.
    let refused = enter(&planner, 2027, NOTICE_2027, 0);
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(refused.json()["error"], "forbidden");
    assert_eq!(
        Client::anonymous()
            .put(
                "/api/calendar/2027",
                &json!({"text": NOTICE_2027, "expected_version": 0})
            )
            .status,
        401
    );

    // A bad text is refused with its line, and nothing is stored.
    let bad = enter(&admin, 2027, "year 2027 通知\n\noff 2027-02-30 春节\n", 0);
    assert_eq!(bad.status, 400, "{}", bad.body);
    let body = bad.json();
    assert_eq!(body["error"], "invalid_schedule");
    assert_eq!(body["fields"][0]["field"], "text");
    assert_eq!(
        body["fields"][0]["message"],
        "节假日安排第 3 行有误：2027-02-30 is not a day of the calendar (years 0001 to 9999) / \
         schedule line 3: 2027-02-30 is not a day of the calendar (years 0001 to 9999)"
    );
    let other_year = enter(
        &admin,
        2027,
        "# 2028\nyear 2028 通知\noff 2028-01-01 元旦\n",
        0,
    );
    assert_eq!(other_year.status, 400);
    assert!(
        other_year.json()["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("line 2: this schedule is for 2028, but it is being entered for 2027"),
        "{}",
        other_year.body
    );
    let shipped_year = enter(&admin, 2026, "year 2026 另一份\noff 2026-01-01 元旦\n", 0);
    assert_eq!(shipped_year.status, 409);
    assert_eq!(shipped_year.json()["error"], "year_shipped");
    assert_eq!(year_state(&inspector, 2027)["state"], "provisional");

    // The admin enters 2027: the same deadline now follows the notice (Mon 01-04 off, Sat 01-09
    // a working day) and is no longer provisional.
    let entered = enter(&admin, 2027, NOTICE_2027, 0);
    assert_eq!(entered.status, 200, "{}", entered.body);
    let entered = entered.json();
    assert_eq!(entered["state"], "entered");
    assert_eq!(entered["version"], 1);
    assert_eq!(entered["history"][0]["entered_by"], "admin");
    assert_eq!(entered["history"][0]["source"], "测试用通知（非真实）");
    assert_eq!(
        entered["periods"],
        json!([
            {"first": "2027-01-01", "last": "2027-01-04", "make_up_workday": false, "name": "元旦"},
            {"first": "2027-01-09", "last": "2027-01-09", "make_up_workday": true, "name": "元旦"}
        ])
    );
    assert_eq!(
        deadline(&inspector, "2026-12-10", 20),
        json!({"date": "2027-01-09", "provisional": false})
    );
    let state = year_state(&inspector, 2027);
    assert_eq!(
        (state["state"].as_str(), state["version"].as_i64()),
        (Some("entered"), Some(1))
    );

    // Someone who started from "nothing entered yet" is too late now.
    let stale = enter(&admin, 2027, NOTICE_2027, 0);
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert_eq!(stale.json()["error"], "version_conflict");

    // A correction is version 2; version 1 stays in the history.
    let corrected = enter(&admin, 2027, "year 2027 更正\noff 2027-01-01 元旦\n", 1);
    assert_eq!(corrected.status, 200, "{}", corrected.body);
    let versions: Vec<i64> = corrected.json()["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, [2, 1]);
    assert_eq!(
        deadline(&inspector, "2026-12-10", 20),
        json!({"date": "2027-01-08", "provisional": false})
    );

    // Both entries are audited.
    let audit = Client::demo(Role::Auditor)
        .get("/api/audit?action=calendar.enter")
        .json();
    let targets: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["target"].as_str().unwrap())
        .collect();
    assert!(
        targets.contains(&"calendar:2027:v1") && targets.contains(&"calendar:2027:v2"),
        "{audit}"
    );

    // Inspections carry the mark beside their deadlines: a record of today has an exact one.
    let committed = fixtures::committed_task(
        &planner,
        "节假日安排测试：2026年第四季度抽查",
        &fixtures::eia_q4_inspections(),
    );
    let list = planner.get(&format!(
        "/api/inspections?year=2026&task={}",
        committed.task
    ));
    let inspection = list.json()["inspections"][0].clone();
    assert_eq!(
        inspection["entry_deadline_provisional"], false,
        "{inspection}"
    );
    let saved = fixtures::record(
        &planner,
        inspection["id"].as_i64().unwrap(),
        fixtures::Record::of(&inspection, "2026-11-27", "no_problem"),
    );
    assert_eq!(saved["entry_deadline"], "2026-12-08");
    assert_eq!(saved["entry_deadline_provisional"], false);
    assert_eq!(saved["entry_state"], "on_time");
}
