//! Request dispatch, and nothing else: match the route table, bound the body, load the
//! session, enforce the authorization table and CSRF, then run the route's handler. This is
//! the only place where access is decided. What handlers receive ([`Ctx`]) is in `ctx.rs`.

use shared::authz::{self, Refusal};
use worker::{Env, Method, Request, Response};

use crate::auth::{self, Session};
use crate::ctx::{Ctx, MAX_BODY_BYTES, Route};
use crate::error::{AppError, AppResult};
use crate::routes::ROUTES;

/// The D1 binding name in `wrangler.toml`.
const DB_BINDING: &str = "DB";

/// How a path and method relate to the route table.
enum Match<'r> {
    Found(&'r Route, Vec<(&'static str, String)>),
    WrongMethod,
    None,
}

fn match_path(pattern: &'static str, path: &str) -> Option<Vec<(&'static str, String)>> {
    let mut params = Vec::new();
    let mut pattern_parts = pattern.split('/');
    let mut path_parts = path.split('/');
    loop {
        match (pattern_parts.next(), path_parts.next()) {
            (None, None) => return Some(params),
            (Some(want), Some(got)) => {
                if let Some(name) = want.strip_prefix(':') {
                    if got.is_empty() {
                        return None;
                    }
                    params.push((name, got.to_owned()));
                } else if want != got {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

fn find_route<'r>(routes: &'r [Route], method: &Method, path: &str) -> Match<'r> {
    let mut path_matched = false;
    for route in routes {
        if let Some(params) = match_path(route.path, path) {
            if route.method == *method {
                return Match::Found(route, params);
            }
            path_matched = true;
        }
    }
    if path_matched {
        Match::WrongMethod
    } else {
        Match::None
    }
}

fn is_write_method(method: &Method) -> bool {
    !matches!(method, Method::Get | Method::Head | Method::Options)
}

/// Cross-site write protection, for every write:
/// - an `Origin` header, when the browser sends one, must be this worker's origin;
/// - a signed-in caller must echo the session's CSRF token in `x-csrf-token` (a custom header
///   other sites cannot set without a CORS preflight, which this worker never grants).
fn check_csrf(req: &Request, session: Option<&Session>) -> AppResult<()> {
    let origin = req.headers().get("origin").ok().flatten();
    if let Some(origin) = origin {
        let own = req
            .url()
            .map(|url| url.origin().ascii_serialization())
            .unwrap_or_default();
        if origin != own {
            return Err(AppError::CsrfFailed);
        }
    }
    if let Some(session) = session {
        let sent = req
            .headers()
            .get("x-csrf-token")
            .ok()
            .flatten()
            .unwrap_or_default();
        if !auth::constant_time_eq(sent.as_bytes(), session.csrf_token.as_bytes()) {
            return Err(AppError::CsrfFailed);
        }
    }
    Ok(())
}

/// The same response without its body, for a HEAD request: status and headers (including
/// `content-length` and `etag`) stay as the GET answer has them.
pub(crate) fn without_body(response: Response) -> Response {
    let status = response.status_code();
    let headers = response.headers().clone();
    match Response::empty() {
        Ok(empty) => empty.with_status(status).with_headers(headers),
        Err(_) => response,
    }
}

/// Runs one request through the route table.
pub(crate) async fn dispatch(req: Request, env: Env) -> AppResult<Response> {
    let path = req.path();
    let method = req.method();
    // HEAD is answered by the GET route; the caller drops the body ([`without_body`]).
    let lookup = if method == Method::Head {
        Method::Get
    } else {
        method.clone()
    };
    let (route, params) = match find_route(ROUTES, &lookup, &path) {
        Match::Found(route, params) => (route, params),
        Match::WrongMethod => return Err(AppError::MethodNotAllowed),
        Match::None => {
            return Err(AppError::NotFound(format!(
                "没有这个接口 / no such API route: {path}"
            )));
        }
    };
    let declared_length = req
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.parse::<usize>().ok());
    if declared_length.is_some_and(|length| length > MAX_BODY_BYTES) {
        return Err(AppError::PayloadTooLarge {
            limit: MAX_BODY_BYTES,
        });
    }
    let db = env.d1(DB_BINDING)?;
    let session = auth::load_session(&db, &req).await?;
    authz::check(session.as_ref().map(|s| s.role), route.action).map_err(
        |refusal| match refusal {
            Refusal::SignInRequired => AppError::SignInRequired,
            Refusal::Forbidden => AppError::Forbidden,
        },
    )?;
    if is_write_method(&method) {
        check_csrf(&req, session.as_ref())?;
    }
    (route.handler)(Ctx {
        req,
        db,
        session,
        routes: ROUTES,
        params,
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_capture_named_segments_and_nothing_else() {
        assert_eq!(
            match_path("/api/accounts/:id", "/api/accounts/7"),
            Some(vec![("id", "7".to_owned())])
        );
        assert_eq!(match_path("/api/accounts/:id", "/api/accounts/"), None);
        assert_eq!(
            match_path("/api/accounts/:id", "/api/accounts/7/password"),
            None
        );
        assert_eq!(match_path("/api/accounts", "/api/accounts"), Some(vec![]));
        assert_eq!(match_path("/api/accounts", "/api/accountsx"), None);
    }

    #[test]
    fn every_route_is_unique_and_reaches_the_worker() {
        // wrangler serves static assets first except under `run_worker_first`: every route
        // must be under one of those patterns, or the asset handler would answer instead.
        let wrangler = include_str!("../../wrangler.toml");
        let line = wrangler
            .lines()
            .find(|line| line.starts_with("run_worker_first"))
            .expect("wrangler.toml lists run_worker_first");
        let patterns: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
        let reaches = |path: &str| {
            patterns
                .iter()
                .any(|pattern| match pattern.strip_suffix("/*") {
                    Some(prefix) => path.starts_with(&format!("{prefix}/")),
                    None => path == *pattern,
                })
        };
        for (i, a) in ROUTES.iter().enumerate() {
            assert!(
                a.path.starts_with("/api/") || a.path.starts_with("/public"),
                "{}",
                a.path
            );
            assert!(reaches(a.path), "{} is not in run_worker_first", a.path);
            for b in &ROUTES[i + 1..] {
                assert!(
                    !(a.method == b.method && a.path == b.path),
                    "duplicate route {:?} {}",
                    a.method,
                    a.path
                );
            }
        }
    }
}
