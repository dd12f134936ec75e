//! Which pages each role sees in the navigation. The worker refuses what a role may not do
//! anyway; the menu only spares people links that would be refused.

use shared::authz::{Action, Role, allowed};

use crate::i18n::{Tr, tr};

/// One navigation entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MenuItem {
    pub path: &'static str,
    pub label: Tr,
    /// The action the page's main API route performs.
    pub action: Action,
}

/// Every page of the navigation, in menu order.
pub const MENU: [MenuItem; 17] = [
    MenuItem {
        path: "/",
        label: tr("首页", "Home"),
        action: Action::ReadPublic,
    },
    MenuItem {
        path: "/checklist",
        label: tr("抽查事项清单", "Checklist"),
        action: Action::ReadPublic,
    },
    MenuItem {
        path: "/draws",
        label: tr("抽取公示", "Published draws"),
        action: Action::ReadPublic,
    },
    MenuItem {
        path: "/plans",
        label: tr("年度抽查计划", "Annual plan"),
        action: Action::ReadDraws,
    },
    MenuItem {
        path: "/quarter",
        label: tr("下季度抽查安排", "Next quarter"),
        action: Action::ReadDraws,
    },
    MenuItem {
        path: "/tasks",
        label: tr("抽查任务", "Draw tasks"),
        action: Action::ReadDraws,
    },
    MenuItem {
        path: "/inspections",
        label: tr("检查与记录", "Inspections"),
        action: Action::ReadInspections,
    },
    MenuItem {
        path: "/deadlines",
        label: tr("时限看板", "Deadlines"),
        action: Action::ReadInspections,
    },
    MenuItem {
        path: "/targeted",
        label: tr("登记非随机检查", "Targeted inspection"),
        action: Action::RecordResults,
    },
    MenuItem {
        path: "/objects",
        label: tr("检查对象名录库", "Objects"),
        action: Action::ReadDirectories,
    },
    MenuItem {
        path: "/inspectors",
        label: tr("检查人员名录库", "Inspectors"),
        action: Action::ReadDirectories,
    },
    MenuItem {
        path: "/import",
        label: tr("名录导入", "Import"),
        action: Action::EditDirectories,
    },
    MenuItem {
        path: "/statistics",
        label: tr("统计分析", "Statistics"),
        action: Action::ReadStatistics,
    },
    MenuItem {
        path: "/reports",
        label: tr("报告", "Reports"),
        action: Action::ReadStatistics,
    },
    MenuItem {
        path: "/admin/accounts",
        label: tr("账号管理", "Accounts"),
        action: Action::ManageAccounts,
    },
    MenuItem {
        path: "/admin/calendar",
        label: tr("节假日安排", "Holiday schedule"),
        action: Action::ManageCalendar,
    },
    MenuItem {
        path: "/audit",
        label: tr("审计日志", "Audit log"),
        action: Action::ReadAuditLog,
    },
];

/// The entries `role` (`None`: not signed in) sees.
pub fn menu_for(role: Option<Role>) -> Vec<MenuItem> {
    MENU.into_iter()
        .filter(|item| allowed(role, item.action))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(role: Option<Role>) -> Vec<&'static str> {
        menu_for(role).into_iter().map(|item| item.path).collect()
    }

    #[test]
    fn each_role_sees_exactly_its_pages() {
        let public = ["/", "/checklist", "/draws"];
        let draws = ["/plans", "/quarter", "/tasks"];
        let directories = ["/objects", "/inspectors"];
        let statistics = ["/statistics", "/reports"];
        let read = ["/inspections", "/deadlines"];
        let record = ["/inspections", "/deadlines", "/targeted"];
        assert_eq!(paths(None), public);
        assert_eq!(
            paths(Some(Role::Admin)),
            [
                &public[..],
                &draws,
                &read,
                &directories,
                &statistics,
                &["/admin/accounts", "/admin/calendar", "/audit"]
            ]
            .concat()
        );
        assert_eq!(
            paths(Some(Role::Auditor)),
            [
                &public[..],
                &draws,
                &read,
                &directories,
                &statistics,
                &["/audit"]
            ]
            .concat()
        );
        assert_eq!(
            paths(Some(Role::Planner)),
            [
                &public[..],
                &draws,
                &record,
                &directories,
                &["/import"],
                &statistics
            ]
            .concat()
        );
        assert_eq!(
            paths(Some(Role::Section)),
            [&public[..], &draws, &record, &directories, &statistics].concat()
        );
        assert_eq!(
            paths(Some(Role::Inspector)),
            [&public[..], &record, &directories].concat()
        );
    }
}
