//! Suicha's domain crate, shared by the browser (`frontend`), the edge (`worker-api`) and the
//! command line (`cli`).
//!
//! Architecture invariant: this crate does no I/O, reads no clock and no OS entropy. Time and
//! seeds are arguments. It compiles unchanged for `wasm32-unknown-unknown` and natively, and
//! gives bit-for-bit identical answers on both.

pub mod api;
pub mod audit;
pub mod authz;
pub mod calendar;
pub mod checklist;
pub mod demo;
pub mod demo_accounts;
pub mod directory;
pub mod draw;
pub mod labels;
pub mod plan;
pub mod records;
pub mod sections;
pub mod stats;
