//! The demo county generator: deterministic (pinned digest, natively and in wasm), the counts
//! the issue asks for, valid credit codes, unique keys, and rows the import accepts.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};
use shared::demo::{
    DEMO_INSPECTOR_COUNT, DEMO_OBJECT_COUNTS, FENGDU_REGIONS, SplitMix64, demo_inspectors,
    demo_objects,
};
use shared::directory::{
    CreditCode, Table, export_inspectors, export_table, validate_inspectors, validate_objects,
    write_csv,
};
use shared::draw::{Category, ObjectStatus};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

/// SHA-256 of the demo objects and inspectors as exported CSV. Regenerate deliberately (and
/// say so in the commit) when the generator's tables change.
const DEMO_DIGEST: &str = "314b5f808c9a121680ce094b28b8f24979f42b6d3aa418d4ba82736dcb3e7ab3";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn digest() -> String {
    let mut hasher = Sha256::new();
    hasher.update(write_csv(&export_table(&demo_objects())));
    hasher.update(write_csv(&export_inspectors(&demo_inspectors(), true)));
    hex(&hasher.finalize())
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_generator_is_deterministic_and_pinned() {
    assert_eq!(demo_objects(), demo_objects());
    assert_eq!(demo_inspectors(), demo_inspectors());
    assert_eq!(digest(), DEMO_DIGEST);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn splitmix64_matches_the_reference_sequence() {
    // First outputs for seed 0 of the reference implementation (Vigna's splitmix64.c).
    let mut rng = SplitMix64::new(0);
    assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
    assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn objects_have_the_planned_counts_valid_codes_and_unique_keys() {
    let objects = demo_objects();
    assert_eq!(objects.len(), 1_200);
    for (category, count) in DEMO_OBJECT_COUNTS {
        let found = objects.iter().filter(|o| o.category == category).count();
        assert_eq!(found as u32, count, "{category:?}");
    }
    let codes: BTreeSet<&str> = objects.iter().map(|o| o.credit_code.as_str()).collect();
    assert_eq!(codes.len(), objects.len(), "credit codes are unique");
    for object in &objects {
        assert_eq!(
            CreditCode::parse(object.credit_code.as_str()).as_ref(),
            Ok(&object.credit_code)
        );
        assert_eq!(
            &object.credit_code.as_str()[2..8],
            "500230",
            "Fengdu's division code"
        );
        assert!(FENGDU_REGIONS.contains(&object.region.as_str()));
        assert_eq!(
            object.status_since.is_some(),
            object.status != ObjectStatus::Active
        );
    }
    let names: BTreeSet<&str> = objects.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names.len(), objects.len(), "names are unique");
    let regions: BTreeSet<&str> = objects.iter().map(|o| o.region.as_str()).collect();
    assert_eq!(regions.len(), 30, "every town and street has objects");
    let industries: BTreeSet<&str> = objects.iter().map(|o| o.industry.as_str()).collect();
    assert!(industries.len() >= 15);
    assert!(
        objects
            .iter()
            .filter(|o| o.category == Category::Special)
            .all(|o| !o.industry.is_empty())
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn inspectors_have_specialties_departments_and_unique_keys() {
    let inspectors = demo_inspectors();
    assert_eq!(inspectors.len() as u32, DEMO_INSPECTOR_COUNT);
    let numbers: BTreeSet<&str> = inspectors.iter().map(|i| i.employee_no.as_str()).collect();
    assert_eq!(numbers.len(), inspectors.len());
    let names: BTreeSet<&str> = inspectors.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names.len(), inspectors.len());
    let certificates: Vec<&String> = inspectors
        .iter()
        .filter_map(|i| i.certificate.as_ref())
        .collect();
    let unique: BTreeSet<&String> = certificates.iter().copied().collect();
    assert_eq!(unique.len(), certificates.len());
    assert!(certificates.len() >= 30);
    assert!(inspectors.iter().all(|i| !i.specialties.is_empty()));
    let specialties: BTreeSet<&str> = inspectors
        .iter()
        .flat_map(|i| i.specialties.iter().map(|s| s.as_str()))
        .collect();
    for needed in [
        "water",
        "air",
        "soil",
        "solid_waste",
        "radiation",
        "eia",
        "permit",
        "monitoring",
        "emergency",
    ] {
        assert!(specialties.contains(needed), "{needed}");
    }
    let departments: BTreeSet<&str> = inspectors.iter().map(|i| i.department.as_str()).collect();
    assert_eq!(departments.len(), 8);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_demo_county_passes_its_own_import() {
    let objects = validate_objects(&Table::from_rows(export_table(&demo_objects())), None);
    assert_eq!(objects.issues, []);
    let inspectors = validate_inspectors(
        &Table::from_rows(export_inspectors(&demo_inspectors(), true)),
        None,
    );
    assert_eq!(inspectors.issues, []);
}
