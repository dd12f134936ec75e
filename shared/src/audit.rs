//! The audit trail's hash chain: each entry carries the hash of the one before it, so a row
//! changed or removed in the database breaks the chain at that row.
//!
//! The worker computes [`entry_hash`] when it appends; the verifier route and `suicha audit
//! verify` recompute the chain with [`verify_chain`]. The encoding is versioned by its domain
//! tag and must never change for existing entries.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::draw::Digest32;

/// Domain-separation tag of the version-1 entry encoding.
const ENTRY_TAG: &[u8] = b"suicha/audit-entry/v1\0";

/// The `prev_hash` of the first entry.
pub const GENESIS: Digest32 = Digest32([0; 32]);

/// One audit-log row, as stored and as exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// 1, 2, 3, … without gaps.
    pub seq: u64,
    /// When it was recorded (RFC 3339, UTC, from the worker's clock).
    pub at: String,
    /// Who: the account id, or `None` for an anonymous request (a failed sign-in).
    pub actor_id: Option<i64>,
    /// The account's user name at that time (or what an anonymous visitor typed).
    pub actor: String,
    /// What, as a stable dotted code, e.g. `account.create`.
    pub action: String,
    /// On what, e.g. `account:3`.
    pub target: String,
    /// SHA-256 (hex) of the record before the change; empty for a creation.
    pub before_digest: String,
    /// SHA-256 (hex) of the record after the change; empty for a removal.
    pub after_digest: String,
    /// A short human-readable note (never a secret).
    pub detail: String,
    pub prev_hash: Digest32,
    pub hash: Digest32,
}

fn put_text(hasher: &mut Sha256, text: &str) {
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    hasher.update(len.to_be_bytes());
    hasher.update(text.as_bytes());
}

/// The hash of an entry: SHA-256 over the tag, `seq` (u64 big-endian), each text field as
/// u32-big-endian length + UTF-8 bytes (`actor_id` as its decimal digits, empty when absent), and
/// the 32 bytes of `prev_hash`. See `docs/api.md#audit-log`.
pub fn entry_hash(entry: &AuditEntry) -> Digest32 {
    let mut hasher = Sha256::new();
    hasher.update(ENTRY_TAG);
    hasher.update(entry.seq.to_be_bytes());
    put_text(&mut hasher, &entry.at);
    put_text(
        &mut hasher,
        &entry.actor_id.map(|id| id.to_string()).unwrap_or_default(),
    );
    for field in [
        &entry.actor,
        &entry.action,
        &entry.target,
        &entry.before_digest,
        &entry.after_digest,
        &entry.detail,
    ] {
        put_text(&mut hasher, field);
    }
    hasher.update(entry.prev_hash.0);
    Digest32(hasher.finalize().into())
}

/// SHA-256 (hex) of a record's serialized form, for `before_digest` / `after_digest`.
pub fn record_digest(serialized: &str) -> String {
    Digest32(Sha256::digest(serialized.as_bytes()).into()).to_hex()
}

/// Where and why a chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("audit chain broken at entry {seq}: {reason}")]
pub struct ChainBreak {
    pub seq: u64,
    pub reason: BreakReason,
}

/// The kinds of break [`verify_chain`] reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum BreakReason {
    /// An entry is missing or out of order (expected this sequence number).
    #[error("expected entry {expected} here (an entry is missing or out of order)")]
    Gap { expected: u64 },
    /// `prev_hash` is not the previous entry's hash.
    #[error("prev_hash does not match the previous entry's hash")]
    PrevHashMismatch,
    /// The entry's content does not hash to its stored hash: it was changed.
    #[error("the entry's content does not match its hash (changed after it was written)")]
    HashMismatch,
}

/// Walks the chain from the first entry and reports the first broken link. `entries` must be
/// the whole log in `seq` order.
pub fn verify_chain(entries: &[AuditEntry]) -> Result<(), ChainBreak> {
    let mut prev = GENESIS;
    for (expected, entry) in (1u64..).zip(entries) {
        if entry.seq != expected {
            return Err(ChainBreak {
                seq: entry.seq,
                reason: BreakReason::Gap { expected },
            });
        }
        if entry.prev_hash != prev {
            return Err(ChainBreak {
                seq: entry.seq,
                reason: BreakReason::PrevHashMismatch,
            });
        }
        if entry_hash(entry) != entry.hash {
            return Err(ChainBreak {
                seq: entry.seq,
                reason: BreakReason::HashMismatch,
            });
        }
        prev = entry.hash;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: u64) -> Vec<AuditEntry> {
        let mut prev = GENESIS;
        (1..=n)
            .map(|seq| {
                let mut entry = AuditEntry {
                    seq,
                    at: format!("2026-11-28T10:00:{seq:02}Z"),
                    actor_id: Some(1),
                    actor: "admin".to_owned(),
                    action: "account.create".to_owned(),
                    target: format!("account:{seq}"),
                    before_digest: String::new(),
                    after_digest: record_digest(&seq.to_string()),
                    detail: "新建账号".to_owned(),
                    prev_hash: prev,
                    hash: GENESIS,
                };
                entry.hash = entry_hash(&entry);
                prev = entry.hash;
                entry
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify_chain(&chain(5)), Ok(()));
        assert_eq!(verify_chain(&[]), Ok(()));
    }

    #[test]
    fn a_changed_field_is_found_at_its_entry() {
        let mut entries = chain(5);
        entries[2].detail = "改过".to_owned();
        assert_eq!(
            verify_chain(&entries),
            Err(ChainBreak {
                seq: 3,
                reason: BreakReason::HashMismatch
            })
        );
    }

    #[test]
    fn a_rehashed_entry_breaks_the_next_link() {
        let mut entries = chain(5);
        entries[2].detail = "改过".to_owned();
        entries[2].hash = entry_hash(&entries[2]);
        assert_eq!(
            verify_chain(&entries),
            Err(ChainBreak {
                seq: 4,
                reason: BreakReason::PrevHashMismatch
            })
        );
    }

    #[test]
    fn a_removed_entry_is_a_gap() {
        let mut entries = chain(5);
        entries.remove(1);
        assert_eq!(
            verify_chain(&entries),
            Err(ChainBreak {
                seq: 3,
                reason: BreakReason::Gap { expected: 2 }
            })
        );
    }

    #[test]
    fn the_encoding_is_pinned() {
        // Changing the encoding would orphan every stored chain: this hash must never change.
        // (Computed independently with Python's hashlib from the documented encoding.)
        assert_eq!(chain(1)[0].hash.to_hex(), PINNED_FIRST_HASH);
    }

    const PINNED_FIRST_HASH: &str =
        "42e6570de991f4d28cc700a10ec20e0505fff14dcba19c96ad41c11479dd6c0d";
}
