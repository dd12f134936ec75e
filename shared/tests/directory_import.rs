//! Every file in `tests/fixtures/import/` goes through the readers and the validation, and the
//! outcome is compared with its sidecar `.expect` file (one `check` per file).
//! `UPDATE_EXPECT=1` rewrites the sidecars instead of comparing. The fixtures and how they were
//! made: `tests/fixtures/import/generate.py`.
//!
//! The file-driven test reads the folder, so it runs natively; the wasm build checks the real
//! spreadsheet-program files (embedded) give the same answer in the browser's engine.

use shared::directory::files::read_table;
use shared::directory::{ImportIssue, validate_inspectors, validate_objects};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

/// The outcome of importing `bytes` as `file_name`, one fact per line.
fn render(file_name: &str, bytes: &[u8]) -> String {
    let (encoding, rows, issues): (String, usize, Vec<ImportIssue>) =
        match read_table(file_name, bytes) {
            Err(issue) => ("-".into(), 0, vec![issue]),
            Ok(table) => {
                let encoding = table.encoding.map_or("-".to_owned(), |encoding| {
                    serde_json::to_value(encoding)
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_owned()
                });
                if file_name.starts_with("inspectors") {
                    let import = validate_inspectors(&table, None);
                    (encoding, import.rows.len(), import.issues)
                } else {
                    let import = validate_objects(&table, None);
                    (encoding, import.rows.len(), import.issues)
                }
            }
        };
    let mut out = format!(
        "encoding: {encoding}\nvalid rows: {rows}\nissues: {}\n",
        issues.len()
    );
    for issue in &issues {
        out.push_str(&format!(
            "{}:{} {} | {}\n",
            issue.row.map_or("-".to_owned(), |row| row.to_string()),
            issue
                .column
                .as_ref()
                .map_or("-".to_owned(), |column| column.letter.clone()),
            issue.code,
            issue.to_string_zh()
        ));
    }
    out
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::path::{Path, PathBuf};

    use super::render;
    use shared::directory::files::read_table;
    use shared::directory::validate_objects;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/import")
    }

    /// Compares (or with `UPDATE_EXPECT=1` rewrites) `path`'s sidecar. Returns the outcome.
    fn check(path: &Path) -> String {
        let name = path.file_name().unwrap().to_str().unwrap();
        let bytes = std::fs::read(path).unwrap();
        let actual = render(name, &bytes);
        let expect_path = path.with_file_name(format!("{name}.expect"));
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(&expect_path, &actual).unwrap();
        } else {
            let expected = std::fs::read_to_string(&expect_path).unwrap_or_else(|_| {
                panic!(
                    "{} is missing: run with UPDATE_EXPECT=1",
                    expect_path.display()
                )
            });
            assert_eq!(actual, expected, "{name} (UPDATE_EXPECT=1 to accept)");
        }
        actual
    }

    #[test]
    fn every_fixture_gives_its_expected_outcome() {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| {
                let name = path.file_name().unwrap().to_str().unwrap();
                name.ends_with(".csv") || name.ends_with(".xlsx")
            })
            .collect();
        paths.sort();
        let mut malformed = 0;
        for path in &paths {
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            let outcome = check(path);
            let clean = outcome.contains("\nissues: 0\n");
            if name.contains("_valid") {
                assert!(clean, "{name} should import cleanly:\n{outcome}");
            } else {
                assert!(!clean, "{name} should be rejected");
                malformed += 1;
            }
        }
        assert!(malformed >= 20, "only {malformed} malformed fixtures");
    }

    #[test]
    fn the_same_objects_read_alike_from_xlsx_gbk_and_utf8() {
        let read = |name: &str| {
            let bytes = std::fs::read(fixtures().join(name)).unwrap();
            validate_objects(&read_table(name, &bytes).unwrap(), None).records()
        };
        let xlsx = read("objects_valid.xlsx");
        assert_eq!(xlsx.len(), 40);
        assert_eq!(read("objects_valid_gbk.csv"), xlsx);
        assert_eq!(read("objects_valid_utf8_bom.csv"), xlsx);
        assert_eq!(read("objects_valid_utf16_tab.csv"), xlsx[..5]);
        assert_eq!(read("objects_valid_title_row.xlsx"), xlsx[..5]);
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn spreadsheet_program_files_read_the_same_in_wasm() {
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "objects_valid.xlsx",
            include_bytes!("../../tests/fixtures/import/objects_valid.xlsx"),
            include_str!("../../tests/fixtures/import/objects_valid.xlsx.expect"),
        ),
        (
            "objects_valid_gbk.csv",
            include_bytes!("../../tests/fixtures/import/objects_valid_gbk.csv"),
            include_str!("../../tests/fixtures/import/objects_valid_gbk.csv.expect"),
        ),
        (
            "objects_truncated.xlsx",
            include_bytes!("../../tests/fixtures/import/objects_truncated.xlsx"),
            include_str!("../../tests/fixtures/import/objects_truncated.xlsx.expect"),
        ),
        (
            "objects_mixed_encoding.csv",
            include_bytes!("../../tests/fixtures/import/objects_mixed_encoding.csv"),
            include_str!("../../tests/fixtures/import/objects_mixed_encoding.csv.expect"),
        ),
    ];
    for (name, bytes, expected) in cases {
        assert_eq!(render(name, bytes), expected, "{name}");
    }
}
