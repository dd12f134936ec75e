//! A new bureau's first run against a real `wrangler dev` + D1 without the demo county: the
//! installation says it is not set up, the setup writes the bureau and its first
//! administrator once (and never again), the portal shows the bureau's name, and an
//! administrator renames it.

use serde_json::json;
use suicha_tests::{Client, empty_server, get};

#[test]
fn a_new_installation_is_set_up_once_and_shows_its_bureau() {
    empty_server();
    let bureau = get("/api/bureau").json();
    assert_eq!(bureau["configured"], false, "{bureau}");
    assert!(get("/api/objects").status == 401, "nobody can sign in yet");

    let request = json!({
        "bureau_name": "石柱土家族自治县生态环境局", "region": "重庆市石柱县",
        "admin_username": "zhangsan", "admin_display_name": "张三",
        "admin_password": "first admin password 1"
    });
    // Every field is checked, by name.
    let mut short = request.clone();
    short["bureau_name"] = json!("局");
    let refused = Client::anonymous().post("/api/setup", &short);
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert_eq!(refused.json()["fields"][0]["field"], "bureau_name");
    let mut weak = request.clone();
    weak["admin_password"] = json!("short");
    assert_eq!(Client::anonymous().post("/api/setup", &weak).status, 400);
    assert_eq!(get("/api/bureau").json()["configured"], false);

    let done = Client::anonymous().post("/api/setup", &request);
    assert_eq!(done.status, 201, "{}", done.body);
    assert_eq!(done.json()["name"], "石柱土家族自治县生态环境局");
    let again = Client::anonymous().post("/api/setup", &request);
    assert_eq!(again.status, 409, "{}", again.body);
    assert_eq!(again.json()["error"], "already_set_up");

    // The first administrator signs in; the audit log starts with the setup.
    let admin = Client::sign_in("zhangsan", "first admin password 1");
    let session = admin.get("/api/session").json();
    assert_eq!(session["user"]["role"], "admin", "{session}");
    let audit = admin.get("/api/audit").json();
    let entries = audit["entries"].as_array().unwrap();
    assert!(
        entries
            .iter()
            .any(|entry| entry["action"] == "bureau.set_up"),
        "{audit}"
    );
    assert_eq!(admin.get("/api/audit/verify").json()["broken"], json!(null));
    let setup_again = admin.post("/api/setup", &request);
    assert_eq!(setup_again.status, 409);

    // The portal is headed by the bureau's name, and follows a rename at once.
    let portal = get("/public");
    assert_eq!(portal.status, 200);
    assert!(
        portal.body.contains("石柱土家族自治县生态环境局"),
        "{}",
        portal.body
    );
    let renamed = admin.put(
        "/api/bureau",
        &json!({"name": "石柱县生态环境局", "region": "重庆市石柱县"}),
    );
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let portal = get("/public");
    assert!(
        portal.body.contains("石柱县生态环境局 · "),
        "{}",
        portal.body
    );
    assert!(!portal.body.contains("石柱土家族自治县"));
    assert_eq!(
        Client::anonymous()
            .put("/api/bureau", &json!({"name": "x局局", "region": "y区区"}))
            .status,
        401
    );
}
