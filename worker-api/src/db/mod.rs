//! Every SQL statement the worker runs, one module per table family; handlers call these
//! functions and never hold SQL text themselves.

pub(crate) mod audit_chain;
pub(crate) mod bundles;
pub(crate) mod import_conflicts;
pub(crate) mod sign_in;
