//! The working-day calendar (工作日): China's official schedule of holidays and make-up working
//! days, and the seed's deadlines counted in working days.
//!
//! # Rules
//! A date is a **working day** if it is Monday to Friday and not a day off in the State
//! Council's notice for its year, or if it is a Saturday or Sunday that the notice makes a
//! working day (调休上班). Everything else (weekends, holiday periods) is a rest day.
//!
//! The schedules come from `schedule.txt` in this folder, one line per holiday period or
//! make-up working day, embedded at compile time. Only the years declared there are known;
//! any date outside them is [`CalendarError::YearNotKnown`], never a guess. To add a year, add
//! its lines to the file (see `docs/calendar.md`).
//!
//! # Counting
//! [`add_working_days`]`(date, n)` is the **n-th working day after `date`**: the day of the
//! event itself never counts, whether or not it is a working day. So an inspection on Friday
//! 2024-09-27 has its results due by [`result_entry_deadline`] = Saturday 2024-10-12 (the
//! make-up working days 09-29 and 10-12 count, 国庆 10-01..10-07 does not).
//!
//! [`working_days_between`]`(a, b)` counts the working days `d` with `a < d <= b` (a
//! excluded, b included), so `add_working_days(a, n) == b` implies `working_days_between(a, b)
//! == n`. It is negative when `b` is before `a`.
//!
//! # Years without a schedule, and schedules entered later
//! The free functions below use only the shipped schedules and refuse any other year. A
//! [`Calendar`] value also takes schedules entered later ([`Calendar::with_entered`], one
//! year each, the same text format, parsed by [`YearSchedule::parse`]), and its
//! [`Calendar::deadline`] / [`Calendar::day`] count a year that has no schedule at all
//! **provisionally** ([`provisional_day_kind`]: weekends plus 元旦 1 Jan, 劳动节 1–2 May and
//! 国庆节 1–3 Oct), marking every result that used such a day as provisional (暂定). The
//! worker, the browser and the CLI compute deadlines with such a value, passed as an argument.
//!
//! No I/O, no clock: "today" is always an argument.

mod date;
mod schedule;

use std::sync::OnceLock;

pub use date::{Date, MAX_YEAR, MIN_YEAR, Weekday};
pub use schedule::{
    Calendar, Day, DayKind, Deadline, Festival, ScheduleError, SchedulePeriod, ScheduledDay,
    WorkingDayCount, YearSchedule, YearState, provisional_day_kind, provisional_periods,
};

use serde::{Deserialize, Serialize};

/// The longest schedule text accepted (a real notice is ≈ 1 KB in this format).
pub const MAX_SCHEDULE_TEXT: usize = 20_000;

/// One year of `GET /api/calendar`: where its working days come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarYearInfo {
    pub year: i32,
    pub state: YearState,
    /// The entered version in force (`None` when shipped or provisional).
    pub version: Option<u32>,
    /// The notice it cites (`None` when provisional).
    pub source: Option<String>,
    /// When and by whom the version in force was entered.
    pub entered_at: Option<String>,
    pub entered_by: Option<String>,
}

/// `GET /api/calendar`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarOverview {
    pub years: Vec<CalendarYearInfo>,
}

/// An entered version of a year's schedule, as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleVersionInfo {
    pub version: u32,
    pub source: String,
    pub entered_at: String,
    pub entered_by: String,
}

/// `GET /api/calendar/:year`: the year's schedule in force, its days, its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarYearDetail {
    pub year: i32,
    pub state: YearState,
    /// The entered version in force, 0 if none: a `PUT` names it as `expected_version`.
    pub version: u32,
    /// The schedule in force in the text format (empty when provisional).
    pub text: String,
    /// The holidays and make-up working days in force (when provisional: the rule's days off).
    pub periods: Vec<SchedulePeriod>,
    /// Every entered version, newest first.
    pub history: Vec<ScheduleVersionInfo>,
}

/// `PUT /api/calendar/:year`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnterScheduleRequest {
    /// The schedule in the text format, exactly one `year` line (for this year).
    pub text: String,
    /// The version this edit started from (0 when none was entered yet).
    pub expected_version: u32,
}

/// Working days after an inspection within which its result must be entered (seed 五(三):
/// 在检查完成后7个工作日内录入).
pub const RESULT_ENTRY_WORKING_DAYS: u32 = 7;

/// Working days after a task is completed within which its results must be published (seed
/// 三(六): 抽查任务完成后20个工作日内公开).
pub const PUBLICATION_WORKING_DAYS: u32 = 20;

/// The official schedule data, embedded. Format: see the file's header and `docs/calendar.md`.
pub const OFFICIAL_SCHEDULE: &str = include_str!("schedule.txt");

/// Everything that can go wrong with dates and the calendar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// Text that is not of the form `YYYY-MM-DD`.
    #[error("`{input}` is not a date: expected YYYY-MM-DD, for example 2024-10-08")]
    MalformedDate { input: String },
    /// Numbers of the right form that name no day (2025-02-29, month 13).
    #[error("{year:04}-{month:02}-{day:02} is not a day of the calendar (years 0001 to 9999)")]
    NonexistentDate { year: i32, month: u8, day: u8 },
    /// A date in a year whose State Council schedule is not in the data file.
    #[error(
        "the working-day schedule for {year} is not known (known years: {first_known} to \
         {last_known}); working days in {year} cannot be counted until the State Council's \
         notice for {year} is added to the calendar"
    )]
    YearNotKnown {
        year: i32,
        first_known: i32,
        last_known: i32,
    },
    /// The schedule data itself is broken (a test guards the embedded one).
    #[error("the holiday schedule is invalid: {0}")]
    InvalidSchedule(#[from] ScheduleError),
    /// An entered schedule for a year whose schedule ships with the code.
    #[error(
        "the schedule for {year} ships with the code (schedule.txt) and cannot be replaced by \
         an entered one"
    )]
    ShippedYear { year: i32 },
    /// Counting ran past 9999-12-31.
    #[error("no day follows {date}: the calendar ends there")]
    BeyondTheCalendar { date: Date },
}

impl Calendar {
    /// The official calendar, parsed once from [`OFFICIAL_SCHEDULE`].
    pub fn official() -> Result<&'static Calendar, CalendarError> {
        static OFFICIAL: OnceLock<Result<Calendar, ScheduleError>> = OnceLock::new();
        OFFICIAL
            .get_or_init(|| Calendar::parse(OFFICIAL_SCHEDULE))
            .as_ref()
            .map_err(|error| CalendarError::InvalidSchedule(error.clone()))
    }

    /// The shipped calendar plus schedules entered later, each replacing the provisional rule
    /// for its year (a later schedule for the same year replaces an earlier one). This is the
    /// calendar every deadline is computed in.
    pub fn with_entered<'a>(
        entered: impl IntoIterator<Item = &'a YearSchedule>,
    ) -> Result<Calendar, CalendarError> {
        let mut calendar = Calendar::official()?.clone();
        for schedule in entered {
            calendar.enter(schedule)?;
        }
        Ok(calendar)
    }
}

/// The years the official calendar knows, first to last inclusive.
pub fn known_years() -> Result<std::ops::RangeInclusive<i32>, CalendarError> {
    Ok(Calendar::official()?.known_years())
}

/// What kind of day `date` is: weekday, weekend, holiday (with its name) or make-up working day.
pub fn day_kind(date: Date) -> Result<DayKind, CalendarError> {
    Calendar::official()?.day_kind(date)
}

/// Whether `date` is a working day in the official calendar.
pub fn is_working_day(date: Date) -> Result<bool, CalendarError> {
    Calendar::official()?.is_working_day(date)
}

/// The holiday `date` is a day off for, e.g. `Some("国庆节")`; `None` on working days and
/// ordinary weekends.
pub fn holiday_name(date: Date) -> Result<Option<&'static str>, CalendarError> {
    Calendar::official()?.holiday_name(date)
}

/// The `working_days`-th working day after `date` (the start day never counts); `date` itself
/// when `working_days` is 0. Errors if any date from `date` to the result is in an unknown year.
pub fn add_working_days(date: Date, working_days: u32) -> Result<Date, CalendarError> {
    Calendar::official()?.add_working_days(date, working_days)
}

/// The number of working days `d` with `from < d <= to`; negative (the same count, negated)
/// when `to` is before `from`. Errors if any date between them is in an unknown year.
pub fn working_days_between(from: Date, to: Date) -> Result<i64, CalendarError> {
    Calendar::official()?.working_days_between(from, to)
}

/// The last day on which an inspection's result may be entered on time: the
/// [`RESULT_ENTRY_WORKING_DAYS`]-th working day after the inspection.
pub fn result_entry_deadline(inspection_date: Date) -> Result<Date, CalendarError> {
    add_working_days(inspection_date, RESULT_ENTRY_WORKING_DAYS)
}

/// The last day on which a completed task's results may be published on time: the
/// [`PUBLICATION_WORKING_DAYS`]-th working day after the task was completed.
pub fn publication_deadline(task_completed: Date) -> Result<Date, CalendarError> {
    add_working_days(task_completed, PUBLICATION_WORKING_DAYS)
}
