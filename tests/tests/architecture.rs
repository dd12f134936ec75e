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
