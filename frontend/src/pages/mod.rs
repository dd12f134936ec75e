//! One module per page.

pub mod account;
pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod checklist;
pub mod deadlines;
pub mod directory;
pub mod directory_import;
pub mod draw_view;
pub mod draws;
pub mod home;
pub mod inspection;
pub mod inspections;
pub mod plan;
pub mod quarter;
pub mod reports;
pub mod setup;
pub mod sign_in;
pub mod statistics;
pub mod targeted;
pub mod task;
pub mod tasks;
