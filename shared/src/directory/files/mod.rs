//! Reading directory files from bytes (CSV in UTF-8, UTF-8 with BOM, GBK or UTF-16; XLSX, XLS
//! and ODS through `calamine`) and writing XLSX. Bytes in, bytes out: no file system.
//!
//! **Why a feature (`files`).** `calamine` (with `zip`, `quick-xml`, a deflate implementation)
//! and `encoding_rs` (GBK/GB 18030 tables) are by far the largest things in this crate: a
//! release wasm that reads and validates files measured 785 KB raw / 402 KB gzip, against
//! 82 KB / 37 KB for validation alone (wasm-bindgen, `opt-level = "z"`, LTO). The browser needs them — files are parsed where they are chosen, so a 100 000
//! row file never travels to the worker, only validated rows do — but the worker and the CLI
//! do not, and the worker's size is limited. Everything else in [`super`] (validation, diff,
//! CSV export) has no extra dependency and is always available.
//!
//! **Why our own XLSX writer.** `rust_xlsxwriter` builds for wasm32, but `Workbook::new` reads
//! the system clock for the document properties: `SystemTime::now()` panics in
//! `wasm32-unknown-unknown`, and its `wasm` feature reads the JavaScript clock instead, which
//! this crate must not do (and it would make exports differ byte for byte from run to run).
//! [`write_xlsx`] writes the five parts a minimal workbook needs, deterministically, and is
//! tested by reading its output back with `calamine`.

mod csv;
pub mod limits;
mod xlsx;

pub use csv::read_csv;
pub use xlsx::{read_spreadsheet, write_xlsx, write_xlsx_sheets};

use super::issue::{ImportIssue, IssueCode};
use super::validate::{MAX_FILE_BYTES, Table};

/// Reads an import file: a spreadsheet (recognized by its bytes — zip or OLE signature — or by
/// the name's extension) or else CSV. An empty file is an empty table (the validation reports
/// it), a corrupt one an [`IssueCode::UnreadableFile`].
pub fn read_table(file_name: &str, bytes: &[u8]) -> Result<Table, ImportIssue> {
    check_size(bytes)?;
    if bytes.is_empty() {
        return Ok(Table::default());
    }
    let lower = file_name.to_ascii_lowercase();
    let spreadsheet_name = [".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"]
        .iter()
        .any(|extension| lower.ends_with(extension));
    let spreadsheet_bytes =
        bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if spreadsheet_name || spreadsheet_bytes {
        read_spreadsheet(bytes)
    } else {
        read_csv(bytes)
    }
}

fn check_size(bytes: &[u8]) -> Result<(), ImportIssue> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportIssue::file(
            IssueCode::FileTooLarge,
            format!(
                "文件过大：{} MB，最大 {} MB",
                bytes.len() / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            format!(
                "file too large: {} bytes, at most {MAX_FILE_BYTES}",
                bytes.len()
            ),
        ));
    }
    Ok(())
}
