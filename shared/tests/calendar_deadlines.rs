//! Deadlines and working-day counts in the official calendar, across the long holidays and
//! their make-up working weekends (调休), and refusals outside the known years.
//!
//! Each expected date is worked out by hand in the comment beside it and agrees with the
//! independent reference (see calendar_reference.rs).

use shared::calendar::{
    self, CalendarError, Date, PUBLICATION_WORKING_DAYS, RESULT_ENTRY_WORKING_DAYS,
};

fn date(text: &str) -> Date {
    text.parse()
        .unwrap_or_else(|error| panic!("test date {text}: {error}"))
}

/// `add_working_days(start, n) == expected`, and `working_days_between` agrees.
fn check_add(start: &str, working_days: u32, expected: &str) {
    let actual = calendar::add_working_days(date(start), working_days);
    assert_eq!(
        actual,
        Ok(date(expected)),
        "{working_days} working days after {start}"
    );
    assert_eq!(
        calendar::working_days_between(date(start), date(expected)),
        Ok(i64::from(working_days)),
        "working days from {start} to {expected}"
    );
}

fn check_entry_deadline(inspection: &str, expected: &str) {
    assert_eq!(
        calendar::result_entry_deadline(date(inspection)),
        Ok(date(expected)),
        "result entry deadline for an inspection on {inspection}"
    );
    check_add(inspection, RESULT_ENTRY_WORKING_DAYS, expected);
}

fn check_publication_deadline(completed: &str, expected: &str) {
    assert_eq!(
        calendar::publication_deadline(date(completed)),
        Ok(date(expected)),
        "publication deadline for a task completed on {completed}"
    );
    check_add(completed, PUBLICATION_WORKING_DAYS, expected);
}

fn year_not_known(year: i32) -> CalendarError {
    CalendarError::YearNotKnown {
        year,
        first_known: 2024,
        last_known: 2026,
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_deadlines_are_seven_and_twenty_working_days() {
    assert_eq!(RESULT_ENTRY_WORKING_DAYS, 7);
    assert_eq!(PUBLICATION_WORKING_DAYS, 20);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn national_day_2024() {
    // 国庆 2024: off 10-01..10-07; Sunday 09-29 and Saturday 10-12 are working days.
    // Fri 09-27 → 09-29 Sun (1), 09-30 (2), 10-08..10-11 (3–6), 10-12 Sat (7).
    check_entry_deadline("2024-09-27", "2024-10-12");
    // … then 10-14..10-18 (8–12), 10-21..10-25 (13–17), 10-28..10-30 (18–20).
    check_publication_deadline("2024-09-27", "2024-10-30");
    // Mon 09-30 → 10-08..10-11 (1–4), 10-12 Sat (5), 10-14 (6), 10-15 (7).
    check_entry_deadline("2024-09-30", "2024-10-15");
    check_publication_deadline("2024-09-30", "2024-11-01");
    // An (emergency) inspection on the holiday itself: the next working day is day 1.
    // Thu 10-03 → 10-08..10-11 (1–4), 10-12 Sat (5), 10-14 (6), 10-15 (7).
    check_entry_deadline("2024-10-03", "2024-10-15");
    // The make-up Saturday itself is a working day, 09-28 (an ordinary Saturday) is not.
    assert_eq!(calendar::is_working_day(date("2024-10-12")), Ok(true));
    assert_eq!(calendar::is_working_day(date("2024-09-29")), Ok(true));
    assert_eq!(calendar::is_working_day(date("2024-09-28")), Ok(false));
    assert_eq!(calendar::is_working_day(date("2024-10-07")), Ok(false));
    assert_eq!(
        calendar::holiday_name(date("2024-10-01")),
        Ok(Some("国庆节"))
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn spring_festival_2024() {
    // 春节 2024: off 02-10..02-17; Sundays 02-04 and 02-18 are working days; 除夕 02-09 is
    // an ordinary working Friday.
    // Fri 02-02 → 02-04 Sun (1), 02-05..02-09 (2–6), 02-18 Sun (7).
    check_entry_deadline("2024-02-02", "2024-02-18");
    check_publication_deadline("2024-02-02", "2024-03-06");
    // Thu 02-08 → 02-09 (1), 02-18 Sun (2), 02-19..02-23 (3–7).
    check_entry_deadline("2024-02-08", "2024-02-23");
    check_publication_deadline("2024-02-08", "2024-03-13");
    assert_eq!(calendar::is_working_day(date("2024-02-09")), Ok(true));
    assert_eq!(calendar::holiday_name(date("2024-02-12")), Ok(Some("春节")));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn spring_festival_2025() {
    // 春节 2025: off 01-28..02-04; Sunday 01-26 and Saturday 02-08 are working days.
    // Fri 01-24 → 01-26 Sun (1), 01-27 (2), 02-05..02-07 (3–5), 02-08 Sat (6), 02-10 (7).
    check_entry_deadline("2025-01-24", "2025-02-10");
    check_publication_deadline("2025-01-24", "2025-02-27");
    // Mon 01-27 → 02-05..02-07 (1–3), 02-08 Sat (4), 02-10..02-12 (5–7).
    check_entry_deadline("2025-01-27", "2025-02-12");
    check_publication_deadline("2025-01-27", "2025-03-03");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn national_day_and_mid_autumn_2025() {
    // 国庆节、中秋节 2025: off 10-01..10-08; Sunday 09-28 and Saturday 10-11 are working days.
    // Fri 09-26 → 09-28 Sun (1), 09-29 (2), 09-30 (3), 10-09 (4), 10-10 (5), 10-11 Sat (6),
    // 10-13 (7).
    check_entry_deadline("2025-09-26", "2025-10-13");
    check_publication_deadline("2025-09-26", "2025-10-30");
    assert_eq!(
        calendar::holiday_name(date("2025-10-08")),
        Ok(Some("国庆节、中秋节"))
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn spring_festival_2026() {
    // 春节 2026: off 02-15..02-23 (9 days); Saturdays 02-14 and 02-28 are working days.
    // Thu 02-12 → 02-13 (1), 02-14 Sat (2), 02-24..02-27 (3–6), 02-28 Sat (7).
    check_entry_deadline("2026-02-12", "2026-02-28");
    check_publication_deadline("2026-02-12", "2026-03-18");
    // Fri 02-13 → 02-14 Sat (1), 02-24..02-27 (2–5), 02-28 Sat (6), 03-02 (7).
    check_entry_deadline("2026-02-13", "2026-03-02");
    check_publication_deadline("2026-02-13", "2026-03-19");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn mid_autumn_and_national_day_2026() {
    // 2026: 中秋 off 09-25..09-27, 国庆 off 10-01..10-07; Sunday 09-20 and Saturday 10-10
    // are working days.
    // Fri 09-18 → 09-20 Sun (1), 09-21..09-24 (2–5), 09-28 (6), 09-29 (7).
    check_entry_deadline("2026-09-18", "2026-09-29");
    check_publication_deadline("2026-09-18", "2026-10-22");
    // Wed 09-30 → 10-08 (1), 10-09 (2), 10-10 Sat (3), 10-12..10-15 (4–7).
    check_entry_deadline("2026-09-30", "2026-10-15");
    check_publication_deadline("2026-09-30", "2026-11-03");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn deadlines_cross_into_the_next_known_year() {
    // Mon 2025-12-15 → 12-16..12-31 (1–12), 2026: 01-01..01-03 off, 01-04 Sun (13),
    // 01-05..01-09 (14–18), 01-12 (19), 01-13 (20).
    check_publication_deadline("2025-12-15", "2026-01-13");
    check_entry_deadline("2025-12-15", "2025-12-24");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn zero_working_days_is_the_start_date_itself() {
    check_add("2024-10-03", 0, "2024-10-03");
    check_add("2024-10-08", 0, "2024-10-08");
    check_add("2024-10-08", 1, "2024-10-09");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn working_days_between_excludes_the_start_and_includes_the_end() {
    let between = |a: &str, b: &str| calendar::working_days_between(date(a), date(b));
    assert_eq!(between("2024-10-08", "2024-10-08"), Ok(0));
    assert_eq!(between("2024-10-08", "2024-10-09"), Ok(1));
    // Reversed: the same count, negated (days left vs. days overdue).
    assert_eq!(between("2024-10-12", "2024-09-27"), Ok(-7));
    // Whole years (the first day of each is a holiday or excluded).
    assert_eq!(between("2024-01-01", "2024-12-31"), Ok(251));
    assert_eq!(between("2024-12-31", "2025-12-31"), Ok(248));
    assert_eq!(between("2025-12-31", "2026-12-31"), Ok(248));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn dates_outside_the_known_years_are_refused() {
    assert_eq!(calendar::known_years(), Ok(2024..=2026));
    assert_eq!(
        calendar::is_working_day(date("2023-12-29")),
        Err(year_not_known(2023))
    );
    // 2027's schedule has not been published into the data file: no guessing, even for an
    // ordinary-looking Wednesday.
    assert_eq!(
        calendar::is_working_day(date("2027-03-03")),
        Err(year_not_known(2027))
    );
    assert_eq!(
        calendar::holiday_name(date("2027-01-01")),
        Err(year_not_known(2027))
    );
    // The start date must be known too, even when nothing needs counting.
    assert_eq!(
        calendar::add_working_days(date("2023-12-31"), 0),
        Err(year_not_known(2023))
    );
    // A deadline that runs past the last known year is refused, not extrapolated.
    // Thu 2026-12-24 → 12-25 (1), 12-28..12-31 (2–5), then 2027.
    assert_eq!(
        calendar::result_entry_deadline(date("2026-12-24")),
        Err(year_not_known(2027))
    );
    assert_eq!(
        calendar::publication_deadline(date("2026-12-10")),
        Err(year_not_known(2027))
    );
    // … while one that ends on the last day of the last known year is fine.
    // Mon 2026-12-21 → 12-22..12-25 (1–4), 12-28..12-30 (5–7).
    check_entry_deadline("2026-12-21", "2026-12-30");
    assert_eq!(
        calendar::working_days_between(date("2026-12-31"), date("2027-01-04")),
        Err(year_not_known(2027))
    );
    assert_eq!(
        calendar::working_days_between(date("2023-12-31"), date("2024-01-02")),
        Err(year_not_known(2023))
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_year_not_known_message_says_what_to_do() {
    let message = calendar::is_working_day(date("2027-01-04"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        message,
        "the working-day schedule for 2027 is not known (known years: 2024 to 2026); working \
         days in 2027 cannot be counted until the State Council's notice for 2027 is added to \
         the calendar"
    );
}
