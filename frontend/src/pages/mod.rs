//! One module per page.

pub mod account;
pub mod accounts;
pub mod audit;
pub mod checklist;
pub mod home;
pub mod sign_in;
