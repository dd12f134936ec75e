//! `suicha draw`, `suicha verify` and `suicha gen-vectors`.

use std::fs;
use std::path::Path;

use serde::de::DeserializeOwned;
use shared::checklist::ChecklistItemId;
use shared::draw::rng::KeyStream;
use shared::draw::synthetic::Synthetic;
use shared::draw::vectors::{CaseInput, VECTOR_FORMAT, VectorCase, VectorFile, make_case};
use shared::draw::{
    AlgorithmVersion, Category, ChecklistRef, Digest32, DrawBundle, DrawInput, DrawSpec, ObjectId,
    ObjectStatus, Period, RiskWeights, SealedInput, SectionId, SectionSpec, SeedParts, Specialty,
    Stratum, StratumName, StratumSize, TagFilter, TagKind, TeamRules, VerifyError, verify_bundle,
};

/// `suicha draw REQUEST.json`: an input with its seed parts.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DrawRequest {
    input: DrawInput,
    seed_parts: SeedParts,
}

const DRAW_USAGE: &str = "usage: suicha draw REQUEST.json [--bundle]            (REQUEST = {\"input\", \"seed_parts\"})
       suicha draw INPUT.json (--server-entropy HEX [--witness DIGITS] | --preview-entropy HEX) [--bundle]";

/// Reads a JSON file; errors name the file and the JSON path of the problem.
pub(crate) fn read_json<T: DeserializeOwned>(path: &str) -> Result<T, String> {
    let text = read_json_text(path)?;
    let deserializer = &mut serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let at = error.path().to_string();
        format!("{path}: at JSON path {at}: {}", error.inner())
    })
}

/// A file's text, refused with the reason when it is not one JSON value: a byte-order mark,
/// invalid UTF-8, a lone surrogate escape, trailing text or any other syntax error.
fn read_json_text(path: &str) -> Result<String, String> {
    let bytes = fs::read(path).map_err(|error| format!("{path}: {error}"))?;
    if bytes.starts_with("\u{feff}".as_bytes()) {
        return Err(format!(
            "{path}: starts with a byte-order mark (U+FEFF); JSON input must be UTF-8 without one"
        ));
    }
    let text = String::from_utf8(bytes).map_err(|error| {
        format!(
            "{path}: not UTF-8 (byte {})",
            error.utf8_error().valid_up_to()
        )
    })?;
    serde_json::from_str::<serde_json::Value>(&text)
        .map_err(|error| format!("{path}: not valid JSON: {error}"))?;
    Ok(text)
}

fn flag_value<'a>(args: &'a [String], flag: &str) -> Result<Option<&'a str>, String> {
    match args.iter().position(|arg| arg == flag) {
        None => Ok(None),
        Some(position) => args
            .get(position + 1)
            .map(|value| Some(value.as_str()))
            .ok_or_else(|| format!("{flag} needs a value\n{DRAW_USAGE}")),
    }
}

/// `suicha draw INPUT.json ...`: prints the result (or the whole bundle) as JSON.
pub(crate) fn run_draw(args: &[String]) -> Result<(), String> {
    let path = args
        .first()
        .filter(|arg| !arg.starts_with("--"))
        .ok_or(DRAW_USAGE)?;
    let mut position = 1;
    while position < args.len() {
        match args[position].as_str() {
            "--server-entropy" | "--witness" | "--preview-entropy" => position += 2,
            "--bundle" => position += 1,
            other => return Err(format!("unknown argument {other}\n{DRAW_USAGE}")),
        }
    }
    let hex = |text: &str| Digest32::from_hex(text).map_err(|error| error.to_string());
    let flagged = match (
        flag_value(args, "--server-entropy")?,
        flag_value(args, "--preview-entropy")?,
    ) {
        (Some(server), None) => Some(SeedParts::Commit {
            server_entropy: hex(server)?,
            witness: flag_value(args, "--witness")?.map(str::to_owned),
        }),
        (None, Some(preview)) => Some(SeedParts::Preview {
            preview_entropy: hex(preview)?,
        }),
        (None, None) => None,
        (Some(_), Some(_)) => {
            return Err(format!(
                "give only one of --server-entropy and --preview-entropy\n{DRAW_USAGE}"
            ));
        }
    };
    // INPUT.json is either a draw request {"input", "seed_parts"} or a bare DrawInput whose
    // seed parts come from the flags.
    let is_request = serde_json::from_str::<serde_json::Value>(&read_json_text(path)?)
        .map_err(|error| format!("{path}: not valid JSON: {error}"))?
        .get("seed_parts")
        .is_some();
    let (input, seed_parts) = match (is_request, flagged) {
        (true, None) => {
            let request: DrawRequest = read_json(path)?;
            (request.input, request.seed_parts)
        }
        (true, Some(_)) => {
            return Err(format!(
                "{path} already has seed_parts; drop the entropy flags"
            ));
        }
        (false, Some(parts)) => (read_json::<DrawInput>(path)?, parts),
        (false, None) => {
            return Err(format!(
                "{path} is a bare input: give --server-entropy or --preview-entropy\n{DRAW_USAGE}"
            ));
        }
    };
    let sealed =
        SealedInput::seal(&input).map_err(|error| format!("{path}: invalid input: {error}"))?;
    let result = sealed
        .draw_with(&seed_parts)
        .map_err(|error| error.to_string())?;
    let json = if args.iter().any(|arg| arg == "--bundle") {
        serde_json::to_string_pretty(&DrawBundle {
            input,
            seed_parts,
            result,
        })
    } else {
        serde_json::to_string_pretty(&result)
    }
    .map_err(|error| error.to_string())?;
    println!("{json}");
    Ok(())
}

/// `suicha verify BUNDLE.json`: prints `MATCH` or the first differing field.
pub(crate) fn run_verify(args: &[String]) -> Result<(), String> {
    let [path] = args else {
        return Err("usage: suicha verify BUNDLE.json".to_owned());
    };
    let bundle: DrawBundle = read_json(path)?;
    match verify_bundle(&bundle) {
        Ok(result) => {
            println!("MATCH");
            println!("algorithm_version {}", result.algorithm_version);
            println!("sealed_input_hash {}", result.sealed_input_hash);
            println!("seed {}", result.seed);
            println!("result_hash {}", result.result_hash);
            println!("inspections {}", result.inspections.len());
            Ok(())
        }
        Err(VerifyError::Mismatch {
            field,
            bundle,
            recomputed,
        }) => {
            println!("MISMATCH {field}");
            println!("  bundle:     {bundle}");
            println!("  recomputed: {recomputed}");
            Err(format!(
                "the bundle does not match the recomputed draw at {field}"
            ))
        }
        Err(error @ VerifyError::InvalidInput(_)) => Err(format!("{path}: {error}")),
    }
}

/// `suicha gen-vectors DIR`: writes the known-answer vector files.
pub(crate) fn run_gen_vectors(args: &[String]) -> Result<(), String> {
    let [dir] = args else {
        return Err("usage: suicha gen-vectors DIR".to_owned());
    };
    let dir = Path::new(dir);
    fs::create_dir_all(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    let files = [
        ("edge.json", edge_cases()?),
        ("small.json", small_cases()?),
        ("synthetic.json", synthetic_cases()?),
    ];
    let mut total = 0;
    for (name, cases) in files {
        total += cases.len();
        let path = dir.join(name);
        fs::write(&path, vector_file_json(cases)?)
            .map_err(|error| format!("{}: {error}", path.display()))?;
        println!("wrote {}", path.display());
    }
    println!("{total} cases");
    Ok(())
}

/// One case per line, so that regenerated vectors diff readably.
fn vector_file_json(cases: Vec<VectorCase>) -> Result<String, String> {
    let file = VectorFile {
        format: VECTOR_FORMAT.to_owned(),
        cases,
    };
    let mut out = format!(
        "{{\"format\":{},\"cases\":[\n",
        serde_json::to_string(&file.format).map_err(|e| e.to_string())?
    );
    for (index, case) in file.cases.iter().enumerate() {
        out.push_str(&serde_json::to_string(case).map_err(|e| e.to_string())?);
        out.push_str(if index + 1 < file.cases.len() {
            ",\n"
        } else {
            "\n"
        });
    }
    out.push_str("]}\n");
    Ok(out)
}

// ----- building blocks of the vector cases -----

fn section_id(code: &str) -> SectionId {
    SectionId::new(code).expect("valid section code")
}

fn specialty(code: &str) -> Specialty {
    Specialty::new(code).expect("valid specialty code")
}

fn stratum(name: &str, categories: &[Category], size: StratumSize) -> Stratum {
    Stratum {
        name: StratumName::new(name).expect("valid stratum name"),
        categories: categories.to_vec(),
        size,
    }
}

/// The checklist every generated case uses: two items per section, some needing a specialty,
/// one applying only to objects discharging to water.
fn checklist() -> Vec<ChecklistRef> {
    let item =
        |id: i64, section: &str, need: Option<&str>, applies_to: Vec<TagFilter>| ChecklistRef {
            id: ChecklistItemId(id),
            section: section_id(section),
            content: format!("item {id}"),
            legal_basis: "环境保护法".to_owned(),
            required_specialty: need.map(specialty),
            applies_to,
        };
    vec![
        item(1, "daily", None, Vec::new()),
        item(2, "daily", Some("s0"), Vec::new()),
        item(
            3,
            "water",
            Some("s1"),
            vec![TagFilter {
                tag: TagKind::DischargeType,
                values: vec!["water".to_owned()],
            }],
        ),
        item(4, "water", None, Vec::new()),
        item(5, "air", Some("s2"), Vec::new()),
        item(6, "air", Some("s3"), Vec::new()),
    ]
}

fn daily_section(strata: Vec<Stratum>, annual_guarantee: bool) -> SectionSpec {
    SectionSpec {
        section: section_id("daily"),
        filters: Vec::new(),
        strata,
        items: vec![ChecklistItemId(1), ChecklistItemId(2)],
        annual_guarantee,
    }
}

fn three_strata(general: StratumSize, key: StratumSize, special: StratumSize) -> Vec<Stratum> {
    vec![
        stratum("general", &[Category::General], general),
        stratum("key", &[Category::Key], key),
        stratum("special", &[Category::Special], special),
    ]
}

fn targeted_section(code: &str, filters: Vec<TagFilter>, size: StratumSize) -> SectionSpec {
    let items = match code {
        "water" => vec![ChecklistItemId(3), ChecklistItemId(4)],
        _ => vec![ChecklistItemId(5), ChecklistItemId(6)],
    };
    SectionSpec {
        section: section_id(code),
        filters,
        strata: vec![stratum(
            "all",
            &[Category::General, Category::Key, Category::Special],
            size,
        )],
        items,
        annual_guarantee: false,
    }
}

fn team_rules(team_size: u32, exclude_same_region: bool, rotate_lead: bool, cap: u32) -> TeamRules {
    TeamRules::new(
        team_size,
        team_size + 1,
        exclude_same_region,
        rotate_lead,
        cap,
    )
    .expect("valid team rules")
}

fn spec(quarter: u8, sections: Vec<SectionSpec>) -> DrawSpec {
    DrawSpec {
        period: Period::new(2024, quarter).expect("valid period"),
        sections,
        risk_weights: RiskWeights::recommended(),
        yearly_cap: Some(4),
        team_rules: team_rules(2, false, true, 3),
    }
}

fn digest_of(label: &str, index: u64) -> Digest32 {
    let mut stream = KeyStream::for_purpose(label, &Digest32([0; 32]));
    for _ in 0..index {
        stream.next_u64();
    }
    let mut out = [0u8; 32];
    for chunk in out.chunks_exact_mut(8) {
        chunk.copy_from_slice(&stream.next_u64().to_le_bytes());
    }
    Digest32(out)
}

fn synthetic(label: &str, index: u64, objects: u32, inspectors: u32, spec: DrawSpec) -> Synthetic {
    Synthetic {
        generator_seed: digest_of(label, index),
        algorithm_version: AlgorithmVersion::V1,
        objects,
        inspectors,
        regions: 3,
        industries: 4,
        specialties: 4,
        key_permille: 150,
        special_permille: 50,
        externally_inspected_permille: 20,
        spec,
        checklist: checklist(),
    }
}

fn commit(index: u64) -> SeedParts {
    SeedParts::Commit {
        server_entropy: digest_of("suicha.vectors.entropy", index),
        witness: None,
    }
}

fn inline(input: DrawInput) -> CaseInput {
    CaseInput::Inline(Box::new(input))
}

/// Hand-made edge cases: empty directory, k = 0, k = n, k > n, equal weights, an empty stratum,
/// every inspector conflicted, and one case per team rule and exclusion.
fn edge_cases() -> Result<Vec<VectorCase>, String> {
    let count = StratumSize::Count;
    let base = |objects: u32, inspectors: u32, spec: DrawSpec| {
        synthetic("suicha.vectors.edge", 0, objects, inspectors, spec).build()
    };
    let daily = |g: u32, k: u32, s: u32| {
        spec(
            2,
            vec![daily_section(
                three_strata(count(g), count(k), count(s)),
                false,
            )],
        )
    };
    let mut cases = Vec::new();
    let mut push = |name: &str, input: DrawInput, parts: SeedParts| -> Result<(), String> {
        cases.push(make_case(name, inline(input), parts)?);
        Ok(())
    };
    push("edge/n0", base(0, 4, daily(3, 1, 1)), commit(0))?;
    push("edge/k0", base(10, 4, daily(0, 0, 0)), commit(1))?;
    push("edge/k-equals-n", base(10, 6, daily(10, 10, 10)), commit(2))?;
    push(
        "edge/k-greater-than-n",
        base(10, 6, daily(50, 50, 50)),
        commit(3),
    )?;
    let mut uniform = daily(3, 1, 1);
    uniform.risk_weights = RiskWeights::uniform();
    push("edge/all-weights-equal", base(12, 6, uniform), commit(4))?;
    let mut no_special = base(12, 6, daily(2, 1, 1));
    for object in &mut no_special.objects {
        if object.category == Category::Special {
            object.category = Category::Key;
        }
    }
    push("edge/one-stratum-empty", no_special, commit(5))?;
    let mut conflicted = base(8, 5, daily(2, 1, 1));
    let all: Vec<ObjectId> = conflicted.objects.iter().map(|object| object.id).collect();
    for inspector in &mut conflicted.inspectors {
        inspector.conflicts = all.clone();
    }
    push("edge/all-inspectors-conflicted", conflicted, commit(6))?;
    push("edge/no-inspectors", base(8, 0, daily(2, 1, 1)), commit(7))?;
    let mut inactive = base(8, 5, daily(2, 1, 1));
    for inspector in &mut inactive.inspectors {
        inspector.active = false;
    }
    push("edge/all-inspectors-inactive", inactive, commit(8))?;
    let mut uncertified = base(8, 5, daily(2, 1, 1));
    for inspector in &mut uncertified.inspectors {
        inspector.enforcement_certificate = false;
    }
    push("edge/no-enforcement-certificate", uncertified, commit(9))?;
    let mut rotation = base(6, 3, daily(6, 6, 6));
    for (index, inspector) in rotation.inspectors.iter_mut().enumerate() {
        inspector.active = true;
        inspector.conflicts.clear();
        inspector.enforcement_certificate = index == 0;
    }
    let only_lead = rotation.inspectors[0].id;
    for object in &mut rotation.objects {
        object.last_lead = Some(only_lead);
    }
    push("edge/lead-rotation-infeasible", rotation, commit(10))?;
    let mut same_region = base(8, 4, daily(3, 2, 2));
    same_region.spec.team_rules = team_rules(2, true, false, 5);
    for inspector in &mut same_region.inspectors {
        inspector.region = "r0".to_owned();
    }
    push("edge/same-region-excluded", same_region, commit(11))?;
    let mut capped = base(20, 4, daily(20, 20, 20));
    capped.spec.team_rules = team_rules(2, false, false, 1);
    push("edge/per-draw-cap-exhausted", capped, commit(12))?;
    let mut uncovered = base(10, 5, daily(3, 2, 2));
    for inspector in &mut uncovered.inspectors {
        inspector.specialties.clear();
    }
    push("edge/specialty-uncovered", uncovered, commit(13))?;
    let joint = spec(
        3,
        vec![
            daily_section(three_strata(count(4), count(2), count(1)), true),
            targeted_section(
                "water",
                vec![TagFilter {
                    tag: TagKind::DischargeType,
                    values: vec!["water".into(), "solid".into()],
                }],
                count(3),
            ),
            targeted_section(
                "air",
                vec![TagFilter {
                    tag: TagKind::Region,
                    values: vec!["r1".into()],
                }],
                StratumSize::RatioBp(5000),
            ),
        ],
    );
    push("edge/joint-three-sections", base(30, 8, joint), commit(14))?;
    for quarter in 1..=4u8 {
        let guarantee = spec(
            quarter,
            vec![daily_section(
                vec![stratum("general", &[Category::General], count(1))],
                true,
            )],
        );
        let mut input = base(40, 8, guarantee);
        input
            .objects
            .iter_mut()
            .for_each(|object| object.inspections_this_year = 0);
        push(
            &format!("edge/annual-guarantee-q{quarter}"),
            input,
            commit(20 + u64::from(quarter)),
        )?;
    }
    let mut excluded = base(12, 5, daily(12, 12, 12));
    excluded.history.externally_inspected = excluded
        .objects
        .iter()
        .take(4)
        .map(|object| object.id)
        .collect();
    excluded.objects[5].status = ObjectStatus::Suspended;
    excluded.objects[6].status = ObjectStatus::Closed;
    excluded.objects[7].inspections_this_year = 9;
    push("edge/exclusions", excluded, commit(30))?;
    push(
        "edge/ratio-rounds-up",
        base(
            33,
            6,
            spec(
                1,
                vec![daily_section(
                    three_strata(
                        StratumSize::RatioBp(1),
                        StratumSize::RatioBp(3333),
                        StratumSize::RatioBp(10000),
                    ),
                    false,
                )],
            ),
        ),
        commit(31),
    )?;
    push(
        "edge/witness-digits",
        base(12, 5, daily(3, 1, 1)),
        SeedParts::Commit {
            server_entropy: digest_of("suicha.vectors.entropy", 32),
            witness: Some("6152433".to_owned()),
        },
    )?;
    push(
        "edge/preview-seed",
        base(12, 5, daily(3, 1, 1)),
        SeedParts::Preview {
            preview_entropy: digest_of("suicha.vectors.entropy", 33),
        },
    )?;
    let mut no_strata = spec(4, vec![daily_section(Vec::new(), true)]);
    no_strata.yearly_cap = None;
    push(
        "edge/only-guarantee-unstratified",
        base(25, 6, no_strata),
        commit(34),
    )?;
    let mut single = base(1, 2, daily(1, 1, 1));
    single.objects[0].category = Category::General;
    single.objects[0].status = ObjectStatus::Active;
    single.history.externally_inspected.clear();
    push("edge/n1", single, commit(35))?;
    let mut big_team = base(6, 12, daily(2, 2, 2));
    big_team.spec.team_rules = TeamRules::new(3, 6, false, false, 2).map_err(|e| e.to_string())?;
    push("edge/team-grows-for-specialties", big_team, commit(36))?;
    Ok(cases)
}

/// A random spec for case `stream`'s draw.
fn random_spec(stream: &mut KeyStream) -> DrawSpec {
    let quarter = 1 + stream.below(4) as u8;
    let size = |stream: &mut KeyStream| {
        if stream.below(2) == 0 {
            StratumSize::Count(stream.below(6) as u32)
        } else {
            StratumSize::RatioBp(stream.below(10_001) as u32)
        }
    };
    let mut sections = Vec::new();
    let strata = match stream.below(3) {
        0 => three_strata(size(stream), size(stream), size(stream)),
        1 => vec![stratum(
            "all",
            &[Category::General, Category::Key, Category::Special],
            size(stream),
        )],
        _ => vec![stratum("general", &[Category::General], size(stream))],
    };
    sections.push(daily_section(strata, stream.below(2) == 0));
    if stream.below(2) == 0 {
        let values = vec!["water".to_owned(), "solid".to_owned()];
        sections.push(targeted_section(
            "water",
            vec![TagFilter {
                tag: TagKind::DischargeType,
                values,
            }],
            size(stream),
        ));
    }
    if stream.below(3) == 0 {
        let values = vec![format!("r{}", stream.below(3))];
        sections.push(targeted_section(
            "air",
            vec![TagFilter {
                tag: TagKind::Region,
                values,
            }],
            size(stream),
        ));
    }
    let team_size = 2 + stream.below(2) as u32;
    DrawSpec {
        period: Period::new(2024, quarter).expect("valid period"),
        sections,
        risk_weights: if stream.below(3) == 0 {
            RiskWeights::uniform()
        } else {
            RiskWeights::recommended()
        },
        yearly_cap: if stream.below(2) == 0 {
            Some(1 + stream.below(3) as u32)
        } else {
            None
        },
        team_rules: TeamRules::new(
            team_size,
            team_size + stream.below(3) as u32,
            stream.below(4) == 0,
            stream.below(2) == 0,
            1 + stream.below(4) as u32,
        )
        .expect("valid team rules"),
    }
}

fn random_seed_parts(stream: &mut KeyStream, index: u64) -> SeedParts {
    match stream.below(5) {
        0 => SeedParts::Preview {
            preview_entropy: digest_of("suicha.vectors.preview", index),
        },
        1 => SeedParts::Commit {
            server_entropy: digest_of("suicha.vectors.entropy", 1000 + index),
            witness: Some(
                (0..1 + stream.below(12))
                    .map(|_| char::from(b'1' + stream.below(6) as u8))
                    .collect(),
            ),
        },
        _ => commit(1000 + index),
    }
}

/// Small random cases stored inline (each input is self-contained JSON).
fn small_cases() -> Result<Vec<VectorCase>, String> {
    let mut cases = Vec::new();
    for index in 0..320u64 {
        let mut stream = KeyStream::for_purpose(
            "suicha.vectors.small",
            &digest_of("suicha.vectors.small", index),
        );
        let spec = random_spec(&mut stream);
        let objects = stream.below(13) as u32;
        let inspectors = stream.below(7) as u32;
        let mut description = synthetic(
            "suicha.vectors.small-input",
            index,
            objects,
            inspectors,
            spec,
        );
        description.externally_inspected_permille = 100;
        let mut input = description.build();
        // Shuffle the lists so that the vectors also prove order independence.
        input.objects.reverse();
        input.inspectors.reverse();
        let parts = random_seed_parts(&mut stream, index);
        cases.push(make_case(
            &format!("small/{index:03}"),
            inline(input),
            parts,
        )?);
    }
    Ok(cases)
}

/// Cases described by the synthetic generator, from tiny to county scale.
fn synthetic_cases() -> Result<Vec<VectorCase>, String> {
    let mut cases = Vec::new();
    for index in 0..700u64 {
        let mut stream = KeyStream::for_purpose(
            "suicha.vectors.synthetic",
            &digest_of("suicha.vectors.synthetic", index),
        );
        let spec = random_spec(&mut stream);
        let county = index % 100 == 99;
        let (objects, inspectors) = if county {
            (5000, 150)
        } else {
            (stream.below(400) as u32, stream.below(40) as u32)
        };
        let mut description = synthetic(
            "suicha.vectors.synthetic-input",
            index,
            objects,
            inspectors,
            spec,
        );
        description.regions = 1 + stream.below(30) as u32;
        description.industries = 1 + stream.below(20) as u32;
        description.key_permille = stream.below(300) as u32;
        description.special_permille = stream.below(100) as u32;
        let parts = random_seed_parts(&mut stream, 5000 + index);
        let name = if county {
            format!("county/{index:03}")
        } else {
            format!("synthetic/{index:03}")
        };
        cases.push(make_case(
            &name,
            CaseInput::Synthetic(Box::new(description)),
            parts,
        )?);
    }
    Ok(cases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_edge_cases_build() {
        let cases = edge_cases().unwrap();
        assert!(cases.len() >= 25);
    }
}
