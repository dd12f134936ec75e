//! Inspectors (`inspectors`, `inspector_specialties`, `inspector_status_changes`,
//! `inspector_yearly_counts`).

use shared::directory::InspectorRow;
use shared::directory::api::{InspectorItem, LinkedAccount};
use worker::{D1Database, D1PreparedStatement};

use super::objects::ItemRow;
use super::{Param, Where, bind, keyset_page};
use crate::error::{AppError, AppResult};

/// An inspector's record as JSON (`i` is `inspectors`); `PHONE` is replaced by `i.phone` or
/// `NULL` (see [`inspector_record`]).
const INSPECTOR_RECORD: &str = "json_object('name', i.name, 'employee_no', i.employee_no, \
    'certificate', i.certificate, 'region', i.region, 'years_of_service', i.years_of_service, \
    'specialties', json((SELECT json_group_array(specialty) FROM (SELECT specialty FROM inspector_specialties s \
        WHERE s.inspector_id = i.id ORDER BY specialty))), \
    'department', i.department, 'post', i.post, 'phone', PHONE, \
    'active', json(CASE WHEN i.active = 1 THEN 'true' ELSE 'false' END))";

/// [`INSPECTOR_RECORD`] over the alias `alias`, with the phone number or without.
pub(crate) fn inspector_record(alias: &str, with_phone: bool) -> String {
    INSPECTOR_RECORD
        .replace("PHONE", if with_phone { "i.phone" } else { "NULL" })
        .replace("i.", &format!("{alias}."))
}

fn into_inspector(row: ItemRow, year: i64) -> AppResult<InspectorItem> {
    let counts = row.counts(year);
    let record: InspectorRow = serde_json::from_str(&row.record)
        .map_err(|err| AppError::Internal(format!("inspector {}: {err}", row.id)))?;
    Ok(InspectorItem {
        id: row.id,
        version: row.version,
        record,
        counts,
    })
}

fn inspector_select(with_phone: bool) -> String {
    format!(
        "SELECT x.id, x.version, {} AS record, c.random, c.targeted FROM inspectors x \
         LEFT JOIN inspector_yearly_counts c ON c.inspector_id = x.id AND c.year = ?1",
        inspector_record("x", with_phone)
    )
}

/// What a list of inspectors is filtered by; every field is optional and they are ANDed.
#[derive(Default)]
pub(crate) struct InspectorFilter {
    pub department: Option<String>,
    pub region: Option<String>,
    pub post: Option<String>,
    pub specialty: Option<String>,
    pub active: Option<bool>,
    /// A part of the name, or the whole employee number or certificate.
    pub q: Option<String>,
}

impl InspectorFilter {
    fn into_where(self) -> Where {
        let mut filter = Where::new();
        for (value, fragment) in [
            (self.department, "x.department = $$"),
            (self.region, "x.region = $$"),
            (self.post, "x.post = $$"),
            (
                self.specialty,
                "x.id IN (SELECT inspector_id FROM inspector_specialties WHERE specialty = $$)",
            ),
        ] {
            if let Some(value) = value {
                filter.add(fragment, vec![Param::Text(value)]);
            }
        }
        if let Some(active) = self.active {
            filter.add("x.active = $$", vec![Param::Int(i64::from(active))]);
        }
        if let Some(q) = self.q {
            let q = q.trim().to_owned();
            filter.add(
                "(instr(x.name, $$) > 0 OR x.employee_no = $$ OR x.certificate = $$)",
                vec![
                    Param::Text(q.clone()),
                    Param::Text(q.clone()),
                    Param::Text(q),
                ],
            );
        }
        filter
    }
}

/// A page of inspectors (never with phone numbers), like [`super::objects::page`].
pub(crate) async fn page(
    db: &D1Database,
    filter: InspectorFilter,
    year: i64,
    limit: i64,
    after: Option<(String, i64)>,
) -> AppResult<(Vec<InspectorItem>, i64)> {
    let (rows, total) = keyset_page(
        db,
        &inspector_select(false),
        "inspectors x",
        filter.into_where(),
        year,
        limit,
        after,
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|row| into_inspector(row, year))
        .collect::<AppResult<Vec<_>>>()?;
    Ok((items, total))
}

/// Inspector `id` with `year`'s counts, with the phone number or without.
pub(crate) async fn find(
    db: &D1Database,
    id: i64,
    year: i64,
    with_phone: bool,
) -> AppResult<Option<InspectorItem>> {
    let row: Option<ItemRow> = bind(
        db,
        &format!("{} WHERE x.id = ?2", inspector_select(with_phone)),
        &[Param::Int(year), Param::Int(id)],
    )?
    .first(None)
    .await?;
    row.map(|row| into_inspector(row, year)).transpose()
}

/// Who edited and when, for an inspector's edit.
pub(crate) struct Edit<'a> {
    /// RFC 3339.
    pub now: &'a str,
    /// `YYYY-MM-DD`: the day a change of duty takes effect.
    pub today: &'a str,
    pub account_id: i64,
}

/// The history row of inspector `id` going on or off duty through an edit (reason 信息编辑).
pub(crate) fn record_duty_change(
    db: &D1Database,
    id: i64,
    active: bool,
    edit: &Edit<'_>,
) -> AppResult<D1PreparedStatement> {
    bind(
        db,
        "INSERT INTO inspector_status_changes (inspector_id, active, effective_date, reason, recorded_at, recorded_by) \
         VALUES (?1, ?2, ?3, '信息编辑', ?4, ?5)",
        &[
            Param::Int(id),
            Param::Int(i64::from(active)),
            Param::Text(edit.today.to_owned()),
            Param::Text(edit.now.to_owned()),
            Param::Int(edit.account_id),
        ],
    )
}

/// Sets every field of inspector `id` from `record_json` (an `InspectorRow`), specialties
/// included.
pub(crate) fn update(
    db: &D1Database,
    id: i64,
    record_json: &str,
    now: &str,
) -> AppResult<Vec<D1PreparedStatement>> {
    Ok(vec![
        bind(
            db,
            "UPDATE inspectors SET name = j ->> '$.name', employee_no = j ->> '$.employee_no', \
             certificate = j ->> '$.certificate', region = j ->> '$.region', \
             years_of_service = j ->> '$.years_of_service', department = j ->> '$.department', \
             post = j ->> '$.post', phone = j ->> '$.phone', active = j ->> '$.active', \
             version = version + 1, updated_at = ?3 FROM (SELECT json(?2) AS j) WHERE id = ?1",
            &[
                Param::Int(id),
                Param::Text(record_json.to_owned()),
                Param::Text(now.to_owned()),
            ],
        )?,
        bind(
            db,
            "DELETE FROM inspector_specialties WHERE inspector_id = ?1",
            &[Param::Int(id)],
        )?,
        bind(
            db,
            "INSERT INTO inspector_specialties (inspector_id, specialty) \
             SELECT ?1, value FROM json_each(json(?2), '$.specialties')",
            &[Param::Int(id), Param::Text(record_json.to_owned())],
        )?,
    ])
}

/// The account inspector `id` signs in as: `None` when there is no such inspector,
/// `Some(None)` when it has no account.
pub(crate) async fn linked_account(
    db: &D1Database,
    id: i64,
) -> AppResult<Option<Option<LinkedAccount>>> {
    #[derive(serde::Deserialize)]
    struct Row {
        account_id: Option<i64>,
        username: Option<String>,
        display_name: Option<String>,
    }
    let row: Option<Row> = bind(
        db,
        "SELECT a.id AS account_id, a.username, a.display_name FROM inspectors i \
         LEFT JOIN accounts a ON a.id = i.account_id WHERE i.id = ?1",
        &[Param::Int(id)],
    )?
    .first(None)
    .await?;
    Ok(row.map(
        |row| match (row.account_id, row.username, row.display_name) {
            (Some(id), Some(username), Some(display_name)) => Some(LinkedAccount {
                id,
                username,
                display_name,
            }),
            _ => None,
        },
    ))
}

/// Inspector `inspector_id` signs in as the account named `username` (which may be inserted
/// earlier in the same batch). Put [`super::inspector_unlinked_guard`] before it.
pub(crate) fn link_account_by_username(
    db: &D1Database,
    inspector_id: i64,
    username: &str,
) -> AppResult<D1PreparedStatement> {
    bind(
        db,
        "UPDATE inspectors SET account_id = (SELECT id FROM accounts WHERE username = ?2) WHERE id = ?1",
        &[Param::Int(inspector_id), Param::Text(username.to_owned())],
    )
}

/// Account `account_id` signs in as no inspector any more.
pub(crate) fn unlink_account(db: &D1Database, account_id: i64) -> AppResult<D1PreparedStatement> {
    bind(
        db,
        "UPDATE inspectors SET account_id = NULL WHERE account_id = ?1",
        &[Param::Int(account_id)],
    )
}

/// A new inspector from `record_json` (an `InspectorRow`), specialties included.
pub(crate) fn insert(
    db: &D1Database,
    record_json: &str,
    now: &str,
) -> AppResult<Vec<D1PreparedStatement>> {
    Ok(vec![
        bind(
            db,
            "INSERT INTO inspectors (employee_no, name, certificate, region, years_of_service, department, post, phone, \
                 active, created_at, updated_at) \
             SELECT j ->> '$.employee_no', j ->> '$.name', j ->> '$.certificate', j ->> '$.region', \
                 j ->> '$.years_of_service', j ->> '$.department', j ->> '$.post', j ->> '$.phone', j ->> '$.active', ?2, ?2 \
             FROM (SELECT json(?1) AS j)",
            &[
                Param::Text(record_json.to_owned()),
                Param::Text(now.to_owned()),
            ],
        )?,
        bind(
            db,
            "INSERT INTO inspector_specialties (inspector_id, specialty) \
             SELECT i.id, s.value FROM inspectors i, json_each(json(?1), '$.specialties') s \
             WHERE i.employee_no = json(?1) ->> '$.employee_no'",
            &[Param::Text(record_json.to_owned())],
        )?,
    ])
}

/// The id of the inspector with employee number `employee_no`.
pub(crate) async fn id_by_employee_no(
    db: &D1Database,
    employee_no: &str,
) -> AppResult<Option<i64>> {
    Ok(bind(
        db,
        "SELECT id FROM inspectors WHERE employee_no = ?1",
        &[Param::Text(employee_no.to_owned())],
    )?
    .first(Some("id"))
    .await?)
}
