//! The API against a real `wrangler dev` with a fresh local D1.

use serde_json::json;
use shared::api::ChecklistResponse;
use suicha_tests::{get, get_with};

#[test]
fn health_answers_without_touching_the_database() {
    let reply = get("/api/health");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({"status": "ok", "version": "0.1.0"}));
}

#[test]
fn the_checklist_comes_from_d1_with_the_seeds_twelve_contents() {
    let reply = get("/api/checklist");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply
            .header("content-type")
            .unwrap_or_default()
            .starts_with("application/json")
    );
    let checklist: ChecklistResponse =
        serde_json::from_str(&reply.body).expect("the documented shape");
    assert_eq!(
        checklist.items,
        shared::demo::checklist_items(),
        "exactly the demo rows, in code order"
    );
}

#[test]
fn an_unknown_api_route_is_the_json_error_shape() {
    let reply = get("/api/no-such-thing");
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.json(),
        json!({"error": "not_found", "message": "没有这个接口 / no such API route: /api/no-such-thing"})
    );
}

#[test]
fn an_api_navigation_reaches_the_worker_not_the_spa() {
    // Browsers navigate with Sec-Fetch-Mode: navigate; the SPA fallback must not swallow /api.
    let reply = get_with(
        "/api/no-such-thing",
        &[("sec-fetch-mode", "navigate"), ("accept", "text/html")],
    );
    assert_eq!(reply.status, 404);
    assert_eq!(reply.json()["error"], "not_found");
}

#[test]
fn every_response_carries_the_security_headers() {
    for path in [
        "/api/health",
        "/api/no-such-thing",
        "/",
        "/checklist",
        "/field.js",
        "/office.js",
        "/sw.js",
    ] {
        let reply = get_with(path, &[("sec-fetch-mode", "navigate")]);
        let csp = reply
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(
            csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{path}");
    }
}

#[test]
fn client_routes_fall_back_to_the_app_shell() {
    let reply = get_with(
        "/checklist",
        &[("sec-fetch-mode", "navigate"), ("accept", "text/html")],
    );
    assert_eq!(reply.status, 200);
    assert!(
        reply
            .body
            .contains(r#"<script type="module" src="/boot.js?v="#),
        "{}",
        reply.body
    );
}
