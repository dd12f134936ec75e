//! 账号管理: administrators create accounts, change roles, disable, reset passwords.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::api::{Account, CreateAccountRequest, ResetPasswordRequest, UpdateAccountRequest};
use shared::authz::{Action, Role};

use crate::api;
use crate::app::{RequireAction, use_lang};
use crate::i18n::{Lang, Tr, common, tr};

const TITLE: Tr = tr("账号管理", "Accounts");
const NEW_ACCOUNT: Tr = tr("新建账号", "New account");
const USERNAME: Tr = tr("用户名", "User name");
const NAME: Tr = tr("姓名", "Name");
const ROLE: Tr = tr("角色", "Role");
const SECTION: Tr = tr("所属科室（仅科室账号）", "Section (section accounts only)");
const INITIAL_PASSWORD: Tr = tr("初始密码", "Initial password");
const CREATE: Tr = tr("创建", "Create");
const STATUS: Tr = tr("状态", "Status");
const ACTIVE: Tr = tr("正常", "Active");
const DISABLED: Tr = tr("已停用", "Disabled");
const LOCKED: Tr = tr("已锁定", "Locked");
const DISABLE: Tr = tr("停用", "Disable");
const ENABLE: Tr = tr("启用", "Enable");
const RESET: Tr = tr("重置密码", "Reset password");
const RESET_PROMPT: Tr = tr("新密码（至少 10 个字符）", "New password (10+ characters)");
const CREATED: Tr = tr("账号已创建", "Account created");
const INSPECTOR: Tr = tr("检查人员名录", "Inspector entry");
const NOT_LINKED: Tr = tr(
    "未关联：在检查人员详情页关联",
    "Not linked: link it on the inspector's page",
);

fn role_label(lang: Lang, role: Role) -> &'static str {
    match lang {
        Lang::Zh => role.name_zh(),
        Lang::En => role.name_en(),
    }
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::ManageAccounts>
            <Accounts />
        </RequireAction>
    }
}

#[component]
fn Accounts() -> impl IntoView {
    let lang = use_lang();
    let accounts = RwSignal::new(Vec::<Account>::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let reload = move || {
        spawn_local(async move {
            match api::fetch_accounts().await {
                Ok(list) => accounts.set(list.accounts),
                Err(err) => message.set(Some((false, err.message))),
            }
        })
    };
    reload();
    let report = move |result: Result<(), String>, ok_text: Option<&'static str>| match result {
        Ok(()) => {
            message.set(ok_text.map(|text| (true, text.to_owned())));
            reload();
        }
        Err(text) => message.set(Some((false, text))),
    };

    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Inspector.code().to_owned());
    let section = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = CreateAccountRequest {
            username: username.get(),
            display_name: display_name.get(),
            role: Role::from_code(&role.get()).unwrap_or(Role::Inspector),
            section: Some(section.get()).filter(|s| !s.trim().is_empty()),
            password: password.get(),
            inspector_id: None,
        };
        spawn_local(async move {
            let result = api::create_account(request)
                .await
                .map(|_| ())
                .map_err(|err| err.message);
            if result.is_ok() {
                for field in [username, display_name, section, password] {
                    field.set(String::new());
                }
            }
            report(result, Some(lang.t(CREATED)()));
        });
    };

    let toggle_disabled = move |account: Account| {
        let request = UpdateAccountRequest {
            display_name: account.display_name.clone(),
            role: account.role,
            section: account.section.clone(),
            disabled: !account.disabled,
        };
        spawn_local(async move {
            let result = api::update_account(account.id, request)
                .await
                .map(|_| ())
                .map_err(|err| err.message);
            report(result, Some(lang.t(common::SAVED)()));
        });
    };
    let change_role = move |account: Account, new_role: String| {
        let Some(new_role) = Role::from_code(&new_role) else {
            return;
        };
        let section = if new_role == Role::Section {
            account.section.clone().or(Some(String::new()))
        } else {
            None
        };
        let request = UpdateAccountRequest {
            display_name: account.display_name.clone(),
            role: new_role,
            section,
            disabled: account.disabled,
        };
        spawn_local(async move {
            let result = api::update_account(account.id, request)
                .await
                .map(|_| ())
                .map_err(|err| err.message);
            report(result, Some(lang.t(common::SAVED)()));
        });
    };
    let reset = move |account: Account| {
        let prompt = lang.t(RESET_PROMPT)();
        let Ok(Some(new_password)) =
            window().prompt_with_message(&format!("{} — {prompt}", account.username))
        else {
            return;
        };
        spawn_local(async move {
            let result = api::reset_password(account.id, ResetPasswordRequest { new_password })
                .await
                .map(|_| ())
                .map_err(|err| err.message);
            report(result, Some(lang.t(common::SAVED)()));
        });
    };

    view! {
        <section class="accounts">
            <h1>{lang.t(TITLE)}</h1>
            {move || message.get().map(|(ok, text)| view! {
                <p class=if ok { "success" } else { "error" } role="alert" data-testid="accounts-message">{text}</p>
            })}
            <table class="data-table" data-testid="accounts-table">
                <thead>
                    <tr>
                        <th>{lang.t(USERNAME)}</th><th>{lang.t(NAME)}</th><th>{lang.t(ROLE)}</th>
                        <th>{lang.t(INSPECTOR)}</th><th>{lang.t(STATUS)}</th><th></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || accounts.get() key=|a| (a.id, a.role, a.disabled, a.locked) let:account>
                        {
                            let row = account.clone();
                            let for_role = account.clone();
                            let for_toggle = account.clone();
                            let for_reset = account.clone();
                            view! {
                                <tr data-testid="account-row">
                                    <td class="code">{row.username.clone()}</td>
                                    <td>{row.display_name.clone()} {row.section.clone().map(|s| format!("（{s}）"))}</td>
                                    <td>
                                        <select
                                            aria-label=lang.t(ROLE)
                                            on:change=move |ev| change_role(for_role.clone(), event_target_value(&ev))
                                        >
                                            {Role::ALL.into_iter().map(|r| view! {
                                                <option value=r.code() selected=r == row.role>{move || role_label(lang.get(), r)}</option>
                                            }).collect_view()}
                                        </select>
                                    </td>
                                    <td data-testid="account-inspector">
                                        {match (&row.inspector, row.role) {
                                            (Some(linked), _) => view! {
                                                <A href=format!("/inspectors/{}", linked.id)>{format!("{} {}", linked.name, linked.employee_no)}</A>
                                            }.into_any(),
                                            (None, Role::Inspector) => view! { <span class="warning">{lang.t(NOT_LINKED)}</span> }.into_any(),
                                            (None, _) => view! { <span>"—"</span> }.into_any(),
                                        }}
                                    </td>
                                    <td>
                                        {move || if row.disabled { lang.t(DISABLED)() } else if row.locked { lang.t(LOCKED)() } else { lang.t(ACTIVE)() }}
                                    </td>
                                    <td class="actions">
                                        <button class="link-button" on:click=move |_| toggle_disabled(for_toggle.clone())>
                                            {move || if account.disabled { lang.t(ENABLE)() } else { lang.t(DISABLE)() }}
                                        </button>
                                        <button class="link-button" on:click=move |_| reset(for_reset.clone())>{lang.t(RESET)}</button>
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>

            <h2>{lang.t(NEW_ACCOUNT)}</h2>
            <form class="form grid" on:submit=create data-testid="new-account-form">
                <label><span>{lang.t(USERNAME)}</span><input name="username" required bind:value=username /></label>
                <label><span>{lang.t(NAME)}</span><input name="display_name" required bind:value=display_name /></label>
                <label>
                    <span>{lang.t(ROLE)}</span>
                    <select name="role" bind:value=role>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.code()>{move || role_label(lang.get(), r)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label><span>{lang.t(SECTION)}</span><input name="section" bind:value=section /></label>
                <label><span>{lang.t(INITIAL_PASSWORD)}</span><input name="password" type="password" autocomplete="new-password" required bind:value=password /></label>
                <button type="submit">{lang.t(CREATE)}</button>
            </form>
        </section>
    }
}
