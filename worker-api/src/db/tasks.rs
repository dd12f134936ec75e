//! Draw tasks and their draws: `draw_tasks`, `draws`, `draw_voids` and the commits'
//! `idempotency_keys`. The sealed input and the bundle are large texts kept in `text_parts`
//! (see `crate::parts`).

use std::collections::BTreeMap;

use serde::Deserialize;
use shared::api::{DrawSummary, DrawVoid, PublicDraw, Task, TaskRequest};
use shared::draw::{Digest32, DrawSpec, Period};
use worker::{D1Database, D1PreparedStatement, query};

use super::parts;
use super::{stored_json, vocabulary};
use crate::error::{AppError, AppResult};

#[derive(Deserialize)]
struct TaskRow {
    id: i64,
    name: String,
    owner_section: Option<String>,
    spec_json: String,
    exclusions_json: String,
    status: String,
    created_at: String,
    sealed_hash: Option<String>,
    sealed_at: Option<String>,
}

const TASK_COLUMNS: &str = "id, name, owner_section, spec_json, exclusions_json, status, created_at, sealed_hash, sealed_at";

fn digest(hex: &str) -> AppResult<Digest32> {
    Digest32::from_hex(hex).map_err(|_| AppError::Internal(format!("stored digest {hex}")))
}

/// A stored task (its `draws` left empty) with its spec as stored, for audit digests.
pub(crate) struct StoredTask {
    pub(crate) task: Task,
    pub(crate) spec_json: String,
}

impl TaskRow {
    fn into_stored(self) -> AppResult<StoredTask> {
        let spec: DrawSpec = stored_json("spec", &self.spec_json)?;
        Ok(StoredTask {
            task: Task {
                id: self.id,
                name: self.name,
                owner_section: self.owner_section,
                period: spec.period,
                status: vocabulary("draw_tasks.status", &self.status)?,
                spec,
                exclusions: stored_json("exclusions", &self.exclusions_json)?,
                created_at: self.created_at,
                sealed_hash: self.sealed_hash.as_deref().map(digest).transpose()?,
                sealed_at: self.sealed_at,
                draws: Vec::new(),
            },
            spec_json: self.spec_json,
        })
    }
}

#[derive(Deserialize)]
struct DrawRow {
    id: i64,
    task_id: i64,
    task_name: String,
    attempt: i64,
    year: i64,
    quarter: i64,
    algorithm_version: i64,
    sealed_hash: String,
    seed: String,
    result_hash: String,
    committed_at: String,
    selected: i64,
    void_reason: Option<String>,
    voided_at: Option<String>,
}

const DRAW_SELECT: &str = "SELECT d.id, d.task_id, t.name AS task_name, d.attempt, t.year, t.quarter, d.algorithm_version,
        d.sealed_hash, d.seed, d.result_hash, d.committed_at,
        (SELECT count(*) FROM inspections i WHERE i.draw_id = d.id) AS selected,
        v.reason AS void_reason, v.voided_at
   FROM draws d JOIN draw_tasks t ON t.id = d.task_id LEFT JOIN draw_voids v ON v.draw_id = d.id";

impl DrawRow {
    fn into_summary(self) -> AppResult<DrawSummary> {
        Ok(DrawSummary {
            id: self.id,
            task_id: self.task_id,
            task_name: self.task_name,
            attempt: self.attempt as u32,
            period: Period {
                year: self.year as u16,
                quarter: self.quarter as u8,
            },
            algorithm_version: self.algorithm_version as u32,
            sealed_hash: digest(&self.sealed_hash)?,
            seed: digest(&self.seed)?,
            result_hash: digest(&self.result_hash)?,
            committed_at: self.committed_at,
            selected: self.selected as u32,
            void: match (self.void_reason, self.voided_at) {
                (Some(reason), Some(voided_at)) => Some(DrawVoid { reason, voided_at }),
                _ => None,
            },
        })
    }
}

fn summaries(rows: Vec<DrawRow>) -> AppResult<Vec<DrawSummary>> {
    rows.into_iter().map(DrawRow::into_summary).collect()
}

/// One task, without its draws.
pub(crate) async fn find(db: &D1Database, id: i64) -> AppResult<Option<StoredTask>> {
    let row: Option<TaskRow> = query!(
        db,
        &format!("SELECT {TASK_COLUMNS} FROM draw_tasks WHERE id = ?1"),
        &id
    )?
    .first(None)
    .await?;
    row.map(TaskRow::into_stored).transpose()
}

/// Every task with its draws, newest period first. The draws are read in one query and
/// grouped here (not one query per task).
pub(crate) async fn all(db: &D1Database) -> AppResult<Vec<Task>> {
    let rows: Vec<TaskRow> = db
        .prepare(format!(
            "SELECT {TASK_COLUMNS} FROM draw_tasks ORDER BY year DESC, quarter DESC, id DESC"
        ))
        .all()
        .await?
        .results()?;
    let draw_rows: Vec<DrawRow> = db
        .prepare(format!("{DRAW_SELECT} ORDER BY d.task_id, d.attempt"))
        .all()
        .await?
        .results()?;
    let mut draws_by_task: BTreeMap<i64, Vec<DrawSummary>> = BTreeMap::new();
    for summary in summaries(draw_rows)? {
        draws_by_task
            .entry(summary.task_id)
            .or_default()
            .push(summary);
    }
    rows.into_iter()
        .map(|row| {
            let mut task = row.into_stored()?.task;
            task.draws = draws_by_task.remove(&task.id).unwrap_or_default();
            Ok(task)
        })
        .collect()
}

/// A task's draws, first attempt first.
pub(crate) async fn draws_of(db: &D1Database, task_id: i64) -> AppResult<Vec<DrawSummary>> {
    let rows: Vec<DrawRow> = query!(
        db,
        &format!("{DRAW_SELECT} WHERE d.task_id = ?1 ORDER BY d.attempt"),
        &task_id
    )?
    .all()
    .await?
    .results()?;
    summaries(rows)
}

/// The stored texts of a task request.
pub(crate) struct TaskTexts<'a> {
    pub(crate) request: &'a TaskRequest,
    pub(crate) spec_json: &'a str,
    pub(crate) exclusions_json: &'a str,
}

/// A new draft task.
pub(crate) fn insert(
    db: &D1Database,
    task: &TaskTexts<'_>,
    now: &str,
    account: i64,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO draw_tasks (name, year, quarter, owner_section, spec_json, exclusions_json, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        &task.request.name,
        &task.request.spec.period.year,
        &task.request.spec.period.quarter,
        &task.request.owner_section,
        &task.spec_json,
        &task.exclusions_json,
        &now,
        &account
    )?)
}

/// A draft's new name, owner, spec and exclusions (nothing once it is sealed).
pub(crate) fn update_draft(
    db: &D1Database,
    id: i64,
    task: &TaskTexts<'_>,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE draw_tasks SET name = ?1, year = ?2, quarter = ?3, owner_section = ?4, spec_json = ?5, exclusions_json = ?6
          WHERE id = ?7 AND status = 'draft'",
        &task.request.name,
        &task.request.spec.period.year,
        &task.request.spec.period.quarter,
        &task.request.owner_section,
        &task.spec_json,
        &task.exclusions_json,
        &id
    )?)
}

/// Seals a draft: its status and the input's hash (the input itself goes to `text_parts`).
pub(crate) fn seal(
    db: &D1Database,
    id: i64,
    hash: &str,
    now: &str,
    account: i64,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE draw_tasks SET status = 'sealed', sealed_input_json = '', sealed_hash = ?1, sealed_at = ?2, sealed_by = ?3
          WHERE id = ?4 AND status = 'draft'",
        &hash,
        &now,
        &account,
        &id
    )?)
}

#[derive(Deserialize)]
struct SealedRow {
    sealed_input_json: String,
    sealed_hash: String,
}

/// A sealed task's canonical input (JSON text) and its stored hash.
pub(crate) async fn sealed_input(db: &D1Database, id: i64) -> AppResult<(String, String)> {
    let row: SealedRow = query!(
        db,
        "SELECT sealed_input_json, sealed_hash FROM draw_tasks WHERE id = ?1",
        &id
    )?
    .first(None)
    .await?
    .ok_or_else(|| AppError::Internal("the sealed task vanished".to_owned()))?;
    let input_json = parts::read(db, "sealed_input", id, row.sealed_input_json).await?;
    Ok((input_json, row.sealed_hash))
}

/// A committed draw's row (its bundle goes to `text_parts`).
pub(crate) struct NewDraw<'a> {
    pub(crate) task_id: i64,
    pub(crate) attempt: i64,
    pub(crate) algorithm_version: u32,
    pub(crate) sealed_hash: &'a str,
    pub(crate) server_entropy: String,
    pub(crate) witness: &'a Option<String>,
    pub(crate) seed: String,
    pub(crate) result_hash: String,
    pub(crate) committed_at: &'a str,
    pub(crate) committed_by: i64,
}

pub(crate) fn insert_draw(db: &D1Database, draw: &NewDraw<'_>) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO draws (task_id, attempt, algorithm_version, sealed_hash, server_entropy, witness, seed, bundle_json,
                            result_hash, committed_at, committed_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        &draw.task_id,
        &draw.attempt,
        &draw.algorithm_version,
        &draw.sealed_hash,
        &draw.server_entropy,
        draw.witness,
        &draw.seed,
        &"",
        &draw.result_hash,
        &draw.committed_at,
        &draw.committed_by
    )?)
}

/// Marks a task drawn.
pub(crate) fn mark_committed(db: &D1Database, id: i64) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE draw_tasks SET status = 'committed' WHERE id = ?1",
        &id
    )?)
}

/// What a commit's `Idempotency-Key` was first used for.
#[derive(Deserialize)]
pub(crate) struct StoredKey {
    pub(crate) account_id: i64,
    pub(crate) request_hash: String,
    pub(crate) task_id: i64,
    pub(crate) attempt: i64,
}

pub(crate) async fn stored_key(db: &D1Database, key: &str) -> AppResult<Option<StoredKey>> {
    Ok(query!(
        db,
        "SELECT account_id, request_hash, task_id, attempt FROM idempotency_keys WHERE key = ?1",
        &key
    )?
    .first(None)
    .await?)
}

/// Remembers a commit's `Idempotency-Key` with the request it came with.
pub(crate) fn remember_key(
    db: &D1Database,
    key: &str,
    stored: &StoredKey,
    now: &str,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO idempotency_keys (key, account_id, request_hash, task_id, attempt, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &key,
        &stored.account_id,
        &stored.request_hash,
        &stored.task_id,
        &stored.attempt,
        &now
    )?)
}

/// The id of a task's draw `attempt`.
pub(crate) async fn draw_id(db: &D1Database, task_id: i64, attempt: i64) -> AppResult<i64> {
    query!(
        db,
        "SELECT id FROM draws WHERE task_id = ?1 AND attempt = ?2",
        &task_id,
        &attempt
    )?
    .first(Some("id"))
    .await?
    .ok_or_else(|| AppError::Internal(format!("no draw {attempt} of task {task_id}")))
}

/// Voids a draw, with its reason.
pub(crate) fn insert_void(
    db: &D1Database,
    draw_id: i64,
    reason: &str,
    now: &str,
    account: i64,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO draw_voids (draw_id, reason, voided_at, voided_by) VALUES (?1, ?2, ?3, ?4)",
        &draw_id,
        &reason,
        &now,
        &account
    )?)
}

#[derive(Deserialize)]
struct BundleRow {
    bundle_json: String,
}

/// The summary of committed draw `id` (its void included), without its bundle.
pub(crate) async fn summary(db: &D1Database, id: i64) -> AppResult<Option<DrawSummary>> {
    let row: Option<DrawRow> = query!(db, &format!("{DRAW_SELECT} WHERE d.id = ?1"), &id)?
        .first(None)
        .await?;
    row.map(DrawRow::into_summary).transpose()
}

/// The bundle of draw `id` as stored in its own row before migration 0013; `None` when it is
/// stored in parts (`text_parts`, owner `draw_bundle`), read with [`parts::part`].
pub(crate) async fn inline_bundle(db: &D1Database, id: i64) -> AppResult<Option<String>> {
    let row: BundleRow = query!(db, "SELECT bundle_json FROM draws WHERE id = ?1", &id)?
        .first(None)
        .await?
        .ok_or_else(|| AppError::Internal("the draw vanished".to_owned()))?;
    Ok(Some(row.bundle_json).filter(|json| !json.is_empty()))
}

/// One committed draw with its bundle, parsed (for the draw's own checks; the API streams
/// the stored text instead).
pub(crate) async fn public_draw(db: &D1Database, id: i64) -> AppResult<Option<PublicDraw>> {
    let Some(draw) = summary(db, id).await? else {
        return Ok(None);
    };
    let inline = inline_bundle(db, id).await?.unwrap_or_default();
    let bundle_json = parts::read(db, "draw_bundle", id, inline).await?;
    Ok(Some(PublicDraw {
        draw,
        bundle: stored_json("bundle", &bundle_json)?,
    }))
}

/// Every committed draw, newest first, voided ones included.
pub(crate) async fn committed(db: &D1Database) -> AppResult<Vec<DrawSummary>> {
    let rows: Vec<DrawRow> = db
        .prepare(format!("{DRAW_SELECT} ORDER BY d.id DESC"))
        .all()
        .await?
        .results()?;
    summaries(rows)
}
