//! The draw lifecycle: tasks (draft → sealed → committed), commits with idempotency and
//! exactly-once semantics, voids, and the public draw pages' data.

mod bundle;

use sha2::{Digest as _, Sha256};
use shared::api::{
    CommitRequest, PreviewInput, PublicDrawList, Task, TaskList, TaskRequest, TaskStatus,
    VoidRequest,
};
use shared::draw::{
    Digest32, DrawBundle, DrawInput, DrawResult, SealedInput, SectionId, SeedParts, TeamOutcome,
    validate_witness,
};
use worker::{D1Database, Response};

use crate::audit::{self, Actor, Change};
use crate::auth::{self, Session};
use crate::ctx::{Ctx, json};
use crate::db::tasks::{NewDraw, StoredKey, StoredTask, TaskTexts};
use crate::db::{self, parts, stored_json};
use crate::error::{AppError, AppResult};
use crate::gate::Gate;

use crate::snapshot;
use crate::time::now_rfc3339;

const MAX_EXCLUSIONS: usize = 100_000;

/// Commits of this isolate that run their draw at the same time ([`commit_task`]).
const COMMIT_GATE: Gate = Gate {
    name: "draw commit",
    limit: 1,
};

async fn load_task(db: &D1Database, id: i64) -> AppResult<StoredTask> {
    db::tasks::find(db, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的抽查任务 / no task {id}")))
}

/// A task with its draws, as the API answers it.
async fn task_with_draws(db: &D1Database, id: i64) -> AppResult<Task> {
    let mut task = load_task(db, id).await?.task;
    task.draws = db::tasks::draws_of(db, id).await?;
    Ok(task)
}

/// A section account may only change its own section's tasks
/// (`shared::authz::may_manage_task`, with the task row just loaded).
fn check_scope(session: &Session, owner_section: Option<&str>) -> AppResult<()> {
    if shared::authz::may_manage_task(session.principal(None), owner_section) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A task the caller may change and that is still a draft.
async fn load_draft(db: &D1Database, session: &Session, id: i64) -> AppResult<StoredTask> {
    let stored = load_task(db, id).await?;
    check_scope(session, stored.task.owner_section.as_deref())?;
    if stored.task.status != TaskStatus::Draft {
        return Err(AppError::Conflict {
            code: "task_sealed",
            message: "任务已封存，不能修改 / the task is sealed and cannot change".to_owned(),
        });
    }
    Ok(stored)
}

/// `GET /api/tasks`: newest first.
pub(crate) async fn list_tasks(ctx: Ctx) -> AppResult<Response> {
    json(&TaskList {
        tasks: db::tasks::all(&ctx.db).await?,
    })
}

/// `GET /api/tasks/:id`.
pub(crate) async fn get_task(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    json(&task_with_draws(&ctx.db, id).await?)
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
    check_scope(session, request.owner_section.as_deref())?;
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

/// The texts a task request is stored as: its spec and its exclusions as JSON.
fn task_json(request: &TaskRequest) -> AppResult<(String, String)> {
    let spec_json =
        serde_json::to_string(&request.spec).map_err(|err| AppError::Internal(err.to_string()))?;
    let exclusions_json = serde_json::to_string(&request.exclusions)
        .map_err(|err| AppError::Internal(err.to_string()))?;
    Ok((spec_json, exclusions_json))
}

/// `POST /api/tasks`.
pub(crate) async fn create_task(mut ctx: Ctx) -> AppResult<Response> {
    let mut request: TaskRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    check_task_request(db, &session, &mut request).await?;
    let (spec_json, exclusions_json) = task_json(&request)?;
    let texts = TaskTexts {
        request: &request,
        spec_json: &spec_json,
        exclusions_json: &exclusions_json,
    };
    let insert = db::tasks::insert(db, &texts, &now_rfc3339(), session.account_id)?;
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
    Ok(json(&load_task(db, id).await?.task)?.with_status(201))
}

/// `PUT /api/tasks/:id`: only while the task is a draft.
pub(crate) async fn update_task(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let mut request: TaskRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let before = load_draft(db, &session, id).await?;
    check_task_request(db, &session, &mut request).await?;
    let (spec_json, exclusions_json) = task_json(&request)?;
    let texts = TaskTexts {
        request: &request,
        spec_json: &spec_json,
        exclusions_json: &exclusions_json,
    };
    let update = db::tasks::update_draft(db, id, &texts)?;
    let change = Change {
        action: "task.update",
        target: format!("task:{id}"),
        before_digest: shared::audit::record_digest(&before.spec_json),
        after_digest: shared::audit::record_digest(&spec_json),
        detail: format!("修改抽查任务 {} / updated", request.name),
    };
    audit::commit(db, Actor::Account(&session), change, vec![update]).await?;
    json(&load_task(db, id).await?.task)
}

async fn current_input(db: &D1Database, task: &Task) -> AppResult<PreviewInput> {
    snapshot::draw_input(db, task.spec.clone(), &task.exclusions).await
}

/// `GET /api/tasks/:id/input`: the input a preview draws from, from the directory as it is now.
pub(crate) async fn preview_input(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let stored = load_task(&ctx.db, id).await?;
    json(&current_input(&ctx.db, &stored.task).await?)
}

/// `POST /api/tasks/:id/seal`: freezes the input (directory snapshot + spec + exclusions) and
/// stores its hash. Only then can the task be committed, so the seed's server entropy is drawn
/// after everything it is combined with is fixed and visible.
pub(crate) async fn seal_task(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let stored = load_draft(db, &session, id).await?;
    let preview = current_input(db, &stored.task).await?;
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
    let update = db::tasks::seal(db, id, &hash, &now_rfc3339(), session.account_id)?;
    let change = Change {
        action: "task.seal",
        target: format!("task:{id}"),
        before_digest: String::new(),
        after_digest: hash.clone(),
        detail: format!(
            "封存抽查任务 {}，输入哈希 {hash} / sealed",
            stored.task.name
        ),
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
            AppError::Storage(ref storage) if storage.is_unique_in("text_parts") => {
                AppError::Conflict {
                    code: "task_sealed",
                    message:
                        "任务已被他人同时封存 / the task was sealed by someone else at the same moment"
                            .to_owned(),
                }
            }
            other => other,
        })?;
    json(&task_with_draws(db, id).await?)
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
    // One commit at a time per isolate runs the draw (megabytes each); the others wait their
    // turn and then, finding the draw made, replay it or refuse cleanly.
    let _pass = COMMIT_GATE.enter().await;
    let stored = load_task(db, id).await?;
    check_scope(&session, stored.task.owner_section.as_deref())?;
    if stored.task.status == TaskStatus::Draft {
        return Err(AppError::Conflict {
            code: "task_not_sealed",
            message: "请先封存任务 / seal the task first".to_owned(),
        });
    }
    let existing = db::tasks::draws_of(db, id).await?;
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
    let (input_json, sealed_hash) = db::tasks::sealed_input(db, id).await?;
    let input: DrawInput = stored_json("sealed input", &input_json)?;
    let sealed = SealedInput::seal(&input)
        .map_err(|err| AppError::Internal(format!("sealed input: {err}")))?;
    if sealed.hash().to_hex() != sealed_hash {
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
    let insert = db::tasks::insert_draw(
        db,
        &NewDraw {
            task_id: id,
            attempt,
            algorithm_version: bundle.result.algorithm_version.get(),
            sealed_hash: &sealed_hash,
            server_entropy: server_entropy.to_hex(),
            witness: &request.witness,
            seed: bundle.result.seed.to_hex(),
            result_hash: bundle.result.result_hash.to_hex(),
            committed_at: &now,
            committed_by: session.account_id,
        },
    )?;
    let mark = db::tasks::mark_committed(db, id)?;
    let remember = db::tasks::remember_key(
        db,
        &key,
        &StoredKey {
            account_id: session.account_id,
            request_hash: request_hash.clone(),
            task_id: id,
            attempt,
        },
        &now,
    )?;
    let [create_inspections, create_teams] = db::inspections::insert_drawn(
        db,
        &inspection_rows(&bundle.result)?,
        id,
        attempt,
        bundle.result.period,
        &now,
        session.account_id,
    )?;
    let change = Change {
        action: "draw.commit",
        target: format!("task:{id}"),
        before_digest: sealed_hash.clone(),
        after_digest: bundle.result.result_hash.to_hex(),
        detail: format!(
            "提交抽取（第 {attempt} 次），种子 {} / committed",
            bundle.result.seed.to_hex()
        ),
    };
    let statements = [insert]
        .into_iter()
        .chain(parts::store(
            db,
            parts::Owner::DrawBundle { task: id, attempt },
            &bundle_json,
        )?)
        .chain([create_inspections, create_teams, mark, remember])
        .collect();
    // The statements hold their own copies: the input, the draw and the bundle's text are not
    // kept while the batch is written.
    drop((input_json, input, sealed, bundle, bundle_json));
    match audit::commit(db, Actor::Account(&session), change, statements).await {
        Ok(_) => {}
        Err(AppError::Storage(storage)) if storage.is_unique_in("draws") => {
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
        Err(AppError::Storage(storage)) if storage.is_unique_in("idempotency_keys") => {
            // The same key raced itself: answer as the winner did.
            return replay(db, &key, &session, &request_hash)
                .await?
                .ok_or_else(|| AppError::from(storage));
        }
        Err(err) => return Err(err),
    }
    let draw_id = db::tasks::draw_id(db, id, attempt).await?;
    bundle::answer(db, draw_id, 201).await
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

/// The answer for a commit whose `Idempotency-Key` was seen before: the draw that request
/// made (201, marked `idempotent-replay: true`), or a refusal if the key came with another
/// request. `None` for a new key.
async fn replay(
    db: &D1Database,
    key: &str,
    session: &Session,
    request_hash: &str,
) -> AppResult<Option<Response>> {
    let Some(stored) = db::tasks::stored_key(db, key).await? else {
        return Ok(None);
    };
    if stored.account_id != session.account_id || stored.request_hash != request_hash {
        return Err(AppError::Conflict {
            code: "idempotency_key_reused",
            message: "该 Idempotency-Key 已用于另一个请求 / this Idempotency-Key was used for a different request".to_owned(),
        });
    }
    let draw_id = db::tasks::draw_id(db, stored.task_id, stored.attempt).await?;
    let mut response = bundle::answer(db, draw_id, 201).await?;
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
    let draw = db::tasks::summary(db, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的抽取 / no draw {id}")))?;
    let task = load_task(db, draw.task_id).await?;
    check_scope(&session, task.task.owner_section.as_deref())?;
    if draw.void.is_some() {
        return Err(already_voided());
    }
    let insert = db::tasks::insert_void(db, id, &reason, &now_rfc3339(), session.account_id)?;
    let change = Change {
        action: "draw.void",
        target: format!("draw:{id}"),
        before_digest: draw.result_hash.to_hex(),
        after_digest: String::new(),
        detail: format!("作废抽取：{reason} / voided"),
    };
    match audit::commit(db, Actor::Account(&session), change, vec![insert]).await {
        Ok(_) => {}
        // Another request voided it between the check above and this write.
        Err(AppError::Storage(storage)) if storage.is_unique_in("draw_voids") => {
            return Err(already_voided());
        }
        Err(err) => return Err(err),
    }
    bundle::answer(db, id, 200).await
}

fn already_voided() -> AppError {
    AppError::Conflict {
        code: "already_voided",
        message: "该抽取已作废 / the draw is already void".to_owned(),
    }
}

/// `GET /api/public/draws`: every committed draw, newest first, voided ones included.
pub(crate) async fn list_public_draws(ctx: Ctx) -> AppResult<Response> {
    json(&PublicDrawList {
        draws: db::tasks::committed(&ctx.db).await?,
    })
}

/// `GET /api/public/draws/:id`: the draw and its verification bundle, streamed from its
/// stored parts through the edge cache ([`bundle`]).
pub(crate) async fn get_public_draw(ctx: Ctx) -> AppResult<Response> {
    bundle::serve(ctx).await
}
