//! The draw's output and the bundle a committed draw is exported as.

use serde::{Deserialize, Serialize};

use super::ids::{
    AlgorithmVersion, Digest32, InspectorId, ObjectId, SectionId, Specialty, StratumName,
};
use super::model::{Category, DrawInput, Period, TagKind};
use super::seed::SeedParts;
use crate::checklist::ChecklistItemId;

/// The outcome of a draw: a pure function of the sealed input and the seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawResult {
    pub algorithm_version: AlgorithmVersion,
    pub sealed_input_hash: Digest32,
    pub seed: Digest32,
    pub period: Period,
    /// One per drawn object, by ascending rank.
    pub inspections: Vec<Inspection>,
    /// One per section of the spec, by section id.
    pub sections: Vec<SectionOutcome>,
    /// SHA-256 of the canonical encoding of every field above.
    pub result_hash: Digest32,
}

impl DrawResult {
    /// The drawn objects in rank order.
    pub fn selection(&self) -> Vec<ObjectId> {
        self.inspections
            .iter()
            .map(|inspection| inspection.object)
            .collect()
    }
}

/// One drawn object: one inspection, joint when several sections drew it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inspection {
    pub object: ObjectId,
    /// 1-based position of the object in the draw's global weighted order.
    pub rank: u64,
    pub category: Category,
    /// More than one section drew the object (内部联合抽查).
    pub joint: bool,
    /// Why each section drew it, by section id.
    pub draws: Vec<SectionDraw>,
    /// The union of the drawing sections' checklist items that apply to the object, ascending.
    pub items: Vec<ChecklistItemId>,
    pub team: TeamOutcome,
}

/// Why one section drew one object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionDraw {
    pub section: SectionId,
    /// The object's stratum in this section; `None` when its category is in no stratum.
    pub stratum: Option<StratumName>,
    pub selected_by: SelectedBy,
    pub pool_reason: PoolReason,
}

/// Which rule put the object in the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SelectedBy {
    /// Among the first `target` objects of its stratum in the global order.
    Stratum,
    /// Added by the annual guarantee for 重点/特殊 objects not yet inspected this year.
    AnnualGuarantee,
}

/// Why the object was in the section's pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum PoolReason {
    /// A daily-supervision draw: no filters, the object is active and not excluded.
    Unrestricted,
    /// A targeted draw: the object's value of every filtered tag.
    Targeted { matched: Vec<TagMatch> },
}

/// One matched tag of a targeted draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagMatch {
    pub tag: TagKind,
    pub value: String,
}

/// The team of an inspection, or exactly why none could be formed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum TeamOutcome {
    Assigned {
        lead: InspectorId,
        /// The lead first, then the other members in the order they were picked.
        members: Vec<InspectorId>,
        /// Specialties the items need that no eligible inspector could cover, ascending.
        uncovered_specialties: Vec<Specialty>,
    },
    /// No team: nobody is assigned to this inspection.
    Infeasible {
        rule: TeamRule,
        /// How many eligible inspectors the rule needs.
        required: u32,
        /// How many eligible inspectors satisfy it.
        available: u32,
        /// Why the other inspectors were not eligible.
        excluded: ExcludedInspectors,
    },
}

/// A hard team rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamRule {
    /// The lead must hold an enforcement certificate.
    EnforcementCertificate,
    /// The lead must differ from the object's last lead.
    LeadRotation,
    /// The team needs `team_size` eligible members.
    TeamSize,
}

/// Counts of inspectors that were not eligible for one object, by first failing reason in the
/// order inactive, conflict (回避), same region, per-draw cap; `last_lead` counts the certified
/// eligible inspector set aside by rotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExcludedInspectors {
    pub inactive: u32,
    pub conflict: u32,
    pub same_region: u32,
    pub per_draw_cap: u32,
    pub last_lead: u32,
}

/// The counts of one section's draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionOutcome {
    pub section: SectionId,
    /// Objects passing the section's filters.
    pub matching: u64,
    /// Of those, left out of the pool, by first reason.
    pub excluded: ExclusionCounts,
    /// Objects in the pool (`matching` minus all exclusions).
    pub pool: u64,
    /// Pool objects whose category is in no stratum.
    pub unstratified: u64,
    /// By stratum name.
    pub strata: Vec<StratumOutcome>,
    /// Present when the section applies the annual guarantee.
    pub guarantee: Option<GuaranteeOutcome>,
}

/// Objects left out of a pool, by first reason in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExclusionCounts {
    pub closed: u64,
    pub suspended: u64,
    pub externally_inspected: u64,
    pub yearly_cap: u64,
}

/// The counts of one stratum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StratumOutcome {
    pub name: StratumName,
    /// Pool objects in the stratum.
    pub eligible: u64,
    /// The count asked for (a ratio already rounded up).
    pub target: u64,
    /// `min(target, eligible)`.
    pub drawn: u64,
}

/// The counts of the annual guarantee of one section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuaranteeOutcome {
    /// 重点 and 特殊 pool objects with no inspection yet this year.
    pub not_yet_inspected: u64,
    /// `ceil(not_yet_inspected / (5 - quarter))`.
    pub required: u64,
    /// Of those, drawn by the strata anyway.
    pub drawn_by_strata: u64,
    /// Added on top of the strata.
    pub added: u64,
}

/// A committed (or previewed) draw as exported for anyone to verify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawBundle {
    pub input: DrawInput,
    pub seed_parts: SeedParts,
    pub result: DrawResult,
}
