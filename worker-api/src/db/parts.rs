//! Texts larger than one D1 value (2 MB): sealed inputs and draw bundles, stored in parts of at
//! most [`PART_BYTES`] in `text_parts` (migration 0013) and read back in order.

use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement, query};

use crate::error::{AppError, AppResult};

/// The largest part, in bytes: well under D1's 2 MB limit on one value, and small enough that
/// the demo county's input (≈ 0.7 MB) already takes two parts, so every test exercises the
/// joining.
pub(crate) const PART_BYTES: usize = 512 * 1024;

/// What a text belongs to.
#[derive(Clone, Copy)]
pub(crate) enum Owner {
    /// The sealed input of task `id`.
    SealedInput(i64),
    /// The bundle of the draw `attempt` of task `task` (its id is known only inside the batch
    /// that inserts it).
    DrawBundle { task: i64, attempt: i64 },
}

/// `text` cut into parts of at most `limit` bytes, each ending on a character boundary.
pub(crate) fn split(text: &str, limit: usize) -> Vec<&str> {
    assert!(limit >= 4, "a part holds at least one character");
    let mut parts = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = rest.len().min(limit);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        parts.push(&rest[..end]);
        rest = &rest[end..];
    }
    parts
}

/// The statements that store `text` for `owner`, for the same batch as the row it belongs to.
pub(crate) fn store(
    db: &D1Database,
    owner: Owner,
    text: &str,
) -> AppResult<Vec<D1PreparedStatement>> {
    split(text, PART_BYTES)
        .into_iter()
        .enumerate()
        .map(|(seq, part)| {
            let seq = seq as i64;
            Ok(match owner {
                Owner::SealedInput(task) => query!(
                    db,
                    "INSERT INTO text_parts (owner, owner_id, seq, part) VALUES ('sealed_input', ?1, ?2, ?3)",
                    &task,
                    &seq,
                    &part
                )?,
                Owner::DrawBundle { task, attempt } => query!(
                    db,
                    "INSERT INTO text_parts (owner, owner_id, seq, part)
                     SELECT 'draw_bundle', id, ?3, ?4 FROM draws WHERE task_id = ?1 AND attempt = ?2",
                    &task,
                    &attempt,
                    &seq,
                    &part
                )?,
            })
        })
        .collect()
}

#[derive(Deserialize)]
struct PartRow {
    part: String,
}

/// The text stored for (`owner`, `id`) — `owner` is `sealed_input` or `draw_bundle` — or
/// `inline` when it was stored in its row before migration 0013.
pub(crate) async fn read(
    db: &D1Database,
    owner: &str,
    id: i64,
    inline: String,
) -> AppResult<String> {
    if !inline.is_empty() {
        return Ok(inline);
    }
    let parts: Vec<PartRow> = query!(
        db,
        "SELECT part FROM text_parts WHERE owner = ?1 AND owner_id = ?2 ORDER BY seq",
        &owner,
        &id
    )?
    .all()
    .await?
    .results()?;
    if parts.is_empty() {
        return Err(AppError::Internal(format!(
            "{owner} {id} has no stored text"
        )));
    }
    Ok(parts.into_iter().map(|row| row.part).collect())
}

/// Part `seq` (from 0) of the text stored for (`owner`, `id`), or `None` past the last one:
/// for a reader that streams the text without holding it whole.
pub(crate) async fn part(
    db: &D1Database,
    owner: &str,
    id: i64,
    seq: i64,
) -> AppResult<Option<String>> {
    let row: Option<PartRow> = query!(
        db,
        "SELECT part FROM text_parts WHERE owner = ?1 AND owner_id = ?2 AND seq = ?3",
        &owner,
        &id,
        &seq
    )?
    .first(None)
    .await?;
    Ok(row.map(|row| row.part))
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn parts_end_on_character_boundaries_and_join_back() {
        let text = "县生态环境局abc".repeat(1000);
        for limit in [1, 2, 3, 4, 7, 100, 4096, text.len(), text.len() + 1] {
            let parts = split(&text, limit.max(4));
            assert!(
                parts
                    .iter()
                    .all(|part| part.len() <= limit.max(4) && !part.is_empty())
            );
            assert_eq!(parts.concat(), text);
        }
        assert!(split("", 10).is_empty());
    }
}
