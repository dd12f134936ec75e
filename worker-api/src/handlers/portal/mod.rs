//! The public portal (信息公开): what the bureau publishes, rendered by the worker as plain HTML
//! that works without JavaScript — the checklist, the committed draws, and the published
//! results searchable by enterprise name or credit code, year and quarter — plus the same
//! results as JSON.
//!
//! Only public data is read here: `publications` (a frozen snapshot of the public fields of
//! non-confidential results), committed draws, and the checklist. Confidential records cannot
//! be published (a trigger refuses it), so they are in no response; they are only counted.
//!
//! `pages` renders each page, `html` is the markup layer that escapes every text it is given,
//! and `cache` serves pages through the edge cache keyed by the public generation.

mod cache;
pub(crate) mod html;
mod pages;

use shared::labels::Lang;
use worker::Response;

use crate::ctx::{Ctx, json};
use crate::db::{self, publications::PublicationFilter};
use crate::error::AppResult;

pub(crate) use pages::{
    checklist_page, draw_page, draws_page, index_page, plans_page, results_page,
};

/// Results per page of the portal and of the JSON list.
const PAGE_SIZE: i64 = 50;

/// The portal's language: Chinese unless `?lang=en`.
fn lang_of(ctx: &Ctx) -> Lang {
    Lang::from_code(ctx.query("lang").as_deref())
}

/// The filter of the results list, from the query string.
fn result_filter(ctx: &Ctx) -> PublicationFilter {
    PublicationFilter {
        q: ctx
            .query("q")
            .map(|q| q.trim().chars().take(100).collect::<String>())
            .filter(|q| !q.is_empty()),
        year: ctx
            .query("year")
            .and_then(|y| y.parse().ok())
            .filter(|y| (2000..=2999).contains(y)),
        quarter: ctx
            .query("quarter")
            .and_then(|q| q.parse().ok())
            .filter(|q| (1..=4).contains(q)),
        page: ctx
            .query("page")
            .and_then(|p| p.parse().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1),
    }
}

/// `GET /api/public/results?q=&year=&quarter=&page=`: published results as JSON.
pub(crate) async fn results_json(ctx: Ctx) -> AppResult<Response> {
    let (list, _) = db::publications::search(&ctx.db, &result_filter(&ctx), PAGE_SIZE).await?;
    json(&list)
}
