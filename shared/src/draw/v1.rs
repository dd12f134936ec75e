//! Algorithm version 1: pools, strata, the annual guarantee, joint inspections and the result.
//! Normative description: `docs/draw-algorithm.md`. Once released, this file never changes
//! behaviour; a new behaviour is a new version module.

use super::canonical::result_hash;
use super::ids::{AlgorithmVersion, Digest32, StratumName};
use super::model::{Category, DrawInput, ObjectStatus, SectionSpec, StratumSize};
use super::order::WeightedOrder;
use super::result::{
    DrawResult, ExclusionCounts, GuaranteeOutcome, Inspection, PoolReason, SectionDraw,
    SectionOutcome, SelectedBy, StratumOutcome, TagMatch,
};
use super::rng::KeyStream;
use super::teams::{TeamRequest, assign_teams};
use crate::checklist::ChecklistItemId;
use std::collections::BTreeMap;

/// Label of the keystream of the global order.
pub const ORDER_LABEL: &str = "suicha.draw.v1.order";

const NOT_IN_POOL: u8 = u8::MAX;
const UNSTRATIFIED: u8 = u8::MAX - 1;

/// Why an object is left out of every pool, by first reason.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Exclusion {
    None,
    Closed,
    Suspended,
    ExternallyInspected,
    YearlyCap,
}

/// One object's place in one section: `NOT_IN_POOL`, `UNSTRATIFIED` or the stratum index,
/// and whether the annual guarantee covers it (a 重点/特殊 pool object not inspected this year,
/// in a section applying the guarantee).
type Place = (u8, bool);

/// One section's pool as arrays over the objects (built once, then folded into classes).
struct SectionPool {
    membership: Vec<u8>,
    guaranteed: Vec<bool>,
}

/// The state of one section's walk over the global order.
struct SectionState {
    /// Still to draw per stratum.
    need: Vec<u64>,
    /// Pool objects of the stratum not reached yet by the walk.
    left: Vec<u64>,
    guarantee_required: u64,
    guarantee_left: u64,
    guarantee_by_strata: u64,
    /// Guarantee objects the strata did not take, in global order: (index, rank, member).
    guarantee_candidates: Vec<(usize, u64, u8)>,
    outcome: SectionOutcome,
}

impl SectionState {
    fn new(
        section: &SectionSpec,
        input: &DrawInput,
        exclusions: &[Exclusion],
    ) -> (SectionState, SectionPool) {
        let n = input.objects.len();
        let mut category_stratum = [UNSTRATIFIED; 3];
        for (index, stratum) in section.strata.iter().enumerate() {
            for category in &stratum.categories {
                category_stratum[usize::from(category.code() - 1)] = index as u8;
            }
        }
        let strata = section.strata.len();
        let mut membership = vec![NOT_IN_POOL; n];
        let mut guaranteed = if section.annual_guarantee {
            vec![false; n]
        } else {
            Vec::new()
        };
        let mut eligible = vec![0u64; strata];
        let mut excluded = ExclusionCounts::default();
        let mut matching = 0u64;
        let mut unstratified = 0u64;
        let mut guarantee_pool = 0u64;
        let unrestricted = section.filters.is_empty();
        for (index, object) in input.objects.iter().enumerate() {
            if !unrestricted && !object.matches(&section.filters) {
                continue;
            }
            matching += 1;
            match exclusions[index] {
                Exclusion::None => {}
                Exclusion::Closed => {
                    excluded.closed += 1;
                    continue;
                }
                Exclusion::Suspended => {
                    excluded.suspended += 1;
                    continue;
                }
                Exclusion::ExternallyInspected => {
                    excluded.externally_inspected += 1;
                    continue;
                }
                Exclusion::YearlyCap => {
                    excluded.yearly_cap += 1;
                    continue;
                }
            }
            let member = category_stratum[usize::from(object.category.code() - 1)];
            membership[index] = member;
            if member == UNSTRATIFIED {
                unstratified += 1;
            } else {
                eligible[usize::from(member)] += 1;
            }
            if section.annual_guarantee
                && object.category != Category::General
                && object.inspections_this_year == 0
            {
                guaranteed[index] = true;
                guarantee_pool += 1;
            }
        }
        let target: Vec<u64> = section
            .strata
            .iter()
            .zip(&eligible)
            .map(|(stratum, &eligible)| match stratum.size {
                StratumSize::Count(count) => u64::from(count),
                StratumSize::RatioBp(bp) => (eligible * u64::from(bp)).div_ceil(10_000),
            })
            .collect();
        let need: Vec<u64> = target
            .iter()
            .zip(&eligible)
            .map(|(&t, &e)| t.min(e))
            .collect();
        let quarters_left = 5 - u64::from(input.spec.period.quarter);
        let guarantee_required = guarantee_pool.div_ceil(quarters_left);
        let pool = eligible.iter().sum::<u64>() + unstratified;
        let outcome = SectionOutcome {
            section: section.section.clone(),
            matching,
            excluded,
            pool,
            unstratified,
            strata: section
                .strata
                .iter()
                .zip(eligible.iter().zip(&target))
                .map(|(stratum, (&eligible, &target))| StratumOutcome {
                    name: stratum.name.clone(),
                    eligible,
                    target,
                    drawn: target.min(eligible),
                })
                .collect(),
            guarantee: section.annual_guarantee.then_some(GuaranteeOutcome {
                not_yet_inspected: guarantee_pool,
                required: guarantee_required,
                drawn_by_strata: 0,
                added: 0,
            }),
        };
        let state = SectionState {
            left: eligible,
            need,
            guarantee_required,
            guarantee_left: guarantee_pool,
            guarantee_by_strata: 0,
            guarantee_candidates: Vec::new(),
            outcome,
        };
        (
            state,
            SectionPool {
                membership,
                guaranteed,
            },
        )
    }

    fn strata_done(&self) -> bool {
        self.need
            .iter()
            .zip(&self.left)
            .all(|(&need, &left)| need == 0 || left == 0)
    }

    fn done(&self) -> bool {
        self.strata_done()
            && (self.guarantee_left == 0
                || self.guarantee_by_strata + self.guarantee_candidates.len() as u64
                    >= self.guarantee_required)
    }

    /// Visits the object at `index` of the global order, whose place in this section is
    /// `(member, guaranteed)`; returns `true` when a stratum took it.
    fn visit(&mut self, (member, guaranteed): Place, index: usize, rank: u64) -> bool {
        if member == NOT_IN_POOL {
            return false;
        }
        if guaranteed {
            self.guarantee_left -= 1;
        }
        if member != UNSTRATIFIED {
            let stratum = usize::from(member);
            self.left[stratum] -= 1;
            if self.need[stratum] > 0 {
                self.need[stratum] -= 1;
                if guaranteed {
                    self.guarantee_by_strata += 1;
                }
                return true;
            }
        }
        if guaranteed {
            self.guarantee_candidates.push((index, rank, member));
        }
        false
    }
}

/// A pick: (rank, object index, section index, selected by, member in the section).
type Pick = (u64, usize, usize, SelectedBy, u8);

/// Objects with the same place in every section form a class; the walk looks a drawn object's
/// class up instead of every section's arrays. Up to 32 classes are stored in the tags of the
/// weighted order's entries (one cache line per drawn object); beyond that, in an array.
struct Classes {
    /// Per class, the place in each section.
    places: Vec<Vec<Place>>,
    /// `None` when the class is the entry's tag.
    per_object: Option<Vec<u32>>,
}

impl Classes {
    const TAGGED: usize = 32;

    /// Groups objects by their places; tags `weights` when there are few classes.
    fn build(pools: &[SectionPool], weights: &mut [u32]) -> Classes {
        let n = weights.len();
        let mut ids: BTreeMap<Vec<Place>, u32> = BTreeMap::new();
        let mut places: Vec<Vec<Place>> = Vec::new();
        let mut class_of = vec![0u32; n];
        let mut key: Vec<Place> = Vec::with_capacity(pools.len());
        let mut last: Option<(Vec<Place>, u32)> = None;
        for (index, class) in class_of.iter_mut().enumerate() {
            key.clear();
            key.extend(pools.iter().map(|pool| {
                (
                    pool.membership[index],
                    !pool.guaranteed.is_empty() && pool.guaranteed[index],
                )
            }));
            if let Some((last_key, last_id)) = &last
                && *last_key == key
            {
                *class = *last_id;
                continue;
            }
            let id = match ids.get(&key) {
                Some(&id) => id,
                None => {
                    let id = places.len() as u32;
                    ids.insert(key.clone(), id);
                    places.push(key.clone());
                    id
                }
            };
            *class = id;
            last = Some((key.clone(), id));
        }
        if places.len() <= Self::TAGGED {
            for (weight, &class) in weights.iter_mut().zip(&class_of) {
                *weight |= class << WeightedOrder::TAG_SHIFT;
            }
            Classes {
                places,
                per_object: None,
            }
        } else {
            Classes {
                places,
                per_object: Some(class_of),
            }
        }
    }

    fn of(&self, order: &WeightedOrder, index: usize) -> &[Place] {
        let class = match &self.per_object {
            None => usize::from(order.tag(index)),
            Some(class_of) => class_of[index] as usize,
        };
        &self.places[class]
    }
}

/// Walks the global weighted order until every section has what it needs; returns the
/// strata's picks.
fn walk(order: &mut WeightedOrder, states: &mut [SectionState], classes: &Classes) -> Vec<Pick> {
    let mut picks = Vec::new();
    let mut rank = 0u64;
    while !states.iter().all(SectionState::done) {
        let Some(index) = order.next_index() else {
            break;
        };
        rank += 1;
        let places = classes.of(order, index);
        for (section_index, (state, &place)) in states.iter_mut().zip(places).enumerate() {
            if state.visit(place, index, rank) {
                picks.push((rank, index, section_index, SelectedBy::Stratum, place.0));
            }
        }
    }
    picks
}

/// The sampling core of version 1 for benchmarks: one unrestricted section with up to three
/// strata. `entries[i]` is object `i`'s weight with its stratum (0–2, or 3 for not in the
/// pool) in the tag bits, as the engine lays them out after building the pool; `eligible`
/// are the strata's sizes. Drawn with the engine's own walk over the global weighted order.
/// Returns the number of objects drawn and the entries (drawn weights zeroed).
pub fn stratified_walk(
    entries: Vec<u32>,
    eligible: &[u64; 3],
    quotas: &[u64; 3],
    seed: &Digest32,
) -> (usize, Vec<u32>) {
    let need: Vec<u64> = quotas
        .iter()
        .zip(eligible)
        .map(|(&q, &e)| q.min(e))
        .collect();
    let mut states = [SectionState {
        left: eligible.to_vec(),
        need,
        guarantee_required: 0,
        guarantee_left: 0,
        guarantee_by_strata: 0,
        guarantee_candidates: Vec::new(),
        outcome: SectionOutcome {
            section: super::ids::SectionId::new("bench").expect("valid code"),
            matching: 0,
            excluded: ExclusionCounts::default(),
            pool: 0,
            unstratified: 0,
            strata: Vec::new(),
            guarantee: None,
        },
    }];
    let classes = Classes {
        places: vec![
            vec![(0, false)],
            vec![(1, false)],
            vec![(2, false)],
            vec![(NOT_IN_POOL, false)],
        ],
        per_object: None,
    };
    let mut order = WeightedOrder::new(entries, KeyStream::for_purpose(ORDER_LABEL, seed));
    let drawn = walk(&mut order, &mut states, &classes).len();
    (drawn, order.into_weights())
}

/// Runs algorithm version 1 on a normalized input.
pub(crate) fn run(input: &DrawInput, sealed_input_hash: Digest32, seed: Digest32) -> DrawResult {
    let objects = &input.objects;
    let n = objects.len();

    let mut exclusions = vec![Exclusion::None; n];
    let mut external = input.history.externally_inspected.iter().peekable();
    for (index, object) in objects.iter().enumerate() {
        while external.next_if(|id| **id < object.id).is_some() {}
        let externally_inspected = external.next_if(|id| **id == object.id).is_some();
        exclusions[index] = match object.status {
            ObjectStatus::Closed => Exclusion::Closed,
            ObjectStatus::Suspended => Exclusion::Suspended,
            ObjectStatus::Active if externally_inspected => Exclusion::ExternallyInspected,
            ObjectStatus::Active => match input.spec.yearly_cap {
                Some(cap) if object.inspections_this_year >= cap => Exclusion::YearlyCap,
                _ => Exclusion::None,
            },
        };
    }

    let sections = &input.spec.sections;
    let (mut states, pools): (Vec<SectionState>, Vec<SectionPool>) = sections
        .iter()
        .map(|section| SectionState::new(section, input, &exclusions))
        .unzip();

    // Walk the global weighted order until every section has what it needs.
    let mut weights: Vec<u32> = objects
        .iter()
        .map(|object| input.spec.risk_weights.weight_of(object))
        .collect();
    let classes = Classes::build(&pools, &mut weights);
    drop(pools);
    let mut order = WeightedOrder::new(weights, KeyStream::for_purpose(ORDER_LABEL, &seed));
    let mut picks = walk(&mut order, &mut states, &classes);
    for (section_index, state) in states.iter_mut().enumerate() {
        if let Some(guarantee) = &mut state.outcome.guarantee {
            let extra = state
                .guarantee_required
                .saturating_sub(state.guarantee_by_strata);
            let added = state.guarantee_candidates.iter().take(extra as usize);
            guarantee.drawn_by_strata = state.guarantee_by_strata;
            guarantee.added = added.len() as u64;
            for &(index, rank, member) in added {
                picks.push((
                    rank,
                    index,
                    section_index,
                    SelectedBy::AnnualGuarantee,
                    member,
                ));
            }
        }
    }
    picks.sort_unstable_by_key(|&(rank, _, section, _, _)| (rank, section));

    // Group by object (ranks are unique per object) into inspections.
    let mut drawn: Vec<(usize, u64, Vec<SectionDraw>)> = Vec::new();
    let mut requests: Vec<TeamRequest> = Vec::new();
    let mut start = 0;
    while start < picks.len() {
        let (rank, index, _, _, _) = picks[start];
        let mut end = start;
        while end < picks.len() && picks[end].0 == rank {
            end += 1;
        }
        let object = &objects[index];
        let mut items: Vec<ChecklistItemId> = Vec::new();
        let mut draws = Vec::new();
        for &(_, _, section_index, selected_by, member) in &picks[start..end] {
            let section = &sections[section_index];
            let stratum: Option<StratumName> =
                (member != UNSTRATIFIED).then(|| section.strata[usize::from(member)].name.clone());
            let pool_reason = if section.filters.is_empty() {
                PoolReason::Unrestricted
            } else {
                PoolReason::Targeted {
                    matched: section
                        .filters
                        .iter()
                        .map(|filter| TagMatch {
                            tag: filter.tag,
                            value: object.tag_value(filter.tag).to_owned(),
                        })
                        .collect(),
                }
            };
            draws.push(SectionDraw {
                section: section.section.clone(),
                stratum,
                selected_by,
                pool_reason,
            });
            for item_id in &section.items {
                let position = input
                    .checklist
                    .binary_search_by_key(item_id, |item| item.id)
                    .expect("validated item");
                if object.matches(&input.checklist[position].applies_to) {
                    items.push(*item_id);
                }
            }
        }
        items.sort_unstable();
        items.dedup();
        requests.push(TeamRequest {
            object_index: index,
            items,
        });
        drawn.push((index, rank, draws));
        start = end;
    }

    let teams = assign_teams(input, &requests, &seed);
    let inspections: Vec<Inspection> = drawn
        .into_iter()
        .zip(requests)
        .zip(teams)
        .map(|(((index, rank, draws), request), team)| Inspection {
            object: objects[index].id,
            rank,
            category: objects[index].category,
            joint: draws.len() > 1,
            draws,
            items: request.items,
            team,
        })
        .collect();

    let mut result = DrawResult {
        algorithm_version: AlgorithmVersion::V1,
        sealed_input_hash,
        seed,
        period: input.spec.period,
        inspections,
        sections: states.into_iter().map(|state| state.outcome).collect(),
        result_hash: Digest32([0; 32]),
    };
    result.result_hash = result_hash(&result);
    result
}
