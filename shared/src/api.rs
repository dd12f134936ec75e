//! Wire types shared by the worker's JSON API and the browser client.

use serde::{Deserialize, Serialize};

use crate::audit::{AuditEntry, ChainBreak};
use crate::authz::{Action, Role};
use crate::checklist::ChecklistItem;
use crate::draw::{Digest32, DrawBundle, DrawInput, DrawSpec, Period};

/// The one error shape every API route returns: `{"error": "snake_case_code", "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: String,
    pub message: String,
    /// For a form that failed validation: every field's problem (e.g. an on-site record).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<crate::records::FieldError>,
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
    /// The inspector directory's entry of this person (inspector accounts): what links the
    /// account to its assignments (谁检查、谁录入).
    #[serde(default)]
    pub inspector: Option<LinkedInspector>,
}

/// The inspector an account signs in as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedInspector {
    pub id: i64,
    pub name: String,
    pub employee_no: String,
}

/// `PUT /api/accounts/:id/inspector`: link an inspector account to its directory entry, or
/// unlink it (`null`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkInspectorRequest {
    pub inspector_id: Option<i64>,
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
    /// For an inspector account: the directory entry it signs in as, linked in the same step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspector_id: Option<i64>,
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

/// Where a draw task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Being prepared; the spec may change.
    Draft,
    /// Inputs frozen and hashed; waiting for the commit.
    Sealed,
    /// Drawn (the current draw may have been voided, then the task can be drawn again).
    Committed,
}

/// `POST /api/tasks` and `PUT /api/tasks/:id` (draft only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRequest {
    pub name: String,
    /// The owning section's code; `None` for a task of the enforcement detachment.
    pub owner_section: Option<String>,
    pub spec: DrawSpec,
    /// Credit codes of objects already inspected this period by city-level departments or
    /// special campaigns; they are left out of the pool.
    pub exclusions: Vec<String>,
}

/// A draw task as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: i64,
    pub name: String,
    pub owner_section: Option<String>,
    pub period: Period,
    pub status: TaskStatus,
    pub spec: DrawSpec,
    pub exclusions: Vec<String>,
    pub created_at: String,
    /// Set once sealed.
    pub sealed_hash: Option<Digest32>,
    pub sealed_at: Option<String>,
    /// The task's draws, oldest first (voided ones included).
    pub draws: Vec<DrawSummary>,
}

/// `GET /api/tasks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskList {
    pub tasks: Vec<Task>,
}

/// `GET /api/tasks/:id/input`: what a preview draws from, built from the directory now (not
/// binding: the sealed input is what counts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewInput {
    pub input: DrawInput,
    /// Exclusion credit codes that match no object in the directory.
    pub unknown_exclusions: Vec<String>,
}

/// `POST /api/tasks/:id/commit`. Send an `Idempotency-Key` header too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitRequest {
    /// Witness entropy typed in front of witnesses, e.g. dice digits; 1–128 ASCII letters or
    /// digits.
    pub witness: Option<String>,
}

/// `POST /api/draws/:id/void`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoidRequest {
    pub reason: String,
}

/// A committed draw, in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawSummary {
    pub id: i64,
    pub task_id: i64,
    pub task_name: String,
    pub attempt: u32,
    pub period: Period,
    pub algorithm_version: u32,
    pub sealed_hash: Digest32,
    pub seed: Digest32,
    pub result_hash: Digest32,
    pub committed_at: String,
    pub selected: u32,
    pub void: Option<DrawVoid>,
}

/// Why and when a draw was voided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawVoid {
    pub reason: String,
    pub voided_at: String,
}

/// `GET /api/public/draws`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicDrawList {
    pub draws: Vec<DrawSummary>,
}

/// `GET /api/public/draws/:id` and the answer to a commit: the draw with everything needed to
/// verify it (`suicha verify` takes the `bundle`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicDraw {
    pub draw: DrawSummary,
    pub bundle: DrawBundle,
}

/// `GET /api/bureau`: the bureau this installation serves. `configured` is false on a new
/// installation until `POST /api/setup`; then `name` and `region` are empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Bureau {
    pub configured: bool,
    /// e.g. 丰都县生态环境局; shown on the portal, in reports and on printed forms.
    pub name: String,
    /// The administrative region, e.g. 重庆市丰都县.
    pub region: String,
}

/// `POST /api/setup`: the first run of a new installation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupRequest {
    pub bureau_name: String,
    pub region: String,
    pub admin_username: String,
    pub admin_display_name: String,
    pub admin_password: String,
}

/// `PUT /api/bureau`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateBureauRequest {
    pub name: String,
    pub region: String,
}
