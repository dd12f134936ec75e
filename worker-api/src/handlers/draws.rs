//! The draw lifecycle: tasks (draft → sealed → committed), commits with idempotency and
//! exactly-once semantics, voids, and the public draw pages' data.

use serde::Deserialize;
use sha2::{Digest as _, Sha256};
use shared::api::{
    CommitRequest, DrawSummary, DrawVoid, PreviewInput, PublicDraw, PublicDrawList, Task, TaskList,
    TaskRequest, TaskStatus, VoidRequest,
};
use shared::authz::Role;
use shared::draw::{
    Digest32, DrawBundle, DrawInput, DrawResult, DrawSpec, Period, SealedInput, SectionId,
    SeedParts, TeamOutcome, validate_witness,
};
use worker::{D1Database, Response, query};

use crate::audit::{self, Actor, Change};
use crate::auth::{self, Session};
use crate::error::{AppError, AppResult};
use crate::http::{Ctx, json};
use crate::parts;
use crate::snapshot;
use crate::time::now_rfc3339;

const MAX_EXCLUSIONS: usize = 100_000;

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

fn parse_status(status: &str) -> AppResult<TaskStatus> {
    match status {
        "draft" => Ok(TaskStatus::Draft),
        "sealed" => Ok(TaskStatus::Sealed),
        "committed" => Ok(TaskStatus::Committed),
        other => Err(AppError::Internal(format!("task status {other}"))),
    }
}

pub(crate) fn stored_json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> AppResult<T> {
    serde_json::from_str(text).map_err(|err| AppError::Internal(format!("stored {what}: {err}")))
}

fn digest(hex: &str) -> AppResult<Digest32> {
    Digest32::from_hex(hex).map_err(|_| AppError::Internal(format!("stored digest {hex}")))
}

impl TaskRow {
    fn into_task(self, draws: Vec<DrawSummary>) -> AppResult<Task> {
        let spec: DrawSpec = stored_json("spec", &self.spec_json)?;
        Ok(Task {
            id: self.id,
            name: self.name,
            owner_section: self.owner_section,
            period: spec.period,
            status: parse_status(&self.status)?,
            spec,
            exclusions: stored_json("exclusions", &self.exclusions_json)?,
            created_at: self.created_at,
            sealed_hash: self.sealed_hash.as_deref().map(digest).transpose()?,
            sealed_at: self.sealed_at,
            draws,
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

async fn draws_of_task(db: &D1Database, task_id: i64) -> AppResult<Vec<DrawSummary>> {
    let rows: Vec<DrawRow> = query!(
        db,
        &format!("{DRAW_SELECT} WHERE d.task_id = ?1 ORDER BY d.attempt"),
        &task_id
    )?
    .all()
    .await?
    .results()?;
    rows.into_iter().map(DrawRow::into_summary).collect()
}

async fn load_task_row(db: &D1Database, id: i64) -> AppResult<TaskRow> {
    let row: Option<TaskRow> = query!(
        db,
        &format!("SELECT {TASK_COLUMNS} FROM draw_tasks WHERE id = ?1"),
        &id
    )?
    .first(None)
    .await?;
    row.ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的抽查任务 / no task {id}")))
}

/// A section account may only touch its own section's tasks; the enforcement detachment and
/// reading roles see every task.
fn check_scope(session: &Session, owner_section: Option<&str>) -> AppResult<()> {
    if session.role != Role::Section {
        return Ok(());
    }
    let own = session.section_code();
    if own.is_some() && own == owner_section {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A task the caller may change and that is still a draft.
async fn load_draft(db: &D1Database, session: &Session, id: i64) -> AppResult<TaskRow> {
    let row = load_task_row(db, id).await?;
    check_scope(session, row.owner_section.as_deref())?;
    if row.status != "draft" {
        return Err(AppError::Conflict {
            code: "task_sealed",
            message: "任务已封存，不能修改 / the task is sealed and cannot change".to_owned(),
        });
    }
    Ok(row)
}

/// `GET /api/tasks`: newest first.
pub(crate) async fn list_tasks(ctx: Ctx) -> AppResult<Response> {
    let rows: Vec<TaskRow> = ctx
        .db
        .prepare(format!(
            "SELECT {TASK_COLUMNS} FROM draw_tasks ORDER BY year DESC, quarter DESC, id DESC"
        ))
        .all()
        .await?
        .results()?;
    // Every task's draws in one query, grouped here (not one query per task).
    let draw_rows: Vec<DrawRow> = ctx
        .db
        .prepare(format!("{DRAW_SELECT} ORDER BY d.task_id, d.attempt"))
        .all()
        .await?
        .results()?;
    let mut draws_by_task: std::collections::BTreeMap<i64, Vec<DrawSummary>> = Default::default();
    for draw in draw_rows {
        let summary = draw.into_summary()?;
        draws_by_task
            .entry(summary.task_id)
            .or_default()
            .push(summary);
    }
    let tasks = rows
        .into_iter()
        .map(|row| {
            let draws = draws_by_task.remove(&row.id).unwrap_or_default();
            row.into_task(draws)
        })
        .collect::<AppResult<Vec<_>>>()?;
    json(&TaskList { tasks })
}

/// `GET /api/tasks/:id`.
pub(crate) async fn get_task(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let row = load_task_row(&ctx.db, id).await?;
    let draws = draws_of_task(&ctx.db, id).await?;
    json(&row.into_task(draws)?)
}

/// Checks a task request: name, owner section, the spec (by normalizing a draw input with the
/// checklist and no objects), and the exclusion list.
async fn check_task_request(
    db: &D1Database,
    session: &Session,
    request: &mut TaskRequest,
) -> AppResult<()> {
    request.name = request.name.trim().to_owned();
    if !(1..=200).contains(&request.name.chars().count()) {
        return Err(AppError::bad_request(
            "invalid_name",
            "任务名称须为 1–200 个字符 / the name needs 1–200 characters",
        ));
    }
    if let Some(code) = &request.owner_section
        && shared::sections::section_by_code(code).is_none()
    {
        return Err(AppError::bad_request(
            "unknown_section",
            format!("未知科室代码 {code} / unknown section code {code}"),
        ));
    }
    if session.role == Role::Section && request.owner_section.as_deref() != session.section_code() {
        return Err(AppError::Forbidden);
    }
    let probe = DrawInput {
        algorithm_version: shared::draw::AlgorithmVersion::V1,
        spec: request.spec.clone(),
        objects: Vec::new(),
        inspectors: Vec::new(),
        checklist: snapshot::checklist(db).await?,
        history: Default::default(),
    };
    probe.normalized().map_err(|err| {
        AppError::bad_request(
            "invalid_spec",
            format!("抽查规则有误 / invalid spec: {err}"),
        )
    })?;
    if request.exclusions.len() > MAX_EXCLUSIONS {
        return Err(AppError::bad_request(
            "too_many_exclusions",
            "排除名单过长 / too many exclusions",
        ));
    }
    for (line, code) in request.exclusions.iter_mut().enumerate() {
        *code = code.trim().to_uppercase();
        shared::directory::CreditCode::parse(code).map_err(|err| {
            AppError::bad_request(
                "invalid_exclusion",
                format!(
                    "排除名单第 {} 行：{} / exclusion line {}: invalid credit code",
                    line + 1,
                    err.message_zh(),
                    line + 1
                ),
            )
        })?;
    }
    request.exclusions.sort();
    request.exclusions.dedup();
    Ok(())
}

/// `POST /api/tasks`.
pub(crate) async fn create_task(mut ctx: Ctx) -> AppResult<Response> {
    let mut request: TaskRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    check_task_request(db, &session, &mut request).await?;
    let spec_json =
        serde_json::to_string(&request.spec).map_err(|err| AppError::Internal(err.to_string()))?;
    let exclusions_json = serde_json::to_string(&request.exclusions)
        .map_err(|err| AppError::Internal(err.to_string()))?;
    let now = now_rfc3339();
    let insert = query!(
        db,
        "INSERT INTO draw_tasks (name, year, quarter, owner_section, spec_json, exclusions_json, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        &request.name,
        &request.spec.period.year,
        &request.spec.period.quarter,
        &request.owner_section,
        &spec_json,
        &exclusions_json,
        &now,
        &session.account_id
    )?;
    let change = Change {
        action: "task.create",
        target: format!("task:{}", request.name),
        before_digest: String::new(),
        after_digest: shared::audit::record_digest(&spec_json),
        detail: format!("新建抽查任务 {} / created", request.name),
    };
    let results = audit::commit(db, Actor::Account(&session), change, vec![insert]).await?;
    let id = results
        .first()
        .and_then(|result| result.meta().ok().flatten())
        .and_then(|meta| meta.last_row_id)
        .ok_or_else(|| AppError::Internal("no id for the new task".to_owned()))?;
    Ok(json(&load_task_row(db, id).await?.into_task(Vec::new())?)?.with_status(201))
}

/// `PUT /api/tasks/:id`: only while the task is a draft.
pub(crate) async fn update_task(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let mut request: TaskRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let before = load_draft(db, &session, id).await?;
    check_task_request(db, &session, &mut request).await?;
    let spec_json =
        serde_json::to_string(&request.spec).map_err(|err| AppError::Internal(err.to_string()))?;
    let exclusions_json = serde_json::to_string(&request.exclusions)
        .map_err(|err| AppError::Internal(err.to_string()))?;
    let update = query!(
        db,
        "UPDATE draw_tasks SET name = ?1, year = ?2, quarter = ?3, owner_section = ?4, spec_json = ?5, exclusions_json = ?6
          WHERE id = ?7 AND status = 'draft'",
        &request.name,
        &request.spec.period.year,
        &request.spec.period.quarter,
        &request.owner_section,
        &spec_json,
        &exclusions_json,
        &id
    )?;
    let change = Change {
        action: "task.update",
        target: format!("task:{id}"),
        before_digest: shared::audit::record_digest(&before.spec_json),
        after_digest: shared::audit::record_digest(&spec_json),
        detail: format!("修改抽查任务 {} / updated", request.name),
    };
    audit::commit(db, Actor::Account(&session), change, vec![update]).await?;
    json(&load_task_row(db, id).await?.into_task(Vec::new())?)
}

async fn current_input(db: &D1Database, row: &TaskRow) -> AppResult<PreviewInput> {
    let spec: DrawSpec = stored_json("spec", &row.spec_json)?;
    let exclusions: Vec<String> = stored_json("exclusions", &row.exclusions_json)?;
    snapshot::draw_input(db, spec, &exclusions).await
}

/// `GET /api/tasks/:id/input`: the input a preview draws from, from the directory as it is now.
pub(crate) async fn preview_input(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let row = load_task_row(&ctx.db, id).await?;
    json(&current_input(&ctx.db, &row).await?)
}

/// `POST /api/tasks/:id/seal`: freezes the input (directory snapshot + spec + exclusions) and
/// stores its hash. Only then can the task be committed, so the seed's server entropy is drawn
/// after everything it is combined with is fixed and visible.
pub(crate) async fn seal_task(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let row = load_draft(db, &session, id).await?;
    let preview = current_input(db, &row).await?;
    if !preview.unknown_exclusions.is_empty() {
        return Err(AppError::bad_request(
            "unknown_exclusions",
            format!(
                "排除名单中有名录库没有的信用代码：{} / exclusions not in the directory",
                preview.unknown_exclusions.join("、")
            ),
        ));
    }
    let sealed = SealedInput::seal(&preview.input).map_err(|err| {
        AppError::bad_request(
            "invalid_input",
            format!("无法封存：{err} / cannot seal: {err}"),
        )
    })?;
    let input_json =
        serde_json::to_string(sealed.input()).map_err(|err| AppError::Internal(err.to_string()))?;
    let hash = sealed.hash().to_hex();
    let now = now_rfc3339();
    let update = query!(
        db,
        "UPDATE draw_tasks SET status = 'sealed', sealed_input_json = '', sealed_hash = ?1, sealed_at = ?2, sealed_by = ?3
          WHERE id = ?4 AND status = 'draft'",
        &hash,
        &now,
        &session.account_id,
        &id
    )?;
    let change = Change {
        action: "task.seal",
        target: format!("task:{id}"),
        before_digest: String::new(),
        after_digest: hash.clone(),
        detail: format!("封存抽查任务 {}，输入哈希 {hash} / sealed", row.name),
    };
    // The input can exceed one D1 value (2 MB at ≈ 4 000 objects): stored in parts.
    let mut statements = vec![update];
    statements.extend(parts::store(
        db,
        parts::Owner::SealedInput(id),
        &input_json,
    )?);
    audit::commit(db, Actor::Account(&session), change, statements)
        .await
        .map_err(|err| match err {
            // Someone sealed it at the same moment: their parts are there already.
            AppError::Internal(detail) if detail.contains("text_parts") => AppError::Conflict {
                code: "task_sealed",
                message:
                    "任务已被他人同时封存 / the task was sealed by someone else at the same moment"
                        .to_owned(),
            },
            other => other,
        })?;
    let draws = draws_of_task(db, id).await?;
    json(&load_task_row(db, id).await?.into_task(draws)?)
}

#[derive(Deserialize)]
struct StoredKey {
    account_id: i64,
    request_hash: String,
    task_id: i64,
    attempt: i64,
}

#[derive(Deserialize)]
struct SealedRow {
    sealed_input_json: String,
    sealed_hash: String,
}

/// `POST /api/tasks/:id/commit` with an `Idempotency-Key` header: draws 32 bytes of server
/// entropy, derives the seed from the sealed hash, the entropy and the witness digits, runs the
/// engine on the sealed input, and stores the whole bundle.
///
/// Exactly once: a task has at most one live (not voided) draw; two concurrent commits compute
/// the same `attempt`, and `UNIQUE (task_id, attempt)` lets only one in. The same key again
/// replays the first answer; the same key with another request is refused.
pub(crate) async fn commit_task(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let key = ctx
        .req
        .headers()
        .get("idempotency-key")
        .ok()
        .flatten()
        .unwrap_or_default();
    if !(8..=200).contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::bad_request(
            "idempotency_key_required",
            "提交抽取须带 Idempotency-Key 请求头（8–200 个可见字符）/ a commit needs an Idempotency-Key header (8–200 visible characters)",
        ));
    }
    let request: CommitRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let request_hash = auth::to_hex(&Sha256::digest(
        format!(
            "commit\0{id}\0{}",
            request.witness.clone().unwrap_or_default()
        )
        .as_bytes(),
    ));
    if let Some(response) = replay(db, &key, &session, &request_hash).await? {
        return Ok(response);
    }
    if let Some(witness) = &request.witness {
        validate_witness(witness).map_err(|_| {
            AppError::bad_request("invalid_witness", "见证随机数须为 1–128 个字母或数字 / the witness entropy must be 1–128 letters or digits")
        })?;
    }
    let row = load_task_row(db, id).await?;
    check_scope(&session, row.owner_section.as_deref())?;
    if row.status == "draft" {
        return Err(AppError::Conflict {
            code: "task_not_sealed",
            message: "请先封存任务 / seal the task first".to_owned(),
        });
    }
    let existing = draws_of_task(db, id).await?;
    if let Some(live) = existing.iter().find(|draw| draw.void.is_none()) {
        // The same key may have drawn it a moment ago, after the look-up above.
        if let Some(response) = replay(db, &key, &session, &request_hash).await? {
            return Ok(response);
        }
        return Err(AppError::Conflict {
            code: "already_committed",
            message: format!(
                "该任务已抽取（抽取编号 {}）/ the task was already drawn (draw {})",
                live.id, live.id
            ),
        });
    }
    let sealed_row: SealedRow = query!(
        db,
        "SELECT sealed_input_json, sealed_hash FROM draw_tasks WHERE id = ?1",
        &id
    )?
    .first(None)
    .await?
    .ok_or_else(|| AppError::Internal("the sealed task vanished".to_owned()))?;
    let input_json = parts::read(db, "sealed_input", id, sealed_row.sealed_input_json).await?;
    let input: DrawInput = stored_json("sealed input", &input_json)?;
    let sealed = SealedInput::seal(&input)
        .map_err(|err| AppError::Internal(format!("sealed input: {err}")))?;
    if sealed.hash().to_hex() != sealed_row.sealed_hash {
        return Err(AppError::Internal(format!(
            "task {id}: the sealed input no longer matches its hash"
        )));
    }
    let seed_parts = SeedParts::Commit {
        server_entropy: Digest32(auth::random_bytes::<32>()?),
        witness: request.witness.clone(),
    };
    let result = sealed
        .draw_with(&seed_parts)
        .map_err(|err| AppError::Internal(format!("draw: {err}")))?;
    let bundle = DrawBundle {
        input: sealed.input().clone(),
        seed_parts: seed_parts.clone(),
        result,
    };
    let bundle_json =
        serde_json::to_string(&bundle).map_err(|err| AppError::Internal(err.to_string()))?;
    let attempt = existing.len() as i64 + 1;
    let now = now_rfc3339();
    let SeedParts::Commit { server_entropy, .. } = &seed_parts else {
        unreachable!("a commit seed")
    };
    let insert = query!(
        db,
        "INSERT INTO draws (task_id, attempt, algorithm_version, sealed_hash, server_entropy, witness, seed, bundle_json,
                            result_hash, committed_at, committed_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        &id,
        &attempt,
        &bundle.result.algorithm_version.get(),
        &sealed_row.sealed_hash,
        &server_entropy.to_hex(),
        &request.witness,
        &bundle.result.seed.to_hex(),
        &"",
        &bundle.result.result_hash.to_hex(),
        &now,
        &session.account_id
    )?;
    let mark = query!(
        db,
        "UPDATE draw_tasks SET status = 'committed' WHERE id = ?1",
        &id
    )?;
    let remember = query!(
        db,
        "INSERT INTO idempotency_keys (key, account_id, request_hash, task_id, attempt, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &key,
        &session.account_id,
        &request_hash,
        &id,
        &attempt,
        &now
    )?;
    let inspections = inspection_rows(&bundle.result)?;
    let create_inspections = query!(
        db,
        "INSERT INTO inspections (kind, draw_id, task_id, object_id, year, quarter, joint, sections_json, items_json,
                                  lead_inspector_id, created_at, created_by)
         SELECT 'random', d.id, d.task_id, json_extract(j.value, '$.object'), ?4, ?5, json_extract(j.value, '$.joint'),
                json_extract(j.value, '$.sections'), json_extract(j.value, '$.items'), json_extract(j.value, '$.lead'),
                ?6, ?7
           FROM json_each(?1) j JOIN draws d ON d.task_id = ?2 AND d.attempt = ?3",
        &inspections,
        &id,
        &attempt,
        &bundle.result.period.year,
        &bundle.result.period.quarter,
        &now,
        &session.account_id
    )?;
    let create_teams = query!(
        db,
        "INSERT INTO inspection_team (inspection_id, inspector_id, position)
         SELECT i.id, m.value, m.key
           FROM json_each(?1) j
           JOIN draws d ON d.task_id = ?2 AND d.attempt = ?3
           JOIN inspections i ON i.draw_id = d.id AND i.object_id = json_extract(j.value, '$.object'),
                json_each(j.value, '$.members') m",
        &inspections,
        &id,
        &attempt
    )?;
    let change = Change {
        action: "draw.commit",
        target: format!("task:{id}"),
        before_digest: sealed_row.sealed_hash.clone(),
        after_digest: bundle.result.result_hash.to_hex(),
        detail: format!(
            "提交抽取（第 {attempt} 次），种子 {} / committed",
            bundle.result.seed.to_hex()
        ),
    };
    match audit::commit(
        db,
        Actor::Account(&session),
        change,
        [insert]
            .into_iter()
            .chain(parts::store(
                db,
                parts::Owner::DrawBundle { task: id, attempt },
                &bundle_json,
            )?)
            .chain([create_inspections, create_teams, mark, remember])
            .collect(),
    )
    .await
    {
        Ok(_) => {}
        Err(AppError::Internal(message)) if message.contains("UNIQUE constraint failed: draws") => {
            // The same key sent twice at once: both requests drew, one stored its draw (and
            // the key) first. The other answers as that one did.
            if let Some(response) = replay(db, &key, &session, &request_hash).await? {
                return Ok(response);
            }
            return Err(AppError::Conflict {
                code: "already_committed",
                message:
                    "该任务已由他人同时抽取 / the task was drawn by someone else at the same moment"
                        .to_owned(),
            });
        }
        Err(AppError::Internal(message))
            if message.contains("UNIQUE constraint failed: idempotency_keys") =>
        {
            // The same key raced itself: answer as the winner did.
            return replay(db, &key, &session, &request_hash)
                .await?
                .ok_or(AppError::Internal(message));
        }
        Err(err) => return Err(err),
    }
    let draw_id = draw_id_of(db, id, attempt).await?;
    Ok(json(&public_draw(db, draw_id).await?)?.with_status(201))
}

/// The drawn inspections as one JSON array for the commit's `INSERT … SELECT FROM json_each`:
/// `[{object, joint, sections, items, lead, members}]`, members lead first (empty and `lead`
/// null when no team was feasible).
fn inspection_rows(result: &DrawResult) -> AppResult<String> {
    let rows: Vec<serde_json::Value> = result
        .inspections
        .iter()
        .map(|inspection| {
            let (lead, members) = match &inspection.team {
                TeamOutcome::Assigned { lead, members, .. } => (Some(*lead), members.clone()),
                TeamOutcome::Infeasible { .. } => (None, Vec::new()),
            };
            let sections: Vec<&SectionId> =
                inspection.draws.iter().map(|draw| &draw.section).collect();
            serde_json::json!({
                "object": inspection.object,
                "joint": i64::from(inspection.joint),
                "sections": sections,
                "items": inspection.items,
                "lead": lead,
                "members": members,
            })
        })
        .collect();
    serde_json::to_string(&rows).map_err(|err| AppError::Internal(err.to_string()))
}

async fn draw_id_of(db: &D1Database, task_id: i64, attempt: i64) -> AppResult<i64> {
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

/// The answer for a commit whose `Idempotency-Key` was seen before: the draw that request
/// made (201, marked `idempotent-replay: true`), or a refusal if the key came with another
/// request. `None` for a new key.
async fn replay(
    db: &D1Database,
    key: &str,
    session: &Session,
    request_hash: &str,
) -> AppResult<Option<Response>> {
    let stored: Option<StoredKey> = query!(
        db,
        "SELECT account_id, request_hash, task_id, attempt FROM idempotency_keys WHERE key = ?1",
        &key
    )?
    .first(None)
    .await?;
    let Some(stored) = stored else {
        return Ok(None);
    };
    if stored.account_id != session.account_id || stored.request_hash != request_hash {
        return Err(AppError::Conflict {
            code: "idempotency_key_reused",
            message: "该 Idempotency-Key 已用于另一个请求 / this Idempotency-Key was used for a different request".to_owned(),
        });
    }
    let draw_id = draw_id_of(db, stored.task_id, stored.attempt).await?;
    let mut response = json(&public_draw(db, draw_id).await?)?.with_status(201);
    response.headers_mut().set("idempotent-replay", "true")?;
    Ok(Some(response))
}

/// `POST /api/draws/:id/void`: the draw stays public, marked void with the reason; the task
/// can then be drawn again (a new attempt, itself public).
pub(crate) async fn void_draw(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let request: VoidRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let reason = request.reason.trim().to_owned();
    if !(5..=1000).contains(&reason.chars().count()) {
        return Err(AppError::bad_request(
            "reason_required",
            "作废须写明理由（5–1000 字）/ a void needs a reason of 5–1000 characters",
        ));
    }
    let db = &ctx.db;
    let draw = public_draw(db, id).await?;
    let task = load_task_row(db, draw.draw.task_id).await?;
    check_scope(&session, task.owner_section.as_deref())?;
    if draw.draw.void.is_some() {
        return Err(already_voided());
    }
    let insert = query!(
        db,
        "INSERT INTO draw_voids (draw_id, reason, voided_at, voided_by) VALUES (?1, ?2, ?3, ?4)",
        &id,
        &reason,
        &now_rfc3339(),
        &session.account_id
    )?;
    let change = Change {
        action: "draw.void",
        target: format!("draw:{id}"),
        before_digest: draw.draw.result_hash.to_hex(),
        after_digest: String::new(),
        detail: format!("作废抽取：{reason} / voided"),
    };
    match audit::commit(db, Actor::Account(&session), change, vec![insert]).await {
        Ok(_) => {}
        // Another request voided it between the check above and this write.
        Err(AppError::Internal(message)) if message.contains("draw_voids.draw_id") => {
            return Err(already_voided());
        }
        Err(err) => return Err(err),
    }
    json(&public_draw(db, id).await?)
}

fn already_voided() -> AppError {
    AppError::Conflict {
        code: "already_voided",
        message: "该抽取已作废 / the draw is already void".to_owned(),
    }
}

#[derive(Deserialize)]
struct BundleRow {
    bundle_json: String,
}

/// The summary of committed draw `id` (404 when there is none).
pub(crate) async fn draw_summary(db: &D1Database, id: i64) -> AppResult<DrawSummary> {
    let row: Option<DrawRow> = query!(db, &format!("{DRAW_SELECT} WHERE d.id = ?1"), &id)?
        .first(None)
        .await?;
    row.ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的抽取 / no draw {id}")))?
        .into_summary()
}

pub(crate) async fn public_draw(db: &D1Database, id: i64) -> AppResult<PublicDraw> {
    let draw = draw_summary(db, id).await?;
    let bundle: BundleRow = query!(db, "SELECT bundle_json FROM draws WHERE id = ?1", &id)?
        .first(None)
        .await?
        .ok_or_else(|| AppError::Internal("the draw vanished".to_owned()))?;
    let bundle_json = parts::read(db, "draw_bundle", id, bundle.bundle_json).await?;
    Ok(PublicDraw {
        draw,
        bundle: stored_json("bundle", &bundle_json)?,
    })
}

/// Every committed draw, newest first, voided ones included.
pub(crate) async fn committed_draws(db: &D1Database) -> AppResult<Vec<DrawSummary>> {
    let rows: Vec<DrawRow> = db
        .prepare(format!("{DRAW_SELECT} ORDER BY d.id DESC"))
        .all()
        .await?
        .results()?;
    rows.into_iter().map(DrawRow::into_summary).collect()
}

/// `GET /api/public/draws`: every committed draw, newest first, voided ones included.
pub(crate) async fn list_public_draws(ctx: Ctx) -> AppResult<Response> {
    json(&PublicDrawList {
        draws: committed_draws(&ctx.db).await?,
    })
}

/// `GET /api/public/draws/:id`: the draw and its verification bundle, streamed from its
/// stored parts through the edge cache (`public_bundle`).
pub(crate) async fn get_public_draw(ctx: Ctx) -> AppResult<Response> {
    super::public_bundle::serve(ctx).await
}
