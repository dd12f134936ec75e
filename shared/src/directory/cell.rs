//! Cell hygiene on the way in (trim, length, damaged text, formula-like values) and on the way
//! out (formula-injection guard).
//!
//! **Policy.** On import, a cell that starts with `=`, `+`, `-` or `@` is *rejected*
//! ([`super::IssueCode::FormulaLike`]): none of the directory's fields legitimately starts
//! that way (the one exception, a phone number `+86…`, is allowed in the phone column), and
//! silently altering what the user typed would hide the problem. A leading apostrophe before
//! such a character — what our own CSV export writes — is removed first, so our exports import
//! again unchanged. On export every cell that starts with `=`, `+`, `-`, `@`, TAB or CR is
//! guarded as OWASP recommends: a leading `'` in CSV; the "quote prefix" cell style in XLSX,
//! which keeps the exact text and makes the spreadsheet treat it as text.

use std::borrow::Cow;

/// What is wrong with a cell's text, before field parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CellProblem {
    TooLong { chars: usize, max: usize },
    ReplacementCharacter,
    ControlCharacter,
    FormulaLike,
    SpreadsheetError,
}

/// Excel's error values, as calamine and CSV exports spell them.
const SPREADSHEET_ERRORS: [&str; 10] = [
    "#N/A",
    "#REF!",
    "#VALUE!",
    "#DIV/0!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
];

/// Whether text would start a formula (or be mangled) when a spreadsheet opens it.
pub fn starts_like_formula(text: &str) -> bool {
    matches!(
        text.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠')
    )
}

/// The trimmed text of a cell, or why it is unacceptable. `allow_leading_plus` is for phone
/// numbers (`+86 …`).
pub(crate) fn clean_cell(
    raw: &str,
    max_chars: usize,
    allow_leading_plus: bool,
) -> Result<String, CellProblem> {
    let trimmed = raw.trim();
    let unguarded = match trimmed.strip_prefix('\'') {
        Some(rest) if starts_like_formula(rest) => rest,
        _ => trimmed,
    };
    let chars = unguarded.chars().count();
    if chars > max_chars {
        return Err(CellProblem::TooLong {
            chars,
            max: max_chars,
        });
    }
    if unguarded.contains('\u{FFFD}') {
        return Err(CellProblem::ReplacementCharacter);
    }
    if unguarded.chars().any(char::is_control) {
        return Err(CellProblem::ControlCharacter);
    }
    let plus_allowed = allow_leading_plus
        && unguarded.starts_with('+')
        && unguarded[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit());
    if starts_like_formula(unguarded) && !plus_allowed {
        return Err(CellProblem::FormulaLike);
    }
    if SPREADSHEET_ERRORS.contains(&unguarded) {
        return Err(CellProblem::SpreadsheetError);
    }
    Ok(unguarded.to_owned())
}

/// A cell as it must be written into a CSV file: with a leading `'` when it starts like a
/// formula (OWASP "CSV injection").
pub fn guard_csv_cell(cell: &str) -> Cow<'_, str> {
    if starts_like_formula(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_trimmed_and_checked() {
        assert_eq!(
            clean_cell("  名山街道\u{3000}", 10, false),
            Ok("名山街道".into())
        );
        assert_eq!(
            clean_cell("=HYPERLINK(\"x\")", 100, false),
            Err(CellProblem::FormulaLike)
        );
        assert_eq!(
            clean_cell("'=1+1", 100, false),
            Err(CellProblem::FormulaLike)
        );
        assert_eq!(
            clean_cell("'+8613800000000", 100, true),
            Ok("+8613800000000".into())
        );
        assert_eq!(clean_cell("+86 138", 100, true), Ok("+86 138".into()));
        assert_eq!(clean_cell("+cmd", 100, true), Err(CellProblem::FormulaLike));
        assert_eq!(
            clean_cell("a\u{FFFD}b", 100, false),
            Err(CellProblem::ReplacementCharacter)
        );
        assert_eq!(
            clean_cell("a\nb", 100, false),
            Err(CellProblem::ControlCharacter)
        );
        assert_eq!(
            clean_cell("#N/A", 100, false),
            Err(CellProblem::SpreadsheetError)
        );
        assert_eq!(
            clean_cell("一二三", 2, false),
            Err(CellProblem::TooLong { chars: 3, max: 2 })
        );
        assert_eq!(clean_cell("O'Brien", 100, false), Ok("O'Brien".into()));
    }

    #[test]
    fn csv_cells_starting_like_formulas_get_an_apostrophe() {
        for dangerous in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(guard_csv_cell(dangerous), format!("'{dangerous}"));
        }
        assert_eq!(guard_csv_cell("丰都"), "丰都");
    }
}
