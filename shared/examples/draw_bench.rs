//! Native benchmark of the draw engine; run by `cargo xtask bench`
//! (`cargo run -p suicha-shared --profile fast --example draw_bench`).
//! Prints one `name value unit` line per figure.

use std::time::Instant;

#[path = "../tests/support/commit_workload.rs"]
mod commit_workload;

use shared::draw::bench::{StrataWorkload, draw_strata, run_suite};
use shared::draw::synthetic::Synthetic;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--peak-memory") {
        peak_memory();
        return;
    }
    if args.first().map(String::as_str) == Some("--repeat-1m") {
        // For profilers: the 1M draw in a loop, nothing else.
        let workload = StrataWorkload::new(1_000_000);
        for round in 0..200 {
            std::hint::black_box(draw_strata(
                workload.weights.clone(),
                &workload.sizes,
                &workload.quotas,
                round,
            ));
        }
        return;
    }
    if args.first().map(String::as_str) == Some("--repeat-teams") {
        let teams = shared::draw::bench::TeamsWorkload::new(5_000, 2_000);
        for round in 0..50 {
            std::hint::black_box(teams.run(round).0);
        }
        return;
    }
    if args.first().map(String::as_str) == Some("--phases") {
        // Where the 1M draw's time goes.
        let workload = StrataWorkload::new(1_000_000);
        let epoch = Instant::now();
        let mut new_us = 0.0;
        let mut draws_us = 0.0;
        for round in 0..50u8 {
            let weights = workload.weights.clone();
            let start = epoch.elapsed().as_secs_f64();
            let mut order = shared::draw::order::WeightedOrder::new(
                weights,
                shared::draw::rng::KeyStream::from_key([round; 32]),
            );
            let built = epoch.elapsed().as_secs_f64();
            let mut sink = 0usize;
            for _ in 0..5_200 {
                sink ^= order.next_index().unwrap_or(0);
            }
            let done = epoch.elapsed().as_secs_f64();
            std::hint::black_box(sink);
            new_us += (built - start) * 1e6 / 50.0;
            draws_us += (done - built) * 1e6 / 50.0;
        }
        println!("phase_new_n1m {new_us:.1} us");
        println!("phase_5200_draws_n1m {draws_us:.1} us");
        return;
    }
    if args.first().map(String::as_str) == Some("--repeat-engine") {
        // For profilers: seal and draw a 100k-object synthetic county, nothing else.
        let input = Synthetic {
            objects: 100_000,
            inspectors: 2_000,
            ..serde_json::from_str::<Synthetic>(SYNTHETIC_TEMPLATE).expect("template parses")
        }
        .build();
        for round in 0..10u8 {
            let sealed = shared::draw::SealedInput::seal(&input).expect("valid input");
            std::hint::black_box(sealed.draw(shared::draw::Digest32([round; 32])));
        }
        return;
    }
    let quick = args.first().map(String::as_str) == Some("--quick");
    let epoch = Instant::now();
    let now = move || epoch.elapsed().as_secs_f64() * 1e6;
    let sizes: &[u32] = if quick {
        &[5_000]
    } else {
        &[5_000, 100_000, 1_000_000]
    };
    run_suite(&now, sizes, "native", &mut |line| println!("{line}"));
    if !quick {
        full_engine(&now);
        commit_workload::run_commit_suite(&now, "native", &mut |line| println!("{line}"));
    }
}

/// The whole engine (pool, strata, guarantee, joint inspections, teams, result hash) on a
/// synthetic directory, and the sealing (canonical encoding + SHA-256) of its input.
fn full_engine(now: &dyn Fn() -> f64) {
    for (objects, inspectors, label) in [
        (5_000u32, 150u32, "5k"),
        (100_000, 2_000, "100k"),
        (1_000_000, 2_000, "1m"),
    ] {
        let input = Synthetic {
            objects,
            inspectors,
            ..serde_json::from_str::<Synthetic>(SYNTHETIC_TEMPLATE).expect("template parses")
        }
        .build();
        let owned = input.clone();
        let start = now();
        let sealed = shared::draw::SealedInput::seal_owned(owned).expect("valid input");
        let seal_us = now() - start;
        let start = now();
        let result = sealed.draw(shared::draw::Digest32([9; 32]));
        let draw_us = now() - start;
        println!("engine_seal_n{label}_native {seal_us:.1} us");
        println!(
            "engine_draw_n{label}_k{}_native {draw_us:.1} us",
            result.inspections.len()
        );
    }
}

/// Peak memory of the 1M draw above the resident set it starts from (Linux: `VmHWM` after
/// resetting it through `/proc/self/clear_refs`).
fn peak_memory() {
    let workload = StrataWorkload::new(1_000_000);
    let weights = workload.weights.clone();
    let input_bytes = weights.len() * 4;
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let before = status_kib("VmRSS:");
    let drawn = draw_strata(weights, &workload.sizes, &workload.quotas, 1).0;
    let peak = status_kib("VmHWM:");
    std::hint::black_box(drawn);
    match (reset, before, peak) {
        (true, Some(before), Some(peak)) => {
            println!(
                "peak_memory_draw_n1m_native {:.2} MiB",
                peak.saturating_sub(before) as f64 / 1024.0
            );
            println!(
                "input_memory_n1m_native {:.2} MiB",
                input_bytes as f64 / 1048576.0
            );
        }
        _ => println!("peak_memory_draw_n1m_native unavailable -"),
    }
}

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

const SYNTHETIC_TEMPLATE: &str = r#"{
  "generator_seed": "0303030303030303030303030303030303030303030303030303030303030303",
  "algorithm_version": 1, "objects": 0, "inspectors": 0, "regions": 30, "industries": 20,
  "specialties": 8, "key_permille": 150, "special_permille": 50, "externally_inspected_permille": 10,
  "spec": {
    "period": {"year": 2025, "quarter": 2},
    "sections": [
      {"section": "daily", "filters": [], "items": [1, 2], "annual_guarantee": true,
       "strata": [{"name": "general", "categories": ["general"], "size": {"ratio_bp": 50}},
                  {"name": "key", "categories": ["key"], "size": {"ratio_bp": 50}},
                  {"name": "special", "categories": ["special"], "size": {"ratio_bp": 50}}]},
      {"section": "water", "filters": [{"tag": "discharge_type", "values": ["water"]}], "items": [3],
       "annual_guarantee": false,
       "strata": [{"name": "all", "categories": ["general", "key", "special"], "size": {"ratio_bp": 50}}]}
    ],
    "risk_weights": {"base": 100, "per_violation": 50, "max_counted_violations": 4, "per_complaint": 20,
      "max_counted_complaints": 5, "credit": {"a": -50, "b": 0, "c": 50, "d": 100, "unrated": 0},
      "unstable_permit_compliance": 50, "high_public_concern": 30,
      "category": {"general": 0, "key": 50, "special": 100}},
    "yearly_cap": 4,
    "team_rules": {"team_size": 2, "max_team_size": 3, "exclude_same_region": true, "rotate_lead": true,
      "max_assignments_per_draw": 20}
  },
  "checklist": [
    {"id": 1, "section": "daily", "content": "pollution-control facilities", "legal_basis": "law", "required_specialty": null, "applies_to": []},
    {"id": 2, "section": "daily", "content": "discharge permit", "legal_basis": "law", "required_specialty": "s1", "applies_to": []},
    {"id": 3, "section": "water", "content": "wastewater", "legal_basis": "law", "required_specialty": "s2", "applies_to": []}
  ]
}"#;
