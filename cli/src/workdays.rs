//! `suicha workdays add|between`: working-day arithmetic in China's official calendar
//! (see `shared::calendar` and docs/calendar.md): the schedules shipped with the code, plus any
//! given with `--schedule FILE`; a year with neither is counted provisionally and the answer
//! says so.

use std::collections::BTreeSet;

use shared::calendar::{self, Calendar, Date, YearSchedule, YearState};

const USAGE: &str = "\
usage:
  suicha workdays add DATE N      the N-th working day after DATE (DATE itself never counts)
  suicha workdays between A B     working days from A (exclusive) to B (inclusive); negative if B is before A
options:
  --schedule FILE                 a year's holiday schedule (the State Council's notice, in the
                                  format of docs/calendar.md); repeat for several years
dates are YYYY-MM-DD. A year with no schedule (shipped: 2024–2026) is counted provisionally:
weekends plus 元旦 (1 Jan), 劳动节 (1–2 May) and 国庆节 (1–3 Oct); such an answer is followed by
\"(provisional)\"";

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let mut schedule_files: Vec<&str> = Vec::new();
    let mut rest: Vec<&str> = Vec::new();
    let mut words = args.iter().map(String::as_str);
    while let Some(word) = words.next() {
        if word == "--schedule" {
            let file = words
                .next()
                .ok_or_else(|| format!("--schedule needs a file\n{USAGE}"))?;
            schedule_files.push(file);
        } else if let Some(file) = word.strip_prefix("--schedule=") {
            schedule_files.push(file);
        } else {
            rest.push(word);
        }
    }
    if matches!(rest.as_slice(), ["-h" | "--help" | "help"]) {
        println!("{USAGE}");
        return Ok(());
    }
    let calendar = load_calendar(&schedule_files)?;
    match rest.as_slice() {
        ["add", date, working_days] => {
            let date = parse_date(date)?;
            let working_days = parse_working_days(working_days)?;
            let deadline = calendar
                .deadline(date, working_days)
                .map_err(|e| e.to_string())?;
            print_answer(
                &calendar,
                &deadline.date.to_string(),
                deadline.provisional,
                date,
                deadline.date,
            );
            Ok(())
        }
        ["between", from, to] => {
            let (from, to) = (parse_date(from)?, parse_date(to)?);
            let count = calendar.count_working_days(from, to);
            print_answer(
                &calendar,
                &count.days.to_string(),
                count.provisional,
                from,
                to,
            );
            Ok(())
        }
        ["add" | "between", ..] => Err(format!(
            "suicha workdays {}: wrong number of arguments\n{USAGE}",
            rest[0]
        )),
        _ => Err(format!(
            "suicha workdays: unknown or missing subcommand\n{USAGE}"
        )),
    }
}

/// The shipped calendar plus each `--schedule` file, in the order given (a later file for the
/// same year replaces an earlier one).
fn load_calendar(files: &[&str]) -> Result<Calendar, String> {
    let schedules = files
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(file)
                .map_err(|err| format!("cannot read schedule file {file}: {err}"))?;
            YearSchedule::parse(&text).map_err(|err| format!("{file}: {err}"))
        })
        .collect::<Result<Vec<_>, String>>()?;
    Calendar::with_entered(&schedules).map_err(|err| err.to_string())
}

/// Prints `answer`, marked `(provisional)` when it is, with a note on standard error naming
/// the years counted provisionally and what to do about them.
fn print_answer(calendar: &Calendar, answer: &str, provisional: bool, a: Date, b: Date) {
    if !provisional {
        println!("{answer}");
        return;
    }
    println!("{answer} (provisional)");
    let years: BTreeSet<i32> = (a.year().min(b.year())..=a.year().max(b.year()))
        .filter(|year| calendar.year_state(*year) == YearState::Provisional)
        .collect();
    let years: Vec<String> = years.iter().map(i32::to_string).collect();
    eprintln!(
        "note: no holiday schedule for {}: counted provisionally (weekends, 元旦 1 Jan, 劳动节 \
         1–2 May, 国庆节 1–3 Oct); give the State Council's notice with --schedule FILE \
         (docs/calendar.md)",
        years.join(", ")
    );
}

fn parse_date(text: &str) -> Result<Date, String> {
    text.parse()
        .map_err(|e: calendar::CalendarError| e.to_string())
}

fn parse_working_days(text: &str) -> Result<u32, String> {
    text.parse().map_err(|_| {
        format!("`{text}` is not a number of working days: expected a whole number, 0 or more")
    })
}
