//! `suicha workdays`, run as a user would: the built binary, its output and exit code.

use std::process::Command;

/// Runs `suicha workdays ARGS…`; returns (exit code, stdout, stderr).
fn workdays(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_suicha"))
        .arg("workdays")
        .args(args)
        .output()
        .expect("run suicha");
    (
        output.status.code().expect("exit code"),
        String::from_utf8(output.stdout).expect("utf-8 stdout"),
        String::from_utf8(output.stderr).expect("utf-8 stderr"),
    )
}

/// Succeeds and prints exactly `expected` and a newline.
fn check_prints(args: &[&str], expected: &str) {
    assert_eq!(
        workdays(args),
        (0, format!("{expected}\n"), String::new()),
        "suicha workdays {}",
        args.join(" ")
    );
}

/// Fails with exit code 2 and an error message containing `expected`.
fn check_fails(args: &[&str], expected: &str) {
    let (code, stdout, stderr) = workdays(args);
    assert_eq!(code, 2, "suicha workdays {}", args.join(" "));
    assert_eq!(stdout, "", "suicha workdays {}", args.join(" "));
    assert!(
        stderr.starts_with("error: ") && stderr.contains(expected),
        "suicha workdays {}: stderr was\n{stderr}",
        args.join(" ")
    );
}

#[test]
fn add_counts_working_days_across_national_day() {
    // Fri 2024-09-27 + 7: Sun 09-29 (make-up), 09-30, 10-08..10-11, Sat 10-12 (make-up).
    check_prints(&["add", "2024-09-27", "7"], "2024-10-12");
    check_prints(&["add", "2024-09-27", "20"], "2024-10-30");
    check_prints(&["add", "2026-02-12", "7"], "2026-02-28");
    check_prints(&["add", "2024-10-03", "0"], "2024-10-03");
}

#[test]
fn between_excludes_the_start_and_includes_the_end() {
    check_prints(&["between", "2024-09-27", "2024-10-12"], "7");
    check_prints(&["between", "2024-10-12", "2024-09-27"], "-7");
    check_prints(&["between", "2025-12-31", "2026-12-31"], "248");
}

#[test]
fn help() {
    let (code, stdout, _) = workdays(&["--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("suicha workdays add DATE N"), "{stdout}");
}

#[test]
fn clear_errors() {
    check_fails(
        &["add", "2024/10/01", "7"],
        "`2024/10/01` is not a date: expected YYYY-MM-DD",
    );
    check_fails(
        &["between", "2024-10-01", "2025-02-29"],
        "2025-02-29 is not a day of the calendar",
    );
    check_fails(
        &["add", "2024-10-01", "-1"],
        "`-1` is not a number of working days: expected a whole number, 0 or more",
    );
    check_fails(
        &["add", "2024-10-01"],
        "suicha workdays add: wrong number of arguments",
    );
    check_fails(
        &["between", "2024-10-01", "2024-10-02", "2024-10-03"],
        "suicha workdays between: wrong number of arguments",
    );
    check_fails(&[], "suicha workdays: unknown or missing subcommand");
    check_fails(
        &["subtract"],
        "suicha workdays: unknown or missing subcommand",
    );
}

/// A schedule file in the test's own temporary folder.
fn schedule_file(name: &str, text: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).expect("write the schedule file");
    path.to_str().expect("utf-8 path").to_owned()
}

const PROVISIONAL_NOTE: &str = "note: no holiday schedule for 2027: counted provisionally \
     (weekends, 元旦 1 Jan, 劳动节 1–2 May, 国庆节 1–3 Oct); give the State Council's notice \
     with --schedule FILE (docs/calendar.md)\n";

#[test]
fn a_year_without_a_schedule_is_counted_provisionally_and_says_so() {
    // Thu 2026-12-10 + 20: 15 working days to 12-31, Fri 2027-01-01 元旦, then 01-04..01-08.
    assert_eq!(
        workdays(&["add", "2026-12-10", "20"]),
        (
            0,
            "2027-01-08 (provisional)\n".to_owned(),
            PROVISIONAL_NOTE.to_owned()
        )
    );
    assert_eq!(
        workdays(&["add", "2026-12-24", "7"]),
        (
            0,
            "2027-01-05 (provisional)\n".to_owned(),
            PROVISIONAL_NOTE.to_owned()
        )
    );
    assert_eq!(
        workdays(&["between", "2026-12-31", "2027-01-04"]),
        (
            0,
            "1 (provisional)\n".to_owned(),
            PROVISIONAL_NOTE.to_owned()
        )
    );
    // Inside the shipped years nothing changes.
    check_prints(&["add", "2026-12-21", "7"], "2026-12-30");
}

#[test]
fn a_schedule_file_makes_the_same_deadline_follow_the_notice() {
    // A made-up notice: 元旦 2027 through Mon 01-04, a make-up working day on Sat 01-09.
    let file = schedule_file(
        "workdays-2027.txt",
        "year 2027 测试用通知（非真实）\noff 2027-01-01..2027-01-04 元旦\nwork 2027-01-09 元旦\n",
    );
    check_prints(
        &["add", "2026-12-10", "20", "--schedule", &file],
        "2027-01-09",
    );
    check_prints(
        &["--schedule", &file, "add", "2026-12-24", "7"],
        "2027-01-06",
    );
    // A later file for the same year replaces the earlier one.
    let corrected = schedule_file(
        "workdays-2027-corrected.txt",
        "year 2027 更正\noff 2027-01-01 元旦\n",
    );
    check_prints(
        &[
            "add",
            "2026-12-10",
            "20",
            "--schedule",
            &file,
            "--schedule",
            &corrected,
        ],
        "2027-01-08",
    );
}

#[test]
fn a_bad_schedule_file_is_refused_with_its_line() {
    let file = schedule_file(
        "workdays-bad.txt",
        "year 2027 通知\n\noff 2027-02-30 春节\n",
    );
    check_fails(
        &["add", "2026-12-10", "20", "--schedule", &file],
        &format!("{file}: schedule line 3: 2027-02-30 is not a day of the calendar"),
    );
    let shipped = schedule_file(
        "workdays-2026.txt",
        "year 2026 另一份\noff 2026-01-01 元旦\n",
    );
    check_fails(
        &["add", "2026-12-10", "20", "--schedule", &shipped],
        "the schedule for 2026 ships with the code",
    );
    check_fails(
        &[
            "add",
            "2026-12-10",
            "20",
            "--schedule",
            "/nonexistent/2027.txt",
        ],
        "cannot read schedule file /nonexistent/2027.txt",
    );
    check_fails(
        &["add", "2026-12-10", "20", "--schedule"],
        "--schedule needs a file",
    );
}
