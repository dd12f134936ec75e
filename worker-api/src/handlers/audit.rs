//! The audit log: browse, verify, export.

use shared::api::{AuditPage, AuditVerification};
use shared::audit::verify_chain;
use worker::Response;

use crate::ctx::{Ctx, json};
use crate::db::audit::{self, AuditFilter};
use crate::error::{AppError, AppResult};

const PAGE_SIZE: i64 = 100;

/// `GET /api/audit?actor=&action=&from=&to=&before=`: newest first, [`PAGE_SIZE`] at a time.
/// `action` matches a prefix (`account.` finds every account change); `from`/`to` are dates
/// (`YYYY-MM-DD`, inclusive) compared with the entry's UTC time.
pub(crate) async fn list(ctx: Ctx) -> AppResult<Response> {
    let actor = ctx.query("actor");
    let action = ctx
        .query("action")
        .map(|a| format!("{}%", a.replace(['%', '_'], "")));
    let from = ctx.query("from");
    let to = ctx.query("to").map(|d| format!("{d}T99"));
    for date in [&from, &ctx.query("to")].into_iter().flatten() {
        let valid = date.len() == 10
            && date.chars().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !valid {
            return Err(AppError::bad_request(
                "invalid_date",
                format!("日期格式应为 YYYY-MM-DD：{date} / dates are YYYY-MM-DD"),
            ));
        }
    }
    let before = match ctx.query("before") {
        Some(raw) => raw.parse::<i64>().map_err(|_| {
            AppError::bad_request(
                "invalid_cursor",
                format!("before 须为数字：{raw} / before must be a number"),
            )
        })?,
        // No cursor: from the newest entry (the largest integer a JavaScript number holds).
        None => (1 << 53) - 1,
    };
    let db = &ctx.db;
    // Entries still queued behind their changes are chained first: the page shows them all.
    crate::audit::chain_all(db).await?;
    let mut entries = audit::page(
        db,
        &AuditFilter {
            before,
            actor,
            action_like: action,
            from,
            to,
            limit: PAGE_SIZE + 1,
        },
    )
    .await?;
    let next_before = if entries.len() as i64 > PAGE_SIZE {
        entries.truncate(PAGE_SIZE as usize);
        entries.last().map(|entry| entry.seq)
    } else {
        None
    };
    json(&AuditPage {
        entries,
        next_before,
    })
}

/// `GET /api/audit/verify`: walks the whole chain and reports the first broken link.
pub(crate) async fn verify(ctx: Ctx) -> AppResult<Response> {
    crate::audit::chain_all(&ctx.db).await?;
    let entries = audit::all(&ctx.db).await?;
    json(&AuditVerification {
        entries: entries.len() as u64,
        broken: verify_chain(&entries).err(),
    })
}

/// `GET /api/audit/export`: the whole log, oldest first, for `suicha audit verify FILE`.
pub(crate) async fn export(ctx: Ctx) -> AppResult<Response> {
    crate::audit::chain_all(&ctx.db).await?;
    let entries = audit::all(&ctx.db).await?;
    let mut response = json(&entries)?;
    response.headers_mut().set(
        "content-disposition",
        "attachment; filename=\"suicha-audit-log.json\"",
    )?;
    Ok(response)
}
