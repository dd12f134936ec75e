//! Suicha's edge API: a Cloudflare Worker over D1.
//!
//! Architecture invariant: this crate is the only one that talks to D1 and to the Workers
//! runtime. Domain decisions (draws, deadlines) are made by `shared`; handlers only load inputs,
//! call the domain, and store results. Every error leaves through [`error::AppError`], the one
//! place that maps errors to HTTP statuses and the JSON shape `{"error": .., "message": ..}`.

mod error;
mod headers;
mod routes;

use worker::{Context, Env, Request, Response, event};

/// Every request enters here. Static assets never reach the worker (wrangler's `[assets]`
/// serves them), except under the paths listed in `run_worker_first`.
#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let response = routes::router().run(req, env).await;
    let response = match response {
        Ok(response) => response,
        Err(err) => error::AppError::from(err).into_response(),
    };
    Ok(headers::with_security_headers(response))
}
