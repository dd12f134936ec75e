//! Known-answer test vectors: the file format and the one check every vector goes through.
//! The same files are checked natively and in wasm (`shared/tests/vectors.rs`) and written by
//! `suicha gen-vectors shared/vectors`.

use serde::{Deserialize, Serialize};

use super::ids::{Digest32, InspectorId, ObjectId};
use super::model::DrawInput;
use super::result::{DrawResult, TeamOutcome};
use super::seed::SeedParts;
use super::synthetic::Synthetic;
use super::{SealedInput, derive_seed};

/// The format tag of a vector file.
pub const VECTOR_FORMAT: &str = "suicha-draw-vectors/1";

/// One file of vectors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorFile {
    pub format: String,
    pub cases: Vec<VectorCase>,
}

/// One known-answer case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorCase {
    pub name: String,
    /// The input, inline or as a synthetic description (`docs/draw-algorithm.md`, appendix A).
    pub input: CaseInput,
    pub seed_parts: SeedParts,
    pub expected: Expected,
}

/// A case's input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseInput {
    Inline(Box<DrawInput>),
    Synthetic(Box<Synthetic>),
}

impl CaseInput {
    /// The draw input the case describes.
    pub fn build(&self) -> DrawInput {
        match self {
            CaseInput::Inline(input) => (**input).clone(),
            CaseInput::Synthetic(synthetic) => synthetic.build(),
        }
    }
}

/// The expected answer of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    pub sealed_input_hash: Digest32,
    pub seed: Digest32,
    pub result_hash: Digest32,
    /// Drawn objects by ascending rank.
    pub selection: Vec<ObjectId>,
    /// Per drawn object, the team members (lead first); empty when infeasible.
    pub teams: Vec<Vec<InspectorId>>,
}

impl Expected {
    /// The expected answer, read off a result.
    pub fn from_result(result: &DrawResult) -> Expected {
        Expected {
            sealed_input_hash: result.sealed_input_hash,
            seed: result.seed,
            result_hash: result.result_hash,
            selection: result.selection(),
            teams: result
                .inspections
                .iter()
                .map(|inspection| match &inspection.team {
                    TeamOutcome::Assigned { members, .. } => members.clone(),
                    TeamOutcome::Infeasible { .. } => Vec::new(),
                })
                .collect(),
        }
    }
}

/// Runs a case's draw from scratch: builds and seals the input, derives the seed, draws.
pub fn run_case(input: &CaseInput, seed_parts: &SeedParts) -> Result<DrawResult, String> {
    let input = input.build();
    let sealed =
        SealedInput::seal_owned(input).map_err(|error| format!("input rejected: {error}"))?;
    let seed = derive_seed(seed_parts, &sealed.hash())
        .map_err(|error| format!("seed rejected: {error}"))?;
    Ok(sealed.draw(seed))
}

/// Builds a case with its expected answer computed by this build.
pub fn make_case(
    name: &str,
    input: CaseInput,
    seed_parts: SeedParts,
) -> Result<VectorCase, String> {
    let result = run_case(&input, &seed_parts)?;
    Ok(VectorCase {
        name: name.to_owned(),
        input,
        seed_parts,
        expected: Expected::from_result(&result),
    })
}

/// Checks one case; the error names the case and the first differing field.
pub fn check_case(case: &VectorCase) -> Result<(), String> {
    let result = run_case(&case.input, &case.seed_parts)
        .map_err(|error| format!("{}: {error}", case.name))?;
    let actual = Expected::from_result(&result);
    let expected = &case.expected;
    let differs = |field: &str, want: String, got: String| {
        Err(format!(
            "{}: {field} differs: expected {want}, got {got}",
            case.name
        ))
    };
    if actual.sealed_input_hash != expected.sealed_input_hash {
        return differs(
            "sealed_input_hash",
            expected.sealed_input_hash.to_hex(),
            actual.sealed_input_hash.to_hex(),
        );
    }
    if actual.seed != expected.seed {
        return differs("seed", expected.seed.to_hex(), actual.seed.to_hex());
    }
    if actual.selection != expected.selection {
        return differs(
            "selection",
            format!("{:?}", expected.selection),
            format!("{:?}", actual.selection),
        );
    }
    if actual.teams != expected.teams {
        return differs(
            "teams",
            format!("{:?}", expected.teams),
            format!("{:?}", actual.teams),
        );
    }
    if actual.result_hash != expected.result_hash {
        return differs(
            "result_hash",
            expected.result_hash.to_hex(),
            actual.result_hash.to_hex(),
        );
    }
    Ok(())
}

/// Checks every case of an already parsed vector file.
pub fn check_parsed(file: &VectorFile) -> Result<usize, Vec<String>> {
    if file.format != VECTOR_FORMAT {
        return Err(vec![format!("unknown vector format {:?}", file.format)]);
    }
    let failures: Vec<String> = file
        .cases
        .iter()
        .filter_map(|case| check_case(case).err())
        .collect();
    if failures.is_empty() {
        Ok(file.cases.len())
    } else {
        Err(failures)
    }
}
