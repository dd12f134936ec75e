//! The worker's one clock. Only the outer shell reads time; the domain gets it as an argument.
//!
//! A test server pins it: the harness (`xtask::server::DevServer`) starts `wrangler dev` with
//! `SUICHA_TEST_CLOCK_OFFSET_MS`, the milliseconds to add to the real clock so that it starts
//! at a fixed instant. Nothing else sets that variable; without it the offset is zero.

use std::sync::atomic::{AtomicI64, Ordering};

use shared::calendar::Date;
use worker::Env;

use crate::error::{AppError, AppResult};

/// The variable only the test harness sets.
const TEST_CLOCK_VAR: &str = "SUICHA_TEST_CLOCK_OFFSET_MS";

static OFFSET_MILLIS: AtomicI64 = AtomicI64::new(0);

/// Reads the test clock's offset from the environment; called as every event enters.
pub(crate) fn configure(env: &Env) {
    let offset = env
        .var(TEST_CLOCK_VAR)
        .ok()
        .and_then(|value| value.to_string().trim().parse::<i64>().ok())
        .unwrap_or(0);
    OFFSET_MILLIS.store(offset, Ordering::Relaxed);
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_millis() -> i64 {
    js_sys::Date::now() as i64 + OFFSET_MILLIS.load(Ordering::Relaxed)
}

/// The current instant as RFC 3339 UTC with milliseconds, e.g. `2026-11-28T09:30:00.000Z`.
pub(crate) fn now_rfc3339() -> String {
    let instant = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(now_millis() as f64));
    String::from(instant.to_iso_string())
}

/// The current calendar year and date (`YYYY-MM-DD`) in UTC: the year of the directory's
/// counts and the day a directory change takes effect.
pub(crate) fn utc_today() -> (i64, String) {
    let now = now_rfc3339();
    let year = now[..4].parse().unwrap_or(2026);
    (year, now[..10].to_owned())
}

/// Today's date in China (UTC+8, no daylight saving): deadlines count China's working days.
pub(crate) fn china_today() -> Date {
    let days = (now_millis() + 8 * 3_600_000).div_euclid(86_400_000);
    Date::from_days_since_unix_epoch(days)
        .expect("the worker's clock is within the calendar's range")
}

/// A stored `YYYY-MM-DD` date; `what` names the column for the log if it is malformed.
pub(crate) fn stored_date(what: &str, text: &str) -> AppResult<Date> {
    text.parse()
        .map_err(|_| AppError::Internal(format!("{what} holds {text:?}")))
}

/// The day in China of a stored UTC instant (RFC 3339): deadlines count China's working days.
pub(crate) fn stored_china_date(what: &str, instant: &str) -> AppResult<Date> {
    shared::stats::china_date(instant)
        .ok_or_else(|| AppError::Internal(format!("{what} holds {instant:?}")))
}
