//! The audit log cannot be changed through SQL, and a change made around the database's
//! guard (dropping the trigger) is found by the verifier at the changed entry. Its own test
//! binary, so its own server and database: the tampering touches no other test.

use serde_json::{Value, json};
use shared::authz::Role;
use suicha_tests::{Client, server};

fn execute(sql: &str) -> Result<String, String> {
    xtask::server::query_json(&xtask::repo_root(), Some(&server().persist), sql)
}

#[test]
fn the_log_refuses_update_and_delete_and_tampering_is_found() {
    // A few entries: sign-ins are logged.
    let auditor = Client::demo(Role::Auditor);
    Client::demo(Role::Planner);
    Client::demo(Role::Admin);
    assert_eq!(
        auditor.get("/api/audit/verify").json()["broken"],
        Value::Null
    );

    for sql in [
        "UPDATE audit_log SET detail = 'x' WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 2",
    ] {
        let refused = execute(sql);
        assert!(refused.is_err(), "{sql} was accepted: {refused:?}");
    }

    execute("DROP TRIGGER audit_log_refuses_update").expect("dropping the guard");
    execute("UPDATE audit_log SET detail = 'tampered' WHERE seq = 2")
        .expect("tampering once the guard is gone");
    let verification = auditor.get("/api/audit/verify").json();
    assert_eq!(
        verification["broken"],
        json!({"seq": 2, "reason": "hash_mismatch"}),
        "{verification}"
    );

    // The export carries what `suicha audit verify` needs to find the same break offline.
    let export = auditor.get("/api/audit/export");
    assert_eq!(export.status, 200);
    let entries: Vec<shared::audit::AuditEntry> = serde_json::from_str(&export.body).unwrap();
    assert_eq!(shared::audit::verify_chain(&entries).unwrap_err().seq, 2);
}
