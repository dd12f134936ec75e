//! A deterministic generator of synthetic directories, so that county- and national-scale test
//! vectors and benchmarks are described in a few hundred bytes instead of megabytes of JSON.
//! Specified in `docs/draw-algorithm.md`, appendix A. Not used by real draws.

use serde::{Deserialize, Serialize};

use super::ids::{AlgorithmVersion, Digest32, InspectorId, ObjectId, Specialty};
use super::model::{
    Category, ChecklistRef, DrawInput, DrawSpec, Grade, History, InspectionObject, Inspector,
    ObjectStatus, ObjectTags, RiskFacts,
};
use super::rng::KeyStream;

/// Label of the generator's keystream.
pub const SYNTHETIC_LABEL: &str = "suicha.synthetic.v1";

/// The description of a synthetic draw input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Synthetic {
    pub generator_seed: Digest32,
    pub algorithm_version: AlgorithmVersion,
    pub objects: u32,
    pub inspectors: u32,
    /// At least 1.
    pub regions: u32,
    /// At least 1.
    pub industries: u32,
    /// Specialties `s0`, `s1`, …; at most 64.
    pub specialties: u32,
    pub key_permille: u32,
    pub special_permille: u32,
    pub externally_inspected_permille: u32,
    pub spec: DrawSpec,
    pub checklist: Vec<ChecklistRef>,
}

const CONSTRUCTION: [&str; 3] = ["operating", "building", "idle"];
const DISCHARGE: [&str; 5] = ["water", "air", "solid", "noise", "none"];
const PERMIT: [&str; 3] = ["key", "simplified", "registration"];
const SCALE: [&str; 3] = ["large", "medium", "small"];
const CYCLE: [&str; 3] = ["continuous", "seasonal", "intermittent"];
const MONITORING: [&str; 3] = ["online", "manual", "none"];
const GRADES: [Grade; 5] = [Grade::A, Grade::B, Grade::C, Grade::D, Grade::Unrated];

fn pick<'a>(stream: &mut KeyStream, values: &[&'a str]) -> &'a str {
    values[stream.below(values.len() as u64) as usize]
}

fn grade(stream: &mut KeyStream) -> Grade {
    GRADES[stream.below(5) as usize]
}

impl Synthetic {
    /// Generates the input. Every call with the same description gives the same input.
    pub fn build(&self) -> DrawInput {
        let mut stream = KeyStream::for_purpose(SYNTHETIC_LABEL, &self.generator_seed);
        let regions = u64::from(self.regions.max(1));
        let industries = u64::from(self.industries.max(1));
        let mut objects = Vec::with_capacity(self.objects as usize);
        let mut externally_inspected = Vec::new();
        for number in 1..=i64::from(self.objects) {
            let id = ObjectId::new(number).expect("positive");
            let category_roll = stream.below(1000) as u32;
            let category = if category_roll < self.special_permille {
                Category::Special
            } else if category_roll < self.special_permille + self.key_permille {
                Category::Key
            } else {
                Category::General
            };
            let status = match stream.below(100) {
                0..=2 => ObjectStatus::Suspended,
                3..=4 => ObjectStatus::Closed,
                _ => ObjectStatus::Active,
            };
            let region = format!("r{}", stream.below(regions));
            let industry = format!("i{}", stream.below(industries));
            let tags = ObjectTags {
                region,
                industry,
                construction_status: pick(&mut stream, &CONSTRUCTION).to_owned(),
                discharge_type: pick(&mut stream, &DISCHARGE).to_owned(),
                permit_class: pick(&mut stream, &PERMIT).to_owned(),
                production_scale: pick(&mut stream, &SCALE).to_owned(),
                production_cycle: pick(&mut stream, &CYCLE).to_owned(),
                monitoring_type: pick(&mut stream, &MONITORING).to_owned(),
                weather_grade: grade(&mut stream),
            };
            let risk = RiskFacts {
                violations: stream.below(3) as u32,
                complaints: stream.below(3) as u32,
                credit: grade(&mut stream),
                unstable_permit_compliance: stream.below(10) == 0,
                high_public_concern: stream.below(10) == 0,
            };
            let inspections_this_year = stream.below(3) as u32;
            let last_lead = if self.inspectors > 0 && stream.below(2) == 0 {
                let lead = 1 + stream.below(u64::from(self.inspectors)) as i64;
                Some(InspectorId::new(lead).expect("positive"))
            } else {
                None
            };
            if (stream.below(1000) as u32) < self.externally_inspected_permille {
                externally_inspected.push(id);
            }
            objects.push(InspectionObject {
                id,
                name: format!("o{number}"),
                category,
                status,
                tags,
                risk,
                inspections_this_year,
                last_lead,
            });
        }
        let mut inspectors = Vec::with_capacity(self.inspectors as usize);
        for number in 1..=i64::from(self.inspectors) {
            let region = format!("r{}", stream.below(regions));
            let years_of_service = stream.below(30) as u32;
            let specialties = (0..self.specialties.min(64))
                .filter(|_| stream.below(3) == 0)
                .map(|index| Specialty::new(format!("s{index}")).expect("valid code"))
                .collect();
            let department = format!("d{}", stream.below(4));
            let post = format!("p{}", stream.below(3));
            let enforcement_certificate = stream.below(10) != 0;
            let active = stream.below(20) != 0;
            let inspections_this_year = stream.below(10) as u32;
            let conflicts = if stream.below(4) == 0 && self.objects > 0 {
                let object = 1 + stream.below(u64::from(self.objects)) as i64;
                vec![ObjectId::new(object).expect("positive")]
            } else {
                Vec::new()
            };
            inspectors.push(Inspector {
                id: InspectorId::new(number).expect("positive"),
                name: format!("x{number}"),
                region,
                years_of_service,
                specialties,
                department,
                post,
                enforcement_certificate,
                active,
                inspections_this_year,
                conflicts,
            });
        }
        DrawInput {
            algorithm_version: self.algorithm_version,
            spec: self.spec.clone(),
            objects,
            inspectors,
            checklist: self.checklist.clone(),
            history: History {
                externally_inspected,
            },
        }
    }
}
