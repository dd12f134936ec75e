//! The demo county: deterministic sample data that `cargo xtask dev` loads into an empty
//! database, and that the API and browser tests load into their fresh databases.
//!
//! Everything here is a pure function: the same call gives the same rows on every machine.

use crate::checklist::{ChecklistItem, ChecklistItemId};

/// The twelve contents of the checklist (随机抽查事项清单) named in section 三(一) and 四 of the
/// seed document (丰都县生态环境局 2024 implementation plan), each assigned to the section that
/// owns that kind of check, with the main legal basis it is checked against.
const CHECKLIST: [(&str, &str, &str, &str); 12] = [
    (
        "SC-01",
        "自然生态科",
        "生态环境保护措施落实情况",
        "《中华人民共和国环境保护法》",
    ),
    (
        "SC-02",
        "县执法支队",
        "污染防治设施运行情况",
        "《中华人民共和国环境保护法》第四十二条",
    ),
    (
        "SC-03",
        "环评与排污许可科",
        "排污许可制度落实及证后执行情况",
        "《排污许可管理条例》",
    ),
    (
        "SC-04",
        "大气环境科",
        "碳排放情况",
        "《碳排放权交易管理暂行条例》",
    ),
    (
        "SC-05",
        "辐射安全科",
        "辐射安全项目管理情况",
        "《放射性同位素与射线装置安全和防护条例》",
    ),
    (
        "SC-06",
        "土壤与固体废物科",
        "固体废物及危险废物管理情况",
        "《中华人民共和国固体废物污染环境防治法》",
    ),
    (
        "SC-07",
        "土壤与固体废物科",
        "化学品环境管理情况",
        "《新化学物质环境管理登记办法》",
    ),
    (
        "SC-08",
        "生态环境监测站",
        "生态环境监测社会化服务机构及环评单位报告（数据）质量",
        "《中华人民共和国环境影响评价法》第二十条",
    ),
    (
        "SC-09",
        "环评与排污许可科",
        "建设项目环评及批复落实情况",
        "《中华人民共和国环境影响评价法》",
    ),
    (
        "SC-10",
        "环评与排污许可科",
        "建设项目“三同时”制度落实情况",
        "《建设项目环境保护管理条例》第十五条",
    ),
    (
        "SC-11",
        "应急管理科",
        "突发环境事件应急预案备案情况",
        "《突发环境事件应急预案备案管理办法》",
    ),
    (
        "SC-12",
        "应急管理科",
        "环境安全隐患情况",
        "《突发环境事件隐患排查治理办法》",
    ),
];

/// The demo checklist: the seed's twelve contents, ids 1 to 12 in code order.
pub fn checklist_items() -> Vec<ChecklistItem> {
    CHECKLIST
        .iter()
        .zip(1..)
        .map(
            |(&(code, section, content, legal_basis), id)| ChecklistItem {
                id: ChecklistItemId(id),
                code: code.to_owned(),
                section: section.to_owned(),
                content: content.to_owned(),
                legal_basis: legal_basis.to_owned(),
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checklist_has_the_seeds_twelve_contents_with_unique_codes() {
        let items = checklist_items();
        assert_eq!(items.len(), 12);
        let mut codes: Vec<_> = items.iter().map(|item| item.code.as_str()).collect();
        codes.dedup();
        assert_eq!(codes.len(), 12, "codes are sorted and unique");
        assert!(
            items
                .iter()
                .any(|item| item.content == "建设项目“三同时”制度落实情况")
        );
    }
}
