//! The one language type and the words for the domain's vocabularies — categories, sections,
//! statuses and results — in both languages. The web app, the reports and the public portal
//! all name things through this module, so a category is called the same everywhere.

use crate::api::TaskStatus;
use crate::draw::Category;
use crate::plan::PlanStatus;
use crate::records::InspectionResult;
use crate::sections::section_by_code;

/// A language: Chinese first, English on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// The short code (`zh`, `en`), as stored in the browser and given as `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Reads a code; anything unknown falls back to Chinese.
    pub fn from_code(code: Option<&str>) -> Lang {
        match code {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }

    /// The other language, for a toggle.
    pub fn toggled(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The `lang` attribute of a document.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// One of two texts.
    pub fn pick<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// A category's short name (一般 / general), as in tables and figures.
pub fn category(lang: Lang, category: Category) -> &'static str {
    match category {
        Category::General => lang.pick("一般", "general"),
        Category::Key => lang.pick("重点", "key"),
        Category::Special => lang.pick("特殊", "special"),
    }
}

/// A category's full name (一般监管对象 / General), as the public portal shows it.
pub fn category_title(lang: Lang, category: Category) -> &'static str {
    match category {
        Category::General => lang.pick("一般监管对象", "General"),
        Category::Key => lang.pick("重点监管对象", "Key"),
        Category::Special => lang.pick("特殊监管对象", "Special"),
    }
}

/// A section's name from its code; the code itself when no section has it.
pub fn section(lang: Lang, code: &str) -> String {
    section_by_code(code).map_or_else(
        || code.to_owned(),
        |section| lang.pick(section.name_zh, section.name_en).to_owned(),
    )
}

/// A result in the standard phrase (规范用语) that is published for it.
pub fn result(lang: Lang, result: InspectionResult) -> &'static str {
    lang.pick(result.phrase_zh(), result.phrase_en())
}

/// Where a draw task stands, in words.
pub fn task_status(lang: Lang, status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Draft => lang.pick("草稿", "draft"),
        TaskStatus::Sealed => lang.pick("已封存", "sealed"),
        TaskStatus::Committed => lang.pick("已抽取", "drawn"),
    }
}

/// Where a plan version stands, in words.
pub fn plan_status(lang: Lang, status: PlanStatus) -> &'static str {
    match status {
        PlanStatus::Draft => lang.pick("草稿", "draft"),
        PlanStatus::Published => lang.pick("已公开", "published"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_falls_back_to_chinese() {
        for lang in [Lang::Zh, Lang::En] {
            assert_eq!(Lang::from_code(Some(lang.code())), lang);
            assert_eq!(lang.toggled().toggled(), lang);
        }
        assert_eq!(Lang::from_code(Some("fr")), Lang::Zh);
        assert_eq!(Lang::from_code(None), Lang::Zh);
    }

    #[test]
    fn every_vocabulary_has_words_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            for c in [Category::General, Category::Key, Category::Special] {
                assert!(!category(lang, c).is_empty());
                assert!(!category_title(lang, c).is_empty());
            }
        }
        assert_eq!(category(Lang::Zh, Category::Key), "重点");
        assert_eq!(category_title(Lang::En, Category::Special), "Special");
        assert_eq!(section(Lang::Zh, "water"), "水生态环境科");
        assert_eq!(section(Lang::En, "nowhere"), "nowhere");
        assert_eq!(result(Lang::Zh, InspectionResult::NoProblem), "未发现问题");
        assert_eq!(task_status(Lang::En, TaskStatus::Committed), "drawn");
        assert_eq!(plan_status(Lang::Zh, PlanStatus::Published), "已公开");
    }
}
