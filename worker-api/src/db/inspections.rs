//! Inspections and their records: `inspections` (drawn and targeted), `inspection_team`,
//! `inspection_records`, read through the `live_inspections` view (a voided draw's
//! inspections are not live).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use shared::calendar::{self, Date};
use shared::checklist::{ChecklistItem, ChecklistItemId};
use shared::draw::{Category, ObjectStatus, Period};
use shared::records::{
    EntryState, InspectionKind, InspectionObjectInfo, InspectionResult, InspectionSummary, ItemRef,
    PublicationState, RecordRequest, StoredRecord, TeamMember, Trigger, entry_state,
    publication_state,
};
use worker::{D1Database, D1PreparedStatement, query};

use super::{Param, Where, bind, stored_json, vocabulary};
use crate::error::{AppError, AppResult};
use crate::time::{stored_china_date, stored_date};

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

/// The checklist's items by id (a few dozen rows).
async fn checklist(db: &D1Database) -> AppResult<BTreeMap<i64, ChecklistItem>> {
    Ok(super::checklist::all(db)
        .await?
        .into_iter()
        .map(|item| (item.id.0, item))
        .collect())
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
async fn summaries(
    db: &D1Database,
    rows: Vec<InspectionRow>,
    today: Date,
) -> AppResult<Vec<InspectionSummary>> {
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

/// An inspection's record, with the account that entered it.
pub(crate) async fn stored_record(
    db: &D1Database,
    id: i64,
) -> AppResult<Option<(StoredRecord, i64)>> {
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

/// Which live inspections a list shows; `year` always, the rest when given.
pub(crate) struct InspectionFilter {
    pub(crate) year: i64,
    pub(crate) quarter: Option<i64>,
    pub(crate) task: Option<i64>,
    /// Inspections with a part for this section.
    pub(crate) section: Option<String>,
    /// Inspections whose team has this inspector.
    pub(crate) inspector: Option<i64>,
}

/// The live inspections `filter` selects, by quarter and id (at most `MAX_LIST`).
pub(crate) async fn list(
    db: &D1Database,
    filter: &InspectionFilter,
    today: Date,
) -> AppResult<Vec<InspectionSummary>> {
    let mut clause = Where::new();
    clause.add("i.year = $$", vec![Param::Int(filter.year)]);
    if let Some(quarter) = filter.quarter {
        clause.add("i.quarter = $$", vec![Param::Int(quarter)]);
    }
    if let Some(task) = filter.task {
        clause.add("i.task_id = $$", vec![Param::Int(task)]);
    }
    if let Some(section) = &filter.section {
        clause.add(
            "EXISTS (SELECT 1 FROM json_each(i.sections_json) s WHERE s.value = $$)",
            vec![Param::Text(section.clone())],
        );
    }
    if let Some(inspector) = filter.inspector {
        clause.add(
            "EXISTS (SELECT 1 FROM inspection_team m WHERE m.inspection_id = i.id AND m.inspector_id = $$)",
            vec![Param::Int(inspector)],
        );
    }
    let sql = format!(
        "{INSPECTION_SELECT}{} ORDER BY i.quarter, i.id LIMIT {MAX_LIST}",
        clause.sql(1)
    );
    let rows: Vec<InspectionRow> = bind(db, &sql, clause.params())?.all().await?.results()?;
    summaries(db, rows, today).await
}

/// One live inspection (none for a voided draw's inspection).
pub(crate) async fn find(
    db: &D1Database,
    id: i64,
    today: Date,
) -> AppResult<Option<InspectionSummary>> {
    let row: Option<InspectionRow> =
        query!(db, &format!("{INSPECTION_SELECT} WHERE i.id = ?1"), &id)?
            .first(None)
            .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    Ok(summaries(db, vec![row], today).await?.pop())
}

/// The directory id of the inspector an account is linked to, if any.
pub(crate) async fn inspector_of_account(db: &D1Database, account: i64) -> AppResult<Option<i64>> {
    Ok(query!(
        db,
        "SELECT id FROM inspectors WHERE account_id = ?1",
        &account
    )?
    .first(Some("id"))
    .await?)
}

#[derive(Deserialize)]
struct IdRow {
    id: i64,
}

/// The ids of the active inspectors.
pub(crate) async fn active_inspectors(db: &D1Database) -> AppResult<BTreeSet<i64>> {
    let rows: Vec<IdRow> = db
        .prepare("SELECT id FROM inspectors WHERE active = 1")
        .all()
        .await?
        .results()?;
    Ok(rows.into_iter().map(|row| row.id).collect())
}

/// JSON text of a value for a bound parameter.
fn to_json<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(|err| AppError::Internal(err.to_string()))
}

/// Enters or corrects an inspection's record. The correction changes nothing unless the
/// stored record is still at `previous_version` (the statement's `changes` is then 0).
pub(crate) fn upsert_record(
    db: &D1Database,
    id: i64,
    request: &RecordRequest,
    entry_deadline: &str,
    now: &str,
    account: i64,
    previous_version: i64,
) -> AppResult<D1PreparedStatement> {
    bind(
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
            Param::Text(entry_deadline.to_owned()),
            Param::Text(now.to_owned()),
            Param::Int(account),
            Param::Int(previous_version),
        ],
    )
}

/// Adds `delta` (±1) to an object's violations, which weigh its risk in later draws.
pub(crate) fn add_violations(
    db: &D1Database,
    object: i64,
    delta: i64,
    now: &str,
) -> AppResult<D1PreparedStatement> {
    bind(
        db,
        "UPDATE objects SET violations = max(0, violations + ?2), version = version + 1, updated_at = ?3 WHERE id = ?1",
        &[
            Param::Int(object),
            Param::Int(delta),
            Param::Text(now.to_owned()),
        ],
    )
}

#[derive(Deserialize)]
struct ObjectIdRow {
    id: i64,
    status: String,
}

/// The object with this credit code, and its status.
pub(crate) async fn object_by_credit_code(
    db: &D1Database,
    credit_code: &str,
) -> AppResult<Option<(i64, ObjectStatus)>> {
    let row: Option<ObjectIdRow> = query!(
        db,
        "SELECT id, status FROM objects WHERE credit_code = ?1",
        &credit_code
    )?
    .first(None)
    .await?;
    row.map(|row| Ok((row.id, vocabulary("objects.status", &row.status)?)))
        .transpose()
}

/// What a targeted inspection's team is checked against.
#[derive(Deserialize)]
pub(crate) struct InspectorCheck {
    pub(crate) id: i64,
    pub(crate) active: i64,
    pub(crate) certificate: Option<String>,
}

/// The directory's rows for these inspector ids (unknown ids are left out).
pub(crate) async fn inspector_checks(
    db: &D1Database,
    ids: &[i64],
) -> AppResult<BTreeMap<i64, InspectorCheck>> {
    let ids_json = to_json(&ids)?;
    let rows: Vec<InspectorCheck> = query!(
        db,
        "SELECT id, active, certificate FROM inspectors WHERE id IN (SELECT value FROM json_each(?1))",
        &ids_json
    )?
    .all()
    .await?
    .results()?;
    Ok(rows.into_iter().map(|row| (row.id, row)).collect())
}

/// A targeted inspection to register.
pub(crate) struct NewTargeted<'a> {
    pub(crate) object: i64,
    pub(crate) year: i64,
    pub(crate) quarter: i64,
    pub(crate) trigger: Trigger,
    pub(crate) trigger_detail: &'a str,
    pub(crate) section: &'a str,
    pub(crate) items: &'a [i64],
    /// Lead first.
    pub(crate) team: &'a [i64],
    pub(crate) now: String,
    pub(crate) account: i64,
}

/// The inspection row and its team, in this order in one batch.
pub(crate) fn insert_targeted(
    db: &D1Database,
    new: &NewTargeted<'_>,
) -> AppResult<[D1PreparedStatement; 2]> {
    let insert = bind(
        db,
        "INSERT INTO inspections (kind, object_id, year, quarter, trigger, trigger_detail, joint, sections_json,
                                  items_json, lead_inspector_id, created_at, created_by)
         VALUES ('targeted', ?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8, ?9, ?10)",
        &[
            Param::Int(new.object),
            Param::Int(new.year),
            Param::Int(new.quarter),
            Param::Text(new.trigger.as_str().to_owned()),
            Param::Text(new.trigger_detail.to_owned()),
            Param::Text(to_json(&[new.section])?),
            Param::Text(to_json(&new.items)?),
            Param::Int(new.team[0]),
            Param::Text(new.now.clone()),
            Param::Int(new.account),
        ],
    )?;
    // Right after the INSERT, last_insert_rowid() is the new inspection (the counter triggers
    // write WITHOUT ROWID tables, which leave it alone).
    let team = bind(
        db,
        "INSERT INTO inspection_team (inspection_id, inspector_id, position)
         SELECT last_insert_rowid(), value, key FROM json_each(?1)",
        &[Param::Text(to_json(&new.team)?)],
    )?;
    Ok([insert, team])
}

/// The inspections and teams of a committed draw (`attempt` of `task`), from `rows`, a JSON
/// array `[{object, joint, sections, items, lead, members}]`; in the draw's batch, after the
/// draw row.
pub(crate) fn insert_drawn(
    db: &D1Database,
    rows: &str,
    task: i64,
    attempt: i64,
    period: Period,
    now: &str,
    account: i64,
) -> AppResult<[D1PreparedStatement; 2]> {
    let inspections = query!(
        db,
        "INSERT INTO inspections (kind, draw_id, task_id, object_id, year, quarter, joint, sections_json, items_json,
                                  lead_inspector_id, created_at, created_by)
         SELECT 'random', d.id, d.task_id, json_extract(j.value, '$.object'), ?4, ?5, json_extract(j.value, '$.joint'),
                json_extract(j.value, '$.sections'), json_extract(j.value, '$.items'), json_extract(j.value, '$.lead'),
                ?6, ?7
           FROM json_each(?1) j JOIN draws d ON d.task_id = ?2 AND d.attempt = ?3",
        &rows,
        &task,
        &attempt,
        &period.year,
        &period.quarter,
        &now,
        &account
    )?;
    let teams = query!(
        db,
        "INSERT INTO inspection_team (inspection_id, inspector_id, position)
         SELECT i.id, m.value, m.key
           FROM json_each(?1) j
           JOIN draws d ON d.task_id = ?2 AND d.attempt = ?3
           JOIN inspections i ON i.draw_id = d.id AND i.object_id = json_extract(j.value, '$.object'),
                json_each(j.value, '$.members') m",
        &rows,
        &task,
        &attempt
    )?;
    Ok([inspections, teams])
}
