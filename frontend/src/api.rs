//! One typed async function per API endpoint. Writes carry the session's CSRF token, which
//! this module remembers from the last session answer.

use std::cell::RefCell;

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::api::{
    Account, AccountList, ApiError, AuditPage, AuditVerification, ChangePasswordRequest,
    ChecklistResponse, CreateAccountRequest, ResetPasswordRequest, SessionInfo, SignInRequest,
    UpdateAccountRequest,
};

/// A failed API call, already phrased for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientError {
    pub code: String,
    pub message: String,
    /// Per-field problems of a refused form (`invalid_record`, `invalid_inspection`).
    pub fields: Vec<shared::records::FieldError>,
}

impl ClientError {
    fn network(err: impl std::fmt::Display) -> Self {
        ClientError {
            code: "network".to_owned(),
            message: format!("网络错误 / network error: {err}"),
            fields: Vec::new(),
        }
    }

    /// Whether the request never reached the worker (offline, connection refused).
    pub fn is_network(&self) -> bool {
        self.code == "network"
    }
}

thread_local! {
    static CSRF_TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn remember_session(info: &SessionInfo) {
    CSRF_TOKEN.with(|token| *token.borrow_mut() = info.csrf_token.clone());
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ClientError> {
    if response.ok() {
        return response.json::<T>().await.map_err(ClientError::network);
    }
    let status = response.status();
    match response.json::<ApiError>().await {
        Ok(body) => Err(ClientError {
            code: body.error,
            message: body.message,
            fields: body.fields,
        }),
        Err(_) => Err(ClientError {
            code: "http".to_owned(),
            message: format!("HTTP {status}"),
            fields: Vec::new(),
        }),
    }
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ClientError> {
    let response = Request::get(path)
        .send()
        .await
        .map_err(ClientError::network)?;
    decode(response).await
}

fn with_csrf(builder: RequestBuilder) -> RequestBuilder {
    match CSRF_TOKEN.with(|token| token.borrow().clone()) {
        Some(token) => builder.header("x-csrf-token", &token),
        None => builder,
    }
}

async fn send<B: Serialize, T: DeserializeOwned>(
    builder: RequestBuilder,
    body: Option<&B>,
) -> Result<T, ClientError> {
    let builder = with_csrf(builder);
    let request = match body {
        Some(body) => builder.json(body).map_err(ClientError::network)?,
        None => builder.build().map_err(ClientError::network)?,
    };
    decode(request.send().await.map_err(ClientError::network)?).await
}

/// `GET /api/checklist`.
pub async fn fetch_checklist() -> Result<ChecklistResponse, ClientError> {
    get("/api/checklist").await
}

/// `GET /api/bureau`.
pub async fn fetch_bureau() -> Result<shared::api::Bureau, ClientError> {
    get("/api/bureau").await
}

/// `POST /api/setup`: the first run of a new installation.
pub async fn set_up(
    request: shared::api::SetupRequest,
) -> Result<shared::api::Bureau, ClientError> {
    send(Request::post("/api/setup"), Some(&request)).await
}

/// `GET /api/session`.
pub async fn fetch_session() -> Result<SessionInfo, ClientError> {
    let info: SessionInfo = get("/api/session").await?;
    remember_session(&info);
    Ok(info)
}

/// `POST /api/session`.
pub async fn sign_in(request: SignInRequest) -> Result<SessionInfo, ClientError> {
    let info: SessionInfo = send(Request::post("/api/session"), Some(&request)).await?;
    remember_session(&info);
    Ok(info)
}

/// `DELETE /api/session`.
pub async fn sign_out() -> Result<SessionInfo, ClientError> {
    let info: SessionInfo = send::<(), _>(Request::delete("/api/session"), None).await?;
    remember_session(&info);
    Ok(info)
}

/// `POST /api/session/password`.
pub async fn change_password(request: ChangePasswordRequest) -> Result<SessionInfo, ClientError> {
    send(Request::post("/api/session/password"), Some(&request)).await
}

/// `GET /api/accounts`.
pub async fn fetch_accounts() -> Result<AccountList, ClientError> {
    get("/api/accounts").await
}

/// `POST /api/accounts`.
pub async fn create_account(request: CreateAccountRequest) -> Result<Account, ClientError> {
    send(Request::post("/api/accounts"), Some(&request)).await
}

/// `PUT /api/accounts/:id/inspector`: link an inspector account to a directory entry.
pub async fn link_account_inspector(
    account_id: i64,
    inspector_id: Option<i64>,
) -> Result<Account, ClientError> {
    send(
        Request::put(&format!("/api/accounts/{account_id}/inspector")),
        Some(&shared::api::LinkInspectorRequest { inspector_id }),
    )
    .await
}

/// `PUT /api/accounts/:id`.
pub async fn update_account(
    id: i64,
    request: UpdateAccountRequest,
) -> Result<Account, ClientError> {
    send(Request::put(&format!("/api/accounts/{id}")), Some(&request)).await
}

/// `POST /api/accounts/:id/password`.
pub async fn reset_password(
    id: i64,
    request: ResetPasswordRequest,
) -> Result<Account, ClientError> {
    send(
        Request::post(&format!("/api/accounts/{id}/password")),
        Some(&request),
    )
    .await
}

/// Filters of the audit-log page; empty strings are left out of the query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: String,
    pub action: String,
    pub from: String,
    pub to: String,
}

impl AuditFilter {
    /// The query string for `GET /api/audit`, percent-encoded.
    pub fn query(&self, before: Option<u64>) -> String {
        let mut pairs: Vec<String> = [
            ("actor", &self.actor),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .into_iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(key, value)| format!("{key}={}", percent_encode(value.trim())))
        .collect();
        if let Some(before) = before {
            pairs.push(format!("before={before}"));
        }
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }
}

fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// `GET /api/audit`.
pub async fn fetch_audit(
    filter: &AuditFilter,
    before: Option<u64>,
) -> Result<AuditPage, ClientError> {
    get(&format!("/api/audit{}", filter.query(before))).await
}

/// `GET /api/audit/verify`.
pub async fn verify_audit() -> Result<AuditVerification, ClientError> {
    get("/api/audit/verify").await
}

/// `GET /api/tasks`.
pub async fn fetch_tasks() -> Result<shared::api::TaskList, ClientError> {
    get("/api/tasks").await
}

/// `GET /api/tasks/:id`.
pub async fn fetch_task(id: i64) -> Result<shared::api::Task, ClientError> {
    get(&format!("/api/tasks/{id}")).await
}

/// `POST /api/tasks`.
pub async fn create_task(
    request: shared::api::TaskRequest,
) -> Result<shared::api::Task, ClientError> {
    send(Request::post("/api/tasks"), Some(&request)).await
}

/// `GET /api/tasks/:id/input`.
pub async fn fetch_task_input(id: i64) -> Result<shared::api::PreviewInput, ClientError> {
    get(&format!("/api/tasks/{id}/input")).await
}

/// `POST /api/tasks/:id/seal`.
pub async fn seal_task(id: i64) -> Result<shared::api::Task, ClientError> {
    send::<(), _>(Request::post(&format!("/api/tasks/{id}/seal")), None).await
}

/// `POST /api/tasks/:id/commit`, with an `Idempotency-Key` made once per click (a retry of the
/// same click sends the same key).
pub async fn commit_task(
    id: i64,
    idempotency_key: &str,
    request: shared::api::CommitRequest,
) -> Result<shared::api::PublicDraw, ClientError> {
    send(
        Request::post(&format!("/api/tasks/{id}/commit"))
            .header("idempotency-key", idempotency_key),
        Some(&request),
    )
    .await
}

/// `POST /api/draws/:id/void`.
pub async fn void_draw(
    id: i64,
    request: shared::api::VoidRequest,
) -> Result<shared::api::PublicDraw, ClientError> {
    send(
        Request::post(&format!("/api/draws/{id}/void")),
        Some(&request),
    )
    .await
}

/// `GET /api/public/draws`.
pub async fn fetch_public_draws() -> Result<shared::api::PublicDrawList, ClientError> {
    get("/api/public/draws").await
}

/// `GET /api/public/draws/:id`.
pub async fn fetch_public_draw(id: i64) -> Result<shared::api::PublicDraw, ClientError> {
    get(&format!("/api/public/draws/{id}")).await
}

/// Filters of the directory lists; empty strings are left out of the query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryFilter {
    /// `(name, value)` pairs, e.g. `("category", "key")`, `("q", "水泥")`.
    pub pairs: Vec<(&'static str, String)>,
}

impl DirectoryFilter {
    /// The query string for `GET /api/objects` or `/api/inspectors`, percent-encoded, with
    /// the page size and the keyset cursor.
    pub fn query(&self, limit: u32, after: Option<&shared::directory::api::PageCursor>) -> String {
        let mut pairs: Vec<String> = self
            .pairs
            .iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(key, value)| format!("{key}={}", percent_encode(value.trim())))
            .collect();
        pairs.push(format!("limit={limit}"));
        if let Some(cursor) = after {
            pairs.push(format!("after_name={}", percent_encode(&cursor.name)));
            pairs.push(format!("after_id={}", cursor.id));
        }
        format!("?{}", pairs.join("&"))
    }
}

/// `GET /api/objects`.
pub async fn fetch_objects(query: &str) -> Result<shared::directory::api::ObjectPage, ClientError> {
    get(&format!("/api/objects{query}")).await
}

/// `GET /api/objects/:id`.
pub async fn fetch_object(id: i64) -> Result<shared::directory::api::ObjectDetail, ClientError> {
    get(&format!("/api/objects/{id}")).await
}

/// `PUT /api/objects/:id`.
pub async fn update_object(
    id: i64,
    request: shared::directory::api::UpdateObjectRequest,
) -> Result<shared::directory::api::ObjectItem, ClientError> {
    send(Request::put(&format!("/api/objects/{id}")), Some(&request)).await
}

/// `POST /api/objects/:id/status`.
pub async fn change_object_status(
    id: i64,
    request: shared::directory::api::StatusChangeRequest,
) -> Result<shared::directory::api::ObjectItem, ClientError> {
    send(
        Request::post(&format!("/api/objects/{id}/status")),
        Some(&request),
    )
    .await
}

/// `PUT /api/objects/:id/tags`.
pub async fn set_object_tags(
    id: i64,
    request: shared::directory::api::SetTagsRequest,
) -> Result<shared::directory::api::SetTagsRequest, ClientError> {
    send(
        Request::put(&format!("/api/objects/{id}/tags")),
        Some(&request),
    )
    .await
}

/// `POST /api/objects/:id/conflicts`.
pub async fn add_conflict(
    id: i64,
    request: shared::directory::api::AddConflictRequest,
) -> Result<shared::directory::api::ConflictOfInterest, ClientError> {
    send(
        Request::post(&format!("/api/objects/{id}/conflicts")),
        Some(&request),
    )
    .await
}

/// `DELETE /api/objects/:id/conflicts/:inspector_id`.
pub async fn remove_conflict(id: i64, inspector_id: i64) -> Result<serde_json::Value, ClientError> {
    send::<(), _>(
        Request::delete(&format!("/api/objects/{id}/conflicts/{inspector_id}")),
        None,
    )
    .await
}

/// `GET /api/inspectors`.
pub async fn fetch_inspectors(
    query: &str,
) -> Result<shared::directory::api::InspectorPage, ClientError> {
    get(&format!("/api/inspectors{query}")).await
}

/// `POST /api/objects`: one new object.
pub async fn create_object(
    record: shared::directory::ObjectRow,
) -> Result<shared::directory::api::ObjectItem, ClientError> {
    send(
        Request::post("/api/objects"),
        Some(&shared::directory::api::CreateRecordRequest { record }),
    )
    .await
}

/// `POST /api/inspectors`: one new inspector.
pub async fn create_inspector(
    record: shared::directory::InspectorRow,
) -> Result<shared::directory::api::InspectorItem, ClientError> {
    send(
        Request::post("/api/inspectors"),
        Some(&shared::directory::api::CreateRecordRequest { record }),
    )
    .await
}

/// `GET /api/inspectors/:id`.
pub async fn fetch_inspector(
    id: i64,
) -> Result<shared::directory::api::InspectorDetail, ClientError> {
    get(&format!("/api/inspectors/{id}")).await
}

/// `PUT /api/inspectors/:id`.
pub async fn update_inspector(
    id: i64,
    request: shared::directory::api::UpdateInspectorRequest,
) -> Result<shared::directory::api::InspectorItem, ClientError> {
    send(
        Request::put(&format!("/api/inspectors/{id}")),
        Some(&request),
    )
    .await
}

/// `GET /api/directory/facets`.
pub async fn fetch_facets() -> Result<shared::directory::api::Facets, ClientError> {
    get("/api/directory/facets").await
}

/// `POST /api/imports`.
pub async fn create_import(
    request: shared::directory::api::CreateImportRequest,
) -> Result<shared::directory::api::ImportInfo, ClientError> {
    send(Request::post("/api/imports"), Some(&request)).await
}

/// `POST /api/imports/:id/rows` (the body is an `ObjectChunk` or an `InspectorChunk`).
pub async fn upload_import_rows(
    id: i64,
    chunk: &serde_json::Value,
) -> Result<serde_json::Value, ClientError> {
    send(
        Request::post(&format!("/api/imports/{id}/rows")),
        Some(chunk),
    )
    .await
}

/// `GET /api/imports/:id/preview` (an `ObjectPreview` or an `InspectorPreview`).
pub async fn fetch_import_preview(id: i64) -> Result<serde_json::Value, ClientError> {
    get(&format!("/api/imports/{id}/preview")).await
}

/// `GET /api/imports/:id/preview?changed_after=KEY`: the next page of changed records.
pub async fn fetch_import_preview_page(
    id: i64,
    changed_after: &str,
) -> Result<serde_json::Value, ClientError> {
    // Keys are credit codes or employee numbers: letters, digits, `_` and `-` only.
    get(&format!(
        "/api/imports/{id}/preview?changed_after={changed_after}"
    ))
    .await
}

/// `POST /api/imports/:id/commit`.
pub async fn commit_import(
    id: i64,
    confirm_reversals: bool,
) -> Result<shared::directory::api::CommitResult, ClientError> {
    send(
        Request::post(&format!("/api/imports/{id}/commit")),
        Some(&shared::directory::api::CommitImportRequest { confirm_reversals }),
    )
    .await
}

/// `DELETE /api/imports/:id`.
pub async fn abandon_import(id: i64) -> Result<shared::directory::api::ImportInfo, ClientError> {
    send::<(), _>(Request::delete(&format!("/api/imports/{id}")), None).await
}

/// `GET /api/column-mapping?directory=…`.
pub async fn fetch_column_mapping(
    directory: shared::directory::api::DirectoryKind,
) -> Result<shared::directory::api::SavedMapping, ClientError> {
    get(&format!(
        "/api/column-mapping?directory={}",
        directory.code()
    ))
    .await
}

/// `PUT /api/column-mapping`.
pub async fn save_column_mapping(
    mapping: shared::directory::api::SavedMapping,
) -> Result<shared::directory::api::SavedMapping, ClientError> {
    send(Request::put("/api/column-mapping"), Some(&mapping)).await
}

/// The query string of the statistics routes: the year, and the quarter when one is chosen.
pub fn statistics_query(year: i32, quarter: Option<u8>) -> String {
    match quarter {
        Some(quarter) => format!("?year={year}&quarter={quarter}"),
        None => format!("?year={year}"),
    }
}

/// `GET /api/statistics`.
pub async fn fetch_statistics(
    year: i32,
    quarter: Option<u8>,
) -> Result<shared::stats::Statistics, ClientError> {
    get(&format!(
        "/api/statistics{}",
        statistics_query(year, quarter)
    ))
    .await
}

/// `GET /api/statistics/inspectors`.
pub async fn fetch_inspector_counts(
    year: i32,
) -> Result<shared::stats::InspectorCounts, ClientError> {
    get(&format!("/api/statistics/inspectors?year={year}")).await
}

/// `GET /api/statistics/objects`.
pub async fn fetch_object_counts(
    year: i32,
    q: &str,
    offset: u64,
) -> Result<shared::stats::ObjectCounts, ClientError> {
    let mut path = format!("/api/statistics/objects?year={year}&offset={offset}&limit=20");
    if !q.trim().is_empty() {
        path.push_str(&format!("&q={}", percent_encode(q.trim())));
    }
    get(&path).await
}

/// `GET /api/plans` (optionally one year's versions).
pub async fn fetch_plans(year: Option<u16>) -> Result<shared::plan::PlanList, ClientError> {
    match year {
        Some(year) => get(&format!("/api/plans?year={year}")).await,
        None => get("/api/plans").await,
    }
}

/// `GET /api/plans/:id`.
pub async fn fetch_plan(id: i64) -> Result<shared::plan::Plan, ClientError> {
    get(&format!("/api/plans/{id}")).await
}

/// `POST /api/plans`.
pub async fn create_plan(
    request: shared::plan::NewPlanRequest,
) -> Result<shared::plan::Plan, ClientError> {
    send(Request::post("/api/plans"), Some(&request)).await
}

/// `PUT /api/plans/:id`.
pub async fn update_plan(
    id: i64,
    request: shared::plan::UpdatePlanRequest,
) -> Result<shared::plan::Plan, ClientError> {
    send(Request::put(&format!("/api/plans/{id}")), Some(&request)).await
}

/// `POST /api/plans/:id/publish`.
pub async fn publish_plan(
    id: i64,
    request: shared::plan::PublishPlanRequest,
) -> Result<shared::plan::Plan, ClientError> {
    send(
        Request::post(&format!("/api/plans/{id}/publish")),
        Some(&request),
    )
    .await
}

/// `GET /api/years/:year/progress`.
pub async fn fetch_year_progress(year: u16) -> Result<shared::plan::YearProgress, ClientError> {
    get(&format!("/api/years/{year}/progress")).await
}

/// `GET /api/years/:year/quarters/:quarter`.
pub async fn fetch_quarter_view(
    year: u16,
    quarter: u8,
) -> Result<shared::plan::QuarterView, ClientError> {
    get(&format!("/api/years/{year}/quarters/{quarter}")).await
}

/// `GET /api/inspections` with a query string made by [`inspection_query`].
pub async fn fetch_inspections(
    query: &str,
) -> Result<shared::records::InspectionList, ClientError> {
    get(&format!("/api/inspections{query}")).await
}

/// The query string of `GET /api/inspections`: empty values are left out.
pub fn inspection_query(pairs: &[(&str, String)]) -> String {
    let pairs: Vec<String> = pairs
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(key, value)| format!("{key}={}", percent_encode(value.trim())))
        .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

/// `GET /api/inspections/:id`.
pub async fn fetch_inspection(id: i64) -> Result<shared::records::InspectionDetail, ClientError> {
    get(&format!("/api/inspections/{id}")).await
}

/// `PUT /api/inspections/:id/record` with an `Idempotency-Key`: sending the same record with
/// the same key again is answered as the first send was.
pub async fn save_record(
    id: i64,
    request: &shared::records::RecordRequest,
    idempotency_key: &str,
) -> Result<shared::records::InspectionDetail, ClientError> {
    send(
        Request::put(&format!("/api/inspections/{id}/record"))
            .header("idempotency-key", idempotency_key),
        Some(request),
    )
    .await
}

/// `POST /api/inspections/:id/publish`.
pub async fn publish_inspection(id: i64) -> Result<shared::records::InspectionDetail, ClientError> {
    send(
        Request::post(&format!("/api/inspections/{id}/publish")),
        Some(&serde_json::json!({})),
    )
    .await
}

/// `POST /api/inspections`: a targeted (non-random) inspection.
pub async fn create_targeted(
    request: &shared::records::TargetedRequest,
) -> Result<shared::records::InspectionDetail, ClientError> {
    send(Request::post("/api/inspections"), Some(request)).await
}

/// `GET /api/calendar`.
pub async fn fetch_calendar() -> Result<shared::calendar::CalendarOverview, ClientError> {
    get("/api/calendar").await
}

/// `GET /api/calendar/:year`.
pub async fn fetch_calendar_year(
    year: i32,
) -> Result<shared::calendar::CalendarYearDetail, ClientError> {
    get(&format!("/api/calendar/{year}")).await
}

/// `PUT /api/calendar/:year`.
pub async fn enter_schedule(
    year: i32,
    request: shared::calendar::EnterScheduleRequest,
) -> Result<shared::calendar::CalendarYearDetail, ClientError> {
    send(
        Request::put(&format!("/api/calendar/{year}")),
        Some(&request),
    )
    .await
}

/// `GET /api/workdays/add?date=&n=`.
pub async fn workdays_add(
    date: &str,
    working_days: &str,
) -> Result<shared::calendar::Deadline, ClientError> {
    let query = inspection_query(&[("date", date.to_owned()), ("n", working_days.to_owned())]);
    get(&format!("/api/workdays/add{query}")).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_query_leaves_out_empty_filters_and_encodes_the_rest() {
        assert_eq!(AuditFilter::default().query(None), "");
        let filter = AuditFilter {
            actor: "王 管理".to_owned(),
            action: "account.".to_owned(),
            ..AuditFilter::default()
        };
        assert_eq!(
            filter.query(Some(40)),
            "?actor=%E7%8E%8B%20%E7%AE%A1%E7%90%86&action=account.&before=40"
        );
    }

    #[test]
    fn the_statistics_query_names_the_quarter_only_when_chosen() {
        assert_eq!(statistics_query(2026, None), "?year=2026");
        assert_eq!(statistics_query(2026, Some(3)), "?year=2026&quarter=3");
    }

    #[test]
    fn the_inspection_query_leaves_out_empty_values() {
        assert_eq!(inspection_query(&[("year", String::new())]), "");
        assert_eq!(
            inspection_query(&[
                ("year", "2026".to_owned()),
                ("quarter", String::new()),
                ("section", "eia_permit".to_owned())
            ]),
            "?year=2026&section=eia_permit"
        );
    }

    #[test]
    fn the_directory_query_carries_filters_page_size_and_cursor() {
        let filter = DirectoryFilter {
            pairs: vec![
                ("category", "key".to_owned()),
                ("q", "水泥 厂".to_owned()),
                ("region", String::new()),
            ],
        };
        assert_eq!(
            filter.query(50, None),
            "?category=key&q=%E6%B0%B4%E6%B3%A5%20%E5%8E%82&limit=50"
        );
        let cursor = shared::directory::api::PageCursor {
            name: "a&b".to_owned(),
            id: 7,
        };
        assert_eq!(
            DirectoryFilter::default().query(500, Some(&cursor)),
            "?limit=500&after_name=a%26b&after_id=7"
        );
    }
}
