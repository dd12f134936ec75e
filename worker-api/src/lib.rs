//! Suicha's edge API: a Cloudflare Worker over D1.
//!
//! Architecture invariant: this crate is the only one that talks to D1 and to the Workers
//! runtime. Domain decisions are made by `shared`; handlers load inputs, call the domain and
//! store results. Every request passes through [`http::dispatch`], which matches the route
//! table, loads the session, enforces `shared::authz` and CSRF in one place, and maps every
//! error through [`error::AppError`] to `{"error": .., "message": ..}`.

mod audit;
mod auth;
mod ctx;
mod db;
mod error;
mod gate;
mod handlers;
mod headers;
mod http;
mod routes;
mod snapshot;
mod time;

use worker::{Context, Env, Method, Request, Response, event};

/// Every request enters here. Static assets never reach the worker (wrangler's `[assets]`
/// serves them), except under the paths listed in `run_worker_first`.
#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    time::configure(&env);
    let head = req.method() == Method::Head;
    let response = match http::dispatch(req, env).await {
        Ok(response) => response,
        Err(err) => err.into_response(),
    };
    let response = headers::with_security_headers(response);
    Ok(if head {
        http::without_body(response)
    } else {
        response
    })
}
