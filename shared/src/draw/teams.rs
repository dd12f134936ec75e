//! Team assignment (随机选派执法检查人员), algorithm version 1.
//!
//! Inspections are served in rank order. Active inspectors wait in one queue ordered by
//! `(load, position)`: `load` is this year's inspections plus this draw's assignments, and
//! `position` is the inspector's place in π_load, a uniformly random permutation of the active
//! inspectors drawn for that load level from its own keystream. So the least loaded go first,
//! ties are broken at random, and since each assignment moves an inspector to the next level
//! (with a fresh, independent order), pairings change from team to team. Each pick takes the
//! first queued inspector that is eligible for the object and fits the pick's rule; an
//! infeasible team assigns nobody.
//!
//! Each level keeps bit sets over permutation positions (queued; queued and certified; queued
//! and having each required specialty), so a pick is a scan of set bits and a move is a few
//! bit flips.

use std::cell::Cell;

use sha2::{Digest, Sha256};

use super::ids::{Digest32, Specialty};
use super::model::DrawInput;
use super::result::{ExcludedInspectors, TeamOutcome, TeamRule};
use super::rng::KeyStream;
use crate::checklist::ChecklistItemId;

/// Label of the keystream of the permutation of one load level.
pub const LEVEL_LABEL: &str = "suicha.draw.v1.teams.level";

/// One inspection that needs a team.
pub(crate) struct TeamRequest {
    pub(crate) object_index: usize,
    pub(crate) items: Vec<ChecklistItemId>,
}

/// The keystream of level `load`: key = SHA-256(`LEVEL_LABEL` ‖ 0x00 ‖ seed ‖ u32be(load)).
fn level_stream(seed: &Digest32, load: u32) -> KeyStream {
    let mut hasher = Sha256::new();
    hasher.update(LEVEL_LABEL.as_bytes());
    hasher.update([0u8]);
    hasher.update(seed.0);
    hasher.update(load.to_be_bytes());
    KeyStream::from_key(hasher.finalize().into())
}

/// A set of permutation positions with a one-bit-per-word summary, for fast in-order scans.
#[derive(Clone)]
struct PositionSet {
    words: Vec<u64>,
    summary: Vec<u64>,
    count: u32,
}

impl PositionSet {
    fn new(positions: usize) -> PositionSet {
        let words = positions.div_ceil(64);
        PositionSet {
            words: vec![0; words],
            summary: vec![0; words.div_ceil(64)],
            count: 0,
        }
    }

    fn insert(&mut self, place: usize) {
        let word = place / 64;
        self.words[word] |= 1u64 << (place % 64);
        self.summary[word / 64] |= 1u64 << (word % 64);
        self.count += 1;
    }

    fn remove(&mut self, place: usize) {
        let word = place / 64;
        self.words[word] &= !(1u64 << (place % 64));
        if self.words[word] == 0 {
            self.summary[word / 64] &= !(1u64 << (word % 64));
        }
        self.count -= 1;
    }

    /// The first position, in ascending order, whose value `accept` takes.
    fn find(&self, accept: &mut dyn FnMut(usize) -> bool) -> Option<usize> {
        if self.count == 0 {
            return None;
        }
        for (group, &summary) in self.summary.iter().enumerate() {
            let mut words = summary;
            while words != 0 {
                let word = group * 64 + words.trailing_zeros() as usize;
                let mut bits = self.words[word];
                while bits != 0 {
                    let place = word * 64 + bits.trailing_zeros() as usize;
                    if accept(place) {
                        return Some(place);
                    }
                    bits &= bits - 1;
                }
                words &= words - 1;
            }
        }
        None
    }
}

/// Which queued inspectors a pick looks at.
#[derive(Clone, Copy)]
enum Pool {
    Any,
    Certified,
    /// Those having one of these required specialties (bit mask).
    Specialists(u64),
}

/// One load level: its permutation and the queued inspectors by position.
struct Level {
    /// Position → active rank.
    order: Vec<u32>,
    /// Active rank → position.
    position: Vec<u32>,
    queued: PositionSet,
    certified: PositionSet,
    /// Per required specialty.
    specialists: Vec<PositionSet>,
}

impl Level {
    /// The first queued inspector of this level in `pool`, in permutation order, that
    /// `accept` takes; returns its position.
    fn first(&self, pool: Pool, accept: &dyn Fn(usize) -> bool) -> Option<usize> {
        let mut take = |place: usize| accept(self.order[place] as usize);
        match pool {
            Pool::Any => self.queued.find(&mut take),
            Pool::Certified => self.certified.find(&mut take),
            Pool::Specialists(mask) => {
                let mut best: Option<usize> = None;
                let mut rest = mask;
                while rest != 0 {
                    let specialty = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    let bound = best.unwrap_or(usize::MAX);
                    let found = self.specialists[specialty]
                        .find(&mut |place| place >= bound || take(place));
                    if let Some(place) = found
                        && place < bound
                    {
                        best = Some(place);
                    }
                }
                best
            }
        }
    }
}

struct Roster {
    seed: Digest32,
    /// Active inspectors' indices (into the input's inspectors), in id order.
    active: Vec<usize>,
    /// Per active rank.
    load: Vec<u32>,
    assigned: Vec<u32>,
    specialties: Vec<u64>,
    certificate: Vec<bool>,
    required_specialties: usize,
    /// Level `base + i` at index `i`, created when first needed.
    levels: Vec<Option<Box<Level>>>,
    base: u32,
    /// No level below this index has queued inspectors.
    lowest: Cell<usize>,
}

impl Roster {
    fn level(&mut self, load: u32) -> &mut Level {
        let slot = (load - self.base) as usize;
        if slot >= self.levels.len() {
            self.levels.resize_with(slot + 1, || None);
        }
        if self.levels[slot].is_none() {
            let m = self.active.len();
            let mut order: Vec<u32> = (0..m as u32).collect();
            let mut stream = level_stream(&self.seed, load);
            for i in (1..m).rev() {
                let j = stream.below_u32(i as u32 + 1) as usize;
                order.swap(i, j);
            }
            let mut position = vec![0u32; m];
            for (place, &rank) in order.iter().enumerate() {
                position[rank as usize] = place as u32;
            }
            let level = Level {
                order,
                position,
                queued: PositionSet::new(m),
                certified: PositionSet::new(m),
                specialists: vec![PositionSet::new(m); self.required_specialties],
            };
            self.levels[slot] = Some(Box::new(level));
        }
        self.levels[slot].as_mut().expect("level just ensured")
    }

    fn enqueue(&mut self, rank: usize) {
        let load = self.load[rank];
        let certificate = self.certificate[rank];
        let mut mask = self.specialties[rank];
        let slot = (load - self.base) as usize;
        if slot < self.lowest.get() {
            self.lowest.set(slot);
        }
        let level = self.level(load);
        let place = level.position[rank] as usize;
        level.queued.insert(place);
        if certificate {
            level.certified.insert(place);
        }
        while mask != 0 {
            level.specialists[mask.trailing_zeros() as usize].insert(place);
            mask &= mask - 1;
        }
    }

    fn dequeue(&mut self, rank: usize) {
        let load = self.load[rank];
        let certificate = self.certificate[rank];
        let mut mask = self.specialties[rank];
        let level = self.levels[(load - self.base) as usize]
            .as_mut()
            .expect("queued inspectors have a level");
        let place = level.position[rank] as usize;
        level.queued.remove(place);
        if certificate {
            level.certified.remove(place);
        }
        while mask != 0 {
            level.specialists[mask.trailing_zeros() as usize].remove(place);
            mask &= mask - 1;
        }
    }

    /// The first queued inspector of `pool`, in queue order, that `accept` takes.
    fn first(&self, pool: Pool, accept: &dyn Fn(usize) -> bool) -> Option<usize> {
        let mut lowest = self.lowest.get();
        while lowest < self.levels.len()
            && self.levels[lowest]
                .as_ref()
                .is_none_or(|level| level.queued.count == 0)
        {
            lowest += 1;
        }
        self.lowest.set(lowest);
        self.levels
            .get(lowest..)
            .unwrap_or_default()
            .iter()
            .flatten()
            .filter(|level| level.queued.count > 0)
            .find_map(|level| {
                level
                    .first(pool, accept)
                    .map(|place| level.order[place] as usize)
            })
    }
}

/// FNV-1a, 64 bits: only a shortcut for string comparison, never part of a result.
fn region_hash(region: &str) -> u64 {
    region.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Assigns a team (or reports why none) to every request, in request order.
pub(crate) fn assign_teams(
    input: &DrawInput,
    requests: &[TeamRequest],
    seed: &Digest32,
) -> Vec<TeamOutcome> {
    let rules = input.spec.team_rules;
    let inspectors = &input.inspectors;

    // Only specialties some checklist item requires matter; number them in ascending order.
    let mut specialty_list: Vec<&Specialty> = input
        .checklist
        .iter()
        .filter_map(|item| item.required_specialty.as_ref())
        .collect();
    specialty_list.sort_unstable();
    specialty_list.dedup();
    let bit_of = |specialty: &Specialty| -> u64 {
        specialty_list
            .binary_search(&specialty)
            .map_or(0, |position| 1u64 << position)
    };
    let item_masks: Vec<u64> = input
        .checklist
        .iter()
        .map(|item| item.required_specialty.as_ref().map_or(0, bit_of))
        .collect();

    let active: Vec<usize> = (0..inspectors.len())
        .filter(|&index| inspectors[index].active)
        .collect();
    // A cheap hash of each region, so that most same-region checks compare two integers.
    let inspector_region: Vec<u64> = active
        .iter()
        .map(|&index| region_hash(&inspectors[index].region))
        .collect();
    let mut team: Vec<usize> = Vec::new();
    let mut roster = Roster {
        seed: *seed,
        load: active
            .iter()
            .map(|&index| inspectors[index].inspections_this_year)
            .collect(),
        assigned: vec![0; active.len()],
        specialties: active
            .iter()
            .map(|&index| {
                inspectors[index]
                    .specialties
                    .iter()
                    .fold(0u64, |mask, s| mask | bit_of(s))
            })
            .collect(),
        certificate: active
            .iter()
            .map(|&index| inspectors[index].enforcement_certificate)
            .collect(),
        required_specialties: specialty_list.len(),
        levels: Vec::new(),
        base: active
            .iter()
            .map(|&index| inspectors[index].inspections_this_year)
            .min()
            .unwrap_or(0),
        lowest: Cell::new(usize::MAX),
        active,
    };
    for rank in 0..roster.active.len() {
        roster.enqueue(rank);
    }

    let mut outcomes = Vec::with_capacity(requests.len());
    for request in requests {
        let object = &input.objects[request.object_index];
        let needed: u64 = request.items.iter().fold(0u64, |mask, item_id| {
            let position = input
                .checklist
                .binary_search_by_key(item_id, |item| item.id)
                .expect("validated item");
            mask | item_masks[position]
        });
        let active = &roster.active;
        let object_region = region_hash(&object.tags.region);
        let eligible = |rank: usize| {
            let inspector = &inspectors[active[rank]];
            inspector.conflicts.binary_search(&object.id).is_err()
                && !(rules.exclude_same_region
                    && inspector_region[rank] == object_region
                    && inspector.region == object.tags.region)
        };
        let is_lead = |rank: usize| {
            eligible(rank)
                && !(rules.rotate_lead && object.last_lead == Some(inspectors[active[rank]].id))
        };
        let Some(lead) = roster.first(Pool::Certified, &is_lead) else {
            outcomes.push(explain(input, &roster, request.object_index, None));
            continue;
        };
        team.clear();
        team.push(lead);
        let mut covered = roster.specialties[lead] & needed;
        while team.len() < rules.team_size as usize {
            let missing = needed & !covered;
            let free = |rank: usize| !team.contains(&rank) && eligible(rank);
            let specialist = if missing == 0 {
                None
            } else {
                roster.first(Pool::Specialists(missing), &free)
            };
            let Some(pick) = specialist.or_else(|| roster.first(Pool::Any, &free)) else {
                break;
            };
            covered |= roster.specialties[pick] & needed;
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
            let free = |rank: usize| !team.contains(&rank) && eligible(rank);
            let Some(pick) = roster.first(Pool::Specialists(needed & !covered), &free) else {
                break;
            };
            covered |= roster.specialties[pick] & needed;
            team.push(pick);
        }

        for &rank in &team {
            roster.dequeue(rank);
            roster.load[rank] = roster.load[rank].saturating_add(1);
            roster.assigned[rank] += 1;
            if roster.assigned[rank] < rules.max_assignments_per_draw {
                roster.enqueue(rank);
            }
        }
        let uncovered = needed & !covered;
        outcomes.push(TeamOutcome::Assigned {
            lead: inspectors[roster.active[lead]].id,
            members: team
                .iter()
                .map(|&rank| inspectors[roster.active[rank]].id)
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
    let mut next_rank = 0usize;
    for inspector in &input.inspectors {
        if !inspector.active {
            excluded.inactive += 1;
            continue;
        }
        let rank = next_rank;
        next_rank += 1;
        if inspector.conflicts.binary_search(&object.id).is_ok() {
            excluded.conflict += 1;
        } else if rules.exclude_same_region && inspector.region == object.tags.region {
            excluded.same_region += 1;
        } else if roster.assigned[rank] >= rules.max_assignments_per_draw {
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
