//! Wire types shared by the worker's JSON API and the browser client.

use serde::{Deserialize, Serialize};

use crate::checklist::ChecklistItem;

/// The one error shape every API route returns: `{"error": "snake_case_code", "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: String,
    pub message: String,
}

/// `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    /// Version of the worker build (the workspace package version).
    pub version: String,
}

/// `GET /api/checklist`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistResponse {
    pub items: Vec<ChecklistItem>,
}
