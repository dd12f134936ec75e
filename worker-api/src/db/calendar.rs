//! The working-day calendar's entered schedules (`calendar_schedules`, migration 0017,
//! append-only): one row per version of a year's notice. The calendar every deadline is
//! counted in is the shipped one plus each year's newest version ([`load`]).

use serde::Deserialize;
use shared::calendar::{Calendar, YearSchedule};
use worker::{D1Database, D1PreparedStatement, query};

use crate::error::{AppError, AppResult};

#[derive(Deserialize)]
struct Row {
    year: i64,
    version: i64,
    schedule_text: String,
    source: String,
    entered_at: String,
    entered_by: String,
}

/// One stored version of a year's schedule, with who entered it (their user name).
pub(crate) struct StoredSchedule {
    pub(crate) year: i32,
    pub(crate) version: u32,
    pub(crate) text: String,
    pub(crate) source: String,
    pub(crate) entered_at: String,
    pub(crate) entered_by: String,
}

impl Row {
    fn into_stored(self) -> StoredSchedule {
        StoredSchedule {
            year: self.year as i32,
            version: self.version as u32,
            text: self.schedule_text,
            source: self.source,
            entered_at: self.entered_at,
            entered_by: self.entered_by,
        }
    }
}

const SELECT: &str = "SELECT c.year, c.version, c.schedule_text, c.source, c.entered_at, \
     a.username AS entered_by \
     FROM calendar_schedules c JOIN accounts a ON a.id = c.entered_by";

/// The newest version of every year that has one, by year.
pub(crate) async fn current(db: &D1Database) -> AppResult<Vec<StoredSchedule>> {
    let rows: Vec<Row> = db
        .prepare(format!(
            "{SELECT} WHERE c.version = (SELECT MAX(version) FROM calendar_schedules \
             WHERE year = c.year) ORDER BY c.year"
        ))
        .all()
        .await?
        .results()?;
    Ok(rows.into_iter().map(Row::into_stored).collect())
}

/// Every version of `year`, newest first.
pub(crate) async fn history(db: &D1Database, year: i32) -> AppResult<Vec<StoredSchedule>> {
    let rows: Vec<Row> = query!(
        db,
        &format!("{SELECT} WHERE c.year = ?1 ORDER BY c.version DESC"),
        &year
    )?
    .all()
    .await?
    .results()?;
    Ok(rows.into_iter().map(Row::into_stored).collect())
}

/// The calendar deadlines are counted in: the shipped schedules plus each year's newest
/// entered version. A stored text that no longer parses is a 500 (it was checked on entry).
pub(crate) async fn load(db: &D1Database) -> AppResult<Calendar> {
    let schedules = current(db)
        .await?
        .into_iter()
        .map(|stored| {
            YearSchedule::parse(&stored.text).map_err(|err| {
                AppError::Internal(format!(
                    "calendar_schedules {} v{}: {err}",
                    stored.year, stored.version
                ))
            })
        })
        .collect::<AppResult<Vec<YearSchedule>>>()?;
    Calendar::with_entered(&schedules).map_err(|err| AppError::Internal(err.to_string()))
}

/// What a new version stores.
pub(crate) struct NewSchedule<'a> {
    pub(crate) year: i32,
    pub(crate) version: u32,
    pub(crate) text: &'a str,
    pub(crate) source: &'a str,
    pub(crate) entered_at: &'a str,
    pub(crate) entered_by: i64,
}

/// Inserts version `schedule.version` of its year. `UNIQUE (year, version)` makes a second
/// writer starting from the same version fail (a unique-key error the caller answers as 409).
pub(crate) fn insert(
    db: &D1Database,
    schedule: &NewSchedule<'_>,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO calendar_schedules (year, version, schedule_text, source, entered_at, entered_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &schedule.year,
        &schedule.version,
        &schedule.text,
        &schedule.source,
        &schedule.entered_at,
        &schedule.entered_by
    )?)
}
