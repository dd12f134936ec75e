//! Parsing the holiday schedule data file (`schedule.txt`) into a [`Calendar`].
//!
//! The format is line-based; see `schedule.txt` itself and `docs/calendar.md`.

use std::collections::BTreeMap;
use std::fmt;

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    first_year: i32,
    last_year: i32,
    /// Year → the notice it comes from, as written on its `year` line.
    sources: BTreeMap<i32, String>,
    /// Only the listed days; every other day of a known year follows the weekday rule.
    exceptions: BTreeMap<Date, DayKind>,
}

impl Calendar {
    /// Parses a schedule, checking it as it goes. See `docs/calendar.md` for the format.
    pub fn parse(text: &str) -> Result<Calendar, ScheduleError> {
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

        let (Some((&first_year, _)), Some((&last_year, _))) =
            (sources.first_key_value(), sources.last_key_value())
        else {
            return Err(ScheduleError {
                line: 0,
                message: "the schedule declares no year".to_owned(),
            });
        };
        Ok(Calendar {
            first_year,
            last_year,
            sources,
            exceptions,
        })
    }

    /// The first and last years whose schedules are known (inclusive).
    pub fn known_years(&self) -> std::ops::RangeInclusive<i32> {
        self.first_year..=self.last_year
    }

    /// The notice a known year's schedule comes from, as cited in the data file.
    pub fn source(&self, year: i32) -> Option<&str> {
        self.sources.get(&year).map(String::as_str)
    }

    /// Ok if `year`'s schedule is known, else [`CalendarError::YearNotKnown`].
    pub fn check_year(&self, year: i32) -> Result<(), CalendarError> {
        if self.known_years().contains(&year) {
            Ok(())
        } else {
            Err(CalendarError::YearNotKnown {
                year,
                first_known: self.first_year,
                last_known: self.last_year,
            })
        }
    }

    /// What kind of day `date` is. Errors for a date outside the known years.
    pub fn day_kind(&self, date: Date) -> Result<DayKind, CalendarError> {
        self.check_year(date.year())?;
        Ok(match self.exceptions.get(&date) {
            Some(kind) => *kind,
            None if date.weekday().is_weekend() => DayKind::Weekend,
            None => DayKind::Weekday,
        })
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
        date.next_day().ok_or(CalendarError::YearNotKnown {
            year: date.year() + 1,
            first_known: self.first_year,
            last_known: self.last_year,
        })
    }
}
