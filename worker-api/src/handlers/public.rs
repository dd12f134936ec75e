//! What anyone may read.

use serde::Deserialize;
use shared::api::{ChecklistResponse, Health, RouteInfo};
use shared::checklist::{ChecklistItem, ChecklistItemId};
use worker::Response;

use crate::error::AppResult;
use crate::http::{Ctx, json};
use crate::routes::ROUTES;

/// `GET /api/health`: liveness, without touching D1.
pub(crate) async fn health(_ctx: Ctx) -> AppResult<Response> {
    json(&Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

/// `GET /api/meta/routes`: the route table with each route's action (it is public in
/// `docs/api.md` anyway; the authorization-matrix test walks it).
pub(crate) async fn list_routes(_ctx: Ctx) -> AppResult<Response> {
    let routes: Vec<RouteInfo> = ROUTES
        .iter()
        .map(|route| RouteInfo {
            method: route.method.to_string(),
            path: route.path.to_owned(),
            action: route.action,
        })
        .collect();
    json(&routes)
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
pub(crate) async fn list_checklist(ctx: Ctx) -> AppResult<Response> {
    let rows: Vec<ChecklistRow> = ctx
        .db
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
    json(&ChecklistResponse { items })
}
