//! The portal's edge cache. Every page carries an ETag and `Cache-Control: public`, and is
//! stored in the edge cache under a key that includes `public_generation`, a counter that
//! every publication, commit and void bumps in the same transaction. A publication therefore
//! makes every cached page unreachable at once: correct invalidation without purging.

use std::future::Future;

use sha2::{Digest as _, Sha256};
use worker::{Cache, Response};

use super::html::Html;
use crate::ctx::Ctx;
use crate::error::AppResult;

/// Seconds a browser or the edge may reuse a page without asking; the generation key makes
/// the edge cache exact, this only bounds how stale a visitor's own browser copy can be.
const MAX_AGE: u32 = 60;

/// Serves the page `render` makes (a status and the HTML) through the edge cache; `render`
/// runs only on a miss.
pub(super) async fn serve(
    ctx: &Ctx,
    render: impl Future<Output = AppResult<(u16, Html)>>,
) -> AppResult<Response> {
    let generation = crate::db::portal::generation(&ctx.db).await?;
    let mut key = ctx.req.url()?;
    key.query_pairs_mut()
        .append_pair("__generation", &generation.to_string());
    let key = key.to_string();
    let if_none_match = ctx.req.headers().get("if-none-match").ok().flatten();
    if let Some(mut cached) = Cache::default()
        .get(key.as_str(), false)
        .await
        .ok()
        .flatten()
    {
        // A cached response's headers are immutable: answer with a fresh copy.
        let mut response = Response::ok(cached.text().await?)?.with_status(cached.status_code());
        for name in ["content-type", "etag", "cache-control"] {
            if let Some(value) = cached.headers().get(name)? {
                response.headers_mut().set(name, &value)?;
            }
        }
        response.headers_mut().set("x-cache", "hit")?;
        return finish(response, if_none_match);
    }
    let (status, body) = render.await?;
    let body = body.into_string();
    let etag = format!(
        "\"g{generation}-{}\"",
        &crate::auth::to_hex(&Sha256::digest(body.as_bytes()))[..16]
    );
    let mut response = Response::ok(body)?.with_status(status);
    let headers = response.headers_mut();
    headers.set("content-type", "text/html; charset=utf-8")?;
    headers.set("etag", &etag)?;
    headers.set("cache-control", &cache_control())?;
    if status == 200 {
        // A failed put only costs a later miss.
        let _ = Cache::default().put(key.as_str(), response.cloned()?).await;
    }
    response.headers_mut().set("x-cache", "miss")?;
    finish(response, if_none_match)
}

fn cache_control() -> String {
    format!("public, max-age={MAX_AGE}, must-revalidate")
}

/// Answers 304 when the visitor already has this version.
fn finish(response: Response, if_none_match: Option<String>) -> AppResult<Response> {
    let etag = response.headers().get("etag").ok().flatten();
    if let (Some(etag), Some(wanted)) = (etag, if_none_match)
        && wanted.split(',').any(|tag| tag.trim() == etag)
    {
        let mut not_modified = Response::empty()?.with_status(304);
        let headers = not_modified.headers_mut();
        headers.set("etag", &etag)?;
        headers.set("cache-control", &cache_control())?;
        return Ok(not_modified);
    }
    Ok(response)
}
