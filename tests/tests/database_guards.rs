//! What the database itself refuses, checked with SQL run directly against the local D1 file
//! (as someone with access to the database, not the API, would try): the audit log and
//! committed draws, drawn inspections and publications refuse UPDATE and DELETE, a confidential
//! record cannot be published, a published record is frozen, a sealed task's input is frozen, and a change made
//! around the guard (dropping a trigger) is found by the audit verifier at the changed entry.
//!
//! One test binary with its own server and database, and one test function, so no other
//! request is writing while another process holds the database file.

use serde_json::{Value, json};
use shared::authz::Role;
use suicha_tests::{Client, server};

fn execute(sql: &str) -> Result<String, String> {
    xtask::server::query_json(&xtask::repo_root(), Some(&server().persist), sql)
}

fn refused(sql: &str) {
    assert!(execute(sql).is_err(), "{sql} was accepted");
}

fn committed_draw() -> (i64, i64) {
    let planner = Client::demo(Role::Planner);
    let spec = suicha_tests::fixtures::emergency_three().json();
    let task = planner.post("/api/tasks", &json!({"name": "数据库守卫测试", "owner_section": "emergency", "spec": spec, "exclusions": []}));
    assert_eq!(task.status, 201, "{}", task.body);
    let task = task.json()["id"].as_i64().unwrap();
    assert_eq!(
        planner
            .post(&format!("/api/tasks/{task}/seal"), &json!({}))
            .status,
        200
    );
    let mut committer = planner.clone();
    committer
        .extra_headers
        .push(("idempotency-key".to_owned(), "database-guards-1".to_owned()));
    let draw = committer.post(
        &format!("/api/tasks/{task}/commit"),
        &json!({"witness": null}),
    );
    assert_eq!(draw.status, 201, "{}", draw.body);
    (task, draw.json()["draw"]["id"].as_i64().unwrap())
}

#[test]
fn the_database_refuses_rewrites_and_tampering_is_found() {
    // Some entries: sign-ins and the draw's own are logged.
    let auditor = Client::demo(Role::Auditor);
    Client::demo(Role::Admin);
    let (task, draw) = committed_draw();
    assert_eq!(
        auditor.get("/api/audit/verify").json()["broken"],
        Value::Null
    );

    refused(&format!("UPDATE draws SET seed = 'x' WHERE id = {draw}"));
    refused(&format!("DELETE FROM draws WHERE id = {draw}"));
    refused(&format!(
        "UPDATE draw_tasks SET sealed_hash = 'x' WHERE id = {task}"
    ));
    refused(&format!(
        "UPDATE draw_tasks SET spec_json = '{{}}' WHERE id = {task}"
    ));
    // Drawn inspections, published results and their records.
    let planner = Client::demo(Role::Planner);
    let drawn = planner
        .get(&format!("/api/inspections?year=2026&task={task}"))
        .json();
    let drawn = drawn["inspections"].as_array().unwrap();
    assert_eq!(drawn.len(), 3);
    for (inspection, confidential) in [(&drawn[0], false), (&drawn[1], true)] {
        let id = inspection["id"].as_i64().unwrap();
        let findings: Vec<Value> = inspection["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| json!({"item": item["id"], "compliant": true}))
            .collect();
        let team: Vec<Value> = inspection["team"]
            .as_array()
            .unwrap()
            .iter()
            .map(|member| member["inspector_id"].clone())
            .collect();
        let saved = planner.put(
            &format!("/api/inspections/{id}/record"),
            &json!({"inspected_on": "2026-03-10", "team_present": team, "findings": findings,
                    "result": "no_problem", "confidential": confidential,
                    "confidential_ground": if confidential { "商业秘密" } else { "" }}),
        );
        assert_eq!(saved.status, 201, "{}", saved.body);
    }
    let (published, secret) = (
        drawn[0]["id"].as_i64().unwrap(),
        drawn[1]["id"].as_i64().unwrap(),
    );
    assert_eq!(
        planner
            .post(&format!("/api/inspections/{published}/publish"), &json!({}))
            .status,
        200
    );
    refused(&format!(
        "UPDATE publications SET phrase = '未发现问题（已核实）' WHERE inspection_id = {published}"
    ));
    refused(&format!(
        "DELETE FROM publications WHERE inspection_id = {published}"
    ));
    refused(&format!(
        "UPDATE inspection_records SET result = 'case_opened', order_number = 'x' WHERE inspection_id = {published}"
    ));
    refused(&format!(
        "UPDATE inspections SET lead_inspector_id = NULL WHERE id = {published}"
    ));
    refused(&format!("DELETE FROM inspections WHERE id = {secret}"));
    refused(&format!(
        "INSERT INTO publications (inspection_id, year, quarter, object_name, credit_code, category, task_name, kind,
                                   inspected_on, items_json, result, phrase, department, published_at, published_by)
         SELECT {secret}, 2026, 1, 'x', 'x', 'general', 'x', 'random', '2026-03-10', '[]', 'no_problem', 'x', 'x', 'x', 1"
    ));
    // An unpublished record can still be corrected (through the API; the database allows it).
    execute(&format!(
        "UPDATE inspection_records SET remarks = 'checked' WHERE inspection_id = {secret}"
    ))
    .expect("an unpublished record is not frozen");

    // The sealed input and the bundle, stored in parts (both span several).
    let parts: Value = serde_json::from_str(
        &execute(&format!(
            "SELECT count(*) AS n FROM text_parts WHERE owner = 'draw_bundle' AND owner_id = {draw}"
        ))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        parts[0]["results"][0]["n"], 2,
        "the demo county's bundle takes two parts: {parts}"
    );
    refused(&format!(
        "UPDATE text_parts SET part = '{{}}' WHERE owner = 'draw_bundle' AND owner_id = {draw}"
    ));
    refused(&format!(
        "DELETE FROM text_parts WHERE owner = 'sealed_input' AND owner_id = {task}"
    ));

    refused("UPDATE audit_log SET detail = 'x' WHERE seq = 2");
    refused("DELETE FROM audit_log WHERE seq = 2");

    execute("DROP TRIGGER audit_log_refuses_update").expect("dropping the guard");
    execute("UPDATE audit_log SET detail = 'tampered' WHERE seq = 2")
        .expect("tampering once the guard is gone");
    let verification = auditor.get("/api/audit/verify").json();
    assert_eq!(
        verification["broken"],
        json!({"seq": 2, "reason": "hash_mismatch"}),
        "{verification}"
    );

    // The export carries what `suicha audit verify` needs to find the same break offline.
    let export = auditor.get("/api/audit/export");
    assert_eq!(export.status, 200);
    let entries: Vec<shared::audit::AuditEntry> = serde_json::from_str(&export.body).unwrap();
    assert_eq!(shared::audit::verify_chain(&entries).unwrap_err().seq, 2);
}
