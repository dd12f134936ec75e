//! Statistics (统计): the figures of a year or quarter, and the yearly counts per inspector and
//! per object. Read-only. The SQL only fetches rows; every figure is computed by
//! `shared::stats`, so the browser, the tests and the reports agree on what a figure means
//! (definitions: docs/statistics.md).
//!
//! Every role with `read_statistics` sees the bureau-wide figures, a section account too:
//! they are aggregates with no personal data (the inspector counts carry name and department,
//! never phone numbers), and a section's own share is one row of `by_section`.
//!
//! The queries, and their plans, are in `db::stats`.

use shared::calendar::Date;
use shared::records::ItemRef;
use shared::stats::{
    self, InspectorCounts, MAX_OBJECT_PAGE_SIZE, OBJECT_PAGE_SIZE, ObjectCounts, StatisticsInput,
};
use worker::Response;

use crate::ctx::{Ctx, json};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::time::china_today;

fn invalid_query(message: &str) -> AppError {
    AppError::bad_request("invalid_query", message.to_owned())
}

/// `?year=` (2000–2999; default: this year in China).
fn year_param(ctx: &Ctx, today: Date) -> AppResult<i32> {
    match ctx.query("year") {
        None => Ok(today.year()),
        Some(text) => text
            .parse::<i32>()
            .ok()
            .filter(|year| (2000..=2999).contains(year))
            .ok_or_else(|| invalid_query("年度须为 2000–2999 / year must be 2000–2999")),
    }
}

/// `?quarter=` (1–4; absent: the whole year).
fn quarter_param(ctx: &Ctx) -> AppResult<Option<u8>> {
    match ctx.query("quarter") {
        None => Ok(None),
        Some(text) => text
            .parse::<u8>()
            .ok()
            .filter(|quarter| (1..=4).contains(quarter))
            .map(Some)
            .ok_or_else(|| invalid_query("季度须为 1–4 / quarter must be 1–4")),
    }
}

/// `GET /api/statistics?year=&quarter=`.
pub(crate) async fn statistics(ctx: Ctx) -> AppResult<Response> {
    let today = china_today();
    let year = year_param(&ctx, today)?;
    let quarter = quarter_param(&ctx)?;
    let db = &ctx.db;
    let facts = db::stats::inspection_facts(db, year).await?;
    let checklist: Vec<ItemRef> = db::checklist::all(db)
        .await?
        .into_iter()
        .map(|item| ItemRef {
            id: item.id,
            code: item.code,
            content: item.content,
        })
        .collect();
    let key_special = db::objects::active_key_special_count(db).await?;
    json(&stats::compute(&StatisticsInput {
        year,
        quarter,
        today,
        inspections: &facts,
        checklist: &checklist,
        key_special_objects: key_special,
    }))
}

/// `GET /api/statistics/inspectors?year=`: every active inspector and every inspector with an
/// inspection that year, most inspections first. Name and department only.
pub(crate) async fn inspectors(ctx: Ctx) -> AppResult<Response> {
    let year = year_param(&ctx, china_today())?;
    json(&InspectorCounts {
        year,
        inspectors: db::stats::inspector_counts(&ctx.db, year).await?,
    })
}

/// `GET /api/statistics/objects?year=&q=&offset=&limit=`: without `q`, the objects inspected
/// that year, most inspections first (the top of the list is the top N); with `q`, every object
/// whose name contains it or whose credit code starts with it, inspected or not.
pub(crate) async fn objects(ctx: Ctx) -> AppResult<Response> {
    let year = year_param(&ctx, china_today())?;
    let limit = ctx
        .query("limit")
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(OBJECT_PAGE_SIZE)
        .clamp(1, MAX_OBJECT_PAGE_SIZE);
    let offset = ctx
        .query("offset")
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(0);
    let (objects, total) =
        db::stats::object_counts(&ctx.db, year, ctx.query("q"), limit, offset).await?;
    let end = u64::from(offset) + objects.len() as u64;
    json(&ObjectCounts {
        year,
        objects,
        total,
        next_offset: (end < total).then_some(end),
    })
}
