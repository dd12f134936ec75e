//! The annual plan against a real `wrangler dev` + D1 with the demo county: drafts validated
//! field by field, publishing, versions (a published version never changes, in the API and in
//! the database), the public copies, who may do what, and the year's progress and quarter view
//! following the inspections.
//!
//! Each test uses a year of its own. They run one at a time (`serial`) because some write to
//! the database file directly, as someone with database access would.

use std::sync::{Mutex, MutexGuard};

use serde_json::{Value, json};
use shared::authz::Role;
use shared::checklist::ChecklistItem;
use shared::plan::PlanBody;
use suicha_tests::{Client, server};

fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn execute(sql: &str) -> Result<String, String> {
    xtask::server::query_json(&xtask::repo_root(), Some(&server().persist), sql)
}

fn checklist() -> Vec<ChecklistItem> {
    let reply = Client::anonymous().get("/api/checklist");
    serde_json::from_value(reply.json()["items"].clone()).expect("the checklist")
}

fn body(year: u16) -> Value {
    serde_json::to_value(PlanBody::recommended(year, &checklist())).unwrap()
}

fn create(client: &Client, year: u16, body: &Value) -> suicha_tests::Reply {
    client.post("/api/plans", &json!({"year": year, "body": body}))
}

/// A published plan for `year`; returns its id.
fn published(planner: &Client, year: u16) -> i64 {
    let created = create(planner, year, &body(year));
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let reply = planner.post(&format!("/api/plans/{id}/publish"), &json!({"revision": 1}));
    assert_eq!(reply.status, 200, "{}", reply.body);
    id
}

fn fields(reply: &suicha_tests::Reply) -> Vec<(String, String)> {
    reply.json()["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|issue| {
            (
                issue["field"].as_str().unwrap().to_owned(),
                issue["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_draft_is_checked_field_by_field_published_and_revised_as_version_two() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let anonymous = Client::anonymous();
    let year = 2031;

    let mut bad = body(year);
    bad["targets"]["key"]["yearly_min_bp"] = json!(5000);
    bad["coverage"][0]["section"] = json!("finance");
    bad["title"] = json!(" ");
    let refused = create(&planner, year, &bad);
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert_eq!(refused.json()["error"], "invalid_plan");
    assert_eq!(
        fields(&refused),
        [
            ("body.title".to_owned(), "title_length".to_owned()),
            (
                "body.targets.key.yearly_min_bp".to_owned(),
                "guarantee_not_full".to_owned()
            ),
            (
                "body.coverage[0].section".to_owned(),
                "unknown_section".to_owned()
            ),
        ]
    );
    let message = refused.json()["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains("body.targets.key.yearly_min_bp"),
        "{message}"
    );
    assert!(message.contains("每年至少抽查 1 次"), "{message}");
    assert!(message.contains("at least once a year"), "{message}");
    assert_eq!(
        planner.get(&format!("/api/plans?year={year}")).json()["plans"],
        json!([])
    );

    let original = body(year);
    let created = create(&planner, year, &original);
    assert_eq!(created.status, 201, "{}", created.body);
    let v1 = created.json();
    assert_eq!(
        (&v1["version"], &v1["status"], &v1["revision"]),
        (&json!(1), &json!("draft"), &json!(1))
    );
    let v1_id = v1["id"].as_i64().unwrap();
    assert_eq!(
        create(&planner, year, &original).json()["error"],
        "draft_exists"
    );
    // A draft is not public.
    assert_eq!(
        anonymous.get(&format!("/api/public/plans/{year}")).status,
        404
    );

    let mut edited = original.clone();
    edited["notes"] = json!("第一季度侧重涉水企业。");
    let saved = planner.put(
        &format!("/api/plans/{v1_id}"),
        &json!({"revision": 1, "body": edited}),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(saved.json()["revision"], 2);
    assert_eq!(saved.json()["body"]["notes"], "第一季度侧重涉水企业。");
    let stale = planner.put(
        &format!("/api/plans/{v1_id}"),
        &json!({"revision": 1, "body": original}),
    );
    assert_eq!(stale.status, 409);
    assert_eq!(stale.json()["error"], "version_conflict");
    assert_eq!(
        planner
            .post(
                &format!("/api/plans/{v1_id}/publish"),
                &json!({"revision": 1})
            )
            .json()["error"],
        "version_conflict"
    );

    let publish = planner.post(
        &format!("/api/plans/{v1_id}/publish"),
        &json!({"revision": 2}),
    );
    assert_eq!(publish.status, 200, "{}", publish.body);
    assert_eq!(publish.json()["status"], "published");
    assert!(publish.json()["published_at"].is_string());
    let frozen = planner.put(
        &format!("/api/plans/{v1_id}"),
        &json!({"revision": 2, "body": original}),
    );
    assert_eq!(frozen.status, 409);
    assert_eq!(frozen.json()["error"], "plan_published");

    // Anyone reads the published version; it carries no account.
    let public = anonymous.get(&format!("/api/public/plans/{year}"));
    assert_eq!(public.status, 200, "{}", public.body);
    let public = public.json();
    assert_eq!(public["plan"]["version"], 1);
    assert_eq!(public["plan"]["body"], edited);
    let mut keys: Vec<&String> = public["plan"].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["body", "published_at", "version", "year"]);
    assert_eq!(public["versions"].as_array().unwrap().len(), 1);

    // A change after publishing is version 2; version 1 stays as it was.
    let mut revised = edited.clone();
    revised["targets"]["general"] =
        json!({"yearly_min_bp": 3000, "quarterly_bp": [750, 750, 750, 750]});
    let v2 = create(&planner, year, &revised);
    assert_eq!(v2.status, 201, "{}", v2.body);
    let v2_id = v2.json()["id"].as_i64().unwrap();
    assert_eq!(v2.json()["version"], 2);
    assert_eq!(
        anonymous.get(&format!("/api/public/plans/{year}")).json()["plan"]["version"],
        1,
        "the draft of version 2 is not public"
    );
    let v2_published = planner.post(
        &format!("/api/plans/{v2_id}/publish"),
        &json!({"revision": 1}),
    );
    assert_eq!(v2_published.status, 200, "{}", v2_published.body);

    let public = anonymous.get(&format!("/api/public/plans/{year}")).json();
    assert_eq!(public["plan"]["version"], 2);
    assert_eq!(
        public["plan"]["body"]["targets"]["general"]["yearly_min_bp"],
        3000
    );
    let versions: Vec<i64> = public["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, [2, 1]);
    let old = anonymous.get(&format!("/api/public/plans/{year}/versions/1"));
    assert_eq!(old.status, 200);
    assert_eq!(old.json()["body"], edited);
    let staff_v1 = planner.get(&format!("/api/plans/{v1_id}")).json();
    assert_eq!(staff_v1["body"], edited);
    assert_eq!(staff_v1["revision"], 2);
    assert_eq!(staff_v1["published_at"], publish.json()["published_at"]);
    assert!(
        anonymous.get("/api/public/plans").json()["plans"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["year"] == year && p["version"] == 2)
    );

    // Every change is in the audit log, and the chain holds.
    let auditor = Client::demo(Role::Auditor);
    let entries = auditor.get("/api/audit?action=plan.").json()["entries"].clone();
    let actions: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["target"]
                .as_str()
                .unwrap()
                .starts_with(&format!("plan:{year}"))
        })
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "plan.publish",
            "plan.create",
            "plan.publish",
            "plan.update",
            "plan.create"
        ]
    );
    assert_eq!(
        auditor.get("/api/audit/verify").json()["broken"],
        Value::Null
    );
}

#[test]
fn the_database_refuses_to_change_or_delete_a_published_version() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let year = 2032;
    let id = published(&planner, year);
    assert!(
        execute(&format!(
            "UPDATE plans SET body_json = '{{}}' WHERE id = {id}"
        ))
        .is_err(),
        "a published plan was rewritten"
    );
    assert!(
        execute(&format!("UPDATE plans SET status = 'draft', published_at = NULL, published_by = NULL WHERE id = {id}")).is_err(),
        "a published plan was unpublished"
    );
    assert!(
        execute(&format!("DELETE FROM plans WHERE id = {id}")).is_err(),
        "a published plan was deleted"
    );
    // A draft is an ordinary row; only one per year.
    let draft = create(&planner, year, &body(year));
    assert_eq!(draft.status, 201, "{}", draft.body);
    let draft = draft.json()["id"].as_i64().unwrap();
    execute(&format!(
        "UPDATE plans SET revision = revision + 1 WHERE id = {draft}"
    ))
    .expect("a draft may change");
    assert!(
        execute(&format!(
            "INSERT INTO plans (year, version, body_json, created_at, created_by, updated_at, updated_by)
             SELECT year, 9, body_json, created_at, created_by, updated_at, updated_by FROM plans WHERE id = {draft}"
        ))
        .is_err(),
        "a second draft for the year"
    );
    let unchanged = Client::anonymous().get(&format!("/api/public/plans/{year}/versions/1"));
    assert_eq!(unchanged.json()["body"], body(year));
}

#[test]
fn only_the_planner_changes_plans_and_anonymous_visitors_see_only_published_ones() {
    let _serial = serial();
    let year = 2033;
    let draft = body(year);
    for (role, status) in [
        (Role::Inspector, 403),
        (Role::Section, 403),
        (Role::Auditor, 403),
        (Role::Admin, 403),
    ] {
        let reply = create(&Client::demo(role), year, &draft);
        assert_eq!(reply.status, status, "{role:?}: {}", reply.body);
        assert_eq!(reply.json()["error"], "forbidden");
    }
    assert_eq!(create(&Client::anonymous(), year, &draft).status, 401);
    let planner = Client::demo(Role::Planner);
    let created = create(&planner, year, &draft);
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();

    let section = Client::demo(Role::Section);
    assert_eq!(
        section.get(&format!("/api/plans/{id}")).status,
        200,
        "staff read drafts"
    );
    let publish = section.post(&format!("/api/plans/{id}/publish"), &json!({"revision": 1}));
    assert_eq!(publish.status, 403, "{}", publish.body);
    assert_eq!(Client::demo(Role::Inspector).get("/api/plans").status, 403);
    let anonymous = Client::anonymous();
    assert_eq!(anonymous.get("/api/plans").status, 401);
    assert_eq!(anonymous.get(&format!("/api/plans/{id}")).status, 401);
    assert_eq!(
        anonymous.get(&format!("/api/years/{year}/progress")).status,
        401
    );
    assert_eq!(
        anonymous.get(&format!("/api/public/plans/{year}")).status,
        404
    );
    assert!(
        !anonymous
            .get("/api/public/plans")
            .body
            .contains(&format!("\"year\":{year}")),
        "a draft is in the public list"
    );
    assert_eq!(
        anonymous
            .get(&format!("/api/public/plans/{year}/versions/1"))
            .status,
        404
    );
}

fn progress(client: &Client, year: u16) -> Value {
    let reply = client.get(&format!("/api/years/{year}/progress"));
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()
}

fn category<'a>(progress: &'a Value, name: &str) -> &'a Value {
    progress["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == name)
        .unwrap()
}

fn item_ids(values: &Value) -> Vec<i64> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().or_else(|| v["id"].as_i64()).unwrap())
        .collect()
}

#[test]
fn progress_counts_an_inspection_toward_the_guarantee_and_the_checklist() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let year = 2034;
    let none = progress(&planner, year);
    assert_eq!(none["plan"], Value::Null);
    assert_eq!(category(&none, "key")["required"], Value::Null);
    let id = published(&planner, year);

    let before = progress(&planner, year);
    assert_eq!(
        before["plan"],
        json!({"id": id, "version": 1, "status": "published"})
    );
    let key = category(&before, "key");
    let key_active = key["active"].as_i64().unwrap();
    let special_active = category(&before, "special")["active"].as_i64().unwrap();
    assert!(key_active > 0 && special_active > 0);
    assert_eq!(key["required"], key_active, "every key object");
    assert_eq!(key["remaining"], key_active);
    let general = category(&before, "general");
    let general_active = general["active"].as_i64().unwrap();
    assert_eq!(general["required"], (general_active * 2000 + 9999) / 10000);
    assert_eq!(before["guarantee"]["total"], key_active + special_active);
    assert_eq!(before["guarantee"]["covered"], 0);
    assert_eq!(
        before["guarantee"]["missing"].as_array().unwrap().len() as i64,
        (key_active + special_active).min(200)
    );
    assert_eq!(before["items"]["planned"], 12);
    assert_eq!(before["items"]["covered"], json!([]));
    assert_eq!(before["items"]["missing"].as_array().unwrap().len(), 12);

    // A targeted inspection (a complaint) of one key object, checking items 1 and 2.
    let objects = planner
        .get("/api/objects?category=key&status=active&limit=1")
        .json();
    let object = objects["objects"][0]["id"].as_i64().unwrap();
    execute(&format!(
        "INSERT INTO inspections (kind, object_id, year, quarter, trigger, sections_json, items_json, created_at, created_by)
         VALUES ('targeted', {object}, {year}, 1, 'complaint', '[\"ecology\"]', '[1, 2]', '2034-01-05T08:00:00.000Z',
                 (SELECT id FROM accounts WHERE username = 'planner'))"
    ))
    .expect("a targeted inspection");

    let after = progress(&planner, year);
    assert_eq!(after["guarantee"]["covered"], 1);
    assert_eq!(category(&after, "key")["inspected"], 1);
    assert_eq!(category(&after, "key")["drawn"], 0, "targeted, not drawn");
    assert_eq!(category(&after, "key")["remaining"], key_active - 1);
    assert!(
        after["guarantee"]["missing"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["id"] != object)
    );
    assert_eq!(item_ids(&after["items"]["covered"]), [1, 2]);
    assert!(!item_ids(&after["items"]["missing"]).contains(&1));
    // Other years are untouched.
    assert_eq!(progress(&planner, year + 1)["guarantee"]["covered"], 0);
}

fn draw_spec(year: u16, quarter: u8) -> Value {
    suicha_tests::fixtures::eia_plan_draw(year, quarter).json()
}

fn quarter(client: &Client, year: u16, quarter: u8) -> Value {
    let reply = client.get(&format!("/api/years/{year}/quarters/{quarter}"));
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()
}

#[test]
fn the_quarter_view_shows_the_plan_the_tasks_and_what_is_missing() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let year = 2035;
    let empty = quarter(&planner, year, 2);
    assert_eq!(empty["plan"], Value::Null);
    assert_eq!(empty["sections"], json!([]));
    assert_eq!(empty["categories"][1]["planned"], Value::Null);
    assert_eq!(
        planner.get(&format!("/api/years/{year}/quarters/5")).status,
        404
    );

    published(&planner, year);
    let task = planner.post(
        "/api/tasks",
        &json!({"name": "2035年第二季度环评与排污许可抽查", "owner_section": "eia_permit",
                "spec": draw_spec(year, 2), "exclusions": []}),
    );
    assert_eq!(task.status, 201, "{}", task.body);
    let task = task.json()["id"].as_i64().unwrap();

    let view = quarter(&planner, year, 2);
    assert_eq!(view["period"], json!({"year": year, "quarter": 2}));
    assert_eq!(view["tasks"].as_array().unwrap().len(), 1);
    assert_eq!(view["tasks"][0]["id"], task);
    assert_eq!(view["tasks"][0]["status"], "draft");
    assert_eq!(view["tasks"][0]["sections"], json!(["eia_permit"]));
    let sections = view["sections"].as_array().unwrap();
    let eia = sections
        .iter()
        .find(|s| s["section"] == "eia_permit")
        .unwrap();
    assert_eq!(eia["tasks"], json!([task]));
    assert_eq!(eia["items_in_tasks"], json!([3, 9, 10]));
    assert_eq!(eia["uncovered_without_task"], json!([]));
    let without_task: Vec<&Value> = sections
        .iter()
        .filter(|s| s["tasks"] == json!([]))
        .collect();
    assert!(!without_task.is_empty());
    assert!(
        without_task
            .iter()
            .all(|s| s["items"] == s["uncovered_without_task"])
    );

    let key = view["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "key")
        .unwrap();
    let key_active = category(&view["progress"], "key")["active"]
        .as_i64()
        .unwrap();
    assert_eq!(key["quarterly_bp"], 2500);
    assert_eq!(key["planned"], (key_active * 2500 + 9999) / 10000);
    assert_eq!(key["remaining_for_year"], key_active);
    assert_eq!(
        key["at_least"],
        (key_active + 2) / 3,
        "spread over quarters 2–4"
    );
    assert_eq!(key["drawn_this_quarter"], 0);
    // Another quarter has no task.
    assert_eq!(quarter(&planner, year, 3)["tasks"], json!([]));
}

/// Needs the commit to create the drawn inspections (live_inspections), which the inspections
/// work adds to `POST /api/tasks/:id/commit`.
#[test]
fn a_committed_draw_counts_toward_the_guarantees_and_the_quarter() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let year = 2036;
    published(&planner, year);
    let before = progress(&planner, year);
    let task = planner.post(
        "/api/tasks",
        &json!({"name": "2036年第一季度环评与排污许可抽查", "owner_section": "eia_permit",
                "spec": draw_spec(year, 1), "exclusions": []}),
    );
    assert_eq!(task.status, 201, "{}", task.body);
    let task = task.json()["id"].as_i64().unwrap();
    assert_eq!(
        planner
            .post(&format!("/api/tasks/{task}/seal"), &json!({}))
            .status,
        200
    );
    let mut committer = planner.clone();
    committer.extra_headers.push((
        "idempotency-key".to_owned(),
        "plans-progress-2036".to_owned(),
    ));
    let draw = committer.post(
        &format!("/api/tasks/{task}/commit"),
        &json!({"witness": null}),
    );
    assert_eq!(draw.status, 201, "{}", draw.body);
    let draw = draw.json();
    let selected = draw["draw"]["selected"].as_i64().unwrap();
    assert!(selected > 0);

    let after = progress(&planner, year);
    let drawn: i64 = after["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["drawn"].as_i64().unwrap())
        .sum();
    assert_eq!(drawn, selected, "every drawn object counts once");
    assert!(
        after["guarantee"]["covered"].as_i64().unwrap()
            > before["guarantee"]["covered"].as_i64().unwrap(),
        "the annual guarantee drew key or special objects"
    );
    assert_eq!(item_ids(&after["items"]["covered"]), [3, 9, 10]);

    let view = quarter(&planner, year, 1);
    assert_eq!(view["tasks"][0]["draw_id"], draw["draw"]["id"]);
    assert_eq!(view["tasks"][0]["selected"], selected);
    let drawn_this_quarter: i64 = view["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["drawn_this_quarter"].as_i64().unwrap())
        .sum();
    assert_eq!(drawn_this_quarter, selected);
}

#[test]
fn the_portal_shows_a_plan_as_soon_as_it_is_published() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let mut draft = body(2038);
    draft["title"] = json!("2038年度双随机抽查工作计划（门户测试）");
    let created = create(&planner, 2038, &draft);
    assert_eq!(created.status, 201, "{}", created.body);
    // A draft is not public, and the cached portal page does not show it.
    let before = suicha_tests::get("/public/plans");
    assert_eq!(before.status, 200);
    assert!(!before.body.contains("门户测试"));
    assert_eq!(
        suicha_tests::get("/public/plans").header("x-cache"),
        Some("hit")
    );

    let plan = created.json();
    let published = planner.post(
        &format!("/api/plans/{}/publish", plan["id"]),
        &json!({"revision": plan["revision"]}),
    );
    assert_eq!(published.status, 200, "{}", published.body);
    let after = suicha_tests::get("/public/plans");
    assert_eq!(
        after.header("x-cache"),
        Some("miss"),
        "publishing invalidates the cache"
    );
    assert!(
        after
            .body
            .contains("2038年度双随机抽查工作计划（门户测试）"),
        "{}",
        after.body
    );
    assert!(
        after.body.contains("100.00%"),
        "key objects: every one a year"
    );
    assert!(!after.body.contains("<script"));
}
