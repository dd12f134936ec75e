//! The two directories — inspection objects (检查对象名录库) and inspectors (检查人员名录库) —
//! as bureaus keep them in spreadsheets: the row types, the unified social credit code, the
//! column mapping, validation of a whole file with every problem reported in Chinese, the diff
//! of an import against the directory, and export safe from formula injection.
//!
//! The path of an import, all pure functions:
//!
//! 1. bytes → [`Table`]: [`files::read_table`] (feature `files`), or [`Table::from_rows`];
//! 2. [`Table`] → [`ObjectImport`] / [`InspectorImport`]: [`validate_objects`] /
//!    [`validate_inspectors`], with the user's remembered [`ColumnMapping`]; the result has
//!    the rows that passed and every [`ImportIssue`] (row, column letter and header, code,
//!    Chinese and English reason). Commit only when [`Import::is_clean`];
//! 3. rows → [`DirectoryDiff`]: [`diff_directory`] against the current directory;
//! 4. export: [`export_table`] / [`export_inspectors`] → [`write_csv`] or
//!    [`files::write_xlsx`].
//!
//! `docs/directories.md` documents the file format, headers, synonyms and rules.

pub mod api;
mod cell;
mod credit_code;
mod diff;
mod export;
mod fields;
mod issue;
mod labels;
mod rows;
mod validate;

#[cfg(feature = "files")]
pub mod files;

pub use cell::{guard_csv_cell, starts_like_formula};
pub use credit_code::{CREDIT_CODE_ALPHABET, CreditCode, CreditCodeError, organization_code_check};
pub use diff::{Change, DiffSummary, DirectoryDiff, diff_directory};
pub use export::{export_inspectors, export_table, write_csv};
pub use fields::{
    ColumnMapping, Field, InspectorField, MappingSource, ObjectField, ResolvedColumn,
    field_for_header, mapping_of, normalize_header, resolve_columns,
};
pub use issue::{ColumnRef, ImportIssue, IssueCode, column_letter};
pub use labels::{ChineseLabel, PermitClass, SPECIALTIES, specialty_from_label, specialty_label};
pub use rows::{DirectoryRow, InspectorRow, ObjectRow, is_status_reversal, reversal_issue};
pub use validate::{
    CellPosition, DATE_YEARS, Import, InspectorImport, MAX_COLUMNS, MAX_DATA_ROWS, MAX_FILE_BYTES,
    MAX_ISSUES, NumberedRow, ObjectImport, Table, TextEncoding, parse_date, recheck_rows,
    validate_inspectors, validate_objects,
};
