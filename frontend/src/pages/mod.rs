//! One module per page.

pub mod checklist;
pub mod home;
