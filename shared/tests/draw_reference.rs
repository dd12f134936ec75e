//! A second, deliberately naive implementation of `docs/draw-algorithm.md` §6–§10, written
//! from the text (quadratic order, sorted queues), compared with the engine on many small
//! synthetic draws. It checks that the spec and the code say the same thing.

use sha2::{Digest, Sha256};
use shared::checklist::ChecklistItemId;
use shared::draw::rng::KeyStream;
use shared::draw::synthetic::Synthetic;
use shared::draw::{
    AlgorithmVersion, Category, ChecklistRef, Digest32, DrawInput, DrawResult, DrawSpec, Grade,
    InspectionObject, ObjectStatus, Period, RiskWeights, SealedInput, SectionId, SectionSpec,
    SelectedBy, Specialty, Stratum, StratumName, StratumSize, TagFilter, TagKind, TeamOutcome,
    TeamRules,
};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

/// §6, written out.
fn weight(weights: &RiskWeights, object: &InspectionObject) -> u64 {
    let credit = match object.risk.credit {
        Grade::A => weights.credit.a,
        Grade::B => weights.credit.b,
        Grade::C => weights.credit.c,
        Grade::D => weights.credit.d,
        Grade::Unrated => weights.credit.unrated,
    };
    let category = match object.category {
        Category::General => weights.category.general,
        Category::Key => weights.category.key,
        Category::Special => weights.category.special,
    };
    let mut w = weights.base
        + i64::from(object.risk.violations.min(weights.max_counted_violations))
            * weights.per_violation
        + i64::from(object.risk.complaints.min(weights.max_counted_complaints))
            * weights.per_complaint
        + credit
        + category;
    if object.risk.unstable_permit_compliance {
        w += weights.unstable_permit_compliance;
    }
    if object.risk.high_public_concern {
        w += weights.high_public_concern;
    }
    w.clamp(1, 1_000_000) as u64
}

/// §8: the whole order, quadratic. Returns object indices by rank.
fn global_order(input: &DrawInput, seed: &Digest32) -> Vec<usize> {
    let mut left: Vec<u64> = input
        .objects
        .iter()
        .map(|o| weight(&input.spec.risk_weights, o))
        .collect();
    let mut stream = KeyStream::for_purpose("suicha.draw.v1.order", seed);
    let mut order = Vec::new();
    loop {
        let total: u64 = left.iter().sum();
        if total == 0 {
            return order;
        }
        let r = if total < 1 << 32 {
            u64::from(stream.below_u32(total as u32))
        } else {
            stream.below(total)
        };
        let mut cumulative = 0;
        for (index, w) in left.iter_mut().enumerate() {
            cumulative += *w;
            if cumulative > r {
                order.push(index);
                *w = 0;
                break;
            }
        }
    }
}

/// §7 and §9: per section, the selected (object index, stratum, selected by).
fn selections(input: &DrawInput, order: &[usize]) -> Vec<Vec<(usize, Option<usize>, SelectedBy)>> {
    let external = &input.history.externally_inspected;
    let excluded = |o: &InspectionObject| {
        o.status != ObjectStatus::Active
            || external.contains(&o.id)
            || input
                .spec
                .yearly_cap
                .is_some_and(|cap| o.inspections_this_year >= cap)
    };
    input
        .spec
        .sections
        .iter()
        .map(|section| {
            let in_pool = |o: &InspectionObject| o.matches(&section.filters) && !excluded(o);
            let place = |o: &InspectionObject| {
                section
                    .strata
                    .iter()
                    .position(|s| s.categories.contains(&o.category))
            };
            let mut picks = Vec::new();
            for (t, stratum) in section.strata.iter().enumerate() {
                let eligible = input
                    .objects
                    .iter()
                    .filter(|o| in_pool(o) && place(o) == Some(t))
                    .count() as u64;
                let target = match stratum.size {
                    StratumSize::Count(c) => u64::from(c),
                    StratumSize::RatioBp(bp) => (eligible * u64::from(bp)).div_ceil(10_000),
                };
                let members = order.iter().filter(|&&i| {
                    in_pool(&input.objects[i]) && place(&input.objects[i]) == Some(t)
                });
                picks.extend(
                    members
                        .take(target.min(eligible) as usize)
                        .map(|&i| (i, Some(t), SelectedBy::Stratum)),
                );
            }
            if section.annual_guarantee {
                let in_g = |o: &InspectionObject| {
                    in_pool(o) && o.category != Category::General && o.inspections_this_year == 0
                };
                let g = input.objects.iter().filter(|o| in_g(o)).count() as u64;
                let required = g.div_ceil(5 - u64::from(input.spec.period.quarter));
                let by_strata = picks
                    .iter()
                    .filter(|&&(i, _, _)| in_g(&input.objects[i]))
                    .count() as u64;
                let extra = required.saturating_sub(by_strata) as usize;
                let taken: Vec<usize> = picks.iter().map(|p| p.0).collect();
                let added: Vec<usize> = order
                    .iter()
                    .copied()
                    .filter(|&i| in_g(&input.objects[i]) && !taken.contains(&i))
                    .take(extra)
                    .collect();
                picks.extend(
                    added
                        .into_iter()
                        .map(|i| (i, place(&input.objects[i]), SelectedBy::AnnualGuarantee)),
                );
            }
            picks
        })
        .collect()
}

/// §10, with the queue sorted afresh for every pick.
fn teams(
    input: &DrawInput,
    seed: &Digest32,
    inspections: &[(usize, Vec<ChecklistItemId>)],
) -> Vec<Option<Vec<i64>>> {
    let rules = input.spec.team_rules;
    let mut required: Vec<&Specialty> = input
        .checklist
        .iter()
        .filter_map(|i| i.required_specialty.as_ref())
        .collect();
    required.sort();
    required.dedup();
    let active: Vec<usize> = (0..input.inspectors.len())
        .filter(|&i| input.inspectors[i].active)
        .collect();
    let m = active.len();
    let position = |load: u32, rank: usize| {
        let mut hasher = Sha256::new();
        hasher.update(b"suicha.draw.v1.teams.level\0");
        hasher.update(seed.0);
        hasher.update(load.to_be_bytes());
        let mut stream = KeyStream::from_key(hasher.finalize().into());
        let mut a: Vec<usize> = (0..m).collect();
        for i in (1..m).rev() {
            let j = stream.below_u32(i as u32 + 1) as usize;
            a.swap(i, j);
        }
        a.iter().position(|&r| r == rank).unwrap()
    };
    let mut load: Vec<u32> = active
        .iter()
        .map(|&i| input.inspectors[i].inspections_this_year)
        .collect();
    let mut assigned = vec![0u32; m];
    let specialties = |rank: usize| -> Vec<&Specialty> {
        input.inspectors[active[rank]]
            .specialties
            .iter()
            .filter(|s| required.contains(s))
            .collect()
    };
    let mut out = Vec::new();
    for (object_index, items) in inspections {
        let object = &input.objects[*object_index];
        let mut needed: Vec<&Specialty> = items
            .iter()
            .filter_map(|id| {
                input
                    .checklist
                    .iter()
                    .find(|i| i.id == *id)
                    .unwrap()
                    .required_specialty
                    .as_ref()
            })
            .collect();
        needed.sort();
        needed.dedup();
        let mut queue: Vec<usize> = (0..m)
            .filter(|&r| assigned[r] < rules.max_assignments_per_draw)
            .collect();
        queue.sort_by_key(|&r| (load[r], position(load[r], r)));
        let eligible = |r: usize| {
            let inspector = &input.inspectors[active[r]];
            let conflicted = inspector.conflicts.contains(&object.id);
            let same_region = rules.exclude_same_region && inspector.region == object.tags.region;
            !conflicted && !same_region
        };
        let Some(lead) = queue.iter().copied().find(|&r| {
            eligible(r)
                && input.inspectors[active[r]].enforcement_certificate
                && !(rules.rotate_lead && object.last_lead == Some(input.inspectors[active[r]].id))
        }) else {
            out.push(None);
            continue;
        };
        let mut team = vec![lead];
        let missing = |team: &[usize]| -> Vec<&Specialty> {
            needed
                .iter()
                .copied()
                .filter(|s| !team.iter().any(|&r| specialties(r).contains(s)))
                .collect()
        };
        let mut failed = false;
        while team.len() < rules.team_size as usize {
            let miss = missing(&team);
            let free = |r: &usize| !team.contains(r) && eligible(*r);
            let specialist = queue
                .iter()
                .copied()
                .filter(free)
                .find(|&r| specialties(r).iter().any(|s| miss.contains(s)));
            let Some(pick) = specialist.or_else(|| queue.iter().copied().find(free)) else {
                failed = true;
                break;
            };
            team.push(pick);
        }
        if failed {
            out.push(None);
            continue;
        }
        while team.len() < rules.max_team_size as usize && !missing(&team).is_empty() {
            let miss = missing(&team);
            let Some(pick) = queue.iter().copied().find(|&r| {
                !team.contains(&r) && eligible(r) && specialties(r).iter().any(|s| miss.contains(s))
            }) else {
                break;
            };
            team.push(pick);
        }
        for &r in &team {
            load[r] += 1;
            assigned[r] += 1;
        }
        out.push(Some(
            team.iter()
                .map(|&r| input.inspectors[active[r]].id.get())
                .collect(),
        ));
    }
    out
}

/// Compares one draw; returns (inspections, assigned teams, guarantee picks) for coverage.
fn compare(input: &DrawInput, seed: Digest32) -> (usize, usize, usize) {
    let sealed = SealedInput::seal(input).unwrap();
    let input = sealed.input();
    let result: DrawResult = sealed.draw(seed);
    let order = global_order(input, &seed);
    let per_section = selections(input, &order);
    let mut drawn: Vec<usize> = per_section.iter().flatten().map(|p| p.0).collect();
    let rank_of = |i: usize| order.iter().position(|&j| j == i).unwrap() as u64 + 1;
    drawn.sort_by_key(|&i| rank_of(i));
    drawn.dedup();
    assert_eq!(
        result.inspections.len(),
        drawn.len(),
        "number of inspections"
    );
    let mut requests = Vec::new();
    for (inspection, &i) in result.inspections.iter().zip(&drawn) {
        assert_eq!(inspection.object, input.objects[i].id);
        assert_eq!(inspection.rank, rank_of(i));
        let expected: Vec<_> = input
            .spec
            .sections
            .iter()
            .zip(&per_section)
            .filter_map(|(section, picks)| {
                picks.iter().find(|p| p.0 == i).map(|p| {
                    (
                        section.section.clone(),
                        p.1.map(|t| section.strata[t].name.clone()),
                        p.2,
                    )
                })
            })
            .collect();
        let got: Vec<_> = inspection
            .draws
            .iter()
            .map(|d| (d.section.clone(), d.stratum.clone(), d.selected_by))
            .collect();
        assert_eq!(got, expected, "draws of object {}", inspection.object);
        requests.push((i, inspection.items.clone()));
    }
    let expected_teams = teams(input, &seed, &requests);
    for (inspection, expected) in result.inspections.iter().zip(expected_teams) {
        let got = match &inspection.team {
            TeamOutcome::Assigned { members, .. } => {
                Some(members.iter().map(|id| id.get()).collect::<Vec<_>>())
            }
            TeamOutcome::Infeasible { .. } => None,
        };
        assert_eq!(got, expected, "team of object {}", inspection.object);
    }
    let assigned = result
        .inspections
        .iter()
        .filter(|i| matches!(i.team, TeamOutcome::Assigned { .. }))
        .count();
    let guaranteed = result
        .inspections
        .iter()
        .filter(|i| {
            i.draws
                .iter()
                .any(|d| d.selected_by == SelectedBy::AnnualGuarantee)
        })
        .count();
    (result.inspections.len(), assigned, guaranteed)
}

fn case(index: u32) -> (DrawInput, Digest32) {
    let mut stream = KeyStream::for_purpose("suicha.reference", &Digest32([index as u8; 32]));
    let size = |stream: &mut KeyStream| {
        if stream.below(2) == 0 {
            StratumSize::Count(stream.below(6) as u32)
        } else {
            StratumSize::RatioBp(stream.below(10_001) as u32)
        }
    };
    let stratum = |name: &str, categories: &[Category], size| Stratum {
        name: StratumName::new(name).unwrap(),
        categories: categories.to_vec(),
        size,
    };
    let mut sections = vec![SectionSpec {
        section: SectionId::new("daily").unwrap(),
        filters: Vec::new(),
        strata: vec![
            stratum("general", &[Category::General], size(&mut stream)),
            stratum("key", &[Category::Key], size(&mut stream)),
        ],
        items: vec![ChecklistItemId(1)],
        annual_guarantee: stream.below(2) == 0,
    }];
    if stream.below(2) == 0 {
        sections.push(SectionSpec {
            section: SectionId::new("air").unwrap(),
            filters: vec![TagFilter {
                tag: TagKind::Region,
                values: vec!["r1".into(), "r2".into()],
            }],
            strata: vec![stratum(
                "all",
                &[Category::General, Category::Key, Category::Special],
                size(&mut stream),
            )],
            items: vec![ChecklistItemId(2), ChecklistItemId(3)],
            annual_guarantee: stream.below(2) == 0,
        });
    }
    let team_size = 2 + stream.below(2) as u32;
    let spec = DrawSpec {
        period: Period::new(2026, 1 + stream.below(4) as u8).unwrap(),
        sections,
        risk_weights: RiskWeights::recommended(),
        yearly_cap: (stream.below(2) == 0).then_some(2),
        team_rules: TeamRules::new(
            team_size,
            team_size + stream.below(2) as u32,
            stream.below(2) == 0,
            stream.below(2) == 0,
            1 + stream.below(3) as u32,
        )
        .unwrap(),
    };
    let item = |id: i64, section: &str, need: Option<&str>| ChecklistRef {
        id: ChecklistItemId(id),
        section: SectionId::new(section).unwrap(),
        content: "c".into(),
        legal_basis: "l".into(),
        required_specialty: need.map(|s| Specialty::new(s).unwrap()),
        applies_to: Vec::new(),
    };
    let mut generator = [0u8; 32];
    generator[..4].copy_from_slice(&index.to_be_bytes());
    let input = Synthetic {
        generator_seed: Digest32(generator),
        algorithm_version: AlgorithmVersion::V1,
        objects: stream.below(40) as u32,
        inspectors: stream.below(12) as u32,
        regions: 3,
        industries: 2,
        specialties: 3,
        key_permille: 250,
        special_permille: 100,
        externally_inspected_permille: 50,
        spec,
        checklist: vec![
            item(1, "daily", Some("s0")),
            item(2, "air", Some("s1")),
            item(3, "air", Some("s2")),
        ],
    }
    .build();
    let mut seed = [7u8; 32];
    seed[..4].copy_from_slice(&index.to_be_bytes());
    (input, Digest32(seed))
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_engine_matches_the_naive_reading_of_the_spec() {
    let mut totals = (0, 0, 0);
    for index in 0..150 {
        let (input, seed) = case(index);
        let (inspections, assigned, guaranteed) = compare(&input, seed);
        totals = (
            totals.0 + inspections,
            totals.1 + assigned,
            totals.2 + guaranteed,
        );
    }
    // The cases exercise every part: many inspections, teams and guarantee picks.
    println!("inspections, assigned teams, guarantee picks: {totals:?}");
    assert!(
        totals.0 > 300 && totals.1 > 150 && totals.2 > 10,
        "coverage {totals:?}"
    );
}
