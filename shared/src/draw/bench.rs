//! Benchmark workloads, shared by the native bench (`shared/examples/draw_bench.rs`) and the
//! wasm bench (`shared/tests/draw_bench_wasm.rs`) so both measure exactly the same work.
//! Timing is the caller's business: this crate reads no clock.

use super::ids::{AlgorithmVersion, Digest32};
use super::model::{
    Category, ChecklistRef, DrawSpec, Period, RiskWeights, SectionSpec, Stratum, StratumSize,
    TeamRules,
};
use super::order::WeightedOrder;
use super::rng::KeyStream;
use super::synthetic::Synthetic;
use super::teams::{TeamRequest, assign_teams};
use super::{SealedInput, SectionId, Specialty, StratumName};
use crate::checklist::ChecklistItemId;

/// Objects with integer weights and three strata; `k = 0.5 %` of `n`, split by stratum size.
pub struct StrataWorkload {
    /// One `u32` per object: the weight, with the stratum in the tag bits, as the engine lays
    /// them out for the walk (`WeightedOrder` entries).
    pub weights: Vec<u32>,
    /// Objects per stratum.
    pub sizes: [u64; 3],
    pub quotas: [u64; 3],
}

impl StrataWorkload {
    /// `n` objects: 80 % general, 15 % key, 5 % special; weights 50–400.
    pub fn new(n: u32) -> StrataWorkload {
        let mut stream = KeyStream::for_purpose("suicha.bench.strata", &Digest32([1; 32]));
        let mut weights = Vec::with_capacity(n as usize);
        let mut sizes = [0u64; 3];
        for _ in 0..n {
            let roll = stream.below(100);
            let stratum = if roll < 80 {
                0
            } else if roll < 95 {
                1
            } else {
                2
            };
            sizes[stratum] += 1;
            let weight = 50 + 50 * stream.below(8) as u32;
            weights.push(weight | (stratum as u32) << WeightedOrder::TAG_SHIFT);
        }
        let k = u64::from(n).div_ceil(200);
        let total = u64::from(n).max(1);
        let quotas = sizes.map(|size| (k * size).div_ceil(total));
        StrataWorkload {
            weights,
            sizes,
            quotas,
        }
    }

    /// The number of objects the draw takes.
    pub fn k(&self) -> u64 {
        self.quotas.iter().sum()
    }
}

/// Runs the engine's sampling core (global weighted order + stratum walk) on a workload.
/// The weights and strata are copied before the call and handed back after it, so that a
/// caller can keep allocation and freeing outside what it times.
pub fn draw_strata(
    weights: Vec<u32>,
    sizes: &[u64; 3],
    quotas: &[u64; 3],
    round: u32,
) -> (usize, Vec<u32>) {
    let mut seed = [0u8; 32];
    seed[..4].copy_from_slice(&round.to_be_bytes());
    super::v1::stratified_walk(weights, sizes, quotas, &Digest32(seed))
}

/// The memory-floor reference: one plain pass over the same weights (summing the weight bits).
pub fn memory_floor(weights: &[u32]) -> u64 {
    weights
        .iter()
        .map(|&w| u64::from(w & WeightedOrder::WEIGHT_LIMIT))
        .sum()
}

/// `targets` drawn objects needing teams from `inspectors` inspectors.
pub struct TeamsWorkload {
    sealed: SealedInput,
    requests: Vec<TeamRequest>,
}

impl TeamsWorkload {
    /// A synthetic county with `targets` objects and `inspectors` inspectors; every object
    /// needs a team for two checklist items, one needing a specialty.
    pub fn new(targets: u32, inspectors: u32) -> TeamsWorkload {
        let section = SectionId::new("daily").expect("valid code");
        let item = |id: i64, need: Option<&str>| ChecklistRef {
            id: ChecklistItemId(id),
            section: section.clone(),
            content: format!("item {id}"),
            legal_basis: "law".to_owned(),
            required_specialty: need.map(|code| Specialty::new(code).expect("valid code")),
            applies_to: Vec::new(),
        };
        let spec = DrawSpec {
            period: Period::new(2025, 2).expect("valid period"),
            sections: vec![SectionSpec {
                section: section.clone(),
                filters: Vec::new(),
                strata: vec![Stratum {
                    name: StratumName::new("all").expect("valid code"),
                    categories: vec![Category::General, Category::Key, Category::Special],
                    size: StratumSize::Count(targets),
                }],
                items: vec![ChecklistItemId(1), ChecklistItemId(2)],
                annual_guarantee: false,
            }],
            risk_weights: RiskWeights::recommended(),
            yearly_cap: None,
            team_rules: TeamRules::new(2, 3, true, true, 20).expect("valid rules"),
        };
        let input = Synthetic {
            generator_seed: Digest32([2; 32]),
            algorithm_version: AlgorithmVersion::V1,
            objects: targets,
            inspectors,
            regions: 30,
            industries: 20,
            specialties: 8,
            key_permille: 150,
            special_permille: 50,
            externally_inspected_permille: 0,
            spec,
            checklist: vec![item(1, None), item(2, Some("s3"))],
        }
        .build();
        let sealed = SealedInput::seal(&input).expect("valid synthetic input");
        let requests = (0..sealed.input().objects.len())
            .map(|object_index| TeamRequest {
                object_index,
                items: vec![ChecklistItemId(1), ChecklistItemId(2)],
            })
            .collect();
        TeamsWorkload { sealed, requests }
    }

    /// Assigns teams to every target; returns how many teams were formed, and the outcomes
    /// (so that a caller can free them outside what it times).
    pub fn run(&self, round: u32) -> (usize, Vec<super::TeamOutcome>) {
        let mut seed = [0u8; 32];
        seed[..4].copy_from_slice(&round.to_be_bytes());
        let outcomes = assign_teams(self.sealed.input(), &self.requests, &Digest32(seed));
        let formed = outcomes
            .iter()
            .filter(|team| matches!(team, super::TeamOutcome::Assigned { .. }))
            .count();
        (formed, outcomes)
    }
}

/// Time per call in microseconds, the best of `batches` timed batches (the usual estimate of
/// a routine's own cost on a machine shared with other work): calls are batched so that a
/// batch lasts at least `min_batch_us`; `prepare` and freeing the outputs run outside the
/// timed region.
pub fn time_best<T, U>(
    now: &dyn Fn() -> f64,
    batches: usize,
    min_batch_us: f64,
    prepare: &mut dyn FnMut() -> T,
    run: &mut dyn FnMut(T) -> (u64, U),
) -> f64 {
    let mut sink = 0u64;
    // Calibrate the batch size.
    let mut reps = 1usize;
    loop {
        let inputs: Vec<T> = (0..reps).map(|_| prepare()).collect();
        let mut outputs: Vec<U> = Vec::with_capacity(reps);
        let start = now();
        for input in inputs {
            let (value, output) = run(input);
            sink = sink.wrapping_add(value);
            outputs.push(output);
        }
        let elapsed = now() - start;
        drop(outputs);
        if elapsed >= min_batch_us || reps >= 1 << 20 {
            break;
        }
        reps *= 2;
    }
    let mut samples: Vec<f64> = (0..batches)
        .map(|_| {
            let inputs: Vec<T> = (0..reps).map(|_| prepare()).collect();
            let mut outputs: Vec<U> = Vec::with_capacity(reps);
            let start = now();
            for input in inputs {
                let (value, output) = run(input);
                sink = sink.wrapping_add(value);
                outputs.push(output);
            }
            let elapsed = now() - start;
            drop(outputs);
            elapsed / reps as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    std::hint::black_box(sink);
    samples[0]
}

/// Runs the whole suite; `emit` receives `name value unit` lines with `suffix` appended to the
/// name (`native`, `wasm`).
pub fn run_suite(now: &dyn Fn() -> f64, sizes: &[u32], suffix: &str, emit: &mut dyn FnMut(String)) {
    for &n in sizes {
        let workload = StrataWorkload::new(n);
        let label = match n {
            n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}m", n / 1_000_000),
            n if n >= 1_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
            n => n.to_string(),
        };
        let mut round = 0u32;
        let draw_us = time_best(
            now,
            7,
            20_000.0,
            &mut || workload.weights.clone(),
            &mut |weights| {
                round += 1;
                let (drawn, weights) =
                    draw_strata(weights, &workload.sizes, &workload.quotas, round);
                (drawn as u64, weights)
            },
        );
        let floor_us = time_best(now, 7, 20_000.0, &mut || (), &mut |()| {
            (memory_floor(std::hint::black_box(&workload.weights)), ())
        });
        emit(format!(
            "draw_n{label}_k{}_{suffix} {draw_us:.1} us",
            workload.k()
        ));
        emit(format!("floor_n{label}_{suffix} {floor_us:.1} us"));
        emit(format!(
            "draw_over_floor_n{label}_{suffix} {:.2} x",
            draw_us / floor_us
        ));
    }
    // Where the largest draw's time goes: building the order alone, and building it then
    // drawing k + 4 % objects (about what the stratum walk draws).
    if let Some(&n) = sizes.iter().max() {
        let workload = StrataWorkload::new(n);
        let draws = workload.k() + workload.k() / 25;
        let mut round = 0u8;
        let build_us = time_best(
            now,
            5,
            20_000.0,
            &mut || workload.weights.clone(),
            &mut |weights| {
                round = round.wrapping_add(1);
                let order = WeightedOrder::new(weights, KeyStream::from_key([round; 32]));
                (order.remaining_weight(), order.into_weights())
            },
        );
        let both_us = time_best(
            now,
            5,
            20_000.0,
            &mut || workload.weights.clone(),
            &mut |weights| {
                round = round.wrapping_add(1);
                let mut order = WeightedOrder::new(weights, KeyStream::from_key([round; 32]));
                let mut sink = 0u64;
                for _ in 0..draws {
                    sink ^= order.next_index().unwrap_or(0) as u64;
                }
                (sink, order.into_weights())
            },
        );
        emit(format!("phase_order_build_n{n}_{suffix} {build_us:.1} us"));
        emit(format!(
            "phase_order_build_and_{draws}_draws_n{n}_{suffix} {both_us:.1} us"
        ));
    }
    let teams = TeamsWorkload::new(5_000, 2_000);
    let mut round = 0u32;
    let teams_us = time_best(now, 5, 20_000.0, &mut || (), &mut |()| {
        round += 1;
        let (formed, outcomes) = teams.run(round);
        (formed as u64, outcomes)
    });
    emit(format!("teams_t5k_i2k_{suffix} {teams_us:.1} us"));
    emit(format!(
        "teams_formed_t5k_i2k_{suffix} {} count",
        teams.run(0).0
    ));
}
