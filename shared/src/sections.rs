//! The bureau's sections (科室) that own checklist items and run draws, with the stable codes
//! the draw engine uses as [`SectionId`](crate::draw::SectionId)s.

/// One section of the bureau.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    /// Stable code, `[a-z0-9_-]`, used in draw specs.
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// The specialty (a `shared::draw::Specialty` code) a team needs for this section's
    /// checklist items, if any.
    pub specialty: Option<&'static str>,
}

/// The sections named in the seed document (三(一)): enforcement, ecology, water, air, soil,
/// solid waste and chemicals, radiation, EIA and permits, monitoring, emergency.
pub const SECTIONS: [Section; 9] = [
    Section {
        code: "enforcement",
        name_zh: "县执法支队",
        name_en: "Enforcement detachment",
        specialty: None,
    },
    Section {
        code: "ecology",
        name_zh: "自然生态科",
        name_en: "Ecology section",
        specialty: Some("ecology"),
    },
    Section {
        code: "water",
        name_zh: "水生态环境科",
        name_en: "Water section",
        specialty: Some("water"),
    },
    Section {
        code: "air",
        name_zh: "大气环境科",
        name_en: "Air section",
        specialty: Some("air"),
    },
    Section {
        code: "soil_waste",
        name_zh: "土壤与固体废物科",
        name_en: "Soil and solid waste section",
        specialty: Some("solid_waste"),
    },
    Section {
        code: "radiation",
        name_zh: "辐射安全科",
        name_en: "Radiation safety section",
        specialty: Some("radiation"),
    },
    Section {
        code: "eia_permit",
        name_zh: "环评与排污许可科",
        name_en: "EIA and permits section",
        specialty: Some("eia"),
    },
    Section {
        code: "monitoring",
        name_zh: "生态环境监测站",
        name_en: "Monitoring station",
        specialty: Some("monitoring"),
    },
    Section {
        code: "emergency",
        name_zh: "应急管理科",
        name_en: "Emergency section",
        specialty: Some("emergency"),
    },
];

/// The section with this Chinese name.
pub fn section_by_name(name_zh: &str) -> Option<Section> {
    SECTIONS
        .into_iter()
        .find(|section| section.name_zh == name_zh.trim())
}

/// The section with this code.
pub fn section_by_code(code: &str) -> Option<Section> {
    SECTIONS.into_iter().find(|section| section.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::SectionId;

    #[test]
    fn codes_are_valid_section_ids_and_names_are_unique() {
        for (i, section) in SECTIONS.iter().enumerate() {
            SectionId::new(section.code).expect("a valid SectionId");
            assert_eq!(section_by_name(section.name_zh), Some(*section));
            assert_eq!(section_by_code(section.code), Some(*section));
            assert!(
                SECTIONS[i + 1..]
                    .iter()
                    .all(|other| other.code != section.code && other.name_zh != section.name_zh)
            );
        }
    }

    #[test]
    fn every_demo_checklist_section_is_a_known_section() {
        for item in crate::demo::checklist_items() {
            assert!(section_by_name(&item.section).is_some(), "{}", item.section);
        }
    }
}
