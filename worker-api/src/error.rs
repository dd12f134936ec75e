//! The one place where errors become HTTP responses.

use shared::api::ApiError;
use worker::Response;

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
        fields: Vec<shared::records::FieldError>,
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
            AppError::Internal(_) => (500, "internal", "服务器内部错误 / internal error".to_owned()),
        }
    }

    /// Renders the error as the API's JSON error shape.
    pub(crate) fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            worker::console_error!("internal error: {detail}");
        }
        let (status, code, message) = self.status_code_message();
        let body = ApiError {
            error: code.to_owned(),
            message,
            fields: match self {
                AppError::InvalidFields { ref fields, .. } => fields.clone(),
                _ => Vec::new(),
            },
        };
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

impl From<worker::Error> for AppError {
    fn from(err: worker::Error) -> Self {
        AppError::Internal(err.to_string())
    }
}

/// The result type of every handler.
pub(crate) type AppResult<T> = Result<T, AppError>;
