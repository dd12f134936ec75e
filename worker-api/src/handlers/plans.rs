//! The annual plan (年度抽查计划): drafts, publishing, versions, the public copies, the year's
//! progress toward its guarantees and the quarter view. The arithmetic is `shared::plan`'s;
//! this module reads the facts from D1 and writes the versions. See `docs/plans.md`.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use shared::api::TaskStatus;
use shared::authz::Role;
use shared::checklist::{ChecklistItem, ChecklistItemId};
use shared::draw::{Category, DrawSpec, Period};
use shared::plan::{
    CATEGORIES, CategoryFacts, GuaranteeProgress, MAX_LISTED_OBJECTS, MissingObject,
    NewPlanRequest, Plan, PlanBody, PlanIssue, PlanList, PlanRef, PlanStatus, PublicPlan,
    PublicPlanList, PublicPlanVersion, PublicYearPlan, PublishPlanRequest, QuarterTask,
    QuarterView, TaskItems, UpdatePlanRequest, YearProgress, category_progress, item_progress,
    quarter_category, quarter_sections,
};
use worker::{D1Database, D1PreparedStatement, Response, query};

use crate::audit::{self, Actor, Change};
use crate::auth::Session;
use crate::ctx::{Ctx, json};
use crate::db::StorageError;
use crate::error::{AppError, AppResult};
use crate::time::now_rfc3339;

#[derive(Deserialize)]
struct PlanRow {
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

const PLAN_COLUMNS: &str =
    "id, year, version, status, revision, body_json, created_at, updated_at, published_at";

fn parse_status(status: &str) -> AppResult<PlanStatus> {
    match status {
        "draft" => Ok(PlanStatus::Draft),
        "published" => Ok(PlanStatus::Published),
        other => Err(AppError::Internal(format!("plan status {other}"))),
    }
}

impl PlanRow {
    fn body(&self) -> AppResult<PlanBody> {
        serde_json::from_str(&self.body_json)
            .map_err(|err| AppError::Internal(format!("stored plan {}: {err}", self.id)))
    }

    fn into_plan(self) -> AppResult<Plan> {
        Ok(Plan {
            body: self.body()?,
            id: self.id,
            year: self.year as u16,
            version: self.version as u32,
            status: parse_status(&self.status)?,
            revision: self.revision as u32,
            created_at: self.created_at,
            updated_at: self.updated_at,
            published_at: self.published_at,
        })
    }

    fn into_public(self) -> AppResult<PublicPlan> {
        Ok(PublicPlan {
            body: self.body()?,
            year: self.year as u16,
            version: self.version as u32,
            published_at: self
                .published_at
                .ok_or_else(|| AppError::Internal("published plan without a date".to_owned()))?,
        })
    }

    fn reference(&self) -> AppResult<PlanRef> {
        Ok(PlanRef {
            id: self.id,
            version: self.version as u32,
            status: parse_status(&self.status)?,
        })
    }
}

/// The 400 answer for an invalid plan: every issue, each naming its field.
#[derive(Serialize)]
struct PlanRefusal {
    error: &'static str,
    message: String,
    issues: Vec<PlanIssue>,
}

fn refusal(issues: Vec<PlanIssue>) -> AppResult<Response> {
    let zh: Vec<String> = issues
        .iter()
        .map(|i| format!("{}：{}", i.field, i.message_zh))
        .collect();
    let en: Vec<String> = issues
        .iter()
        .map(|i| format!("{}: {}", i.field, i.message_en))
        .collect();
    Ok(Response::from_json(&PlanRefusal {
        error: "invalid_plan",
        message: format!(
            "计划有 {} 处问题：{} / {} problem(s): {}",
            issues.len(),
            zh.join("；"),
            issues.len(),
            en.join("; ")
        ),
        issues,
    })?
    .with_status(400))
}

/// The enforcement detachment keeps the annual plan (docs/authorization.md): a section
/// account, which may manage its own draws, may not change it.
fn require_planner(session: &Session) -> AppResult<()> {
    if session.role == Role::Planner {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn plan_published() -> AppError {
    AppError::Conflict {
        code: "plan_published",
        message: "已公开的计划版本不能修改，请新建修订版本 / a published plan version cannot change; start a new version".to_owned(),
    }
}

fn revision_conflict() -> AppError {
    AppError::Conflict {
        code: "version_conflict",
        message: "计划已被他人修改，请刷新后重试 / the plan changed meanwhile; reload and retry"
            .to_owned(),
    }
}

/// A statement that fails the batch unless plan `id` is still a draft at `revision` (SQLite's
/// `json()` raises on the malformed text), so a stale edit writes nothing, not even its audit
/// entry.
fn revision_guard(db: &D1Database, id: i64, revision: u32) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "SELECT json(CASE WHEN (SELECT revision FROM plans WHERE id = ?1 AND status = 'draft') = ?2
                          THEN '1' ELSE 'plan_revision_conflict' END)",
        &id,
        &revision
    )?)
}

fn storage_conflict(err: AppError) -> AppError {
    match &err {
        AppError::Storage(StorageError::VersionGuard) => revision_conflict(),
        AppError::Storage(StorageError::Unique { .. }) => draft_exists(),
        _ => err,
    }
}

fn draft_exists() -> AppError {
    AppError::Conflict {
        code: "draft_exists",
        message: "该年度已有一份计划草稿，请修改它或先公开 / the year already has a draft plan; edit or publish it first".to_owned(),
    }
}

async fn load_plan(db: &D1Database, id: i64) -> AppResult<PlanRow> {
    let row: Option<PlanRow> = query!(
        db,
        &format!("SELECT {PLAN_COLUMNS} FROM plans WHERE id = ?1"),
        &id
    )?
    .first(None)
    .await?;
    row.ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的计划 / no plan {id}")))
}

async fn checklist(db: &D1Database) -> AppResult<Vec<ChecklistItem>> {
    crate::db::checklist::all(db).await
}

fn body_json(body: &PlanBody) -> AppResult<String> {
    serde_json::to_string(body).map_err(|err| AppError::Internal(err.to_string()))
}

/// Trims the title; the rest is stored as sent.
fn tidy(body: &mut PlanBody) {
    body.title = body.title.trim().to_owned();
}

/// `GET /api/plans` with optional `?year=`: every version, newest year and version first.
pub(crate) async fn list_plans(ctx: Ctx) -> AppResult<Response> {
    let rows: Vec<PlanRow> = match ctx.query("year").and_then(|y| y.parse::<i64>().ok()) {
        Some(year) => query!(
            &ctx.db,
            &format!("SELECT {PLAN_COLUMNS} FROM plans WHERE year = ?1 ORDER BY version DESC"),
            &year
        )?
        .all()
        .await?
        .results()?,
        None => ctx
            .db
            .prepare(format!(
                "SELECT {PLAN_COLUMNS} FROM plans ORDER BY year DESC, version DESC"
            ))
            .all()
            .await?
            .results()?,
    };
    let plans = rows
        .into_iter()
        .map(PlanRow::into_plan)
        .collect::<AppResult<Vec<_>>>()?;
    json(&PlanList { plans })
}

/// `GET /api/plans/:id`.
pub(crate) async fn get_plan(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    json(&load_plan(&ctx.db, id).await?.into_plan()?)
}

/// `POST /api/plans`: a new draft for the year, numbered after its last version. Refused while
/// the year has a draft (one at a time).
pub(crate) async fn create_plan(mut ctx: Ctx) -> AppResult<Response> {
    let mut request: NewPlanRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    require_planner(&session)?;
    let db = &ctx.db;
    tidy(&mut request.body);
    let issues = shared::plan::validate(request.year, &request.body, &checklist(db).await?);
    if !issues.is_empty() {
        return refusal(issues);
    }
    let drafts: Option<i64> = query!(
        db,
        "SELECT id FROM plans WHERE year = ?1 AND status = 'draft'",
        &request.year
    )?
    .first(Some("id"))
    .await?;
    if drafts.is_some() {
        return Err(draft_exists());
    }
    let text = body_json(&request.body)?;
    let now = now_rfc3339();
    let insert = query!(
        db,
        "INSERT INTO plans (year, version, body_json, created_at, created_by, updated_at, updated_by)
         SELECT ?1, COALESCE(MAX(version), 0) + 1, ?2, ?3, ?4, ?3, ?4 FROM plans WHERE year = ?1",
        &request.year,
        &text,
        &now,
        &session.account_id
    )?;
    let change = Change {
        action: "plan.create",
        target: format!("plan:{}", request.year),
        before_digest: String::new(),
        after_digest: shared::audit::record_digest(&text),
        detail: format!(
            "新建 {} 年度抽查计划草稿 / drafted the {} plan",
            request.year, request.year
        ),
    };
    let results = audit::commit(db, Actor::Account(&session), change, vec![insert])
        .await
        .map_err(storage_conflict)?;
    let id = results
        .first()
        .and_then(|result| result.meta().ok().flatten())
        .and_then(|meta| meta.last_row_id)
        .ok_or_else(|| AppError::Internal("no id for the new plan".to_owned()))?;
    Ok(json(&load_plan(db, id).await?.into_plan()?)?.with_status(201))
}

/// `PUT /api/plans/:id`: changes a draft; a published version is frozen (409).
pub(crate) async fn update_plan(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let mut request: UpdatePlanRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    require_planner(&session)?;
    let db = &ctx.db;
    let before = load_plan(db, id).await?;
    if before.status != "draft" {
        return Err(plan_published());
    }
    if before.revision != i64::from(request.revision) {
        return Err(revision_conflict());
    }
    tidy(&mut request.body);
    let issues = shared::plan::validate(before.year as u16, &request.body, &checklist(db).await?);
    if !issues.is_empty() {
        return refusal(issues);
    }
    let text = body_json(&request.body)?;
    let update = query!(
        db,
        "UPDATE plans SET body_json = ?1, revision = revision + 1, updated_at = ?2, updated_by = ?3
          WHERE id = ?4 AND status = 'draft'",
        &text,
        &now_rfc3339(),
        &session.account_id,
        &id
    )?;
    let change = Change {
        action: "plan.update",
        target: format!("plan:{}:v{}", before.year, before.version),
        before_digest: shared::audit::record_digest(&before.body_json),
        after_digest: shared::audit::record_digest(&text),
        detail: format!(
            "修改 {} 年度抽查计划第 {} 版草稿 / updated the draft",
            before.year, before.version
        ),
    };
    audit::commit(
        db,
        Actor::Account(&session),
        change,
        vec![revision_guard(db, id, request.revision)?, update],
    )
    .await
    .map_err(storage_conflict)?;
    json(&load_plan(db, id).await?.into_plan()?)
}

/// `POST /api/plans/:id/publish`: the draft, as it was at `revision`, becomes public and frozen.
pub(crate) async fn publish_plan(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let request: PublishPlanRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    require_planner(&session)?;
    let db = &ctx.db;
    let before = load_plan(db, id).await?;
    if before.status != "draft" {
        return Err(plan_published());
    }
    if before.revision != i64::from(request.revision) {
        return Err(revision_conflict());
    }
    // The checklist may have changed since the draft was saved.
    let issues = shared::plan::validate(before.year as u16, &before.body()?, &checklist(db).await?);
    if !issues.is_empty() {
        return refusal(issues);
    }
    let update = query!(
        db,
        "UPDATE plans SET status = 'published', published_at = ?1, published_by = ?2
          WHERE id = ?3 AND status = 'draft'",
        &now_rfc3339(),
        &session.account_id,
        &id
    )?;
    let change = Change {
        action: "plan.publish",
        target: format!("plan:{}:v{}", before.year, before.version),
        before_digest: String::new(),
        after_digest: shared::audit::record_digest(&before.body_json),
        detail: format!(
            "公开 {} 年度抽查计划第 {} 版 / published",
            before.year, before.version
        ),
    };
    audit::commit(
        db,
        Actor::Account(&session),
        change,
        vec![revision_guard(db, id, request.revision)?, update],
    )
    .await
    .map_err(storage_conflict)?;
    json(&load_plan(db, id).await?.into_plan()?)
}

fn year_param(ctx: &Ctx) -> AppResult<u16> {
    let year = ctx.id_param("year")?;
    if (2000..=2999).contains(&year) {
        Ok(year as u16)
    } else {
        Err(AppError::NotFound(format!(
            "年度须在 2000–2999 之间 / no year {year}"
        )))
    }
}

async fn published_rows(db: &D1Database, year: Option<u16>) -> AppResult<Vec<PlanRow>> {
    let rows = match year {
        Some(year) => query!(
            db,
            &format!(
                "SELECT {PLAN_COLUMNS} FROM plans WHERE status = 'published' AND year = ?1 ORDER BY version DESC"
            ),
            &year
        )?
        .all()
        .await?
        .results()?,
        None => db
            .prepare(format!(
                "SELECT {PLAN_COLUMNS} FROM plans WHERE status = 'published' ORDER BY year DESC, version DESC"
            ))
            .all()
            .await?
            .results()?,
    };
    Ok(rows)
}

fn public_version(row: &PlanRow) -> AppResult<PublicPlanVersion> {
    Ok(PublicPlanVersion {
        year: row.year as u16,
        version: row.version as u32,
        title: row.body()?.title,
        published_at: row.published_at.clone().unwrap_or_default(),
    })
}

/// Every published version, newest year and version first, as the public sees them.
pub(crate) async fn published_plans(db: &D1Database) -> AppResult<Vec<PublicPlan>> {
    published_rows(db, None)
        .await?
        .into_iter()
        .map(PlanRow::into_public)
        .collect()
}

/// `GET /api/public/plans`: every published version of every year.
pub(crate) async fn list_public_plans(ctx: Ctx) -> AppResult<Response> {
    let plans = published_rows(&ctx.db, None)
        .await?
        .iter()
        .map(public_version)
        .collect::<AppResult<Vec<_>>>()?;
    json(&PublicPlanList { plans })
}

fn no_published_plan(year: u16) -> AppError {
    AppError::NotFound(format!(
        "{year} 年度尚无公开的抽查计划 / no published plan for {year}"
    ))
}

/// `GET /api/public/plans/:year`: the latest published version and the list of versions.
pub(crate) async fn get_public_plan(ctx: Ctx) -> AppResult<Response> {
    let year = year_param(&ctx)?;
    let rows = published_rows(&ctx.db, Some(year)).await?;
    let versions = rows
        .iter()
        .map(public_version)
        .collect::<AppResult<Vec<_>>>()?;
    let latest = rows
        .into_iter()
        .next()
        .ok_or_else(|| no_published_plan(year))?;
    json(&PublicYearPlan {
        plan: latest.into_public()?,
        versions,
    })
}

/// `GET /api/public/plans/:year/versions/:version`: one published version.
pub(crate) async fn get_public_plan_version(ctx: Ctx) -> AppResult<Response> {
    let year = year_param(&ctx)?;
    let version = ctx.id_param("version")?;
    let row: Option<PlanRow> = query!(
        &ctx.db,
        &format!(
            "SELECT {PLAN_COLUMNS} FROM plans WHERE status = 'published' AND year = ?1 AND version = ?2"
        ),
        &year,
        &version
    )?
    .first(None)
    .await?;
    let row = row.ok_or_else(|| {
        AppError::NotFound(format!(
            "{year} 年度计划没有已公开的第 {version} 版 / no published version {version} of the {year} plan"
        ))
    })?;
    json(&row.into_public()?)
}

/// The plan progress is measured against: the latest published version, else the draft.
async fn governing_plan(db: &D1Database, year: u16) -> AppResult<Option<PlanRow>> {
    Ok(query!(
        db,
        &format!(
            "SELECT {PLAN_COLUMNS} FROM plans WHERE year = ?1
              ORDER BY status = 'published' DESC, version DESC LIMIT 1"
        ),
        &year
    )?
    .first(None)
    .await?)
}

#[derive(Deserialize)]
struct CategoryRow {
    category: String,
    active: i64,
    drawn: i64,
    inspected: i64,
}

fn parse_category(text: &str) -> AppResult<Category> {
    match text {
        "general" => Ok(Category::General),
        "key" => Ok(Category::Key),
        "special" => Ok(Category::Special),
        other => Err(AppError::Internal(format!("object category {other}"))),
    }
}

#[derive(Deserialize)]
struct MissingRow {
    id: i64,
    name: String,
    credit_code: String,
    category: String,
    region: String,
}

#[derive(Deserialize)]
struct ItemRow {
    item: i64,
}

/// Items checked by a live inspection of `year`.
async fn checked_items(db: &D1Database, year: u16) -> AppResult<BTreeSet<ChecklistItemId>> {
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

async fn year_progress_of(
    db: &D1Database,
    year: u16,
    plan: Option<&PlanRow>,
) -> AppResult<YearProgress> {
    let body = plan.map(PlanRow::body).transpose()?;
    // Active objects per category, and how many have a live inspection this year (the counter
    // cache object_yearly_counts follows live_inspections, see 0011).
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
        let category = parse_category(&row.category)?;
        if let Some(fact) = facts.iter_mut().find(|f| f.category == category) {
            fact.active = row.active as u32;
            fact.drawn = row.drawn as u32;
            fact.inspected = row.inspected as u32;
        }
    }
    let categories: Vec<_> = facts
        .iter()
        .map(|fact| category_progress(fact, body.as_ref()))
        .collect();
    let missing_rows: Vec<MissingRow> = query!(
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
    let missing = missing_rows
        .into_iter()
        .map(|row| {
            Ok(MissingObject {
                category: parse_category(&row.category)?,
                id: row.id,
                name: row.name,
                credit_code: row.credit_code,
                region: row.region,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let guaranteed = facts.iter().filter(|f| f.category != Category::General);
    let guarantee = GuaranteeProgress {
        total: guaranteed.clone().map(|f| f.active).sum(),
        covered: guaranteed.map(|f| f.inspected).sum(),
        missing,
    };
    let items = item_progress(
        body.as_ref(),
        &checklist(db).await?,
        &checked_items(db, year).await?,
    );
    Ok(YearProgress {
        year,
        plan: plan.map(PlanRow::reference).transpose()?,
        categories,
        guarantee,
        items,
    })
}

/// `GET /api/years/:year/progress`: the year against its plan's guarantees.
pub(crate) async fn year_progress(ctx: Ctx) -> AppResult<Response> {
    let year = year_param(&ctx)?;
    let plan = governing_plan(&ctx.db, year).await?;
    json(&year_progress_of(&ctx.db, year, plan.as_ref()).await?)
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

#[derive(Deserialize)]
struct DrawnRow {
    category: String,
    drawn: i64,
}

/// `GET /api/years/:year/quarters/:quarter`: what the plan calls for in the quarter, the tasks
/// made for it so far, and what the year still lacks.
pub(crate) async fn quarter_view(ctx: Ctx) -> AppResult<Response> {
    let year = year_param(&ctx)?;
    let quarter = ctx.id_param("quarter")?;
    if !(1..=4).contains(&quarter) {
        return Err(AppError::NotFound(format!(
            "季度须为 1–4 / no quarter {quarter}"
        )));
    }
    let quarter = quarter as u8;
    let db = &ctx.db;
    let plan = governing_plan(db, year).await?;
    let body = plan.as_ref().map(PlanRow::body).transpose()?;
    let progress = year_progress_of(db, year, plan.as_ref()).await?;
    let task_rows: Vec<QuarterTaskRow> = query!(
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
    let mut tasks = Vec::new();
    let mut task_items = Vec::new();
    for row in task_rows {
        let spec: DrawSpec = serde_json::from_str(&row.spec_json)
            .map_err(|err| AppError::Internal(format!("stored spec of task {}: {err}", row.id)))?;
        let parts: Vec<(String, Vec<ChecklistItemId>)> = spec
            .sections
            .iter()
            .map(|s| (s.section.as_str().to_owned(), s.items.clone()))
            .collect();
        tasks.push(QuarterTask {
            id: row.id,
            name: row.name,
            owner_section: row.owner_section,
            status: match row.status.as_str() {
                "draft" => TaskStatus::Draft,
                "sealed" => TaskStatus::Sealed,
                _ => TaskStatus::Committed,
            },
            sections: parts.iter().map(|(code, _)| code.clone()).collect(),
            draw_id: row.draw_id,
            selected: row.selected.map(|n| n as u32),
        });
        task_items.push(TaskItems {
            task: row.id,
            sections: parts,
        });
    }
    let drawn_rows: Vec<DrawnRow> = query!(
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
    let mut categories = Vec::new();
    for line in &progress.categories {
        let mut drawn = 0;
        for row in &drawn_rows {
            if parse_category(&row.category)? == line.category {
                drawn = row.drawn as u32;
            }
        }
        categories.push(quarter_category(line, body.as_ref(), quarter, drawn));
    }
    let checked: BTreeSet<ChecklistItemId> = progress.items.covered.iter().copied().collect();
    let sections = body
        .as_ref()
        .map(|body| quarter_sections(body, &task_items, &checked))
        .unwrap_or_default();
    json(&QuarterView {
        period: Period { year, quarter },
        plan: plan.as_ref().map(PlanRow::reference).transpose()?,
        categories,
        sections,
        tasks,
        progress,
    })
}
