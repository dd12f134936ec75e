//! Team assignment (随机选派执法检查人员), algorithm version 1.
//!
//! Inspections are served in rank order. Active inspectors wait in one queue ordered by
//! `(load, key, id)`: `load` is this year's inspections plus this draw's assignments, `key` a
//! fresh 64-bit keystream value drawn when the inspector enters the queue and again after each
//! assignment. So the least loaded go first, ties are broken at random, and pairings change
//! from team to team. Each pick takes the first queued inspector that is eligible for the
//! object and fits the pick's rule; an infeasible team assigns nobody and draws no keys.

use std::collections::{BTreeMap, BTreeSet};

use super::ids::Specialty;
use super::model::DrawInput;
use super::result::{ExcludedInspectors, TeamOutcome, TeamRule};
use super::rng::KeyStream;
use crate::checklist::ChecklistItemId;

/// One inspection that needs a team.
pub(crate) struct TeamRequest {
    pub(crate) object_index: usize,
    pub(crate) items: Vec<ChecklistItemId>,
}

struct Roster {
    /// Per inspector (input order = id order): load, key, assignments in this draw.
    load: Vec<u32>,
    key: Vec<u64>,
    assigned: Vec<u32>,
    specialties: Vec<u64>,
    region: Vec<u32>,
    queue: BTreeSet<(u32, u64, u32)>,
}

/// Assigns a team (or reports why none) to every request, in request order.
pub(crate) fn assign_teams(
    input: &DrawInput,
    requests: &[TeamRequest],
    mut stream: KeyStream,
) -> Vec<TeamOutcome> {
    let rules = input.spec.team_rules;
    let inspectors = &input.inspectors;

    // Intern specialties (ascending) and regions.
    let mut specialty_index: BTreeMap<&Specialty, u32> = BTreeMap::new();
    for specialty in inspectors
        .iter()
        .flat_map(|inspector| inspector.specialties.iter())
        .chain(
            input
                .checklist
                .iter()
                .filter_map(|item| item.required_specialty.as_ref()),
        )
    {
        specialty_index.insert(specialty, 0);
    }
    let specialty_list: Vec<&Specialty> = specialty_index.keys().copied().collect();
    for (index, value) in specialty_index.values_mut().enumerate() {
        *value = index as u32;
    }
    let mut region_index: BTreeMap<&str, u32> = BTreeMap::new();
    for inspector in inspectors {
        let next = region_index.len() as u32;
        region_index
            .entry(inspector.region.as_str())
            .or_insert(next);
    }

    let mut roster = Roster {
        load: inspectors
            .iter()
            .map(|inspector| inspector.inspections_this_year)
            .collect(),
        key: vec![0; inspectors.len()],
        assigned: vec![0; inspectors.len()],
        specialties: inspectors
            .iter()
            .map(|inspector| {
                inspector.specialties.iter().fold(0u64, |mask, specialty| {
                    mask | 1u64 << specialty_index[specialty]
                })
            })
            .collect(),
        region: inspectors
            .iter()
            .map(|inspector| region_index[inspector.region.as_str()])
            .collect(),
        queue: BTreeSet::new(),
    };
    for (index, inspector) in inspectors.iter().enumerate() {
        if inspector.active {
            roster.key[index] = stream.next_u64();
            roster
                .queue
                .insert((roster.load[index], roster.key[index], index as u32));
        }
    }

    let mut outcomes = Vec::with_capacity(requests.len());
    for request in requests {
        let object = &input.objects[request.object_index];
        let needed: u64 = request.items.iter().fold(0u64, |mask, item_id| {
            let position = input
                .checklist
                .binary_search_by_key(item_id, |item| item.id)
                .expect("validated item");
            match &input.checklist[position].required_specialty {
                Some(specialty) => mask | 1u64 << specialty_index[specialty],
                None => mask,
            }
        });
        let object_region = region_index.get(object.tags.region.as_str()).copied();
        let eligible = |index: usize| {
            inspectors[index]
                .conflicts
                .binary_search(&object.id)
                .is_err()
                && !(rules.exclude_same_region && Some(roster.region[index]) == object_region)
        };
        let first = |team: &[u32], accept: &dyn Fn(usize) -> bool| -> Option<u32> {
            roster
                .queue
                .iter()
                .map(|&(_, _, index)| index)
                .find(|&index| {
                    !team.contains(&index) && eligible(index as usize) && accept(index as usize)
                })
        };

        let Some(lead) = first(&[], &|index| {
            inspectors[index].enforcement_certificate
                && !(rules.rotate_lead && object.last_lead == Some(inspectors[index].id))
        }) else {
            outcomes.push(explain(input, &roster, request.object_index, None));
            continue;
        };
        let mut team = vec![lead];
        let mut covered = roster.specialties[lead as usize] & needed;
        while team.len() < rules.team_size as usize {
            let missing = needed & !covered;
            let pick = first(&team, &|index| roster.specialties[index] & missing != 0)
                .or_else(|| first(&team, &|_| true));
            let Some(pick) = pick else { break };
            covered |= roster.specialties[pick as usize] & needed;
            team.push(pick);
        }
        if team.len() < rules.team_size as usize {
            outcomes.push(explain(
                input,
                &roster,
                request.object_index,
                Some(team.len() as u32),
            ));
            continue;
        }
        while team.len() < rules.max_team_size as usize && needed & !covered != 0 {
            let missing = needed & !covered;
            let Some(pick) = first(&team, &|index| roster.specialties[index] & missing != 0) else {
                break;
            };
            covered |= roster.specialties[pick as usize] & needed;
            team.push(pick);
        }

        for &member in &team {
            let index = member as usize;
            roster
                .queue
                .remove(&(roster.load[index], roster.key[index], member));
            roster.load[index] = roster.load[index].saturating_add(1);
            roster.assigned[index] += 1;
            roster.key[index] = stream.next_u64();
            if roster.assigned[index] < rules.max_assignments_per_draw {
                roster
                    .queue
                    .insert((roster.load[index], roster.key[index], member));
            }
        }
        let uncovered = needed & !covered;
        outcomes.push(TeamOutcome::Assigned {
            lead: inspectors[lead as usize].id,
            members: team
                .iter()
                .map(|&index| inspectors[index as usize].id)
                .collect(),
            uncovered_specialties: (0..specialty_list.len())
                .filter(|&bit| uncovered & (1u64 << bit) != 0)
                .map(|bit| specialty_list[bit].clone())
                .collect(),
        });
    }
    outcomes
}

/// Says which hard rule failed for the object and what was missing. `members_found` is `None`
/// when no lead could be found, else how many members the team reached.
fn explain(
    input: &DrawInput,
    roster: &Roster,
    object_index: usize,
    members_found: Option<u32>,
) -> TeamOutcome {
    let rules = input.spec.team_rules;
    let object = &input.objects[object_index];
    let mut excluded = ExcludedInspectors::default();
    let mut eligible = 0u32;
    let mut certified = 0u32;
    for (index, inspector) in input.inspectors.iter().enumerate() {
        if !inspector.active {
            excluded.inactive += 1;
        } else if inspector.conflicts.binary_search(&object.id).is_ok() {
            excluded.conflict += 1;
        } else if rules.exclude_same_region && inspector.region == object.tags.region {
            excluded.same_region += 1;
        } else if roster.assigned[index] >= rules.max_assignments_per_draw {
            excluded.per_draw_cap += 1;
        } else {
            eligible += 1;
            if inspector.enforcement_certificate {
                if rules.rotate_lead && object.last_lead == Some(inspector.id) {
                    excluded.last_lead += 1;
                } else {
                    certified += 1;
                }
            }
        }
    }
    match members_found {
        None if excluded.last_lead > 0 => TeamOutcome::Infeasible {
            rule: TeamRule::LeadRotation,
            required: 1,
            available: certified,
            excluded,
        },
        None => TeamOutcome::Infeasible {
            rule: TeamRule::EnforcementCertificate,
            required: 1,
            available: certified,
            excluded,
        },
        Some(_) => TeamOutcome::Infeasible {
            rule: TeamRule::TeamSize,
            required: rules.team_size,
            available: eligible,
            excluded,
        },
    }
}
