//! A civil (proleptic Gregorian) date, written `YYYY-MM-DD`, with just the arithmetic the
//! working-day calendar needs. No time of day, no time zone: a date is what the bureau writes
//! on a form.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::CalendarError;

/// The first year a [`Date`] can hold.
pub const MIN_YEAR: i32 = 1;
/// The last year a [`Date`] can hold (four digits in `YYYY-MM-DD`).
pub const MAX_YEAR: i32 = 9999;

/// A calendar date from 0001-01-01 to 9999-12-31.
///
/// Ordered chronologically. Parsed from and formatted as `YYYY-MM-DD` (exactly four, two and
/// two ASCII digits), and serialized with serde as that string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    // Field order matters: the derived `Ord` compares year, then month, then day.
    year: i32,
    month: u8,
    day: u8,
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    /// Saturday and Sunday: the weekly rest days (unless a schedule makes one a working day).
    pub fn is_weekend(self) -> bool {
        matches!(self, Weekday::Saturday | Weekday::Sunday)
    }

    /// The Chinese name, e.g. `周六`.
    pub fn chinese_name(self) -> &'static str {
        match self {
            Weekday::Monday => "周一",
            Weekday::Tuesday => "周二",
            Weekday::Wednesday => "周三",
            Weekday::Thursday => "周四",
            Weekday::Friday => "周五",
            Weekday::Saturday => "周六",
            Weekday::Sunday => "周日",
        }
    }
}

impl Date {
    /// The date `year-month-day`, or [`CalendarError::NonexistentDate`] if there is no such day
    /// (month 13, 2025-02-29, year 0 or 10000).
    pub fn new(year: i32, month: u8, day: u8) -> Result<Date, CalendarError> {
        let valid = (MIN_YEAR..=MAX_YEAR).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        if valid {
            Ok(Date { year, month, day })
        } else {
            Err(CalendarError::NonexistentDate { year, month, day })
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1 = January … 12 = December.
    pub fn month(self) -> u8 {
        self.month
    }

    /// Day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday; index 0 is Monday.
        match (self.days_since_unix_epoch() + 3).rem_euclid(7) {
            0 => Weekday::Monday,
            1 => Weekday::Tuesday,
            2 => Weekday::Wednesday,
            3 => Weekday::Thursday,
            4 => Weekday::Friday,
            5 => Weekday::Saturday,
            _ => Weekday::Sunday,
        }
    }

    /// The following day, or `None` after 9999-12-31.
    pub fn next_day(self) -> Option<Date> {
        Date::from_days_since_unix_epoch(self.days_since_unix_epoch() + 1)
    }

    /// The preceding day, or `None` before 0001-01-01.
    pub fn previous_day(self) -> Option<Date> {
        Date::from_days_since_unix_epoch(self.days_since_unix_epoch() - 1)
    }

    /// Days from 1970-01-01 (negative before it). Algorithm: H. Hinnant, "chrono-Compatible
    /// Low-Level Date Algorithms", `days_from_civil`; integers only.
    pub fn days_since_unix_epoch(self) -> i64 {
        let month = i64::from(self.month);
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month_from_march = if month > 2 { month - 3 } else { month + 9 };
        let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The inverse of [`Date::days_since_unix_epoch`], or `None` outside 0001..=9999.
    pub fn from_days_since_unix_epoch(days: i64) -> Option<Date> {
        let shifted = days.checked_add(719_468)?;
        let era = shifted.div_euclid(146_097);
        let day_of_era = shifted - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_from_march = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
        let month = if month_from_march < 10 {
            month_from_march + 3
        } else {
            month_from_march - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        let year = i32::try_from(year).ok()?;
        // `month` is 1..=12 and `day` 1..=31 by construction; `new` re-checks the year range.
        Date::new(year, u8::try_from(month).ok()?, u8::try_from(day).ok()?).ok()
    }
}

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = CalendarError;

    /// Parses exactly `YYYY-MM-DD`: no spaces, no signs, no other separators, no short forms.
    fn from_str(input: &str) -> Result<Date, CalendarError> {
        let malformed = || CalendarError::MalformedDate {
            input: input.to_owned(),
        };
        let bytes = input.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(index, byte)| index == 4 || index == 7 || byte.is_ascii_digit());
        if !shape_ok {
            return Err(malformed());
        }
        // All digits and ASCII, so the slices are on char boundaries and parse cleanly.
        let year = input[0..4].parse::<i32>().map_err(|_| malformed())?;
        let month = input[5..7].parse::<u8>().map_err(|_| malformed())?;
        let day = input[8..10].parse::<u8>().map_err(|_| malformed())?;
        Date::new(year, month, day)
    }
}

impl TryFrom<String> for Date {
    type Error = CalendarError;

    fn try_from(value: String) -> Result<Date, CalendarError> {
        value.parse()
    }
}

impl From<Date> for String {
    fn from(date: Date) -> String {
        date.to_string()
    }
}
