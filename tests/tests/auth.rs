//! Sign-in, sessions, CSRF, accounts and the audit trail against a real `wrangler dev` + D1.

use serde_json::{Value, json};
use shared::authz::Role;
use shared::demo_accounts::DEMO_PASSWORD;
use suicha_tests::Client;

/// A throw-away account made by the demo admin, so tests that lock or change it touch nobody
/// else's.
fn new_account(username: &str, role: &str, section: Value) -> Value {
    let admin = Client::demo(Role::Admin);
    let reply = admin.post(
        "/api/accounts",
        &json!({"username": username, "display_name": "测试用户", "role": role, "section": section, "password": DEMO_PASSWORD}),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.json()
}

#[test]
fn signing_in_sets_a_locked_down_cookie_and_the_session_names_the_user() {
    let anonymous = Client::anonymous();
    let reply = anonymous.post(
        "/api/session",
        &json!({"username": "planner", "password": DEMO_PASSWORD}),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let cookie = reply.header("set-cookie").unwrap();
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    let body = reply.json();
    assert_eq!(body["user"]["username"], "planner");
    assert_eq!(body["user"]["role"], "planner");
    assert_eq!(body["csrf_token"].as_str().map(str::len), Some(64));

    let planner = Client::demo(Role::Planner);
    assert_eq!(
        planner.get("/api/session").json()["user"]["display_name"],
        "张支队"
    );
    assert_eq!(
        anonymous.get("/api/session").json(),
        json!({"user": null, "csrf_token": null})
    );
}

#[test]
fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    let expected = json!({"error": "invalid_credentials", "message": "用户名或密码错误 / wrong user name or password"});
    for (username, password) in [
        ("auditor", "not-the-password"),
        ("nobody-here", DEMO_PASSWORD),
    ] {
        let reply = Client::anonymous().post(
            "/api/session",
            &json!({"username": username, "password": password}),
        );
        assert_eq!(reply.status, 401);
        assert_eq!(reply.json(), expected);
        assert!(reply.header("set-cookie").is_none());
    }
}

#[test]
fn five_failures_lock_the_account_until_an_admin_resets_it() {
    let account = new_account("lock.me", "inspector", Value::Null);
    let attempt = |password: &str| {
        Client::anonymous().post(
            "/api/session",
            &json!({"username": "lock.me", "password": password}),
        )
    };
    for _ in 0..4 {
        assert_eq!(attempt("wrong-password").status, 401);
    }
    let locked = attempt("wrong-password");
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert_eq!(locked.json()["error"], "too_many_attempts");
    assert_eq!(locked.header("retry-after"), Some("900"));
    // Even the right password is refused while locked.
    assert_eq!(attempt(DEMO_PASSWORD).status, 429);

    let admin = Client::demo(Role::Admin);
    let id = account["id"].as_i64().unwrap();
    let listed = admin.get("/api/accounts").json();
    let row = listed["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .cloned()
        .unwrap();
    assert_eq!(row["locked"], true);
    let reset = admin.post(
        &format!("/api/accounts/{id}/password"),
        &json!({"new_password": "另一个足够长的密码2026"}),
    );
    assert_eq!(reset.status, 200, "{}", reset.body);
    assert_eq!(reset.json()["locked"], false);
    assert_eq!(
        Client::anonymous()
            .post(
                "/api/session",
                &json!({"username": "lock.me", "password": "另一个足够长的密码2026"})
            )
            .status,
        200
    );
}

#[test]
fn writes_need_the_csrf_token_and_the_own_origin() {
    let admin = Client::demo(Role::Admin);
    let body = json!({"username": "csrf.victim", "display_name": "x", "role": "auditor", "section": null, "password": DEMO_PASSWORD});
    let forged = admin.without_csrf_token().post("/api/accounts", &body);
    assert_eq!(forged.status, 403);
    assert_eq!(forged.json()["error"], "csrf_failed");
    let mut cross_site = admin.clone();
    cross_site
        .extra_headers
        .push(("origin".to_owned(), "https://evil.example".to_owned()));
    assert_eq!(
        cross_site.post("/api/accounts", &body).json()["error"],
        "csrf_failed"
    );
    // Nothing was created by either.
    let accounts = admin.get("/api/accounts").json();
    assert!(
        !accounts["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["username"] == "csrf.victim")
    );
}

#[test]
fn account_input_errors_name_the_field_and_the_rule() {
    let admin = Client::demo(Role::Admin);
    let base = json!({"username": "new.person", "display_name": "新同事", "role": "section", "section": null, "password": DEMO_PASSWORD});
    let cases = [
        (json!({"section": null}), 400, "section_required"),
        (
            json!({"role": "planner", "section": "水环境科"}),
            400,
            "section_not_allowed",
        ),
        (
            json!({"username": "空格 name", "section": "水环境科"}),
            400,
            "invalid_username",
        ),
        (
            json!({"password": "short", "section": "水环境科"}),
            400,
            "weak_password",
        ),
        (json!({"role": "superuser"}), 400, "invalid_json"),
        (
            json!({"username": "admin", "role": "auditor"}),
            409,
            "username_taken",
        ),
    ];
    for (patch, status, code) in cases {
        let mut body = base.clone();
        for (key, value) in patch.as_object().unwrap() {
            body[key] = value.clone();
        }
        let reply = admin.post("/api/accounts", &body);
        assert_eq!(
            (
                reply.status,
                reply.json()["error"].as_str().unwrap_or_default()
            ),
            (status, code),
            "{patch}: {}",
            reply.body
        );
    }
}

#[test]
fn an_admin_cannot_demote_themself() {
    let admin = Client::demo(Role::Admin);
    let me = admin.get("/api/session").json()["user"]["id"]
        .as_i64()
        .unwrap();
    let reply = admin.put(
        &format!("/api/accounts/{me}"),
        &json!({"display_name": "王管理", "role": "auditor", "section": null, "disabled": false}),
    );
    assert_eq!(reply.status, 409);
    assert_eq!(reply.json()["error"], "cannot_demote_self");
}

#[test]
fn disabling_an_account_ends_its_sessions_at_once() {
    let account = new_account("leaving.soon", "planner", Value::Null);
    let leaver = Client::sign_in("leaving.soon", DEMO_PASSWORD);
    assert_eq!(
        leaver.get("/api/session").json()["user"]["username"],
        "leaving.soon"
    );
    let admin = Client::demo(Role::Admin);
    let id = account["id"].as_i64().unwrap();
    let reply = admin.put(
        &format!("/api/accounts/{id}"),
        &json!({"display_name": "测试用户", "role": "planner", "section": null, "disabled": true}),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(leaver.get("/api/session").json()["user"], Value::Null);
    let again = Client::anonymous().post(
        "/api/session",
        &json!({"username": "leaving.soon", "password": DEMO_PASSWORD}),
    );
    assert_eq!(again.status, 401);
}

#[test]
fn changing_ones_password_needs_the_current_one_and_ends_other_sessions() {
    new_account("pw.changer", "auditor", Value::Null);
    let first = Client::sign_in("pw.changer", DEMO_PASSWORD);
    let second = Client::sign_in("pw.changer", DEMO_PASSWORD);
    let wrong = first.post(
        "/api/session/password",
        &json!({"current_password": "nope-nope-nope", "new_password": "全新的密码abc123"}),
    );
    assert_eq!(wrong.json()["error"], "wrong_current_password");
    let weak = first.post(
        "/api/session/password",
        &json!({"current_password": DEMO_PASSWORD, "new_password": "pw.changer-123456"}),
    );
    assert_eq!(weak.json()["error"], "weak_password");
    let ok = first.post(
        "/api/session/password",
        &json!({"current_password": DEMO_PASSWORD, "new_password": "全新的密码abc123"}),
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(
        first.get("/api/session").json()["user"]["username"],
        "pw.changer"
    );
    assert_eq!(
        second.get("/api/session").json()["user"],
        Value::Null,
        "the other session ended"
    );
    Client::sign_in("pw.changer", "全新的密码abc123");
}

#[test]
fn signing_out_ends_the_session_and_clears_the_cookie() {
    let auditor = Client::demo(Role::Auditor);
    assert_eq!(auditor.get("/api/audit").status, 200);
    let reply = auditor.delete("/api/session");
    assert_eq!(reply.status, 200);
    assert!(reply.header("set-cookie").unwrap().contains("Max-Age=0"));
    let after = auditor.get("/api/audit");
    assert_eq!(after.status, 401);
    assert_eq!(
        after.json(),
        json!({"error": "sign_in_required", "message": "请先登录 / please sign in"})
    );
}

#[test]
fn an_oversized_body_is_refused_before_it_is_read() {
    let big = "x".repeat(1024 * 1024 + 1);
    let reply =
        Client::anonymous().post("/api/session", &json!({"username": big, "password": "p"}));
    assert_eq!(reply.status, 413);
    assert_eq!(reply.json()["error"], "payload_too_large");
}

#[test]
fn changes_are_in_the_audit_log_with_who_and_what_and_the_chain_verifies() {
    new_account("audited.one", "auditor", Value::Null);
    let auditor = Client::demo(Role::Auditor);
    let page = auditor
        .get("/api/audit?actor=admin&action=account.create")
        .json();
    let entries = page["entries"].as_array().unwrap();
    let entry = entries
        .iter()
        .find(|e| e["target"] == "account:audited.one")
        .expect("the creation is logged");
    assert_eq!(entry["actor"], "admin");
    assert_eq!(entry["hash"].as_str().map(str::len), Some(64));
    assert!(
        entries
            .iter()
            .all(|e| e["action"] == "account.create" && e["actor"] == "admin")
    );
    let verification = auditor.get("/api/audit/verify").json();
    assert_eq!(verification["broken"], Value::Null, "{verification}");
    assert!(verification["entries"].as_u64().unwrap() >= 2);
    let bad = auditor.get("/api/audit?from=2026-13");
    assert_eq!(bad.json()["error"], "invalid_date");
}
