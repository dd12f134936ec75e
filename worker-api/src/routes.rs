//! The route table: one named async handler per route.

use serde::Deserialize;
use shared::api::{ChecklistResponse, Health};
use shared::checklist::{ChecklistItem, ChecklistItemId};
use worker::{Request, Response, RouteContext, Router};

use crate::error::{AppError, AppResult};

/// The D1 binding name in `wrangler.toml`.
const DB_BINDING: &str = "DB";

pub(crate) fn router<'a>() -> Router<'a, ()> {
    Router::new()
        .get_async("/api/health", |req, ctx| respond(health(req, ctx)))
        .get_async("/api/checklist", |req, ctx| {
            respond(list_checklist(req, ctx))
        })
        .or_else_any_method_async("/api/*rest", |req, _ctx| async move {
            Ok(
                AppError::NotFound(format!("没有这个接口 / no such API route: {}", req.path()))
                    .into_response(),
            )
        })
}

/// Turns a handler body's result into a response: JSON on success, the error shape otherwise.
async fn respond<T: serde::Serialize>(
    body: impl Future<Output = AppResult<T>>,
) -> worker::Result<Response> {
    Ok(match body.await {
        Ok(value) => Response::from_json(&value)?,
        Err(err) => err.into_response(),
    })
}

/// `GET /api/health`: liveness, without touching D1.
async fn health(_req: Request, _ctx: RouteContext<()>) -> AppResult<Health> {
    Ok(Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

#[derive(Deserialize)]
struct ChecklistRow {
    id: i64,
    code: String,
    section: String,
    content: String,
    legal_basis: String,
}

/// `GET /api/checklist`: the checklist of inspection items, in code order.
async fn list_checklist(_req: Request, ctx: RouteContext<()>) -> AppResult<ChecklistResponse> {
    let db = ctx.d1(DB_BINDING)?;
    let rows: Vec<ChecklistRow> = db
        .prepare(
            "SELECT id, code, section, content, legal_basis FROM checklist_items ORDER BY code, id",
        )
        .all()
        .await?
        .results()?;
    let items = rows
        .into_iter()
        .map(|row| ChecklistItem {
            id: ChecklistItemId(row.id),
            code: row.code,
            section: row.section,
            content: row.content,
            legal_basis: row.legal_basis,
        })
        .collect();
    Ok(ChecklistResponse { items })
}
