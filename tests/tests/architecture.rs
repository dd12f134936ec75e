//! The dependency direction of the workspace, read from the crates' manifests:
//! `frontend` and `worker-api` depend on `shared` and never on each other; `shared` depends on
//! no other crate of ours.

use std::collections::BTreeSet;

fn local_dependencies(crate_dir: &str) -> BTreeSet<String> {
    let path = xtask::repo_root().join(crate_dir).join("Cargo.toml");
    let manifest: toml::Table = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("{}: {err}", path.display()))
        .parse()
        .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    let workspace_path = xtask::repo_root().join("Cargo.toml");
    let workspace: toml::Table = std::fs::read_to_string(workspace_path)
        .unwrap()
        .parse()
        .unwrap();
    let workspace_deps = workspace["workspace"]["dependencies"].as_table().unwrap();
    let is_local = |name: &str, spec: &toml::Value| {
        spec.get("path").is_some()
            || (spec.get("workspace").and_then(toml::Value::as_bool) == Some(true)
                && workspace_deps
                    .get(name)
                    .and_then(|dep| dep.get("path"))
                    .is_some())
    };
    let mut tables: Vec<&toml::Table> = Vec::new();
    for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
        if let Some(table) = manifest.get(key).and_then(toml::Value::as_table) {
            tables.push(table);
        }
    }
    if let Some(targets) = manifest.get("target").and_then(toml::Value::as_table) {
        for target in targets.values() {
            for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
                if let Some(table) = target.get(key).and_then(toml::Value::as_table) {
                    tables.push(table);
                }
            }
        }
    }
    let own_name = manifest["package"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    tables
        .into_iter()
        .flat_map(|table| table.iter())
        .filter(|(name, spec)| is_local(name, spec))
        .map(|(name, spec)| {
            spec.get("package")
                .and_then(toml::Value::as_str)
                .unwrap_or(name)
                .to_owned()
        })
        // A crate may depend on itself with extra features for its own tests.
        .filter(|name| *name != own_name)
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

#[test]
fn shared_depends_on_no_crate_of_ours() {
    assert_eq!(local_dependencies("shared"), set(&[]));
}

#[test]
fn frontend_and_worker_depend_on_shared_and_never_on_each_other() {
    assert_eq!(local_dependencies("frontend"), set(&["suicha-shared"]));
    assert_eq!(local_dependencies("worker-api"), set(&["suicha-shared"]));
}

#[test]
fn the_cli_depends_only_on_shared() {
    assert_eq!(local_dependencies("cli"), set(&["suicha-shared"]));
}

#[test]
fn the_checker_sees_a_local_dependency() {
    // The rule above would pass vacuously if the reader missed path dependencies.
    assert!(local_dependencies("tests").contains("xtask"));
    assert!(local_dependencies("tests").contains("suicha-shared"));
}

// ---------------------------------------------------------------------------------------------
// The worker's layers (ARCHITECTURE.md, "worker-api"): SQL only in `db/`, handlers never import
// another handler, one bind helper. Read from the source files.

/// Handler files whose SQL has not moved to `worker-api/src/db/` yet (a path under
/// `worker-api/src/` or its prefix). Temporary: the branch that moves them empties this list.
const NOT_YET_MOVED: &[&str] = &[];

/// What marks a string literal as SQL.
const SQL_KEYWORDS: &[&str] = &["SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM"];

/// Every `.rs` file under `worker-api/src`, as (path relative to it with `/`, text).
fn worker_sources() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((relative, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let root = xtask::repo_root().join("worker-api").join("src");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out
}

fn not_yet_moved(path: &str) -> bool {
    NOT_YET_MOVED.iter().any(|prefix| path.starts_with(prefix))
}

/// The string literals of Rust source (plain, byte and raw strings), without comments and
/// character literals. Enough of a lexer for this check, not a Rust parser.
fn string_literals(source: &str) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut literals = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            let mut hashes = 0;
            let mut j = i + 1;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                i += 1;
                continue;
            }
            j += 1;
            let start = j;
            let closing: String = std::iter::once('"')
                .chain("#".repeat(hashes).chars())
                .collect();
            let rest: String = chars[start..].iter().collect();
            let end = rest.find(&closing).map_or(rest.len(), |end| end);
            literals.push(rest[..end].to_owned());
            i = start + rest[..end].chars().count() + closing.chars().count();
        } else if c == '"' {
            let mut text = String::new();
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                    // A line continuation: the next line's indentation is not part of the text.
                    if chars.get(i) == Some(&'\n') {
                        while chars.get(i + 1).is_some_and(|c| c.is_whitespace()) {
                            i += 1;
                        }
                    } else if let Some(&escaped) = chars.get(i) {
                        text.push(escaped);
                    }
                } else {
                    text.push(chars[i]);
                }
                i += 1;
            }
            literals.push(text);
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\'') or a lifetime ('a): skip a literal whole.
            if next == Some('\\') {
                i += 3;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    literals
}

fn sql_in(source: &str) -> Vec<String> {
    string_literals(source)
        .into_iter()
        .filter(|literal| SQL_KEYWORDS.iter().any(|keyword| literal.contains(keyword)))
        .collect()
}

#[test]
fn no_sql_text_outside_the_worker_db_module() {
    let mut found = Vec::new();
    for (path, source) in worker_sources() {
        if path.starts_with("db/") || not_yet_moved(&path) {
            continue;
        }
        for literal in sql_in(&source) {
            found.push(format!(
                "{path}: {}",
                literal.lines().next().unwrap_or_default()
            ));
        }
    }
    assert!(
        found.is_empty(),
        "SQL belongs in worker-api/src/db/:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_sql_check_sees_sql() {
    // The rule above would pass vacuously if the lexer missed literals.
    let sources = worker_sources();
    let checklist = sources
        .iter()
        .find(|(path, _)| path == "db/checklist.rs")
        .expect("worker-api/src/db/checklist.rs");
    assert_eq!(sql_in(&checklist.1).len(), 1, "the one checklist query");
    let sample = "// SELECT in a comment\nlet c = '\"'; let s = \"UPDATE t \\\n    SET a = 1\"; \
        let r = r#\"DELETE FROM \"t\"\"#; let l: &'static str = \"no\";";
    assert_eq!(
        sql_in(sample),
        vec![
            "UPDATE t SET a = 1".to_owned(),
            "DELETE FROM \"t\"".to_owned()
        ]
    );
}

#[test]
fn handlers_never_import_another_handler() {
    let handlers: Vec<(String, String)> = worker_sources()
        .into_iter()
        .filter(|(path, _)| path.starts_with("handlers/") && path != "handlers/mod.rs")
        .collect();
    assert!(handlers.len() > 5, "the handler files are found");
    let names: Vec<String> = handlers
        .iter()
        .map(|(path, _)| {
            path.trim_start_matches("handlers/")
                .trim_end_matches(".rs")
                .split('/')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    let mut found = Vec::new();
    for ((path, source), own) in handlers.iter().zip(&names) {
        if not_yet_moved(path) {
            continue;
        }
        // A handler split into a folder (`handlers/portal/`) may use its own parts.
        let in_own_folder = path.matches('/').count() > 1;
        for (number, line) in source.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            // `use super::*` in a file's own `mod tests` is that file, not another handler.
            let top_level_super = !in_own_folder
                && (code.starts_with("use super::") || code.starts_with("pub use super::"));
            let names_a_handler = names.iter().filter(|name| *name != own).any(|name| {
                code.contains(&format!("super::{name}::"))
                    || code.contains(&format!("super::{name};"))
                    || code.contains(&format!("super::{{{name}"))
            });
            let other_handler = code.contains("crate::handlers")
                && !code.contains(&format!("crate::handlers::{own}::"));
            if other_handler || top_level_super || names_a_handler {
                found.push(format!("{path}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "handlers share code through ctx, db, audit or error, never another handler:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_worker_has_one_bind_helper_and_queries_only_in_db() {
    let mut found = Vec::new();
    for (path, source) in worker_sources() {
        if path.starts_with("db/") || not_yet_moved(&path) {
            continue;
        }
        for (number, line) in source.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if ["fn bind(", "query!(", ".prepare("]
                .iter()
                .any(|needle| code.contains(needle))
            {
                found.push(format!("{path}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "statements are prepared in worker-api/src/db/ only:\n{}",
        found.join("\n")
    );
    let binds = worker_sources()
        .into_iter()
        .filter(|(_, source)| source.contains("fn bind("))
        .map(|(path, _)| path)
        .collect::<Vec<_>>();
    assert_eq!(binds, vec!["db/mod.rs".to_owned()], "one bind helper");
}
