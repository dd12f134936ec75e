//! Suicha's web app: Leptos client-side rendering, compiled to WASM and served by the worker's
//! static assets on the same origin as the API.
//!
//! Architecture invariant: this crate depends on `shared` and never on `worker-api`; it talks to
//! the worker only through the JSON API in [`api`]. Logic lives in plain functions (see
//! [`i18n`], [`menu`]) that are tested natively; components only wire signals to it.

mod api;
mod app;
mod i18n;
mod menu;
mod outbox;
mod pages;
mod records_form;
mod task_form;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
