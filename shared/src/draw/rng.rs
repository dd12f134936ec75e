//! The only source of randomness of a draw: the raw ChaCha20 keystream, turned into integers by
//! the documented methods below (`docs/draw-algorithm.md`, "Random integers").

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use sha2::{Digest, Sha256};

use super::ids::Digest32;

/// A ChaCha20 keystream (20 rounds, 64-bit block counter from 0, stream id 0) read as
/// little-endian 32-bit words.
pub struct KeyStream {
    rng: ChaCha20Rng,
}

impl KeyStream {
    /// The keystream keyed directly with `key`.
    pub fn from_key(key: [u8; 32]) -> Self {
        KeyStream {
            rng: ChaCha20Rng::from_seed(key),
        }
    }

    /// The keystream for one purpose of a draw: key = SHA-256(`label` ‖ 0x00 ‖ seed).
    pub fn for_purpose(label: &str, seed: &Digest32) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(label.as_bytes());
        hasher.update([0u8]);
        hasher.update(seed.0);
        KeyStream::from_key(hasher.finalize().into())
    }

    /// The next keystream word.
    pub fn next_u32(&mut self) -> u32 {
        self.rng.next_u32()
    }

    /// The next two keystream words `lo`, `hi` as `hi * 2^32 + lo`.
    pub fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// A uniform integer in `0..bound` by rejection: draw `x = next_u64()` until
    /// `x >= (2^64 - bound) mod bound`, then return `x mod bound`. Panics if `bound == 0`.
    pub fn below(&mut self, bound: u64) -> u64 {
        assert!(bound > 0, "KeyStream::below needs a positive bound");
        let threshold = bound.wrapping_neg() % bound;
        loop {
            let x = self.next_u64();
            if x >= threshold {
                return x % bound;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keystream_matches_rfc_7539_block_zero_for_the_zero_key() {
        // ChaCha20 with an all-zero key and nonce: the first block starts 76 b8 e0 ad.
        let mut stream = KeyStream::from_key([0; 32]);
        assert_eq!(
            stream.next_u32(),
            u32::from_le_bytes([0x76, 0xb8, 0xe0, 0xad])
        );
        assert_eq!(
            stream.next_u32(),
            u32::from_le_bytes([0xa0, 0xf1, 0x3d, 0x90])
        );
    }

    #[test]
    fn below_stays_in_range() {
        let mut stream = KeyStream::from_key([7; 32]);
        for bound in [1u64, 2, 3, 10, 1 << 63, u64::MAX] {
            for _ in 0..100 {
                assert!(stream.below(bound) < bound);
            }
        }
    }
}
