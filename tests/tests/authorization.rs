//! The authorization matrix: every API route, called as each demo role and anonymously against
//! a real `wrangler dev` + D1, is allowed or refused exactly as `shared::authz` (and so
//! `docs/authorization.md`) says.

use serde_json::json;
use shared::api::RouteInfo;
use shared::authz::{Role, allowed};
use suicha_tests::{Client, Reply};

fn routes() -> Vec<RouteInfo> {
    let reply = Client::anonymous().get("/api/meta/routes");
    assert_eq!(reply.status, 200, "{}", reply.body);
    serde_json::from_str(&reply.body).expect("a route list")
}

/// A concrete path for a route pattern: `:id` becomes 1 (the first demo account).
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|part| if part.starts_with(':') { "1" } else { part })
        .collect::<Vec<_>>()
        .join("/")
}

fn call(client: &Client, route: &RouteInfo) -> Reply {
    let path = concrete(&route.path);
    match route.method.as_str() {
        // An empty object: allowed callers get a validation error, never a change.
        "POST" | "PUT" => client.request(&route.method, &path, Some(&json!({}))),
        method => client.request(method, &path, None),
    }
}

fn check_route(caller: Option<Role>, client: &Client, route: &RouteInfo) {
    let reply = call(client, route);
    let who = caller.map(Role::code).unwrap_or("anonymous");
    if allowed(caller, route.action) {
        assert!(
            reply.status != 401 && reply.status != 403 && reply.status < 500,
            "{who} may {} {} ({:?}) but got {}: {}",
            route.method,
            route.path,
            route.action,
            reply.status,
            reply.body
        );
    } else {
        let (status, code) = if caller.is_none() {
            (401, "sign_in_required")
        } else {
            (403, "forbidden")
        };
        assert_eq!(
            reply.status, status,
            "{who} {} {}: {}",
            route.method, route.path, reply.body
        );
        assert_eq!(
            reply.json()["error"],
            code,
            "{who} {} {}",
            route.method,
            route.path
        );
    }
}

#[test]
fn every_route_as_every_role_and_anonymously() {
    let routes = routes();
    assert!(
        routes.len() >= 10,
        "the route list looks truncated: {routes:?}"
    );
    // Signing out ends the session, so it goes last for each caller.
    let (sign_out, others): (Vec<RouteInfo>, Vec<RouteInfo>) = routes
        .into_iter()
        .partition(|route| route.method == "DELETE" && route.path == "/api/session");
    let callers = std::iter::once(None).chain(Role::ALL.into_iter().map(Some));
    for caller in callers {
        let client = match caller {
            Some(role) => Client::demo(role),
            None => Client::anonymous(),
        };
        for route in others.iter().chain(&sign_out) {
            check_route(caller, &client, route);
        }
    }
}

#[test]
fn every_action_is_used_by_a_route_and_every_route_is_documented() {
    let routes = routes();
    for action in shared::authz::Action::ALL {
        assert!(
            routes.iter().any(|route| route.action == action),
            "no route performs {action:?}"
        );
    }
    let api_doc =
        std::fs::read_to_string(xtask::repo_root().join("docs/api.md")).expect("docs/api.md");
    for route in &routes {
        let line = format!("`{} {}`", route.method, route.path);
        assert!(
            api_doc.contains(&line),
            "docs/api.md does not document {line}"
        );
    }
}
