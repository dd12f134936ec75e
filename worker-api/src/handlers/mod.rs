//! One module per area, one named async handler per route.

pub(crate) mod accounts;
pub(crate) mod audit;
pub(crate) mod directory;
pub(crate) mod directory_import;
pub(crate) mod draws;
pub(crate) mod inspections;
pub(crate) mod plans;
pub(crate) mod portal;
pub(crate) mod public;
pub(crate) mod session;
pub(crate) mod stats;
