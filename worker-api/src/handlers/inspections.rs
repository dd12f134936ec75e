//! Inspections and their results: the lists and deadlines staff and inspectors see, the on-site
//! record (现场检查记录), publication (谁检查、谁录入、谁公开) and targeted inspections.
//!
//! Scope: an inspector sees and records only inspections whose team they are in (their
//! account is linked from `inspectors.account_id`); a section account only its own section's
//! part; other staff roles everything.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use shared::authz::Role;
use shared::calendar::{self, Date};
use shared::checklist::ChecklistItemId;
use shared::draw::Category;
use shared::records::{
    EntryState, InspectionDetail, InspectionKind, InspectionList, InspectionObjectInfo,
    InspectionResult, InspectionSummary, ItemRef, PublicationState, RecordContext, RecordRequest,
    StoredRecord, TargetedRequest, TeamMember, Trigger, entry_state, publication_state,
    validate_record,
};
use shared::sections::{SECTIONS, section_by_code};
use worker::{D1Database, Response, query};

use super::directory::{Param, bind};
use super::draws::stored_json;
use super::record_replay;
use crate::audit::{self, Actor, Change};
use crate::auth::Session;
use crate::error::{AppError, AppResult};
use crate::http::{Ctx, json};
use crate::snapshot::vocabulary;
use crate::time::{china_today, now_rfc3339, stored_china_date, stored_date};

/// Most inspections one list answer carries (a county has a few hundred a quarter).
const MAX_LIST: i64 = 5_000;

#[derive(Deserialize)]
struct InspectionRow {
    id: i64,
    kind: String,
    draw_id: Option<i64>,
    task_id: Option<i64>,
    task_name: Option<String>,
    trigger: Option<String>,
    trigger_detail: String,
    year: i64,
    quarter: i64,
    joint: i64,
    sections_json: String,
    items_json: String,
    object_id: i64,
    object_name: String,
    credit_code: String,
    category: String,
    region: String,
    address: String,
    inspected_on: Option<String>,
    result: Option<String>,
    confidential: Option<i64>,
    entry_deadline: Option<String>,
    recorded_at: Option<String>,
    published_at: Option<String>,
}

const INSPECTION_SELECT: &str = "
SELECT i.id, i.kind, i.draw_id, i.task_id, t.name AS task_name, i.trigger, i.trigger_detail, i.year,
       i.quarter, i.joint, i.sections_json, i.items_json,
       o.id AS object_id, o.name AS object_name, o.credit_code, o.category, o.region, o.address,
       r.inspected_on, r.result, r.confidential, r.entry_deadline, r.recorded_at, p.published_at
  FROM live_inspections i
  JOIN objects o ON o.id = i.object_id
  LEFT JOIN draw_tasks t ON t.id = i.task_id
  LEFT JOIN inspection_records r ON r.inspection_id = i.id
  LEFT JOIN publications p ON p.inspection_id = i.id";

#[derive(Deserialize)]
struct TeamRow {
    inspection_id: i64,
    inspector_id: i64,
    name: String,
    position: i64,
}

#[derive(Deserialize)]
struct CompletionRow {
    draw_id: i64,
    total: i64,
    recorded: i64,
    last: Option<String>,
}

#[derive(Deserialize)]
struct ItemRow {
    id: i64,
    code: String,
    content: String,
}

/// The checklist's items by id (a few dozen rows).
async fn checklist(db: &D1Database) -> AppResult<BTreeMap<i64, ItemRow>> {
    let rows: Vec<ItemRow> = db
        .prepare("SELECT id, code, content FROM checklist_items")
        .all()
        .await?
        .results()?;
    Ok(rows.into_iter().map(|row| (row.id, row)).collect())
}

/// The last day of a quarter: a drawn inspection is due by then.
fn quarter_end(year: i64, quarter: i64) -> AppResult<Date> {
    let (month, day) = match quarter {
        1 => (3, 31),
        2 => (6, 30),
        3 => (9, 30),
        _ => (12, 31),
    };
    Date::new(year as i32, month, day).map_err(|err| AppError::Internal(err.to_string()))
}

/// Turns rows into summaries: teams, item contents and the tasks' completion are read in
/// three more queries for the whole list, not one per row.
async fn summaries(db: &D1Database, rows: Vec<InspectionRow>) -> AppResult<Vec<InspectionSummary>> {
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let ids_json =
        serde_json::to_string(&ids).map_err(|err| AppError::Internal(err.to_string()))?;
    let team_rows: Vec<TeamRow> = query!(
        db,
        "SELECT t.inspection_id, t.inspector_id, x.name, t.position
           FROM inspection_team t JOIN inspectors x ON x.id = t.inspector_id
          WHERE t.inspection_id IN (SELECT value FROM json_each(?1))
          ORDER BY t.inspection_id, t.position",
        &ids_json
    )?
    .all()
    .await?
    .results()?;
    let mut teams: BTreeMap<i64, Vec<TeamMember>> = BTreeMap::new();
    for row in team_rows {
        teams
            .entry(row.inspection_id)
            .or_default()
            .push(TeamMember {
                inspector_id: row.inspector_id,
                name: row.name,
                lead: row.position == 0,
            });
    }
    let draw_ids: BTreeSet<i64> = rows.iter().filter_map(|row| row.draw_id).collect();
    let draw_ids_json = serde_json::to_string(&draw_ids.iter().collect::<Vec<_>>())
        .map_err(|err| AppError::Internal(err.to_string()))?;
    let completion_rows: Vec<CompletionRow> = query!(
        db,
        "SELECT i.draw_id, count(*) AS total, count(r.inspection_id) AS recorded, max(r.inspected_on) AS last
           FROM inspections i LEFT JOIN inspection_records r ON r.inspection_id = i.id
          WHERE i.draw_id IN (SELECT value FROM json_each(?1))
          GROUP BY i.draw_id",
        &draw_ids_json
    )?
    .all()
    .await?
    .results()?;
    let completed: BTreeMap<i64, Option<String>> = completion_rows
        .into_iter()
        .map(|row| {
            let done = (row.total == row.recorded).then_some(row.last).flatten();
            (row.draw_id, done)
        })
        .collect();
    let items = checklist(db).await?;
    let today = china_today();
    rows.into_iter()
        .map(|row| {
            let kind: InspectionKind = vocabulary("kind", &row.kind)?;
            let trigger: Option<Trigger> = row
                .trigger
                .as_deref()
                .map(|trigger| vocabulary("trigger", trigger))
                .transpose()?;
            let item_ids: Vec<i64> = stored_json("items_json", &row.items_json)?;
            let task_completed_on = match row.draw_id {
                Some(draw) => completed.get(&draw).cloned().flatten(),
                None => row.inspected_on.clone(),
            };
            let completed_date = task_completed_on
                .as_deref()
                .map(|text| stored_date("task completion", text))
                .transpose()?;
            let confidential = row.confidential.unwrap_or(0) != 0;
            let published_on = row
                .published_at
                .as_deref()
                .map(|at| stored_china_date("published_at", at))
                .transpose()?;
            let entry = match (&row.inspected_on, &row.recorded_at) {
                (Some(inspected), Some(recorded)) => entry_state(
                    stored_date("inspected_on", inspected)?,
                    stored_china_date("recorded_at", recorded)?,
                )
                .map_err(|err| AppError::Internal(err.to_string()))?,
                _ => EntryState::NotRecorded,
            };
            let publication = if row.inspected_on.is_none() {
                PublicationState::NotDue
            } else {
                publication_state(completed_date, confidential, published_on, today)
                    .map_err(|err| AppError::Internal(err.to_string()))?
            };
            let publication_deadline = completed_date
                .map(calendar::publication_deadline)
                .transpose()
                .map_err(|err| AppError::Internal(err.to_string()))?
                .map(|date| date.to_string());
            Ok(InspectionSummary {
                id: row.id,
                kind,
                draw_id: row.draw_id,
                task_id: row.task_id,
                task_name: match (row.task_name, trigger) {
                    (Some(name), _) => name,
                    (None, Some(trigger)) => format!("{}（非随机检查）", trigger.label_zh()),
                    (None, None) => String::new(),
                },
                trigger,
                trigger_detail: row.trigger_detail,
                year: row.year as i32,
                quarter: row.quarter as u8,
                joint: row.joint != 0,
                sections: stored_json("sections_json", &row.sections_json)?,
                object: InspectionObjectInfo {
                    id: row.object_id,
                    name: row.object_name,
                    credit_code: row.credit_code,
                    category: vocabulary::<Category>("category", &row.category)?,
                    region: row.region,
                    address: row.address,
                },
                items: item_ids
                    .iter()
                    .map(|id| ItemRef {
                        id: ChecklistItemId(*id),
                        code: items
                            .get(id)
                            .map(|item| item.code.clone())
                            .unwrap_or_default(),
                        content: items
                            .get(id)
                            .map(|item| item.content.clone())
                            .unwrap_or_default(),
                    })
                    .collect(),
                team: teams.remove(&row.id).unwrap_or_default(),
                inspect_by: quarter_end(row.year, row.quarter)?.to_string(),
                inspected_on: row.inspected_on,
                result: row
                    .result
                    .as_deref()
                    .map(|result| vocabulary::<InspectionResult>("result", result))
                    .transpose()?,
                confidential,
                entry_deadline: row.entry_deadline,
                entry_state: entry,
                recorded_at: row.recorded_at,
                task_completed_on,
                publication_deadline,
                publication_state: publication,
                published_at: row.published_at,
            })
        })
        .collect()
}

/// The directory id of the signed-in inspector, if their account is linked to one.
async fn own_inspector_id(db: &D1Database, session: &Session) -> AppResult<Option<i64>> {
    Ok(query!(
        db,
        "SELECT id FROM inspectors WHERE account_id = ?1",
        &session.account_id
    )?
    .first(Some("id"))
    .await?)
}

/// `GET /api/inspections?year=&quarter=&section=&inspector=&task=&mine=1`.
pub(crate) async fn list(ctx: Ctx) -> AppResult<Response> {
    let session = ctx.session()?.clone();
    let year: i64 = match ctx.query("year") {
        Some(year) => year.parse().map_err(|_| {
            AppError::bad_request("invalid_year", "年度须为数字 / the year must be a number")
        })?,
        None => i64::from(china_today().year()),
    };
    let mut clauses = vec!["i.year = ?1".to_owned()];
    let mut params = vec![Param::Int(year)];
    let mut push = |clause: &str, param: Param| {
        params.push(param);
        clauses.push(clause.replace('?', &format!("?{}", params.len())));
    };
    if let Some(quarter) = ctx.query("quarter") {
        let quarter: i64 = quarter
            .parse()
            .ok()
            .filter(|q| (1..=4).contains(q))
            .ok_or_else(|| {
                AppError::bad_request("invalid_quarter", "季度须为 1–4 / the quarter must be 1–4")
            })?;
        push("i.quarter = ?", Param::Int(quarter));
    }
    if let Some(task) = ctx.query("task").and_then(|task| task.parse().ok()) {
        push("i.task_id = ?", Param::Int(task));
    }
    let section_filter = match session.role {
        Role::Section => Some(
            session
                .section_code()
                .ok_or(AppError::Forbidden)?
                .to_owned(),
        ),
        _ => ctx.query("section"),
    };
    if let Some(section) = section_filter {
        push(
            "EXISTS (SELECT 1 FROM json_each(i.sections_json) s WHERE s.value = ?)",
            Param::Text(section),
        );
    }
    let inspector_filter = if session.role == Role::Inspector || ctx.query("mine").is_some() {
        // An account not linked to the directory has no inspections of its own.
        Some(own_inspector_id(&ctx.db, &session).await?.unwrap_or(0))
    } else {
        ctx.query("inspector").and_then(|id| id.parse().ok())
    };
    if let Some(inspector) = inspector_filter {
        push(
            "EXISTS (SELECT 1 FROM inspection_team m WHERE m.inspection_id = i.id AND m.inspector_id = ?)",
            Param::Int(inspector),
        );
    }
    let sql = format!(
        "{INSPECTION_SELECT} WHERE {} ORDER BY i.quarter, i.id LIMIT {MAX_LIST}",
        clauses.join(" AND ")
    );
    let rows: Vec<InspectionRow> = bind(&ctx.db, &sql, &params)?.all().await?.results()?;
    json(&InspectionList {
        inspections: summaries(&ctx.db, rows).await?,
    })
}

/// One live inspection, or 404 (also for a voided draw's inspection).
async fn load(db: &D1Database, id: i64) -> AppResult<InspectionSummary> {
    let row: Option<InspectionRow> =
        query!(db, &format!("{INSPECTION_SELECT} WHERE i.id = ?1"), &id)?
            .first(None)
            .await?;
    let row = row.ok_or_else(|| {
        AppError::NotFound(format!(
            "没有编号为 {id} 的有效检查（或其抽取已作废）/ no live inspection {id}"
        ))
    })?;
    summaries(db, vec![row])
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal("a summary vanished".to_owned()))
}

/// Whether `session` may see this inspection, and whether they may record and publish it.
async fn access(
    db: &D1Database,
    session: &Session,
    inspection: &InspectionSummary,
) -> AppResult<(bool, bool)> {
    Ok(match session.role {
        Role::Inspector => {
            let own = own_inspector_id(db, session).await?;
            let in_team = own.is_some_and(|own| {
                inspection
                    .team
                    .iter()
                    .any(|member| member.inspector_id == own)
            });
            (in_team, in_team)
        }
        Role::Section => {
            let mine = session
                .section_code()
                .is_some_and(|code| inspection.sections.iter().any(|section| section == code));
            (mine, mine)
        }
        Role::Planner => (true, true),
        Role::Admin | Role::Auditor => (true, false),
    })
}

#[derive(Deserialize)]
struct RecordRow {
    inspected_on: String,
    team_present_json: String,
    findings_json: String,
    result: String,
    order_number: String,
    confidential: i64,
    confidential_ground: String,
    attachments_json: String,
    remarks: String,
    recorded_at: String,
    updated_at: String,
    version: i64,
    recorded_by_name: String,
    recorded_by: i64,
}

async fn stored_record(db: &D1Database, id: i64) -> AppResult<Option<(StoredRecord, i64)>> {
    let row: Option<RecordRow> = query!(
        db,
        "SELECT r.inspected_on, r.team_present_json, r.findings_json, r.result, r.order_number, r.confidential,
                r.confidential_ground, r.attachments_json, r.remarks, r.recorded_at, r.updated_at, r.version,
                a.display_name AS recorded_by_name, r.recorded_by
           FROM inspection_records r JOIN accounts a ON a.id = r.recorded_by
          WHERE r.inspection_id = ?1",
        &id
    )?
    .first(None)
    .await?;
    row.map(|row| {
        Ok((
            StoredRecord {
                record: RecordRequest {
                    inspected_on: row.inspected_on,
                    team_present: stored_json("team_present_json", &row.team_present_json)?,
                    findings: stored_json("findings_json", &row.findings_json)?,
                    result: vocabulary("result", &row.result)?,
                    order_number: row.order_number,
                    confidential: row.confidential != 0,
                    confidential_ground: row.confidential_ground,
                    attachments: stored_json("attachments_json", &row.attachments_json)?,
                    remarks: row.remarks,
                    version: Some(row.version),
                },
                recorded_by: row.recorded_by_name,
                recorded_at: row.recorded_at,
                updated_at: row.updated_at,
                version: row.version,
            },
            row.recorded_by,
        ))
    })
    .transpose()
}

/// `GET /api/inspections/:id`: the inspection with its record.
pub(crate) async fn get(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let session = ctx.session()?.clone();
    let inspection = load(&ctx.db, id).await?;
    let (can_see, can_record) = access(&ctx.db, &session, &inspection).await?;
    if !can_see {
        return Err(AppError::Forbidden);
    }
    let record = stored_record(&ctx.db, id).await?.map(|(record, _)| record);
    json(&InspectionDetail {
        can_record: can_record && inspection.published_at.is_none(),
        inspection,
        record,
    })
}

#[derive(Deserialize)]
struct IdRow {
    id: i64,
}

/// `PUT /api/inspections/:id/record`: enter or correct the on-site record (until published).
pub(crate) async fn put_record(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let header = ctx.req.headers().get("idempotency-key").ok().flatten();
    let request: RecordRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let key = record_replay::record_key(header, id, &request)?;
    let inspection = load(db, id).await?;
    let (_, can_record) = access(db, &session, &inspection).await?;
    if !can_record {
        return Err(AppError::Forbidden);
    }
    if let Some(key) = &key
        && let Some(status) = record_replay::seen(db, key, &session, id).await?
    {
        return record_answer(db, id, status, true).await;
    }
    if inspection.published_at.is_some() {
        return Err(AppError::Conflict {
            code: "already_published",
            message: "结果已公开，记录不能再修改 / the result is published; the record is frozen"
                .to_owned(),
        });
    }
    let previous = stored_record(db, id).await?;
    match (&previous, request.version) {
        (Some((stored, _)), Some(version)) if stored.version != version => {
            return Err(AppError::Conflict {
                code: "version_conflict",
                message: "记录已被他人修改，请刷新后重试 / the record changed meanwhile; reload and retry".to_owned(),
            });
        }
        (Some(_), None) => {
            return Err(AppError::Conflict {
                code: "version_conflict",
                message: "该检查已有记录，请刷新后在其基础上修改 / this inspection already has a record; reload and edit it".to_owned(),
            });
        }
        _ => {}
    }
    let known: Vec<IdRow> = db
        .prepare("SELECT id FROM inspectors WHERE active = 1")
        .all()
        .await?
        .results()?;
    let mut known: BTreeSet<i64> = known.into_iter().map(|row| row.id).collect();
    // The drawn team counts as known even if someone was deactivated since the draw.
    known.extend(inspection.team.iter().map(|member| member.inspector_id));
    let items: Vec<ChecklistItemId> = inspection.items.iter().map(|item| item.id).collect();
    let errors = validate_record(
        &request,
        &RecordContext {
            items: &items,
            known_inspectors: &known,
            year: inspection.year,
            today: china_today(),
        },
    );
    if !errors.is_empty() {
        return Err(AppError::InvalidFields {
            code: "invalid_record",
            fields: errors,
        });
    }
    let inspected_on: Date = request
        .inspected_on
        .parse()
        .map_err(|_| AppError::Internal("validated date".to_owned()))?;
    let entry_deadline = calendar::result_entry_deadline(inspected_on)
        .map_err(|err| AppError::Internal(err.to_string()))?
        .to_string();
    let now = now_rfc3339();
    let version = previous
        .as_ref()
        .map_or(1, |(stored, _)| stored.version + 1);
    let upsert = bind(
        db,
        "INSERT INTO inspection_records (inspection_id, inspected_on, team_present_json, findings_json, result,
                                         order_number, confidential, confidential_ground, attachments_json, remarks,
                                         entry_deadline, recorded_at, recorded_by, updated_at, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?12, 1)
         ON CONFLICT (inspection_id) DO UPDATE SET
             inspected_on = excluded.inspected_on, team_present_json = excluded.team_present_json,
             findings_json = excluded.findings_json, result = excluded.result,
             order_number = excluded.order_number, confidential = excluded.confidential,
             confidential_ground = excluded.confidential_ground, attachments_json = excluded.attachments_json,
             remarks = excluded.remarks, entry_deadline = excluded.entry_deadline,
             updated_at = excluded.updated_at, version = inspection_records.version + 1
         WHERE inspection_records.version = ?14",
        &[
            Param::Int(id),
            Param::Text(request.inspected_on.clone()),
            Param::Text(to_json(&request.team_present)?),
            Param::Text(to_json(&request.findings)?),
            Param::Text(request.result.as_str().to_owned()),
            Param::Text(request.order_number.trim().to_owned()),
            Param::Int(i64::from(request.confidential)),
            Param::Text(request.confidential_ground.trim().to_owned()),
            Param::Text(to_json(&request.attachments)?),
            Param::Text(request.remarks.clone()),
            Param::Text(entry_deadline),
            Param::Text(now.clone()),
            Param::Int(session.account_id),
            Param::Int(version - 1),
        ],
    )?;
    // Results feed the object's record: a case opened counts as a violation for later draws'
    // risk weights; correcting the record takes it back.
    let was_violation = previous
        .as_ref()
        .is_some_and(|(stored, _)| stored.record.result.is_violation());
    let delta = i64::from(request.result.is_violation()) - i64::from(was_violation);
    let status: u16 = if previous.is_some() { 200 } else { 201 };
    let mut statements = vec![upsert];
    if let Some(key) = &key {
        statements.push(record_replay::remember(
            db, key, &session, id, status, &now,
        )?);
    }
    if delta != 0 {
        statements.push(bind(
            db,
            "UPDATE objects SET violations = max(0, violations + ?2), version = version + 1, updated_at = ?3 WHERE id = ?1",
            &[
                Param::Int(inspection.object.id),
                Param::Int(delta),
                Param::Text(now.clone()),
            ],
        )?);
    }
    let change = Change {
        action: if previous.is_some() {
            "record.update"
        } else {
            "record.create"
        },
        target: format!("inspection:{id}"),
        before_digest: String::new(),
        after_digest: String::new(),
        detail: format!(
            "{} {}：{}",
            inspection.object.name,
            request.inspected_on,
            request.result.phrase_zh()
        ),
    };
    let results = match audit::commit(db, Actor::Account(&session), change, statements).await {
        // The same key raced itself: answer as the winner was answered.
        Err(err) if record_replay::is_key_race(&err) => {
            let Some(key) = &key else { return Err(err) };
            let status = record_replay::seen(db, key, &session, id)
                .await?
                .ok_or(err)?;
            return record_answer(db, id, status, true).await;
        }
        other => other?,
    };
    let changed = results
        .first()
        .and_then(|result| result.meta().ok().flatten())
        .and_then(|meta| meta.changes)
        .unwrap_or(1);
    if changed == 0 {
        return Err(AppError::Conflict {
            code: "version_conflict",
            message:
                "记录已被他人修改，请刷新后重试 / the record changed meanwhile; reload and retry"
                    .to_owned(),
        });
    }
    record_answer(db, id, status, false).await
}

/// The answer to a saved record: the inspection with its record as stored now.
async fn record_answer(db: &D1Database, id: i64, status: u16, replay: bool) -> AppResult<Response> {
    let inspection = load(db, id).await?;
    let record = stored_record(db, id).await?.map(|(record, _)| record);
    let mut response = json(&InspectionDetail {
        can_record: inspection.published_at.is_none(),
        inspection,
        record,
    })?
    .with_status(status);
    if replay {
        response.headers_mut().set("idempotent-replay", "true")?;
    }
    Ok(response)
}

/// The department a result is published under: the sections whose part it was.
fn department(sections: &[String]) -> String {
    let names: Vec<&str> = sections
        .iter()
        .filter_map(|code| section_by_code(code))
        .map(|section| section.name_zh)
        .collect();
    if names.is_empty() {
        SECTIONS[0].name_zh.to_owned()
    } else {
        names.join("、")
    }
}

/// `POST /api/inspections/:id/publish`: publish the recorded result in its standard phrase.
pub(crate) async fn publish(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let inspection = load(db, id).await?;
    let (_, can_record) = access(db, &session, &inspection).await?;
    if !can_record {
        return Err(AppError::Forbidden);
    }
    let Some((stored, _)) = stored_record(db, id).await? else {
        return Err(AppError::Conflict {
            code: "not_recorded",
            message: "请先录入检查记录 / enter the on-site record first".to_owned(),
        });
    };
    if stored.record.confidential {
        return Err(AppError::Conflict {
            code: "confidential",
            message: format!(
                "该结果依法不予公开（{}）/ this result is withheld by law",
                stored.record.confidential_ground
            ),
        });
    }
    if inspection.published_at.is_some() {
        return Err(AppError::Conflict {
            code: "already_published",
            message: "结果已公开 / the result is already published".to_owned(),
        });
    }
    let items: Vec<&str> = inspection
        .items
        .iter()
        .map(|item| item.content.as_str())
        .collect();
    let result = stored.record.result;
    let insert = bind(
        db,
        "INSERT INTO publications (inspection_id, year, quarter, object_name, credit_code, category, task_name, kind,
                                   inspected_on, items_json, result, phrase, department, published_at, published_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        &[
            Param::Int(id),
            Param::Int(i64::from(inspection.year)),
            Param::Int(i64::from(inspection.quarter)),
            Param::Text(inspection.object.name.clone()),
            Param::Text(inspection.object.credit_code.clone()),
            Param::Text(inspection.object.category.as_str().to_owned()),
            Param::Text(inspection.task_name.clone()),
            Param::Text(
                match inspection.kind {
                    InspectionKind::Random => "random",
                    InspectionKind::Targeted => "targeted",
                }
                .to_owned(),
            ),
            Param::Text(stored.record.inspected_on.clone()),
            Param::Text(
                serde_json::to_string(&items).map_err(|err| AppError::Internal(err.to_string()))?,
            ),
            Param::Text(result.as_str().to_owned()),
            Param::Text(result.phrase_zh().to_owned()),
            Param::Text(department(&inspection.sections)),
            Param::Text(now_rfc3339()),
            Param::Int(session.account_id),
        ],
    )?;
    let change = Change {
        action: "result.publish",
        target: format!("inspection:{id}"),
        before_digest: String::new(),
        after_digest: String::new(),
        detail: format!(
            "公开检查结果：{} {}",
            inspection.object.name,
            result.phrase_zh()
        ),
    };
    audit::commit(db, Actor::Account(&session), change, vec![insert])
        .await
        .map_err(|err| match err {
            AppError::Internal(detail) if detail.contains("UNIQUE") => AppError::Conflict {
                code: "already_published",
                message: "结果已公开 / the result is already published".to_owned(),
            },
            other => other,
        })?;
    let inspection = load(db, id).await?;
    json(&InspectionDetail {
        can_record: false,
        inspection,
        record: Some(stored),
    })
}

#[derive(Deserialize)]
struct ObjectIdRow {
    id: i64,
    status: String,
}

#[derive(Deserialize)]
struct InspectorCheck {
    id: i64,
    active: i64,
    certificate: Option<String>,
}

/// `POST /api/inspections`: register a targeted (non-random) inspection — a complaint, a
/// referral, an emergency — to be recorded like a drawn one and counted apart.
pub(crate) async fn create_targeted(mut ctx: Ctx) -> AppResult<Response> {
    let request: TargetedRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let mut errors = Vec::new();
    let mut field = |name: &str, zh: &str, en: &str| {
        errors.push(shared::records::FieldError {
            field: name.to_owned(),
            message: format!("{zh} / {en}"),
        })
    };
    let object: Option<ObjectIdRow> = query!(
        db,
        "SELECT id, status FROM objects WHERE credit_code = ?1",
        &request.credit_code.trim().to_uppercase()
    )?
    .first(None)
    .await?;
    match &object {
        None => field(
            "credit_code",
            "名录中没有该统一社会信用代码的检查对象",
            "no object in the directory has this credit code",
        ),
        Some(object) if object.status == "closed" => {
            field("credit_code", "该检查对象已注销", "this object is closed")
        }
        Some(_) => {}
    }
    let detail = request.trigger_detail.trim();
    if detail.is_empty() || detail.chars().count() > 500 {
        field(
            "trigger_detail",
            "须写明线索来源与情况（1–500 字）",
            "describe the lead (1–500 characters)",
        );
    }
    if section_by_code(&request.section).is_none() {
        field("section", "没有这个科室", "no such section");
    }
    if session.role == Role::Section && session.section_code() != Some(request.section.as_str()) {
        field(
            "section",
            "科室账号只能登记本科室的检查",
            "a section account registers only its own section's inspections",
        );
    }
    let items = checklist(db).await?;
    if request.items.is_empty() {
        field("items", "至少选择一项检查事项", "choose at least one item");
    }
    for (index, item) in request.items.iter().enumerate() {
        if !items.contains_key(&item.0) {
            field(
                &format!("items[{index}]"),
                &format!("没有编号为 {item} 的检查事项"),
                &format!("no checklist item {item}"),
            );
        }
    }
    let team_json =
        serde_json::to_string(&request.team).map_err(|err| AppError::Internal(err.to_string()))?;
    let inspectors: Vec<InspectorCheck> = query!(
        db,
        "SELECT id, active, certificate FROM inspectors WHERE id IN (SELECT value FROM json_each(?1))",
        &team_json
    )?
    .all()
    .await?
    .results()?;
    let by_id: BTreeMap<i64, InspectorCheck> =
        inspectors.into_iter().map(|row| (row.id, row)).collect();
    let distinct: BTreeSet<i64> = request.team.iter().copied().collect();
    if distinct.len() < 2 || distinct.len() != request.team.len() {
        field(
            "team",
            "检查人员不得少于两人且不得重复",
            "at least two different inspectors",
        );
    }
    for (index, id) in request.team.iter().enumerate() {
        match by_id.get(id) {
            None => field(
                &format!("team[{index}]"),
                &format!("检查人员 {id} 不在名录中"),
                &format!("inspector {id} is not in the directory"),
            ),
            Some(row) if row.active == 0 => field(
                &format!("team[{index}]"),
                &format!("检查人员 {id} 已停用"),
                &format!("inspector {id} is inactive"),
            ),
            Some(row) if index == 0 && row.certificate.is_none() => field(
                "team[0]",
                "带队人员须持有执法证",
                "the lead must hold an enforcement certificate",
            ),
            Some(_) => {}
        }
    }
    let planned: Option<Date> = request.planned_on.parse().ok();
    match planned {
        None => field(
            "planned_on",
            "检查日期须为 YYYY-MM-DD 格式的有效日期",
            "the date must be a valid YYYY-MM-DD date",
        ),
        Some(date) if calendar::known_years().is_ok_and(|years| !years.contains(&date.year())) => {
            field(
                "planned_on",
                "该年度的工作日历尚未收录",
                "the working-day calendar does not cover this year",
            )
        }
        Some(_) => {}
    }
    if !errors.is_empty() {
        return Err(AppError::InvalidFields {
            code: "invalid_inspection",
            fields: errors,
        });
    }
    let (Some(object), Some(planned)) = (object, planned) else {
        unreachable!("validated")
    };
    let quarter = i64::from((planned.month() - 1) / 3 + 1);
    let mut item_ids: Vec<i64> = request.items.iter().map(|item| item.0).collect();
    item_ids.sort_unstable();
    item_ids.dedup();
    let now = now_rfc3339();
    let insert = bind(
        db,
        "INSERT INTO inspections (kind, object_id, year, quarter, trigger, trigger_detail, joint, sections_json,
                                  items_json, lead_inspector_id, created_at, created_by)
         VALUES ('targeted', ?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8, ?9, ?10)",
        &[
            Param::Int(object.id),
            Param::Int(i64::from(planned.year())),
            Param::Int(quarter),
            Param::Text(request.trigger.as_str().to_owned()),
            Param::Text(detail.to_owned()),
            Param::Text(
                serde_json::to_string(&[&request.section])
                    .map_err(|err| AppError::Internal(err.to_string()))?,
            ),
            Param::Text(
                serde_json::to_string(&item_ids).map_err(|err| AppError::Internal(err.to_string()))?,
            ),
            Param::Int(request.team[0]),
            Param::Text(now),
            Param::Int(session.account_id),
        ],
    )?;
    // Right after the INSERT, last_insert_rowid() is the new inspection (the counter triggers
    // write WITHOUT ROWID tables, which leave it alone).
    let team = bind(
        db,
        "INSERT INTO inspection_team (inspection_id, inspector_id, position)
         SELECT last_insert_rowid(), value, key FROM json_each(?1)",
        &[Param::Text(team_json)],
    )?;
    let change = Change {
        action: "inspection.targeted",
        target: format!("object:{}", object.id),
        before_digest: String::new(),
        after_digest: String::new(),
        detail: format!("登记非随机检查（{}）：{detail}", request.trigger.label_zh()),
    };
    let results = audit::commit(db, Actor::Account(&session), change, vec![insert, team]).await?;
    let id = results
        .first()
        .and_then(|result| result.meta().ok().flatten())
        .and_then(|meta| meta.last_row_id)
        .ok_or_else(|| AppError::Internal("no id for the new inspection".to_owned()))?;
    let inspection = load(db, id).await?;
    Ok(json(&InspectionDetail {
        can_record: true,
        inspection,
        record: None,
    })?
    .with_status(201))
}

/// JSON text of a value for a bound parameter.
fn to_json<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(|err| AppError::Internal(err.to_string()))
}
