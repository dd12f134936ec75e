//! What is wrong with an import file: one [`ImportIssue`] per problem, each naming the row as
//! the spreadsheet shows it, the column by letter and header, a stable code, and the reason in
//! Chinese (for the user) and English (for logs and developers).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A stable, machine-readable reason. The JSON spelling is the snake-case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueCode {
    /// No header row: the file or sheet has no non-blank row.
    EmptyFile,
    /// A header row but no data row.
    NoDataRows,
    /// The bytes are not a readable CSV or spreadsheet (corrupt, truncated, other format).
    UnreadableFile,
    /// The file exceeds [`super::MAX_FILE_BYTES`].
    FileTooLarge,
    /// More than [`super::MAX_DATA_ROWS`] data rows.
    TooManyRows,
    /// More than [`super::MAX_COLUMNS`] columns.
    TooManyColumns,
    /// A quoted CSV field is never closed.
    MalformedCsv,
    /// A required field has no column.
    MissingColumn,
    /// Two columns map to the same field.
    DuplicateColumn,
    /// A required cell is empty.
    EmptyRequired,
    /// A cell is longer than its field allows.
    CellTooLong,
    /// A cell starts with `=`, `+`, `-` or `@` (or a tab or carriage return): it would be a
    /// formula in a spreadsheet. Rejected, never silently changed.
    FormulaLike,
    /// A cell contains U+FFFD: the text was already damaged by a wrong decoding.
    ReplacementCharacter,
    /// A GBK file with UTF-8 cells in it.
    MixedEncoding,
    /// A control character (line break, tab…) inside a cell.
    ControlCharacter,
    /// A spreadsheet error value such as `#N/A` or `#REF!`.
    SpreadsheetError,
    InvalidCreditCode,
    /// The same credit code (objects) or employee number (inspectors) twice in the file.
    DuplicateKey,
    /// The same enforcement certificate number on two inspectors.
    DuplicateCertificate,
    UnknownCategory,
    UnknownStatus,
    UnknownPermitClass,
    UnknownWeatherGrade,
    UnknownSpecialty,
    InvalidDate,
    /// 停产 or 注销 without the date it took effect.
    MissingStatusDate,
    /// A status reversal (停产 → 在产, 注销 → anything) without the file's date it took effect.
    ReversalWithoutDate,
    /// A status reversal dated before the stored status began.
    ReversalBeforeStoredDate,
    InvalidEmployeeNo,
    InvalidNumber,
    InvalidPhone,
    InvalidBoolean,
    /// The issue list was cut at [`super::MAX_ISSUES`].
    TooManyIssues,
}

impl IssueCode {
    /// The JSON spelling, e.g. `invalid_credit_code`.
    pub fn as_str(self) -> &'static str {
        match self {
            IssueCode::EmptyFile => "empty_file",
            IssueCode::NoDataRows => "no_data_rows",
            IssueCode::UnreadableFile => "unreadable_file",
            IssueCode::FileTooLarge => "file_too_large",
            IssueCode::TooManyRows => "too_many_rows",
            IssueCode::TooManyColumns => "too_many_columns",
            IssueCode::MalformedCsv => "malformed_csv",
            IssueCode::MissingColumn => "missing_column",
            IssueCode::DuplicateColumn => "duplicate_column",
            IssueCode::EmptyRequired => "empty_required",
            IssueCode::CellTooLong => "cell_too_long",
            IssueCode::FormulaLike => "formula_like",
            IssueCode::ReplacementCharacter => "replacement_character",
            IssueCode::MixedEncoding => "mixed_encoding",
            IssueCode::ControlCharacter => "control_character",
            IssueCode::SpreadsheetError => "spreadsheet_error",
            IssueCode::InvalidCreditCode => "invalid_credit_code",
            IssueCode::DuplicateKey => "duplicate_key",
            IssueCode::DuplicateCertificate => "duplicate_certificate",
            IssueCode::UnknownCategory => "unknown_category",
            IssueCode::UnknownStatus => "unknown_status",
            IssueCode::UnknownPermitClass => "unknown_permit_class",
            IssueCode::UnknownWeatherGrade => "unknown_weather_grade",
            IssueCode::UnknownSpecialty => "unknown_specialty",
            IssueCode::InvalidDate => "invalid_date",
            IssueCode::MissingStatusDate => "missing_status_date",
            IssueCode::ReversalWithoutDate => "reversal_without_date",
            IssueCode::ReversalBeforeStoredDate => "reversal_before_stored_date",
            IssueCode::InvalidEmployeeNo => "invalid_employee_no",
            IssueCode::InvalidNumber => "invalid_number",
            IssueCode::InvalidPhone => "invalid_phone",
            IssueCode::InvalidBoolean => "invalid_boolean",
            IssueCode::TooManyIssues => "too_many_issues",
        }
    }
}

impl fmt::Display for IssueCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A column as the user sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnRef {
    /// Spreadsheet letters: `A`, `B`, … `Z`, `AA`.
    pub letter: String,
    /// The header cell's text (empty for a column past the header).
    pub header: String,
}

/// One problem in an import file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportIssue {
    /// Row number as the spreadsheet shows it (the first line of the file is 1). `None` for
    /// problems of the whole file.
    pub row: Option<u32>,
    pub column: Option<ColumnRef>,
    pub code: IssueCode,
    /// The reason, in Chinese, for the user.
    pub message_zh: String,
    /// The same in English.
    pub message_en: String,
}

impl ImportIssue {
    /// An issue of the whole file.
    pub fn file(
        code: IssueCode,
        message_zh: impl Into<String>,
        message_en: impl Into<String>,
    ) -> Self {
        ImportIssue {
            row: None,
            column: None,
            code,
            message_zh: message_zh.into(),
            message_en: message_en.into(),
        }
    }

    /// The full Chinese message with its position: `第 3 行 C 列（统一社会信用代码）：…`.
    pub fn to_string_zh(&self) -> String {
        let mut text = String::new();
        if let Some(row) = self.row {
            text.push_str(&format!("第 {row} 行"));
        }
        if let Some(column) = &self.column {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&format!("{} 列", column.letter));
            if !column.header.is_empty() {
                text.push_str(&format!("（{}）", column.header));
            }
        }
        if !text.is_empty() {
            text.push('：');
        }
        text.push_str(&self.message_zh);
        text
    }
}

impl fmt::Display for ImportIssue {
    /// English, with the position: `row 3, column C (统一社会信用代码): …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(row) = self.row {
            write!(f, "row {row}")?;
            if self.column.is_some() {
                f.write_str(", ")?;
            }
        }
        if let Some(column) = &self.column {
            write!(f, "column {}", column.letter)?;
            if !column.header.is_empty() {
                write!(f, " ({})", column.header)?;
            }
        }
        if self.row.is_some() || self.column.is_some() {
            f.write_str(": ")?;
        }
        write!(f, "{} [{}]", self.message_en, self.code)
    }
}

/// The spreadsheet letters of a zero-based column index: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_letter(index: u32) -> String {
    let mut letters = Vec::new();
    let mut rest = u64::from(index) + 1;
    while rest > 0 {
        let digit = ((rest - 1) % 26) as u8;
        letters.push(char::from(b'A' + digit));
        rest = (rest - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_the_spreadsheet() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
