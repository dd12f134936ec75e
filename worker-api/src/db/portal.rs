//! What the public portal reads besides publications, draws and the checklist: the public
//! generation its cache is keyed by, and the drawn objects' credit codes.

use serde::Deserialize;
use worker::{D1Database, query};

use crate::error::{AppError, AppResult};

#[derive(Deserialize)]
struct Generation {
    generation: i64,
}

/// The public generation, bumped by every publication, commit and void in their transaction.
pub(crate) async fn generation(db: &D1Database) -> AppResult<i64> {
    let row: Generation = db
        .prepare("SELECT generation FROM public_generation WHERE id = 1")
        .first(None)
        .await?
        .ok_or_else(|| AppError::Internal("public_generation is empty".to_owned()))?;
    Ok(row.generation)
}

#[derive(Deserialize)]
struct CodeRow {
    id: i64,
    credit_code: String,
}

/// The credit codes of `objects`, as `(object id, credit code)`.
pub(crate) async fn credit_codes(
    db: &D1Database,
    objects: &[i64],
) -> AppResult<Vec<(i64, String)>> {
    let objects_json =
        serde_json::to_string(objects).map_err(|err| AppError::Internal(err.to_string()))?;
    let rows: Vec<CodeRow> = query!(
        db,
        "SELECT id, credit_code FROM objects WHERE id IN (SELECT value FROM json_each(?1))",
        &objects_json
    )?
    .all()
    .await?
    .results()?;
    Ok(rows
        .into_iter()
        .map(|row| (row.id, row.credit_code))
        .collect())
}
