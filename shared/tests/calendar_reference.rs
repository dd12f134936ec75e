//! The independent check: every date of 2024–2026 against `calendar_data/reference_2024_2026.txt`,
//! which `calendar_data/make_reference.py` writes from the PyPI package `chinesecalendar`
//! (version named in the file's header), a source maintained apart from our data file.
//!
//! Where the two disagree the official notice decides; a confirmed error in the reference
//! would be listed (with the notice's words) in `REFERENCE_ERRATA`. There are none.

use shared::calendar::{self, Date};

const REFERENCE: &str = include_str!("calendar_data/reference_2024_2026.txt");

/// Dates on which the reference is known to be wrong per the State Council notice, with the
/// official answer (`true` = working day). Empty: the reference agrees on every date.
const REFERENCE_ERRATA: &[(&str, bool)] = &[];

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_date_of_2024_to_2026_matches_the_independent_reference() {
    assert!(
        REFERENCE.contains("chinesecalendar 1.11.0"),
        "the reference names its source and version"
    );
    let mut expected_date: Date = "2024-01-01".parse().expect("first date");
    let mut compared = 0;
    let mut disagreements = Vec::new();
    for line in REFERENCE.lines().filter(|line| !line.starts_with('#')) {
        let (date_text, kind) = line
            .split_once(' ')
            .unwrap_or_else(|| panic!("reference line `{line}`"));
        let date: Date = date_text
            .parse()
            .unwrap_or_else(|error| panic!("reference line `{line}`: {error}"));
        assert_eq!(
            date, expected_date,
            "the reference lists every date in order"
        );
        let reference_says_working = match kind {
            "W" => true,
            "H" => false,
            other => panic!("reference line `{line}`: kind `{other}` is neither W nor H"),
        };
        let official = REFERENCE_ERRATA
            .iter()
            .find(|(erratum, _)| *erratum == date_text)
            .map_or(reference_says_working, |(_, working)| *working);
        let ours = calendar::is_working_day(date).unwrap_or_else(|error| panic!("{date}: {error}"));
        if ours != official {
            disagreements.push(format!(
                "{date} ({:?}): calendar says {}, reference says {}",
                calendar::day_kind(date),
                if ours { "working" } else { "rest" },
                if official { "working" } else { "rest" },
            ));
        }
        compared += 1;
        expected_date = date.next_day().expect("next day");
    }
    assert_eq!(
        compared,
        366 + 365 + 365,
        "every date of 2024, 2025 and 2026"
    );
    assert!(
        disagreements.is_empty(),
        "disagreements with the reference:\n{}",
        disagreements.join("\n")
    );
}
