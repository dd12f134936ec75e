//! The worker's clock. Only the outer shell reads time; the domain gets it as an argument.

use shared::calendar::Date;

use crate::error::{AppError, AppResult};

/// Milliseconds since the Unix epoch.
pub(crate) fn now_millis() -> i64 {
    js_sys::Date::now() as i64
}

/// The current instant as RFC 3339 UTC with milliseconds, e.g. `2026-11-28T09:30:00.000Z`.
pub(crate) fn now_rfc3339() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
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
