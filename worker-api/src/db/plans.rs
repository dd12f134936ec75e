//! The annual plan's versions (`plans`) and the facts its progress is measured with: active
//! objects per category, the year's inspected objects and items, and the quarter's tasks.

use std::collections::BTreeSet;

use serde::Deserialize;
use shared::api::TaskStatus;
use shared::checklist::ChecklistItemId;
use shared::draw::{Category, DrawSpec};
use shared::plan::{
    CATEGORIES, CategoryFacts, MAX_LISTED_OBJECTS, MissingObject, Plan, PlanBody, PlanRef,
    PublicPlan, PublicPlanVersion,
};
use worker::{D1Database, D1PreparedStatement, query};

use super::{stored_json, vocabulary};
use crate::error::{AppError, AppResult};

#[derive(Deserialize)]
struct Row {
    id: i64,
    year: i64,
    version: i64,
    status: String,
    revision: i64,
    body_json: String,
    created_at: String,
    updated_at: String,
    published_at: Option<String>,
}

const COLUMNS: &str =
    "id, year, version, status, revision, body_json, created_at, updated_at, published_at";

/// One stored plan version, with its body as stored (for audit digests).
pub(crate) struct StoredPlan {
    pub(crate) plan: Plan,
    pub(crate) body_json: String,
}

impl Row {
    fn into_stored(self) -> AppResult<StoredPlan> {
        let body: PlanBody = stored_json(&format!("plan {}", self.id), &self.body_json)?;
        Ok(StoredPlan {
            plan: Plan {
                body,
                id: self.id,
                year: self.year as u16,
                version: self.version as u32,
                status: vocabulary("plans.status", &self.status)?,
                revision: self.revision as u32,
                created_at: self.created_at,
                updated_at: self.updated_at,
                published_at: self.published_at,
            },
            body_json: self.body_json,
        })
    }
}

impl StoredPlan {
    /// The public copy of a published version.
    pub(crate) fn into_public(self) -> AppResult<PublicPlan> {
        Ok(PublicPlan {
            year: self.plan.year,
            version: self.plan.version,
            published_at: self
                .plan
                .published_at
                .ok_or_else(|| AppError::Internal("published plan without a date".to_owned()))?,
            body: self.plan.body,
        })
    }

    /// A published version as the list of versions shows it.
    pub(crate) fn public_version(&self) -> PublicPlanVersion {
        PublicPlanVersion {
            year: self.plan.year,
            version: self.plan.version,
            title: self.plan.body.title.clone(),
            published_at: self.plan.published_at.clone().unwrap_or_default(),
        }
    }

    pub(crate) fn reference(&self) -> PlanRef {
        PlanRef {
            id: self.plan.id,
            version: self.plan.version,
            status: self.plan.status,
        }
    }
}

fn stored(rows: Vec<Row>) -> AppResult<Vec<StoredPlan>> {
    rows.into_iter().map(Row::into_stored).collect()
}

pub(crate) async fn find(db: &D1Database, id: i64) -> AppResult<Option<StoredPlan>> {
    let row: Option<Row> = query!(
        db,
        &format!("SELECT {COLUMNS} FROM plans WHERE id = ?1"),
        &id
    )?
    .first(None)
    .await?;
    row.map(Row::into_stored).transpose()
}

/// Every version (of `year`, or of every year), newest year and version first.
pub(crate) async fn all(db: &D1Database, year: Option<i64>) -> AppResult<Vec<StoredPlan>> {
    let rows = match year {
        Some(year) => query!(
            db,
            &format!("SELECT {COLUMNS} FROM plans WHERE year = ?1 ORDER BY version DESC"),
            &year
        )?
        .all()
        .await?
        .results()?,
        None => db
            .prepare(format!(
                "SELECT {COLUMNS} FROM plans ORDER BY year DESC, version DESC"
            ))
            .all()
            .await?
            .results()?,
    };
    stored(rows)
}

/// Every published version (of `year`, or of every year), newest year and version first.
pub(crate) async fn published(db: &D1Database, year: Option<u16>) -> AppResult<Vec<StoredPlan>> {
    let rows = match year {
        Some(year) => query!(
            db,
            &format!(
                "SELECT {COLUMNS} FROM plans WHERE status = 'published' AND year = ?1 ORDER BY version DESC"
            ),
            &year
        )?
        .all()
        .await?
        .results()?,
        None => db
            .prepare(format!(
                "SELECT {COLUMNS} FROM plans WHERE status = 'published' ORDER BY year DESC, version DESC"
            ))
            .all()
            .await?
            .results()?,
    };
    stored(rows)
}

/// One published version of a year.
pub(crate) async fn published_version(
    db: &D1Database,
    year: u16,
    version: i64,
) -> AppResult<Option<StoredPlan>> {
    let row: Option<Row> = query!(
        db,
        &format!(
            "SELECT {COLUMNS} FROM plans WHERE status = 'published' AND year = ?1 AND version = ?2"
        ),
        &year,
        &version
    )?
    .first(None)
    .await?;
    row.map(Row::into_stored).transpose()
}

/// The plan progress is measured against: the latest published version, else the draft.
pub(crate) async fn governing(db: &D1Database, year: u16) -> AppResult<Option<StoredPlan>> {
    let row: Option<Row> = query!(
        db,
        &format!(
            "SELECT {COLUMNS} FROM plans WHERE year = ?1
              ORDER BY status = 'published' DESC, version DESC LIMIT 1"
        ),
        &year
    )?
    .first(None)
    .await?;
    row.map(Row::into_stored).transpose()
}

/// Whether `year` has a draft.
pub(crate) async fn has_draft(db: &D1Database, year: u16) -> AppResult<bool> {
    let draft: Option<i64> = query!(
        db,
        "SELECT id FROM plans WHERE year = ?1 AND status = 'draft'",
        &year
    )?
    .first(Some("id"))
    .await?;
    Ok(draft.is_some())
}

/// A new draft of `year`, numbered after its last version.
pub(crate) fn insert_draft(
    db: &D1Database,
    year: u16,
    body_json: &str,
    now: &str,
    account: i64,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO plans (year, version, body_json, created_at, created_by, updated_at, updated_by)
         SELECT ?1, COALESCE(MAX(version), 0) + 1, ?2, ?3, ?4, ?3, ?4 FROM plans WHERE year = ?1",
        &year,
        &body_json,
        &now,
        &account
    )?)
}

/// A draft's new body, at the next revision.
pub(crate) fn update_draft(
    db: &D1Database,
    id: i64,
    body_json: &str,
    now: &str,
    account: i64,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE plans SET body_json = ?1, revision = revision + 1, updated_at = ?2, updated_by = ?3
          WHERE id = ?4 AND status = 'draft'",
        &body_json,
        &now,
        &account,
        &id
    )?)
}

/// The draft becomes public and frozen.
pub(crate) fn publish(
    db: &D1Database,
    id: i64,
    now: &str,
    account: i64,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE plans SET status = 'published', published_at = ?1, published_by = ?2
          WHERE id = ?3 AND status = 'draft'",
        &now,
        &account,
        &id
    )?)
}

/// A statement that fails the batch unless plan `id` is still a draft at `revision` (SQLite's
/// `json()` raises on the malformed text, read as `StorageError::VersionGuard`), so a stale
/// edit writes nothing, not even its audit entry.
pub(crate) fn revision_guard(
    db: &D1Database,
    id: i64,
    revision: u32,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "SELECT json(CASE WHEN (SELECT revision FROM plans WHERE id = ?1 AND status = 'draft') = ?2
                          THEN '1' ELSE 'plan_revision_conflict' END)",
        &id,
        &revision
    )?)
}

#[derive(Deserialize)]
struct CategoryRow {
    category: String,
    active: i64,
    drawn: i64,
    inspected: i64,
}

/// Active objects per category, and how many have a live inspection (drawn, or any) in
/// `year` (the counter cache `object_yearly_counts` follows `live_inspections`, see 0011).
pub(crate) async fn category_facts(db: &D1Database, year: u16) -> AppResult<Vec<CategoryFacts>> {
    let rows: Vec<CategoryRow> = query!(
        db,
        "SELECT o.category, count(*) AS active,
                COALESCE(sum(COALESCE(c.random, 0) > 0), 0) AS drawn,
                COALESCE(sum(COALESCE(c.random, 0) + COALESCE(c.targeted, 0) > 0), 0) AS inspected
           FROM objects o LEFT JOIN object_yearly_counts c ON c.object_id = o.id AND c.year = ?1
          WHERE o.status = 'active'
          GROUP BY o.category",
        &year
    )?
    .all()
    .await?
    .results()?;
    let mut facts: Vec<CategoryFacts> = CATEGORIES
        .iter()
        .map(|category| CategoryFacts {
            category: *category,
            active: 0,
            drawn: 0,
            inspected: 0,
        })
        .collect();
    for row in rows {
        let category: Category = vocabulary("objects.category", &row.category)?;
        if let Some(fact) = facts.iter_mut().find(|f| f.category == category) {
            fact.active = row.active as u32;
            fact.drawn = row.drawn as u32;
            fact.inspected = row.inspected as u32;
        }
    }
    Ok(facts)
}

#[derive(Deserialize)]
struct MissingRow {
    id: i64,
    name: String,
    credit_code: String,
    category: String,
    region: String,
}

/// Active key and special objects without an inspection in `year`, special first (at most
/// `MAX_LISTED_OBJECTS`).
pub(crate) async fn missing_objects(db: &D1Database, year: u16) -> AppResult<Vec<MissingObject>> {
    let rows: Vec<MissingRow> = query!(
        db,
        "SELECT o.id, o.name, o.credit_code, o.category, o.region
           FROM objects o LEFT JOIN object_yearly_counts c ON c.object_id = o.id AND c.year = ?1
          WHERE o.status = 'active' AND o.category IN ('key', 'special')
            AND COALESCE(c.random, 0) + COALESCE(c.targeted, 0) = 0
          ORDER BY o.category = 'special' DESC, o.name, o.id
          LIMIT ?2",
        &year,
        &(MAX_LISTED_OBJECTS as i64)
    )?
    .all()
    .await?
    .results()?;
    rows.into_iter()
        .map(|row| {
            Ok(MissingObject {
                category: vocabulary("objects.category", &row.category)?,
                id: row.id,
                name: row.name,
                credit_code: row.credit_code,
                region: row.region,
            })
        })
        .collect()
}

#[derive(Deserialize)]
struct ItemRow {
    item: i64,
}

/// Items checked by a live inspection of `year`.
pub(crate) async fn checked_items(
    db: &D1Database,
    year: u16,
) -> AppResult<BTreeSet<ChecklistItemId>> {
    let rows: Vec<ItemRow> = query!(
        db,
        "SELECT DISTINCT CAST(j.value AS INTEGER) AS item
           FROM live_inspections i, json_each(i.items_json) j WHERE i.year = ?1",
        &year
    )?
    .all()
    .await?
    .results()?;
    Ok(rows
        .into_iter()
        .map(|row| ChecklistItemId(row.item))
        .collect())
}

#[derive(Deserialize)]
struct QuarterTaskRow {
    id: i64,
    name: String,
    owner_section: Option<String>,
    status: String,
    spec_json: String,
    draw_id: Option<i64>,
    selected: Option<i64>,
}

/// A task of the quarter with its live draw, if any.
pub(crate) struct QuarterTaskFacts {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) owner_section: Option<String>,
    pub(crate) status: TaskStatus,
    pub(crate) spec: DrawSpec,
    pub(crate) draw_id: Option<i64>,
    /// How many objects the live draw selected.
    pub(crate) selected: Option<u32>,
}

/// The tasks of a quarter, oldest first, each with its live (not voided) draw.
pub(crate) async fn quarter_tasks(
    db: &D1Database,
    year: u16,
    quarter: u8,
) -> AppResult<Vec<QuarterTaskFacts>> {
    let rows: Vec<QuarterTaskRow> = query!(
        db,
        "SELECT t.id, t.name, t.owner_section, t.status, t.spec_json, d.id AS draw_id,
                (SELECT count(*) FROM inspections i WHERE i.draw_id = d.id) AS selected
           FROM draw_tasks t
           LEFT JOIN draws d ON d.task_id = t.id
                AND NOT EXISTS (SELECT 1 FROM draw_voids v WHERE v.draw_id = d.id)
          WHERE t.year = ?1 AND t.quarter = ?2
          ORDER BY t.id",
        &year,
        &quarter
    )?
    .all()
    .await?
    .results()?;
    rows.into_iter()
        .map(|row| {
            Ok(QuarterTaskFacts {
                spec: stored_json(&format!("spec of task {}", row.id), &row.spec_json)?,
                status: vocabulary("draw_tasks.status", &row.status)?,
                id: row.id,
                name: row.name,
                owner_section: row.owner_section,
                draw_id: row.draw_id,
                selected: row.selected.map(|n| n as u32),
            })
        })
        .collect()
}

#[derive(Deserialize)]
struct DrawnRow {
    category: String,
    drawn: i64,
}

/// How many distinct objects of each category were drawn (live random inspections) in the
/// quarter; categories without any are left out.
pub(crate) async fn drawn_in_quarter(
    db: &D1Database,
    year: u16,
    quarter: u8,
) -> AppResult<Vec<(Category, u32)>> {
    let rows: Vec<DrawnRow> = query!(
        db,
        "SELECT o.category, count(DISTINCT i.object_id) AS drawn
           FROM live_inspections i JOIN objects o ON o.id = i.object_id
          WHERE i.year = ?1 AND i.quarter = ?2 AND i.kind = 'random'
          GROUP BY o.category",
        &year,
        &quarter
    )?
    .all()
    .await?
    .results()?;
    rows.into_iter()
        .map(|row| {
            Ok((
                vocabulary("objects.category", &row.category)?,
                row.drawn as u32,
            ))
        })
        .collect()
}
