//! UI text: Chinese first, English on request. Every user-visible string is a [`Tr`] pair,
//! declared as a constant next to the page that shows it.

/// The interface language: the one [`Lang`] of the domain crate.
pub use shared::labels::Lang;

/// Where the chosen language is remembered in the browser.
pub const STORAGE_KEY: &str = "suicha.lang";

/// One string in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    pub zh: &'static str,
    pub en: &'static str,
}

/// A [`Tr`] pair, for `const` declarations.
pub const fn tr(zh: &'static str, en: &'static str) -> Tr {
    Tr { zh, en }
}

impl Tr {
    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// Texts of the application shell, shared by several pages.
pub mod common {
    use super::{Tr, tr};

    pub const APP_NAME: Tr = tr("随查", "Suicha");
    pub const APP_TAGLINE: Tr = tr(
        "生态环境“双随机、一公开”监管",
        "“Double random, one public” environmental supervision",
    );
    pub const LANG_TOGGLE: Tr = tr("English", "中文");
    pub const LOADING: Tr = tr("加载中…", "Loading…");
    pub const LOAD_FAILED: Tr = tr("加载失败", "Could not load");
    pub const EMPTY: Tr = tr("暂无数据", "Nothing here yet");
    pub const NOT_FOUND: Tr = tr("页面不存在", "Page not found");
    pub const SIGN_IN: Tr = tr("登录", "Sign in");
    pub const SIGN_OUT: Tr = tr("退出", "Sign out");
    pub const SAVE: Tr = tr("保存", "Save");
    pub const SAVED: Tr = tr("已保存", "Saved");
    pub const NO_ACCESS: Tr = tr(
        "当前角色无权访问此页面。",
        "Your role may not open this page.",
    );
    pub const SIGN_IN_FIRST: Tr = tr("请先登录。", "Please sign in first.");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_codes_round_trip_and_unknown_falls_back_to_chinese() {
        for lang in [Lang::Zh, Lang::En] {
            assert_eq!(Lang::from_code(Some(lang.code())), lang);
        }
        assert_eq!(Lang::from_code(Some("fr")), Lang::Zh);
        assert_eq!(Lang::from_code(None), Lang::Zh);
        assert_eq!(Lang::Zh.toggled(), Lang::En);
    }

    #[test]
    fn the_toggle_names_the_other_language() {
        assert_eq!(common::LANG_TOGGLE.get(Lang::Zh), "English");
        assert_eq!(common::LANG_TOGGLE.get(Lang::En), "中文");
    }
}
