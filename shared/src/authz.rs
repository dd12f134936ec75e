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
    /// Draft, change and publish the annual plan (the enforcement detachment keeps it).
    ManagePlans,
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
    pub const ALL: [Action; 14] = [
        Action::ReadPublic,
        Action::SignIn,
        Action::ReadSession,
        Action::ManageOwnAccount,
        Action::ManageAccounts,
        Action::ReadAuditLog,
        Action::ReadDraws,
        Action::ManageDraws,
        Action::ManagePlans,
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
            Action::ManagePlans => "manage_plans",
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
        ManagePlans => role == Planner,
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

/// The caller as the scope rules see them: their role, a section account's section (its code in
/// `shared::sections`) and the inspector-directory entry an account is linked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Principal<'a> {
    pub role: Role,
    pub section: Option<&'a str>,
    pub inspector_id: Option<i64>,
}

/// Which rows of a list a caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every row.
    All,
    /// Only rows of this section (a section account).
    Section(String),
    /// Only inspections whose team includes this inspector (an inspector account); `None`
    /// for an inspector account linked to no directory entry, which sees nothing.
    Team(Option<i64>),
}

impl Scope {
    /// Whether a row with these sections and this team is inside the scope.
    pub fn contains(&self, sections: &[&str], team: &[i64]) -> bool {
        match self {
            Scope::All => true,
            Scope::Section(code) => sections.contains(&code.as_str()),
            Scope::Team(own) => own.is_some_and(|own| team.contains(&own)),
        }
    }
}

/// The inspections a caller may list and open: an inspector only those whose team they are on,
/// a section account only its own section's, everyone else all.
pub fn inspection_scope(caller: Principal<'_>) -> Scope {
    match caller.role {
        Role::Inspector => Scope::Team(caller.inspector_id),
        Role::Section => Scope::Section(caller.section.unwrap_or_default().to_owned()),
        Role::Admin | Role::Planner | Role::Auditor => Scope::All,
    }
}

/// What a caller may do with one inspection, decided from the row they loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InspectionAccess {
    /// Open it and read its record.
    pub read: bool,
    /// Enter its record and publish its result (谁检查、谁录入、谁公开).
    pub record: bool,
}

/// [`InspectionAccess`] for an inspection of `sections` whose team is `team`: the planner
/// records any; a section its own section's; an inspector those whose team they are on; the
/// admin and the auditor read but never record.
pub fn inspection_access(
    caller: Principal<'_>,
    sections: &[&str],
    team: &[i64],
) -> InspectionAccess {
    let in_scope = inspection_scope(caller).contains(sections, team);
    let records = allowed(Some(caller.role), Action::RecordResults);
    InspectionAccess {
        read: in_scope,
        record: in_scope && records,
    }
}

/// Why a targeted inspection may not be registered by this caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetedRefusal {
    /// A section account registers only its own section's inspections.
    OtherSection,
    /// An inspector registers only inspections whose team they are on (otherwise anyone could
    /// fill an enterprise's yearly cap and keep it out of the next random draw).
    NotOnTeam,
}

/// Whether `caller` may register a targeted inspection of `section` with `team`.
pub fn may_register_targeted(
    caller: Principal<'_>,
    section: &str,
    team: &[i64],
) -> Result<(), TargetedRefusal> {
    match caller.role {
        Role::Section if caller.section != Some(section) => Err(TargetedRefusal::OtherSection),
        Role::Inspector if !caller.inspector_id.is_some_and(|own| team.contains(&own)) => {
            Err(TargetedRefusal::NotOnTeam)
        }
        _ => Ok(()),
    }
}

/// Whether `caller` may change, seal, commit or void a task owned by `owner_section` (`None`:
/// a bureau-wide task). Dispatch has already checked [`Action::ManageDraws`]; this is the
/// row-level rule: a section account only its own section's tasks.
pub fn may_manage_task(caller: Principal<'_>, owner_section: Option<&str>) -> bool {
    match caller.role {
        Role::Section => caller.section.is_some() && caller.section == owner_section,
        role => allowed(Some(role), Action::ManageDraws),
    }
}

/// Whether `caller` may read a task owned by `owner_section`: every role that reads draws
/// reads every task (sections see the bureau's other tasks to avoid double visits).
pub fn may_read_task(caller: Principal<'_>, _owner_section: Option<&str>) -> bool {
    allowed(Some(caller.role), Action::ReadDraws)
}

/// The row-level rules as Markdown, for `docs/authorization.md`.
pub fn scope_rules_markdown() -> String {
    let mut out = String::from(
        "| rule | function | admin | planner | section | inspector | auditor |\n|---|---|---|---|---|---|---|\n",
    );
    let own = "eia_permit";
    let other = "water";
    let me = 7;
    let mark = |yes: bool| if yes { "✓" } else { "—" };
    let caller = |role: Role| Principal {
        role,
        section: (role == Role::Section).then_some(own),
        inspector_id: (role == Role::Inspector).then_some(me),
    };
    type Rule<'f> = (
        &'static str,
        &'static str,
        &'f dyn Fn(Principal<'_>) -> bool,
    );
    let rows: [Rule<'_>; 7] = [
        (
            "manage a task of its own section",
            "may_manage_task",
            &|p| may_manage_task(p, Some(own)),
        ),
        (
            "manage a task of another section",
            "may_manage_task",
            &|p| may_manage_task(p, Some(other)),
        ),
        ("manage a bureau-wide task", "may_manage_task", &|p| {
            may_manage_task(p, None)
        }),
        (
            "record an inspection of its own section, not on the team",
            "inspection_access",
            &|p| inspection_access(p, &[own], &[1, 2]).record,
        ),
        (
            "record an inspection whose team it is on, other section",
            "inspection_access",
            &|p| inspection_access(p, &[other], &[me, 2]).record,
        ),
        (
            "read an inspection of another section, not on the team",
            "inspection_access",
            &|p| inspection_access(p, &[other], &[1, 2]).read,
        ),
        (
            "register a targeted inspection of another section, not on the team",
            "may_register_targeted",
            &|p| may_register_targeted(p, other, &[1, 2]).is_ok(),
        ),
    ];
    for (rule, function, decide) in rows {
        out.push_str(&format!("| {rule} | `{function}` |"));
        for role in Role::ALL {
            let permitted = allowed(
                Some(role),
                match function {
                    "may_manage_task" => Action::ManageDraws,
                    "may_register_targeted" => Action::RecordResults,
                    _ if rule.starts_with("read") => Action::ReadInspections,
                    _ => Action::RecordResults,
                },
            ) && decide(caller(role));
            out.push_str(&format!(" {} |", mark(permitted)));
        }
        out.push('\n');
    }
    out
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

    fn principal(role: Role) -> Principal<'static> {
        Principal {
            role,
            section: (role == Role::Section).then_some("eia_permit"),
            inspector_id: (role == Role::Inspector).then_some(7),
        }
    }

    #[test]
    fn only_the_planner_keeps_the_annual_plan() {
        for role in Role::ALL {
            assert_eq!(
                allowed(Some(role), Action::ManagePlans),
                role == Role::Planner,
                "{role:?}"
            );
        }
        assert!(!allowed(None, Action::ManagePlans));
    }

    #[test]
    fn an_inspector_sees_and_records_only_inspections_whose_team_they_are_on() {
        let me = principal(Role::Inspector);
        let on_team = inspection_access(me, &["water"], &[3, 7]);
        assert_eq!(
            on_team,
            InspectionAccess {
                read: true,
                record: true
            }
        );
        let off_team = inspection_access(me, &["water"], &[3, 8]);
        assert_eq!(
            off_team,
            InspectionAccess {
                read: false,
                record: false
            }
        );
        let unlinked = Principal {
            inspector_id: None,
            ..me
        };
        assert!(!inspection_access(unlinked, &["water"], &[3, 7]).read);
        assert_eq!(inspection_scope(unlinked), Scope::Team(None));
    }

    #[test]
    fn a_section_sees_and_records_only_its_own_sections_part() {
        let section = principal(Role::Section);
        assert!(inspection_access(section, &["water", "eia_permit"], &[]).record);
        assert!(!inspection_access(section, &["water"], &[]).read);
        assert_eq!(
            inspection_scope(section),
            Scope::Section("eia_permit".to_owned())
        );
        // A section account whose section is unknown sees nothing rather than everything.
        let lost = Principal {
            section: None,
            ..section
        };
        assert!(!inspection_access(lost, &["water"], &[]).read);
    }

    #[test]
    fn the_admin_and_the_auditor_read_every_inspection_and_record_none() {
        for role in [Role::Admin, Role::Auditor] {
            let access = inspection_access(principal(role), &["water"], &[1, 2]);
            assert_eq!(
                access,
                InspectionAccess {
                    read: true,
                    record: false
                },
                "{role:?}"
            );
        }
        let planner = inspection_access(principal(Role::Planner), &["water"], &[1, 2]);
        assert_eq!(
            planner,
            InspectionAccess {
                read: true,
                record: true
            }
        );
    }

    #[test]
    fn a_targeted_inspection_is_registered_only_within_ones_own_reach() {
        let inspector = principal(Role::Inspector);
        assert_eq!(
            may_register_targeted(inspector, "water", &[1, 2]),
            Err(TargetedRefusal::NotOnTeam)
        );
        assert_eq!(may_register_targeted(inspector, "water", &[7, 2]), Ok(()));
        let unlinked = Principal {
            inspector_id: None,
            ..inspector
        };
        assert_eq!(
            may_register_targeted(unlinked, "water", &[7, 2]),
            Err(TargetedRefusal::NotOnTeam)
        );
        let section = principal(Role::Section);
        assert_eq!(
            may_register_targeted(section, "water", &[1, 2]),
            Err(TargetedRefusal::OtherSection)
        );
        assert_eq!(
            may_register_targeted(section, "eia_permit", &[1, 2]),
            Ok(())
        );
        assert_eq!(
            may_register_targeted(principal(Role::Planner), "water", &[1, 2]),
            Ok(())
        );
    }

    #[test]
    fn a_section_manages_only_its_own_sections_tasks() {
        let section = principal(Role::Section);
        assert!(may_manage_task(section, Some("eia_permit")));
        assert!(!may_manage_task(section, Some("water")));
        assert!(!may_manage_task(section, None));
        assert!(may_manage_task(principal(Role::Planner), Some("water")));
        assert!(may_manage_task(principal(Role::Planner), None));
        for role in [Role::Admin, Role::Auditor, Role::Inspector] {
            assert!(!may_manage_task(principal(role), None), "{role:?}");
        }
        assert!(may_read_task(principal(Role::Auditor), Some("water")));
        assert!(!may_read_task(principal(Role::Inspector), Some("water")));
    }

    #[test]
    fn the_documented_scope_rules_are_these_functions() {
        let doc = include_str!("../../docs/authorization.md");
        let table = scope_rules_markdown();
        assert!(
            doc.contains(&table),
            "docs/authorization.md's row-level rules are out of date; paste:\n{table}"
        );
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
