//! Which app a path belongs to. `static/boot.js` makes the same choice before any wasm runs
//! (`FIELD_PATH` there); a test below keeps the two in step.

/// Whether `path` is one of the field app's pages: sign-in, home, the assignment list and one
/// inspection's record form. Everything else is the office app's.
pub fn is_field_path(path: &str) -> bool {
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    match path {
        "/" | "/sign-in" | "/inspections" => true,
        _ => path
            .strip_prefix("/inspections/")
            .is_some_and(|id| !id.is_empty() && !id.contains('/')),
    }
}

#[cfg(test)]
mod tests {
    use super::is_field_path;

    #[test]
    fn the_field_app_has_sign_in_home_the_list_and_the_form() {
        for path in [
            "/",
            "/sign-in",
            "/inspections",
            "/inspections/",
            "/inspections/12",
        ] {
            assert!(is_field_path(path), "{path}");
        }
        for path in [
            "/checklist",
            "/import",
            "/inspections/12/x",
            "/tasks/3",
            "/statistics",
            "/sign-in/x",
        ] {
            assert!(!is_field_path(path), "{path}");
        }
    }

    #[test]
    fn boot_js_makes_the_same_choice() {
        let boot = include_str!("../static/boot.js");
        assert!(
            boot.contains(r#"const FIELD_PATH = /^\/(sign-in|inspections(\/[^/]+)?)?\/?$/;"#),
            "boot.js's FIELD_PATH differs from routes::is_field_path"
        );
    }
}
