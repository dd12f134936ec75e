//! Wire types shared by the worker's JSON API and the browser client.

use serde::{Deserialize, Serialize};

use crate::audit::{AuditEntry, ChainBreak};
use crate::authz::{Action, Role};
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

/// The signed-in user, as the browser sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The bureau section of a `section` account.
    pub section: Option<String>,
}

/// `GET /api/session` and the answer to a successful sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// `None` when nobody is signed in.
    pub user: Option<UserInfo>,
    /// Send back in the `x-csrf-token` header with every write.
    pub csrf_token: Option<String>,
}

/// `POST /api/session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInRequest {
    pub username: String,
    pub password: String,
}

/// `POST /api/session/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// A staff account, as administrators see it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub section: Option<String>,
    pub disabled: bool,
    /// Whether repeated failed sign-ins currently lock the account.
    pub locked: bool,
    pub created_at: String,
}

/// `GET /api/accounts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountList {
    pub accounts: Vec<Account>,
}

/// `POST /api/accounts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateAccountRequest {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub section: Option<String>,
    pub password: String,
}

/// `PUT /api/accounts/:id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateAccountRequest {
    pub display_name: String,
    pub role: Role,
    pub section: Option<String>,
    pub disabled: bool,
}

/// `POST /api/accounts/:id/password`: an administrator sets a new password (and unlocks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetPasswordRequest {
    pub new_password: String,
}

/// `GET /api/audit`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` to get the next (older) page; `None` at the start of the log.
    pub next_before: Option<u64>,
}

/// `GET /api/audit/verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditVerification {
    /// How many entries were checked.
    pub entries: u64,
    /// The first broken link, if any.
    pub broken: Option<ChainBreak>,
}

/// One row of `GET /api/meta/routes`: the route table with each route's action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteInfo {
    pub method: String,
    pub path: String,
    pub action: Action,
}
