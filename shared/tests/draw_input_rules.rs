//! The input rules `docs/draw-algorithm.md` §2 and §2.1 state at the JSON level — absent
//! fields, numbers, duplicate keys, byte-order marks, lone surrogates, free text — checked on
//! the same parser the CLI, the worker and the browser use, natively and in wasm.

use serde_json::Value;
use shared::draw::{DrawBundle, DrawInput, DrawInputError, SeedParts};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

#[path = "support/honest_bundle.rs"]
mod honest;
use honest::honest_bundle;

/// The honest bundle as JSON.
fn bundle_json() -> Value {
    serde_json::to_value(honest_bundle()).unwrap()
}

fn parse(text: &str) -> Result<DrawBundle, String> {
    serde_json::from_str::<DrawBundle>(text).map_err(|error| error.to_string())
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn only_the_four_optional_fields_may_be_absent_and_then_mean_null() {
    let bundle = bundle_json();
    let mut absent = bundle.clone();
    let mut nulls = bundle.clone();
    for (parent, field) in [
        ("/input/objects/0", "last_lead"),
        ("/input/spec", "yearly_cap"),
        ("/input/checklist/0", "required_specialty"),
        ("/seed_parts", "witness"),
    ] {
        let object = absent.pointer_mut(parent).unwrap().as_object_mut().unwrap();
        assert!(object.remove(field).is_some(), "{parent}/{field} exists");
        nulls.pointer_mut(parent).unwrap()[field] = Value::Null;
    }
    let absent = parse(&absent.to_string()).unwrap();
    assert_eq!(absent.input.spec.yearly_cap, None);
    assert_eq!(absent.input.objects[0].last_lead, None);
    assert_eq!(absent.input.checklist[0].required_specialty, None);
    assert!(matches!(
        absent.seed_parts,
        SeedParts::Commit { witness: None, .. }
    ));
    assert_eq!(absent, parse(&nulls.to_string()).unwrap());

    // Every other field is required, at every level.
    for path in [
        "/input/algorithm_version",
        "/input/history",
        "/input/spec/team_rules",
        "/input/objects/0/inspections_this_year",
        "/input/objects/0/tags/monitoring_type",
        "/input/inspectors/0/conflicts",
        "/input/checklist/0/applies_to",
        "/seed_parts/server_entropy",
    ] {
        let mut missing = bundle.clone();
        let (parent, field) = path.rsplit_once('/').unwrap();
        missing
            .pointer_mut(parent)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .remove(field)
            .unwrap_or_else(|| panic!("{path} exists"));
        let error = parse(&missing.to_string()).unwrap_err();
        assert!(
            error.contains(&format!("missing field `{field}`")),
            "{path}: {error}"
        );
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn json_text_rules() {
    let text = bundle_json().to_string();
    assert!(parse(&text).is_ok());

    // A byte-order mark is not JSON.
    assert!(parse(&format!("\u{feff}{text}")).is_err());
    // Trailing text after the value.
    assert!(parse(&format!("{text} {{}}")).is_err());
    // A duplicate key, at any level.
    let duplicate = text.replacen("\"quarter\":", "\"quarter\":1,\"quarter\":", 1);
    let error = parse(&duplicate).unwrap_err();
    assert!(error.contains("duplicate field `quarter`"), "{error}");
    // Integers are written as integers: 1.0, 1e0 and -0 are not integers.
    let quarter = bundle_json()["input"]["spec"]["period"]["quarter"].clone();
    for spelling in [
        format!("{quarter}.0"),
        format!("{quarter}e0"),
        "-0".to_owned(),
    ] {
        let changed = text.replacen(
            &format!("\"quarter\":{quarter}"),
            &format!("\"quarter\":{spelling}"),
            1,
        );
        assert_ne!(changed, text);
        assert!(
            parse(&changed).is_err(),
            "{spelling} was taken as an integer"
        );
    }
    // A lone surrogate escape is refused; an escaped pair is the character it encodes.
    let name = bundle_json()["input"]["objects"][0]["name"].to_string();
    let lone = text.replacen(&name, "\"\\ud800x\"", 1);
    let error = parse(&lone).unwrap_err();
    assert!(error.contains("escape"), "{error}");
    let lone_at_end = text.replacen(&name, "\"\\udfff\"", 1);
    assert!(parse(&lone_at_end).is_err());
    let pair = text.replacen(&name, "\"\\ud83d\\ude00\"", 1);
    let parsed = parse(&pair).unwrap();
    assert_eq!(parsed.input.objects[0].name, "\u{1f600}");
}

fn input_with(change: impl FnOnce(&mut Value)) -> Result<DrawInput, DrawInputError> {
    let mut input = bundle_json()["input"].clone();
    change(&mut input);
    serde_json::from_value::<DrawInput>(input)
        .unwrap()
        .into_normalized()
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn free_text_rules_apply_to_names_tags_and_filter_values() {
    // Empty text is allowed; 512 bytes is the limit, counted in UTF-8 bytes.
    assert!(input_with(|input| input["objects"][0]["name"] = Value::from("")).is_ok());
    assert!(
        input_with(|input| input["objects"][0]["name"] = Value::from("环".repeat(170))).is_ok()
    );
    assert!(
        input_with(|input| input["objects"][0]["name"] = Value::from("环".repeat(171))).is_err()
    );
    // Control characters are U+0000–U+001F and U+007F–U+009F (Unicode category Cc) …
    for control in ['\u{0}', '\t', '\n', '\u{1f}', '\u{7f}', '\u{85}', '\u{9f}'] {
        let text = format!("a{control}b");
        assert!(
            input_with(|input| input["objects"][0]["name"] = Value::from(text.clone())).is_err(),
            "{control:?} in a name"
        );
        assert!(
            input_with(|input| {
                input["spec"]["sections"][0]["filters"] =
                    serde_json::json!([{"tag": "region", "values": [text.clone()]}]);
            })
            .is_err(),
            "{control:?} in a filter value"
        );
    }
    // … and nothing else: format characters and line separators are text.
    for other in ['\u{a0}', '\u{200b}', '\u{2028}', '\u{feff}'] {
        let text = format!("a{other}b");
        assert!(
            input_with(|input| input["objects"][0]["tags"]["region"] = Value::from(text.clone()))
                .is_ok(),
            "{other:?} in a tag"
        );
    }
    // A filter value may be empty text (it then matches objects whose tag is empty).
    assert!(
        input_with(|input| {
            input["spec"]["sections"][0]["filters"] =
                serde_json::json!([{"tag": "region", "values": [""]}]);
        })
        .is_ok()
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_id_is_at_least_one() {
    for bad in [0i64, -1, i64::MIN] {
        let refused = input_with(|input| {
            let old = input["checklist"][0]["id"].clone();
            input["checklist"][0]["id"] = Value::from(bad);
            for section in input["spec"]["sections"].as_array_mut().unwrap() {
                for item in section["items"].as_array_mut().unwrap() {
                    if *item == old {
                        *item = Value::from(bad);
                    }
                }
            }
        });
        assert_eq!(
            refused.unwrap_err(),
            DrawInputError::NonPositiveId {
                kind: "checklist item",
                value: bad
            }
        );
        assert!(input_with(|input| input["objects"][0]["id"] = Value::from(bad)).is_err());
        assert!(input_with(|input| input["inspectors"][0]["id"] = Value::from(bad)).is_err());
    }
}
