//! The draw engine: a pure function of published inputs and a seed.
//!
//! A draw takes a [`DrawInput`] (the spec, the object and inspector snapshots, the checklist
//! references and the history) and a 32-byte seed, and returns a [`DrawResult`]. The input is
//! first validated and normalized ([`DrawInput::normalized`]); its canonical encoding hashes to
//! the *sealed input hash*; the seed is derived from that hash and entropy nobody controls alone
//! ([`derive_seed`]). Randomness comes only from the ChaCha20 keystream read through
//! [`rng::KeyStream`]; no floating point, no platform-sized integers, no hash-map order. The
//! normative description is `docs/draw-algorithm.md`; the vectors in `shared/vectors/` prove the
//! code matches it, natively and in wasm.
//!
//! Every algorithm version ever released stays runnable: [`run_draw`] dispatches on
//! [`DrawInput::algorithm_version`].

pub mod bench;
pub mod canonical;
mod error;
mod ids;
mod model;
pub mod order;
mod result;
pub mod rng;
mod seed;
pub mod synthetic;
mod teams;
mod v1;
pub mod vectors;

pub use error::{DrawInputError, VerifyError};
pub use ids::{
    AlgorithmVersion, Digest32, InspectorId, ObjectId, SectionId, Specialty, StratumName,
};
pub use model::{
    Category, CategoryAdjustments, ChecklistRef, DrawInput, DrawSpec, Grade, GradeAdjustments,
    History, InspectionObject, Inspector, MAX_COUNTED_EVENTS, MAX_INSPECTORS, MAX_OBJECTS,
    MAX_SPECIALTIES, MAX_TEAM_SIZE, MAX_WEIGHT, MAX_WEIGHT_TABLE_ENTRY, ObjectStatus, ObjectTags,
    Period, RiskFacts, RiskWeights, SectionSpec, Stratum, StratumSize, TagFilter, TagKind,
    TeamRules,
};
pub use result::{
    DrawBundle, DrawResult, ExcludedInspectors, ExclusionCounts, GuaranteeOutcome, Inspection,
    PoolReason, SectionDraw, SectionOutcome, SelectedBy, StratumOutcome, TagMatch, TeamOutcome,
    TeamRule,
};
pub use seed::{SeedKind, SeedParts, derive_seed, validate_witness};

/// A validated, normalized input together with its sealed input hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedInput {
    input: DrawInput,
    hash: Digest32,
}

impl SealedInput {
    /// Validates and normalizes the input and computes its sealed input hash.
    pub fn seal(input: &DrawInput) -> Result<SealedInput, DrawInputError> {
        SealedInput::seal_owned(input.clone())
    }

    /// [`SealedInput::seal`] taking the input by value, without copying it.
    pub fn seal_owned(input: DrawInput) -> Result<SealedInput, DrawInputError> {
        let input = input.into_normalized()?;
        let hash = canonical::sealed_input_hash(&input);
        Ok(SealedInput { input, hash })
    }

    /// The normalized input.
    pub fn input(&self) -> &DrawInput {
        &self.input
    }

    /// SHA-256 of the canonical encoding of the normalized input.
    pub fn hash(&self) -> Digest32 {
        self.hash
    }

    /// Runs the draw with the algorithm version the input names.
    pub fn draw(&self, seed: Digest32) -> DrawResult {
        match self.input.algorithm_version {
            AlgorithmVersion::V1 => v1::run(&self.input, self.hash, seed),
            // `normalized` admits only supported versions.
            other => unreachable!("unsupported algorithm version {other} passed validation"),
        }
    }

    /// Derives the seed from its parts and runs the draw.
    pub fn draw_with(&self, parts: &SeedParts) -> Result<DrawResult, DrawInputError> {
        let seed = derive_seed(parts, &self.hash)?;
        Ok(self.draw(seed))
    }
}

/// Validates, seals and draws in one call.
pub fn run_draw(input: &DrawInput, seed: Digest32) -> Result<DrawResult, DrawInputError> {
    Ok(SealedInput::seal(input)?.draw(seed))
}

/// Recomputes a bundle's draw. Checks, in order: the input is valid; the sealed input hash,
/// the seed, the algorithm version and the result hash match; then the whole result. Returns
/// the recomputed result when everything matches, else the first differing field.
pub fn verify_bundle(bundle: &DrawBundle) -> Result<DrawResult, VerifyError> {
    let sealed = SealedInput::seal(&bundle.input)?;
    let stated = &bundle.result;
    let mismatch = |field: &str, bundle: String, recomputed: String| VerifyError::Mismatch {
        field: field.to_owned(),
        bundle,
        recomputed,
    };
    if stated.algorithm_version != bundle.input.algorithm_version {
        return Err(mismatch(
            "result.algorithm_version",
            stated.algorithm_version.to_string(),
            bundle.input.algorithm_version.to_string(),
        ));
    }
    if stated.sealed_input_hash != sealed.hash() {
        return Err(mismatch(
            "result.sealed_input_hash",
            stated.sealed_input_hash.to_hex(),
            sealed.hash().to_hex(),
        ));
    }
    let seed = derive_seed(&bundle.seed_parts, &sealed.hash())?;
    if stated.seed != seed {
        return Err(mismatch("result.seed", stated.seed.to_hex(), seed.to_hex()));
    }
    let recomputed = sealed.draw(seed);
    let stated_content_hash = canonical::result_hash(stated);
    if stated_content_hash != stated.result_hash {
        return Err(mismatch(
            "result.result_hash",
            stated.result_hash.to_hex(),
            format!(
                "{} (hash of the bundle's own result fields)",
                stated_content_hash.to_hex()
            ),
        ));
    }
    if recomputed != *stated {
        let field = first_difference(stated, &recomputed);
        return Err(mismatch(&field.0, field.1, field.2));
    }
    Ok(recomputed)
}

/// The first field where two results differ, as a path like `result.inspections[3].team`,
/// with both values in debug form.
pub fn first_difference(stated: &DrawResult, recomputed: &DrawResult) -> (String, String, String) {
    fn show<T: std::fmt::Debug>(value: &T) -> String {
        format!("{value:?}")
    }
    if stated.period != recomputed.period {
        return (
            "result.period".into(),
            show(&stated.period),
            show(&recomputed.period),
        );
    }
    for (index, (a, b)) in stated
        .inspections
        .iter()
        .zip(&recomputed.inspections)
        .enumerate()
    {
        let path = |field: &str| format!("result.inspections[{index}].{field}");
        if a.object != b.object {
            return (path("object"), a.object.to_string(), b.object.to_string());
        }
        if a.rank != b.rank {
            return (path("rank"), a.rank.to_string(), b.rank.to_string());
        }
        if a.category != b.category {
            return (path("category"), show(&a.category), show(&b.category));
        }
        if a.joint != b.joint {
            return (path("joint"), a.joint.to_string(), b.joint.to_string());
        }
        if a.draws != b.draws {
            return (path("draws"), show(&a.draws), show(&b.draws));
        }
        if a.items != b.items {
            return (path("items"), show(&a.items), show(&b.items));
        }
        if a.team != b.team {
            return (path("team"), show(&a.team), show(&b.team));
        }
    }
    if stated.inspections.len() != recomputed.inspections.len() {
        return (
            "result.inspections.length".into(),
            stated.inspections.len().to_string(),
            recomputed.inspections.len().to_string(),
        );
    }
    for (index, (a, b)) in stated.sections.iter().zip(&recomputed.sections).enumerate() {
        if a != b {
            return (format!("result.sections[{index}]"), show(a), show(b));
        }
    }
    if stated.sections.len() != recomputed.sections.len() {
        return (
            "result.sections.length".into(),
            stated.sections.len().to_string(),
            recomputed.sections.len().to_string(),
        );
    }
    (
        "result.result_hash".into(),
        stated.result_hash.to_hex(),
        recomputed.result_hash.to_hex(),
    )
}
