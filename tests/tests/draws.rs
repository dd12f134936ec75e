//! The draw lifecycle against a real `wrangler dev` + D1 with the demo county: create, preview
//! input, seal, commit (idempotent, exactly once under concurrency), void, public pages, and
//! verification of the stored bundle with the same engine.

use serde_json::{Value, json};
use shared::api::PublicDraw;
use shared::authz::Role;
use shared::draw::verify_bundle;
use suicha_tests::Client;

/// A quarterly draw of the EIA and permits section: 1 % of general objects, 25 % of key ones,
/// every special one up to 5, with the annual guarantee for key and special objects.
pub fn spec(quarter: u8) -> Value {
    suicha_tests::fixtures::eia_quarterly(quarter).json()
}

fn create_sealed_task(client: &Client, name: &str, quarter: u8) -> i64 {
    let created = client.post(
        "/api/tasks",
        &json!({"name": name, "owner_section": "eia_permit", "spec": spec(quarter), "exclusions": []}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let sealed = client.post(&format!("/api/tasks/{id}/seal"), &json!({}));
    assert_eq!(sealed.status, 200, "{}", sealed.body);
    assert_eq!(sealed.json()["status"], "sealed");
    id
}

fn commit(client: &Client, task: i64, key: &str, witness: Option<&str>) -> suicha_tests::Reply {
    let mut client = client.clone();
    client
        .extra_headers
        .push(("idempotency-key".to_owned(), key.to_owned()));
    client.post(
        &format!("/api/tasks/{task}/commit"),
        &json!({"witness": witness}),
    )
}

#[test]
fn plan_seal_commit_then_anyone_verifies_the_stored_bundle() {
    let planner = Client::demo(Role::Planner);
    let created = planner.post(
        "/api/tasks",
        &json!({"name": "2026年第四季度环评与排污许可抽查", "owner_section": "eia_permit", "spec": spec(4),
                "exclusions": ["91500230001195436W"]}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();

    let preview = planner.get(&format!("/api/tasks/{id}/input")).json();
    assert!(
        preview["input"]["objects"].as_array().unwrap().len() >= 1000,
        "the demo county is the pool"
    );
    assert_eq!(preview["unknown_exclusions"], json!([]));
    assert!(
        preview["input"]["inspectors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i.get("phone").is_none())
    );

    let sealed = planner
        .post(&format!("/api/tasks/{id}/seal"), &json!({}))
        .json();
    let sealed_hash = sealed["sealed_hash"].as_str().unwrap().to_owned();
    assert_eq!(sealed_hash.len(), 64);
    let edit = planner.put(
        &format!("/api/tasks/{id}"),
        &json!({"name": "改名", "owner_section": "eia_permit", "spec": spec(4), "exclusions": []}),
    );
    assert_eq!(edit.json()["error"], "task_sealed");

    let reply = commit(&planner, id, "first-commit-key-1", Some("3141592653"));
    assert_eq!(reply.status, 201, "{}", reply.body);
    let committed: PublicDraw = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(committed.draw.sealed_hash.to_hex(), sealed_hash);
    assert!(committed.draw.selected > 0);
    let externally = &committed.bundle.input.history.externally_inspected;
    assert_eq!(
        externally.len(),
        1,
        "the excluded object is in the sealed input"
    );
    assert!(
        committed
            .bundle
            .result
            .selection()
            .iter()
            .all(|object| !externally.contains(object))
    );

    // Anyone can fetch it and recompute it, bit for bit.
    let public: PublicDraw = serde_json::from_str(
        &Client::anonymous()
            .get(&format!("/api/public/draws/{}", committed.draw.id))
            .body,
    )
    .unwrap();
    assert_eq!(public, committed);
    let recomputed = verify_bundle(&public.bundle).expect("the stored bundle verifies");
    assert_eq!(recomputed.result_hash, public.draw.result_hash);
    let listed = Client::anonymous().get("/api/public/draws").json();
    assert!(
        listed["draws"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"] == committed.draw.id)
    );

    // A tampered bundle names the differing field.
    let mut tampered = public.bundle.clone();
    tampered.result.inspections.swap(0, 1);
    let err = verify_bundle(&tampered).unwrap_err().to_string();
    assert!(err.contains("result."), "{err}");

    // Replay with the same key: the same draw. Same key, other request: refused.
    let replay = commit(&planner, id, "first-commit-key-1", Some("3141592653"));
    assert_eq!(replay.status, 201);
    assert_eq!(replay.header("idempotent-replay"), Some("true"));
    assert_eq!(
        serde_json::from_str::<PublicDraw>(&replay.body)
            .unwrap()
            .draw
            .id,
        committed.draw.id
    );
    let reused = commit(&planner, id, "first-commit-key-1", Some("2718281828"));
    assert_eq!(
        (reused.status, reused.json()["error"].clone()),
        (409, json!("idempotency_key_reused"))
    );
    let again = commit(&planner, id, "another-key-2", None);
    assert_eq!(
        (again.status, again.json()["error"].clone()),
        (409, json!("already_committed"))
    );
}

#[test]
fn fifty_concurrent_commits_make_exactly_one_draw() {
    let planner = Client::demo(Role::Planner);
    let task = create_sealed_task(&planner, "并发提交测试", 3);
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..50)
            .map(|i| {
                let planner = planner.clone();
                scope.spawn(move || {
                    commit(&planner, task, &format!("concurrent-key-{i:03}"), None).status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        49,
        "{statuses:?}"
    );
    let detail = planner.get(&format!("/api/tasks/{task}")).json();
    assert_eq!(detail["draws"].as_array().unwrap().len(), 1);
    let listed = planner.get("/api/tasks").json();
    let in_list = listed["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == task)
        .cloned()
        .unwrap();
    assert_eq!(
        in_list["draws"], detail["draws"],
        "the list and the detail agree on the task's draws"
    );
}

#[test]
fn a_committed_draw_cannot_be_changed_only_voided_and_redrawn_in_public() {
    let planner = Client::demo(Role::Planner);
    let task = create_sealed_task(&planner, "作废重抽测试", 2);
    let first: PublicDraw =
        serde_json::from_str(&commit(&planner, task, "void-test-key-1", None).body).unwrap();
    // (That the database itself refuses UPDATE and DELETE of a draw is checked in
    // tests/tests/database_guards.rs, which owns its database file.)

    let short = planner.post(
        &format!("/api/draws/{}/void", first.draw.id),
        &json!({"reason": "短"}),
    );
    assert_eq!(short.json()["error"], "reason_required");
    let voided = planner.post(
        &format!("/api/draws/{}/void", first.draw.id),
        &json!({"reason": "名录库数据录入错误，经局务会决定重新抽取"}),
    );
    assert_eq!(voided.status, 200, "{}", voided.body);
    let second = commit(&planner, task, "void-test-key-2", None);
    assert_eq!(second.status, 201, "{}", second.body);
    let second: PublicDraw = serde_json::from_str(&second.body).unwrap();
    assert_eq!(second.draw.attempt, 2);
    assert_ne!(second.draw.seed, first.draw.seed);

    let public = Client::anonymous().get("/api/public/draws").json();
    let of_task: Vec<&Value> = public["draws"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["task_id"] == task)
        .collect();
    assert_eq!(of_task.len(), 2, "both draws stay public");
    let old = of_task.iter().find(|d| d["id"] == first.draw.id).unwrap();
    assert_eq!(
        old["void"]["reason"],
        "名录库数据录入错误，经局务会决定重新抽取"
    );
}

#[test]
fn a_section_manages_only_its_own_tasks_and_input_errors_are_named() {
    let section = Client::demo(Role::Section); // 环评与排污许可科
    let other = section.post(
        "/api/tasks",
        &json!({"name": "水科任务", "owner_section": "water", "spec": spec(1), "exclusions": []}),
    );
    assert_eq!(other.status, 403, "{}", other.body);
    let own = section.post("/api/tasks", &json!({"name": "本科室任务", "owner_section": "eia_permit", "spec": spec(1), "exclusions": []}));
    assert_eq!(own.status, 201, "{}", own.body);

    let mut bad_spec = spec(1);
    bad_spec["period"]["quarter"] = json!(5);
    let reply = section.post(
        "/api/tasks",
        &json!({"name": "x", "owner_section": "eia_permit", "spec": bad_spec, "exclusions": []}),
    );
    assert_eq!(reply.json()["error"], "invalid_spec");
    let reply = section.post(
        "/api/tasks",
        &json!({"name": "x", "owner_section": "eia_permit", "spec": spec(1), "exclusions": ["91500230001195436W", "not-a-code"]}),
    );
    assert_eq!(reply.json()["error"], "invalid_exclusion");
    assert!(
        reply.json()["message"]
            .as_str()
            .unwrap()
            .contains("第 2 行"),
        "{}",
        reply.body
    );

    let inspector = Client::demo(Role::Inspector);
    assert_eq!(inspector.get("/api/tasks").status, 403);
    let unsealed = section.post(
        &format!("/api/tasks/{}/commit", own.json()["id"]),
        &json!({}),
    );
    assert_eq!(unsealed.json()["error"], "idempotency_key_required");
}
