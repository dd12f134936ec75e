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
}

impl ClientError {
    fn network(err: impl std::fmt::Display) -> Self {
        ClientError {
            code: "network".to_owned(),
            message: format!("网络错误 / network error: {err}"),
        }
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
        }),
        Err(_) => Err(ClientError {
            code: "http".to_owned(),
            message: format!("HTTP {status}"),
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
}
