//! Spreadsheets: reading XLSX/XLS/ODS with `calamine`, writing a minimal XLSX.

use std::io::{Cursor, Write};

use calamine::{Data, Reader, SheetType, SheetVisible, Xlsx};

use super::{check_size, limits};
use crate::calendar::Date;
use crate::directory::cell::starts_like_formula;
use crate::directory::issue::{ImportIssue, IssueCode};
use crate::directory::validate::Table;

fn unreadable(detail: impl std::fmt::Display) -> ImportIssue {
    ImportIssue::file(
        IssueCode::UnreadableFile,
        "无法读取表格文件：文件可能已损坏、不完整，或不是 XLSX/XLS/ODS 格式",
        format!("cannot read the spreadsheet: {detail}"),
    )
}

/// Reads the first visible worksheet of an XLSX, XLS or ODS file. Cells become text: numbers
/// without a needless `.0`, dates as `YYYY-MM-DD`, errors as `#N/A` and the like (which the
/// validation rejects). Formulas are read as their saved results. Row and column positions are
/// the sheet's, so row numbers in messages match what the user sees.
///
/// What the file claims is bounded before it costs memory ([`super::limits`]): a zip is
/// inflated and counted first, an XLSX's declared shared strings and sheet size are checked,
/// and its cells are read one by one into the table, each checked against the row, column and
/// cell limits.
pub fn read_spreadsheet(bytes: &[u8]) -> Result<Table, ImportIssue> {
    check_size(bytes)?;
    if bytes.starts_with(b"PK\x03\x04") {
        limits::check_zip(bytes)?;
        if let Ok(workbook) = Xlsx::new(Cursor::new(bytes)) {
            return read_xlsx(workbook);
        }
    }
    let mut workbook =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let index = first_visible_worksheet(workbook.sheets_metadata());
    let range = match workbook.worksheet_range_at(index) {
        None => return Ok(Table::default()),
        Some(range) => range.map_err(unreadable)?,
    };
    let mut table = Table::default();
    let Some((first_row, first_column)) = range.start() else {
        return Ok(table);
    };
    table.rows.resize(first_row as usize, Vec::new());
    for cells in range.rows() {
        let mut row = vec![String::new(); first_column as usize];
        row.extend(cells.iter().map(cell_text));
        while row.last().is_some_and(String::is_empty) {
            row.pop();
        }
        table.rows.push(row);
    }
    Ok(table)
}

/// The first visible worksheet (or the first sheet).
fn first_visible_worksheet(sheets: &[calamine::Sheet]) -> usize {
    sheets
        .iter()
        .position(|sheet| {
            sheet.visible == SheetVisible::Visible && sheet.typ == SheetType::WorkSheet
        })
        .unwrap_or(0)
}

/// An XLSX, read cell by cell (`calamine`'s own range would allocate the whole rectangle the
/// sheet's cells span, however few they are).
fn read_xlsx(mut workbook: Xlsx<Cursor<&[u8]>>) -> Result<Table, ImportIssue> {
    let index = first_visible_worksheet(workbook.sheets_metadata());
    let Some(name) = workbook.sheet_names().get(index).cloned() else {
        return Ok(Table::default());
    };
    let mut cells = match workbook.worksheet_cells_reader(&name) {
        Ok(cells) => cells,
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Table::default()),
        Err(err) => return Err(unreadable(err)),
    };
    let claimed = cells.dimensions();
    limits::check_position(claimed.end.0, claimed.end.1)?;
    let mut table = Table::default();
    let mut made: u64 = 0;
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (row, column) = cell.get_position();
        limits::check_position(row, column)?;
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        let (row, column) = (row as usize, column as usize);
        if table.rows.len() <= row {
            made += (row + 1 - table.rows.len()) as u64;
            table.rows.resize(row + 1, Vec::new());
        }
        let cells_of_row = &mut table.rows[row];
        if cells_of_row.len() <= column {
            made += (column + 1 - cells_of_row.len()) as u64;
            cells_of_row.resize(column + 1, String::new());
        }
        if made > limits::MAX_SHEET_CELLS {
            return Err(limits::too_many_cells());
        }
        cells_of_row[column] = text;
    }
    Ok(table)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Int(number) => number.to_string(),
        Data::Float(number) => {
            if number.fract() == 0.0 && number.abs() < 1e15 {
                format!("{}", *number as i64)
            } else {
                number.to_string()
            }
        }
        Data::Bool(value) => if *value { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(value) if value.is_datetime() => {
            let (year, month, day, ..) = value.to_ymd_hms_milli();
            Date::new(i32::from(year), month, day)
                .map_or_else(|_| value.as_f64().to_string(), |date| date.to_string())
        }
        Data::DateTime(value) => value.as_f64().to_string(),
        Data::Error(error) => error.to_string(),
    }
}

/// XML text with the five special characters escaped and characters XML 1.0 forbids dropped.
fn escape_xml(text: &str, out: &mut String) {
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(character),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// A worksheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') && !c.is_control())
        .take(31)
        .collect();
    if cleaned.trim().is_empty() {
        "Sheet1".to_owned()
    } else {
        cleaned
    }
}

/// `[Content_Types].xml` up to the worksheet parts, and after them.
const CONTENT_TYPES_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#;
const CONTENT_TYPES_TAIL: &str = r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK_RELS_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#;

/// Style 0: normal. Style 1: quote prefix (text that starts like a formula stays text, and
/// shows without the apostrophe). Style 2: bold, for the header row.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="等线"/><family val="2"/></font><font><b/><sz val="11"/><name val="等线"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#;

/// Writes a one-sheet XLSX: every cell an inline string, the first row bold, cells that start
/// like a formula in the quote-prefix style (formula-injection safe without changing the
/// text). Deterministic: the same table gives the same bytes (fixed zip timestamps, no
/// document properties).
pub fn write_xlsx(sheet: &str, table: &[Vec<String>]) -> Vec<u8> {
    write_xlsx_sheets(&[(sheet, table)])
}

/// The worksheet XML of one table.
fn sheet_xml(table: &[Vec<String>]) -> String {
    let mut sheet_xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (row_index, row) in table.iter().enumerate() {
        let row_number = row_index + 1;
        sheet_xml.push_str(&format!("<row r=\"{row_number}\">"));
        for (column, cell) in row.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            let style = if row_index == 0 {
                " s=\"2\""
            } else if starts_like_formula(cell) {
                " s=\"1\""
            } else {
                ""
            };
            let reference = format!(
                "{}{row_number}",
                crate::directory::issue::column_letter(column as u32)
            );
            sheet_xml.push_str(&format!(
                "<c r=\"{reference}\" t=\"inlineStr\"{style}><is><t xml:space=\"preserve\">"
            ));
            escape_xml(cell, &mut sheet_xml);
            sheet_xml.push_str("</t></is></c>");
        }
        sheet_xml.push_str("</row>");
    }
    sheet_xml.push_str("</sheetData></worksheet>");
    sheet_xml
}

/// Writes an XLSX with one worksheet per `(name, table)`, in order, each as [`write_xlsx`]
/// writes its one sheet (one sheet gives exactly `write_xlsx`'s bytes). Names are cleaned as
/// Excel requires; a repeated name gets a number.
pub fn write_xlsx_sheets(sheets: &[(&str, &[Vec<String>])]) -> Vec<u8> {
    let mut content_types = String::from(CONTENT_TYPES_HEAD);
    let mut workbook_rels = String::from(WORKBOOK_RELS_HEAD);
    let mut workbook_xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut names: Vec<String> = Vec::new();
    let mut parts: Vec<(String, String)> = Vec::new();
    for (index, (name, table)) in sheets.iter().enumerate() {
        let number = index + 1;
        let mut name = sheet_name(name);
        if names.contains(&name) {
            let suffix = format!(" ({number})");
            name = name
                .chars()
                .take(31 - suffix.chars().count())
                .collect::<String>()
                + &suffix;
        }
        content_types.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{number}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        ));
        workbook_rels.push_str(&format!(
            r#"<Relationship Id="rId{number}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{number}.xml"/>"#
        ));
        workbook_xml.push_str("<sheet name=\"");
        escape_xml(&name, &mut workbook_xml);
        workbook_xml.push_str(&format!(r#"" sheetId="{number}" r:id="rId{number}"/>"#));
        parts.push((format!("xl/worksheets/sheet{number}.xml"), sheet_xml(table)));
        names.push(name);
    }
    content_types.push_str(CONTENT_TYPES_TAIL);
    workbook_rels.push_str(&format!(
        r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#,
        sheets.len() + 1
    ));
    workbook_xml.push_str("</sheets></workbook>");

    let mut all: Vec<(String, String)> = vec![
        ("[Content_Types].xml".to_owned(), content_types),
        ("_rels/.rels".to_owned(), ROOT_RELS.to_owned()),
        ("xl/workbook.xml".to_owned(), workbook_xml),
        ("xl/_rels/workbook.xml.rels".to_owned(), workbook_rels),
        ("xl/styles.xml".to_owned(), STYLES.to_owned()),
    ];
    all.extend(parts);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in all {
        // Writing into memory cannot fail for I/O reasons; a zip error here is a bug.
        writer
            .start_file(name, options)
            .expect("zip entry in memory");
        writer
            .write_all(content.as_bytes())
            .expect("write to memory");
    }
    writer.finish().expect("finish zip in memory").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_reads_back_unchanged() {
        let table = vec![
            vec!["单位名称".to_owned(), "备注".into()],
            vec!["A & B <公司>".to_owned(), "=1+1".into()],
            vec!["".to_owned(), "'quoted\" \"".into()],
        ];
        let bytes = write_xlsx("检查对象", &table);
        assert_eq!(write_xlsx("检查对象", &table), bytes, "deterministic");
        let read = read_spreadsheet(&bytes).unwrap();
        assert_eq!(read.rows, table);
    }

    #[test]
    fn several_sheets_read_back_each_under_its_name() {
        use calamine::{Reader, Xlsx};
        let report = vec![
            vec!["2026年第三季度报告".to_owned()],
            vec!["一、工作开展情况".to_owned()],
        ];
        let figures = vec![
            vec!["指标".to_owned(), "数值".into()],
            vec!["结果公开率".to_owned(), "66.67%".into()],
        ];
        let bytes = write_xlsx_sheets(&[
            ("报告", report.as_slice()),
            ("指标", figures.as_slice()),
            ("指标", figures.as_slice()),
        ]);
        // The first sheet is what the import reader (and a spreadsheet program) opens first.
        assert_eq!(read_spreadsheet(&bytes).unwrap().rows, report);
        let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        assert_eq!(workbook.sheet_names(), ["报告", "指标", "指标 (3)"]);
        for (name, table) in [
            ("报告", &report),
            ("指标", &figures),
            ("指标 (3)", &figures),
        ] {
            let range = workbook.worksheet_range(name).unwrap();
            let rows: Vec<Vec<String>> = range
                .rows()
                .map(|row| row.iter().map(|cell| cell.to_string()).collect())
                .collect();
            assert_eq!(&rows, table, "{name}");
        }
    }

    #[test]
    fn one_sheet_of_several_is_the_one_sheet_writer() {
        let table = vec![vec!["a".to_owned()]];
        assert_eq!(
            write_xlsx_sheets(&[("s", table.as_slice())]),
            write_xlsx("s", &table)
        );
    }

    #[test]
    fn a_truncated_file_is_unreadable() {
        let bytes = write_xlsx("s", &[vec!["a".to_owned()]]);
        let issue = read_spreadsheet(&bytes[..bytes.len() / 2]).unwrap_err();
        assert_eq!(issue.code, IssueCode::UnreadableFile);
    }
}
