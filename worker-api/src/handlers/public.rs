//! What anyone may read.

use shared::api::{ChecklistResponse, Health, RouteInfo};
use worker::Response;

use crate::ctx::{Ctx, json};
use crate::db;
use crate::error::AppResult;

/// `GET /api/health`: liveness, without touching D1.
pub(crate) async fn health(_ctx: Ctx) -> AppResult<Response> {
    json(&Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

/// `GET /api/meta/routes`: the route table with each route's action (it is public in
/// `docs/api.md` anyway; the authorization-matrix test walks it).
pub(crate) async fn list_routes(ctx: Ctx) -> AppResult<Response> {
    let routes: Vec<RouteInfo> = ctx
        .routes
        .iter()
        .map(|route| RouteInfo {
            method: route.method.to_string(),
            path: route.path.to_owned(),
            action: route.action,
        })
        .collect();
    json(&routes)
}

/// `GET /api/checklist`: the checklist of inspection items, in code order.
pub(crate) async fn list_checklist(ctx: Ctx) -> AppResult<Response> {
    json(&ChecklistResponse {
        items: db::checklist::all(&ctx.db).await?,
    })
}
