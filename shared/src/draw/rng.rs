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

    /// A uniform integer in `0..bound` (Lemire's multiply-and-reject method): `x = next_u64()`,
    /// `m = x * bound` as a 128-bit product, `l = m mod 2^64`; while `l < (2^64 - bound) mod bound`
    /// draw again; the result is `m >> 64`. Panics if `bound == 0`.
    pub fn below(&mut self, bound: u64) -> u64 {
        assert!(bound > 0, "KeyStream::below needs a positive bound");
        let mut product = u128::from(self.next_u64()) * u128::from(bound);
        if (product as u64) < bound {
            let threshold = bound.wrapping_neg() % bound;
            while (product as u64) < threshold {
                product = u128::from(self.next_u64()) * u128::from(bound);
            }
        }
        (product >> 64) as u64
    }

    /// The same method on one 32-bit word: `x = next_u32()`, `m = x * bound` as a 64-bit
    /// product, reject while `m mod 2^32 < (2^32 - bound) mod bound`, return `m >> 32`.
    pub fn below_u32(&mut self, bound: u32) -> u32 {
        assert!(bound > 0, "KeyStream::below_u32 needs a positive bound");
        let mut product = u64::from(self.next_u32()) * u64::from(bound);
        if (product as u32) < bound {
            let threshold = bound.wrapping_neg() % bound;
            while (product as u32) < threshold {
                product = u64::from(self.next_u32()) * u64::from(bound);
            }
        }
        (product >> 32) as u32
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
        for bound in [1u32, 2, 3, 10, 1 << 31, u32::MAX] {
            for _ in 0..100 {
                assert!(stream.below_u32(bound) < bound);
            }
        }
    }
}
