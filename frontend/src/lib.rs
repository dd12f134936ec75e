//! Suicha's web app: Leptos client-side rendering, compiled to WASM and served by the worker's
//! static assets on the same origin as the API.
//!
//! Two builds of this crate ship: the *office* app (feature `office`, the default: every page)
//! and the small *field* app (sign-in, home, the assignment list and the record form), which
//! `static/boot.js` loads for those routes so a phone shows them after a fraction of the bytes.
//!
//! Architecture invariant: this crate depends on `shared` and never on `worker-api`; it talks to
//! the worker only through the JSON API in [`api`]. Logic lives in plain functions (see
//! [`i18n`], [`menu`]) that are tested natively; components only wire signals to it.

// The field build leaves out most pages, and with them the callers of many API functions and
// strings: unused there, not dead.
#![cfg_attr(not(feature = "office"), allow(dead_code, unused_imports))]

mod api;
mod app;
mod download;
mod i18n;
mod lazy;
mod menu;
mod outbox;
mod pages;
mod records_form;
pub mod routes;
#[cfg(feature = "office")]
mod task_form;

use wasm_bindgen::prelude::wasm_bindgen;

/// Mounts the app, unless the page loaded this module only to borrow a function from it
/// (the field app borrowing the office app's XLSX writer sets `suichaLibraryOnly`).
#[wasm_bindgen(start)]
pub fn start() {
    if !lazy::library_only() {
        leptos::mount::mount_to_body(app::App);
    }
}

/// The XLSX writer, for the field app (see [`lazy`]): one sheet of `table_json`, an array of
/// rows of strings.
#[cfg(feature = "office")]
#[wasm_bindgen]
pub fn write_xlsx_sheet(sheet: &str, table_json: &str) -> Result<Vec<u8>, String> {
    let table: Vec<Vec<String>> =
        serde_json::from_str(table_json).map_err(|err| err.to_string())?;
    Ok(shared::directory::files::write_xlsx(sheet, &table))
}
