//! The known-answer vectors in `shared/vectors/`, checked natively and in wasm (Node).
//! Regenerate them only on purpose: `cargo run -p suicha -- gen-vectors shared/vectors`.

use shared::draw::vectors::{VectorFile, check_parsed};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

const EDGE: &str = include_str!("../vectors/edge.json");
const SMALL: &str = include_str!("../vectors/small.json");
const SYNTHETIC: &str = include_str!("../vectors/synthetic.json");

fn check(name: &str, json: &str) -> usize {
    let file: VectorFile =
        serde_json::from_str(json).unwrap_or_else(|error| panic!("{name}: {error}"));
    match check_parsed(&file) {
        Ok(count) => count,
        Err(failures) => panic!(
            "{name}: {} mismatches:\n{}",
            failures.len(),
            failures.join("\n")
        ),
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn edge_vectors_match() {
    assert!(check("edge.json", EDGE) >= 25);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn small_vectors_match() {
    assert!(check("small.json", SMALL) >= 300);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn synthetic_and_county_vectors_match() {
    assert!(check("synthetic.json", SYNTHETIC) >= 700);
}
