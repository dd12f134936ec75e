//! Inspections and their results against a real `wrangler dev` + D1 with the demo county: a
//! committed draw becomes inspections with teams; the inspector sees their own, records the
//! on-site form (every bad field named), publishes in the standard phrase; confidential
//! results are withheld from every public response; targeted inspections; voids; the public
//! portal's HTML, search and cache invalidation.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use shared::authz::Role;
use suicha_tests::fixtures::{self, team_ids};
use suicha_tests::{Client, get, get_with};

/// A fourth-quarter draw of the EIA and permits section (the demo section account's own):
/// 2 % of general objects, 30 % of key ones, 4 special ones; teams of two.
fn spec() -> Value {
    fixtures::eia_q4_inspections().json()
}

/// Creates, seals and commits a task; returns (task id, draw id, objects drawn).
fn committed_task(name: &str) -> (i64, i64, u64) {
    let committed = fixtures::committed_task(
        &Client::demo(Role::Planner),
        name,
        &fixtures::eia_q4_inspections(),
    );
    (committed.task, committed.draw, committed.selected)
}

fn inspections(client: &Client, query: &str) -> Vec<Value> {
    let reply = client.get(&format!("/api/inspections?year=2026{query}"));
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["inspections"].as_array().unwrap().clone()
}

/// A complete record for `inspection`: every item compliant unless `problem` is given.
fn record(inspection: &Value, inspected_on: &str, result: &str, problem: Option<&str>) -> Value {
    let record = fixtures::Record::of(inspection, inspected_on, result)
        .attachments(&["IMG_2041.jpg 雨水排口现场照片"]);
    match problem {
        Some(note) => record.problem(note),
        None => record,
    }
    .json()
}

/// The inspector's own inspections (the demo inspector is linked to a directory row); the
/// planner commits a draw first so there are some.
fn own_inspections() -> (Client, Vec<Value>) {
    let inspector = Client::demo(Role::Inspector);
    let mut own = inspections(&inspector, "");
    if own.is_empty() {
        committed_task("检查员任务准备：2026年第四季度抽查");
        own = inspections(&inspector, "");
    }
    assert!(
        !own.is_empty(),
        "the demo inspector has assignments after a draw"
    );
    (inspector, own)
}

#[test]
fn a_commit_creates_one_inspection_per_drawn_object_with_its_team() {
    let (task, _, selected) = committed_task("检查生成测试：2026年第四季度环评抽查");
    let planner = Client::demo(Role::Planner);
    let list = inspections(&planner, &format!("&task={task}"));
    assert_eq!(list.len() as u64, selected);
    let objects: BTreeSet<i64> = list
        .iter()
        .map(|inspection| inspection["object"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(objects.len(), list.len(), "one inspection per drawn object");
    for inspection in &list {
        assert_eq!(inspection["kind"], "random");
        assert_eq!(inspection["quarter"], 4);
        assert_eq!(inspection["inspect_by"], "2026-12-31");
        assert_eq!(inspection["entry_state"], "not_recorded");
        assert_eq!(inspection["publication_state"], "not_due");
        assert_eq!(inspection["sections"], json!(["eia_permit"]));
        assert_eq!(inspection["items"].as_array().unwrap().len(), 3);
        let team = inspection["team"].as_array().unwrap();
        assert_eq!(team.len(), 2, "{inspection}");
        assert_eq!(team[0]["lead"], true);
        assert_eq!(team[1]["lead"], false);
    }

    // The next draw's input counts this year's inspection and knows each object's last lead,
    // so lead rotation has something to rotate from.
    let next = planner.post(
        "/api/tasks",
        &json!({"name": "检查生成测试：下一次抽取的输入", "owner_section": "eia_permit", "spec": spec(), "exclusions": []}),
    );
    assert_eq!(next.status, 201, "{}", next.body);
    let next = next.json()["id"].as_i64().unwrap();
    let input = planner.get(&format!("/api/tasks/{next}/input")).json();
    let first = &list[0];
    let object = input["input"]["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|object| object["id"] == first["object"]["id"])
        .unwrap()
        .clone();
    assert!(
        object["inspections_this_year"].as_u64().unwrap() >= 1,
        "{object}"
    );
    assert!(object["last_lead"].is_i64(), "{object}");
}

#[test]
fn the_inspector_records_and_publishes_and_the_public_sees_the_standard_phrase() {
    let (inspector, own) = own_inspections();
    // Every inspection the inspector sees has them in its team.
    let common = own
        .iter()
        .map(|i| team_ids(i).into_iter().collect::<BTreeSet<_>>())
        .reduce(|a, b| a.intersection(&b).copied().collect());
    assert_eq!(
        common.unwrap().len(),
        1,
        "one inspector is in every listed team"
    );
    let inspection = own
        .iter()
        .find(|i| i["entry_state"] == "not_recorded")
        .expect("an inspection still to record")
        .clone();
    let id = inspection["id"].as_i64().unwrap();

    // Every bad field is named, and nothing is saved.
    let mut bad = record(&inspection, "2027-01-05", "no_problem", Some(""));
    bad["team_present"] = json!([team_ids(&inspection)[0]]);
    bad["findings"].as_array_mut().unwrap().pop();
    let refused = inspector.put(&format!("/api/inspections/{id}/record"), &bad);
    assert_eq!(refused.status, 400, "{}", refused.body);
    let fields: Vec<String> = refused.json()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        fields,
        [
            "inspected_on",
            "team_present",
            "findings[0].note",
            "findings",
            "result"
        ],
        "{}",
        refused.body
    );
    assert_eq!(
        inspector.get(&format!("/api/inspections/{id}")).json()["record"],
        Value::Null
    );

    let note = "危废贮存间标识不全，台账未及时更新";
    let saved = inspector.put(
        &format!("/api/inspections/{id}/record"),
        &record(&inspection, "2026-11-20", "ordered_to_correct", Some(note)),
    );
    assert_eq!(saved.status, 201, "{}", saved.body);
    let saved = saved.json();
    // Friday 20 November + 7 working days = Tuesday 1 December.
    assert_eq!(saved["inspection"]["entry_deadline"], "2026-12-01");
    assert_eq!(saved["inspection"]["entry_state"], "on_time");
    assert_eq!(saved["record"]["version"], 1);

    // A stale form is refused; the current version is accepted.
    let mut stale = record(&inspection, "2026-11-20", "ordered_to_correct", Some(note));
    stale["version"] = json!(7);
    assert_eq!(
        inspector
            .put(&format!("/api/inspections/{id}/record"), &stale)
            .status,
        409
    );
    stale["version"] = json!(1);
    let corrected = inspector.put(&format!("/api/inspections/{id}/record"), &stale);
    assert_eq!(corrected.status, 200, "{}", corrected.body);
    assert_eq!(corrected.json()["record"]["version"], 2);

    let published = inspector.post(&format!("/api/inspections/{id}/publish"), &json!({}));
    assert_eq!(published.status, 200, "{}", published.body);
    assert!(published.json()["inspection"]["published_at"].is_string());
    assert_eq!(
        inspector
            .post(&format!("/api/inspections/{id}/publish"), &json!({}))
            .status,
        409,
        "published once"
    );
    assert_eq!(
        inspector
            .put(&format!("/api/inspections/{id}/record"), &stale)
            .status,
        409,
        "a published record is frozen"
    );

    let name = inspection["object"]["name"].as_str().unwrap();
    let code = inspection["object"]["credit_code"].as_str().unwrap();
    let by_code = get(&format!("/api/public/results?q={code}"));
    assert_eq!(by_code.status, 200);
    let results = by_code.json()["results"].as_array().unwrap().clone();
    let result = results
        .iter()
        .find(|r| r["inspection_id"] == id)
        .expect("the published result is public");
    assert_eq!(result["object_name"], name);
    assert_eq!(result["phrase"], "发现问题，已责令整改");
    assert_eq!(result["items"].as_array().unwrap().len(), 3);
    assert!(!by_code.body.contains(note), "findings stay internal");
    assert!(
        !by_code.body.contains("县环责改"),
        "order numbers stay internal"
    );
}

#[test]
fn the_portal_is_html_without_script_cached_until_something_is_published() {
    let (inspector, own) = own_inspections();
    let planner = Client::demo(Role::Planner);
    let mut open: Vec<Value> = inspections(&planner, "&quarter=4")
        .into_iter()
        .filter(|i| i["entry_state"] == "not_recorded")
        .collect();
    assert!(open.len() >= 2);
    drop(own);
    drop(inspector);
    let first = open.pop().unwrap();
    let first_id = first["id"].as_i64().unwrap();
    assert_eq!(
        planner
            .put(
                &format!("/api/inspections/{first_id}/record"),
                &record(&first, "2026-11-23", "no_problem", None)
            )
            .status,
        201
    );
    assert_eq!(
        planner
            .post(&format!("/api/inspections/{first_id}/publish"), &json!({}))
            .status,
        200
    );
    let name = first["object"]["name"].as_str().unwrap();
    let url = format!("/public/results?q={}", urlencode(name));
    let page = get(&url);
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.body.contains(&format!("{name}<br>")), "{}", page.body);
    assert!(page.body.contains("未发现问题"));
    assert!(
        !page.body.contains("<script"),
        "the portal needs no JavaScript"
    );
    assert!(page.header("cache-control").unwrap().starts_with("public"));
    let etag = page.header("etag").unwrap().to_owned();

    let again = get(&url);
    assert_eq!(again.header("x-cache"), Some("hit"));
    assert_eq!(again.body, page.body);
    let revalidated = get_with(&url, &[("if-none-match", &etag)]);
    assert_eq!(revalidated.status, 304);

    // Publishing anything changes the generation: the same URL is rendered afresh.
    let second = open.pop().unwrap();
    let second_id = second["id"].as_i64().unwrap();
    assert_eq!(
        planner
            .put(
                &format!("/api/inspections/{second_id}/record"),
                &record(&second, "2026-11-24", "case_opened", Some("超标排放"))
            )
            .status,
        201
    );
    assert_eq!(
        planner
            .post(&format!("/api/inspections/{second_id}/publish"), &json!({}))
            .status,
        200
    );
    let fresh = get(&url);
    assert_eq!(fresh.header("x-cache"), Some("miss"));
    assert_ne!(fresh.header("etag").unwrap(), etag);
    assert_eq!(get_with(&url, &[("if-none-match", &etag)]).status, 200);

    // English, the checklist, the draws and the front page are plain HTML too.
    let english = get(&format!("{url}&lang=en"));
    assert!(
        english.body.contains("No problem found"),
        "{}",
        english.body
    );
    for path in [
        "/public",
        "/public/checklist",
        "/public/draws",
        "/public/plans",
    ] {
        let page = get(path);
        assert_eq!(page.status, 200, "{path}");
        assert!(page.body.starts_with("<!doctype html>"), "{path}");
        assert!(!page.body.contains("<script"), "{path}");
    }
    assert_eq!(
        get("/public/checklist")
            .body
            .matches("data-testid=\"checklist-row\"")
            .count(),
        12
    );
    assert_eq!(get("/public/draws/999999").status, 404);
}

#[test]
fn a_case_opened_raises_the_objects_violation_count() {
    let planner = Client::demo(Role::Planner);
    let (task, _, _) = committed_task("违法记录测试：2026年第四季度环评抽查");
    let inspection = inspections(&planner, &format!("&task={task}"))[0].clone();
    let object = inspection["object"]["id"].as_i64().unwrap();
    // What a later draw weighs: the object's violations in a draft task's input.
    let draft = planner.post(
        "/api/tasks",
        &json!({"name": "违法记录测试：下一次抽取", "owner_section": "eia_permit", "spec": spec(), "exclusions": []}),
    );
    assert_eq!(draft.status, 201, "{}", draft.body);
    let draft = draft.json()["id"].as_i64().unwrap();
    let violations = |planner: &Client| {
        planner.get(&format!("/api/tasks/{draft}/input")).json()["input"]["objects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == object)
            .unwrap()["risk"]["violations"]
            .as_u64()
            .unwrap()
    };
    let before = violations(&planner);
    let id = inspection["id"].as_i64().unwrap();
    let saved = planner.put(
        &format!("/api/inspections/{id}/record"),
        &record(
            &inspection,
            "2026-11-25",
            "case_opened",
            Some("私设暗管排放"),
        ),
    );
    assert_eq!(saved.status, 201, "{}", saved.body);
    assert_eq!(violations(&planner), before + 1);
    // Correcting the record to a lesser result takes the violation back.
    let mut corrected = record(
        &inspection,
        "2026-11-25",
        "ordered_to_correct",
        Some("私设暗管排放"),
    );
    corrected["version"] = json!(1);
    assert_eq!(
        planner
            .put(&format!("/api/inspections/{id}/record"), &corrected)
            .status,
        200
    );
    assert_eq!(violations(&planner), before);
}

#[test]
fn a_confidential_result_is_withheld_from_every_public_response() {
    let planner = Client::demo(Role::Planner);
    let (task, _, _) = committed_task("不予公开测试：2026年第四季度环评抽查");
    let inspection = inspections(&planner, &format!("&task={task}"))[1].clone();
    let id = inspection["id"].as_i64().unwrap();
    let secret_note = "涉密车间第三号反应釜旁路管道";
    let secret_ground = "《中华人民共和国保守国家秘密法》第九条";
    let mut body = record(&inspection, "2026-10-09", "case_opened", Some(secret_note));
    body["order_number"] = json!("县环立〔2026〕密字第9号");
    body["confidential"] = json!(true);
    body["confidential_ground"] = json!(secret_ground);
    body["remarks"] = json!("备注：军工配套单位");
    let saved = planner.put(&format!("/api/inspections/{id}/record"), &body);
    assert_eq!(saved.status, 201, "{}", saved.body);
    // Inspected Friday 9 October: Saturday 10 October is a make-up working day (调休), so the
    // 7 working days end Monday 19 October — late now.
    assert_eq!(saved.json()["inspection"]["entry_deadline"], "2026-10-19");
    assert_eq!(saved.json()["inspection"]["entry_state"], "late");
    assert_eq!(saved.json()["inspection"]["publication_state"], "withheld");
    let refused = planner.post(&format!("/api/inspections/{id}/publish"), &json!({}));
    assert_eq!(refused.status, 409);
    assert_eq!(refused.json()["error"], "confidential");

    // Inspectors' personal data: phone numbers and employee numbers, read as the planner.
    let mut personal: Vec<String> = Vec::new();
    for inspector in planner.get("/api/inspectors?limit=500").json()["inspectors"]
        .as_array()
        .unwrap()
    {
        let detail = planner
            .get(&format!("/api/inspectors/{}", inspector["id"]))
            .json();
        let record = &detail["inspector"]["record"];
        if let Some(phone) = record["phone"].as_str().filter(|p| !p.is_empty()) {
            personal.push(phone.to_owned());
        }
        personal.push(record["employee_no"].as_str().unwrap().to_owned());
    }
    assert!(personal.len() >= 40, "{personal:?}");
    let secrets = [
        secret_note,
        secret_ground,
        "密字第9号",
        "军工配套单位",
        "IMG_2041.jpg",
    ];

    // Every public GET route, with a real id where it takes one.
    let draw = Client::anonymous().get("/api/public/draws").json()["draws"][0]["id"]
        .as_i64()
        .unwrap();
    let routes = get("/api/meta/routes").json();
    let mut scanned = 0;
    for route in routes.as_array().unwrap() {
        if route["action"] != "read_public" || route["method"] != "GET" {
            continue;
        }
        let path = route["path"]
            .as_str()
            .unwrap()
            .replace(":id", &draw.to_string());
        let name = inspection["object"]["name"].as_str().unwrap();
        for url in [
            path.clone(),
            format!("{path}?q={}", urlencode(name)),
            format!("{path}?year=2026&quarter=4"),
        ] {
            let reply = get(&url);
            assert!(reply.status < 500, "{url}: {}", reply.status);
            for secret in secrets
                .iter()
                .copied()
                .chain(personal.iter().map(String::as_str))
            {
                assert!(!reply.body.contains(secret), "{url} reveals {secret:?}");
            }
            scanned += 1;
        }
    }
    assert!(
        scanned >= 3 * 9,
        "every public route was scanned ({scanned})"
    );
    let results = get("/api/public/results?year=2026&quarter=4").json();
    assert!(results["withheld"].as_u64().unwrap() >= 1, "{results}");
    assert!(
        results["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["inspection_id"] != id),
        "the confidential result is not listed"
    );
    assert!(
        get("/public/results?year=2026&quarter=4")
            .body
            .contains("依法不予公开")
    );
}

#[test]
fn scope_keeps_inspectors_to_their_own_and_auditors_to_reading() {
    let (inspector, own) = own_inspections();
    let own_ids: BTreeSet<i64> = own.iter().map(|i| i["id"].as_i64().unwrap()).collect();
    let planner = Client::demo(Role::Planner);
    let other = inspections(&planner, "")
        .into_iter()
        .find(|i| !own_ids.contains(&i["id"].as_i64().unwrap()))
        .expect("an inspection of someone else");
    let other_id = other["id"].as_i64().unwrap();
    assert_eq!(
        inspector
            .get(&format!("/api/inspections/{other_id}"))
            .status,
        403
    );
    assert_eq!(
        inspector
            .put(
                &format!("/api/inspections/{other_id}/record"),
                &record(&other, "2026-11-20", "no_problem", None)
            )
            .status,
        403
    );
    let auditor = Client::demo(Role::Auditor);
    assert!(!inspections(&auditor, "").is_empty());
    assert_eq!(
        auditor
            .put(
                &format!("/api/inspections/{other_id}/record"),
                &record(&other, "2026-11-20", "no_problem", None)
            )
            .status,
        403
    );
    // The section account sees only its own section's part.
    let section = Client::demo(Role::Section);
    assert!(inspections(&section, "").iter().all(|i| {
        i["sections"]
            .as_array()
            .unwrap()
            .contains(&json!("eia_permit"))
    }));
}

#[test]
fn targeted_inspections_are_registered_with_their_trigger() {
    let section = Client::demo(Role::Section);
    let planner = Client::demo(Role::Planner);
    let objects = planner.get("/api/objects?limit=5").json();
    let code = objects["objects"][0]["record"]["credit_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let team: Vec<i64> = planner.get("/api/inspectors?limit=100").json()["inspectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["record"]["certificate"].is_string() && i["record"]["active"] == true)
        .take(2)
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(team.len(), 2);

    let refused = section.post(
        "/api/inspections",
        &json!({"credit_code": "91000000000000000X", "trigger": "complaint", "trigger_detail": " ",
                "section": "water", "items": [999], "team": [team[0]], "planned_on": "2026-13-01"}),
    );
    assert_eq!(refused.status, 400, "{}", refused.body);
    let fields: Vec<String> = refused.json()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        fields,
        [
            "credit_code",
            "trigger_detail",
            "section",
            "items[0]",
            "team",
            "planned_on"
        ]
    );

    let created = section.post(
        "/api/inspections",
        &json!({"credit_code": code, "trigger": "complaint", "trigger_detail": "群众举报夜间异味扰民（12345 转办）",
                "section": "eia_permit", "items": [3, 9], "team": team, "planned_on": "2026-11-26"}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let created = created.json()["inspection"].clone();
    assert_eq!(created["kind"], "targeted");
    assert_eq!(created["trigger"], "complaint");
    assert_eq!(created["quarter"], 4);
    assert_eq!(created["task_name"], "投诉举报（非随机检查）");
    assert_eq!(team_ids(&created), team);
    let id = created["id"].as_i64().unwrap();
    assert!(
        inspections(&section, "&quarter=4")
            .iter()
            .any(|i| i["id"].as_i64() == Some(id))
    );
}

#[test]
fn an_inspector_registers_a_targeted_inspection_only_on_a_team_they_are_on() {
    // Otherwise any inspector could fill an enterprise's yearly cap with made-up inspections
    // and keep it out of the next random draw.
    let planner = Client::demo(Role::Planner);
    let inspector = Client::demo(Role::Inspector);
    let code = planner.get("/api/objects?limit=5").json()["objects"][1]["record"]["credit_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut certified: Vec<i64> = planner.get("/api/inspectors?limit=100").json()["inspectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["record"]["certificate"].is_string() && i["record"]["active"] == true)
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    certified.sort_unstable();
    // The demo inspector account is linked to the first certified inspector.
    let own = certified[0];
    let others = [certified[1], certified[2]];
    let body = |team: &[i64]| {
        json!({"credit_code": code, "trigger": "complaint", "trigger_detail": "群众来电反映排污口异常",
               "section": "eia_permit", "items": [3, 9], "team": team, "planned_on": "2026-11-26"})
    };
    let refused = inspector.post("/api/inspections", &body(&others));
    assert_eq!(refused.status, 400, "{}", refused.body);
    let fields = refused.json()["fields"].clone();
    assert_eq!(fields.as_array().unwrap().len(), 1, "{fields}");
    assert_eq!(fields[0]["field"], "team");
    let created = inspector.post("/api/inspections", &body(&[own, others[0]]));
    assert_eq!(created.status, 201, "{}", created.body);
}

#[test]
fn voiding_a_draw_voids_its_inspections() {
    let planner = Client::demo(Role::Planner);
    let (task, draw, selected) = committed_task("作废测试：2026年第四季度环评抽查");
    assert_eq!(
        inspections(&planner, &format!("&task={task}")).len() as u64,
        selected
    );
    let voided = planner.post(
        &format!("/api/draws/{draw}/void"),
        &json!({"reason": "测试：抽取参数录入错误，需重新抽取"}),
    );
    assert_eq!(voided.status, 200, "{}", voided.body);
    assert!(inspections(&planner, &format!("&task={task}")).is_empty());
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
