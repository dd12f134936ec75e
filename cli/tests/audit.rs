//! `suicha audit verify` on an exported log: MATCH for an intact chain, the broken entry named
//! for a tampered one.

use std::process::Command;

use shared::audit::{AuditEntry, GENESIS, entry_hash};

fn export(entries: &[AuditEntry]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "suicha-audit-{}-{}.json",
        std::process::id(),
        entries.len()
    ));
    std::fs::write(&path, serde_json::to_string(entries).unwrap()).unwrap();
    path
}

fn chain(n: u64) -> Vec<AuditEntry> {
    let mut prev = GENESIS;
    (1..=n)
        .map(|seq| {
            let mut entry = AuditEntry {
                seq,
                at: "2026-11-28T10:00:00.000Z".to_owned(),
                actor_id: Some(1),
                actor: "admin".to_owned(),
                action: "session.sign_in".to_owned(),
                target: "account:1".to_owned(),
                before_digest: String::new(),
                after_digest: String::new(),
                detail: "登录".to_owned(),
                prev_hash: prev,
                hash: GENESIS,
            };
            entry.hash = entry_hash(&entry);
            prev = entry.hash;
            entry
        })
        .collect()
}

fn verify(path: &std::path::Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_suicha"))
        .args(["audit", "verify"])
        .arg(path)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn an_intact_export_verifies_and_a_tampered_one_names_the_entry() {
    let mut entries = chain(4);
    let intact = export(&entries);
    assert_eq!(
        verify(&intact),
        (true, "OK: 4 entries, chain intact\n".to_owned())
    );
    entries[2].actor = "someone-else".to_owned();
    let tampered = export(&entries[..3]);
    let (ok, text) = verify(&tampered);
    assert!(!ok);
    assert!(text.contains("audit chain broken at entry 3"), "{text}");
    let _ = std::fs::remove_file(intact);
    let _ = std::fs::remove_file(tampered);
}
