//! Property tests of the draw engine's invariants (native only: proptest needs OS entropy).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use shared::checklist::ChecklistItemId;
use shared::draw::synthetic::Synthetic;
use shared::draw::{
    AlgorithmVersion, Category, ChecklistRef, Digest32, DrawInput, DrawResult, DrawSpec,
    ObjectStatus, Period, RiskWeights, SealedInput, SectionId, SectionSpec, SelectedBy, Specialty,
    Stratum, StratumName, StratumSize, TagFilter, TagKind, TeamOutcome, TeamRules,
};

fn stratum(name: &str, categories: &[Category], size: StratumSize) -> Stratum {
    Stratum {
        name: StratumName::new(name).unwrap(),
        categories: categories.to_vec(),
        size,
    }
}

fn checklist() -> Vec<ChecklistRef> {
    let item = |id: i64, section: &str, need: Option<&str>| ChecklistRef {
        id: ChecklistItemId(id),
        section: SectionId::new(section).unwrap(),
        content: format!("item {id}"),
        legal_basis: "law".to_owned(),
        required_specialty: need.map(|code| Specialty::new(code).unwrap()),
        applies_to: Vec::new(),
    };
    vec![
        item(1, "daily", Some("s0")),
        item(2, "water", Some("s1")),
        item(3, "water", None),
    ]
}

#[derive(Debug, Clone)]
struct Case {
    input: DrawInput,
    seed: Digest32,
}

fn size_strategy() -> impl Strategy<Value = StratumSize> {
    prop_oneof![
        (0u32..8).prop_map(StratumSize::Count),
        (0u32..=10_000).prop_map(StratumSize::RatioBp)
    ]
}

prop_compose! {
    fn case_strategy()(
        generator_seed in any::<[u8; 32]>(),
        seed in any::<[u8; 32]>(),
        objects in 0u32..60,
        inspectors in 0u32..14,
        quarter in 1u8..=4,
        sizes in proptest::collection::vec(size_strategy(), 4),
        guarantee in any::<bool>(),
        with_water in any::<bool>(),
        team_size in 2u32..=3,
        extra in 0u32..=2,
        exclude_same_region in any::<bool>(),
        rotate_lead in any::<bool>(),
        cap in 1u32..=4,
        yearly_cap in proptest::option::of(1u32..=3),
        uniform in any::<bool>(),
    ) -> Case {
        let mut sections = vec![SectionSpec {
            section: SectionId::new("daily").unwrap(),
            filters: Vec::new(),
            strata: vec![
                stratum("general", &[Category::General], sizes[0]),
                stratum("key", &[Category::Key], sizes[1]),
                stratum("special", &[Category::Special], sizes[2]),
            ],
            items: vec![ChecklistItemId(1)],
            annual_guarantee: guarantee,
        }];
        if with_water {
            sections.push(SectionSpec {
                section: SectionId::new("water").unwrap(),
                filters: vec![TagFilter { tag: TagKind::Region, values: vec!["r0".into(), "r2".into()] }],
                strata: vec![stratum("all", &[Category::General, Category::Key], sizes[3])],
                items: vec![ChecklistItemId(2), ChecklistItemId(3)],
                annual_guarantee: guarantee,
            });
        }
        let spec = DrawSpec {
            period: Period::new(2025, quarter).unwrap(),
            sections,
            risk_weights: if uniform { RiskWeights::uniform() } else { RiskWeights::recommended() },
            yearly_cap,
            team_rules: TeamRules::new(team_size, team_size + extra, exclude_same_region, rotate_lead, cap).unwrap(),
        };
        let input = Synthetic {
            generator_seed: Digest32(generator_seed),
            algorithm_version: AlgorithmVersion::V1,
            objects,
            inspectors,
            regions: 3,
            industries: 3,
            specialties: 3,
            key_permille: 200,
            special_permille: 100,
            externally_inspected_permille: 50,
            spec,
            checklist: checklist(),
        }
        .build();
        Case { input, seed: Digest32(seed) }
    }
}

fn draw(input: &DrawInput, seed: Digest32) -> DrawResult {
    SealedInput::seal(input).unwrap().draw(seed)
}

fn check_invariants(input: &DrawInput, result: &DrawResult) -> Result<(), TestCaseError> {
    let objects: BTreeMap<_, _> = input
        .objects
        .iter()
        .map(|object| (object.id, object))
        .collect();
    let inspectors: BTreeMap<_, _> = input
        .inspectors
        .iter()
        .map(|inspector| (inspector.id, inspector))
        .collect();
    let external: BTreeSet<_> = input.history.externally_inspected.iter().copied().collect();
    let rules = input.spec.team_rules;

    // No duplicates; ranks strictly increase.
    let selected: BTreeSet<_> = result
        .inspections
        .iter()
        .map(|inspection| inspection.object)
        .collect();
    prop_assert_eq!(selected.len(), result.inspections.len());
    for pair in result.inspections.windows(2) {
        prop_assert!(pair[0].rank < pair[1].rank);
    }

    let mut per_stratum: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut added: BTreeMap<String, u64> = BTreeMap::new();
    let mut assignments: BTreeMap<_, u32> = BTreeMap::new();
    for inspection in &result.inspections {
        let object = objects[&inspection.object];
        // Exclusions respected.
        prop_assert_eq!(object.status, ObjectStatus::Active);
        prop_assert!(!external.contains(&object.id));
        if let Some(cap) = input.spec.yearly_cap {
            prop_assert!(object.inspections_this_year < cap);
        }
        prop_assert_eq!(inspection.joint, inspection.draws.len() > 1);
        for draw in &inspection.draws {
            let section = input
                .spec
                .sections
                .iter()
                .find(|s| s.section == draw.section)
                .unwrap();
            prop_assert!(object.matches(&section.filters));
            match draw.selected_by {
                SelectedBy::Stratum => {
                    let name = draw.stratum.as_ref().unwrap().to_string();
                    *per_stratum
                        .entry((draw.section.to_string(), name))
                        .or_default() += 1;
                }
                SelectedBy::AnnualGuarantee => {
                    prop_assert!(object.category != Category::General);
                    prop_assert_eq!(object.inspections_this_year, 0);
                    *added.entry(draw.section.to_string()).or_default() += 1;
                }
            }
        }
        // Teams valid.
        if let TeamOutcome::Assigned { lead, members, .. } = &inspection.team {
            prop_assert_eq!(members.first(), Some(lead));
            prop_assert!(members.len() >= rules.team_size as usize);
            prop_assert!(members.len() <= rules.max_team_size as usize);
            let distinct: BTreeSet<_> = members.iter().collect();
            prop_assert_eq!(distinct.len(), members.len());
            prop_assert!(inspectors[lead].enforcement_certificate);
            if rules.rotate_lead {
                prop_assert_ne!(object.last_lead, Some(*lead));
            }
            for member in members {
                let inspector = inspectors[member];
                prop_assert!(inspector.active);
                prop_assert!(!inspector.conflicts.contains(&object.id));
                if rules.exclude_same_region {
                    prop_assert_ne!(&inspector.region, &object.tags.region);
                }
                *assignments.entry(*member).or_default() += 1;
            }
        }
    }
    for count in assignments.values() {
        prop_assert!(*count <= rules.max_assignments_per_draw);
    }
    // Counts per stratum.
    for section in &result.sections {
        for stratum in &section.strata {
            prop_assert_eq!(stratum.drawn, stratum.target.min(stratum.eligible));
            let key = (section.section.to_string(), stratum.name.to_string());
            prop_assert_eq!(per_stratum.get(&key).copied().unwrap_or(0), stratum.drawn);
        }
        if let Some(guarantee) = section.guarantee {
            prop_assert_eq!(
                added
                    .get(&section.section.to_string())
                    .copied()
                    .unwrap_or(0),
                guarantee.added
            );
            let covered = guarantee.drawn_by_strata + guarantee.added;
            prop_assert!(covered >= guarantee.required.min(guarantee.not_yet_inspected));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if std::env::var_os("SUICHA_SLOW_TESTS").is_some() { 2000 } else { 200 }))]

    #[test]
    fn invariants_hold(case in case_strategy()) {
        let result = draw(&case.input, case.seed);
        check_invariants(&case.input, &result)?;
        prop_assert_eq!(result.algorithm_version, AlgorithmVersion::V1);
    }

    #[test]
    fn input_order_does_not_matter(case in case_strategy(), rotation in 0usize..64) {
        let mut shuffled = case.input.clone();
        shuffled.objects.reverse();
        let len = shuffled.objects.len();
        if len > 0 {
            shuffled.objects.rotate_left(rotation % len);
        }
        shuffled.inspectors.reverse();
        for inspector in &mut shuffled.inspectors {
            inspector.specialties.reverse();
        }
        shuffled.spec.sections.reverse();
        shuffled.checklist.reverse();
        shuffled.history.externally_inspected.reverse();
        let a = draw(&case.input, case.seed);
        let b = draw(&shuffled, case.seed);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn a_targeted_draw_is_the_unrestricted_order_filtered(case in case_strategy(), k in 0u32..10) {
        let mut everything = case.input.clone();
        everything.spec.sections.truncate(1);
        let daily = &mut everything.spec.sections[0];
        daily.annual_guarantee = false;
        daily.strata = vec![stratum("all", &[Category::General, Category::Key, Category::Special], StratumSize::Count(u32::MAX))];
        let mut targeted = everything.clone();
        let filter = TagFilter { tag: TagKind::Region, values: vec!["r1".into()] };
        targeted.spec.sections[0].filters = vec![filter.clone()];
        targeted.spec.sections[0].strata[0].size = StratumSize::Count(k);

        let full = draw(&everything, case.seed);
        let part = draw(&targeted, case.seed);
        let expected: Vec<_> = full
            .inspections
            .iter()
            .filter(|inspection| {
                case.input.objects.iter().find(|o| o.id == inspection.object).unwrap().matches(std::slice::from_ref(&filter))
            })
            .map(|inspection| (inspection.object, inspection.rank))
            .take(k as usize)
            .collect();
        let got: Vec<_> = part.inspections.iter().map(|inspection| (inspection.object, inspection.rank)).collect();
        prop_assert_eq!(got, expected);
    }
}
