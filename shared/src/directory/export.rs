//! Export of directory rows as a table and as CSV bytes. (XLSX bytes: `files::write_xlsx`.)

use super::cell::guard_csv_cell;
use super::fields::{Field, InspectorField};
use super::rows::{DirectoryRow, InspectorRow};

/// The header row (canonical Chinese headers, which the import reads back) and one row per
/// record, in the given order.
pub fn export_table<R: DirectoryRow>(rows: &[R]) -> Vec<Vec<String>> {
    let mut table = Vec::with_capacity(rows.len() + 1);
    table.push(
        R::Field::ALL
            .iter()
            .map(|field| field.header_zh().to_owned())
            .collect(),
    );
    table.extend(rows.iter().map(DirectoryRow::cells));
    table
}

/// The inspectors as a table. The phone number is personal data: its column is left out unless
/// `include_personal` (an export for internal use by someone allowed to see it).
pub fn export_inspectors(rows: &[InspectorRow], include_personal: bool) -> Vec<Vec<String>> {
    let phone = InspectorField::ALL
        .iter()
        .position(|field| *field == InspectorField::Phone)
        .unwrap_or(usize::MAX);
    export_table(rows)
        .into_iter()
        .map(|mut row| {
            if !include_personal && phone < row.len() {
                row.remove(phone);
            }
            row
        })
        .collect()
}

/// A table as CSV: UTF-8 with a byte-order mark (so Excel detects the encoding), CRLF line
/// ends, RFC 4180 quoting, and every cell that starts like a formula guarded with a leading
/// `'` (see [`super::cell`]).
pub fn write_csv(table: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::from("\u{FEFF}");
    for row in table {
        for (index, cell) in row.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            let cell = guard_csv_cell(cell);
            let needs_quotes = cell.contains([',', '"', '\r', '\n'])
                || cell.starts_with(' ')
                || cell.ends_with(' ');
            if needs_quotes {
                out.push('"');
                out.push_str(&cell.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(&cell);
            }
        }
        out.push_str("\r\n");
    }
    out.into_bytes()
}
