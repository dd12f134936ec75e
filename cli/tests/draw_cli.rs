//! `suicha draw` and `suicha verify` end to end, on a case from the known-answer vectors.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn suicha(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_suicha"))
        .args(args)
        .output()
        .expect("suicha runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("suicha-draw-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

/// The first edge vector with a commit seed and no witness: (input JSON, entropy, expected).
fn vector_case() -> (Value, String, Value) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/vectors/edge.json"
    ))
    .unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    let case = file["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|case| case["name"] == "edge/joint-three-sections")
        .expect("the joint edge case exists");
    assert_eq!(case["seed_parts"]["kind"], "commit");
    assert!(case["seed_parts"]["witness"].is_null());
    (
        case["input"]["inline"].clone(),
        case["seed_parts"]["server_entropy"]
            .as_str()
            .unwrap()
            .to_owned(),
        case["expected"].clone(),
    )
}

#[test]
fn draw_reproduces_the_vector_and_verify_says_match() {
    let (input, entropy, expected) = vector_case();
    let input_path = temp_file("input.json", &input.to_string());
    let input_path = input_path.to_str().unwrap();

    let (ok, stdout, stderr) = suicha(&["draw", input_path, "--server-entropy", &entropy]);
    assert!(ok, "{stderr}");
    let result: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(result["result_hash"], expected["result_hash"]);
    assert_eq!(result["sealed_input_hash"], expected["sealed_input_hash"]);
    let selection: Vec<Value> = result["inspections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["object"].clone())
        .collect();
    assert_eq!(Value::Array(selection), expected["selection"]);

    let (ok, stdout, stderr) =
        suicha(&["draw", input_path, "--server-entropy", &entropy, "--bundle"]);
    assert!(ok, "{stderr}");
    let bundle_path = temp_file("bundle.json", &stdout);
    let (ok, stdout, stderr) = suicha(&["verify", bundle_path.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(stdout.starts_with("MATCH\n"), "{stdout}");
}

#[test]
fn verify_names_the_differing_field() {
    let (input, entropy, _) = vector_case();
    let input_path = temp_file("input2.json", &input.to_string());
    let (ok, stdout, _) = suicha(&[
        "draw",
        input_path.to_str().unwrap(),
        "--server-entropy",
        &entropy,
        "--bundle",
    ]);
    assert!(ok);
    let mut bundle: Value = serde_json::from_str(&stdout).unwrap();

    // A tampered team with a stale result hash: the hash check catches it first.
    let mut tampered = bundle.clone();
    tampered["result"]["inspections"][1]["team"]["members"][1] = Value::from(999);
    let path = temp_file("tampered.json", &tampered.to_string());
    let (ok, stdout, _) = suicha(&["verify", path.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        stdout.starts_with("MISMATCH result.result_hash"),
        "{stdout}"
    );

    // A different witness changes the seed.
    bundle["seed_parts"]["witness"] = Value::from("123456");
    let path = temp_file("witness.json", &bundle.to_string());
    let (ok, stdout, _) = suicha(&["verify", path.to_str().unwrap()]);
    assert!(!ok);
    assert!(stdout.starts_with("MISMATCH result.seed"), "{stdout}");

    // An edited input changes the sealed input hash.
    let mut edited: Value = serde_json::from_str(
        &suicha(&[
            "draw",
            input_path.to_str().unwrap(),
            "--server-entropy",
            &entropy,
            "--bundle",
        ])
        .1,
    )
    .unwrap();
    edited["input"]["objects"][0]["risk"]["violations"] = Value::from(7);
    let path = temp_file("edited.json", &edited.to_string());
    let (ok, stdout, _) = suicha(&["verify", path.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        stdout.starts_with("MISMATCH result.sealed_input_hash"),
        "{stdout}"
    );
}

#[test]
fn malformed_input_errors_name_the_json_path() {
    let (mut input, entropy, _) = vector_case();
    input["objects"][2]["category"] = Value::from("huge");
    let path = temp_file("bad.json", &input.to_string());
    let (ok, _, stderr) = suicha(&["draw", path.to_str().unwrap(), "--server-entropy", &entropy]);
    assert!(!ok);
    assert!(stderr.contains("objects[2].category"), "{stderr}");

    let (ok, _, stderr) = suicha(&["draw", path.to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("--server-entropy"), "{stderr}");
}

#[test]
fn a_draw_request_carries_its_own_seed_parts() {
    let (input, entropy, expected) = vector_case();
    let request = serde_json::json!({
        "input": input,
        "seed_parts": {"kind": "commit", "server_entropy": entropy, "witness": null},
    });
    let path = temp_file("request.json", &request.to_string());
    let (ok, stdout, stderr) = suicha(&["draw", path.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    let result: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(result["result_hash"], expected["result_hash"]);
}

#[test]
fn text_that_is_not_json_gets_the_reason_not_a_usage_hint() {
    let (input, entropy, _) = vector_case();
    let request = serde_json::json!({
        "input": input,
        "seed_parts": {"kind": "commit", "server_entropy": entropy, "witness": null},
    })
    .to_string();

    let bom = temp_file("bom.json", &format!("\u{feff}{request}"));
    let (ok, _, stderr) = suicha(&["draw", bom.to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("byte-order mark"), "{stderr}");
    assert!(!stderr.contains("bare input"), "{stderr}");

    let name = input["objects"][0]["name"].to_string();
    let surrogate = temp_file("surrogate.json", &request.replacen(&name, "\"\\ud800\"", 1));
    let (ok, _, stderr) = suicha(&["verify", surrogate.to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("not valid JSON"), "{stderr}");
    assert!(stderr.contains("escape"), "{stderr}");
    let (ok, _, stderr) = suicha(&["draw", surrogate.to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("escape"), "{stderr}");
    assert!(!stderr.contains("bare input"), "{stderr}");
}

#[test]
fn checklist_item_ids_below_one_are_refused() {
    let (mut input, entropy, _) = vector_case();
    let mut old = input["checklist"][0]["id"].clone();
    for bad in [0i64, -1, i64::MIN] {
        input["checklist"][0]["id"] = Value::from(bad);
        for section in input["spec"]["sections"].as_array_mut().unwrap() {
            for item in section["items"].as_array_mut().unwrap() {
                if *item == old {
                    *item = Value::from(bad);
                }
            }
        }
        let path = temp_file("item-id.json", &input.to_string());
        let (ok, _, stderr) =
            suicha(&["draw", path.to_str().unwrap(), "--server-entropy", &entropy]);
        assert!(!ok, "item id {bad} was accepted");
        assert!(
            stderr.contains(&format!("checklist item id must be positive, got {bad}")),
            "{stderr}"
        );
        old = Value::from(bad);
    }
}
