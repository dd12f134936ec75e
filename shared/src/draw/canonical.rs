//! The canonical byte encodings of a (normalized) draw input and of a draw result, and their
//! SHA-256 hashes. Integers are big-endian and fixed width; a string is `u32be(len) ‖ UTF-8`;
//! a list is `u32be(count) ‖ items`; an option is `0x00` or `0x01 ‖ value`; a boolean is one
//! byte `0x00`/`0x01`; an enum is its one-byte code. See `docs/draw-algorithm.md`.

use sha2::{Digest, Sha256};

use super::ids::Digest32;
use super::model::{DrawInput, StratumSize, TagFilter};
use super::result::{
    DrawResult, ExcludedInspectors, PoolReason, SelectedBy, TeamOutcome, TeamRule,
};

/// Label that starts the input encoding.
pub const INPUT_LABEL: &str = "suicha.draw.input";
/// Label that starts the result encoding.
pub const RESULT_LABEL: &str = "suicha.draw.result";

/// Where encoded bytes go: a buffer (tests, debugging) or straight into a hasher.
pub trait ByteSink {
    fn put(&mut self, bytes: &[u8]);
}

impl ByteSink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

impl ByteSink for Sha256 {
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

/// A hasher fed in 16 KiB pieces: the encodings are made of many tiny fields, and one
/// `update` per field costs more than the hashing itself.
struct BufferedHasher {
    hasher: Sha256,
    buffer: Vec<u8>,
}

impl BufferedHasher {
    const CAPACITY: usize = 16 * 1024;

    fn new() -> Self {
        BufferedHasher {
            hasher: Sha256::new(),
            buffer: Vec::with_capacity(Self::CAPACITY),
        }
    }

    fn finish(mut self) -> Digest32 {
        self.hasher.update(&self.buffer);
        Digest32(self.hasher.finalize().into())
    }
}

impl ByteSink for BufferedHasher {
    fn put(&mut self, bytes: &[u8]) {
        if self.buffer.len() + bytes.len() > Self::CAPACITY {
            self.hasher.update(&self.buffer);
            self.buffer.clear();
        }
        if bytes.len() >= Self::CAPACITY {
            self.hasher.update(bytes);
        } else {
            self.buffer.extend_from_slice(bytes);
        }
    }
}

struct Encoder<'a, S: ByteSink> {
    sink: &'a mut S,
}

impl<S: ByteSink> Encoder<'_, S> {
    fn u8(&mut self, value: u8) {
        self.sink.put(&[value]);
    }
    fn u16(&mut self, value: u16) {
        self.sink.put(&value.to_be_bytes());
    }
    fn u32(&mut self, value: u32) {
        self.sink.put(&value.to_be_bytes());
    }
    fn u64(&mut self, value: u64) {
        self.sink.put(&value.to_be_bytes());
    }
    fn i64(&mut self, value: i64) {
        self.sink.put(&value.to_be_bytes());
    }
    fn bool(&mut self, value: bool) {
        self.u8(u8::from(value));
    }
    fn count(&mut self, count: usize) {
        // Validation bounds every list far below 2^32.
        self.u32(count as u32);
    }
    fn str(&mut self, value: &str) {
        self.count(value.len());
        self.sink.put(value.as_bytes());
    }
    fn label(&mut self, label: &str) {
        self.sink.put(label.as_bytes());
        self.u8(0);
    }
    fn digest(&mut self, digest: &Digest32) {
        self.sink.put(&digest.0);
    }
    fn filters(&mut self, filters: &[TagFilter]) {
        self.count(filters.len());
        for filter in filters {
            self.u8(filter.tag.code());
            self.count(filter.values.len());
            for value in &filter.values {
                self.str(value);
            }
        }
    }
}

/// Writes the canonical encoding of a normalized input (see [`DrawInput::normalized`]).
pub fn encode_input<S: ByteSink>(input: &DrawInput, sink: &mut S) {
    let mut e = Encoder { sink };
    e.label(INPUT_LABEL);
    e.u32(input.algorithm_version.get());

    let spec = &input.spec;
    e.u16(spec.period.year);
    e.u8(spec.period.quarter);
    e.count(spec.sections.len());
    for section in &spec.sections {
        e.str(section.section.as_str());
        e.filters(&section.filters);
        e.count(section.strata.len());
        for stratum in &section.strata {
            e.str(stratum.name.as_str());
            e.count(stratum.categories.len());
            for category in &stratum.categories {
                e.u8(category.code());
            }
            match stratum.size {
                StratumSize::Count(count) => {
                    e.u8(1);
                    e.u32(count);
                }
                StratumSize::RatioBp(bp) => {
                    e.u8(2);
                    e.u32(bp);
                }
            }
        }
        e.count(section.items.len());
        for item in &section.items {
            e.i64(item.0);
        }
        e.bool(section.annual_guarantee);
    }
    let weights = &spec.risk_weights;
    e.i64(weights.base);
    e.i64(weights.per_violation);
    e.u32(weights.max_counted_violations);
    e.i64(weights.per_complaint);
    e.u32(weights.max_counted_complaints);
    for value in [
        weights.credit.a,
        weights.credit.b,
        weights.credit.c,
        weights.credit.d,
        weights.credit.unrated,
    ] {
        e.i64(value);
    }
    e.i64(weights.unstable_permit_compliance);
    e.i64(weights.high_public_concern);
    e.i64(weights.category.general);
    e.i64(weights.category.key);
    e.i64(weights.category.special);
    match spec.yearly_cap {
        None => e.u8(0),
        Some(cap) => {
            e.u8(1);
            e.u32(cap);
        }
    }
    let rules = &spec.team_rules;
    e.u32(rules.team_size);
    e.u32(rules.max_team_size);
    e.bool(rules.exclude_same_region);
    e.bool(rules.rotate_lead);
    e.u32(rules.max_assignments_per_draw);

    e.count(input.objects.len());
    for object in &input.objects {
        e.i64(object.id.get());
        e.str(&object.name);
        e.u8(object.category.code());
        e.u8(object.status.code());
        let tags = &object.tags;
        e.str(&tags.region);
        e.str(&tags.industry);
        e.str(&tags.construction_status);
        e.str(&tags.discharge_type);
        e.str(&tags.permit_class);
        e.str(&tags.production_scale);
        e.str(&tags.production_cycle);
        e.str(&tags.monitoring_type);
        e.u8(tags.weather_grade.code());
        let risk = &object.risk;
        e.u32(risk.violations);
        e.u32(risk.complaints);
        e.u8(risk.credit.code());
        e.bool(risk.unstable_permit_compliance);
        e.bool(risk.high_public_concern);
        e.u32(object.inspections_this_year);
        match object.last_lead {
            None => e.u8(0),
            Some(lead) => {
                e.u8(1);
                e.i64(lead.get());
            }
        }
    }

    e.count(input.inspectors.len());
    for inspector in &input.inspectors {
        e.i64(inspector.id.get());
        e.str(&inspector.name);
        e.str(&inspector.region);
        e.u32(inspector.years_of_service);
        e.count(inspector.specialties.len());
        for specialty in &inspector.specialties {
            e.str(specialty.as_str());
        }
        e.str(&inspector.department);
        e.str(&inspector.post);
        e.bool(inspector.enforcement_certificate);
        e.bool(inspector.active);
        e.u32(inspector.inspections_this_year);
        e.count(inspector.conflicts.len());
        for object in &inspector.conflicts {
            e.i64(object.get());
        }
    }

    e.count(input.checklist.len());
    for item in &input.checklist {
        e.i64(item.id.0);
        e.str(item.section.as_str());
        e.str(&item.content);
        e.str(&item.legal_basis);
        match &item.required_specialty {
            None => e.u8(0),
            Some(specialty) => {
                e.u8(1);
                e.str(specialty.as_str());
            }
        }
        e.filters(&item.applies_to);
    }

    e.count(input.history.externally_inspected.len());
    for object in &input.history.externally_inspected {
        e.i64(object.get());
    }
}

/// SHA-256 of the canonical encoding of a normalized input: the sealed input hash.
pub fn sealed_input_hash(input: &DrawInput) -> Digest32 {
    let mut hasher = BufferedHasher::new();
    encode_input(input, &mut hasher);
    hasher.finish()
}

/// Writes the canonical encoding of a result, every field except `result_hash`.
pub fn encode_result<S: ByteSink>(result: &DrawResult, sink: &mut S) {
    let mut e = Encoder { sink };
    e.label(RESULT_LABEL);
    e.u32(result.algorithm_version.get());
    e.digest(&result.sealed_input_hash);
    e.digest(&result.seed);
    e.u16(result.period.year);
    e.u8(result.period.quarter);

    e.count(result.inspections.len());
    for inspection in &result.inspections {
        e.i64(inspection.object.get());
        e.u64(inspection.rank);
        e.u8(inspection.category.code());
        e.bool(inspection.joint);
        e.count(inspection.draws.len());
        for draw in &inspection.draws {
            e.str(draw.section.as_str());
            match &draw.stratum {
                None => e.u8(0),
                Some(name) => {
                    e.u8(1);
                    e.str(name.as_str());
                }
            }
            e.u8(match draw.selected_by {
                SelectedBy::Stratum => 1,
                SelectedBy::AnnualGuarantee => 2,
            });
            match &draw.pool_reason {
                PoolReason::Unrestricted => e.u8(1),
                PoolReason::Targeted { matched } => {
                    e.u8(2);
                    e.count(matched.len());
                    for tag_match in matched {
                        e.u8(tag_match.tag.code());
                        e.str(&tag_match.value);
                    }
                }
            }
        }
        e.count(inspection.items.len());
        for item in &inspection.items {
            e.i64(item.0);
        }
        match &inspection.team {
            TeamOutcome::Assigned {
                lead,
                members,
                uncovered_specialties,
            } => {
                e.u8(1);
                e.i64(lead.get());
                e.count(members.len());
                for member in members {
                    e.i64(member.get());
                }
                e.count(uncovered_specialties.len());
                for specialty in uncovered_specialties {
                    e.str(specialty.as_str());
                }
            }
            TeamOutcome::Infeasible {
                rule,
                required,
                available,
                excluded,
            } => {
                e.u8(2);
                e.u8(match rule {
                    TeamRule::EnforcementCertificate => 1,
                    TeamRule::LeadRotation => 2,
                    TeamRule::TeamSize => 3,
                });
                e.u32(*required);
                e.u32(*available);
                let ExcludedInspectors {
                    inactive,
                    conflict,
                    same_region,
                    per_draw_cap,
                    last_lead,
                } = *excluded;
                for value in [inactive, conflict, same_region, per_draw_cap, last_lead] {
                    e.u32(value);
                }
            }
        }
    }

    e.count(result.sections.len());
    for section in &result.sections {
        e.str(section.section.as_str());
        e.u64(section.matching);
        let excluded = &section.excluded;
        for value in [
            excluded.closed,
            excluded.suspended,
            excluded.externally_inspected,
            excluded.yearly_cap,
        ] {
            e.u64(value);
        }
        e.u64(section.pool);
        e.u64(section.unstratified);
        e.count(section.strata.len());
        for stratum in &section.strata {
            e.str(stratum.name.as_str());
            e.u64(stratum.eligible);
            e.u64(stratum.target);
            e.u64(stratum.drawn);
        }
        match &section.guarantee {
            None => e.u8(0),
            Some(guarantee) => {
                e.u8(1);
                e.u64(guarantee.not_yet_inspected);
                e.u64(guarantee.required);
                e.u64(guarantee.drawn_by_strata);
                e.u64(guarantee.added);
            }
        }
    }
}

/// SHA-256 of the canonical encoding of a result (its `result_hash` field is not read).
pub fn result_hash(result: &DrawResult) -> Digest32 {
    let mut hasher = BufferedHasher::new();
    encode_result(result, &mut hasher);
    hasher.finish()
}
