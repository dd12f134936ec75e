//! UI text: Chinese first, English on request. Every user-visible string goes through [`text`].

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// The value stored in `localStorage` under [`STORAGE_KEY`].
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Reads a stored code; anything unknown falls back to Chinese.
    pub fn from_code(code: Option<&str>) -> Lang {
        match code {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }

    /// The other language, for the toggle.
    pub fn toggled(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

/// Where the chosen language is remembered in the browser.
pub const STORAGE_KEY: &str = "suicha.lang";

/// Keys of every translated string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    AppName,
    AppTagline,
    NavHome,
    NavChecklist,
    LangToggle,
    HomeIntro,
    ChecklistTitle,
    ChecklistIntro,
    ColCode,
    ColSection,
    ColContent,
    ColLegalBasis,
    Loading,
    LoadFailed,
    Empty,
    NotFound,
}

/// The text for `key` in `lang`.
pub fn text(lang: Lang, key: Key) -> &'static str {
    use Key::*;
    match (lang, key) {
        (Lang::Zh, AppName) => "随查",
        (Lang::En, AppName) => "Suicha",
        (Lang::Zh, AppTagline) => "生态环境“双随机、一公开”监管",
        (Lang::En, AppTagline) => "“Double random, one public” environmental supervision",
        (Lang::Zh, NavHome) => "首页",
        (Lang::En, NavHome) => "Home",
        (Lang::Zh, NavChecklist) => "抽查事项清单",
        (Lang::En, NavChecklist) => "Checklist",
        (Lang::Zh, LangToggle) => "English",
        (Lang::En, LangToggle) => "中文",
        (Lang::Zh, HomeIntro) => {
            "随机抽取检查对象，随机选派执法检查人员，抽查情况及查处结果及时向社会公开。每一次抽取都可由任何人复核。"
        }
        (Lang::En, HomeIntro) => {
            "Inspection targets and inspectors are drawn at random, and results are published. Anyone can re-verify every draw."
        }
        (Lang::Zh, ChecklistTitle) => "随机抽查事项清单",
        (Lang::En, ChecklistTitle) => "Checklist of inspection items",
        (Lang::Zh, ChecklistIntro) => "年度抽查须覆盖清单全部事项。",
        (Lang::En, ChecklistIntro) => "Each year's inspections must cover every item.",
        (Lang::Zh, ColCode) => "编号",
        (Lang::En, ColCode) => "Code",
        (Lang::Zh, ColSection) => "责任科室",
        (Lang::En, ColSection) => "Section",
        (Lang::Zh, ColContent) => "抽查内容",
        (Lang::En, ColContent) => "What is checked",
        (Lang::Zh, ColLegalBasis) => "依据",
        (Lang::En, ColLegalBasis) => "Legal basis",
        (Lang::Zh, Loading) => "加载中…",
        (Lang::En, Loading) => "Loading…",
        (Lang::Zh, LoadFailed) => "加载失败",
        (Lang::En, LoadFailed) => "Could not load",
        (Lang::Zh, Empty) => "暂无数据",
        (Lang::En, Empty) => "Nothing here yet",
        (Lang::Zh, NotFound) => "页面不存在",
        (Lang::En, NotFound) => "Page not found",
    }
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
        assert_eq!(text(Lang::Zh, Key::LangToggle), "English");
        assert_eq!(text(Lang::En, Key::LangToggle), "中文");
    }
}
