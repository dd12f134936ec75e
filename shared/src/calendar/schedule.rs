//! Parsing the holiday schedule data file (`schedule.txt`) into a [`Calendar`].
//!
//! The format is line-based; see `schedule.txt` itself and `docs/calendar.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{CalendarError, Date};

/// The longest `off` range accepted, in days. The longest real one is a 9-day 春节 (2026);
/// the limit catches a mistyped month, not a policy change (raise it if one ever needs it).
const LONGEST_HOLIDAY_DAYS: i64 = 15;

/// Years a schedule may declare. Anything outside is surely a typo.
const SCHEDULE_YEARS: std::ops::RangeInclusive<i32> = 1949..=9998;

/// A holiday named in the State Council's notices, as the notice names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Festival {
    /// 元旦
    NewYearsDay,
    /// 春节
    SpringFestival,
    /// 清明节
    QingmingFestival,
    /// 劳动节
    LabourDay,
    /// 端午节
    DragonBoatFestival,
    /// 中秋节
    MidAutumnFestival,
    /// 国庆节
    NationalDay,
    /// 国庆节、中秋节: one combined period in years when 中秋 falls in the National Day
    /// week (2025). The notice does not say which day is which.
    NationalDayAndMidAutumn,
}

impl Festival {
    /// The name as the notice writes it, e.g. `国庆节`.
    pub fn chinese_name(self) -> &'static str {
        match self {
            Festival::NewYearsDay => "元旦",
            Festival::SpringFestival => "春节",
            Festival::QingmingFestival => "清明节",
            Festival::LabourDay => "劳动节",
            Festival::DragonBoatFestival => "端午节",
            Festival::MidAutumnFestival => "中秋节",
            Festival::NationalDay => "国庆节",
            Festival::NationalDayAndMidAutumn => "国庆节、中秋节",
        }
    }

    fn from_chinese_name(name: &str) -> Option<Festival> {
        Some(match name {
            "元旦" => Festival::NewYearsDay,
            "春节" => Festival::SpringFestival,
            "清明节" => Festival::QingmingFestival,
            "劳动节" => Festival::LabourDay,
            "端午节" => Festival::DragonBoatFestival,
            "中秋节" => Festival::MidAutumnFestival,
            "国庆节" => Festival::NationalDay,
            // Older notices (2017, 2020, 2023) put 中秋节 first.
            "国庆节、中秋节" | "中秋节、国庆节" => Festival::NationalDayAndMidAutumn,
            _ => return None,
        })
    }
}

impl fmt::Display for Festival {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.chinese_name())
    }
}

/// What kind of day a date is in the official schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayKind {
    /// Monday to Friday, not a holiday: a working day.
    Weekday,
    /// Saturday or Sunday, not made a working day: a rest day.
    Weekend,
    /// A day off of the named holiday period (放假), whatever day of the week.
    Holiday(Festival),
    /// A Saturday or Sunday made a working day (调休上班) for the named holiday.
    MakeUpWorkday(Festival),
}

impl DayKind {
    /// Whether government offices work that day.
    pub fn is_working_day(self) -> bool {
        matches!(self, DayKind::Weekday | DayKind::MakeUpWorkday(_))
    }
}

/// A problem in the schedule data: which line (from 1) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("schedule line {line}: {message}")]
pub struct ScheduleError {
    pub line: usize,
    pub message: String,
}

/// A working-day calendar: a run of consecutive years whose holiday schedules are known.
///
/// The official one is [`Calendar::official`]; [`Calendar::parse`] builds one from text in the
/// same format (tests, or checking next year's lines before they are added).
///
/// A calendar also takes schedules entered later, one year each ([`Calendar::enter`]); for a
/// year with no schedule at all, [`Calendar::day`] and [`Calendar::deadline`] fall back to
/// the provisional rule ([`provisional_day_kind`]) and say so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Year → the notice it comes from, as written on its `year` line.
    sources: BTreeMap<i32, String>,
    /// The years whose schedules were entered later (not parsed from the shipped text).
    entered: BTreeSet<i32>,
    /// Only the listed days; every other day of a known year follows the weekday rule.
    exceptions: BTreeMap<Date, DayKind>,
}

impl Calendar {
    /// Parses a schedule, checking it as it goes. See `docs/calendar.md` for the format.
    pub fn parse(text: &str) -> Result<Calendar, ScheduleError> {
        Calendar::parse_lines(text, false)
    }

    /// Parses `text`; with `one_year`, a second `year` line is refused.
    fn parse_lines(text: &str, one_year: bool) -> Result<Calendar, ScheduleError> {
        let mut sources: BTreeMap<i32, String> = BTreeMap::new();
        let mut exceptions: BTreeMap<Date, DayKind> = BTreeMap::new();
        let mut current_year: Option<i32> = None;

        for (index, raw_line) in text.lines().enumerate() {
            let line_number = index + 1;
            let error = |message: String| ScheduleError {
                line: line_number,
                message,
            };
            let line = match raw_line.find('#') {
                Some(comment_start) => &raw_line[..comment_start],
                None => raw_line,
            };
            let mut words = line.split_whitespace();
            let Some(keyword) = words.next() else {
                continue;
            };
            match keyword {
                "year" => {
                    let year_text = words
                        .next()
                        .ok_or_else(|| error("`year` needs a year and its source".to_owned()))?;
                    let year = year_text
                        .parse::<i32>()
                        .ok()
                        .filter(|year| SCHEDULE_YEARS.contains(year))
                        .ok_or_else(|| error(format!("`{year_text}` is not a year")))?;
                    let source = words.collect::<Vec<_>>().join(" ");
                    if source.is_empty() {
                        return Err(error(format!(
                            "year {year} must cite the notice it comes from"
                        )));
                    }
                    if let Some(previous) = current_year
                        && one_year
                    {
                        return Err(error(format!(
                            "a schedule holds one year: {previous} is already declared, enter \
                             {year} as a schedule of its own"
                        )));
                    }
                    if let Some(previous) = current_year
                        && year != previous + 1
                    {
                        return Err(error(format!(
                            "year {year} follows {previous}: years must be consecutive and ascending"
                        )));
                    }
                    sources.insert(year, source);
                    current_year = Some(year);
                }
                "off" | "work" => {
                    let year = current_year
                        .ok_or_else(|| error(format!("`{keyword}` before any `year` line")))?;
                    let (Some(dates), Some(name), None) =
                        (words.next(), words.next(), words.next())
                    else {
                        return Err(error(format!(
                            "expected `{keyword} DATE{} NAME`",
                            if keyword == "off" { "[..DATE]" } else { "" }
                        )));
                    };
                    let festival = Festival::from_chinese_name(name)
                        .ok_or_else(|| error(format!("unknown holiday name `{name}`")))?;
                    let parse_date =
                        |text: &str| text.parse::<Date>().map_err(|e| error(e.to_string()));
                    let (first, last) = match dates.split_once("..") {
                        Some((first, last)) if keyword == "off" => {
                            (parse_date(first)?, parse_date(last)?)
                        }
                        Some(_) => {
                            return Err(error(
                                "a make-up working day is one date, not a range".to_owned(),
                            ));
                        }
                        None => {
                            let date = parse_date(dates)?;
                            (date, date)
                        }
                    };
                    if last.year() != year {
                        return Err(error(format!(
                            "{last} is not in {year}, the year of this block"
                        )));
                    }
                    let length = last.days_since_unix_epoch() - first.days_since_unix_epoch() + 1;
                    if !(1..=LONGEST_HOLIDAY_DAYS).contains(&length) {
                        return Err(error(format!(
                            "{first}..{last} is not a range of 1 to {LONGEST_HOLIDAY_DAYS} days"
                        )));
                    }
                    let kind = if keyword == "off" {
                        DayKind::Holiday(festival)
                    } else {
                        if !first.weekday().is_weekend() {
                            return Err(error(format!(
                                "{first} is a {}: a make-up working day is always a Saturday or Sunday",
                                first.weekday().chinese_name()
                            )));
                        }
                        DayKind::MakeUpWorkday(festival)
                    };
                    let mut date = first;
                    loop {
                        if exceptions.insert(date, kind).is_some() {
                            return Err(error(format!("{date} is listed twice")));
                        }
                        if date == last {
                            break;
                        }
                        date = date
                            .next_day()
                            .ok_or_else(|| error(format!("{date} has no next day")))?;
                    }
                }
                other => {
                    return Err(error(format!(
                        "unknown statement `{other}` (expected `year`, `off` or `work`)"
                    )));
                }
            }
        }

        if sources.is_empty() {
            return Err(ScheduleError {
                line: 0,
                message: "the schedule declares no year".to_owned(),
            });
        }
        Ok(Calendar {
            sources,
            entered: BTreeSet::new(),
            exceptions,
        })
    }

    /// The first and last years whose schedules are known (inclusive). Years entered later
    /// may leave gaps: [`Calendar::year_state`] tells each year apart.
    pub fn known_years(&self) -> std::ops::RangeInclusive<i32> {
        let first = self.sources.keys().next().copied().unwrap_or(0);
        let last = self.sources.keys().next_back().copied().unwrap_or(-1);
        first..=last
    }

    /// Every year with a schedule, shipped or entered, in order.
    pub fn scheduled_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.sources.keys().copied()
    }

    /// Where `year`'s working days come from.
    pub fn year_state(&self, year: i32) -> YearState {
        if !self.sources.contains_key(&year) {
            YearState::Provisional
        } else if self.entered.contains(&year) {
            YearState::Entered
        } else {
            YearState::Shipped
        }
    }

    /// Adds a schedule entered later for its year, replacing an earlier entered one (the
    /// provisional rule no longer applies to that year). A year whose schedule is shipped
    /// with the code cannot be replaced: [`CalendarError::ShippedYear`].
    pub fn enter(&mut self, schedule: &YearSchedule) -> Result<(), CalendarError> {
        let year = schedule.year;
        if self.year_state(year) == YearState::Shipped {
            return Err(CalendarError::ShippedYear { year });
        }
        self.exceptions.retain(|date, _| date.year() != year);
        self.exceptions
            .extend(schedule.days.iter().map(|day| (day.date, day.kind)));
        self.sources.insert(year, schedule.source.clone());
        self.entered.insert(year);
        Ok(())
    }

    /// What kind of day `date` is, never failing: from its year's schedule if there is one,
    /// else by the provisional rule, marked `provisional`.
    pub fn day(&self, date: Date) -> Day {
        if self.sources.contains_key(&date.year()) {
            Day {
                kind: self.known_day_kind(date),
                provisional: false,
            }
        } else {
            Day {
                kind: provisional_day_kind(date),
                provisional: true,
            }
        }
    }

    /// The `working_days`-th working day after `date` (the start day never counts), counting
    /// a year without a schedule provisionally: the result is `provisional` if any day from
    /// `date` to it lies in such a year. Fails only past the last representable date.
    pub fn deadline(&self, date: Date, working_days: u32) -> Result<Deadline, CalendarError> {
        let mut provisional = self.day(date).provisional;
        let mut current = date;
        let mut remaining = working_days;
        while remaining > 0 {
            current = current
                .next_day()
                .ok_or(CalendarError::BeyondTheCalendar { date: current })?;
            let day = self.day(current);
            provisional |= day.provisional;
            if day.kind.is_working_day() {
                remaining -= 1;
            }
        }
        Ok(Deadline {
            date: current,
            provisional,
        })
    }

    /// Working days `d` with `from < d <= to` (negative when `to` is before `from`), counting
    /// years without a schedule provisionally and saying so.
    pub fn count_working_days(&self, from: Date, to: Date) -> WorkingDayCount {
        let (start, end, sign) = if from <= to {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let mut provisional = self.day(start).provisional;
        let mut count: i64 = 0;
        let mut current = start;
        while current < end {
            let Some(next) = current.next_day() else {
                break;
            };
            current = next;
            let day = self.day(current);
            provisional |= day.provisional;
            if day.kind.is_working_day() {
                count += 1;
            }
        }
        WorkingDayCount {
            days: sign * count,
            provisional,
        }
    }

    /// The result-entry deadline ([`super::RESULT_ENTRY_WORKING_DAYS`] working days) of an
    /// inspection on `inspection_date`, provisional where a year has no schedule.
    pub fn result_entry_deadline(&self, inspection_date: Date) -> Result<Deadline, CalendarError> {
        self.deadline(inspection_date, super::RESULT_ENTRY_WORKING_DAYS)
    }

    /// The publication deadline ([`super::PUBLICATION_WORKING_DAYS`] working days) of a task
    /// completed on `task_completed`, provisional where a year has no schedule.
    pub fn publication_deadline(&self, task_completed: Date) -> Result<Deadline, CalendarError> {
        self.deadline(task_completed, super::PUBLICATION_WORKING_DAYS)
    }

    /// The kind of a day in a year that has a schedule.
    fn known_day_kind(&self, date: Date) -> DayKind {
        match self.exceptions.get(&date) {
            Some(kind) => *kind,
            None if date.weekday().is_weekend() => DayKind::Weekend,
            None => DayKind::Weekday,
        }
    }

    /// The notice a known year's schedule comes from, as cited in the data file.
    pub fn source(&self, year: i32) -> Option<&str> {
        self.sources.get(&year).map(String::as_str)
    }

    /// Ok if `year`'s schedule is known, else [`CalendarError::YearNotKnown`].
    pub fn check_year(&self, year: i32) -> Result<(), CalendarError> {
        if self.sources.contains_key(&year) {
            Ok(())
        } else {
            Err(self.year_not_known(year))
        }
    }

    /// What kind of day `date` is. Errors for a date outside the known years.
    pub fn day_kind(&self, date: Date) -> Result<DayKind, CalendarError> {
        self.check_year(date.year())?;
        Ok(self.known_day_kind(date))
    }

    /// See [`super::is_working_day`].
    pub fn is_working_day(&self, date: Date) -> Result<bool, CalendarError> {
        Ok(self.day_kind(date)?.is_working_day())
    }

    /// See [`super::holiday_name`].
    pub fn holiday_name(&self, date: Date) -> Result<Option<&'static str>, CalendarError> {
        Ok(match self.day_kind(date)? {
            DayKind::Holiday(festival) => Some(festival.chinese_name()),
            _ => None,
        })
    }

    /// See [`super::add_working_days`].
    pub fn add_working_days(&self, date: Date, working_days: u32) -> Result<Date, CalendarError> {
        self.check_year(date.year())?;
        let mut current = date;
        let mut remaining = working_days;
        while remaining > 0 {
            current = self.day_after(current)?;
            if self.is_working_day(current)? {
                remaining -= 1;
            }
        }
        Ok(current)
    }

    /// See [`super::working_days_between`].
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<i64, CalendarError> {
        self.check_year(from.year())?;
        self.check_year(to.year())?;
        let (start, end, sign) = if from <= to {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let mut count: i64 = 0;
        let mut current = start;
        while current < end {
            current = self.day_after(current)?;
            if self.is_working_day(current)? {
                count += 1;
            }
        }
        Ok(sign * count)
    }

    /// The next day, which exists for every date of a known year (years stop at 9998).
    fn day_after(&self, date: Date) -> Result<Date, CalendarError> {
        date.next_day()
            .ok_or_else(|| self.year_not_known(date.year() + 1))
    }

    fn year_not_known(&self, year: i32) -> CalendarError {
        let years = self.known_years();
        CalendarError::YearNotKnown {
            year,
            first_known: *years.start(),
            last_known: *years.end(),
        }
    }
}

/// Where a year's working days come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum YearState {
    /// Its schedule ships with the code (`schedule.txt`).
    Shipped,
    /// Its schedule was entered later (by an admin, or from a file given to the CLI).
    Entered,
    /// No schedule: weekends and the fixed-date statutory holidays only ([`provisional_day_kind`]).
    Provisional,
}

/// One day as a calendar sees it: its kind, and whether that comes from the provisional rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Day {
    pub kind: DayKind,
    pub provisional: bool,
}

/// A deadline: its date, and whether any day counted to reach it came from the provisional
/// rule (暂定) — then it may move once that year's notice is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Deadline {
    pub date: Date,
    pub provisional: bool,
}

/// A count of working days, and whether a provisional day was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkingDayCount {
    pub days: i64,
    pub provisional: bool,
}

/// The provisional rule for a year whose notice is not yet entered: Saturdays and Sundays
/// are rest days, and so are the statutory holidays fixed to a date by the 全国年节及纪念日放假办法
/// (as revised 2024, in force from 2025): 元旦 1 January, 劳动节 1–2 May, 国庆节 1–3 October.
/// Everything else is a working day. The lunar holidays (春节, 端午节, 中秋节), 清明节 (a solar
/// term) and every 调休 are only known from the notice.
pub fn provisional_day_kind(date: Date) -> DayKind {
    match (date.month(), date.day()) {
        (1, 1) => DayKind::Holiday(Festival::NewYearsDay),
        (5, 1 | 2) => DayKind::Holiday(Festival::LabourDay),
        (10, 1..=3) => DayKind::Holiday(Festival::NationalDay),
        _ if date.weekday().is_weekend() => DayKind::Weekend,
        _ => DayKind::Weekday,
    }
}

/// One year's schedule as entered later (the same text format as `schedule.txt`, exactly one
/// `year` line): checked line by line, and listable for a preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearSchedule {
    pub year: i32,
    /// The notice it comes from, as written on its `year` line.
    pub source: String,
    /// The listed days (holidays and make-up working days), in date order.
    pub days: Vec<ScheduledDay>,
}

/// A day a schedule lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduledDay {
    pub date: Date,
    pub kind: DayKind,
}

/// A run of listed days as a notice states it: a holiday period, or one make-up working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchedulePeriod {
    pub first: Date,
    pub last: Date,
    /// A make-up working day (调休上班) rather than days off.
    pub make_up_workday: bool,
    /// The holiday as the notice names it, e.g. `国庆节`.
    pub name: String,
}

/// Groups listed days into periods: consecutive days of the same kind form one holiday
/// period; every make-up working day is a period of its own.
fn periods_of(days: &[ScheduledDay]) -> Vec<SchedulePeriod> {
    let mut periods: Vec<SchedulePeriod> = Vec::new();
    for day in days {
        let (make_up_workday, festival) = match day.kind {
            DayKind::Holiday(festival) => (false, festival),
            DayKind::MakeUpWorkday(festival) => (true, festival),
            DayKind::Weekday | DayKind::Weekend => continue,
        };
        if let Some(last) = periods.last_mut()
            && !make_up_workday
            && !last.make_up_workday
            && last.name == festival.chinese_name()
            && last.last.next_day() == Some(day.date)
        {
            last.last = day.date;
            continue;
        }
        periods.push(SchedulePeriod {
            first: day.date,
            last: day.date,
            make_up_workday,
            name: festival.chinese_name().to_owned(),
        });
    }
    periods
}

impl Calendar {
    /// The schedule of a year that has one (shipped or entered), as a [`YearSchedule`].
    pub fn year_schedule(&self, year: i32) -> Option<YearSchedule> {
        let source = self.sources.get(&year)?.clone();
        let days = self
            .exceptions
            .iter()
            .filter(|(date, _)| date.year() == year)
            .map(|(date, kind)| ScheduledDay {
                date: *date,
                kind: *kind,
            })
            .collect();
        Some(YearSchedule { year, source, days })
    }

    /// The years worth listing on a calendar page: every year with a schedule, and this year
    /// and the next (`today_year`, `today_year + 1`) even when they have none, in order.
    pub fn listed_years(&self, today_year: i32) -> Vec<i32> {
        let mut years: BTreeSet<i32> = self.sources.keys().copied().collect();
        years.insert(today_year);
        years.insert(today_year + 1);
        years.into_iter().collect()
    }
}

/// The days off the provisional rule gives `year` (元旦, 劳动节, 国庆节), as periods.
pub fn provisional_periods(year: i32) -> Vec<SchedulePeriod> {
    [(1, 1, 1), (5, 1, 2), (10, 1, 3)]
        .into_iter()
        .filter_map(|(month, first, last)| {
            let first = Date::new(year, month, first).ok()?;
            let last = Date::new(year, month, last).ok()?;
            let DayKind::Holiday(festival) = provisional_day_kind(first) else {
                return None;
            };
            Some(SchedulePeriod {
                first,
                last,
                make_up_workday: false,
                name: festival.chinese_name().to_owned(),
            })
        })
        .collect()
}

impl YearSchedule {
    /// Parses one year's schedule that must be for `year` (the year it is entered for); a
    /// schedule for another year is refused at its `year` line.
    pub fn parse_for(text: &str, year: i32) -> Result<YearSchedule, ScheduleError> {
        let schedule = YearSchedule::parse(text)?;
        if schedule.year != year {
            let line = text
                .lines()
                .position(|line| line.split_whitespace().next() == Some("year"))
                .map_or(0, |index| index + 1);
            return Err(ScheduleError {
                line,
                message: format!(
                    "this schedule is for {}, but it is being entered for {year}",
                    schedule.year
                ),
            });
        }
        Ok(schedule)
    }

    /// The listed days as the notice states them: holiday periods and make-up working days.
    pub fn periods(&self) -> Vec<SchedulePeriod> {
        periods_of(&self.days)
    }

    /// The schedule in the text format ([`YearSchedule::parse`] reads it back to the same
    /// value), e.g. to start editing a year from what is stored.
    pub fn to_text(&self) -> String {
        let mut text = format!("year {} {}\n", self.year, self.source);
        for period in self.periods() {
            if period.make_up_workday {
                text.push_str(&format!("work {} {}\n", period.first, period.name));
            } else if period.first == period.last {
                text.push_str(&format!("off  {} {}\n", period.first, period.name));
            } else {
                text.push_str(&format!(
                    "off  {}..{} {}\n",
                    period.first, period.last, period.name
                ));
            }
        }
        text
    }

    /// Parses one year's schedule; errors name the line (line 0: the text as a whole).
    pub fn parse(text: &str) -> Result<YearSchedule, ScheduleError> {
        let calendar = Calendar::parse_lines(text, true)?;
        let (year, source) = calendar
            .sources
            .into_iter()
            .next()
            .ok_or_else(|| ScheduleError {
                line: 0,
                message: "the schedule declares no year".to_owned(),
            })?;
        if !calendar
            .exceptions
            .values()
            .any(|kind| matches!(kind, DayKind::Holiday(_)))
        {
            return Err(ScheduleError {
                line: 0,
                message: format!("the schedule for {year} lists no day off (`off` line)"),
            });
        }
        Ok(YearSchedule {
            year,
            source,
            days: calendar
                .exceptions
                .into_iter()
                .map(|(date, kind)| ScheduledDay { date, kind })
                .collect(),
        })
    }
}
