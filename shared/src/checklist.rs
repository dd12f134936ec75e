//! The checklist of inspection items (随机抽查事项清单).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Identifier of a checklist item, stable across years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChecklistItemId(pub i64);

impl fmt::Display for ChecklistItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One item of the checklist: which section owns it and what is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub id: ChecklistItemId,
    /// Short code, e.g. `SJ-01`.
    pub code: String,
    /// The bureau section (科室) responsible for the item.
    pub section: String,
    /// What is checked, in the words of the seed document.
    pub content: String,
    /// The legal basis cited for the check.
    pub legal_basis: String,
}
