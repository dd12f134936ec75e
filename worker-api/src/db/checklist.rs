//! The checklist of inspection items (`checklist_items`): the one query that reads it.

use serde::Deserialize;
use shared::checklist::{ChecklistItem, ChecklistItemId};
use worker::D1Database;

use crate::error::AppResult;

#[derive(Deserialize)]
struct ChecklistRow {
    id: i64,
    code: String,
    section: String,
    content: String,
    legal_basis: String,
}

/// Every checklist item, in code order (ties by id). A few dozen rows: callers that need them
/// by id or in another order sort or index this list.
pub(crate) async fn all(db: &D1Database) -> AppResult<Vec<ChecklistItem>> {
    let rows: Vec<ChecklistRow> = db
        .prepare(
            "SELECT id, code, section, content, legal_basis FROM checklist_items ORDER BY code, id",
        )
        .all()
        .await?
        .results()?;
    Ok(rows
        .into_iter()
        .map(|row| ChecklistItem {
            id: ChecklistItemId(row.id),
            code: row.code,
            section: row.section,
            content: row.content,
            legal_basis: row.legal_basis,
        })
        .collect())
}
