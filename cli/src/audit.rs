//! `suicha audit verify EXPORT.json`: checks the hash chain of an audit log exported with
//! `GET /api/audit/export`, offline, with the same code the worker uses.

use shared::audit::{AuditEntry, verify_chain};

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let [command, path] = args else {
        return Err("usage: suicha audit verify EXPORT.json".to_owned());
    };
    if command != "verify" {
        return Err(format!(
            "unknown audit command {command:?}; usage: suicha audit verify EXPORT.json"
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|err| format!("{path}: {err}"))?;
    let entries = parse(&text).map_err(|err| format!("{path}: {err}"))?;
    match verify_chain(&entries) {
        Ok(()) => {
            println!("OK: {} entries, chain intact", entries.len());
            Ok(())
        }
        Err(broken) => Err(format!("{broken}")),
    }
}

fn parse(text: &str) -> Result<Vec<AuditEntry>, String> {
    let deserializer = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(deserializer)
        .map_err(|err| format!("at {}: {}", err.path(), err.inner()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_export_names_the_json_path() {
        let err = parse(r#"[{"seq": "one"}]"#).unwrap_err();
        assert!(err.starts_with("at [0].seq:"), "{err}");
    }
}
