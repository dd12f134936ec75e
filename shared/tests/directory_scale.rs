//! 100 000 objects — the size the issue asks an import to handle — through CSV and XLSX
//! writing, reading, validation and diff. Native only (it prints timings; run with
//! `--nocapture`, and `--profile fast` for representative figures).
#![cfg(not(target_arch = "wasm32"))]

use std::time::Instant;

use shared::demo::demo_objects;
use shared::directory::files::{read_table, write_xlsx};
use shared::directory::{
    CreditCode, ObjectRow, diff_directory, export_table, validate_objects, write_csv,
};

const ROWS: usize = 100_000;

fn objects() -> Vec<ObjectRow> {
    let demo = demo_objects();
    (0..ROWS)
        .map(|index| {
            let mut object = demo[index % demo.len()].clone();
            object.credit_code =
                CreditCode::with_check_character(&format!("91500230{index:09}")).unwrap();
            object.name = format!(
                "{}{index}",
                object.name.chars().take(40).collect::<String>()
            );
            object
        })
        .collect()
}

#[test]
fn a_hundred_thousand_objects_import_and_export() {
    let objects = objects();
    let table = export_table(&objects);

    let started = Instant::now();
    let csv = write_csv(&table);
    let csv_written = started.elapsed();
    let started = Instant::now();
    let read = read_table("objects.csv", &csv).unwrap();
    let csv_read = started.elapsed();
    let started = Instant::now();
    let import = validate_objects(&read, None);
    let validated = started.elapsed();
    assert_eq!(import.issues, []);
    assert_eq!(import.rows.len(), ROWS);

    let started = Instant::now();
    let xlsx = write_xlsx("检查对象", &table);
    let xlsx_written = started.elapsed();
    let started = Instant::now();
    let read = read_table("objects.xlsx", &xlsx).unwrap();
    let xlsx_read = started.elapsed();
    assert_eq!(validate_objects(&read, None).rows.len(), ROWS);

    let mut changed = import.records();
    changed.truncate(ROWS - 1_000);
    changed[0].region = "名山街道X".into();
    let started = Instant::now();
    let diff = diff_directory(&objects, &changed);
    let diffed = started.elapsed();
    assert_eq!(diff.missing.len(), 1_000);

    println!(
        "{ROWS} objects: CSV {} KB written in {csv_written:?}, read in {csv_read:?}; \
         validated in {validated:?}; XLSX {} KB written in {xlsx_written:?}, read in {xlsx_read:?}; \
         diff in {diffed:?}",
        csv.len() / 1024,
        xlsx.len() / 1024
    );
}
