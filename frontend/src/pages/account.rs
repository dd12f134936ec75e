use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::ChangePasswordRequest;
use shared::authz::Action;

use crate::api;
use crate::app::{RequireAction, use_lang};
use crate::i18n::{Tr, common, tr};

const TITLE: Tr = tr("修改密码", "Change password");
const CURRENT: Tr = tr("当前密码", "Current password");
const NEW: Tr = tr(
    "新密码（至少 10 个字符，不含用户名）",
    "New password (10+ characters, not containing the user name)",
);
const REPEAT: Tr = tr("再次输入新密码", "New password again");
const MISMATCH: Tr = tr("两次输入的新密码不一致", "The two new passwords differ");
const DONE: Tr = tr(
    "密码已修改，其他设备上的登录已退出。",
    "Password changed; sessions on other devices were signed out.",
);

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::ManageOwnAccount>
            <ChangePassword />
        </RequireAction>
    }
}

#[component]
fn ChangePassword() -> impl IntoView {
    let lang = use_lang();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if new.get() != repeat.get() {
            message.set(Some((false, lang.t(MISMATCH)().to_owned())));
            return;
        }
        let request = ChangePasswordRequest {
            current_password: current.get(),
            new_password: new.get(),
        };
        spawn_local(async move {
            match api::change_password(request).await {
                Ok(_) => {
                    for field in [current, new, repeat] {
                        field.set(String::new());
                    }
                    message.set(Some((true, lang.t(DONE)().to_owned())));
                }
                Err(err) => message.set(Some((false, err.message))),
            }
        });
    };
    view! {
        <section class="narrow">
            <h1>{lang.t(TITLE)}</h1>
            <form class="form" on:submit=submit data-testid="password-form">
                <label><span>{lang.t(CURRENT)}</span><input type="password" name="current" autocomplete="current-password" required bind:value=current /></label>
                <label><span>{lang.t(NEW)}</span><input type="password" name="new" autocomplete="new-password" required bind:value=new /></label>
                <label><span>{lang.t(REPEAT)}</span><input type="password" name="repeat" autocomplete="new-password" required bind:value=repeat /></label>
                {move || message.get().map(|(ok, text)| view! {
                    <p class=if ok { "success" } else { "error" } role="alert">{text}</p>
                })}
                <button type="submit">{lang.t(common::SAVE)}</button>
            </form>
        </section>
    }
}
