//! The Chinese words a bureau's spreadsheets use for the directory's closed vocabularies, and
//! the directory-level types the draw model does not have (permit class, specialty labels).
//!
//! Parsing is lenient about decoration (`重点监管对象`, `A级`, full-width letters) and strict about
//! meaning: a word that is not in the table is an error, never a guess.

use serde::{Deserialize, Serialize};

use crate::draw::{Category, Grade, ObjectStatus, Specialty};

/// A closed vocabulary with a Chinese label per value.
pub trait ChineseLabel: Sized + Copy {
    /// The label written in exports and shown in the interface.
    fn label_zh(self) -> &'static str;
    /// Parses a cell; `None` when the word is not in the vocabulary.
    fn from_label(text: &str) -> Option<Self>;
}

/// Full-width ASCII to half-width, nothing else changed.
pub(crate) fn half_width(text: &str) -> String {
    text.chars()
        .map(|character| match character {
            '\u{FF01}'..='\u{FF5E}' => {
                char::from_u32(character as u32 - 0xFEE0).unwrap_or(character)
            }
            other => other,
        })
        .collect()
}

/// Full-width ASCII to half-width, white space removed, ASCII upper-cased.
pub(crate) fn fold(text: &str) -> String {
    text.chars()
        .filter(|character| !character.is_whitespace())
        .map(|character| match character {
            '\u{FF01}'..='\u{FF5E}' => {
                char::from_u32(character as u32 - 0xFEE0).unwrap_or(character)
            }
            other => other,
        })
        .map(|character| character.to_ascii_uppercase())
        .collect()
}

impl ChineseLabel for Category {
    fn label_zh(self) -> &'static str {
        match self {
            Category::General => "一般",
            Category::Key => "重点",
            Category::Special => "特殊",
        }
    }

    fn from_label(text: &str) -> Option<Category> {
        let folded = fold(text);
        let word = ["监管对象", "对象", "类"]
            .iter()
            .find_map(|suffix| folded.strip_suffix(suffix))
            .unwrap_or(&folded);
        match word {
            "一般" | "GENERAL" => Some(Category::General),
            "重点" | "KEY" => Some(Category::Key),
            "特殊" | "SPECIAL" => Some(Category::Special),
            _ => None,
        }
    }
}

impl ChineseLabel for ObjectStatus {
    fn label_zh(self) -> &'static str {
        match self {
            ObjectStatus::Active => "在产",
            ObjectStatus::Suspended => "停产",
            ObjectStatus::Closed => "注销",
        }
    }

    fn from_label(text: &str) -> Option<ObjectStatus> {
        match fold(text).as_str() {
            "在产" | "正常" | "生产" | "正常生产" | "在营" | "存续" | "运行" | "复产"
            | "ACTIVE" => Some(ObjectStatus::Active),
            "停产" | "停工" | "停业" | "停工停产" | "停产停业" | "SUSPENDED" => {
                Some(ObjectStatus::Suspended)
            }
            "注销" | "已注销" | "关闭" | "已关闭" | "吊销" | "撤销" | "CLOSED" => {
                Some(ObjectStatus::Closed)
            }
            _ => None,
        }
    }
}

/// Heavy-pollution-weather performance grade (重污染天气绩效分级): `A`–`D`; an empty cell,
/// `未评级` or `无` is [`Grade::Unrated`], whose label is the empty string.
impl ChineseLabel for Grade {
    fn label_zh(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
            Grade::Unrated => "",
        }
    }

    fn from_label(text: &str) -> Option<Grade> {
        let folded = fold(text);
        let word = folded.strip_suffix('级').unwrap_or(&folded);
        match word {
            "A" => Some(Grade::A),
            "B" => Some(Grade::B),
            "C" => Some(Grade::C),
            "D" => Some(Grade::D),
            "" | "未评级" | "无" | "UNRATED" => Some(Grade::Unrated),
            _ => None,
        }
    }
}

/// Discharge-permit management class (排污许可管理类别). Not in the draw model, where it is a
/// free tag string: [`PermitClass::label_zh`] is that string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PermitClass {
    /// 重点管理
    Key,
    /// 简化管理
    Simplified,
    /// 登记管理
    Registration,
}

impl ChineseLabel for PermitClass {
    fn label_zh(self) -> &'static str {
        match self {
            PermitClass::Key => "重点管理",
            PermitClass::Simplified => "简化管理",
            PermitClass::Registration => "登记管理",
        }
    }

    fn from_label(text: &str) -> Option<PermitClass> {
        match fold(text).as_str() {
            "重点管理" | "重点" | "许可重点管理" => Some(PermitClass::Key),
            "简化管理" | "简化" | "许可简化管理" => Some(PermitClass::Simplified),
            "登记管理" | "登记" | "排污登记" => Some(PermitClass::Registration),
            _ => None,
        }
    }
}

/// The specialties a bureau writes in its inspector list, with the draw's specialty code, the
/// label, and accepted synonyms. The draw matches inspectors to checklist items by the code.
pub const SPECIALTIES: [(&str, &str, &[&str]); 12] = [
    (
        "water",
        "水",
        &["水环境", "水污染", "水污染防治", "废水", "水质"],
    ),
    ("air", "大气", &["大气环境", "大气污染防治", "废气", "气"]),
    (
        "soil",
        "土壤",
        &["土壤环境", "土壤污染防治", "地下水", "土壤与地下水"],
    ),
    (
        "solid_waste",
        "固废",
        &[
            "固体废物",
            "危废",
            "危险废物",
            "固体废物及危险废物",
            "固废危废",
        ],
    ),
    ("radiation", "辐射", &["辐射安全", "核与辐射", "核辐射"]),
    ("eia", "环评", &["环境影响评价", "建设项目环评"]),
    ("permit", "排污许可", &["许可", "排污许可管理"]),
    ("monitoring", "监测", &["环境监测", "监测监控"]),
    (
        "emergency",
        "应急",
        &["环境应急", "应急管理", "突发环境事件"],
    ),
    ("ecology", "生态", &["自然生态", "生态保护", "生态环境保护"]),
    ("noise", "噪声", &["噪声污染防治", "噪音"]),
    ("chemicals", "化学品", &["新污染物", "化学物质"]),
];

/// The draw specialty for a label or synonym (or the code itself).
pub fn specialty_from_label(text: &str) -> Option<Specialty> {
    let folded = fold(text);
    SPECIALTIES
        .iter()
        .find(|(code, label, synonyms)| {
            folded == *label
                || synonyms.contains(&folded.as_str())
                || folded.eq_ignore_ascii_case(code)
        })
        .and_then(|(code, _, _)| Specialty::new(*code).ok())
}

/// The Chinese label of a specialty code; unknown codes are shown as the code.
pub fn specialty_label(specialty: &Specialty) -> &str {
    SPECIALTIES
        .iter()
        .find(|(code, _, _)| *code == specialty.as_str())
        .map_or(specialty.as_str(), |(_, label, _)| label)
}

/// Splits a specialties cell (`水、大气；固废`) into its words.
pub(crate) fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split(|character: char| {
        matches!(
            character,
            '、' | ',' | '，' | ';' | '；' | '/' | '／' | '|' | '\n'
        ) || character.is_whitespace()
    })
    .filter(|word| !word.is_empty())
}

/// A yes/no cell (在岗): `None` when it is neither.
pub(crate) fn parse_yes_no(text: &str) -> Option<bool> {
    match fold(text).as_str() {
        "是" | "在岗" | "在职" | "有效" | "启用" | "Y" | "YES" | "TRUE" | "1" => {
            Some(true)
        }
        "否" | "离岗" | "离职" | "调离" | "退休" | "停用" | "N" | "NO" | "FALSE" | "0" => {
            Some(false)
        }
        _ => None,
    }
}
