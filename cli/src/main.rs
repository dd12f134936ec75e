//! `suicha`: the command line for auditors and staff.
//!
//! Each subcommand lives in its own module; `main` only dispatches.

mod accounts;
mod audit;
mod bench_data;
mod demo;
mod draw;
mod workdays;

use std::process::ExitCode;

const USAGE: &str = "\
usage:
  suicha draw INPUT.json          run a draw and print the result JSON
                                  (--server-entropy HEX [--witness D] | --preview-entropy HEX, --bundle)
  suicha verify BUNDLE.json       recompute a committed draw; prints MATCH or what differs
  suicha gen-vectors DIR          write the draw test vectors (only on purpose)
  suicha workdays add DATE N      the date N working days after DATE
  suicha workdays between A B     working days from A (exclusive) to B (inclusive)
                                  ([--schedule FILE]… adds a year's holiday notice)
  suicha audit verify EXPORT.json  check an exported audit log's hash chain
  suicha demo-sql                 print the SQL that loads the demo county into an empty D1
  suicha bench-import-data N DIR  write N objects as import chunks and as SQL (cargo xtask bench)
  suicha demo-accounts-sql        print the SQL that creates one demo account per role
  suicha demo-accounts            list the demo accounts and their password
  suicha account-sql USERNAME ROLE DISPLAY_NAME [SECTION]
                                  print the SQL that creates an account; reads its
                                  password from standard input (for the first admin)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("draw") => draw::run_draw(&args[1..]),
        Some("verify") => draw::run_verify(&args[1..]),
        Some("gen-vectors") => draw::run_gen_vectors(&args[1..]),
        Some("workdays") => workdays::run(&args[1..]),
        Some("demo-sql") => demo::run(&args[1..]),
        Some("bench-import-data") => bench_data::run(&args[1..]),
        Some("audit") => audit::run(&args[1..]),
        Some("account-sql") => accounts::run_account_sql(&args[1..]),
        Some("demo-accounts-sql") => accounts::run_demo_accounts_sql(&args[1..]),
        Some("demo-accounts") => accounts::run_demo_accounts(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => Err(format!("unknown or missing command\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
