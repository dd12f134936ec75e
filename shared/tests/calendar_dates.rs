//! `Date`: parsing and formatting `YYYY-MM-DD`, serde as a string, weekdays, day arithmetic.

use shared::calendar::{CalendarError, Date, Weekday};

/// Parsing `input` gives `expected` (the canonical text) or the error.
fn check_parse(input: &str, expected: Result<&str, CalendarError>) {
    let actual = input.parse::<Date>().map(|date| date.to_string());
    assert_eq!(actual, expected.map(str::to_owned), "parsing `{input}`");
}

fn malformed(input: &str) -> Result<&'static str, CalendarError> {
    Err(CalendarError::MalformedDate {
        input: input.to_owned(),
    })
}

fn nonexistent(year: i32, month: u8, day: u8) -> Result<&'static str, CalendarError> {
    Err(CalendarError::NonexistentDate { year, month, day })
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn parses_and_formats_yyyy_mm_dd() {
    check_parse("2024-10-01", Ok("2024-10-01"));
    check_parse("2024-02-29", Ok("2024-02-29"));
    check_parse("2000-02-29", Ok("2000-02-29"));
    check_parse("0001-01-01", Ok("0001-01-01"));
    check_parse("9999-12-31", Ok("9999-12-31"));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn refuses_other_shapes() {
    for input in [
        "",
        "2024-1-01",
        "2024-10-1",
        "24-10-01",
        "2024/10/01",
        "2024-10-01 ",
        " 2024-10-01",
        "2024-10-01T00:00",
        "+024-10-01",
        "2024-+1-01",
        "2024-10--1",
        "２０２４-10-01",
        "2024年10月1日",
        "20241001",
        "10000-01-01",
    ] {
        check_parse(input, malformed(input));
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn refuses_days_that_do_not_exist() {
    check_parse("2025-02-29", nonexistent(2025, 2, 29));
    check_parse("1900-02-29", nonexistent(1900, 2, 29));
    check_parse("2024-13-01", nonexistent(2024, 13, 1));
    check_parse("2024-00-10", nonexistent(2024, 0, 10));
    check_parse("2024-04-31", nonexistent(2024, 4, 31));
    check_parse("2024-10-00", nonexistent(2024, 10, 0));
    check_parse("0000-01-01", nonexistent(0, 1, 1));
    assert_eq!(
        Date::new(10_000, 1, 1),
        Err(CalendarError::NonexistentDate {
            year: 10_000,
            month: 1,
            day: 1
        })
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn parse_errors_have_clear_messages() {
    let message = |input: &str| input.parse::<Date>().unwrap_err().to_string();
    assert_eq!(
        message("2024/10/01"),
        "`2024/10/01` is not a date: expected YYYY-MM-DD, for example 2024-10-08"
    );
    assert_eq!(
        message("2025-02-29"),
        "2025-02-29 is not a day of the calendar (years 0001 to 9999)"
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn serializes_as_a_string() {
    let date = Date::new(2024, 10, 1).expect("a real date");
    assert_eq!(
        serde_json::to_string(&date).expect("serialize"),
        "\"2024-10-01\""
    );
    assert_eq!(
        serde_json::from_str::<Date>("\"2024-10-01\"").expect("deserialize"),
        date
    );
    let error = serde_json::from_str::<Date>("\"2024-02-30\"")
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("2024-02-30 is not a day of the calendar"),
        "{error}"
    );
    assert!(serde_json::from_str::<Date>("20241001").is_err());
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn weekdays() {
    let weekday = |text: &str| text.parse::<Date>().expect("a real date").weekday();
    assert_eq!(weekday("1970-01-01"), Weekday::Thursday);
    assert_eq!(weekday("2024-10-01"), Weekday::Tuesday);
    assert_eq!(weekday("2024-10-12"), Weekday::Saturday);
    assert_eq!(weekday("2026-02-15"), Weekday::Sunday);
    assert_eq!(weekday("0001-01-01"), Weekday::Monday);
    assert_eq!(weekday("9999-12-31"), Weekday::Friday);
    assert!(Weekday::Sunday.is_weekend());
    assert!(!Weekday::Friday.is_weekend());
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn day_arithmetic_round_trips_and_orders() {
    let date = |text: &str| text.parse::<Date>().expect("a real date");
    assert_eq!(date("1970-01-01").days_since_unix_epoch(), 0);
    assert_eq!(date("2024-03-01").previous_day(), Some(date("2024-02-29")));
    assert_eq!(date("2025-03-01").previous_day(), Some(date("2025-02-28")));
    assert_eq!(date("2024-12-31").next_day(), Some(date("2025-01-01")));
    assert_eq!(date("9999-12-31").next_day(), None);
    assert_eq!(date("0001-01-01").previous_day(), None);
    // Every day from 1999 to 2031 follows the one before, in order and round trip.
    let mut day = date("1999-01-01");
    while day < date("2031-12-31") {
        let next = day.next_day().expect("next day");
        assert!(next > day);
        assert_eq!(
            next.days_since_unix_epoch(),
            day.days_since_unix_epoch() + 1
        );
        assert_eq!(
            Date::from_days_since_unix_epoch(next.days_since_unix_epoch()),
            Some(next)
        );
        assert_eq!(next.previous_day(), Some(day));
        assert_eq!(next.to_string().parse::<Date>(), Ok(next));
        day = next;
    }
}
