//! The working-day calendar (节假日安排): which years' schedules are shipped, entered or
//! provisional, each year's schedule and history, and an admin entering a year's notice.
//! Parsing and every rule are `shared::calendar`'s; the versions are in `db::calendar`.
//! See docs/calendar.md.

use std::collections::BTreeMap;

use shared::calendar::{
    Calendar, CalendarOverview, CalendarYearDetail, CalendarYearInfo, Date, EnterScheduleRequest,
    MAX_SCHEDULE_TEXT, ScheduleVersionInfo, YearSchedule, YearState, provisional_periods,
};
use shared::records::FieldError;
use worker::{D1Database, Response};

use crate::audit::{self, Actor, Change};
use crate::ctx::{Ctx, json};
use crate::db::{self, StorageError};
use crate::error::{AppError, AppResult};
use crate::time::{china_today, now_rfc3339};

/// `:year`, 2000–2999.
fn year_param(ctx: &Ctx) -> AppResult<i32> {
    let year = ctx.id_param("year")?;
    if (2000..=2999).contains(&year) {
        Ok(year as i32)
    } else {
        Err(AppError::NotFound(format!(
            "年度须为 2000–2999 / no calendar year {year}"
        )))
    }
}

fn version_conflict(year: i32) -> AppError {
    AppError::Conflict {
        code: "version_conflict",
        message: format!(
            "{year} 年节假日安排已被他人修改，请刷新后重试 / the {year} schedule changed meanwhile; reload and retry"
        ),
    }
}

fn schedule_field_error(line: usize, message: &str) -> AppError {
    let (zh, en) = if line == 0 {
        ("整体".to_owned(), "as a whole".to_owned())
    } else {
        (format!("第 {line} 行"), format!("line {line}"))
    };
    AppError::InvalidFields {
        code: "invalid_schedule",
        fields: vec![FieldError {
            field: "text".to_owned(),
            message: format!("节假日安排{zh}有误：{message} / schedule {en}: {message}"),
        }],
    }
}

async fn year_detail(db: &D1Database, year: i32) -> AppResult<CalendarYearDetail> {
    let calendar = db::calendar::load(db).await?;
    let history = db::calendar::history(db, year).await?;
    let state = calendar.year_state(year);
    let schedule = calendar.year_schedule(year);
    Ok(CalendarYearDetail {
        year,
        state,
        version: history.first().map_or(0, |newest| newest.version),
        text: schedule
            .as_ref()
            .map(YearSchedule::to_text)
            .unwrap_or_default(),
        periods: match &schedule {
            Some(schedule) => schedule.periods(),
            None => provisional_periods(year),
        },
        history: history
            .into_iter()
            .map(|stored| ScheduleVersionInfo {
                version: stored.version,
                source: stored.source,
                entered_at: stored.entered_at,
                entered_by: stored.entered_by,
            })
            .collect(),
    })
}

/// `GET /api/calendar`: every year with a schedule, and this year and the next, each with
/// where its working days come from (shipped / entered vN / provisional).
pub(crate) async fn overview(ctx: Ctx) -> AppResult<Response> {
    let db = &ctx.db;
    let calendar: Calendar = db::calendar::load(db).await?;
    let entered: BTreeMap<i32, db::calendar::StoredSchedule> = db::calendar::current(db)
        .await?
        .into_iter()
        .map(|stored| (stored.year, stored))
        .collect();
    let years = calendar
        .listed_years(china_today().year())
        .into_iter()
        .map(|year| {
            let stored = entered.get(&year);
            let state = calendar.year_state(year);
            CalendarYearInfo {
                year,
                state,
                version: stored.map(|s| s.version),
                source: calendar.source(year).map(str::to_owned),
                entered_at: stored.map(|s| s.entered_at.clone()),
                entered_by: stored.map(|s| s.entered_by.clone()),
            }
        })
        .collect();
    json(&CalendarOverview { years })
}

/// `GET /api/calendar/:year`: the year's schedule in force, its days and its history.
pub(crate) async fn year(ctx: Ctx) -> AppResult<Response> {
    let year = year_param(&ctx)?;
    json(&year_detail(&ctx.db, year).await?)
}

/// `GET /api/workdays/add?date=YYYY-MM-DD&n=N`: the N-th working day after `date` in the
/// calendar in force (what `suicha workdays add DATE N` prints), and whether it is provisional.
pub(crate) async fn workdays_add(ctx: Ctx) -> AppResult<Response> {
    let invalid = |message: &str| AppError::bad_request("invalid_query", message.to_owned());
    let date: Date = ctx
        .query("date")
        .and_then(|text| text.parse().ok())
        .ok_or_else(|| {
            invalid("date 须为 YYYY-MM-DD 格式的有效日期 / date must be a valid YYYY-MM-DD date")
        })?;
    let working_days: u32 = ctx
        .query("n")
        .and_then(|text| text.parse().ok())
        .filter(|n| *n <= 366)
        .ok_or_else(|| invalid("n 须为 0–366 的整数 / n must be a whole number from 0 to 366"))?;
    let calendar = db::calendar::load(&ctx.db).await?;
    let deadline = calendar
        .deadline(date, working_days)
        .map_err(|err| invalid(&err.to_string()))?;
    json(&deadline)
}

/// `PUT /api/calendar/:year`: an admin enters the year's notice, as the next version. The
/// text must parse (a field error names the line), be for this year, and the year must not
/// be one shipped with the code; `expected_version` must be the newest stored one (409
/// otherwise). Older versions stay; the change is audited.
pub(crate) async fn enter(mut ctx: Ctx) -> AppResult<Response> {
    let year = year_param(&ctx)?;
    let request: EnterScheduleRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    if request.text.len() > MAX_SCHEDULE_TEXT {
        return Err(schedule_field_error(
            0,
            &format!("longer than {MAX_SCHEDULE_TEXT} bytes"),
        ));
    }
    let schedule = YearSchedule::parse_for(&request.text, year)
        .map_err(|err| schedule_field_error(err.line, &err.message))?;
    let calendar = db::calendar::load(db).await?;
    if calendar.year_state(year) == YearState::Shipped {
        return Err(AppError::Conflict {
            code: "year_shipped",
            message: format!(
                "{year} 年的节假日安排随系统发布，不能在此修改 / the {year} schedule ships with the code and cannot be replaced"
            ),
        });
    }
    let history = db::calendar::history(db, year).await?;
    let current = history.first();
    let current_version = current.map_or(0, |stored| stored.version);
    if request.expected_version != current_version {
        return Err(version_conflict(year));
    }
    let version = current_version + 1;
    let now = now_rfc3339();
    let insert = db::calendar::insert(
        db,
        &db::calendar::NewSchedule {
            year,
            version,
            text: &request.text,
            source: &schedule.source,
            entered_at: &now,
            entered_by: session.account_id,
        },
    )?;
    let change = Change {
        action: "calendar.enter",
        target: format!("calendar:{year}:v{version}"),
        before_digest: current
            .map(|stored| shared::audit::record_digest(&stored.text))
            .unwrap_or_default(),
        after_digest: shared::audit::record_digest(&request.text),
        detail: format!(
            "录入 {year} 年节假日安排第 {version} 版（{}）/ entered the {year} holiday schedule, version {version}",
            schedule.source
        ),
    };
    audit::commit(db, Actor::Account(&session), change, vec![insert])
        .await
        .map_err(|err| match err {
            AppError::Storage(StorageError::Unique { .. }) => version_conflict(year),
            other => other,
        })?;
    json(&year_detail(db, year).await?)
}
