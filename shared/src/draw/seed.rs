//! Seed derivation. A draw's 32-byte seed is never chosen by a person: it is derived from the
//! sealed input hash and entropy nobody controls alone. Commit seeds and preview seeds live in
//! separate domains and can never be equal: their labels differ and bit 0 of byte 0 is forced
//! to 0 for a commit seed and to 1 for a preview seed.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::error::DrawInputError;
use super::ids::Digest32;

/// Label of the commit-seed domain.
pub const COMMIT_SEED_LABEL: &str = "suicha.draw.seed.commit";
/// Label of the preview-seed domain.
pub const PREVIEW_SEED_LABEL: &str = "suicha.draw.seed.preview";
/// Longest witness string.
pub const MAX_WITNESS_BYTES: usize = 128;

/// The named parts a seed is derived from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum SeedParts {
    /// The authoritative draw: 32 bytes of server entropy drawn after the input was sealed, and
    /// optionally witness entropy such as dice digits typed at a public meeting.
    Commit {
        server_entropy: Digest32,
        witness: Option<String>,
    },
    /// A staff preview: never equal to any commit seed.
    Preview { preview_entropy: Digest32 },
}

/// Whether a seed belongs to the commit or the preview domain (bit 0 of byte 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedKind {
    Commit,
    Preview,
}

impl SeedKind {
    /// The domain a seed belongs to.
    pub fn of(seed: &Digest32) -> SeedKind {
        if seed.0[0] & 1 == 0 {
            SeedKind::Commit
        } else {
            SeedKind::Preview
        }
    }
}

/// Checks witness syntax: 1–128 ASCII letters or digits, used as typed (no trimming, case kept).
pub fn validate_witness(witness: &str) -> Result<(), DrawInputError> {
    if witness.is_empty()
        || witness.len() > MAX_WITNESS_BYTES
        || !witness.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Err(DrawInputError::InvalidWitness(witness.to_owned()));
    }
    Ok(())
}

/// The seed of a draw from its parts and the sealed input hash.
///
/// Commit: `SHA-256("suicha.draw.seed.commit" ‖ 0x00 ‖ input_hash ‖ server_entropy ‖ w)` with
/// `w = 0x00` without witness, else `0x01 ‖ u32be(len) ‖ witness bytes`; then byte 0 `&= 0xfe`.
/// Preview: `SHA-256("suicha.draw.seed.preview" ‖ 0x00 ‖ input_hash ‖ preview_entropy)`; then
/// byte 0 `|= 0x01`.
pub fn derive_seed(
    parts: &SeedParts,
    sealed_input_hash: &Digest32,
) -> Result<Digest32, DrawInputError> {
    let mut hasher = Sha256::new();
    match parts {
        SeedParts::Commit {
            server_entropy,
            witness,
        } => {
            hasher.update(COMMIT_SEED_LABEL.as_bytes());
            hasher.update([0u8]);
            hasher.update(sealed_input_hash.0);
            hasher.update(server_entropy.0);
            match witness {
                None => hasher.update([0u8]),
                Some(witness) => {
                    validate_witness(witness)?;
                    hasher.update([1u8]);
                    hasher.update((witness.len() as u32).to_be_bytes());
                    hasher.update(witness.as_bytes());
                }
            }
            let mut seed: [u8; 32] = hasher.finalize().into();
            seed[0] &= 0xfe;
            Ok(Digest32(seed))
        }
        SeedParts::Preview { preview_entropy } => {
            hasher.update(PREVIEW_SEED_LABEL.as_bytes());
            hasher.update([0u8]);
            hasher.update(sealed_input_hash.0);
            hasher.update(preview_entropy.0);
            let mut seed: [u8; 32] = hasher.finalize().into();
            seed[0] |= 0x01;
            Ok(Digest32(seed))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_and_preview_domains_never_meet() {
        let hash = Digest32([3; 32]);
        let entropy = Digest32([9; 32]);
        let commit = derive_seed(
            &SeedParts::Commit {
                server_entropy: entropy,
                witness: None,
            },
            &hash,
        )
        .unwrap();
        let preview = derive_seed(
            &SeedParts::Preview {
                preview_entropy: entropy,
            },
            &hash,
        )
        .unwrap();
        assert_eq!(SeedKind::of(&commit), SeedKind::Commit);
        assert_eq!(SeedKind::of(&preview), SeedKind::Preview);
        assert_ne!(commit, preview);
    }

    #[test]
    fn witness_changes_the_seed_and_is_validated() {
        let hash = Digest32([3; 32]);
        let entropy = Digest32([9; 32]);
        let plain = derive_seed(
            &SeedParts::Commit {
                server_entropy: entropy,
                witness: None,
            },
            &hash,
        );
        let dice = derive_seed(
            &SeedParts::Commit {
                server_entropy: entropy,
                witness: Some("3141".to_owned()),
            },
            &hash,
        );
        assert_ne!(plain, dice);
        let bad = SeedParts::Commit {
            server_entropy: entropy,
            witness: Some("3 1".to_owned()),
        };
        assert_eq!(
            derive_seed(&bad, &hash),
            Err(DrawInputError::InvalidWitness("3 1".to_owned()))
        );
    }
}
