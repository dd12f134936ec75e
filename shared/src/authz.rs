//! Roles and the one table of what each role may do.
//!
//! [`allowed`] *is* the table in `docs/authorization.md` (a test renders the table from this
//! function and compares it with the document). The worker enforces it in one place, before any
//! handler runs; the browser uses it only to hide menus it would be refused anyway.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A staff member's post. Visitors who are not signed in have no role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 管理员: accounts and settings.
    Admin,
    /// 执法支队: directories, plans, every draw.
    Planner,
    /// 科室: its own section's checklist items and draws.
    Section,
    /// 执法人员: the inspections assigned to them and their records.
    Inspector,
    /// 审核: reads everything, changes nothing.
    Auditor,
}

impl Role {
    /// Every role, in the order of the documented table.
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Planner,
        Role::Section,
        Role::Inspector,
        Role::Auditor,
    ];

    /// The stable code used in the database and on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Planner => "planner",
            Role::Section => "section",
            Role::Inspector => "inspector",
            Role::Auditor => "auditor",
        }
    }

    /// Parses [`Role::code`].
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.code() == code)
    }

    /// The role's Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Planner => "执法支队",
            Role::Section => "科室",
            Role::Inspector => "执法人员",
            Role::Auditor => "审核",
        }
    }

    /// The role's English name.
    pub fn name_en(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Planner => "Enforcement detachment",
            Role::Section => "Bureau section",
            Role::Inspector => "Inspector",
            Role::Auditor => "Auditor",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Everything a request can ask to do. Each API route names exactly one action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read what the bureau publishes anyway: health, the checklist, public pages.
    ReadPublic,
    /// Sign in (the only write an anonymous visitor may make).
    SignIn,
    /// Read who is signed in (anonymous visitors learn that nobody is).
    ReadSession,
    /// Sign out, change one's own password.
    ManageOwnAccount,
    /// List, create, change and disable staff accounts.
    ManageAccounts,
    /// Browse the audit log and verify its hash chain.
    ReadAuditLog,
    /// Read draw tasks, including drafts and sealed ones not yet drawn.
    ReadDraws,
    /// Create, edit, seal and commit draw tasks, and void draws (a section only its own).
    ManageDraws,
    /// Read the directories of objects and inspectors (lists, details, exports).
    ReadDirectories,
    /// Edit the directories: forms, status changes, conflicts of interest, imports.
    EditDirectories,
    /// Read inspections, their records and deadlines (an inspector only their own, a section
    /// only its own section's: checked in the handler).
    ReadInspections,
    /// Enter on-site records, publish them (谁检查、谁录入、谁公开) and register targeted
    /// inspections.
    RecordResults,
    /// Read statistics and the quarterly and year-end reports.
    ReadStatistics,
}

impl Action {
    /// Every action, in the order of the documented table.
    pub const ALL: [Action; 13] = [
        Action::ReadPublic,
        Action::SignIn,
        Action::ReadSession,
        Action::ManageOwnAccount,
        Action::ManageAccounts,
        Action::ReadAuditLog,
        Action::ReadDraws,
        Action::ManageDraws,
        Action::ReadDirectories,
        Action::EditDirectories,
        Action::ReadInspections,
        Action::RecordResults,
        Action::ReadStatistics,
    ];

    /// The stable code, as in the route list and the documentation.
    pub fn code(self) -> &'static str {
        match self {
            Action::ReadPublic => "read_public",
            Action::SignIn => "sign_in",
            Action::ReadSession => "read_session",
            Action::ManageOwnAccount => "manage_own_account",
            Action::ManageAccounts => "manage_accounts",
            Action::ReadAuditLog => "read_audit_log",
            Action::ReadDraws => "read_draws",
            Action::ManageDraws => "manage_draws",
            Action::ReadDirectories => "read_directories",
            Action::EditDirectories => "edit_directories",
            Action::ReadInspections => "read_inspections",
            Action::RecordResults => "record_results",
            Action::ReadStatistics => "read_statistics",
        }
    }

    /// Whether an anonymous visitor may perform it.
    pub fn is_public(self) -> bool {
        matches!(
            self,
            Action::ReadPublic | Action::SignIn | Action::ReadSession
        )
    }

    /// Whether performing it changes state (and so is written to the audit log and needs the
    /// CSRF token when the caller is signed in).
    pub fn is_write(self) -> bool {
        matches!(
            self,
            Action::SignIn
                | Action::ManageOwnAccount
                | Action::ManageAccounts
                | Action::EditDirectories
                | Action::RecordResults
        )
    }
}

/// The role × action table. `None` is an anonymous visitor.
pub fn allowed(role: Option<Role>, action: Action) -> bool {
    use Action::*;
    use Role::*;
    if action.is_public() {
        return true;
    }
    let Some(role) = role else { return false };
    match action {
        ReadPublic | SignIn | ReadSession | ManageOwnAccount => true,
        ManageAccounts => role == Admin,
        ReadAuditLog => matches!(role, Admin | Auditor),
        ReadDraws => matches!(role, Admin | Planner | Section | Auditor),
        ManageDraws => matches!(role, Planner | Section),
        ReadDirectories => true,
        EditDirectories => role == Planner,
        ReadInspections => true,
        RecordResults => matches!(role, Planner | Section | Inspector),
        ReadStatistics => matches!(role, Admin | Planner | Section | Auditor),
    }
}

/// Why a request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Nobody is signed in and the action is not public (HTTP 401).
    SignInRequired,
    /// The signed-in role may not do this (HTTP 403).
    Forbidden,
}

/// [`allowed`], with the reason when it is not.
pub fn check(role: Option<Role>, action: Action) -> Result<(), Refusal> {
    match (allowed(role, action), role) {
        (true, _) => Ok(()),
        (false, None) => Err(Refusal::SignInRequired),
        (false, Some(_)) => Err(Refusal::Forbidden),
    }
}

/// The table as Markdown, exactly as `docs/authorization.md` shows it.
pub fn table_markdown() -> String {
    let mut out = String::from("| action | anonymous |");
    for role in Role::ALL {
        out.push_str(&format!(" {} {} |", role.code(), role.name_zh()));
    }
    out.push_str("\n|---|---|");
    for _ in Role::ALL {
        out.push_str("---|");
    }
    out.push('\n');
    let mark = |yes: bool| if yes { "✓" } else { "—" };
    for action in Action::ALL {
        out.push_str(&format!(
            "| `{}` | {} |",
            action.code(),
            mark(allowed(None, action))
        ));
        for role in Role::ALL {
            out.push_str(&format!(" {} |", mark(allowed(Some(role), action))));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    #[test]
    fn anonymous_visitors_may_only_read_public_things_and_sign_in() {
        let public: Vec<Action> = Action::ALL
            .into_iter()
            .filter(|a| allowed(None, *a))
            .collect();
        assert_eq!(
            public,
            [Action::ReadPublic, Action::SignIn, Action::ReadSession]
        );
        assert_eq!(
            check(None, Action::ManageAccounts),
            Err(Refusal::SignInRequired)
        );
    }

    #[test]
    fn the_auditor_changes_nothing_but_its_own_password() {
        for action in Action::ALL.into_iter().filter(|a| a.is_write()) {
            let expected = matches!(action, Action::SignIn | Action::ManageOwnAccount);
            assert_eq!(allowed(Some(Role::Auditor), action), expected, "{action:?}");
        }
    }

    #[test]
    fn only_admins_manage_accounts() {
        for role in Role::ALL {
            assert_eq!(
                check(Some(role), Action::ManageAccounts).is_ok(),
                role == Role::Admin
            );
        }
        assert_eq!(
            check(Some(Role::Planner), Action::ManageAccounts),
            Err(Refusal::Forbidden)
        );
    }

    #[test]
    fn every_staff_role_reads_the_directories_and_only_the_planner_edits_them() {
        assert!(!allowed(None, Action::ReadDirectories));
        for role in Role::ALL {
            assert!(allowed(Some(role), Action::ReadDirectories), "{role:?}");
            assert_eq!(
                allowed(Some(role), Action::EditDirectories),
                role == Role::Planner,
                "{role:?}"
            );
        }
        assert!(Action::EditDirectories.is_write());
        assert!(!Action::ReadDirectories.is_write());
    }

    #[test]
    fn the_documented_table_is_this_function() {
        let doc = include_str!("../../docs/authorization.md");
        let table = table_markdown();
        assert!(
            doc.contains(&table),
            "docs/authorization.md is out of date; paste:\n{table}"
        );
    }
}
