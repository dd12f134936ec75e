//! Published results (`publications`): a frozen snapshot of the public fields of a
//! non-confidential result, and the public search over them.

use serde::Deserialize;
use shared::records::{InspectionKind, InspectionResult, PublicResult, PublicResultList};
use worker::{D1Database, D1PreparedStatement};

use super::{Param, Where, bind, stored_json, vocabulary};
use crate::error::{AppError, AppResult};

/// A result to publish: the inspection's public fields as they are now.
pub(crate) struct NewPublication<'a> {
    pub(crate) inspection_id: i64,
    pub(crate) year: i64,
    pub(crate) quarter: i64,
    pub(crate) object_name: &'a str,
    pub(crate) credit_code: &'a str,
    pub(crate) category: &'a str,
    pub(crate) task_name: &'a str,
    pub(crate) kind: InspectionKind,
    pub(crate) inspected_on: &'a str,
    /// The checked items' contents.
    pub(crate) items: &'a [&'a str],
    pub(crate) result: InspectionResult,
    pub(crate) department: String,
    pub(crate) published_at: String,
    pub(crate) published_by: i64,
}

/// Publishes a result in its standard phrase (a unique key refuses a second publication).
pub(crate) fn insert(db: &D1Database, new: &NewPublication<'_>) -> AppResult<D1PreparedStatement> {
    bind(
        db,
        "INSERT INTO publications (inspection_id, year, quarter, object_name, credit_code, category, task_name, kind,
                                   inspected_on, items_json, result, phrase, department, published_at, published_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        &[
            Param::Int(new.inspection_id),
            Param::Int(new.year),
            Param::Int(new.quarter),
            Param::Text(new.object_name.to_owned()),
            Param::Text(new.credit_code.to_owned()),
            Param::Text(new.category.to_owned()),
            Param::Text(new.task_name.to_owned()),
            Param::Text(
                match new.kind {
                    InspectionKind::Random => "random",
                    InspectionKind::Targeted => "targeted",
                }
                .to_owned(),
            ),
            Param::Text(new.inspected_on.to_owned()),
            Param::Text(
                serde_json::to_string(new.items)
                    .map_err(|err| AppError::Internal(err.to_string()))?,
            ),
            Param::Text(new.result.as_str().to_owned()),
            Param::Text(new.result.phrase_zh().to_owned()),
            Param::Text(new.department.clone()),
            Param::Text(new.published_at.clone()),
            Param::Int(new.published_by),
        ],
    )
}

/// Which published results a search asks for: part of the name or the whole credit code,
/// the year and the quarter, and the page (from 1).
pub(crate) struct PublicationFilter {
    pub(crate) q: Option<String>,
    pub(crate) year: Option<i64>,
    pub(crate) quarter: Option<i64>,
    pub(crate) page: i64,
}

impl PublicationFilter {
    /// The WHERE clause over `publications p`.
    fn clause(&self) -> Where {
        let mut clause = Where::new();
        if let Some(q) = &self.q {
            clause.add(
                "(instr(p.object_name, $$) > 0 OR p.credit_code = $$)",
                vec![Param::Text(q.clone()), Param::Text(q.to_uppercase())],
            );
        }
        if let Some(year) = self.year {
            clause.add("p.year = $$", vec![Param::Int(year)]);
        }
        if let Some(quarter) = self.quarter {
            clause.add("p.quarter = $$", vec![Param::Int(quarter)]);
        }
        clause
    }

    /// Confidential records of live inspections in the same period. A name search does not
    /// narrow it (matching a confidential record's name would reveal it).
    fn withheld_clause(&self) -> Where {
        let mut clause = Where::new();
        clause.add("r.confidential = 1", Vec::new());
        if let Some(year) = self.year {
            clause.add("i.year = $$", vec![Param::Int(year)]);
        }
        if let Some(quarter) = self.quarter {
            clause.add("i.quarter = $$", vec![Param::Int(quarter)]);
        }
        clause
    }
}

#[derive(Deserialize)]
struct PublicationRow {
    inspection_id: i64,
    year: i64,
    quarter: i64,
    object_name: String,
    credit_code: String,
    category: String,
    task_name: String,
    kind: String,
    inspected_on: String,
    items_json: String,
    result: String,
    phrase: String,
    department: String,
    published_at: String,
}

impl PublicationRow {
    fn into_result(self) -> AppResult<PublicResult> {
        Ok(PublicResult {
            inspection_id: self.inspection_id,
            year: self.year as i32,
            quarter: self.quarter as u8,
            object_name: self.object_name,
            credit_code: self.credit_code,
            category: vocabulary("category", &self.category)?,
            task_name: self.task_name,
            kind: vocabulary::<InspectionKind>("kind", &self.kind)?,
            inspected_on: self.inspected_on,
            items: stored_json("items_json", &self.items_json)?,
            result: vocabulary("result", &self.result)?,
            phrase: self.phrase,
            department: self.department,
            published_at: self.published_at,
        })
    }
}

#[derive(Deserialize)]
struct CountRow {
    n: i64,
}

async fn count(db: &D1Database, sql: &str, params: &[Param]) -> AppResult<i64> {
    let row: CountRow = bind(db, sql, params)?
        .first(None)
        .await?
        .ok_or_else(|| AppError::Internal("count".to_owned()))?;
    Ok(row.n)
}

/// The published results matching `filter` (one page of `page_size`, newest first), how many
/// match in all, and how many confidential results the same period holds (counted, never
/// shown).
pub(crate) async fn search(
    db: &D1Database,
    filter: &PublicationFilter,
    page_size: i64,
) -> AppResult<(PublicResultList, i64)> {
    let clause = filter.clause();
    let offset = (filter.page - 1) * page_size;
    let rows: Vec<PublicationRow> = bind(
        db,
        &format!(
            "SELECT p.inspection_id, p.year, p.quarter, p.object_name, p.credit_code, p.category, p.task_name,
                    p.kind, p.inspected_on, p.items_json, p.result, p.phrase, p.department, p.published_at
               FROM publications p{}
              ORDER BY p.published_at DESC, p.inspection_id DESC LIMIT {page_size} OFFSET {offset}",
            clause.sql(1)
        ),
        clause.params(),
    )?
    .all()
    .await?
    .results()?;
    let total = count(
        db,
        &format!("SELECT count(*) AS n FROM publications p{}", clause.sql(1)),
        clause.params(),
    )
    .await?;
    let withheld = filter.withheld_clause();
    let withheld = count(
        db,
        &format!(
            "SELECT count(*) AS n FROM inspection_records r JOIN live_inspections i ON i.id = r.inspection_id{}",
            withheld.sql(1)
        ),
        withheld.params(),
    )
    .await?;
    let results = rows
        .into_iter()
        .map(PublicationRow::into_result)
        .collect::<AppResult<Vec<_>>>()?;
    Ok((
        PublicResultList {
            results,
            withheld: withheld as u64,
        },
        total,
    ))
}
