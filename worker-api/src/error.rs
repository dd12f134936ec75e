//! The one place where errors become HTTP responses, all in one JSON shape:
//! `{"error": code, "message": text, "fields": [{"field", "message"}]}` (`fields` only when a
//! form or a file failed validation; then the domain's detailed `issues` come along too).

use serde::Serialize;
use shared::api::ApiError;
use shared::directory::ImportIssue;
use shared::plan::PlanIssue;
use shared::records::FieldError;
use worker::Response;

use crate::db::StorageError;

/// Every failure a request can end in. The variant decides the HTTP status and the stable
/// `error` code; the message is for people (Chinese first, then English) and never carries SQL
/// or internal detail.
#[derive(Debug)]
pub(crate) enum AppError {
    /// The request is malformed or fails validation (400).
    BadRequest { code: &'static str, message: String },
    /// A form failed validation: every field's problem (400).
    InvalidFields {
        code: &'static str,
        fields: Vec<FieldError>,
    },
    /// A file's rows or a plan's fields failed validation (400): every problem as a field
    /// error, and the domain's detailed issues (row, column, code) as `issues`, for the page
    /// that lists them. Made by [`AppError::invalid_rows`] and [`AppError::invalid_plan`].
    InvalidIssues {
        code: &'static str,
        message: String,
        fields: Vec<FieldError>,
        issues: serde_json::Value,
    },
    /// Sign-in is required (401).
    SignInRequired,
    /// Wrong user name or password (401).
    InvalidCredentials,
    /// The signed-in role may not do this (403).
    Forbidden,
    /// A write without the session's CSRF token, or from another origin (403).
    CsrfFailed,
    /// No such route or record (404).
    NotFound(String),
    /// The route exists but not for this method (405).
    MethodNotAllowed,
    /// The request conflicts with the current state, e.g. a duplicate user name (409).
    Conflict { code: &'static str, message: String },
    /// The body is larger than the route accepts (413).
    PayloadTooLarge { limit: usize },
    /// Too many failed sign-ins; try again later (429).
    TooManyAttempts { retry_after_seconds: i64 },
    /// A storage error a handler may turn into an answer (a unique key, a version guard);
    /// unanswered, it is a 500 like [`AppError::Internal`]. See [`StorageError`].
    Storage(StorageError),
    /// Storage or runtime failure (500). The detail is logged, never returned.
    Internal(String),
}

impl AppError {
    pub(crate) fn bad_request(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::BadRequest {
            code,
            message: message.into(),
        }
    }

    /// Another edit came first: the form's version is not the record's.
    pub(crate) fn version_conflict() -> AppError {
        AppError::Conflict {
            code: "version_conflict",
            message:
                "记录已被他人修改，请刷新后重试 / the record changed meanwhile; reload and retry"
                    .to_owned(),
        }
    }

    /// The answers to the storage errors a directory edit or import can meet: the version
    /// guard (409 `version_conflict`) and a unique key (409 `duplicate_key`, naming it).
    pub(crate) fn into_directory_conflict(self) -> AppError {
        match self {
            AppError::Storage(StorageError::VersionGuard) => AppError::version_conflict(),
            AppError::Storage(StorageError::Unique { column, .. }) => AppError::Conflict {
                code: "duplicate_key",
                message: format!(
                    "信用代码、工号或执法证号与已有记录重复 / the key is already taken ({})",
                    match column.as_str() {
                        "certificate" | "employee_no" => column.as_str(),
                        _ => "credit_code",
                    }
                ),
            },
            other => other,
        }
    }

    /// Rows of an import that fail the directory's rules: `message` says what happened to the
    /// upload, each issue names its spreadsheet cell.
    pub(crate) fn invalid_rows(
        code: &'static str,
        message: impl Into<String>,
        issues: Vec<ImportIssue>,
    ) -> AppError {
        let fields = issues
            .iter()
            .map(|issue| FieldError {
                field: import_issue_field(issue),
                message: format!("{} / {}", issue.message_zh, issue.message_en),
            })
            .collect();
        AppError::invalid_issues(code, message.into(), fields, &issues)
    }

    /// A plan that fails `shared::plan::validate`: every issue, each naming its field.
    pub(crate) fn invalid_plan(issues: Vec<PlanIssue>) -> AppError {
        let zh: Vec<String> = issues
            .iter()
            .map(|i| format!("{}：{}", i.field, i.message_zh))
            .collect();
        let en: Vec<String> = issues
            .iter()
            .map(|i| format!("{}: {}", i.field, i.message_en))
            .collect();
        let message = format!(
            "计划有 {} 处问题：{} / {} problem(s): {}",
            issues.len(),
            zh.join("；"),
            issues.len(),
            en.join("; ")
        );
        let fields = issues
            .iter()
            .map(|issue| FieldError {
                field: issue.field.clone(),
                message: format!("{} / {}", issue.message_zh, issue.message_en),
            })
            .collect();
        AppError::invalid_issues("invalid_plan", message, fields, &issues)
    }

    fn invalid_issues<I: Serialize>(
        code: &'static str,
        message: String,
        fields: Vec<FieldError>,
        issues: &[I],
    ) -> AppError {
        match serde_json::to_value(issues) {
            Ok(issues) => AppError::InvalidIssues {
                code,
                message,
                fields,
                issues,
            },
            Err(err) => AppError::Internal(format!("issues: {err}")),
        }
    }

    fn status_code_message(&self) -> (u16, &'static str, String) {
        match self {
            AppError::BadRequest { code, message } => (400, code, message.clone()),
            AppError::InvalidFields { code, fields } => (
                400,
                code,
                format!(
                    "有 {n} 处需要修改 / {n} field(s) need attention: {}",
                    fields
                        .iter()
                        .map(|field| format!("{}: {}", field.field, field.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                    n = fields.len()
                ),
            ),
            AppError::InvalidIssues { code, message, .. } => (400, code, message.clone()),
            AppError::SignInRequired => (401, "sign_in_required", "请先登录 / please sign in".to_owned()),
            AppError::InvalidCredentials => {
                (401, "invalid_credentials", "用户名或密码错误 / wrong user name or password".to_owned())
            }
            AppError::Forbidden => (403, "forbidden", "当前角色无权执行此操作 / your role may not do this".to_owned()),
            AppError::CsrfFailed => (
                403,
                "csrf_failed",
                "请求缺少有效的防伪令牌，请刷新页面后重试 / missing or wrong CSRF token; reload and retry".to_owned(),
            ),
            AppError::NotFound(message) => (404, "not_found", message.clone()),
            AppError::MethodNotAllowed => {
                (405, "method_not_allowed", "此接口不支持该请求方法 / method not allowed here".to_owned())
            }
            AppError::Conflict { code, message } => (409, code, message.clone()),
            AppError::PayloadTooLarge { limit } => (
                413,
                "payload_too_large",
                format!("请求内容过大（上限 {limit} 字节）/ request body over {limit} bytes"),
            ),
            AppError::TooManyAttempts { retry_after_seconds } => {
                let minutes = (retry_after_seconds + 59) / 60;
                (
                    429,
                    "too_many_attempts",
                    format!("登录失败次数过多，请 {minutes} 分钟后再试 / too many failed sign-ins; try again in {minutes} min"),
                )
            }
            AppError::Storage(_) | AppError::Internal(_) => (500, "internal", "服务器内部错误 / internal error".to_owned()),
        }
    }

    /// Renders the error as the API's JSON error shape.
    pub(crate) fn into_response(self) -> Response {
        match &self {
            AppError::Internal(detail) => worker::console_error!("internal error: {detail}"),
            AppError::Storage(err) => worker::console_error!("storage error: {err:?}"),
            _ => {}
        }
        let (status, code, message) = self.status_code_message();
        let body = ApiError {
            error: code.to_owned(),
            message,
            fields: match &self {
                AppError::InvalidFields { fields, .. } | AppError::InvalidIssues { fields, .. } => {
                    fields.clone()
                }
                _ => Vec::new(),
            },
        };
        let mut body = serde_json::to_value(&body).expect("the error shape always serializes");
        if let (AppError::InvalidIssues { issues, .. }, Some(object)) =
            (&self, body.as_object_mut())
        {
            object.insert("issues".to_owned(), issues.clone());
        }
        let mut response = Response::from_json(&body)
            .expect("the error shape always serializes")
            .with_status(status);
        if let AppError::TooManyAttempts {
            retry_after_seconds,
        } = self
        {
            let _ = response
                .headers_mut()
                .set("retry-after", &retry_after_seconds.to_string());
        }
        response
    }
}

/// Where an import issue is in the file: its cell (`B7`) when row and column are known.
fn import_issue_field(issue: &ImportIssue) -> String {
    match (&issue.column, issue.row) {
        (Some(column), Some(row)) if !column.letter.is_empty() => format!("{}{row}", column.letter),
        (Some(column), Some(row)) => format!("{}[{row}]", column.header),
        (Some(column), None) => column.header.clone(),
        (None, Some(row)) => format!("row {row}"),
        (None, None) => "file".to_owned(),
    }
}

/// Every error of the Workers runtime and of D1 is classified once, here: unique keys and
/// version guards become [`AppError::Storage`] (for the handler to answer), the rest internal.
impl From<worker::Error> for AppError {
    fn from(err: worker::Error) -> Self {
        StorageError::classify(&err.to_string()).into()
    }
}

/// The result type of every handler.
pub(crate) type AppResult<T> = Result<T, AppError>;
