//! The commit benchmark's workload, shared by the native bench (`examples/draw_bench.rs`) and
//! the wasm bench (`tests/draw_bench_wasm.rs`) by `#[path]` inclusion: it needs `serde_json`,
//! which the library itself does not depend on.

use shared::checklist::ChecklistItemId;
use shared::draw::bench::time_best;
use shared::draw::synthetic::Synthetic;
use shared::draw::{
    AlgorithmVersion, Category, ChecklistRef, Digest32, DrawSpec, Period, RiskWeights, SealedInput,
    SectionId, SectionSpec, Specialty, Stratum, StratumName, StratumSize, TeamRules,
};

/// What the worker computes when it commits a draw, without the database: parse the sealed
/// input's JSON, seal it again (normalize + hash), draw with commit seed parts, and serialize
/// the bundle it stores and serves. A county-style quarterly task: 2 % of general objects, 25 %
/// of key ones, 10 special ones, with the annual guarantee; teams of 2–3.
pub struct CommitWorkload {
    pub input_json: String,
    pub objects: u32,
}

impl CommitWorkload {
    pub fn new(objects: u32, inspectors: u32) -> CommitWorkload {
        let section = SectionId::new("daily").expect("valid code");
        let item = |id: i64, need: Option<&str>| ChecklistRef {
            id: ChecklistItemId(id),
            section: section.clone(),
            content: format!("item {id}"),
            legal_basis: "law".to_owned(),
            required_specialty: need.map(|code| Specialty::new(code).expect("valid code")),
            applies_to: Vec::new(),
        };
        let stratum = |name: &str, category: Category, size: StratumSize| Stratum {
            name: StratumName::new(name).expect("valid code"),
            categories: vec![category],
            size,
        };
        let spec = DrawSpec {
            period: Period::new(2026, 4).expect("valid period"),
            sections: vec![SectionSpec {
                section: section.clone(),
                filters: Vec::new(),
                strata: vec![
                    stratum("general", Category::General, StratumSize::RatioBp(200)),
                    stratum("key", Category::Key, StratumSize::RatioBp(2500)),
                    stratum("special", Category::Special, StratumSize::Count(10)),
                ],
                items: vec![ChecklistItemId(1), ChecklistItemId(2)],
                annual_guarantee: true,
            }],
            risk_weights: RiskWeights::recommended(),
            yearly_cap: Some(4),
            team_rules: TeamRules::new(2, 3, false, true, 1_000).expect("valid rules"),
        };
        let input = Synthetic {
            generator_seed: Digest32([3; 32]),
            algorithm_version: AlgorithmVersion::V1,
            objects,
            inspectors,
            regions: 30,
            industries: 20,
            specialties: 8,
            key_permille: 150,
            special_permille: 50,
            externally_inspected_permille: 20,
            spec,
            checklist: vec![item(1, None), item(2, Some("s3"))],
        }
        .build();
        CommitWorkload {
            input_json: serde_json::to_string(&input).expect("an input serializes"),
            objects,
        }
    }

    /// One commit's computation; returns the bundle's length in bytes.
    pub fn run(&self, round: u32) -> usize {
        let input: shared::draw::DrawInput =
            serde_json::from_str(&self.input_json).expect("the input parses");
        let sealed = SealedInput::seal(&input).expect("a valid input");
        let mut entropy = [0u8; 32];
        entropy[..4].copy_from_slice(&round.to_be_bytes());
        let seed_parts = shared::draw::SeedParts::Commit {
            server_entropy: Digest32(entropy),
            witness: Some("314159".to_owned()),
        };
        let result = sealed.draw_with(&seed_parts).expect("the draw runs");
        let bundle = shared::draw::DrawBundle {
            input: sealed.input().clone(),
            seed_parts,
            result,
        };
        serde_json::to_string(&bundle)
            .expect("a bundle serializes")
            .len()
    }
}

/// Times one commit's computation at a county (5 k objects) and a national (100 k) scale.
pub fn run_commit_suite(now: &dyn Fn() -> f64, suffix: &str, emit: &mut dyn FnMut(String)) {
    for (objects, inspectors, label) in [(5_000, 150, "5k"), (100_000, 2_000, "100k")] {
        let workload = CommitWorkload::new(objects, inspectors);
        let mut round = 0u32;
        let mut bytes = 0usize;
        let commit_us = time_best(now, 3, 20_000.0, &mut || (), &mut |()| {
            round += 1;
            bytes = workload.run(round);
            (bytes as u64, ())
        });
        emit(format!(
            "commit_cpu_n{label}_{suffix} {:.1} ms",
            commit_us / 1000.0
        ));
        emit(format!(
            "commit_bundle_n{label}_{suffix} {:.0} KB",
            bytes as f64 / 1024.0
        ));
        emit(format!(
            "commit_input_n{label}_{suffix} {:.0} KB",
            workload.input_json.len() as f64 / 1024.0
        ));
        assert_eq!(workload.objects, objects);
    }
}
