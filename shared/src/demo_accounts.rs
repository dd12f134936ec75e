//! The demo accounts `cargo xtask dev` creates, one per role. Used by `suicha
//! demo-accounts-sql` and by the end-to-end tests; never by the worker.

use crate::authz::Role;

/// The password every demo account gets; `cargo xtask dev` prints it.
pub const DEMO_PASSWORD: &str = "Suicha@2026demo";

/// One demo account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoAccount {
    pub username: &'static str,
    pub display_name: &'static str,
    pub role: Role,
    pub section: Option<&'static str>,
}

/// One demo account per role, in [`Role::ALL`] order.
pub const DEMO_ACCOUNTS: [DemoAccount; 5] = [
    DemoAccount {
        username: "admin",
        display_name: "王管理",
        role: Role::Admin,
        section: None,
    },
    DemoAccount {
        username: "planner",
        display_name: "张支队",
        role: Role::Planner,
        section: None,
    },
    DemoAccount {
        username: "section",
        display_name: "李科长",
        role: Role::Section,
        section: Some("环评与排污许可科"),
    },
    DemoAccount {
        username: "inspector",
        display_name: "赵执法",
        role: Role::Inspector,
        section: None,
    },
    DemoAccount {
        username: "auditor",
        display_name: "陈审核",
        role: Role::Auditor,
        section: None,
    },
];

/// The demo account of `role`.
pub fn demo_account(role: Role) -> DemoAccount {
    DEMO_ACCOUNTS
        .into_iter()
        .find(|account| account.role == role)
        .expect("one demo account per role")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_demo_account_per_role_in_table_order() {
        let roles: Vec<Role> = DEMO_ACCOUNTS.iter().map(|account| account.role).collect();
        assert_eq!(roles, Role::ALL.to_vec());
    }
}
