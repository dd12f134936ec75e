//! Years without a schedule are counted provisionally and say so; a schedule entered later
//! replaces the provisional rule for its year; a bad schedule is refused with its line.

use shared::calendar::{
    Calendar, CalendarError, Date, DayKind, Deadline, Festival, ScheduleError, Weekday,
    WorkingDayCount, YearSchedule, YearState,
};

fn date(text: &str) -> Date {
    text.parse()
        .unwrap_or_else(|error| panic!("test date {text}: {error}"))
}

fn official() -> &'static Calendar {
    Calendar::official().expect("the embedded schedule parses")
}

fn deadline(text: &str, provisional: bool) -> Result<Deadline, CalendarError> {
    Ok(Deadline {
        date: date(text),
        provisional,
    })
}

/// A made-up 2027 notice for the tests: 元旦 one day longer than the provisional rule
/// (Mon 01-04 off too) and a make-up working day on Sat 01-09.
const ENTERED_2027: &str = "\
# a test notice, not the real one
year 2027 测试用通知（非真实）
off  2027-01-01..2027-01-04 元旦
work 2027-01-09             元旦
off  2027-10-01..2027-10-07 国庆节
";

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_year_without_a_schedule_is_counted_provisionally() {
    let calendar = official();
    assert_eq!(calendar.year_state(2026), YearState::Shipped);
    assert_eq!(calendar.year_state(2027), YearState::Provisional);
    // Thu 2026-12-10 + 20: 12-11, 12-14..18, 12-21..25, 12-28..31 are 15; Fri 2027-01-01 is
    // 元旦 (provisional rule), then Mon 01-04..Fri 01-08 are 16–20.
    assert_eq!(date("2027-01-01").weekday(), Weekday::Friday);
    assert_eq!(
        calendar.publication_deadline(date("2026-12-10")),
        deadline("2027-01-08", true)
    );
    // Thu 2026-12-24 + 7: 12-25, 12-28..31, then 2027-01-04 and 01-05.
    assert_eq!(
        calendar.result_entry_deadline(date("2026-12-24")),
        deadline("2027-01-05", true)
    );
    // A deadline that stays inside 2026 is exact.
    assert_eq!(
        calendar.result_entry_deadline(date("2026-12-21")),
        deadline("2026-12-30", false)
    );
    // The shipped years still count as before (国庆 2024 with its make-up days).
    assert_eq!(
        calendar.result_entry_deadline(date("2024-09-27")),
        deadline("2024-10-12", false)
    );
    // The strict functions still refuse 2027: only a Calendar value guesses, and says so.
    assert!(calendar.add_working_days(date("2026-12-24"), 7).is_err());
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_provisional_rule_is_weekends_and_the_fixed_date_holidays() {
    let calendar = official();
    let kind = |text: &str| {
        let day = calendar.day(date(text));
        assert!(day.provisional, "{text}");
        day.kind
    };
    assert_eq!(kind("2027-01-01"), DayKind::Holiday(Festival::NewYearsDay));
    assert_eq!(kind("2027-01-02"), DayKind::Weekend);
    assert_eq!(kind("2027-05-01"), DayKind::Holiday(Festival::LabourDay));
    assert_eq!(kind("2027-05-02"), DayKind::Holiday(Festival::LabourDay));
    assert_eq!(kind("2027-05-03"), DayKind::Weekday);
    assert_eq!(kind("2027-10-01"), DayKind::Holiday(Festival::NationalDay));
    assert_eq!(kind("2027-10-03"), DayKind::Holiday(Festival::NationalDay));
    assert_eq!(kind("2027-10-04"), DayKind::Weekday);
    // 春节 2027 (lunar) is not guessed: Mon 2027-02-08 is an ordinary working day until the
    // notice is entered.
    assert_eq!(kind("2027-02-08"), DayKind::Weekday);
    let shipped = calendar.day(date("2026-10-08"));
    assert!(!shipped.provisional);
    assert_eq!(shipped.kind, DayKind::Weekday);
    // 2026-12-31 (Thu) to 2027-01-04 (Mon): 01-01 is 元旦, 01-02/03 the weekend, 01-04 counts.
    assert_eq!(
        calendar.count_working_days(date("2026-12-31"), date("2027-01-04")),
        WorkingDayCount {
            days: 1,
            provisional: true
        }
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn an_entered_schedule_replaces_the_provisional_rule() {
    let schedule = YearSchedule::parse(ENTERED_2027).expect("valid");
    assert_eq!(schedule.year, 2027);
    assert_eq!(schedule.source, "测试用通知（非真实）");
    assert_eq!(schedule.days.len(), 4 + 1 + 7);
    assert_eq!(schedule.days[0].date, date("2027-01-01"));
    assert_eq!(
        schedule.days[4].kind,
        DayKind::MakeUpWorkday(Festival::NewYearsDay)
    );

    let calendar = Calendar::with_entered([&schedule]).expect("2027 is not shipped");
    assert_eq!(calendar.year_state(2027), YearState::Entered);
    assert_eq!(calendar.year_state(2026), YearState::Shipped);
    assert_eq!(calendar.year_state(2028), YearState::Provisional);
    // The same deadline as above: Mon 01-04 is now off, Sat 01-09 a working day:
    // 01-05..08 are 16–19, Sat 01-09 is 20. Exact now.
    assert_eq!(date("2027-01-09").weekday(), Weekday::Saturday);
    assert_eq!(
        calendar.publication_deadline(date("2026-12-10")),
        deadline("2027-01-09", false)
    );
    assert_eq!(
        calendar.result_entry_deadline(date("2026-12-24")),
        deadline("2027-01-06", false)
    );
    // Days the notice does not list follow the weekday rule, not the provisional one:
    // 2027-05-03 is an ordinary Monday in this (made-up) notice, 05-01 a Saturday.
    assert_eq!(calendar.day(date("2027-05-01")).kind, DayKind::Weekend);
    // A deadline running on into 2028 is provisional again: Tue 2027-12-28 + 7 is
    // 12-29..31, then (Sat 2028-01-01 元旦, the weekend) Mon 01-03..Thu 01-06.
    assert_eq!(
        calendar.result_entry_deadline(date("2027-12-28")),
        deadline("2028-01-06", true)
    );
    // The strict methods now know 2027 too.
    assert_eq!(calendar.is_working_day(date("2027-01-09")), Ok(true));

    // A later schedule for the same year replaces the earlier one.
    let corrected = YearSchedule::parse("year 2027 更正\noff 2027-01-01 元旦\n").expect("valid");
    let calendar = Calendar::with_entered([&schedule, &corrected]).expect("valid");
    assert_eq!(calendar.source(2027), Some("更正"));
    assert_eq!(
        calendar.publication_deadline(date("2026-12-10")),
        deadline("2027-01-08", false)
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_shipped_year_cannot_be_replaced() {
    let schedule = YearSchedule::parse("year 2026 另一份\noff 2026-01-01 元旦\n").expect("valid");
    assert_eq!(
        Calendar::with_entered([&schedule]),
        Err(CalendarError::ShippedYear { year: 2026 })
    );
}

/// Parsing `text` as one year's schedule fails at `line` with `message`.
fn check_refused(text: &str, line: usize, message: &str) {
    assert_eq!(
        YearSchedule::parse(text),
        Err(ScheduleError {
            line,
            message: message.to_owned()
        }),
        "schedule:\n{text}"
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_bad_entered_schedule_is_refused_with_its_line() {
    check_refused("", 0, "the schedule declares no year");
    check_refused(
        "year 2027 通知\n\noff 2027-02-30 春节\n",
        3,
        "2027-02-30 is not a day of the calendar (years 0001 to 9999)",
    );
    check_refused(
        "year 2027 通知\noff 2027-01-01 元旦\nyear 2028 通知\n",
        3,
        "a schedule holds one year: 2027 is already declared, enter 2028 as a schedule of its own",
    );
    check_refused(
        "year 2027 通知\nwork 2027-01-09 元旦\n",
        0,
        "the schedule for 2027 lists no day off (`off` line)",
    );
    check_refused(
        "year 2027 通知\noff 2028-01-01 元旦\n",
        2,
        "2028-01-01 is not in 2027, the year of this block",
    );
    // The message of a refused schedule names its line.
    let error = YearSchedule::parse("year 2027 通知\noff 2027-01-01 新年\n").unwrap_err();
    assert_eq!(
        error.to_string(),
        "schedule line 2: unknown holiday name `新年`"
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_schedule_lists_its_periods_and_reads_back_from_its_text() {
    let schedule = YearSchedule::parse(ENTERED_2027).expect("valid");
    let periods = schedule.periods();
    assert_eq!(periods.len(), 3);
    assert_eq!(
        (
            periods[0].first,
            periods[0].last,
            periods[0].make_up_workday
        ),
        (date("2027-01-01"), date("2027-01-04"), false)
    );
    assert_eq!(periods[1].name, "元旦");
    assert!(periods[1].make_up_workday);
    assert_eq!(YearSchedule::parse(&schedule.to_text()), Ok(schedule));
    // A shipped year reads back the same way.
    let shipped = official().year_schedule(2026).expect("shipped");
    assert_eq!(YearSchedule::parse(&shipped.to_text()), Ok(shipped));
    assert_eq!(
        shared::calendar::provisional_periods(2027)
            .iter()
            .map(|p| (p.first.to_string(), p.last.to_string()))
            .collect::<Vec<_>>(),
        [
            ("2027-01-01".to_owned(), "2027-01-01".to_owned()),
            ("2027-05-01".to_owned(), "2027-05-02".to_owned()),
            ("2027-10-01".to_owned(), "2027-10-03".to_owned())
        ]
    );
    assert_eq!(official().listed_years(2026), [2024, 2025, 2026, 2027]);
}
