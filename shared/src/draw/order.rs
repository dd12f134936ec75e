//! The global weighted order of the directory: successive weighted draws without replacement.
//!
//! Normatively: with `R` the objects not yet drawn, in ascending id order, and `T` the sum of
//! their weights, draw `r = below_u32(T)` when `T < 2^32`, else `r = below(T)`, and take the object whose cumulative-weight interval
//! `[C(i-1), C(i))` contains `r`. This module does that in `O(log n)` per draw with three
//! levels: a Fenwick tree over blocks of 256 weights, the sums of the 16 chunks of 16 weights
//! of each block (one cache line), and the weights. The data structure is an implementation
//! detail and does not change which object is drawn.
//!
//! Each entry is a `u32` holding the weight in its low 27 bits and a free 5-bit tag in its top
//! bits (the engine stores the object's pool class there, so that the walk reads one cache
//! line per drawn object).

use super::rng::KeyStream;

const CHUNK: usize = 16;
const CHUNKS_PER_BLOCK: usize = 16;
const BLOCK: usize = CHUNK * CHUNKS_PER_BLOCK;

/// A lazily generated weighted permutation of `0..weights.len()`.
pub struct WeightedOrder {
    /// `tag << 27 | weight` per object.
    weights: Vec<u32>,
    /// Sum of each chunk of 16 weights; fits `u32` since every weight is below 2^27.
    chunk_sums: Vec<u32>,
    /// Fenwick tree over block sums, 1-based (`tree[0]` unused).
    tree: Vec<u64>,
    top_step: usize,
    remaining: u64,
    stream: KeyStream,
}

impl WeightedOrder {
    /// The largest weight, and the mask of the weight bits of an entry.
    pub const WEIGHT_LIMIT: u32 = (1 << 27) - 1;
    /// Where an entry's tag starts.
    pub const TAG_SHIFT: u32 = 27;

    /// Takes ownership of the entries (`tag << 27 | weight`); zero weights are never drawn.
    pub fn new(weights: Vec<u32>, stream: KeyStream) -> Self {
        // Pad the block count to a power of two: trailing zero blocks keep the tree valid and
        // let the descent run without bound checks.
        let blocks = weights.len().div_ceil(BLOCK).next_power_of_two();
        let mut tree = vec![0u64; blocks + 1];
        let mut chunk_sums = vec![0u32; blocks * CHUNKS_PER_BLOCK];
        let full = weights.chunks_exact(CHUNK);
        let tail = full.remainder();
        for (sum, values) in chunk_sums.iter_mut().zip(full) {
            let values: &[u32; CHUNK] = values.try_into().expect("exact chunk");
            *sum = values
                .iter()
                .fold(0u32, |total, &entry| total + (entry & Self::WEIGHT_LIMIT));
        }
        if !tail.is_empty() {
            chunk_sums[weights.len() / CHUNK] = tail
                .iter()
                .fold(0u32, |total, &entry| total + (entry & Self::WEIGHT_LIMIT));
        }
        let mut remaining = 0u64;
        for (block, sums) in chunk_sums.chunks(CHUNKS_PER_BLOCK).enumerate() {
            let sum: u64 = sums.iter().map(|&s| u64::from(s)).sum();
            tree[block + 1] = sum;
            remaining += sum;
        }
        for i in 1..=blocks {
            let parent = i + (i & i.wrapping_neg());
            if parent <= blocks {
                tree[parent] += tree[i];
            }
        }
        WeightedOrder {
            weights,
            chunk_sums,
            tree,
            top_step: blocks,
            remaining,
            stream,
        }
    }

    /// The tag of an entry.
    pub fn tag(&self, index: usize) -> u8 {
        (self.weights[index] >> Self::TAG_SHIFT) as u8
    }

    /// Gives the entries back (drawn objects' weights are zero, tags kept).
    pub fn into_weights(self) -> Vec<u32> {
        self.weights
    }

    /// The total weight not yet drawn.
    pub fn remaining_weight(&self) -> u64 {
        self.remaining
    }

    /// Draws the next object of the order, or `None` once every positive weight is drawn.
    pub fn next_index(&mut self) -> Option<usize> {
        if self.remaining == 0 {
            return None;
        }
        // One keystream word while the total fits 32 bits, two beyond.
        let mut rest = match u32::try_from(self.remaining) {
            Ok(total) => u64::from(self.stream.below_u32(total)),
            Err(_) => self.stream.below(self.remaining),
        };
        let blocks = self.tree.len() - 1;
        // The root (`tree[blocks]`) holds the total, which `rest` is below; descend from the
        // half below it, branch-free.
        let mut pos = 0usize;
        let mut step = self.top_step >> 1;
        while step > 0 {
            let next = pos + step;
            let below = self.tree[next];
            let take = below <= rest;
            pos = if take { next } else { pos };
            rest -= if take { below } else { 0 };
            step >>= 1;
        }
        // `pos` is the 0-based block holding `rest`; find the chunk, then the weight.
        let first_chunk = pos * CHUNKS_PER_BLOCK;
        let mut chunk = first_chunk;
        while chunk + 1 < first_chunk + CHUNKS_PER_BLOCK
            && rest >= u64::from(self.chunk_sums[chunk])
        {
            rest -= u64::from(self.chunk_sums[chunk]);
            chunk += 1;
        }
        let start = chunk * CHUNK;
        let end = (start + CHUNK).min(self.weights.len());
        let mut chosen = end;
        for index in start..end {
            let weight = u64::from(self.weights[index] & Self::WEIGHT_LIMIT);
            if rest < weight {
                chosen = index;
                break;
            }
            rest -= weight;
        }
        debug_assert!(
            chosen < end,
            "the descent must land in a chunk holding the point"
        );
        let weight = u64::from(self.weights[chosen] & Self::WEIGHT_LIMIT);
        self.weights[chosen] &= !Self::WEIGHT_LIMIT;
        self.chunk_sums[chunk] -= weight as u32;
        self.remaining -= weight;
        let mut node = pos + 1;
        while node <= blocks {
            self.tree[node] -= weight;
            node += node & node.wrapping_neg();
        }
        Some(chosen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The normative definition, in quadratic time.
    fn reference_order(mut weights: Vec<u32>, mut stream: KeyStream) -> Vec<usize> {
        let mut order = Vec::new();
        loop {
            let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
            if total == 0 {
                return order;
            }
            let mut rest = match u32::try_from(total) {
                Ok(total) => u64::from(stream.below_u32(total)),
                Err(_) => stream.below(total),
            };
            for (index, weight) in weights.iter_mut().enumerate() {
                if rest < u64::from(*weight) {
                    order.push(index);
                    *weight = 0;
                    break;
                }
                rest -= u64::from(*weight);
            }
        }
    }

    #[test]
    fn fast_order_equals_the_reference_definition() {
        for n in [0usize, 1, 2, 63, 64, 65, 200, 1000] {
            let weights: Vec<u32> = (0..n)
                .map(|i| (i as u32 * 7919) % 13 + (i as u32 % 3))
                .collect();
            let mut fast = WeightedOrder::new(weights.clone(), KeyStream::from_key([n as u8; 32]));
            let mut order = Vec::new();
            while let Some(index) = fast.next_index() {
                order.push(index);
            }
            assert_eq!(
                order,
                reference_order(weights, KeyStream::from_key([n as u8; 32])),
                "n = {n}"
            );
        }
    }
}
