//! The audit log: browse, verify, export.

use shared::api::{AuditPage, AuditVerification};
use shared::audit::{AuditEntry, verify_chain};
use worker::{Response, query};

use crate::audit::AuditRow;
use crate::error::{AppError, AppResult};
use crate::http::{Ctx, json};

const PAGE_SIZE: i64 = 100;
const COLUMNS: &str = "seq, at, actor_id, actor, action, target, before_digest, after_digest, detail, prev_hash, hash";

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
    crate::audit::chain_all(db).await?;
    let rows: Vec<AuditRow> = query!(
        db,
        &format!(
            "SELECT {COLUMNS} FROM audit_log
              WHERE seq < ?1 AND (?2 IS NULL OR actor = ?2) AND (?3 IS NULL OR action LIKE ?3)
                AND (?4 IS NULL OR at >= ?4) AND (?5 IS NULL OR at < ?5)
              ORDER BY seq DESC LIMIT ?6"
        ),
        &before,
        &actor,
        &action,
        &from,
        &to,
        &(PAGE_SIZE + 1)
    )?
    .all()
    .await?
    .results()?;
    let mut entries: Vec<AuditEntry> = rows.into_iter().map(AuditRow::into_entry).collect();
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

async fn whole_log(ctx: &Ctx) -> AppResult<Vec<AuditEntry>> {
    crate::audit::chain_all(&ctx.db).await?;
    let rows: Vec<AuditRow> = ctx
        .db
        .prepare(format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq"))
        .all()
        .await?
        .results()?;
    Ok(rows.into_iter().map(AuditRow::into_entry).collect())
}

/// `GET /api/audit/verify`: walks the whole chain and reports the first broken link.
pub(crate) async fn verify(ctx: Ctx) -> AppResult<Response> {
    let entries = whole_log(&ctx).await?;
    json(&AuditVerification {
        entries: entries.len() as u64,
        broken: verify_chain(&entries).err(),
    })
}

/// `GET /api/audit/export`: the whole log, oldest first, for `suicha audit verify FILE`.
pub(crate) async fn export(ctx: Ctx) -> AppResult<Response> {
    let entries = whole_log(&ctx).await?;
    let mut response = json(&entries)?;
    response.headers_mut().set(
        "content-disposition",
        "attachment; filename=\"suicha-audit-log.json\"",
    )?;
    Ok(response)
}
