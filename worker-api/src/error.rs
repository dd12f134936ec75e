//! The one place where errors become HTTP responses.

use shared::api::ApiError;
use worker::Response;

/// Every failure a handler can report. The variant decides the HTTP status and the stable
/// `error` code; the message is for people and never carries SQL or internal detail.
#[derive(Debug)]
pub(crate) enum AppError {
    /// No route or no such record (404).
    NotFound(String),
    /// Storage or runtime failure (500). The detail is logged, not returned.
    Internal(String),
}

impl AppError {
    fn status_and_body(&self) -> (u16, ApiError) {
        let (status, error, message) = match self {
            AppError::NotFound(message) => (404, "not_found", message.clone()),
            AppError::Internal(_) => (
                500,
                "internal",
                "服务器内部错误 / internal error".to_owned(),
            ),
        };
        (
            status,
            ApiError {
                error: error.to_owned(),
                message,
            },
        )
    }

    /// Renders the error as the API's JSON error shape.
    pub(crate) fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            worker::console_error!("internal error: {detail}");
        }
        let (status, body) = self.status_and_body();
        let json = serde_json::to_string(&body).unwrap_or_default();
        let response = Response::ok(json).expect("a string body is always accepted");
        let response = response.with_status(status);
        // `Response::ok` sets text/plain; the API speaks JSON.
        let _ = response
            .headers()
            .set("content-type", "application/json; charset=utf-8");
        response
    }
}

impl From<worker::Error> for AppError {
    fn from(err: worker::Error) -> Self {
        AppError::Internal(err.to_string())
    }
}

/// The result type of every handler body.
pub(crate) type AppResult<T> = Result<T, AppError>;
