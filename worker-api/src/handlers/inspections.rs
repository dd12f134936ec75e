//! Inspections and their results: the lists and deadlines staff and inspectors see, the on-site
//! record (现场检查记录), publication (谁检查、谁录入、谁公开) and targeted inspections.
//!
//! Scope: an inspector sees and records only inspections whose team they are in (their
//! account is linked from `inspectors.account_id`); a section account only its own section's
//! part; other staff roles everything.

use std::collections::BTreeSet;

use shared::authz::{self, Principal, Role, Scope, TargetedRefusal};
use shared::calendar::{self, Date};
use shared::checklist::ChecklistItemId;
use shared::draw::ObjectStatus;
use shared::records::{
    InspectionDetail, InspectionSummary, RecordContext, RecordRequest, TargetedRequest,
    validate_record,
};
use shared::sections::{SECTIONS, section_by_code};
use worker::{D1Database, Response};

use crate::audit::{self, Actor, Change};
use crate::auth::Session;
use crate::ctx::{Ctx, json};
use crate::db::inspections::{InspectionFilter, NewTargeted};
use crate::db::publications::NewPublication;
use crate::db::{self, StorageError};
use crate::error::{AppError, AppResult};
use crate::time::{china_today, now_rfc3339};

/// The directory id of the signed-in inspector, if their account is linked to one.
async fn own_inspector_id(db: &D1Database, session: &Session) -> AppResult<Option<i64>> {
    db::inspections::inspector_of_account(db, session.account_id).await
}

/// The caller as `shared::authz`'s scope rules see them; the directory link is looked up only
/// for an inspector account, the one role whose scope depends on it.
async fn principal<'s>(db: &D1Database, session: &'s Session) -> AppResult<Principal<'s>> {
    let inspector_id = match session.role {
        Role::Inspector => own_inspector_id(db, session).await?,
        _ => None,
    };
    Ok(session.principal(inspector_id))
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
    let quarter = match ctx.query("quarter") {
        Some(quarter) => Some(
            quarter
                .parse()
                .ok()
                .filter(|q| (1..=4).contains(q))
                .ok_or_else(|| {
                    AppError::bad_request(
                        "invalid_quarter",
                        "季度须为 1–4 / the quarter must be 1–4",
                    )
                })?,
        ),
        None => None,
    };
    let chosen_inspector = if ctx.query("mine").is_some() {
        // An account not linked to the directory has no inspections of its own.
        Some(own_inspector_id(&ctx.db, &session).await?.unwrap_or(0))
    } else {
        ctx.query("inspector").and_then(|id| id.parse().ok())
    };
    let (section, inspector) = match authz::inspection_scope(principal(&ctx.db, &session).await?) {
        Scope::Section(code) if code.is_empty() => return Err(AppError::Forbidden),
        Scope::Section(code) => (Some(code), chosen_inspector),
        Scope::Team(own) => (ctx.query("section"), Some(own.unwrap_or(0))),
        Scope::All => (ctx.query("section"), chosen_inspector),
    };
    let filter = InspectionFilter {
        year,
        quarter,
        task: ctx.query("task").and_then(|task| task.parse().ok()),
        section,
        inspector,
    };
    json(&shared::records::InspectionList {
        inspections: db::inspections::list(&ctx.db, &filter, china_today()).await?,
    })
}

/// One live inspection, or 404 (also for a voided draw's inspection).
async fn load(db: &D1Database, id: i64) -> AppResult<InspectionSummary> {
    db::inspections::find(db, id, china_today())
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "没有编号为 {id} 的有效检查（或其抽取已作废）/ no live inspection {id}"
            ))
        })
}

/// Whether `session` may see this inspection, and whether they may record and publish it
/// (`shared::authz::inspection_access`, with the row just loaded).
async fn access(
    db: &D1Database,
    session: &Session,
    inspection: &InspectionSummary,
) -> AppResult<(bool, bool)> {
    let sections: Vec<&str> = inspection.sections.iter().map(String::as_str).collect();
    let team: Vec<i64> = inspection
        .team
        .iter()
        .map(|member| member.inspector_id)
        .collect();
    let access = authz::inspection_access(principal(db, session).await?, &sections, &team);
    Ok((access.read, access.record))
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
    let record = db::inspections::stored_record(&ctx.db, id)
        .await?
        .map(|(record, _)| record);
    json(&InspectionDetail {
        can_record: can_record && inspection.published_at.is_none(),
        inspection,
        record,
    })
}

/// `PUT /api/inspections/:id/record`: enter or correct the on-site record (until published).
pub(crate) async fn put_record(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let request: RecordRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let inspection = load(db, id).await?;
    let (_, can_record) = access(db, &session, &inspection).await?;
    if !can_record {
        return Err(AppError::Forbidden);
    }
    if inspection.published_at.is_some() {
        return Err(AppError::Conflict {
            code: "already_published",
            message: "结果已公开，记录不能再修改 / the result is published; the record is frozen"
                .to_owned(),
        });
    }
    let previous = db::inspections::stored_record(db, id).await?;
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
    let mut known: BTreeSet<i64> = db::inspections::active_inspectors(db).await?;
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
    let upsert = db::inspections::upsert_record(
        db,
        id,
        &request,
        &entry_deadline,
        &now,
        session.account_id,
        version - 1,
    )?;
    // Results feed the object's record: a case opened counts as a violation for later draws'
    // risk weights; correcting the record takes it back.
    let was_violation = previous
        .as_ref()
        .is_some_and(|(stored, _)| stored.record.result.is_violation());
    let delta = i64::from(request.result.is_violation()) - i64::from(was_violation);
    let mut statements = vec![upsert];
    if delta != 0 {
        statements.push(db::inspections::add_violations(
            db,
            inspection.object.id,
            delta,
            &now,
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
    let results = audit::commit(db, Actor::Account(&session), change, statements).await?;
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
    let inspection = load(db, id).await?;
    let record = db::inspections::stored_record(db, id)
        .await?
        .map(|(record, _)| record);
    Ok(json(&InspectionDetail {
        can_record: true,
        inspection,
        record,
    })?
    .with_status(if previous.is_some() { 200 } else { 201 }))
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
    let Some((stored, _)) = db::inspections::stored_record(db, id).await? else {
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
    let insert = db::publications::insert(
        db,
        &NewPublication {
            inspection_id: id,
            year: i64::from(inspection.year),
            quarter: i64::from(inspection.quarter),
            object_name: &inspection.object.name,
            credit_code: &inspection.object.credit_code,
            category: inspection.object.category.as_str(),
            task_name: &inspection.task_name,
            kind: inspection.kind,
            inspected_on: &stored.record.inspected_on,
            items: &items,
            result,
            department: department(&inspection.sections),
            published_at: now_rfc3339(),
            published_by: session.account_id,
        },
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
            AppError::Storage(StorageError::Unique { .. }) => AppError::Conflict {
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
    let object =
        db::inspections::object_by_credit_code(db, &request.credit_code.trim().to_uppercase())
            .await?;
    match &object {
        None => field(
            "credit_code",
            "名录中没有该统一社会信用代码的检查对象",
            "no object in the directory has this credit code",
        ),
        Some((_, ObjectStatus::Closed)) => {
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
    match authz::may_register_targeted(
        principal(db, &session).await?,
        &request.section,
        &request.team,
    ) {
        Err(TargetedRefusal::OtherSection) => field(
            "section",
            "科室账号只能登记本科室的检查",
            "a section account registers only its own section's inspections",
        ),
        Err(TargetedRefusal::NotOnTeam) => field(
            "team",
            "执法人员只能登记本人参加的检查",
            "an inspector registers only inspections whose team they are on",
        ),
        Ok(()) => {}
    }
    let items: BTreeSet<ChecklistItemId> = db::checklist::all(db)
        .await?
        .into_iter()
        .map(|item| item.id)
        .collect();
    if request.items.is_empty() {
        field("items", "至少选择一项检查事项", "choose at least one item");
    }
    for (index, item) in request.items.iter().enumerate() {
        if !items.contains(item) {
            field(
                &format!("items[{index}]"),
                &format!("没有编号为 {item} 的检查事项"),
                &format!("no checklist item {item}"),
            );
        }
    }
    let by_id = db::inspections::inspector_checks(db, &request.team).await?;
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
    let (Some((object, _)), Some(planned)) = (object, planned) else {
        unreachable!("validated")
    };
    let quarter = i64::from((planned.month() - 1) / 3 + 1);
    let mut item_ids: Vec<i64> = request.items.iter().map(|item| item.0).collect();
    item_ids.sort_unstable();
    item_ids.dedup();
    let statements = db::inspections::insert_targeted(
        db,
        &NewTargeted {
            object,
            year: i64::from(planned.year()),
            quarter,
            trigger: request.trigger,
            trigger_detail: detail,
            section: &request.section,
            items: &item_ids,
            team: &request.team,
            now: now_rfc3339(),
            account: session.account_id,
        },
    )?;
    let change = Change {
        action: "inspection.targeted",
        target: format!("object:{object}"),
        before_digest: String::new(),
        after_digest: String::new(),
        detail: format!("登记非随机检查（{}）：{detail}", request.trigger.label_zh()),
    };
    let results = audit::commit(db, Actor::Account(&session), change, statements.into()).await?;
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
