//! A committed draw and its verification bundle as the API answers them — `GET
//! /api/public/draws/:id`, and the answers of a commit, a replayed commit and a void — served
//! without parsing the bundle (≈ 0.7 MB for the demo county, ≈ 2.3 MB at 5 000 objects) and
//! without holding it whole in the worker's memory.
//!
//! The body is `{"draw":SUMMARY,"bundle":BUNDLE}`, where BUNDLE is the stored text itself (the
//! exact JSON the commit serialized), streamed part by part from `text_parts`
//! (`db::parts::part`). Like the portal's pages, the public answer is kept in the edge cache
//! under the URL plus `public_generation` (every commit and void bumps it), carries an ETag and
//! `Cache-Control: public`, and answers 304 to a visitor who has it. A cache hit streams the
//! cached body straight through: the worker's own memory does not grow with the number of
//! concurrent visitors. On a miss, one request per isolate fills the cache (part by part)
//! while the others wait for it.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::time::Duration;

use futures_util::stream;
use worker::{Cache, D1Database, Delay, Response};

use crate::ctx::Ctx;
use crate::db;
use crate::error::{AppError, AppResult};

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

/// A response with this body and the public endpoint's headers.
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
    /// `{"draw":SUMMARY,"bundle":`, then the bundle as stored in its row (before migration
    /// 0013), or its parts from the first.
    Prefix(String, Option<String>),
    Inline(String),
    Part(i64),
    Suffix,
    Done,
}

/// What one answer streams: its draw, the summary's JSON, and the bundle if it is stored inline.
struct Body {
    id: i64,
    prefix: String,
    inline: Option<String>,
}

/// The body of committed draw `id`'s answer, read up to its bundle (404 when there is none).
async fn body(db: &D1Database, id: i64) -> AppResult<Body> {
    let summary = db::tasks::summary(db, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的抽取 / no draw {id}")))?;
    let prefix = format!(
        "{{\"draw\":{},\"bundle\":",
        serde_json::to_string(&summary).map_err(|err| AppError::Internal(err.to_string()))?
    );
    let inline = db::tasks::inline_bundle(db, id).await?;
    Ok(Body { id, prefix, inline })
}

/// The answer's body as a stream: the summary, then each stored part as it is read from D1,
/// then the closing brace. At most one part is in the worker's memory at a time.
fn body_stream(db: D1Database, body: Body) -> AppResult<Response> {
    let Body { id, prefix, inline } = body;
    let chunks = stream::unfold(
        (db, Stage::Prefix(prefix, inline)),
        move |(db, stage)| async move {
            let (chunk, next) = match stage {
                Stage::Prefix(text, inline) => {
                    (Ok(text), inline.map_or(Stage::Part(0), Stage::Inline))
                }
                Stage::Inline(text) => (Ok(text), Stage::Suffix),
                Stage::Part(seq) => match db::parts::part(&db, "draw_bundle", id, seq).await {
                    Ok(Some(part)) => (Ok(part), Stage::Part(seq + 1)),
                    Ok(None) if seq > 0 => (Ok("}".to_owned()), Stage::Done),
                    Ok(None) => (
                        Err(worker::Error::RustError(format!(
                            "draw_bundle {id} has no stored text"
                        ))),
                        Stage::Done,
                    ),
                    Err(err) => (
                        Err(worker::Error::RustError(format!("{err:?}"))),
                        Stage::Done,
                    ),
                },
                Stage::Suffix => (Ok("}".to_owned()), Stage::Done),
                Stage::Done => return None,
            };
            Some((chunk.map(String::into_bytes), (db, next)))
        },
    );
    Ok(Response::from_stream(chunks)?)
}

/// Committed draw `id` with its bundle, as a commit, a replay or a void answers it: `status`,
/// `application/json`, streamed from the stored parts (never cached: it is a write's answer).
pub(super) async fn answer(db: &D1Database, id: i64, status: u16) -> AppResult<Response> {
    let body = body(db, id).await?;
    let mut response = body_stream(db::handle(db), body)?.with_status(status);
    response
        .headers_mut()
        .set("content-type", "application/json")?;
    Ok(response)
}

/// `GET /api/public/draws/:id`: the draw and its verification bundle, through the edge cache.
pub(super) async fn serve(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let db = &ctx.db;
    let generation = db::portal::generation(db).await?;
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
    let body = body(db, id).await?;
    if not_modified(&ctx, &etag) {
        return answer_not_modified(&etag);
    }
    match Filling::claim(&key) {
        Some(_filling) => {
            // This request fills the cache, reading one part at a time, then streams the
            // cached copy like every later request.
            let fill = with_headers(
                body_stream(
                    db::handle(db),
                    Body {
                        id,
                        prefix: body.prefix.clone(),
                        inline: body.inline.clone(),
                    },
                )?,
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
    with_headers(body_stream(db::handle(db), body)?, &etag, "miss")
}

/// The request that filled the cache says so.
fn with_miss_marker(mut response: Response) -> AppResult<Response> {
    response.headers_mut().set("x-cache", "miss")?;
    Ok(response)
}
