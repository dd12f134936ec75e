//! `suicha workdays add|between`: working-day arithmetic in China's official calendar
//! (see `shared::calendar` and docs/calendar.md).

use shared::calendar::{self, Date};

const USAGE: &str = "\
usage:
  suicha workdays add DATE N      the N-th working day after DATE (DATE itself never counts)
  suicha workdays between A B     working days from A (exclusive) to B (inclusive); negative if B is before A
dates are YYYY-MM-DD";

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["add", date, working_days] => {
            let date = parse_date(date)?;
            let working_days = parse_working_days(working_days)?;
            let result =
                calendar::add_working_days(date, working_days).map_err(|e| e.to_string())?;
            println!("{result}");
            Ok(())
        }
        ["between", from, to] => {
            let count = calendar::working_days_between(parse_date(from)?, parse_date(to)?)
                .map_err(|e| e.to_string())?;
            println!("{count}");
            Ok(())
        }
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            Ok(())
        }
        ["add" | "between", ..] => Err(format!(
            "suicha workdays {}: wrong number of arguments\n{USAGE}",
            args[0]
        )),
        _ => Err(format!(
            "suicha workdays: unknown or missing subcommand\n{USAGE}"
        )),
    }
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
