//! The bureau this installation serves (`bureau`, one row).

use serde::Deserialize;
use shared::api::Bureau;
use worker::{D1Database, D1PreparedStatement};

use super::{Param, bind};
use crate::error::AppResult;

/// The bureau, or an unconfigured one on a new installation.
pub(crate) async fn find(db: &D1Database) -> AppResult<Bureau> {
    #[derive(Deserialize)]
    struct Row {
        name: String,
        region: String,
    }
    let row: Option<Row> = bind(db, "SELECT name, region FROM bureau WHERE id = 1", &[])?
        .first(None)
        .await?;
    Ok(row.map_or_else(Bureau::default, |row| Bureau {
        configured: true,
        name: row.name,
        region: row.region,
    }))
}

/// Whether the installation is new: no bureau and no account yet.
pub(crate) async fn is_new(db: &D1Database) -> AppResult<bool> {
    #[derive(Deserialize)]
    struct Row {
        n: i64,
    }
    let row: Option<Row> = bind(
        db,
        "SELECT (SELECT count(*) FROM bureau) + (SELECT count(*) FROM accounts) AS n",
        &[],
    )?
    .first(None)
    .await?;
    Ok(row.is_some_and(|row| row.n == 0))
}

/// The first bureau row; a second setup fails on the primary key (`Unique`).
pub(crate) fn insert(
    db: &D1Database,
    name: &str,
    region: &str,
    now: &str,
) -> AppResult<D1PreparedStatement> {
    bind(
        db,
        "INSERT INTO bureau (id, name, region, created_at, updated_at) VALUES (1, ?1, ?2, ?3, ?3)",
        &[
            Param::Text(name.to_owned()),
            Param::Text(region.to_owned()),
            Param::Text(now.to_owned()),
        ],
    )
}

pub(crate) fn update(
    db: &D1Database,
    name: &str,
    region: &str,
    now: &str,
) -> AppResult<D1PreparedStatement> {
    bind(
        db,
        "UPDATE bureau SET name = ?1, region = ?2, updated_at = ?3 WHERE id = 1",
        &[
            Param::Text(name.to_owned()),
            Param::Text(region.to_owned()),
            Param::Text(now.to_owned()),
        ],
    )
}
