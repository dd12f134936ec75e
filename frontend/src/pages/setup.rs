//! 首次设置: a new installation (no bureau, no account) asks for the bureau's name, its region
//! and the first administrator before anything else; the bureau's name then heads every page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{Bureau, SetupRequest};

use crate::api;
use crate::app::use_lang;
use crate::i18n::{Tr, tr};

const TITLE: Tr = tr("首次设置", "First-time setup");
const INTRO: Tr = tr(
    "这是一套新安装的系统。请填写本局名称、行政区划和第一位管理员；管理员登录后再建立科室、检查人员和其他账号。",
    "This is a new installation. Enter the bureau's name, its region and the first administrator, who then sets up sections, inspectors and the other accounts.",
);
const BUREAU_NAME: Tr = tr(
    "单位名称（如 丰都县生态环境局）",
    "Bureau name (e.g. 丰都县生态环境局)",
);
const REGION: Tr = tr("行政区划（如 重庆市丰都县）", "Region (e.g. 重庆市丰都县)");
const ADMIN_USERNAME: Tr = tr("管理员用户名", "Administrator's user name");
const ADMIN_NAME: Tr = tr("管理员姓名", "Administrator's name");
const ADMIN_PASSWORD: Tr = tr(
    "管理员密码（至少 10 位）",
    "Administrator's password (10 or more characters)",
);
const SUBMIT: Tr = tr("完成设置", "Finish setup");
const DONE: Tr = tr(
    "设置完成。请用刚才的管理员账号登录。",
    "Setup is done. Sign in with the administrator account you just created.",
);

/// The bureau as the worker knows it, fetched once and shared.
#[derive(Clone, Copy)]
pub struct BureauContext(pub RwSignal<Option<Bureau>>);

fn bureau_context() -> BureauContext {
    match use_context::<BureauContext>() {
        Some(context) => context,
        None => {
            let context = BureauContext(RwSignal::new(None));
            provide_context(context);
            spawn_local(async move {
                if let Ok(bureau) = api::fetch_bureau().await {
                    context.0.set(Some(bureau));
                }
            });
            context
        }
    }
}

/// The bureau's name, for the page header (nothing until it is known or when not set up).
#[component]
pub fn BureauName() -> impl IntoView {
    let bureau = bureau_context();
    move || {
        bureau.0.get().filter(|b| b.configured).map(|b| {
            view! { <span class="brand-bureau" data-testid="bureau-name">{b.name}</span> }
        })
    }
}

/// On a new installation, the setup form in place of the page; otherwise nothing.
#[component]
pub fn SetupGate() -> impl IntoView {
    let lang = use_lang();
    let bureau = bureau_context();
    let name = RwSignal::new(String::new());
    let region = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = SetupRequest {
            bureau_name: name.get_untracked(),
            region: region.get_untracked(),
            admin_username: username.get_untracked(),
            admin_display_name: display_name.get_untracked(),
            admin_password: password.get_untracked(),
        };
        spawn_local(async move {
            match api::set_up(request).await {
                Ok(configured) => {
                    error.set(None);
                    done.set(true);
                    bureau.0.set(Some(configured));
                }
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
    let field =
        move |label: Tr, value: RwSignal<String>, kind: &'static str, test: &'static str| {
            view! {
                <label><span>{lang.t(label)}</span>
                    <input type=kind data-testid=test required prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev)) /></label>
            }
        };
    move || {
        if done.get() {
            return Some(
                view! { <p class="success setup-done" role="status" data-testid="setup-done">{lang.t(DONE)}</p> }
                    .into_any(),
            );
        }
        bureau.0.get().filter(|b| !b.configured).map(|_| {
            view! {
                <section class="setup" data-testid="setup">
                    <h1>{lang.t(TITLE)}</h1>
                    <p class="hint">{lang.t(INTRO)}</p>
                    <form class="form grid" on:submit=submit>
                        {field(BUREAU_NAME, name, "text", "setup-bureau")}
                        {field(REGION, region, "text", "setup-region")}
                        {field(ADMIN_USERNAME, username, "text", "setup-username")}
                        {field(ADMIN_NAME, display_name, "text", "setup-display-name")}
                        {field(ADMIN_PASSWORD, password, "password", "setup-password")}
                        {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                        <button type="submit" data-testid="setup-submit">{lang.t(SUBMIT)}</button>
                    </form>
                </section>
            }
            .into_any()
        })
    }
}
