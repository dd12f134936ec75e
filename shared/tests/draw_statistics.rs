//! Statistical tests: inclusion frequencies over many seeds against exact probabilities, and a
//! χ² test per stratum. Floating point appears only here, to judge the integer engine.
//! `SUICHA_SLOW_TESTS=1` multiplies the number of draws.

use shared::checklist::ChecklistItemId;
use shared::draw::order::WeightedOrder;
use shared::draw::rng::KeyStream;
use shared::draw::synthetic::Synthetic;
use shared::draw::{
    AlgorithmVersion, Category, ChecklistRef, Digest32, DrawSpec, Grade, InspectionObject, Period,
    RiskWeights, SealedInput, SectionId, SectionSpec, Stratum, StratumName, StratumSize, TeamRules,
};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

fn rounds(fast: u32) -> u32 {
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("SUICHA_SLOW_TESTS").is_some() {
        return fast * 10;
    }
    fast
}

fn seed_of(round: u32, label: &str) -> Digest32 {
    let mut bytes = [0u8; 32];
    bytes[..4].copy_from_slice(&round.to_be_bytes());
    bytes[4..4 + label.len().min(28)].copy_from_slice(&label.as_bytes()[..label.len().min(28)]);
    Digest32(bytes)
}

/// Exact inclusion probabilities of successive weighted sampling of `k` without replacement.
fn exact_inclusion(weights: &[f64], k: usize) -> Vec<f64> {
    fn walk(weights: &[f64], taken: &mut Vec<usize>, k: usize, probability: f64, out: &mut [f64]) {
        if taken.len() == k {
            for &index in taken.iter() {
                out[index] += probability;
            }
            return;
        }
        let left: f64 = (0..weights.len())
            .filter(|i| !taken.contains(i))
            .map(|i| weights[i])
            .sum();
        for index in 0..weights.len() {
            if taken.contains(&index) {
                continue;
            }
            taken.push(index);
            walk(weights, taken, k, probability * weights[index] / left, out);
            taken.pop();
        }
    }
    let mut out = vec![0.0; weights.len()];
    walk(weights, &mut Vec::new(), k, 1.0, &mut out);
    out
}

fn assert_within_4_sigma(observed: &[u64], exact: &[f64], trials: u32) {
    for (index, (&count, &p)) in observed.iter().zip(exact).enumerate() {
        let n = f64::from(trials);
        let sigma = (n * p * (1.0 - p)).sqrt().max(1e-9);
        let deviation = (count as f64 - n * p).abs() / sigma;
        assert!(
            deviation < 4.0,
            "object {index}: observed {count}, expected {:.1} ({deviation:.2} σ)",
            n * p
        );
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn weighted_order_inclusion_frequencies_match_exact_probabilities() {
    let weights = [1u32, 2, 3, 4, 10, 5];
    let k = 3;
    let trials = rounds(20_000);
    let mut counts = vec![0u64; weights.len()];
    for round in 0..trials {
        let mut order = WeightedOrder::new(
            weights.to_vec(),
            KeyStream::for_purpose("stat", &seed_of(round, "order")),
        );
        for _ in 0..k {
            counts[order.next_index().unwrap()] += 1;
        }
    }
    let exact = exact_inclusion(&weights.map(f64::from), k);
    assert_within_4_sigma(&counts, &exact, trials);
}

fn small_spec(size: u32) -> DrawSpec {
    let stratum = |name: &str, category| Stratum {
        name: StratumName::new(name).unwrap(),
        categories: vec![category],
        size: StratumSize::Count(size),
    };
    DrawSpec {
        period: Period::new(2025, 2).unwrap(),
        sections: vec![SectionSpec {
            section: SectionId::new("daily").unwrap(),
            filters: Vec::new(),
            strata: vec![
                stratum("general", Category::General),
                stratum("key", Category::Key),
                stratum("special", Category::Special),
            ],
            items: vec![ChecklistItemId(1)],
            annual_guarantee: false,
        }],
        risk_weights: RiskWeights::recommended(),
        yearly_cap: None,
        team_rules: TeamRules::new(2, 2, false, false, 100).unwrap(),
    }
}

fn small_input(objects: u32, size: u32) -> shared::draw::DrawInput {
    let mut input = Synthetic {
        generator_seed: Digest32([5; 32]),
        algorithm_version: AlgorithmVersion::V1,
        objects,
        inspectors: 6,
        regions: 2,
        industries: 2,
        specialties: 0,
        key_permille: 300,
        special_permille: 300,
        externally_inspected_permille: 0,
        spec: small_spec(size),
        checklist: vec![ChecklistRef {
            id: ChecklistItemId(1),
            section: SectionId::new("daily").unwrap(),
            content: "item".into(),
            legal_basis: "law".into(),
            required_specialty: None,
            applies_to: Vec::new(),
        }],
    }
    .build();
    for (index, object) in input.objects.iter_mut().enumerate() {
        object.status = shared::draw::ObjectStatus::Active;
        object.category = [Category::General, Category::Key, Category::Special][index % 3];
    }
    input
}

fn weight(object: &InspectionObject) -> f64 {
    f64::from(RiskWeights::recommended().weight_of(object))
}

/// The whole engine, per stratum: each stratum's selection is successive weighted sampling
/// within the stratum, so inclusion probabilities follow the exact formula.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn engine_inclusion_frequencies_match_exact_probabilities_per_stratum() {
    let input = small_input(18, 2);
    let sealed = SealedInput::seal(&input).unwrap();
    let trials = rounds(3_000);
    let mut counts = vec![0u64; input.objects.len()];
    for round in 0..trials {
        let result = sealed.draw(seed_of(round, "engine"));
        for inspection in &result.inspections {
            counts[(inspection.object.get() - 1) as usize] += 1;
        }
    }
    for category in [Category::General, Category::Key, Category::Special] {
        let members: Vec<usize> = (0..input.objects.len())
            .filter(|&i| input.objects[i].category == category)
            .collect();
        assert!(members.len() <= 8, "keep the exact enumeration small");
        let weights: Vec<f64> = members.iter().map(|&i| weight(&input.objects[i])).collect();
        let exact = exact_inclusion(&weights, 2.min(members.len()));
        let observed: Vec<u64> = members.iter().map(|&i| counts[i]).collect();
        assert_within_4_sigma(&observed, &exact, trials);
    }
}

/// χ² goodness of fit per stratum for single picks (probability `w / W` within the stratum).
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn chi_squared_per_stratum_is_within_the_critical_value() {
    let mut input = small_input(60, 1);
    // Vary the weights within strata through credit grades and violations.
    for (index, object) in input.objects.iter_mut().enumerate() {
        object.risk.credit = [Grade::A, Grade::B, Grade::C, Grade::D][index % 4];
        object.risk.violations = (index % 3) as u32;
    }
    let sealed = SealedInput::seal(&input).unwrap();
    let trials = rounds(4_000);
    let mut counts = vec![0u64; input.objects.len()];
    for round in 0..trials {
        for inspection in &sealed.draw(seed_of(round, "chi")).inspections {
            counts[(inspection.object.get() - 1) as usize] += 1;
        }
    }
    for category in [Category::General, Category::Key, Category::Special] {
        let members: Vec<usize> = (0..input.objects.len())
            .filter(|&i| input.objects[i].category == category)
            .collect();
        let total: f64 = members.iter().map(|&i| weight(&input.objects[i])).sum();
        let chi2: f64 = members
            .iter()
            .map(|&i| {
                let expected = f64::from(trials) * weight(&input.objects[i]) / total;
                (counts[i] as f64 - expected).powi(2) / expected
            })
            .sum();
        let dof = (members.len() - 1) as f64;
        // Wilson–Hilferty approximation of the 0.9999 quantile (z = 3.719).
        let critical = dof * (1.0 - 2.0 / (9.0 * dof) + 3.719 * (2.0 / (9.0 * dof)).sqrt()).powi(3);
        assert!(
            chi2 < critical,
            "{category:?}: χ² = {chi2:.1} with {dof} dof exceeds {critical:.1}"
        );
    }
}

/// The rejection method gives every residue the same chance.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn below_is_uniform() {
    let mut stream = KeyStream::from_key([11; 32]);
    let bound = 7u64;
    let trials = rounds(70_000);
    let mut counts = [0u64; 7];
    for _ in 0..trials {
        counts[stream.below(bound) as usize] += 1;
    }
    let expected = f64::from(trials) / 7.0;
    let chi2: f64 = counts
        .iter()
        .map(|&c| (c as f64 - expected).powi(2) / expected)
        .sum();
    assert!(chi2 < 27.9, "χ² = {chi2:.1} with 6 dof");
}
