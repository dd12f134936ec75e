//! Validation of a whole table (header row + data rows) into directory rows, collecting every
//! problem instead of stopping at the first.
//!
//! Row numbers are the spreadsheet's: [`Table::rows`]`[0]` is row 1. The header is normally
//! row 1; a title row above it is skipped (see `find_header_row`). Blank rows are skipped but
//! keep their numbers, so a message always points at the row the user sees.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::cell::{CellProblem, clean_cell};
use super::credit_code::CreditCode;
use super::fields::{
    ColumnMapping, Field, InspectorField, ObjectField, ResolvedColumn, mapping_of, resolve_columns,
};
use super::issue::{ColumnRef, ImportIssue, IssueCode};
use super::labels::{
    ChineseLabel, PermitClass, SPECIALTIES, parse_yes_no, specialty_from_label, split_list,
};
use super::rows::{DirectoryRow, InspectorRow, ObjectRow};
use crate::calendar::Date;
use crate::draw::{Category, Grade, ObjectStatus};

/// Largest file the readers accept.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// Most data rows in one import (the target is 100 000; this leaves room).
pub const MAX_DATA_ROWS: usize = 200_000;
/// Most columns in the header row.
pub const MAX_COLUMNS: usize = 100;
/// The issue list stops here (then one [`IssueCode::TooManyIssues`] is added): a file that is
/// wrong on every row is not helped by a million messages.
pub const MAX_ISSUES: usize = 10_000;
/// Dates outside these years are taken for typing errors.
pub const DATE_YEARS: std::ops::RangeInclusive<i32> = 1950..=2099;

/// How a text file was decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    Utf8,
    /// UTF-8 with a byte-order mark (what Excel writes for "CSV UTF-8").
    Utf8Bom,
    /// GBK / GB 18030 (what Chinese Excel and WPS write for plain "CSV").
    Gbk,
    Utf16Le,
    Utf16Be,
}

/// A cell, by spreadsheet row (1-based) and column (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CellPosition {
    pub row: u32,
    pub column: u32,
}

/// A sheet of text cells as read from a file, before any interpretation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Table {
    /// `rows[0]` is spreadsheet row 1. Rows may have different lengths.
    pub rows: Vec<Vec<String>>,
    /// The text encoding, for CSV files.
    pub encoding: Option<TextEncoding>,
    /// Cells whose bytes were in another encoding than the rest of the file.
    pub mixed_encoding_cells: Vec<CellPosition>,
}

impl Table {
    /// A table of cells with no encoding information (typed or pasted data, tests).
    pub fn from_rows(rows: Vec<Vec<String>>) -> Table {
        Table {
            rows,
            encoding: None,
            mixed_encoding_cells: Vec::new(),
        }
    }
}

/// A validated record with the spreadsheet row it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberedRow<R> {
    pub row: u32,
    pub record: R,
}

/// The outcome of validating a table: the columns as understood, the rows that passed, and
/// every problem. An import may be committed only when [`Import::is_clean`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Import<R, F> {
    /// Spreadsheet row of the header; `None` for an empty table.
    pub header_row: Option<u32>,
    pub columns: Vec<ResolvedColumn<F>>,
    pub rows: Vec<NumberedRow<R>>,
    pub issues: Vec<ImportIssue>,
}

/// Validated objects.
pub type ObjectImport = Import<ObjectRow, ObjectField>;
/// Validated inspectors.
pub type InspectorImport = Import<InspectorRow, InspectorField>;

impl<R: DirectoryRow> Import<R, R::Field> {
    /// No issue at all: the rows may be written.
    pub fn is_clean(&self) -> bool {
        self.issues.is_empty()
    }

    /// The column mapping to remember for the next file of this kind.
    pub fn mapping(&self) -> ColumnMapping<R::Field> {
        mapping_of(&self.columns)
    }

    /// The fields the file has a column for, in [`Field::ALL`] order. An import writes only
    /// these: a field without a column keeps what the directory holds.
    pub fn present_fields(&self) -> Vec<R::Field> {
        let mapped: BTreeSet<R::Field> = self
            .columns
            .iter()
            .filter_map(|column| column.field)
            .collect();
        R::Field::ALL
            .iter()
            .copied()
            .filter(|field| mapped.contains(field))
            .collect()
    }

    /// The rows without their numbers.
    pub fn records(&self) -> Vec<R> {
        self.rows.iter().map(|row| row.record.clone()).collect()
    }
}

/// Validates a table of inspection objects. `remembered` is the user's saved column mapping.
pub fn validate_objects(
    table: &Table,
    remembered: Option<&ColumnMapping<ObjectField>>,
) -> ObjectImport {
    let mut keys = BTreeMap::new();
    validate_table(table, remembered, |reader| parse_object(reader, &mut keys))
}

/// Validates a table of inspectors. `remembered` is the user's saved column mapping.
pub fn validate_inspectors(
    table: &Table,
    remembered: Option<&ColumnMapping<InspectorField>>,
) -> InspectorImport {
    let mut keys = BTreeMap::new();
    let mut certificates = BTreeMap::new();
    validate_table(table, remembered, |reader| {
        parse_inspector(reader, &mut keys, &mut certificates)
    })
}

/// Checks rows that arrive already structured (an API call with JSON rows) by the same rules
/// as a file: they are written out as the export table and validated. Row numbers in the
/// issues are then `index + 2` (row 1 is the header).
pub fn recheck_rows<R: DirectoryRow>(
    rows: &[R],
    validate: impl Fn(&Table) -> Import<R, R::Field>,
) -> Vec<ImportIssue> {
    let mut table = vec![
        R::Field::ALL
            .iter()
            .map(|f| f.header_zh().to_owned())
            .collect(),
    ];
    table.extend(rows.iter().map(DirectoryRow::cells));
    validate(&Table::from_rows(table)).issues
}

struct Issues {
    list: Vec<ImportIssue>,
    truncated: bool,
}

impl Issues {
    fn push(&mut self, issue: ImportIssue) {
        if self.list.len() < MAX_ISSUES {
            self.list.push(issue);
        } else {
            self.truncated = true;
        }
    }
}

fn is_blank(row: &[String]) -> bool {
    row.iter().all(|cell| cell.trim().is_empty())
}

fn validate_table<R: DirectoryRow>(
    table: &Table,
    remembered: Option<&ColumnMapping<R::Field>>,
    mut parse: impl FnMut(&mut RowReader<'_, R::Field>) -> Option<R>,
) -> Import<R, R::Field> {
    let mut issues = Issues {
        list: Vec::new(),
        truncated: false,
    };
    let mut import = Import {
        header_row: None,
        columns: Vec::new(),
        rows: Vec::new(),
        issues: Vec::new(),
    };
    let Some(header_index) = find_header_row(table, remembered) else {
        import.issues.push(ImportIssue::file(
            IssueCode::EmptyFile,
            "文件为空：没有表头行",
            "the file is empty: there is no header row",
        ));
        return import;
    };
    let header_row = header_index as u32 + 1;
    import.header_row = Some(header_row);
    let mut header = table.rows[header_index].clone();
    while header.last().is_some_and(|cell| cell.trim().is_empty()) {
        header.pop();
    }
    if header.len() > MAX_COLUMNS {
        import.issues.push(ImportIssue {
            row: Some(header_row),
            column: None,
            code: IssueCode::TooManyColumns,
            message_zh: format!("表头有 {} 列，最多 {MAX_COLUMNS} 列", header.len()),
            message_en: format!(
                "the header has {} columns, at most {MAX_COLUMNS}",
                header.len()
            ),
        });
        return import;
    }
    import.columns = resolve_columns::<R::Field>(&header, remembered);

    let mixed: BTreeSet<CellPosition> = table.mixed_encoding_cells.iter().copied().collect();
    for column in &import.columns {
        let position = CellPosition {
            row: header_row,
            column: column.index,
        };
        if mixed.contains(&position) || column.header.contains('\u{FFFD}') {
            issues.push(ImportIssue {
                row: Some(header_row),
                column: Some(column_ref(column)),
                code: IssueCode::ReplacementCharacter,
                message_zh: "表头含有乱码，文件编码可能有误，请另存为 UTF-8 或 GBK 编码后重试"
                    .to_owned(),
                message_en: "the header is garbled: the file's encoding is mixed or wrong"
                    .to_owned(),
            });
        }
    }

    let mut field_columns: BTreeMap<R::Field, usize> = BTreeMap::new();
    for (position, column) in import.columns.iter().enumerate() {
        let Some(field) = column.field else { continue };
        if let Some(&first) = field_columns.get(&field) {
            let first = &import.columns[first];
            issues.push(ImportIssue {
                row: Some(header_row),
                column: Some(column_ref(column)),
                code: IssueCode::DuplicateColumn,
                message_zh: format!(
                    "与 {} 列（{}）都对应“{}”，请只保留一列或修改列对应关系",
                    first.letter,
                    first.header,
                    field.header_zh()
                ),
                message_en: format!("column {} also maps to {}", first.letter, field.as_str()),
            });
        } else {
            field_columns.insert(field, position);
        }
    }
    let mut missing_required = false;
    for field in R::Field::ALL.iter().filter(|field| field.required()) {
        if !field_columns.contains_key(field) {
            missing_required = true;
            let accepted: Vec<&str> = std::iter::once(field.header_zh())
                .chain(field.synonyms().iter().copied())
                .collect();
            issues.push(ImportIssue {
                row: Some(header_row),
                column: None,
                code: IssueCode::MissingColumn,
                message_zh: format!(
                    "缺少必填列“{}”（可用的表头：{}）",
                    field.header_zh(),
                    accepted.join("、")
                ),
                message_en: format!("the required column {} is missing", field.as_str()),
            });
        }
    }
    if missing_required {
        import.issues = issues.list;
        return import;
    }

    let data: Vec<(u32, &Vec<String>)> = table
        .rows
        .iter()
        .enumerate()
        .skip(header_index + 1)
        .filter(|(_, row)| !is_blank(row))
        .map(|(index, row)| (index as u32 + 1, row))
        .collect();
    if data.is_empty() {
        issues.push(ImportIssue::file(
            IssueCode::NoDataRows,
            "只有表头，没有数据行",
            "the file has a header but no data rows",
        ));
    } else if data.len() > MAX_DATA_ROWS {
        issues.push(ImportIssue::file(
            IssueCode::TooManyRows,
            format!(
                "数据行过多：{} 行，一次最多导入 {MAX_DATA_ROWS} 行",
                data.len()
            ),
            format!("too many rows: {}, at most {MAX_DATA_ROWS}", data.len()),
        ));
    } else {
        for (row, cells) in data {
            let mut reader = RowReader {
                row,
                cells,
                columns: &import.columns,
                field_columns: &field_columns,
                mixed: &mixed,
                issues: &mut issues,
                failed: false,
            };
            let record = parse(&mut reader);
            if let (Some(record), false) = (record, reader.failed) {
                import.rows.push(NumberedRow { row, record });
            }
        }
    }
    // Row order, then column order within a row; problems of the whole file first.
    issues.list.sort_by_key(|issue| {
        (
            issue.row,
            issue
                .column
                .as_ref()
                .map(|column| (column.letter.len(), column.letter.clone())),
        )
    });
    if issues.truncated {
        issues.list.push(ImportIssue::file(
            IssueCode::TooManyIssues,
            format!("问题过多，只列出前 {MAX_ISSUES} 条"),
            format!("too many problems; only the first {MAX_ISSUES} are listed"),
        ));
    }
    import.issues = issues.list;
    import
}

/// How many of the first non-blank rows may be a title above the header.
const HEADER_SEARCH_ROWS: usize = 10;

/// The header row: among the first [`HEADER_SEARCH_ROWS`] non-blank rows, the one naming the
/// most fields (the earliest on a tie), so a title row such as `丰都县检查对象名录（2024年）`
/// above the header is skipped; the first non-blank row when none names a field.
fn find_header_row<F: Field>(
    table: &Table,
    remembered: Option<&ColumnMapping<F>>,
) -> Option<usize> {
    let candidates: Vec<usize> = table
        .rows
        .iter()
        .enumerate()
        .filter(|(_, row)| !is_blank(row))
        .map(|(index, _)| index)
        .take(HEADER_SEARCH_ROWS)
        .collect();
    let first = *candidates.first()?;
    let mut best = (0, first);
    for &index in &candidates {
        let row = &table.rows[index];
        if row.len() > MAX_COLUMNS {
            continue;
        }
        let named = resolve_columns::<F>(row, remembered)
            .iter()
            .filter_map(|column| column.field)
            .collect::<BTreeSet<F>>()
            .len();
        if named > best.0 {
            best = (named, index);
        }
    }
    Some(best.1)
}

fn column_ref<F>(column: &ResolvedColumn<F>) -> ColumnRef {
    ColumnRef {
        letter: column.letter.clone(),
        header: column.header.clone(),
    }
}

/// A cell's content after hygiene checks.
enum Cell {
    /// No column for the field, or an empty cell.
    Empty,
    Value(String),
    /// Already reported.
    Invalid,
}

struct RowReader<'a, F: Field> {
    row: u32,
    cells: &'a [String],
    columns: &'a [ResolvedColumn<F>],
    field_columns: &'a BTreeMap<F, usize>,
    mixed: &'a BTreeSet<CellPosition>,
    issues: &'a mut Issues,
    failed: bool,
}

impl<F: Field> RowReader<'_, F> {
    fn report(&mut self, field: F, code: IssueCode, message_zh: String, message_en: String) {
        self.failed = true;
        let column = self
            .field_columns
            .get(&field)
            .map(|&position| column_ref(&self.columns[position]));
        self.issues.push(ImportIssue {
            row: Some(self.row),
            column,
            code,
            message_zh,
            message_en,
        });
    }

    fn cell(&mut self, field: F) -> Cell {
        let Some(&position) = self.field_columns.get(&field) else {
            return Cell::Empty;
        };
        let index = self.columns[position].index;
        let raw = self.cells.get(index as usize).map_or("", String::as_str);
        if self.mixed.contains(&CellPosition {
            row: self.row,
            column: index,
        }) {
            self.report(
                field,
                IssueCode::MixedEncoding,
                "此单元格的编码与文件其余部分不同（文件为 GBK，此处为 UTF-8），请统一编码后重新导出"
                    .to_owned(),
                "this cell is UTF-8 inside a GBK file: mixed encodings".to_owned(),
            );
            return Cell::Invalid;
        }
        let allow_plus = field.as_str() == "phone";
        match clean_cell(raw, field.max_chars(), allow_plus) {
            Ok(text) if text.is_empty() => Cell::Empty,
            Ok(text) => Cell::Value(text),
            Err(problem) => {
                let (code, zh, en) = match problem {
                    CellProblem::TooLong { chars, max } => (
                        IssueCode::CellTooLong,
                        format!("内容过长：{chars} 个字符，最多 {max} 个"),
                        format!("too long: {chars} characters, at most {max}"),
                    ),
                    CellProblem::ReplacementCharacter => (
                        IssueCode::ReplacementCharacter,
                        "含有乱码字符“\u{FFFD}”，文件编码可能有误，请另存为 UTF-8 或 GBK 编码后重试"
                            .to_owned(),
                        "contains U+FFFD: the text was decoded with a wrong encoding".to_owned(),
                    ),
                    CellProblem::ControlCharacter => (
                        IssueCode::ControlCharacter,
                        "含有换行符、制表符等控制字符".to_owned(),
                        "contains a control character (line break, tab…)".to_owned(),
                    ),
                    CellProblem::FormulaLike => (
                        IssueCode::FormulaLike,
                        "以 =、+、-、@ 开头，会被表格软件当作公式，已拒绝；请删除开头的符号"
                            .to_owned(),
                        "starts with =, +, - or @ and would be a formula: rejected".to_owned(),
                    ),
                    CellProblem::SpreadsheetError => (
                        IssueCode::SpreadsheetError,
                        format!("是表格错误值“{}”，请检查原表中的公式", raw.trim()),
                        format!("is the spreadsheet error value {}", raw.trim()),
                    ),
                };
                self.report(field, code, zh, en);
                Cell::Invalid
            }
        }
    }

    /// A required text: reports an empty cell.
    fn required(&mut self, field: F) -> Option<String> {
        match self.cell(field) {
            Cell::Value(text) => Some(text),
            Cell::Empty => {
                self.report(
                    field,
                    IssueCode::EmptyRequired,
                    format!("必填项“{}”为空", field.header_zh()),
                    format!("the required {} is empty", field.as_str()),
                );
                None
            }
            Cell::Invalid => None,
        }
    }

    /// An optional text: `Some("")` for an empty cell, `None` when invalid.
    fn optional(&mut self, field: F) -> Option<String> {
        match self.cell(field) {
            Cell::Value(text) => Some(text),
            Cell::Empty => Some(String::new()),
            Cell::Invalid => None,
        }
    }

    /// An optional vocabulary value; `empty` when the cell is empty.
    fn label<T: ChineseLabel>(
        &mut self,
        field: F,
        empty: Option<T>,
        code: IssueCode,
        expected_zh: &str,
    ) -> Option<Option<T>> {
        let text = self.optional(field)?;
        if text.is_empty() {
            return Some(empty);
        }
        match T::from_label(&text) {
            Some(value) => Some(Some(value)),
            None => {
                self.report(
                    field,
                    code,
                    format!("“{text}”无法识别，应为 {expected_zh}"),
                    format!("unknown value {text:?} for {}", field.as_str()),
                );
                None
            }
        }
    }
}

/// Parses a date as bureaus write it: `2024-03-05`, `2024/3/5`, `2024.3.5`, `2024年3月5日`,
/// `20240305`, with an optional time after a space or `T`, or an Excel serial day number
/// (`45356`, from a date cell saved as CSV; 1900 date system).
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let date_part = text.split([' ', 'T']).next().unwrap_or("");
    let date = if let Some(serial) = excel_serial(date_part) {
        // Serial 25569 is 1970-01-01; serials up to 60 fall in Excel's fictitious 1900-02-29.
        if serial <= 60 {
            return None;
        }
        Date::from_days_since_unix_epoch(serial - 25_569)?
    } else if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
        Date::new(
            date_part[0..4].parse().ok()?,
            date_part[4..6].parse().ok()?,
            date_part[6..8].parse().ok()?,
        )
        .ok()?
    } else {
        let unified = date_part
            .trim_end_matches('日')
            .replace(['年', '月', '/', '.'], "-");
        let mut parts = unified.split('-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        let digits = |part: &str, lengths: std::ops::RangeInclusive<usize>| {
            lengths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
        };
        if parts.next().is_some()
            || !digits(year, 4..=4)
            || !digits(month, 1..=2)
            || !digits(day, 1..=2)
        {
            return None;
        }
        Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?).ok()?
    };
    DATE_YEARS.contains(&date.year()).then_some(date)
}

/// An Excel serial day: up to six digits, optionally with a fraction (the time of day).
fn excel_serial(text: &str) -> Option<i64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let valid = (1..=6).contains(&whole.len())
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit());
    valid.then(|| whole.parse().ok()).flatten()
}

fn parse_object(
    reader: &mut RowReader<'_, ObjectField>,
    keys: &mut BTreeMap<CreditCode, u32>,
) -> Option<ObjectRow> {
    use ObjectField as F;
    let name = reader.required(F::Name);
    let credit_code =
        reader
            .required(F::CreditCode)
            .and_then(|text| match CreditCode::parse(&text) {
                Ok(code) => Some(code),
                Err(error) => {
                    reader.report(
                        F::CreditCode,
                        IssueCode::InvalidCreditCode,
                        format!("统一社会信用代码“{text}”无效：{}", error.message_zh()),
                        format!("invalid credit code {text:?}: {error}"),
                    );
                    None
                }
            });
    if let Some(code) = &credit_code {
        if let Some(first) = keys.get(code) {
            reader.report(
                F::CreditCode,
                IssueCode::DuplicateKey,
                format!("统一社会信用代码 {code} 与第 {first} 行重复"),
                format!("credit code {code} repeats row {first}"),
            );
        } else {
            keys.insert(code.clone(), reader.row);
        }
    }
    let category = match reader.cell(F::Category) {
        Cell::Empty => {
            reader.report(
                F::Category,
                IssueCode::EmptyRequired,
                "必填项“监管类别”为空（应为 一般、重点 或 特殊）".to_owned(),
                "the required category is empty".to_owned(),
            );
            None
        }
        Cell::Invalid => None,
        Cell::Value(text) => match Category::from_label(&text) {
            Some(category) => Some(category),
            None => {
                reader.report(
                    F::Category,
                    IssueCode::UnknownCategory,
                    format!("监管类别“{text}”无法识别，应为 一般、重点 或 特殊"),
                    format!("unknown category {text:?}: expected 一般, 重点 or 特殊"),
                );
                None
            }
        },
    };
    let region = reader.required(F::Region);
    let industry = reader.required(F::Industry);
    let address = reader.optional(F::Address);
    let construction_status = reader.optional(F::ConstructionStatus);
    let discharge_type = reader.optional(F::DischargeType);
    let permit_class = reader.label::<PermitClass>(
        F::PermitClass,
        None,
        IssueCode::UnknownPermitClass,
        "重点管理、简化管理 或 登记管理",
    );
    let production_scale = reader.optional(F::ProductionScale);
    let production_cycle = reader.optional(F::ProductionCycle);
    let monitoring_type = reader.optional(F::MonitoringType);
    let weather_grade = reader.label::<Grade>(
        F::WeatherGrade,
        Some(Grade::Unrated),
        IssueCode::UnknownWeatherGrade,
        "A、B、C、D 或留空（未评级）",
    );
    let status = reader.label::<ObjectStatus>(
        F::Status,
        Some(ObjectStatus::Active),
        IssueCode::UnknownStatus,
        "在产、停产 或 注销",
    );
    let status_since = reader.optional(F::StatusSince).and_then(|text| {
        if text.is_empty() {
            return Some(None);
        }
        match parse_date(&text) {
            Some(date) => Some(Some(date)),
            None => {
                reader.report(
                    F::StatusSince,
                    IssueCode::InvalidDate,
                    format!(
                        "日期“{text}”无效，应写作 2024-03-05、2024/3/5 或表格日期（年份 1950–2099）"
                    ),
                    format!(
                        "invalid date {text:?}: expected YYYY-MM-DD, YYYY/M/D or an Excel date"
                    ),
                );
                None
            }
        }
    });
    if let (Some(Some(status)), Some(None)) = (status, status_since)
        && status != ObjectStatus::Active
    {
        let field = if reader.field_columns.contains_key(&F::StatusSince) {
            F::StatusSince
        } else {
            F::Status
        };
        reader.report(
            field,
            IssueCode::MissingStatusDate,
            format!("状态为“{}”时必须填写状态生效日期", status.label_zh()),
            "a suspended or closed object needs the date the status took effect".to_owned(),
        );
    }
    Some(ObjectRow {
        name: name?,
        credit_code: credit_code?,
        category: category?,
        region: region?,
        industry: industry?,
        address: address?,
        construction_status: construction_status?,
        discharge_type: discharge_type?,
        permit_class: permit_class?,
        production_scale: production_scale?,
        production_cycle: production_cycle?,
        monitoring_type: monitoring_type?,
        weather_grade: weather_grade??,
        status: status??,
        status_since: status_since?,
    })
}

fn valid_employee_no(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn parse_inspector(
    reader: &mut RowReader<'_, InspectorField>,
    keys: &mut BTreeMap<String, u32>,
    certificates: &mut BTreeMap<String, u32>,
) -> Option<InspectorRow> {
    use InspectorField as F;
    let name = reader.required(F::Name);
    let employee_no = reader.required(F::EmployeeNo).and_then(|text| {
        // A number cell read from XLSX may come as `1001`; full-width digits are folded.
        let folded = super::labels::half_width(&text);
        if valid_employee_no(&folded) {
            Some(folded)
        } else {
            reader.report(
                F::EmployeeNo,
                IssueCode::InvalidEmployeeNo,
                format!("工号“{text}”无效，只能包含字母、数字、- 和 _"),
                format!("invalid employee number {text:?}"),
            );
            None
        }
    });
    if let Some(number) = &employee_no {
        if let Some(first) = keys.get(number) {
            reader.report(
                F::EmployeeNo,
                IssueCode::DuplicateKey,
                format!("工号 {number} 与第 {first} 行重复"),
                format!("employee number {number} repeats row {first}"),
            );
        } else {
            keys.insert(number.clone(), reader.row);
        }
    }
    let certificate = reader
        .optional(F::Certificate)
        .map(|text| (!text.is_empty()).then(|| super::labels::half_width(&text)));
    if let Some(Some(number)) = &certificate {
        if let Some(first) = certificates.get(number) {
            reader.report(
                F::Certificate,
                IssueCode::DuplicateCertificate,
                format!("执法证号 {number} 与第 {first} 行重复"),
                format!("certificate {number} repeats row {first}"),
            );
        } else {
            certificates.insert(number.clone(), reader.row);
        }
    }
    let region = reader.optional(F::Region);
    let years_of_service = reader.optional(F::YearsOfService).and_then(|text| {
        let number = text.trim_end_matches('年');
        let number = number.strip_suffix(".0").unwrap_or(number);
        if text.is_empty() {
            return Some(0);
        }
        match number.parse::<u32>() {
            Ok(years) if years <= 60 => Some(years),
            _ => {
                reader.report(
                    F::YearsOfService,
                    IssueCode::InvalidNumber,
                    format!("从业年限“{text}”无效，应为 0–60 的整数"),
                    format!("invalid years of service {text:?}: expected a whole number 0–60"),
                );
                None
            }
        }
    });
    let specialties = reader.optional(F::Specialties).and_then(|text| {
        let mut specialties = Vec::new();
        let mut unknown = Vec::new();
        for word in split_list(&text) {
            match specialty_from_label(word) {
                Some(specialty) => specialties.push(specialty),
                None => unknown.push(word.to_owned()),
            }
        }
        if unknown.is_empty() {
            specialties.sort();
            specialties.dedup();
            Some(specialties)
        } else {
            let known: Vec<&str> = SPECIALTIES.iter().map(|(_, label, _)| *label).collect();
            reader.report(
                F::Specialties,
                IssueCode::UnknownSpecialty,
                format!(
                    "专业“{}”无法识别，可用：{}",
                    unknown.join("、"),
                    known.join("、")
                ),
                format!("unknown specialties: {}", unknown.join(", ")),
            );
            None
        }
    });
    let department = reader.required(F::Department);
    let post = reader.optional(F::Post);
    let phone = reader.optional(F::Phone).and_then(|text| {
        if text.is_empty() {
            return Some(None);
        }
        let digits = text.bytes().filter(u8::is_ascii_digit).count();
        let shape = text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b' ' | b'(' | b')'));
        if shape && (7..=15).contains(&digits) {
            Some(Some(text))
        } else {
            reader.report(
                F::Phone,
                IssueCode::InvalidPhone,
                format!("联系电话“{text}”无效，应为 7–15 位数字"),
                format!("invalid phone number {text:?}"),
            );
            None
        }
    });
    let active = reader.optional(F::Active).and_then(|text| {
        if text.is_empty() {
            return Some(true);
        }
        let parsed = parse_yes_no(&text);
        if parsed.is_none() {
            reader.report(
                F::Active,
                IssueCode::InvalidBoolean,
                format!("是否在岗“{text}”无法识别，应为 是 或 否"),
                format!("invalid yes/no value {text:?}"),
            );
        }
        parsed
    });
    Some(InspectorRow {
        name: name?,
        employee_no: employee_no?,
        certificate: certificate?,
        region: region?,
        years_of_service: years_of_service?,
        specialties: specialties?,
        department: department?,
        post: post?,
        phone: phone?,
        active: active?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_usual_spellings() {
        let expected = Date::new(2024, 3, 5).ok();
        for text in [
            "2024-03-05",
            "2024/3/5",
            "2024.3.5",
            "2024年3月5日",
            "20240305",
            "2024-03-05 00:00:00",
            "45356",
            "45356.5",
        ] {
            assert_eq!(parse_date(text), expected, "{text}");
        }
        for text in [
            "2024-13-01",
            "2023-02-29",
            "05/03/2024",
            "12",
            "1900-01-01",
            "三月五日",
            "",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }
}
