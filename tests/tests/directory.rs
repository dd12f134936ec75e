//! The directories against a real `wrangler dev` + D1 with the demo county: paged and filtered
//! lists, edits with optimistic versions, status history, conflicts of interest, and imports of
//! the fixture files through the same API path the browser uses (parse and validate with
//! `shared::directory`, upload the rows in chunks, preview, commit). Every malformed fixture is
//! refused with a row/column message and writes nothing.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use shared::authz::Role;
use shared::directory::api::IMPORT_CHUNK_ROWS;
use shared::directory::files::read_table;
use shared::directory::{ImportIssue, validate_inspectors, validate_objects};
use suicha_tests::{Client, Reply};

/// The tests share one database and compare counts before and after: one at a time.
fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn fixture(name: &str) -> (String, Vec<u8>) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/import")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    (name.to_owned(), bytes)
}

fn ok(reply: Reply) -> Value {
    assert!(reply.status < 300, "{}: {}", reply.status, reply.body);
    reply.json()
}

/// What the database holds, for "nothing written" checks.
fn totals(client: &Client) -> (u64, u64) {
    let objects = ok(client.get("/api/objects?limit=1"))["total"]
        .as_u64()
        .unwrap();
    let inspectors = ok(client.get("/api/inspectors?limit=1"))["total"]
        .as_u64()
        .unwrap();
    (objects, inspectors)
}

/// Parses and validates a file as the import page does. `Err` holds the issues.
fn validate(directory: &str, name: &str, bytes: &[u8]) -> Result<Vec<Value>, Vec<ImportIssue>> {
    let table = read_table(name, bytes).map_err(|issue| vec![issue])?;
    let rows: Vec<Value> = if directory == "objects" {
        let import = validate_objects(&table, None);
        if !import.is_clean() {
            return Err(import.issues);
        }
        import
            .rows
            .iter()
            .map(|row| serde_json::to_value(row).unwrap())
            .collect()
    } else {
        let import = validate_inspectors(&table, None);
        if !import.is_clean() {
            return Err(import.issues);
        }
        import
            .rows
            .iter()
            .map(|row| serde_json::to_value(row).unwrap())
            .collect()
    };
    Ok(rows)
}

/// Creates an import and uploads `rows` in chunks; returns the import id.
fn stage(client: &Client, directory: &str, name: &str, bytes: &[u8], rows: &[Value]) -> i64 {
    let sha = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let import = ok(client.post(
        "/api/imports",
        &json!({"directory": directory, "file_name": name, "file_sha256": sha, "row_count": rows.len()}),
    ));
    assert_eq!(import["status"], "staging");
    let id = import["id"].as_i64().unwrap();
    for (index, chunk) in rows.chunks(IMPORT_CHUNK_ROWS).enumerate() {
        let staged = ok(client.post(
            &format!("/api/imports/{id}/rows"),
            &json!({"first_seq": index * IMPORT_CHUNK_ROWS + 1, "rows": chunk}),
        ));
        assert_eq!(
            staged["staged"].as_u64(),
            Some((index * IMPORT_CHUNK_ROWS + chunk.len()) as u64)
        );
    }
    id
}

/// The browser's whole path for a valid file: validate, stage, preview, commit.
fn import_file(client: &Client, directory: &str, name: &str) -> (Value, Value) {
    let (name, bytes) = fixture(name);
    let rows = validate(directory, &name, &bytes)
        .unwrap_or_else(|issues| panic!("{name} should be valid: {issues:?}"));
    let id = stage(client, directory, &name, &bytes, &rows);
    let preview = ok(client.get(&format!("/api/imports/{id}/preview")));
    let committed = ok(client.post(&format!("/api/imports/{id}/commit"), &json!({})));
    assert_eq!(committed["import"]["status"], "committed");
    assert_eq!(committed["summary"], preview["summary"]);
    (preview, committed)
}

#[test]
fn the_object_list_pages_by_name_and_filters_by_every_tag() {
    let _serial = serial();
    let auditor = Client::demo(Role::Auditor);
    let first = ok(auditor.get("/api/objects"));
    assert!(
        first["total"].as_u64().unwrap() >= 1200,
        "{}",
        first["total"]
    );
    let objects = first["objects"].as_array().unwrap();
    assert_eq!(objects.len(), 50);
    let year = objects[0]["counts"]["year"].as_i64().unwrap();
    assert!(year >= 2026);
    let next = &first["next"];
    let second = ok(auditor.get(&format!(
        "/api/objects?after_name={}&after_id={}",
        encode(next["name"].as_str().unwrap()),
        next["id"]
    )));
    let keys = |page: &Value| -> Vec<(String, i64)> {
        page["objects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["record"]["name"].as_str().unwrap().to_owned(),
                    o["id"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    let mut both = keys(&first);
    both.extend(keys(&second));
    let mut sorted = both.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        both, sorted,
        "two pages in (name, id) order without overlap"
    );
    assert_eq!(both.len(), 100);

    let key = ok(auditor.get("/api/objects?category=key&limit=500"));
    assert!(key["total"].as_u64().unwrap() >= 160, "{}", key["total"]);
    assert!(
        key["objects"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["record"]["category"] == "key")
    );
    let sample = &objects[0]["record"];
    for (field, value) in [
        ("region", &sample["region"]),
        ("industry", &sample["industry"]),
        ("status", &sample["status"]),
        ("weather_grade", &sample["weather_grade"]),
    ] {
        let value = value.as_str().unwrap();
        let page = ok(auditor.get(&format!("/api/objects?{field}={}", encode(value))));
        assert!(page["total"].as_u64().unwrap() >= 1, "{field}={value}");
        for object in page["objects"].as_array().unwrap() {
            assert_eq!(object["record"][field], value, "{field}");
        }
    }
    let combined = ok(auditor.get(&format!(
        "/api/objects?category=general&region={}&status=active",
        encode(sample["region"].as_str().unwrap())
    )));
    for object in combined["objects"].as_array().unwrap() {
        assert_eq!(object["record"]["category"], "general");
        assert_eq!(object["record"]["status"], "active");
    }

    let code = sample["credit_code"].as_str().unwrap();
    let by_code = ok(auditor.get(&format!("/api/objects?q={}", &code[..12])));
    assert!(
        by_code["objects"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["record"]["credit_code"] == code)
    );
    let name = sample["name"].as_str().unwrap();
    let part: String = name.chars().skip(1).take(3).collect();
    let by_name = ok(auditor.get(&format!("/api/objects?q={}", encode(&part))));
    for object in by_name["objects"].as_array().unwrap() {
        assert!(object["record"]["name"].as_str().unwrap().contains(&part));
    }
    // A name with a digit is not a credit-code prefix.
    let digit = ok(auditor.get(&format!("/api/objects?q={}", encode(&format!("{name}1")))));
    for object in digit["objects"].as_array().unwrap() {
        assert!(object["record"]["name"].as_str().unwrap().contains(name));
    }
    let none =
        ok(auditor.get("/api/objects?q=%E6%B2%A1%E6%9C%89%E8%BF%99%E4%B8%AA%E5%90%8D%E5%AD%97"));
    assert_eq!(none["total"], 0);
    assert_eq!(none["next"], Value::Null);

    let facets = ok(auditor.get("/api/directory/facets"));
    assert_eq!(facets["regions"].as_array().unwrap().len(), 30);
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn an_object(client: &Client, query: &str) -> Value {
    let page = ok(client.get(&format!("/api/objects?{query}&limit=1")));
    page["objects"][0].clone()
}

#[test]
fn an_edit_needs_the_current_version_and_leaves_the_status_alone() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let object = an_object(
        &planner,
        "category=general&status=active&region=%E8%99%8E%E5%A8%81%E9%95%87",
    );
    let id = object["id"].as_i64().unwrap();
    let version = object["version"].as_i64().unwrap();
    let mut record = object["record"].clone();
    record["address"] = json!("重庆市丰都县虎威镇测试路 1 号");
    let updated = ok(planner.put(
        &format!("/api/objects/{id}"),
        &json!({"version": version, "record": record}),
    ));
    assert_eq!(updated["version"], version + 1);
    assert_eq!(
        updated["record"]["address"],
        "重庆市丰都县虎威镇测试路 1 号"
    );

    let stale = planner.put(
        &format!("/api/objects/{id}"),
        &json!({"version": version, "record": record}),
    );
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert_eq!(stale.json()["error"], "version_conflict");

    let mut closed = record.clone();
    closed["status"] = json!("closed");
    closed["status_since"] = json!("2026-01-05");
    let refused = planner.put(
        &format!("/api/objects/{id}"),
        &json!({"version": version + 1, "record": closed}),
    );
    assert_eq!(refused.status, 400);
    assert_eq!(refused.json()["error"], "use_status_change");

    let mut formula = record.clone();
    formula["name"] = json!("=HYPERLINK(\"x\")");
    let refused = planner.put(
        &format!("/api/objects/{id}"),
        &json!({"version": version + 1, "record": formula}),
    );
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert_eq!(refused.json()["error"], "invalid_record");
    assert!(
        refused.json()["message"]
            .as_str()
            .unwrap()
            .contains("单位名称")
    );

    let mut bad_code = record.clone();
    bad_code["credit_code"] = json!("91500230MA5U000000");
    assert_eq!(
        planner
            .put(
                &format!("/api/objects/{id}"),
                &json!({"version": version + 1, "record": bad_code})
            )
            .status,
        400
    );
    let detail = ok(planner.get(&format!("/api/objects/{id}")));
    assert_eq!(detail["object"]["version"], version + 1);
}

#[test]
fn status_changes_are_appended_to_the_history() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let object = an_object(&planner, "status=active&category=key");
    let id = object["id"].as_i64().unwrap();
    let before = ok(planner.get(&format!("/api/objects/{id}")));
    let history_len = before["history"].as_array().unwrap().len();
    let suspended = ok(planner.post(
        &format!("/api/objects/{id}/status"),
        &json!({"version": object["version"], "status": "suspended", "effective_date": "2026-03-01", "reason": "停产检修"}),
    ));
    assert_eq!(suspended["record"]["status"], "suspended");
    assert_eq!(suspended["record"]["status_since"], "2026-03-01");
    let resumed = ok(planner.post(
        &format!("/api/objects/{id}/status"),
        &json!({"version": suspended["version"], "status": "active", "effective_date": "2026-04-15", "reason": "复产验收"}),
    ));
    assert_eq!(resumed["record"]["status"], "active");
    let after = ok(planner.get(&format!("/api/objects/{id}")));
    let history = after["history"].as_array().unwrap();
    assert_eq!(history.len(), history_len + 2);
    let last_two = &history[history_len..];
    assert_eq!(last_two[0]["from_status"], "active");
    assert_eq!(last_two[0]["to_status"], "suspended");
    assert_eq!(last_two[0]["reason"], "停产检修");
    assert_eq!(last_two[0]["recorded_by"], "张支队");
    assert_eq!(last_two[1]["to_status"], "active");
    assert_eq!(last_two[1]["effective_date"], "2026-04-15");

    let same = planner.post(
        &format!("/api/objects/{id}/status"),
        &json!({"version": resumed["version"], "status": "active", "effective_date": "2026-04-16", "reason": "x"}),
    );
    assert_eq!(same.json()["error"], "status_unchanged");
    let stale = planner.post(
        &format!("/api/objects/{id}/status"),
        &json!({"version": object["version"], "status": "closed", "effective_date": "2026-04-16", "reason": "注销"}),
    );
    assert_eq!(stale.status, 409);
    assert_eq!(
        ok(planner.get(&format!("/api/objects/{id}")))["history"]
            .as_array()
            .unwrap()
            .len(),
        history_len + 2,
        "a refused change writes no history"
    );
}

#[test]
fn free_tags_are_set_listed_and_filtered() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let object = an_object(&planner, "category=key");
    let id = object["id"].as_i64().unwrap();
    let set = ok(planner.put(
        &format!("/api/objects/{id}/tags"),
        &json!({"tags": ["长江沿岸", "饮用水源保护区", "长江沿岸", " "]}),
    ));
    assert_eq!(set["tags"], json!(["长江沿岸", "饮用水源保护区"]));
    let detail = ok(planner.get(&format!("/api/objects/{id}")));
    assert_eq!(detail["tags"], json!(["长江沿岸", "饮用水源保护区"]));
    let tagged = ok(planner.get(&format!("/api/objects?tag={}", encode("饮用水源保护区"))));
    assert_eq!(tagged["total"], 1);
    assert_eq!(tagged["objects"][0]["id"], id);
    assert!(
        ok(planner.get("/api/directory/facets"))["tags"]
            .as_array()
            .unwrap()
            .contains(&json!("长江沿岸"))
    );
    let formula = planner.put(
        &format!("/api/objects/{id}/tags"),
        &json!({"tags": ["=1+1"]}),
    );
    assert_eq!(formula.status, 400);
    assert_eq!(formula.json()["error"], "invalid_tags");
    ok(planner.put(&format!("/api/objects/{id}/tags"), &json!({"tags": []})));
    assert_eq!(
        ok(planner.get(&format!("/api/objects?tag={}", encode("饮用水源保护区"))))["total"],
        0
    );
}

#[test]
fn conflicts_of_interest_are_declared_and_ended() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let object = an_object(&planner, "category=special");
    let id = object["id"].as_i64().unwrap();
    let inspectors = ok(planner.get("/api/inspectors"));
    let inspector = &inspectors["inspectors"][0];
    let inspector_id = inspector["id"].as_i64().unwrap();
    let added = planner.post(
        &format!("/api/objects/{id}/conflicts"),
        &json!({"inspector_id": inspector_id, "reason": "近亲属在该单位任职"}),
    );
    assert_eq!(added.status, 201, "{}", added.body);
    assert_eq!(added.json()["inspector_name"], inspector["record"]["name"]);
    let again = planner.post(
        &format!("/api/objects/{id}/conflicts"),
        &json!({"inspector_id": inspector_id, "reason": "近亲属在该单位任职"}),
    );
    assert_eq!(again.status, 409);
    let detail = ok(planner.get(&format!("/api/objects/{id}")));
    assert_eq!(detail["conflicts"][0]["inspector_id"], inspector_id);
    let theirs = ok(planner.get(&format!("/api/inspectors/{inspector_id}")));
    assert!(
        theirs["conflicts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["object_id"] == id)
    );
    let removed = planner.delete(&format!("/api/objects/{id}/conflicts/{inspector_id}"));
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert_eq!(
        planner
            .delete(&format!("/api/objects/{id}/conflicts/{inspector_id}"))
            .status,
        404
    );
    assert_eq!(
        ok(planner.get(&format!("/api/objects/{id}")))["conflicts"],
        json!([])
    );
}

#[test]
fn phone_numbers_are_shown_only_to_those_who_keep_the_directory() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let list = ok(planner.get("/api/inspectors?limit=500"));
    assert!(list["total"].as_u64().unwrap() >= 40);
    for inspector in list["inspectors"].as_array().unwrap() {
        assert_eq!(inspector["record"]["phone"], Value::Null, "never in lists");
    }
    let with_phone = list["inspectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .find(|id| {
            !ok(planner.get(&format!("/api/inspectors/{id}")))["inspector"]["record"]["phone"]
                .is_null()
        })
        .expect("a demo inspector with a phone");
    for role in [Role::Auditor, Role::Inspector, Role::Section, Role::Admin] {
        let detail = ok(Client::demo(role).get(&format!("/api/inspectors/{with_phone}")));
        assert_eq!(
            detail["inspector"]["record"]["phone"],
            Value::Null,
            "{role:?}"
        );
    }
    let air = ok(planner.get("/api/inspectors?specialty=air"));
    for inspector in air["inspectors"].as_array().unwrap() {
        assert!(
            inspector["record"]["specialties"]
                .as_array()
                .unwrap()
                .contains(&json!("air"))
        );
    }
}

#[test]
fn an_inspector_edit_keeps_specialties_and_checks_the_version() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let list = ok(planner.get("/api/inspectors?limit=1"));
    let id = list["inspectors"][0]["id"].as_i64().unwrap();
    let detail = ok(planner.get(&format!("/api/inspectors/{id}")));
    let item = &detail["inspector"];
    let mut record = item["record"].clone();
    record["specialties"] = json!(["air", "water"]);
    record["years_of_service"] = json!(7);
    let updated = ok(planner.put(
        &format!("/api/inspectors/{id}"),
        &json!({"version": item["version"], "record": record}),
    ));
    assert_eq!(updated["record"]["specialties"], json!(["air", "water"]));
    assert_eq!(updated["record"]["years_of_service"], 7);
    let stale = planner.put(
        &format!("/api/inspectors/{id}"),
        &json!({"version": item["version"], "record": record}),
    );
    assert_eq!(stale.status, 409);
}

#[test]
fn only_the_planner_edits_and_imports() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let object = an_object(&planner, "category=general");
    let id = object["id"].as_i64().unwrap();
    for role in [Role::Inspector, Role::Auditor, Role::Section, Role::Admin] {
        let client = Client::demo(role);
        assert_eq!(
            client.get(&format!("/api/objects/{id}")).status,
            200,
            "{role:?}"
        );
        let put = client.put(
            &format!("/api/objects/{id}"),
            &json!({"version": object["version"], "record": object["record"]}),
        );
        assert_eq!(put.status, 403, "{role:?}");
        let import = client.post(
            "/api/imports",
            &json!({"directory": "objects", "file_name": "x.csv", "file_sha256": "0".repeat(64), "row_count": 1}),
        );
        assert_eq!(import.status, 403, "{role:?}");
        let status = client.post(
            &format!("/api/objects/{id}/status"),
            &json!({"version": object["version"], "status": "closed", "effective_date": "2026-01-01", "reason": "x"}),
        );
        assert_eq!(status.status, 403, "{role:?}");
    }
    assert_eq!(Client::anonymous().get("/api/objects").status, 401);
    assert_eq!(Client::anonymous().get("/api/inspectors").status, 401);
}

#[test]
fn the_libreoffice_xlsx_and_the_gbk_csv_import_all_or_nothing() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let (objects_before, _) = totals(&planner);

    let (preview, committed) = import_file(&planner, "objects", "objects_valid.xlsx");
    assert_eq!(preview["summary"]["new"], 40, "{preview}");
    assert_eq!(preview["new"].as_array().unwrap().len(), 20);
    assert!(preview["summary"]["missing"].as_u64().unwrap() >= 1200);
    assert_eq!(committed["summary"]["new"], 40);
    assert_eq!(totals(&planner).0, objects_before + 40);

    // The rows are in the list, and each new object has its first history entry.
    let sample = &preview["new"][0];
    let found = ok(planner.get(&format!(
        "/api/objects?q={}",
        sample["credit_code"].as_str().unwrap()
    )));
    assert_eq!(found["total"], 1);
    assert_eq!(found["objects"][0]["record"], *sample);
    let id = found["objects"][0]["id"].as_i64().unwrap();
    let detail = ok(planner.get(&format!("/api/objects/{id}")));
    assert_eq!(detail["history"][0]["reason"], "导入（新增）");

    // The GBK CSV holds the same 40 objects: nothing new, nothing added.
    let (preview, _) = import_file(&planner, "objects", "objects_valid_gbk.csv");
    assert_eq!(preview["summary"]["new"], 0, "{}", preview["summary"]);
    assert_eq!(
        preview["summary"]["unchanged"].as_u64().unwrap()
            + preview["summary"]["changed"].as_u64().unwrap(),
        40
    );
    assert_eq!(totals(&planner).0, objects_before + 40);

    let (_, inspectors_before) = totals(&planner);
    // The inspectors' file shares employee numbers FDHB001–004 with the demo county: those
    // four are updated in place (specialties included), nobody is added.
    let (preview, _) = import_file(&planner, "inspectors", "inspectors_valid.xlsx");
    let summary = &preview["summary"];
    assert_eq!(
        summary["new"].as_u64().unwrap() + summary["changed"].as_u64().unwrap(),
        4,
        "{summary}"
    );
    assert_eq!(
        totals(&planner).1,
        inspectors_before + summary["new"].as_u64().unwrap()
    );
    let wang = ok(planner.get("/api/inspectors?q=FDHB001"));
    assert_eq!(wang["inspectors"][0]["record"]["name"], "王伟");
    assert_eq!(
        wang["inspectors"][0]["record"]["specialties"],
        json!(["air", "water"])
    );

    // Committed imports are closed.
    let id = ok(planner.post(
        "/api/imports",
        &json!({"directory": "objects", "file_name": "again.csv", "file_sha256": "a".repeat(64), "row_count": 1}),
    ))["id"]
        .as_i64()
        .unwrap();
    assert_eq!(planner.delete(&format!("/api/imports/{id}")).status, 200);
    let reopened = planner.post(&format!("/api/imports/{id}/commit"), &json!({}));
    assert_eq!(reopened.status, 409);
    assert_eq!(reopened.json()["error"], "import_closed");
}

#[test]
fn a_changed_row_is_previewed_with_its_fields_and_updates_in_place() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let object = an_object(&planner, "category=key&status=active");
    let mut record = object["record"].clone();
    record["address"] = json!("导入修改的地址");
    record["status"] = json!("suspended");
    record["status_since"] = json!("2026-02-02");
    let bytes = b"synthetic";
    let id = stage(
        &planner,
        "objects",
        "one-row.csv",
        bytes,
        &[json!({"row": 2, "record": record})],
    );
    let preview = ok(planner.get(&format!("/api/imports/{id}/preview")));
    assert_eq!(preview["summary"]["changed"], 1, "{preview}");
    assert_eq!(
        preview["changed"][0]["fields"],
        json!(["address", "status", "status_since"])
    );
    ok(planner.post(&format!("/api/imports/{id}/commit"), &json!({})));
    let detail = ok(planner.get(&format!("/api/objects/{}", object["id"])));
    assert_eq!(detail["object"]["record"], record);
    assert_eq!(
        detail["object"]["version"],
        object["version"].as_i64().unwrap() + 1
    );
    let last = detail["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["to_status"], "suspended");
    assert_eq!(last["import_id"], id);
}

#[test]
fn every_malformed_fixture_is_refused_with_row_and_column_and_writes_nothing() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let before = totals(&planner);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/import");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| {
            (name.ends_with(".csv") || name.ends_with(".xlsx")) && !name.contains("_valid")
        })
        .collect();
    names.sort();
    assert!(names.len() >= 20, "{names:?}");
    for name in &names {
        let directory = if name.starts_with("inspectors") {
            "inspectors"
        } else {
            "objects"
        };
        let (_, bytes) = fixture(name);
        let issues = validate(directory, name, &bytes)
            .err()
            .unwrap_or_else(|| panic!("{name} should be refused"));
        assert!(!issues.is_empty(), "{name}");
        for issue in &issues {
            assert!(!issue.message_zh.is_empty(), "{name}");
        }
        // Row-level problems name their row and column, in Chinese.
        let expect = std::fs::read_to_string(dir.join(format!("{name}.expect"))).unwrap();
        if let Some(issue) = issues.iter().find(|issue| issue.row.is_some()) {
            let text = issue.to_string_zh();
            assert!(text.starts_with("第 "), "{name}: {text}");
            assert!(
                expect.contains(&text),
                "{name}: {text} not in the expect file"
            );
            if issue.column.is_some() {
                assert!(text.contains(" 列"), "{name}: {text}");
            }
        }
        // The page stops here and sends nothing; the rows that did pass are not importable on
        // their own either (the worker would stage them, but the page never asks).
    }
    assert_eq!(totals(&planner), before, "nothing written");
}

#[test]
fn the_worker_rechecks_every_chunk_and_refuses_it_whole() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let before = totals(&planner);
    let (name, bytes) = fixture("objects_valid.xlsx");
    let rows = validate("objects", &name, &bytes).unwrap();
    let forged = |edit: &dyn Fn(&mut Value)| {
        let mut rows = rows.clone();
        edit(&mut rows[3]);
        rows
    };
    let cases: Vec<(&str, Vec<Value>, &str)> = vec![
        (
            "formula",
            forged(&|row| row["record"]["name"] = json!("=cmd|'/c calc'!A1")),
            "formula_like",
        ),
        (
            "huge cell",
            forged(&|row| row["record"]["address"] = json!("长".repeat(201))),
            "cell_too_long",
        ),
        (
            "closed without date",
            forged(&|row| {
                row["record"]["status"] = json!("closed");
                row["record"]["status_since"] = Value::Null;
            }),
            "missing_status_date",
        ),
        (
            "duplicate in chunk",
            forged(&|row| row["record"]["credit_code"] = rows[4]["record"]["credit_code"].clone()),
            "duplicate_key",
        ),
    ];
    for (label, rows, code) in cases {
        let id = ok(planner.post(
            "/api/imports",
            &json!({"directory": "objects", "file_name": "forged.csv", "file_sha256": "b".repeat(64), "row_count": rows.len()}),
        ))["id"]
            .as_i64()
            .unwrap();
        let reply = planner.post(
            &format!("/api/imports/{id}/rows"),
            &json!({"first_seq": 1, "rows": rows}),
        );
        assert_eq!(reply.status, 400, "{label}: {}", reply.body);
        let body = reply.json();
        assert_eq!(body["error"], "invalid_rows", "{label}");
        let issue = body["issues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|issue| issue["code"] == code)
            .unwrap_or_else(|| panic!("{label}: {body}"));
        assert!(
            issue["row"] == rows[3]["row"] || issue["row"] == rows[4]["row"],
            "{label}: {issue}"
        );
        assert!(issue["column"]["letter"].is_string(), "{label}");
        assert!(body["message"].as_str().unwrap().contains("第 "), "{label}");
        assert_eq!(ok(planner.get(&format!("/api/imports/{id}")))["staged"], 0);
        assert_eq!(
            planner
                .post(&format!("/api/imports/{id}/commit"), &json!({}))
                .json()["error"],
            "import_incomplete"
        );
        ok(planner.delete(&format!("/api/imports/{id}")));
    }

    // A bad credit code does not even parse: refused with its row.
    let id = ok(planner.post(
        "/api/imports",
        &json!({"directory": "objects", "file_name": "forged.csv", "file_sha256": "c".repeat(64), "row_count": 2}),
    ))["id"]
        .as_i64()
        .unwrap();
    let mut bad = rows[..2].to_vec();
    bad[1]["record"]["credit_code"] = json!("91500230MA5U000000");
    let reply = planner.post(
        &format!("/api/imports/{id}/rows"),
        &json!({"first_seq": 1, "rows": bad}),
    );
    assert_eq!(reply.status, 400, "{}", reply.body);
    let row = bad[1]["row"].as_u64().unwrap();
    assert!(
        reply.json()["message"]
            .as_str()
            .unwrap()
            .starts_with(&format!("第 {row} 行")),
        "{}",
        reply.body
    );

    // The same key in two chunks: each chunk passes, the preview and the commit refuse.
    let mut first = rows[..2].to_vec();
    first[1]["record"]["credit_code"] = rows[0]["record"]["credit_code"].clone();
    ok(planner.post(
        &format!("/api/imports/{id}/rows"),
        &json!({"first_seq": 1, "rows": [first[0]]}),
    ));
    ok(planner.post(
        &format!("/api/imports/{id}/rows"),
        &json!({"first_seq": 2, "rows": [first[1]]}),
    ));
    for reply in [
        planner.get(&format!("/api/imports/{id}/preview")),
        planner.post(&format!("/api/imports/{id}/commit"), &json!({})),
    ] {
        assert_eq!(reply.status, 400, "{}", reply.body);
        assert_eq!(reply.json()["error"], "duplicate_key");
        assert_eq!(reply.json()["issues"][0]["row"], first[1]["row"]);
    }
    assert_eq!(totals(&planner), before, "nothing written");
}

#[test]
fn the_column_mapping_is_remembered_per_account() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let empty = ok(planner.get("/api/column-mapping?directory=inspectors"));
    assert_eq!(empty["mapping"], json!({}));
    let mapping = json!({"directory": "objects", "mapping": {"企业名称": "name", "备注": null}});
    ok(planner.put("/api/column-mapping", &mapping));
    assert_eq!(
        ok(planner.get("/api/column-mapping?directory=objects")),
        mapping
    );
    let unknown = planner.put(
        "/api/column-mapping",
        &json!({"directory": "objects", "mapping": {"企业名称": "employee_no"}}),
    );
    assert_eq!(unknown.status, 400);
    assert_eq!(
        Client::demo(Role::Auditor)
            .get("/api/column-mapping?directory=objects")
            .json()["mapping"],
        json!({}),
        "another account's mapping is its own"
    );
}

/// Validates `table` as the import page does and stages its rows with the columns it has.
/// Returns the import id and the fields the import says it writes.
fn stage_table(client: &Client, name: &str, table: Vec<Vec<String>>) -> (i64, Vec<String>) {
    use shared::directory::Field;
    let bytes = shared::directory::write_csv(&table);
    let parsed = read_table(name, &bytes).unwrap();
    let import = validate_objects(&parsed, None);
    assert!(import.is_clean(), "{:?}", import.issues);
    let fields: Vec<String> = import
        .present_fields()
        .iter()
        .map(|f| f.as_str().to_owned())
        .collect();
    let sha = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let created = ok(client.post(
        "/api/imports",
        &json!({"directory": "objects", "file_name": name, "file_sha256": sha,
                "row_count": import.rows.len(), "fields": fields}),
    ));
    let id = created["id"].as_i64().unwrap();
    ok(client.post(
        &format!("/api/imports/{id}/rows"),
        &json!({"first_seq": 1, "rows": import.rows}),
    ));
    let stored: Vec<String> = serde_json::from_value(created["fields"].clone()).unwrap();
    (id, stored)
}

/// `table` without the columns whose headers are in `drop`.
fn without_columns(table: &[Vec<String>], drop: &[&str]) -> Vec<Vec<String>> {
    let keep: Vec<usize> = (0..table[0].len())
        .filter(|&i| !drop.contains(&table[0][i].as_str()))
        .collect();
    table
        .iter()
        .map(|row| keep.iter().map(|&i| row[i].clone()).collect())
        .collect()
}

/// Five objects of this test's own, with every optional field filled, imported with all the
/// columns; their records as stored.
fn five_full_objects(client: &Client, prefix: &str) -> Vec<shared::directory::ObjectRow> {
    use shared::directory::{CreditCode, ObjectRow, PermitClass};
    let rows: Vec<ObjectRow> = (0..5)
        .map(|i| ObjectRow {
            name: format!("{prefix}测试企业{i}"),
            credit_code: CreditCode::with_check_character(&format!("91500230{prefix}{i:07}"))
                .unwrap(),
            category: shared::draw::Category::Key,
            region: "高家镇".to_owned(),
            industry: "化学原料和化学制品制造业".to_owned(),
            address: format!("高家镇工业园{i}号"),
            construction_status: "已投产".to_owned(),
            discharge_type: "废水".to_owned(),
            permit_class: Some(PermitClass::Key),
            production_scale: "大型".to_owned(),
            production_cycle: "连续".to_owned(),
            monitoring_type: "在线监控".to_owned(),
            weather_grade: shared::draw::Grade::B,
            status: shared::draw::ObjectStatus::Active,
            status_since: None,
        })
        .collect();
    let (id, _) = stage_table(client, "full.csv", shared::directory::export_table(&rows));
    ok(client.post(&format!("/api/imports/{id}/commit"), &json!({})));
    rows.iter()
        .map(|row| {
            let found = an_object(client, &format!("q={}", row.credit_code));
            assert_eq!(found["record"]["name"], json!(row.name));
            serde_json::from_value(found["record"].clone()).unwrap()
        })
        .collect()
}

fn stored_object(client: &Client, code: &str) -> Value {
    an_object(client, &format!("q={code}"))
}

#[test]
fn a_file_lacking_columns_keeps_what_is_stored_and_shows_every_change() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let stored = five_full_objects(&planner, "4K");
    let versions: Vec<Value> = stored
        .iter()
        .map(|row| stored_object(&planner, row.credit_code.as_str())["version"].clone())
        .collect();

    // A permit-platform export: the same objects, five columns missing, one address moved and
    // one industry cell left empty in a column the file does have.
    let mut file = stored.clone();
    file[1].address = "高家镇新址1号".to_owned();
    file[3].industry = String::new();
    let dropped = ["建设状态", "排放类型", "生产规模", "生产周期", "监控类型"];
    let table = without_columns(&shared::directory::export_table(&file), &dropped);
    assert_eq!(table[0].len(), 10);
    // The industry is required: an empty one is refused, row and column named.
    let bytes = shared::directory::write_csv(&table);
    let refused = validate_objects(&read_table("permit.csv", &bytes).unwrap(), None);
    assert!(
        refused.issues.iter().any(|issue| issue.row == Some(5)
            && issue
                .column
                .as_ref()
                .is_some_and(|c| c.header == "行业类别")),
        "{:?}",
        refused.issues
    );
    file[3].industry = stored[3].industry.clone();
    file[3].address = String::new();
    let table = without_columns(&shared::directory::export_table(&file), &dropped);

    let (id, fields) = stage_table(&planner, "permit.csv", table);
    for lacking in [
        "construction_status",
        "discharge_type",
        "production_scale",
        "production_cycle",
        "monitoring_type",
    ] {
        assert!(!fields.contains(&lacking.to_owned()), "{fields:?}");
    }
    assert!(fields.contains(&"address".to_owned()));
    let preview = ok(planner.get(&format!("/api/imports/{id}/preview")));
    assert_eq!(preview["summary"]["changed"], 2, "{preview}");
    assert_eq!(preview["summary"]["unchanged"], 3, "{preview}");
    assert_eq!(preview["summary"]["reversals"], 0);
    let changed = preview["changed"].as_array().unwrap();
    let by_code = |code: &str| {
        changed
            .iter()
            .find(|c| c["before"]["credit_code"] == code)
            .unwrap_or_else(|| panic!("{code} in {preview}"))
    };
    let moved = by_code(stored[1].credit_code.as_str());
    assert_eq!(moved["fields"], json!(["address"]));
    assert_eq!(moved["before"]["address"], "高家镇工业园1号");
    assert_eq!(moved["after"]["address"], "高家镇新址1号");
    // The lacking columns show their stored values on both sides: no change.
    assert_eq!(moved["after"]["monitoring_type"], "在线监控");
    let emptied = by_code(stored[3].credit_code.as_str());
    assert_eq!(emptied["fields"], json!(["address"]));
    assert_eq!(emptied["after"]["address"], "");
    // Paging the changed list past the last key gives nothing more.
    let last_key = changed.last().unwrap()["after"]["credit_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let next = ok(planner.get(&format!(
        "/api/imports/{id}/preview?changed_after={last_key}"
    )));
    assert_eq!(next["changed"], json!([]));

    ok(planner.post(&format!("/api/imports/{id}/commit"), &json!({})));
    for (index, row) in stored.iter().enumerate() {
        let now = stored_object(&planner, row.credit_code.as_str());
        let record = &now["record"];
        for (field, value) in [
            ("construction_status", "已投产"),
            ("discharge_type", "废水"),
            ("production_scale", "大型"),
            ("production_cycle", "连续"),
            ("monitoring_type", "在线监控"),
        ] {
            assert_eq!(record[field], value, "{field} of row {index}: {record}");
        }
        let expected_address = match index {
            1 => "高家镇新址1号".to_owned(),
            3 => String::new(),
            _ => row.address.clone(),
        };
        assert_eq!(record["address"], json!(expected_address));
        let moved_on = index == 1 || index == 3;
        assert_eq!(
            now["version"].as_i64().unwrap(),
            versions[index].as_i64().unwrap() + i64::from(moved_on),
            "row {index}: only a real change moves the version"
        );
    }
}

#[test]
fn a_suspended_object_stays_suspended_unless_the_file_says_otherwise_with_a_date() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let stored = five_full_objects(&planner, "5T");
    let code = stored[2].credit_code.as_str().to_owned();
    let object = stored_object(&planner, &code);
    ok(planner.post(
        &format!("/api/objects/{}/status", object["id"]),
        &json!({"version": object["version"], "status": "suspended",
                "effective_date": "2026-11-20", "reason": "停产整治"}),
    ));
    let history_len = |planner: &Client| {
        ok(planner.get(&format!("/api/objects/{}", object["id"])))["history"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = history_len(&planner);

    // Without the status columns the stored 停产 stays.
    let table = without_columns(
        &shared::directory::export_table(&stored),
        &["生产状态", "状态生效日期"],
    );
    let (id, _) = stage_table(&planner, "no-status.csv", table);
    let preview = ok(planner.get(&format!("/api/imports/{id}/preview")));
    assert_eq!(preview["summary"]["changed"], 0, "{preview}");
    ok(planner.post(&format!("/api/imports/{id}/commit"), &json!({})));
    assert_eq!(
        stored_object(&planner, &code)["record"]["status"],
        "suspended"
    );

    // 在产 without a date of its own: refused with the row, nothing written.
    let (id, _) = stage_table(
        &planner,
        "undated.csv",
        shared::directory::export_table(&stored),
    );
    let refused = planner.get(&format!("/api/imports/{id}/preview"));
    assert_eq!(refused.status, 400, "{}", refused.body);
    let body = refused.json();
    assert_eq!(body["error"], "reversal_needs_date");
    assert_eq!(body["issues"][0]["row"], 4, "{body}");
    assert_eq!(body["issues"][0]["code"], "reversal_without_date");
    let commit = planner.post(
        &format!("/api/imports/{id}/commit"),
        &json!({"confirm_reversals": true}),
    );
    assert_eq!(commit.status, 400);
    assert_eq!(
        stored_object(&planner, &code)["record"]["status"],
        "suspended"
    );

    // 在产 dated before the suspension: refused too.
    let mut file = stored.clone();
    file[2].status_since = Some("2026-11-01".parse().unwrap());
    let (id, _) = stage_table(
        &planner,
        "early.csv",
        shared::directory::export_table(&file),
    );
    let refused = planner.get(&format!("/api/imports/{id}/preview")).json();
    assert_eq!(
        refused["issues"][0]["code"], "reversal_before_stored_date",
        "{refused}"
    );

    // 在产 since a date after the suspension: listed, confirmed, dated as the file says.
    file[2].status_since = Some("2026-11-25".parse().unwrap());
    let (id, _) = stage_table(
        &planner,
        "resumed.csv",
        shared::directory::export_table(&file),
    );
    let preview = ok(planner.get(&format!("/api/imports/{id}/preview")));
    assert_eq!(preview["summary"]["reversals"], 1);
    assert_eq!(preview["reversals"][0]["row"], 4);
    assert_eq!(preview["reversals"][0]["before"]["status"], "suspended");
    assert_eq!(preview["reversals"][0]["after"]["status"], "active");
    let unconfirmed = planner.post(&format!("/api/imports/{id}/commit"), &json!({}));
    assert_eq!(unconfirmed.status, 409, "{}", unconfirmed.body);
    assert_eq!(unconfirmed.json()["error"], "reversals_unconfirmed");
    assert_eq!(
        stored_object(&planner, &code)["record"]["status"],
        "suspended"
    );
    ok(planner.post(
        &format!("/api/imports/{id}/commit"),
        &json!({"confirm_reversals": true}),
    ));
    let now = ok(planner.get(&format!("/api/objects/{}", object["id"])));
    assert_eq!(now["object"]["record"]["status"], "active");
    let history = now["history"].as_array().unwrap();
    assert_eq!(history.len(), before + 1);
    let last = history.last().unwrap();
    assert_eq!(last["from_status"], "suspended");
    assert_eq!(last["to_status"], "active");
    assert_eq!(last["effective_date"], "2026-11-25");
    assert_eq!(last["import_id"], id);
}

#[test]
fn objects_and_inspectors_are_created_one_at_a_time_by_the_import_rules() {
    let _serial = serial();
    let planner = Client::demo(Role::Planner);
    let (objects_before, inspectors_before) = totals(&planner);
    let code = shared::directory::CreditCode::with_check_character("915002307N0000001").unwrap();
    let record = json!({
        "name": "新建测试化工有限公司", "credit_code": code.as_str(), "category": "key",
        "region": "高家镇", "industry": "化学原料和化学制品制造业", "address": "高家镇一号",
        "construction_status": "", "discharge_type": "废水", "permit_class": "key",
        "production_scale": "", "production_cycle": "", "monitoring_type": "",
        "weather_grade": "unrated", "status": "active", "status_since": null
    });
    // The section may read but not create.
    let refused = Client::demo(Role::Section).post("/api/objects", &json!({"record": record}));
    assert_eq!(refused.status, 403);
    let created = planner.post("/api/objects", &json!({"record": record}));
    assert_eq!(created.status, 201, "{}", created.body);
    let created = created.json();
    assert_eq!(created["record"], record);
    let detail = ok(planner.get(&format!("/api/objects/{}", created["id"])));
    assert_eq!(detail["history"][0]["reason"], "新建");
    assert_eq!(detail["history"][0]["to_status"], "active");
    let again = planner.post("/api/objects", &json!({"record": record}));
    assert_eq!(again.status, 409, "{}", again.body);
    assert_eq!(again.json()["error"], "duplicate_key");
    // A record the import would refuse is refused with every field named.
    let mut bad = record.clone();
    bad["credit_code"] = json!(
        shared::directory::CreditCode::with_check_character("915002307N0000002")
            .unwrap()
            .as_str()
    );
    bad["name"] = json!("=HYPERLINK(\"x\")");
    bad["status"] = json!("suspended");
    let invalid = planner.post("/api/objects", &json!({"record": bad}));
    assert_eq!(invalid.status, 400, "{}", invalid.body);
    let body = invalid.json();
    assert_eq!(body["error"], "invalid_record");
    let codes: Vec<&str> = body["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|issue| issue["code"].as_str())
        .collect();
    assert!(
        codes.contains(&"formula_like") && codes.contains(&"missing_status_date"),
        "{body}"
    );
    assert!(!body["fields"].as_array().unwrap().is_empty());

    let inspector = json!({
        "name": "新来的检查员", "employee_no": "NEW-0001", "certificate": "50000000099",
        "region": "高家镇", "years_of_service": 1, "specialties": ["water"],
        "department": "执法支队", "post": "检查员", "phone": "13800000000", "active": true
    });
    let created = planner.post("/api/inspectors", &json!({"record": inspector}));
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.json()["record"], inspector);
    let again = planner.post("/api/inspectors", &json!({"record": inspector}));
    assert_eq!(again.status, 409, "{}", again.body);
    assert_eq!(
        totals(&planner),
        (objects_before + 1, inspectors_before + 1)
    );
}
