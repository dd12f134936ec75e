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
        &["add", "2027-01-04", "1"],
        "the working-day schedule for 2027 is not known (known years: 2024 to 2026)",
    );
    check_fails(
        &["add", "2026-12-24", "7"],
        "the working-day schedule for 2027 is not known",
    );
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
