//! What a handler gets and gives back: the request context ([`Ctx`]), the route type the route
//! table is made of ([`Route`]), and the JSON answer ([`json`]). Handlers import this module,
//! never `http` (dispatch) and never another handler, so no import runs in a circle:
//! `http` → `routes` → `handlers` → `ctx`, `db`, `audit`.

use std::future::Future;
use std::pin::Pin;

use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::authz::Action;
use worker::{D1Database, Method, Request, Response};

use crate::auth::Session;
use crate::error::{AppError, AppResult};

/// The largest request body any route accepts.
pub(crate) const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What a handler returns: a boxed future, so handlers of different types fit in one table.
pub(crate) type HandlerFuture = Pin<Box<dyn Future<Output = AppResult<Response>>>>;

/// One row of the route table.
pub(crate) struct Route {
    pub method: Method,
    /// Segments separated by `/`; a segment `:name` captures one path segment.
    pub path: &'static str,
    /// What the route does, as named in `shared::authz`.
    pub action: Action,
    pub handler: fn(Ctx) -> HandlerFuture,
}

/// Everything a handler gets: the request, the database, the caller's session, the path
/// parameters, and the route table it was found in (for `GET /api/meta/routes`).
pub(crate) struct Ctx {
    pub req: Request,
    pub db: D1Database,
    pub session: Option<Session>,
    pub routes: &'static [Route],
    pub params: Vec<(&'static str, String)>,
}

impl Ctx {
    /// The signed-in session. Dispatch has already refused anonymous callers of non-public
    /// actions, so this fails only if a public route asks for it by mistake.
    pub(crate) fn session(&self) -> AppResult<&Session> {
        self.session.as_ref().ok_or(AppError::SignInRequired)
    }

    /// A numeric path parameter.
    pub(crate) fn id_param(&self, name: &str) -> AppResult<i64> {
        let raw = self
            .params
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or("");
        raw.parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or_else(|| AppError::NotFound(format!("没有这条记录 / no such record: {raw}")))
    }

    /// A query-string parameter, if present and not empty.
    pub(crate) fn query(&self, name: &str) -> Option<String> {
        let url = self.req.url().ok()?;
        url.query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
            .filter(|v| !v.is_empty())
    }

    /// The body as text, at most [`MAX_BODY_BYTES`].
    pub(crate) async fn text(&mut self) -> AppResult<String> {
        let text = self.req.text().await.map_err(|_| {
            AppError::bad_request("invalid_body", "请求内容无法读取 / unreadable body")
        })?;
        if text.len() > MAX_BODY_BYTES {
            return Err(AppError::PayloadTooLarge {
                limit: MAX_BODY_BYTES,
            });
        }
        Ok(text)
    }

    /// The JSON body, with the JSON path of the first problem in the message.
    pub(crate) async fn json<T: DeserializeOwned>(&mut self) -> AppResult<T> {
        let text = self.text().await?;
        serde_json::from_str(&text).map_err(|err| {
            AppError::bad_request(
                "invalid_json",
                format!("请求内容不是有效的 JSON / invalid JSON body: {err}"),
            )
        })
    }
}

/// A JSON response with status 200.
pub(crate) fn json<T: Serialize>(value: &T) -> AppResult<Response> {
    Ok(Response::from_json(value)?)
}
