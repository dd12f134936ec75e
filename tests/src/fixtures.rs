//! Test fixtures: draw specs built on `shared`'s own types, and the common steps of the
//! bureau's year (a committed task, a record, a publication).
//!
//! This is the only place a draw spec is written down for the tests. The browser tests read
//! the same specs from `tests/e2e/fixtures.json`, which [`e2e_fixtures_json`] generates (a test
//! fails when the file is out of date and prints what to paste).

use serde_json::{Value, json};
use shared::checklist::ChecklistItemId;
use shared::draw::{
    Category, DrawSpec, Period, RiskWeights, SectionId, SectionSpec, Stratum, StratumName,
    StratumSize, TeamRules,
};

use crate::Client;

/// A draw spec under construction. Starts as a one-section daily-supervision draw with the
/// recommended risk weights, teams of two, no yearly cap and no strata.
#[derive(Debug, Clone)]
pub struct Spec(DrawSpec);

impl Spec {
    /// A draw of `section` (its code in `shared::sections`) for one quarter.
    pub fn quarter(year: u16, quarter: u8, section: &str) -> Spec {
        Spec(DrawSpec {
            period: Period::new(year, quarter).expect("a valid period"),
            sections: vec![SectionSpec {
                section: SectionId::new(section).expect("a valid section code"),
                filters: Vec::new(),
                strata: Vec::new(),
                items: Vec::new(),
                annual_guarantee: false,
            }],
            risk_weights: RiskWeights::recommended(),
            yearly_cap: None,
            team_rules: TeamRules::new(2, 2, false, true, 60).expect("valid team rules"),
        })
    }

    fn section(&mut self) -> &mut SectionSpec {
        self.0.sections.last_mut().expect("a spec has a section")
    }

    /// The checklist items the section checks.
    pub fn items(mut self, ids: &[i64]) -> Spec {
        self.section().items = ids.iter().map(|id| ChecklistItemId(*id)).collect();
        self
    }

    fn stratum(mut self, name: &str, categories: &[Category], size: StratumSize) -> Spec {
        self.section().strata.push(Stratum {
            name: StratumName::new(name).expect("a valid stratum name"),
            categories: categories.to_vec(),
            size,
        });
        self
    }

    /// A stratum drawing exactly `count` objects of `categories`.
    pub fn count(self, name: &str, categories: &[Category], count: u32) -> Spec {
        self.stratum(name, categories, StratumSize::Count(count))
    }

    /// A stratum drawing `ratio_bp` basis points of the eligible objects of `categories`.
    pub fn ratio(self, name: &str, categories: &[Category], ratio_bp: u32) -> Spec {
        self.stratum(name, categories, StratumSize::RatioBp(ratio_bp))
    }

    /// The annual guarantee for key and special objects.
    pub fn annual_guarantee(mut self) -> Spec {
        self.section().annual_guarantee = true;
        self
    }

    pub fn risk_weights(mut self, weights: RiskWeights) -> Spec {
        self.0.risk_weights = weights;
        self
    }

    pub fn yearly_cap(mut self, cap: u32) -> Spec {
        self.0.yearly_cap = Some(cap);
        self
    }

    /// Team rules: `size` members (up to `max` for specialties), lead rotation, and at most
    /// `per_inspector` teams per inspector in this draw; never excluding the same region.
    pub fn teams(mut self, size: u32, max: u32, rotate_lead: bool, per_inspector: u32) -> Spec {
        self.0.team_rules =
            TeamRules::new(size, max, false, rotate_lead, per_inspector).expect("valid team rules");
        self
    }

    pub fn build(self) -> DrawSpec {
        self.0
    }

    /// The spec as the API takes it.
    pub fn json(&self) -> Value {
        serde_json::to_value(&self.0).expect("a spec serializes")
    }
}

const GENERAL: &[Category] = &[Category::General];
const KEY: &[Category] = &[Category::Key];
const SPECIAL: &[Category] = &[Category::Special];

/// The quarterly draw of the EIA and permits section (环评与排污许可科, the demo section
/// account's own) that the draw lifecycle tests use: 1 % of general objects, 25 % of key ones,
/// every special one up to 5, the annual guarantee, at most 4 inspections a year per object,
/// teams of two (three for specialties).
pub fn eia_quarterly(quarter: u8) -> Spec {
    Spec::quarter(2026, quarter, "eia_permit")
        .ratio("general", GENERAL, 100)
        .ratio("key", KEY, 2500)
        .count("special", SPECIAL, 5)
        .items(&[3, 9, 10])
        .annual_guarantee()
        .yearly_cap(4)
        .teams(2, 3, true, 40)
}

/// The fourth-quarter EIA and permits draw the inspection tests (API and browser) record
/// against: 2 % of general objects, 30 % of key ones, 4 special ones; teams of two.
pub fn eia_q4_inspections() -> Spec {
    Spec::quarter(2026, 4, "eia_permit")
        .ratio("general", GENERAL, 200)
        .ratio("key", KEY, 3000)
        .count("special", SPECIAL, 4)
        .items(&[3, 9, 10])
}

/// A fourth-quarter draw of exactly three general, two key and one special object (teams of
/// two, items 3, 9 and 10): small enough for the statistics tests to count by hand.
pub fn eia_q4_exact() -> Spec {
    Spec::quarter(2026, 4, "eia_permit")
        .count("general", GENERAL, 3)
        .count("key", KEY, 2)
        .count("special", SPECIAL, 1)
        .items(&[3, 9, 10])
}

/// The annual plan tests' draw for any period: 1 % general, 25 % key, the annual guarantee.
pub fn eia_plan_draw(year: u16, quarter: u8) -> Spec {
    Spec::quarter(year, quarter, "eia_permit")
        .ratio("general", GENERAL, 100)
        .ratio("key", KEY, 2500)
        .items(&[3, 9, 10])
        .annual_guarantee()
        .teams(2, 3, true, 40)
}

/// Three objects of any category, uniform weights: the database-guard tests' draw of the
/// emergency section.
pub fn emergency_three() -> Spec {
    Spec::quarter(2026, 1, "emergency")
        .count(
            "all",
            &[Category::General, Category::Key, Category::Special],
            3,
        )
        .items(&[11, 12])
        .risk_weights(RiskWeights::uniform())
        .teams(2, 2, false, 10)
}

/// What [`committed_task`] made.
#[derive(Debug, Clone, Copy)]
pub struct Committed {
    pub task: i64,
    pub draw: i64,
    /// Objects drawn.
    pub selected: u64,
}

/// Creates a task owned by the spec's section, seals it and commits it with witness digits,
/// as `client`; panics with the answer of the step that fails.
pub fn committed_task(client: &Client, name: &str, spec: &Spec) -> Committed {
    let owner = spec.0.sections[0].section.as_str().to_owned();
    let created = client.post(
        "/api/tasks",
        &json!({"name": name, "owner_section": owner, "spec": spec.json(), "exclusions": []}),
    );
    assert_eq!(created.status, 201, "create {name}: {}", created.body);
    let task = created.json()["id"].as_i64().expect("a task id");
    let sealed = client.post(&format!("/api/tasks/{task}/seal"), &json!({}));
    assert_eq!(sealed.status, 200, "seal {name}: {}", sealed.body);
    let mut committer = client.clone();
    committer.extra_headers.push((
        "idempotency-key".to_owned(),
        format!("fixture-commit-{task}"),
    ));
    let draw = committer.post(
        &format!("/api/tasks/{task}/commit"),
        &json!({"witness": "314159"}),
    );
    assert_eq!(draw.status, 201, "commit {name}: {}", draw.body);
    let draw = draw.json();
    Committed {
        task,
        draw: draw["draw"]["id"].as_i64().expect("a draw id"),
        selected: draw["draw"]["selected"].as_u64().expect("a count"),
    }
}

/// The inspectors of an inspection's team (an `InspectionSummary` as JSON), lead first.
pub fn team_ids(inspection: &Value) -> Vec<i64> {
    inspection["team"]
        .as_array()
        .expect("an inspection has a team")
        .iter()
        .map(|member| member["inspector_id"].as_i64().expect("an inspector id"))
        .collect()
}

/// An on-site record for an inspection, as `PUT /api/inspections/:id/record` takes it: the whole
/// team present, every item compliant unless [`Record::problem`] names what was found at the
/// first item.
#[derive(Debug, Clone)]
pub struct Record {
    body: Value,
}

impl Record {
    /// A record of `inspection` on `inspected_on` with `result` (`no_problem`,
    /// `ordered_to_correct`, `case_opened`); a result other than `no_problem` gets an order
    /// number.
    pub fn of(inspection: &Value, inspected_on: &str, result: &str) -> Record {
        let findings: Vec<Value> = inspection["items"]
            .as_array()
            .expect("an inspection has items")
            .iter()
            .map(|item| json!({"item": item["id"], "compliant": true, "note": ""}))
            .collect();
        let order_number = if result == "no_problem" {
            ""
        } else {
            "县环责改〔2026〕第117号"
        };
        Record {
            body: json!({
                "inspected_on": inspected_on,
                "team_present": team_ids(inspection),
                "findings": findings,
                "result": result,
                "order_number": order_number,
                "confidential": false,
                "confidential_ground": "",
                "attachments": [],
                "remarks": ""
            }),
        }
    }

    /// The first item was found wanting, with this note.
    pub fn problem(mut self, note: &str) -> Record {
        self.body["findings"][0]["compliant"] = json!(false);
        self.body["findings"][0]["note"] = json!(note);
        self
    }

    /// Withheld from publication on this legal ground.
    pub fn confidential(mut self, ground: &str) -> Record {
        self.body["confidential"] = json!(true);
        self.body["confidential_ground"] = json!(ground);
        self
    }

    pub fn order_number(mut self, number: &str) -> Record {
        self.body["order_number"] = json!(number);
        self
    }

    pub fn attachments(mut self, descriptions: &[&str]) -> Record {
        self.body["attachments"] = json!(descriptions);
        self
    }

    pub fn json(self) -> Value {
        self.body
    }
}

/// Records `record` for inspection `id` as `client`; returns the saved inspection.
pub fn record(client: &Client, id: i64, record: Record) -> Value {
    let saved = client.put(&format!("/api/inspections/{id}/record"), &record.json());
    assert!(
        saved.status == 201 || saved.status == 200,
        "record {id}: {} {}",
        saved.status,
        saved.body
    );
    saved.json()["inspection"].clone()
}

/// Publishes inspection `id`'s result as `client`; returns the answer.
pub fn publish(client: &Client, id: i64) -> crate::Reply {
    client.post(&format!("/api/inspections/{id}/publish"), &json!({}))
}

/// The browser tests' fixtures, as `tests/e2e/fixtures.json` holds them.
pub fn e2e_fixtures_json() -> String {
    let fixtures = json!({
        "_comment": "Generated from tests/src/fixtures.rs (suicha_tests::fixtures::e2e_fixtures_json); do not edit by hand.",
        "records_spec": eia_q4_inspections().json(),
    });
    let mut text = serde_json::to_string_pretty(&fixtures).expect("fixtures serialize");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_tests_read_the_fixtures_built_here() {
        let path = xtask::repo_root().join("tests/e2e/fixtures.json");
        let wanted = e2e_fixtures_json();
        if std::env::var_os("SUICHA_BLESS").is_some() {
            std::fs::write(&path, &wanted).expect("fixtures.json is writable");
        }
        let stored = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            stored == wanted,
            "{} is out of date: rerun this test with SUICHA_BLESS=1, or write into it:\n{wanted}",
            path.display()
        );
    }

    #[test]
    fn every_preset_is_a_spec_the_engine_accepts() {
        for spec in [
            eia_quarterly(1),
            eia_q4_inspections(),
            eia_q4_exact(),
            eia_plan_draw(2027, 2),
            emergency_three(),
        ] {
            let spec = spec.build();
            let text = serde_json::to_string(&spec).unwrap();
            let back: DrawSpec = serde_json::from_str(&text).unwrap();
            assert_eq!(back, spec);
            assert!(!spec.sections[0].items.is_empty());
            assert!(!spec.sections[0].strata.is_empty());
        }
    }
}
