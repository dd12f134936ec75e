//! Typed errors of the draw engine.

use thiserror::Error;

use super::ids::{InspectorId, ObjectId, SectionId, Specialty, StratumName};
use crate::checklist::ChecklistItemId;

/// Why a draw input (or seed material) was rejected. Nothing is drawn from a rejected input.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DrawInputError {
    #[error("{kind} id must be positive, got {value}")]
    NonPositiveId { kind: &'static str, value: i64 },
    #[error("{kind} code {value:?} must be 1-64 bytes of [a-z0-9_-]")]
    InvalidCode { kind: &'static str, value: String },
    #[error("algorithm version {0} is not supported by this build")]
    UnsupportedAlgorithmVersion(u32),
    #[error("expected 64 lowercase hex digits, got {0:?}")]
    InvalidHex(String),
    #[error("invalid period {year}-Q{quarter}: quarter must be 1-4 and year 2000-2999")]
    InvalidPeriod { year: u16, quarter: u8 },
    #[error("a risk-weight table entry is out of range (|entry| <= 1000000, counted caps <= 1000)")]
    RiskWeightOutOfRange,
    #[error(
        "team rules must satisfy 2 <= team_size <= max_team_size <= 12 and a positive per-draw cap"
    )]
    InvalidTeamRules,
    #[error("too many objects: {0}")]
    TooManyObjects(u64),
    #[error("too many inspectors: {0}")]
    TooManyInspectors(u64),
    #[error("too many distinct specialties: {0} (at most 64)")]
    TooManySpecialties(u64),
    #[error("{field} {value:?} is too long or contains control characters")]
    InvalidText { field: &'static str, value: String },
    #[error("object {0} appears twice")]
    DuplicateObject(ObjectId),
    #[error("inspector {0} appears twice")]
    DuplicateInspector(InspectorId),
    #[error("checklist item {0} appears twice")]
    DuplicateChecklistItem(ChecklistItemId),
    #[error("inspector {inspector} lists specialty {specialty} twice")]
    DuplicateSpecialty {
        inspector: InspectorId,
        specialty: Specialty,
    },
    #[error("inspector {inspector} declares the conflict with object {object} twice")]
    DuplicateConflict {
        inspector: InspectorId,
        object: ObjectId,
    },
    #[error("object {0} is listed twice as externally inspected")]
    DuplicateExternallyInspected(ObjectId),
    #[error("the filter on {0} lists no values")]
    EmptyFilter(&'static str),
    #[error("the filter on {tag} lists {value:?} twice")]
    DuplicateFilterValue { tag: &'static str, value: String },
    #[error("two filters on {0}; put all values in one filter")]
    DuplicateFilterTag(&'static str),
    #[error("the spec has no sections")]
    NoSections,
    #[error("section {0} appears twice in the spec")]
    DuplicateSection(SectionId),
    #[error("section {section} lists checklist item {item} twice")]
    DuplicateSectionItem {
        section: SectionId,
        item: ChecklistItemId,
    },
    #[error("section {section} lists checklist item {item}, which is not in the checklist")]
    UnknownChecklistItem {
        section: SectionId,
        item: ChecklistItemId,
    },
    #[error("section {section} lists checklist item {item}, which belongs to another section")]
    ItemOfOtherSection {
        section: SectionId,
        item: ChecklistItemId,
    },
    #[error("section {section} has two strata named {stratum}")]
    DuplicateStratum {
        section: SectionId,
        stratum: StratumName,
    },
    #[error("stratum {stratum} of section {section} has no categories")]
    EmptyStratum {
        section: SectionId,
        stratum: StratumName,
    },
    #[error("category {category} is in two strata of section {section}")]
    OverlappingStrata {
        section: SectionId,
        category: &'static str,
    },
    #[error("stratum {stratum} of section {section}: ratio {basis_points} bp exceeds 10000")]
    RatioOutOfRange {
        section: SectionId,
        stratum: StratumName,
        basis_points: u32,
    },
    #[error("a yearly inspection count of {0} is out of range (at most 100000)")]
    YearlyCountOutOfRange(u32),
    #[error("witness entropy must be 1-128 ASCII letters or digits, got {0:?}")]
    InvalidWitness(String),
}

/// Why `suicha verify` (or [`super::verify_bundle`]) did not confirm a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VerifyError {
    #[error("the bundle's input is invalid: {0}")]
    InvalidInput(#[from] DrawInputError),
    #[error("{field} differs: bundle has {bundle}, recomputed {recomputed}")]
    Mismatch {
        field: String,
        bundle: String,
        recomputed: String,
    },
}
