//! The annual plan (年度抽查计划): drafts, publishing, versions, the public copies, the year's
//! progress toward its guarantees and the quarter view. The arithmetic is `shared::plan`'s;
//! this module reads the facts from D1 and writes the versions. See `docs/plans.md`.

use std::collections::BTreeSet;

use shared::checklist::ChecklistItemId;
use shared::draw::{Category, Period};
use shared::plan::{
    GuaranteeProgress, NewPlanRequest, PlanBody, PlanList, PlanStatus, PublicPlanList,
    PublicYearPlan, PublishPlanRequest, QuarterTask, QuarterView, TaskItems, UpdatePlanRequest,
    YearProgress, category_progress, item_progress, quarter_category, quarter_sections,
};
use worker::{D1Database, Response};

use crate::audit::{self, Actor, Change};
use crate::ctx::{Ctx, json};
use crate::db::{self, StorageError, plans::StoredPlan};
use crate::error::{AppError, AppResult};
use crate::time::now_rfc3339;

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

async fn load_plan(db: &D1Database, id: i64) -> AppResult<StoredPlan> {
    db::plans::find(db, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的计划 / no plan {id}")))
}

/// A draft the caller may still change at `revision`.
async fn load_draft(db: &D1Database, id: i64, revision: u32) -> AppResult<StoredPlan> {
    let before = load_plan(db, id).await?;
    if before.plan.status != PlanStatus::Draft {
        return Err(plan_published());
    }
    if before.plan.revision != revision {
        return Err(revision_conflict());
    }
    Ok(before)
}

/// Refuses a plan body that fails `shared::plan::validate` against the checklist.
async fn check_body(db: &D1Database, year: u16, body: &PlanBody) -> AppResult<()> {
    let issues = shared::plan::validate(year, body, &db::checklist::all(db).await?);
    if issues.is_empty() {
        Ok(())
    } else {
        Err(AppError::invalid_plan(issues))
    }
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
    let year = ctx.query("year").and_then(|y| y.parse::<i64>().ok());
    let plans = db::plans::all(&ctx.db, year)
        .await?
        .into_iter()
        .map(|stored| stored.plan)
        .collect();
    json(&PlanList { plans })
}

/// `GET /api/plans/:id`.
pub(crate) async fn get_plan(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    json(&load_plan(&ctx.db, id).await?.plan)
}

/// `POST /api/plans`: a new draft for the year, numbered after its last version. Refused while
/// the year has a draft (one at a time).
pub(crate) async fn create_plan(mut ctx: Ctx) -> AppResult<Response> {
    let mut request: NewPlanRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    tidy(&mut request.body);
    check_body(db, request.year, &request.body).await?;
    if db::plans::has_draft(db, request.year).await? {
        return Err(draft_exists());
    }
    let text = body_json(&request.body)?;
    let now = now_rfc3339();
    let insert = db::plans::insert_draft(db, request.year, &text, &now, session.account_id)?;
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
    Ok(json(&load_plan(db, id).await?.plan)?.with_status(201))
}

/// `PUT /api/plans/:id`: changes a draft; a published version is frozen (409).
pub(crate) async fn update_plan(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let mut request: UpdatePlanRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let before = load_draft(db, id, request.revision).await?;
    let (year, version) = (before.plan.year, before.plan.version);
    tidy(&mut request.body);
    check_body(db, year, &request.body).await?;
    let text = body_json(&request.body)?;
    let update = db::plans::update_draft(db, id, &text, &now_rfc3339(), session.account_id)?;
    let change = Change {
        action: "plan.update",
        target: format!("plan:{year}:v{version}"),
        before_digest: shared::audit::record_digest(&before.body_json),
        after_digest: shared::audit::record_digest(&text),
        detail: format!("修改 {year} 年度抽查计划第 {version} 版草稿 / updated the draft"),
    };
    audit::commit(
        db,
        Actor::Account(&session),
        change,
        vec![db::plans::revision_guard(db, id, request.revision)?, update],
    )
    .await
    .map_err(storage_conflict)?;
    json(&load_plan(db, id).await?.plan)
}

/// `POST /api/plans/:id/publish`: the draft, as it was at `revision`, becomes public and frozen.
pub(crate) async fn publish_plan(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let request: PublishPlanRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let before = load_draft(db, id, request.revision).await?;
    let (year, version) = (before.plan.year, before.plan.version);
    // The checklist may have changed since the draft was saved.
    check_body(db, year, &before.plan.body).await?;
    let update = db::plans::publish(db, id, &now_rfc3339(), session.account_id)?;
    let change = Change {
        action: "plan.publish",
        target: format!("plan:{year}:v{version}"),
        before_digest: String::new(),
        after_digest: shared::audit::record_digest(&before.body_json),
        detail: format!("公开 {year} 年度抽查计划第 {version} 版 / published"),
    };
    audit::commit(
        db,
        Actor::Account(&session),
        change,
        vec![db::plans::revision_guard(db, id, request.revision)?, update],
    )
    .await
    .map_err(storage_conflict)?;
    json(&load_plan(db, id).await?.plan)
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

/// `GET /api/public/plans`: every published version of every year.
pub(crate) async fn list_public_plans(ctx: Ctx) -> AppResult<Response> {
    let plans = db::plans::published(&ctx.db, None)
        .await?
        .iter()
        .map(StoredPlan::public_version)
        .collect();
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
    let rows = db::plans::published(&ctx.db, Some(year)).await?;
    let versions = rows.iter().map(StoredPlan::public_version).collect();
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
    let row = db::plans::published_version(&ctx.db, year, version)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "{year} 年度计划没有已公开的第 {version} 版 / no published version {version} of the {year} plan"
            ))
        })?;
    json(&row.into_public()?)
}

async fn year_progress_of(
    db: &D1Database,
    year: u16,
    plan: Option<&StoredPlan>,
) -> AppResult<YearProgress> {
    let body = plan.map(|stored| &stored.plan.body);
    let facts = db::plans::category_facts(db, year).await?;
    let categories: Vec<_> = facts
        .iter()
        .map(|fact| category_progress(fact, body))
        .collect();
    let guaranteed = facts.iter().filter(|f| f.category != Category::General);
    let guarantee = GuaranteeProgress {
        total: guaranteed.clone().map(|f| f.active).sum(),
        covered: guaranteed.map(|f| f.inspected).sum(),
        missing: db::plans::missing_objects(db, year).await?,
    };
    let items = item_progress(
        body,
        &db::checklist::all(db).await?,
        &db::plans::checked_items(db, year).await?,
    );
    Ok(YearProgress {
        year,
        plan: plan.map(StoredPlan::reference),
        categories,
        guarantee,
        items,
    })
}

/// `GET /api/years/:year/progress`: the year against its plan's guarantees.
pub(crate) async fn year_progress(ctx: Ctx) -> AppResult<Response> {
    let year = year_param(&ctx)?;
    let plan = db::plans::governing(&ctx.db, year).await?;
    json(&year_progress_of(&ctx.db, year, plan.as_ref()).await?)
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
    let plan = db::plans::governing(db, year).await?;
    let body = plan.as_ref().map(|stored| &stored.plan.body);
    let progress = year_progress_of(db, year, plan.as_ref()).await?;
    let mut tasks = Vec::new();
    let mut task_items = Vec::new();
    for row in db::plans::quarter_tasks(db, year, quarter).await? {
        let parts: Vec<(String, Vec<ChecklistItemId>)> = row
            .spec
            .sections
            .iter()
            .map(|s| (s.section.as_str().to_owned(), s.items.clone()))
            .collect();
        tasks.push(QuarterTask {
            id: row.id,
            name: row.name,
            owner_section: row.owner_section,
            status: row.status,
            sections: parts.iter().map(|(code, _)| code.clone()).collect(),
            draw_id: row.draw_id,
            selected: row.selected,
        });
        task_items.push(TaskItems {
            task: row.id,
            sections: parts,
        });
    }
    let drawn = db::plans::drawn_in_quarter(db, year, quarter).await?;
    let categories = progress
        .categories
        .iter()
        .map(|line| {
            let drawn = drawn
                .iter()
                .rev()
                .find(|(category, _)| *category == line.category)
                .map_or(0, |(_, count)| *count);
            quarter_category(line, body, quarter, drawn)
        })
        .collect();
    let checked: BTreeSet<ChecklistItemId> = progress.items.covered.iter().copied().collect();
    let sections = body
        .map(|body| quarter_sections(body, &task_items, &checked))
        .unwrap_or_default();
    json(&QuarterView {
        period: Period { year, quarter },
        plan: plan.as_ref().map(StoredPlan::reference),
        categories,
        sections,
        tasks,
        progress,
    })
}
