//! `verify_bundle`: MATCH for an honest bundle, the exact differing field otherwise.

use shared::draw::canonical::result_hash;
use shared::draw::{TeamOutcome, VerifyError, verify_bundle};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

#[path = "support/honest_bundle.rs"]
mod honest;
use honest::honest_bundle;

fn field_of(error: VerifyError) -> String {
    match error {
        VerifyError::Mismatch { field, .. } => field,
        other => panic!("expected a mismatch, got {other}"),
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn an_honest_bundle_matches() {
    let bundle = honest_bundle();
    assert_eq!(verify_bundle(&bundle).unwrap(), bundle.result);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_rehashed_forgery_is_caught_at_the_changed_field() {
    let mut bundle = honest_bundle();
    let TeamOutcome::Assigned { members, .. } = &mut bundle.result.inspections[2].team else {
        panic!("the case has assigned teams")
    };
    members.swap(0, 1);
    bundle.result.result_hash = result_hash(&bundle.result);
    assert_eq!(
        field_of(verify_bundle(&bundle).unwrap_err()),
        "result.inspections[2].team"
    );

    let mut bundle = honest_bundle();
    bundle.result.sections[0].pool += 1;
    bundle.result.result_hash = result_hash(&bundle.result);
    assert_eq!(
        field_of(verify_bundle(&bundle).unwrap_err()),
        "result.sections[0]"
    );

    let mut bundle = honest_bundle();
    bundle.result.inspections.pop();
    bundle.result.result_hash = result_hash(&bundle.result);
    assert_eq!(
        field_of(verify_bundle(&bundle).unwrap_err()),
        "result.inspections.length"
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn an_input_error_is_reported_as_such() {
    let mut bundle = honest_bundle();
    let duplicate = bundle.input.objects[0].clone();
    bundle.input.objects.push(duplicate);
    assert!(matches!(
        verify_bundle(&bundle),
        Err(VerifyError::InvalidInput(_))
    ));
}
