//! The schedule data format: the embedded file is valid and cites its notices; mistakes in a
//! schedule are refused with the line; adding a year is adding lines.

use shared::calendar::{
    Calendar, CalendarError, Date, DayKind, Festival, OFFICIAL_SCHEDULE, ScheduleError,
};

fn date(text: &str) -> Date {
    text.parse()
        .unwrap_or_else(|error| panic!("test date {text}: {error}"))
}

/// Parsing `text` fails at `line` with `message`.
fn check_refused(text: &str, line: usize, message: &str) {
    assert_eq!(
        Calendar::parse(text),
        Err(ScheduleError {
            line,
            message: message.to_owned()
        }),
        "schedule:\n{text}"
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_official_schedule_is_valid_and_cites_each_notice() {
    let calendar = Calendar::official().expect("the embedded schedule parses");
    assert_eq!(calendar.known_years(), 2024..=2026);
    for year in calendar.known_years() {
        let source = calendar
            .source(year)
            .expect("every known year cites a source");
        assert!(
            source.starts_with(&format!("国务院办公厅关于{year}年部分节假日安排的通知")),
            "{year}: {source}"
        );
    }
    assert_eq!(calendar.source(2027), None);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_official_schedule_says_2027_is_not_known_yet() {
    assert!(OFFICIAL_SCHEDULE.contains("2027: NOT KNOWN"));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn day_kinds_name_the_holiday() {
    let calendar = Calendar::official().expect("the embedded schedule parses");
    let kind = |text: &str| calendar.day_kind(date(text));
    assert_eq!(
        kind("2024-10-01"),
        Ok(DayKind::Holiday(Festival::NationalDay))
    );
    assert_eq!(
        kind("2024-10-12"),
        Ok(DayKind::MakeUpWorkday(Festival::NationalDay))
    );
    assert_eq!(kind("2024-10-13"), Ok(DayKind::Weekend));
    assert_eq!(kind("2024-10-14"), Ok(DayKind::Weekday));
    assert_eq!(
        kind("2026-02-15"),
        Ok(DayKind::Holiday(Festival::SpringFestival))
    );
    assert_eq!(
        kind("2026-01-04"),
        Ok(DayKind::MakeUpWorkday(Festival::NewYearsDay))
    );
    assert_eq!(
        kind("2025-06-02"),
        Ok(DayKind::Holiday(Festival::DragonBoatFestival))
    );
    assert_eq!(
        kind("2024-04-05"),
        Ok(DayKind::Holiday(Festival::QingmingFestival))
    );
    assert_eq!(
        kind("2025-05-02"),
        Ok(DayKind::Holiday(Festival::LabourDay))
    );
    assert_eq!(
        kind("2026-09-25"),
        Ok(DayKind::Holiday(Festival::MidAutumnFestival))
    );
    assert_eq!(calendar.holiday_name(date("2024-10-12")), Ok(None));
    assert_eq!(
        Festival::NationalDayAndMidAutumn.to_string(),
        "国庆节、中秋节"
    );
}

const NEXT_YEAR_EXAMPLE: &str = "\
year 2030 国务院办公厅关于2030年部分节假日安排的通知（example）
off  2030-01-01             元旦
year 2031 国务院办公厅关于2031年部分节假日安排的通知（example）   # a comment
off  2030-12-30..2031-01-01 元旦     # a range may start in the previous year
off  2031-10-01..2031-10-07 国庆节
work 2031-09-28             国庆节
work 2031-10-11             国庆节
";

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn adding_a_year_is_adding_lines() {
    let calendar = Calendar::parse(NEXT_YEAR_EXAMPLE).expect("valid");
    assert_eq!(calendar.known_years(), 2030..=2031);
    assert_eq!(calendar.is_working_day(date("2030-12-31")), Ok(false));
    assert_eq!(calendar.is_working_day(date("2031-09-28")), Ok(true));
    assert_eq!(
        calendar.add_working_days(date("2031-09-26"), 1),
        Ok(date("2031-09-28"))
    );
    assert_eq!(
        calendar.add_working_days(date("2031-12-31"), 1),
        Err(CalendarError::YearNotKnown {
            year: 2032,
            first_known: 2030,
            last_known: 2031
        })
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn mistakes_are_refused_with_their_line() {
    const Y: &str = "year 2031 notice\n";
    check_refused("", 0, "the schedule declares no year");
    check_refused("# only a comment\n", 0, "the schedule declares no year");
    check_refused(
        "year 2031\n",
        1,
        "year 2031 must cite the notice it comes from",
    );
    check_refused("year 31 notice\n", 1, "`31` is not a year");
    check_refused(
        "year 2031 notice\nyear 2033 notice\n",
        2,
        "year 2033 follows 2031: years must be consecutive and ascending",
    );
    check_refused(
        "year 2031 notice\nyear 2030 notice\n",
        2,
        "year 2030 follows 2031: years must be consecutive and ascending",
    );
    check_refused("off 2031-01-01 元旦\n", 1, "`off` before any `year` line");
    check_refused(
        &format!("{Y}holiday 2031-01-01 元旦\n"),
        2,
        "unknown statement `holiday` (expected `year`, `off` or `work`)",
    );
    check_refused(
        &format!("{Y}off 2031-01-01\n"),
        2,
        "expected `off DATE[..DATE] NAME`",
    );
    check_refused(
        &format!("{Y}work 2031-01-04 元旦 x\n"),
        2,
        "expected `work DATE NAME`",
    );
    check_refused(
        &format!("{Y}off 2031-01-01 新年\n"),
        2,
        "unknown holiday name `新年`",
    );
    check_refused(
        &format!("{Y}off 2031-1-1 元旦\n"),
        2,
        "`2031-1-1` is not a date: expected YYYY-MM-DD, for example 2024-10-08",
    );
    check_refused(
        &format!("{Y}off 2032-01-01 元旦\n"),
        2,
        "2032-01-01 is not in 2031, the year of this block",
    );
    check_refused(
        &format!("{Y}off 2031-10-07..2031-10-01 国庆节\n"),
        2,
        "2031-10-07..2031-10-01 is not a range of 1 to 15 days",
    );
    check_refused(
        &format!("{Y}off 2031-10-01..2031-11-07 国庆节\n"),
        2,
        "2031-10-01..2031-11-07 is not a range of 1 to 15 days",
    );
    // 2031-09-29 is a Monday.
    check_refused(
        &format!("{Y}work 2031-09-29 国庆节\n"),
        2,
        "2031-09-29 is a 周一: a make-up working day is always a Saturday or Sunday",
    );
    check_refused(
        &format!("{Y}work 2031-09-27..2031-09-28 国庆节\n"),
        2,
        "a make-up working day is one date, not a range",
    );
    check_refused(
        &format!("{Y}off 2031-10-01..2031-10-07 国庆节\noff 2031-10-07 国庆节\n"),
        3,
        "2031-10-07 is listed twice",
    );
    check_refused(
        &format!("{Y}work 2031-09-28 国庆节\noff 2031-09-28 国庆节\n"),
        3,
        "2031-09-28 is listed twice",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn schedule_errors_read_well() {
    let error = CalendarError::from(ScheduleError {
        line: 7,
        message: "unknown holiday name `新年`".to_owned(),
    });
    assert_eq!(
        error.to_string(),
        "the holiday schedule is invalid: schedule line 7: unknown holiday name `新年`"
    );
}
