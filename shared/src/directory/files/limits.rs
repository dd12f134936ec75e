//! Bounds on what a spreadsheet may make the reader do, checked before `calamine` allocates
//! anything from the file's own claims.
//!
//! A 1 KB XLSX can claim a sheet of 16 384 × 1 048 576 cells, a sharedStrings part can claim
//! 2·10⁹ strings (`calamine` reserves that many up front), and a 1 MB zip can inflate to 1 GB.
//! In the browser each of these aborted the page (release builds abort on a failed
//! allocation or a panic). Here each is a file issue that names the limit, in Chinese and
//! English like the other file errors, after work bounded by the limit itself.

use std::io::{Cursor, Read};

use crate::directory::issue::{ImportIssue, IssueCode};
use crate::directory::validate::MAX_DATA_ROWS;

/// The most bytes all parts of a zip-based spreadsheet (XLSX, ODS) may inflate to.
pub const MAX_UNZIPPED_BYTES: u64 = 256 * 1024 * 1024;
/// The most parts (files) in a zip-based spreadsheet.
pub const MAX_ZIP_ENTRIES: usize = 10_000;
/// The most shared strings an XLSX may declare. It may also declare no more than its
/// sharedStrings part could hold (each string takes at least [`MIN_SHARED_STRING_BYTES`]).
pub const MAX_SHARED_STRINGS: u64 = 2_000_000;
/// `<si/>`: the shortest shared string in the XML.
const MIN_SHARED_STRING_BYTES: u64 = 5;
/// The last sheet row (1-based, as the sheet shows it) a cell may be in: the import's data-row
/// limit plus room for title and header rows, so the validation's own row limit still speaks.
pub const MAX_SHEET_ROWS: u32 = MAX_DATA_ROWS as u32 + 1_000;
/// The last sheet column (1-based) a cell may be in: 256 (`IV`, the old XLS limit), well past
/// the import's column limit, so the validation's own column limit still speaks.
pub const MAX_SHEET_COLUMNS: u32 = 256;
/// The most cells (empty ones before the last filled cell of a row included) a sheet may make.
pub const MAX_SHEET_CELLS: u64 = 10_000_000;

fn too_large(zh: String, en: String) -> ImportIssue {
    ImportIssue::file(IssueCode::FileTooLarge, zh, en)
}

/// The issue for a cell (or a claimed sheet size) at 0-based `(row, column)` beyond the limits,
/// if it is.
pub(crate) fn check_position(row: u32, column: u32) -> Result<(), ImportIssue> {
    if column >= MAX_SHEET_COLUMNS {
        return Err(ImportIssue::file(
            IssueCode::TooManyColumns,
            format!(
                "工作表过宽：用到第 {} 列，表格最多读取 {MAX_SHEET_COLUMNS} 列",
                u64::from(column) + 1
            ),
            format!(
                "the sheet is too wide: it uses column {}, the reader takes at most {MAX_SHEET_COLUMNS} columns",
                u64::from(column) + 1
            ),
        ));
    }
    if row >= MAX_SHEET_ROWS {
        return Err(ImportIssue::file(
            IssueCode::TooManyRows,
            format!(
                "工作表过长：用到第 {} 行，表格最多读取 {MAX_SHEET_ROWS} 行",
                u64::from(row) + 1
            ),
            format!(
                "the sheet is too long: it uses row {}, the reader takes at most {MAX_SHEET_ROWS} rows",
                u64::from(row) + 1
            ),
        ));
    }
    Ok(())
}

/// The issue when a sheet has made more than [`MAX_SHEET_CELLS`] cells.
pub(crate) fn too_many_cells() -> ImportIssue {
    too_large(
        format!("工作表单元格过多：最多读取 {MAX_SHEET_CELLS} 个单元格"),
        format!("the sheet has too many cells: the reader takes at most {MAX_SHEET_CELLS}"),
    )
}

fn inflated_too_far() -> ImportIssue {
    too_large(
        format!(
            "表格文件解压后过大：最多 {} MB",
            MAX_UNZIPPED_BYTES / (1024 * 1024)
        ),
        format!("the spreadsheet inflates to more than {MAX_UNZIPPED_BYTES} bytes"),
    )
}

/// The `uniqueCount` (else `count`) attribute of the `<sst>` start tag at the beginning of a
/// sharedStrings part.
fn declared_string_count(head: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(head);
    let start = text.find("sst")?;
    let tag = &text[start
        ..text[start..]
            .find('>')
            .map_or(text.len(), |end| start + end)];
    for name in ["uniqueCount", "count"] {
        let Some(at) = tag.find(&format!(" {name}=")) else {
            continue;
        };
        let value = tag[at + name.len() + 2..].trim_start_matches(['"', '\'']);
        let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
        // More digits than a u64 holds is certainly over the limit.
        return Some(digits.parse().unwrap_or(u64::MAX));
    }
    None
}

/// Checks a zip-based spreadsheet before it is opened: the number of parts, the bytes they
/// really inflate to (read and counted, never trusting the sizes the zip declares), and the
/// shared-string count an XLSX declares. Bytes that are no zip pass; the reader reports them.
pub(crate) fn check_zip(bytes: &[u8]) -> Result<(), ImportIssue> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(too_large(
            format!("表格文件的部件过多：最多 {MAX_ZIP_ENTRIES} 个"),
            format!("the spreadsheet has more than {MAX_ZIP_ENTRIES} parts"),
        ));
    }
    let mut inflated: u64 = 0;
    let mut buffer = vec![0u8; 64 * 1024];
    for index in 0..archive.len() {
        let Ok(mut entry) = archive.by_index(index) else {
            // A part that cannot be opened is the reader's to report as unreadable.
            continue;
        };
        let shared_strings = entry
            .name()
            .map(|name| name.to_ascii_lowercase().ends_with("sharedstrings.xml"))
            .unwrap_or(false);
        let mut head: Vec<u8> = Vec::new();
        let mut entry_bytes: u64 = 0;
        loop {
            let read = match entry.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(read) => read,
            };
            entry_bytes += read as u64;
            inflated += read as u64;
            if inflated > MAX_UNZIPPED_BYTES {
                return Err(inflated_too_far());
            }
            if shared_strings && head.len() < 4096 {
                let take = read.min(4096 - head.len());
                head.extend_from_slice(&buffer[..take]);
            }
        }
        if shared_strings && let Some(count) = declared_string_count(&head) {
            let could_hold = entry_bytes / MIN_SHARED_STRING_BYTES + 1;
            if count > MAX_SHARED_STRINGS || count > could_hold {
                return Err(too_large(
                    format!(
                        "表格声明的共享字符串过多：{count} 个，最多 {MAX_SHARED_STRINGS} 个，且不能多于文件实际所含"
                    ),
                    format!(
                        "the spreadsheet declares {count} shared strings: at most {MAX_SHARED_STRINGS}, and no more than the file holds"
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::declared_string_count;

    #[test]
    fn the_declared_string_count_is_read_from_the_sst_tag() {
        let head = br#"<?xml version="1.0"?><sst xmlns="x" count="12" uniqueCount="7"><si>"#;
        assert_eq!(declared_string_count(head), Some(7));
        assert_eq!(declared_string_count(br#"<x:sst count='3'>"#), Some(3));
        assert_eq!(declared_string_count(br#"<sst>"#), None);
        assert_eq!(
            declared_string_count(br#"<sst uniqueCount="99999999999999999999999">"#),
            Some(u64::MAX)
        );
    }
}
