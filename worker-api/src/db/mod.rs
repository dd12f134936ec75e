//! The data-access layer: every SQL text of the worker is in this module and its files, one
//! file per table family. Functions take the database and typed arguments and return `shared`
//! types (or a typed row where the handler needs more than the domain type); writes return
//! prepared statements, so a handler can batch them with its audit entry in
//! `audit::commit` (one transaction).
//!
//! The tools every file uses are here: the one bind helper ([`Param`], [`bind`]), the one
//! dynamic WHERE builder ([`Where`]), the readers of stored JSON ([`stored_json`]) and of
//! stored closed vocabularies ([`vocabulary`]), and the one classification of D1's error
//! messages ([`StorageError`]).
//!
//! Rule: no SQL is built from input. Dynamic SQL is assembled only from constant fragments;
//! every value the caller sent is a bound parameter.

pub(crate) mod accounts;
pub(crate) mod audit;
pub(crate) mod audit_chain;
pub(crate) mod bureau;
pub(crate) mod calendar;
pub(crate) mod checklist;
pub(crate) mod draw_input;
pub(crate) mod imports;
pub(crate) mod inspectors;
pub(crate) mod objects;
pub(crate) mod parts;
pub(crate) mod sign_in;
pub(crate) mod stats;

use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use crate::error::{AppError, AppResult};

/// A query parameter value for `D1PreparedStatement::bind` (integers as JS numbers: D1 does
/// not take BigInt).
#[derive(Debug, Clone)]
pub(crate) enum Param {
    Text(String),
    Int(i64),
}

/// `sql` with `params` bound as `?1`, `?2`, …
pub(crate) fn bind(db: &D1Database, sql: &str, params: &[Param]) -> AppResult<D1PreparedStatement> {
    let values: Vec<JsValue> = params
        .iter()
        .map(|param| match param {
            Param::Text(text) => JsValue::from_str(text),
            Param::Int(number) => JsValue::from_f64(*number as f64),
        })
        .collect();
    Ok(db.prepare(sql).bind(&values)?)
}

/// A WHERE clause made of constant fragments, and its parameters. In a fragment each `$$` is
/// the next parameter; [`Where::sql`] numbers them.
pub(crate) struct Where {
    clauses: Vec<&'static str>,
    params: Vec<Param>,
}

impl Where {
    pub(crate) fn new() -> Where {
        Where {
            clauses: Vec::new(),
            params: Vec::new(),
        }
    }

    /// Adds `fragment` (ANDed with the others) with one value per `$$`.
    pub(crate) fn add(&mut self, fragment: &'static str, values: Vec<Param>) {
        debug_assert_eq!(fragment.matches("$$").count(), values.len());
        self.clauses.push(fragment);
        self.params.extend(values);
    }

    /// The clause (empty, or starting with ` WHERE `) with its placeholders numbered from
    /// `first_param`.
    pub(crate) fn sql(&self, first_param: usize) -> String {
        let mut out = String::new();
        let mut next = first_param;
        for (index, clause) in self.clauses.iter().enumerate() {
            out.push_str(if index == 0 { " WHERE " } else { " AND " });
            let mut parts = clause.split("$$");
            out.push_str(parts.next().unwrap_or_default());
            for part in parts {
                out.push_str(&format!("?{next}"));
                next += 1;
                out.push_str(part);
            }
        }
        out
    }

    /// The values, in the order of their placeholders.
    pub(crate) fn params(&self) -> &[Param] {
        &self.params
    }

    pub(crate) fn into_params(self) -> Vec<Param> {
        self.params
    }
}

/// Runs a filtered, keyset-paged list (`ORDER BY name, id`, after the cursor's name and id):
/// `select` is everything before the WHERE clause over the alias `x` and uses `?1` (the year)
/// and `?2` (the page size + 1). Returns at most `limit + 1` rows and how many match in all.
async fn keyset_page(
    db: &D1Database,
    select: &str,
    count_from: &str,
    mut filter: Where,
    year: i64,
    limit: i64,
    after: Option<(String, i64)>,
) -> AppResult<(Vec<objects::ItemRow>, i64)> {
    #[derive(serde::Deserialize)]
    struct Total {
        total: i64,
    }
    let total: Total = bind(
        db,
        &format!(
            "SELECT count(*) AS total FROM {count_from}{}",
            filter.sql(1)
        ),
        filter.params(),
    )?
    .first(None)
    .await?
    .unwrap_or(Total { total: 0 });
    if let Some((name, id)) = after {
        filter.add(
            "(x.name, x.id) > ($$, $$)",
            vec![Param::Text(name), Param::Int(id)],
        );
    }
    let mut params = vec![Param::Int(year), Param::Int(limit + 1)];
    let where_sql = filter.sql(3);
    params.extend(filter.into_params());
    let sql = format!("{select}{where_sql} ORDER BY x.name, x.id LIMIT ?2");
    let rows = bind(db, &sql, &params)?.all().await?.results()?;
    Ok((rows, total.total))
}

/// A second handle on the same D1 binding, for a response stream that reads parts after the
/// handler (and its borrow of the request's handle) has returned.
pub(crate) fn handle(db: &D1Database) -> D1Database {
    use wasm_bindgen::JsCast as _;
    let value: &JsValue = db.as_ref();
    value.clone().unchecked_into()
}

/// A stored JSON column; `what` names it for the log if it does not parse.
pub(crate) fn stored_json<T: DeserializeOwned>(what: &str, text: &str) -> AppResult<T> {
    serde_json::from_str(text).map_err(|err| AppError::Internal(format!("stored {what}: {err}")))
}

/// A closed-vocabulary column, stored in the JSON spelling of its shared type
/// (`'active'` for `ObjectStatus::Active`).
pub(crate) fn vocabulary<T: DeserializeOwned>(column: &str, value: &str) -> AppResult<T> {
    serde_json::from_value(serde_json::Value::String(value.to_owned()))
        .map_err(|_| AppError::Internal(format!("{column} holds {value:?}")))
}

/// The stored spelling of a closed-vocabulary value: the inverse of [`vocabulary`].
pub(crate) fn vocabulary_code<T: serde::Serialize>(value: &T) -> AppResult<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(code)) => Ok(code),
        _ => Err(AppError::Internal(
            "a vocabulary value is not a string".to_owned(),
        )),
    }
}

/// Which of D1's errors a handler may answer. D1 reports errors only as text; this is the one
/// place that reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StorageError {
    /// `UNIQUE constraint failed: table.column` (a primary key too). For a key of several
    /// columns, `column` lists them as SQLite does: `owner, owner_id, seq`.
    Unique { table: String, column: String },
    /// A version guard ([`version_guard`]) found another version: someone edited first.
    VersionGuard,
    /// Anything else: a bug or an outage, answered as 500.
    Other(String),
}

/// The malformed JSON text a version guard feeds to `json()` to fail its batch.
const VERSION_GUARD_TEXT: &str = "version_conflict";

impl StorageError {
    /// Classifies one error message of D1 (or of the runtime).
    pub(crate) fn classify(message: &str) -> StorageError {
        if let Some(rest) = message.split("UNIQUE constraint failed: ").nth(1) {
            let key = rest.split(": SQLITE").next().unwrap_or(rest).trim();
            let table = key.split('.').next().unwrap_or_default().to_owned();
            let column = key
                .split(", ")
                .map(|part| part.split_once('.').map_or(part, |(_, column)| column))
                .collect::<Vec<_>>()
                .join(", ");
            return StorageError::Unique { table, column };
        }
        if message.contains("malformed JSON") {
            return StorageError::VersionGuard;
        }
        StorageError::Other(message.to_owned())
    }

    /// Whether this is a unique key of `table`.
    pub(crate) fn is_unique_in(&self, table: &str) -> bool {
        matches!(self, StorageError::Unique { table: t, .. } if t == table)
    }
}

impl From<StorageError> for AppError {
    fn from(err: StorageError) -> Self {
        match err {
            StorageError::Other(detail) => AppError::Internal(detail),
            answerable => AppError::Storage(answerable),
        }
    }
}

/// A statement that fails its batch (so nothing of it is written) unless `check` — a query of
/// one value with `?1` and `?2` — yields `?2`: SQLite's `json()` raises on malformed text,
/// which [`StorageError::classify`] reads as [`StorageError::VersionGuard`].
fn guard(
    db: &D1Database,
    check: &'static str,
    id: i64,
    expected: i64,
) -> AppResult<D1PreparedStatement> {
    let sql =
        format!("SELECT json(CASE WHEN ({check}) = ?2 THEN '1' ELSE '{VERSION_GUARD_TEXT}' END)");
    bind(db, &sql, &[Param::Int(id), Param::Int(expected)])
}

/// Fails the batch unless object `id` still has `version`.
pub(crate) fn object_version_guard(
    db: &D1Database,
    id: i64,
    version: i64,
) -> AppResult<D1PreparedStatement> {
    guard(db, "SELECT version FROM objects WHERE id = ?1", id, version)
}

/// Fails the batch unless inspector `id` exists and signs in as no account yet.
pub(crate) fn inspector_unlinked_guard(db: &D1Database, id: i64) -> AppResult<D1PreparedStatement> {
    guard(
        db,
        "SELECT coalesce(account_id, 0) FROM inspectors WHERE id = ?1",
        id,
        0,
    )
}

/// Fails the batch unless inspector `id` still has `version`.
pub(crate) fn inspector_version_guard(
    db: &D1Database,
    id: i64,
    version: i64,
) -> AppResult<D1PreparedStatement> {
    guard(
        db,
        "SELECT version FROM inspectors WHERE id = ?1",
        id,
        version,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn d1_errors_are_classified_once() {
        assert_eq!(
            StorageError::classify(
                "D1_ERROR: UNIQUE constraint failed: objects.credit_code: SQLITE_CONSTRAINT"
            ),
            StorageError::Unique {
                table: "objects".to_owned(),
                column: "credit_code".to_owned()
            }
        );
        assert_eq!(
            StorageError::classify(
                "UNIQUE constraint failed: text_parts.owner, text_parts.owner_id, text_parts.seq"
            ),
            StorageError::Unique {
                table: "text_parts".to_owned(),
                column: "owner, owner_id, seq".to_owned()
            }
        );
        assert_eq!(
            StorageError::classify("D1_ERROR: malformed JSON: SQLITE_ERROR"),
            StorageError::VersionGuard
        );
        assert!(matches!(
            StorageError::classify("D1_ERROR: a sealed task is frozen"),
            StorageError::Other(_)
        ));
        assert!(
            StorageError::classify("UNIQUE constraint failed: draws.task_id, draws.attempt")
                .is_unique_in("draws")
        );
    }

    #[test]
    fn where_clauses_number_their_parameters() {
        let mut filter = Where::new();
        assert_eq!(filter.sql(1), "");
        filter.add("x.a = $$", vec![Param::Int(1)]);
        filter.add("(x.b, x.c) > ($$, $$)", vec![Param::Int(2), Param::Int(3)]);
        assert_eq!(filter.sql(3), " WHERE x.a = ?3 AND (x.b, x.c) > (?4, ?5)");
        assert_eq!(filter.params().len(), 3);
    }
}

// The draw, inspection, plan and portal side (branch dbdraws).
pub(crate) mod inspections;
pub(crate) mod plans;
pub(crate) mod portal;
pub(crate) mod publications;
pub(crate) mod record_keys;
pub(crate) mod tasks;
