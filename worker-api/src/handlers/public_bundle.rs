//! `GET /api/public/draws/:id`: a committed draw and its verification bundle (≈ 0.7 MB for the
//! demo county, ≈ 2.3 MB at 5 000 objects), served without parsing it and without holding it
//! whole in the worker's memory.
//!
//! The body is `{"draw":SUMMARY,"bundle":BUNDLE}`, where BUNDLE is the stored text itself (the
//! exact JSON the commit serialized), streamed part by part from `text_parts`. Like the portal's
//! pages, the answer is kept in the edge cache under the URL plus `public_generation` (every
//! commit and void bumps it), carries an ETag and `Cache-Control: public`, and answers 304 to a
//! visitor who has it. A cache hit streams the cached body straight through: the worker's own
//! memory does not grow with the number of concurrent visitors. On a miss, one request per
//! isolate fills the cache (part by part) while the others wait for it.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::time::Duration;

use futures_util::stream;
use wasm_bindgen::JsCast;
use worker::{Cache, D1Database, Delay, Response};

use crate::db::bundles;
use crate::error::{AppError, AppResult};
use crate::http::Ctx;

/// Seconds a browser may reuse the answer without asking (as the portal's pages).
const MAX_AGE: u32 = 60;

/// How long a request waits for another one filling the cache before it streams by itself.
const WAIT_FOR_FILL: Duration = Duration::from_secs(5);
const POLL_FILL: Duration = Duration::from_millis(20);

thread_local! {
    /// Cache keys being filled by a request of this isolate right now.
    static FILLING: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
}

/// Marks a key as being filled until dropped (also when the request is cancelled).
struct Filling(String);

impl Filling {
    fn claim(key: &str) -> Option<Filling> {
        FILLING
            .with(|filling| filling.borrow_mut().insert(key.to_owned()))
            .then(|| Filling(key.to_owned()))
    }
}

impl Drop for Filling {
    fn drop(&mut self) {
        FILLING.with(|filling| filling.borrow_mut().remove(&self.0));
    }
}

fn etag(generation: i64, id: i64) -> String {
    format!("\"g{generation}-draw{id}\"")
}

fn cache_control() -> String {
    format!("public, max-age={MAX_AGE}, must-revalidate")
}

/// The request's `If-None-Match` names this version.
fn not_modified(ctx: &Ctx, etag: &str) -> bool {
    ctx.req
        .headers()
        .get("if-none-match")
        .ok()
        .flatten()
        .is_some_and(|wanted| wanted.split(',').any(|tag| tag.trim() == etag))
}

fn answer_not_modified(etag: &str) -> AppResult<Response> {
    let mut response = Response::empty()?.with_status(304);
    response.headers_mut().set("etag", etag)?;
    response
        .headers_mut()
        .set("cache-control", &cache_control())?;
    Ok(response)
}

/// A response with this body and the endpoint's headers.
fn with_headers(mut response: Response, etag: &str, cache: &str) -> AppResult<Response> {
    let headers = response.headers_mut();
    headers.set("content-type", "application/json")?;
    headers.set("etag", etag)?;
    headers.set("cache-control", &cache_control())?;
    headers.set("x-cache", cache)?;
    Ok(response)
}

/// The cached answer under `key`, its body streamed through (the cached response's own headers
/// are immutable, so the answer gets fresh ones).
async fn cached(key: &str, etag: &str) -> AppResult<Option<Response>> {
    let Some(hit) = Cache::default().get(key, false).await.ok().flatten() else {
        return Ok(None);
    };
    let (_, body) = hit.into_parts();
    Ok(Some(with_headers(Response::from_body(body)?, etag, "hit")?))
}

/// Where the stream of one answer is.
enum Stage {
    Prefix(String),
    Inline(String),
    Part(i64),
    Suffix,
    Done,
}

/// The answer's body as a stream: the summary, then each stored part as it is read from D1,
/// then the closing brace. At most one part is in the worker's memory at a time.
fn body_stream(
    db: D1Database,
    id: i64,
    prefix: String,
    inline: Option<String>,
) -> AppResult<Response> {
    let first = Stage::Prefix(prefix);
    let after_prefix = inline.map_or(Stage::Part(0), Stage::Inline);
    let chunks = stream::unfold(
        (db, first, Some(after_prefix)),
        move |(db, stage, next)| async move {
            match stage {
                Stage::Prefix(text) => {
                    let next_stage = next.unwrap_or(Stage::Suffix);
                    Some((Ok(text.into_bytes()), (db, next_stage, None)))
                }
                Stage::Inline(text) => Some((Ok(text.into_bytes()), (db, Stage::Suffix, None))),
                Stage::Part(seq) => match bundles::bundle_part(&db, id, seq).await {
                    Ok(Some(part)) => {
                        Some((Ok(part.into_bytes()), (db, Stage::Part(seq + 1), None)))
                    }
                    Ok(None) if seq > 0 => Some((Ok(b"}".to_vec()), (db, Stage::Done, None))),
                    Ok(None) => Some((
                        Err(worker::Error::RustError(format!(
                            "draw_bundle {id} has no stored text"
                        ))),
                        (db, Stage::Done, None),
                    )),
                    Err(err) => Some((
                        Err(worker::Error::RustError(format!("{err:?}"))),
                        (db, Stage::Done, None),
                    )),
                },
                Stage::Suffix => Some((Ok(b"}".to_vec()), (db, Stage::Done, None))),
                Stage::Done => None,
            }
        },
    );
    Ok(Response::from_stream(chunks)?)
}

/// A second handle on the same D1 binding, for the stream that outlives the handler's borrow.
fn db_handle(db: &D1Database) -> D1Database {
    let value: &wasm_bindgen::JsValue = db.as_ref();
    value.clone().unchecked_into()
}

pub(crate) async fn serve(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let db = &ctx.db;
    let generation = bundles::public_generation(db).await?;
    let etag = etag(generation, id);
    let mut key = ctx.req.url()?;
    key.query_pairs_mut()
        .append_pair("__generation", &generation.to_string());
    let key = key.to_string();
    if let Some(hit) = cached(&key, &etag).await? {
        if not_modified(&ctx, &etag) {
            return answer_not_modified(&etag);
        }
        return Ok(hit);
    }
    let summary = super::draws::draw_summary(db, id).await?;
    if not_modified(&ctx, &etag) {
        return answer_not_modified(&etag);
    }
    let prefix = format!(
        "{{\"draw\":{},\"bundle\":",
        serde_json::to_string(&summary).map_err(|err| AppError::Internal(err.to_string()))?
    );
    let inline = bundles::inline_bundle(db, id).await?;
    match Filling::claim(&key) {
        Some(_filling) => {
            // This request fills the cache, reading one part at a time, then streams the
            // cached copy like every later request.
            let fill = with_headers(
                body_stream(db_handle(db), id, prefix.clone(), inline.clone())?,
                &etag,
                "miss",
            )?;
            if Cache::default().put(key.as_str(), fill).await.is_ok()
                && let Some(hit) = cached(&key, &etag).await?
            {
                return with_miss_marker(hit);
            }
        }
        None => {
            // Another request of this isolate is filling the cache: wait for it.
            let mut waited = Duration::ZERO;
            while waited < WAIT_FOR_FILL {
                Delay::from(POLL_FILL).await;
                waited += POLL_FILL;
                if let Some(hit) = cached(&key, &etag).await? {
                    return Ok(hit);
                }
            }
        }
    }
    // The cache is unavailable: stream from D1 directly.
    with_headers(
        body_stream(db_handle(db), id, prefix, inline)?,
        &etag,
        "miss",
    )
}

/// The request that filled the cache says so.
fn with_miss_marker(mut response: Response) -> AppResult<Response> {
    response.headers_mut().set("x-cache", "miss")?;
    Ok(response)
}
