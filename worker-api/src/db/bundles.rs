//! Reading a committed draw's bundle part by part, for streaming it (`GET /api/public/draws/:id`),
//! and the public generation that keys the edge cache.

use serde::Deserialize;
use worker::{D1Database, query};

use crate::error::{AppError, AppResult};

#[derive(Deserialize)]
struct GenerationRow {
    generation: i64,
}

/// `public_generation`: bumped by every publication, commit and void (migration 0011).
pub(crate) async fn public_generation(db: &D1Database) -> AppResult<i64> {
    let row: GenerationRow = db
        .prepare("SELECT generation FROM public_generation WHERE id = 1")
        .first(None)
        .await?
        .ok_or_else(|| AppError::Internal("public_generation is empty".to_owned()))?;
    Ok(row.generation)
}

#[derive(Deserialize)]
struct InlineRow {
    bundle_json: String,
}

/// The bundle of draw `id` when it was stored in its own row (before migration 0013); `None`
/// when it is stored in parts.
pub(crate) async fn inline_bundle(db: &D1Database, id: i64) -> AppResult<Option<String>> {
    let row: Option<InlineRow> = query!(
        db,
        "SELECT bundle_json FROM draws WHERE id = ?1 AND bundle_json <> ''",
        &id
    )?
    .first(None)
    .await?;
    Ok(row.map(|row| row.bundle_json))
}

#[derive(Deserialize)]
struct PartRow {
    part: String,
}

/// Part `seq` (from 0) of draw `id`'s bundle, or `None` past the last one.
pub(crate) async fn bundle_part(db: &D1Database, id: i64, seq: i64) -> AppResult<Option<String>> {
    let row: Option<PartRow> = query!(
        db,
        "SELECT part FROM text_parts WHERE owner = 'draw_bundle' AND owner_id = ?1 AND seq = ?2",
        &id,
        &seq
    )?
    .first(None)
    .await?;
    Ok(row.map(|row| row.part))
}
