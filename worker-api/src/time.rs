//! The worker's clock. Only the outer shell reads time; the domain gets it as an argument.

/// Milliseconds since the Unix epoch.
pub(crate) fn now_millis() -> i64 {
    js_sys::Date::now() as i64
}

/// The current instant as RFC 3339 UTC with milliseconds, e.g. `2026-11-28T09:30:00.000Z`.
pub(crate) fn now_rfc3339() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}
