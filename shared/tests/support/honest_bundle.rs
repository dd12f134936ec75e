//! An honest bundle of the edge vector `edge/joint-three-sections` (objects, inspectors,
//! checklist items, three sections), shared by the verification and input-rule tests through
//! `#[path]` inclusion.

use shared::draw::vectors::{CaseInput, VectorFile};
use shared::draw::{DrawBundle, SealedInput};

pub fn honest_bundle() -> DrawBundle {
    let file: VectorFile = serde_json::from_str(include_str!("../../vectors/edge.json")).unwrap();
    let case = file
        .cases
        .iter()
        .find(|case| case.name == "edge/joint-three-sections")
        .unwrap();
    let CaseInput::Inline(input) = &case.input else {
        panic!("inline case")
    };
    let result = SealedInput::seal(input)
        .unwrap()
        .draw_with(&case.seed_parts)
        .unwrap();
    DrawBundle {
        input: (**input).clone(),
        seed_parts: case.seed_parts.clone(),
        result,
    }
}
