//! The rows statistics count: the year's live inspections with their object, record and
//! publication, and the yearly counts per inspector and per object. Only fetching; every
//! figure is computed by `shared::stats`.
//!
//! Query plans (checked with `EXPLAIN QUERY PLAN` in sqlite3 on the migrated schema, see
//! docs/statistics.md#efficiency): the year's inspections come through
//! `inspections_by_period`, records and publications by their primary keys, objects by rowid;
//! the key/special denominator is a covering scan of `objects_by_category_region`.

use serde::Deserialize;
use shared::checklist::ChecklistItemId;
use shared::draw::Category;
use shared::records::{InspectionKind, InspectionResult, Trigger};
use shared::stats::{InspectionFact, InspectorCount, ObjectCount, RecordFact};
use worker::{D1Database, query};

use super::{Param, bind, vocabulary};
use crate::error::{AppError, AppResult};
use crate::time::{stored_china_date, stored_date};

/// One row of [`FACTS_SQL`].
#[derive(Deserialize)]
struct FactRow {
    id: i64,
    kind: String,
    trigger: Option<String>,
    task_id: Option<i64>,
    quarter: i64,
    object_id: i64,
    category: String,
    object_active: i64,
    sections_json: String,
    items_json: String,
    inspected_on: Option<String>,
    result: Option<String>,
    confidential: Option<i64>,
    entry_deadline: Option<String>,
    recorded_at: Option<String>,
    published_at: Option<String>,
}

impl FactRow {
    fn into_fact(self) -> AppResult<InspectionFact> {
        let id = self.id;
        let corrupt = |detail: String| AppError::Internal(format!("inspection {id}: {detail}"));
        let record = match (
            &self.inspected_on,
            &self.result,
            &self.entry_deadline,
            &self.recorded_at,
        ) {
            (Some(inspected_on), Some(result), Some(deadline), Some(recorded_at)) => {
                Some(RecordFact {
                    inspected_on: stored_date("inspected_on", inspected_on)?,
                    result: vocabulary::<InspectionResult>("result", result)?,
                    confidential: self.confidential.unwrap_or(0) == 1,
                    entry_deadline: stored_date("entry_deadline", deadline)?,
                    recorded_on: stored_china_date("recorded_at", recorded_at)?,
                    published_on: self
                        .published_at
                        .as_deref()
                        .map(|at| stored_china_date("published_at", at))
                        .transpose()?,
                })
            }
            _ => None,
        };
        Ok(InspectionFact {
            kind: vocabulary::<InspectionKind>("kind", &self.kind)?,
            trigger: self
                .trigger
                .as_deref()
                .map(|t| vocabulary::<Trigger>("trigger", t))
                .transpose()?,
            task_id: self.task_id,
            quarter: u8::try_from(self.quarter).map_err(|err| corrupt(err.to_string()))?,
            object_id: self.object_id,
            category: vocabulary::<Category>("category", &self.category)?,
            object_active: self.object_active == 1,
            sections: serde_json::from_str(&self.sections_json)
                .map_err(|err| corrupt(format!("sections_json: {err}")))?,
            items: serde_json::from_str::<Vec<ChecklistItemId>>(&self.items_json)
                .map_err(|err| corrupt(format!("items_json: {err}")))?,
            record,
        })
    }
}

/// Every live inspection of a year with its object's category, its record and publication.
const FACTS_SQL: &str = "SELECT i.id, i.kind, i.trigger, i.task_id, i.quarter, i.object_id, \
        o.category, o.status = 'active' AS object_active, i.sections_json, i.items_json, \
        r.inspected_on, r.result, r.confidential, r.entry_deadline, r.recorded_at, p.published_at \
     FROM live_inspections i \
     JOIN objects o ON o.id = i.object_id \
     LEFT JOIN inspection_records r ON r.inspection_id = i.id \
     LEFT JOIN publications p ON p.inspection_id = i.id \
    WHERE i.year = ?1";

/// Every live inspection of `year` as a fact for `shared::stats`.
pub(crate) async fn inspection_facts(db: &D1Database, year: i32) -> AppResult<Vec<InspectionFact>> {
    let rows: Vec<FactRow> = query!(db, FACTS_SQL, &year)?.all().await?.results()?;
    rows.into_iter().map(FactRow::into_fact).collect()
}

#[derive(Deserialize)]
struct CountRow {
    n: i64,
}

#[derive(Deserialize)]
struct InspectorRow {
    inspector_id: i64,
    name: String,
    department: String,
    random: i64,
    targeted: i64,
    lead: i64,
}

/// Every active inspector and every inspector with an inspection in `year`, most
/// inspections first. Name and department only.
pub(crate) async fn inspector_counts(db: &D1Database, year: i32) -> AppResult<Vec<InspectorCount>> {
    let rows: Vec<InspectorRow> = query!(
        db,
        "SELECT x.id AS inspector_id, x.name, x.department, \
                coalesce(c.random, 0) AS random, coalesce(c.targeted, 0) AS targeted, \
                coalesce(l.lead, 0) AS lead \
           FROM inspectors x \
           LEFT JOIN inspector_yearly_counts c ON c.inspector_id = x.id AND c.year = ?1 \
           LEFT JOIN (SELECT lead_inspector_id AS id, count(*) AS lead FROM live_inspections \
                       WHERE year = ?1 AND lead_inspector_id IS NOT NULL \
                       GROUP BY lead_inspector_id) l ON l.id = x.id \
          WHERE x.active = 1 OR coalesce(c.random, 0) + coalesce(c.targeted, 0) > 0 \
          ORDER BY coalesce(c.random, 0) + coalesce(c.targeted, 0) DESC, x.name, x.id",
        &year
    )?
    .all()
    .await?
    .results()?;
    Ok(rows
        .into_iter()
        .map(|row| InspectorCount {
            inspector_id: row.inspector_id,
            name: row.name,
            department: row.department,
            random: row.random.max(0) as u64,
            targeted: row.targeted.max(0) as u64,
            lead: row.lead.max(0) as u64,
        })
        .collect())
}

#[derive(Deserialize)]
struct ObjectRow {
    object_id: i64,
    name: String,
    credit_code: String,
    category: String,
    region: String,
    random: i64,
    targeted: i64,
}

/// Without `q`, the objects inspected in `year`, most inspections first; with `q`, every
/// object whose name contains it or whose credit code starts with it, inspected or not. One
/// page of `limit` from `offset`, and how many there are in all.
pub(crate) async fn object_counts(
    db: &D1Database,
    year: i32,
    q: Option<String>,
    limit: u32,
    offset: u32,
) -> AppResult<(Vec<ObjectCount>, u64)> {
    let columns = "o.id AS object_id, o.name, o.credit_code, o.category, o.region, \
                   coalesce(c.random, 0) AS random, coalesce(c.targeted, 0) AS targeted";
    let order = "ORDER BY coalesce(c.random, 0) + coalesce(c.targeted, 0) DESC, o.name, o.id \
                 LIMIT ?2 OFFSET ?3";
    let (rows, total): (Vec<ObjectRow>, Option<CountRow>) = match q {
        None => {
            let rows = bind(
                db,
                &format!(
                    "SELECT {columns} FROM object_yearly_counts c JOIN objects o ON o.id = c.object_id \
                      WHERE c.year = ?1 AND c.random + c.targeted > 0 {order}"
                ),
                &[
                    Param::Int(i64::from(year)),
                    Param::Int(i64::from(limit)),
                    Param::Int(i64::from(offset)),
                ],
            )?
            .all()
            .await?
            .results()?;
            let total = query!(
                db,
                "SELECT count(*) AS n FROM object_yearly_counts \
                  WHERE year = ?1 AND random + targeted > 0",
                &year
            )?
            .first(None)
            .await?;
            (rows, total)
        }
        Some(q) => {
            let q = q.trim().to_owned();
            // Only letters and digits can begin a credit code (stored in upper case).
            let code = if q.chars().all(|c| c.is_ascii_alphanumeric()) {
                q.to_ascii_uppercase()
            } else {
                String::new()
            };
            let rows = bind(
                db,
                &format!(
                    "SELECT {columns} FROM objects o \
                       LEFT JOIN object_yearly_counts c ON c.object_id = o.id AND c.year = ?1 \
                      WHERE instr(o.name, ?4) > 0 \
                         OR (?5 <> '' AND substr(o.credit_code, 1, length(?5)) = ?5) {order}"
                ),
                &[
                    Param::Int(i64::from(year)),
                    Param::Int(i64::from(limit)),
                    Param::Int(i64::from(offset)),
                    Param::Text(q.clone()),
                    Param::Text(code.clone()),
                ],
            )?
            .all()
            .await?
            .results()?;
            let total = query!(
                db,
                "SELECT count(*) AS n FROM objects o \
                  WHERE instr(o.name, ?1) > 0 \
                     OR (?2 <> '' AND substr(o.credit_code, 1, length(?2)) = ?2)",
                &q,
                &code
            )?
            .first(None)
            .await?;
            (rows, total)
        }
    };
    let total = total.map_or(0, |row| row.n.max(0) as u64);
    let objects = rows
        .into_iter()
        .map(|row| {
            Ok(ObjectCount {
                object_id: row.object_id,
                name: row.name,
                credit_code: row.credit_code,
                category: vocabulary::<Category>("category", &row.category)?,
                region: row.region,
                random: row.random.max(0) as u64,
                targeted: row.targeted.max(0) as u64,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok((objects, total))
}
