//! The global weighted order of the directory: successive weighted draws without replacement.
//!
//! Normatively: with `R` the objects not yet drawn, in ascending id order, and `T` the sum of
//! their weights, draw `r = below(T)` and take the object whose cumulative-weight interval
//! `[C(i-1), C(i))` contains `r`. This module does that in `O(log n)` per draw with a Fenwick
//! tree over blocks of 64 weights and a scan inside the block; the data structure is an
//! implementation detail and does not change which object is drawn.

use super::rng::KeyStream;

const BLOCK: usize = 256;
const CHUNK: usize = 16;

/// A lazily generated weighted permutation of `0..weights.len()`.
pub struct WeightedOrder {
    weights: Vec<u32>,
    /// Fenwick tree over block sums, 1-based (`tree[0]` unused).
    tree: Vec<u64>,
    top_step: usize,
    remaining: u64,
    stream: KeyStream,
}

impl WeightedOrder {
    /// Takes ownership of the weights (each `>= 1` in practice; zero weights are never drawn).
    pub fn new(weights: Vec<u32>, stream: KeyStream) -> Self {
        // Pad the block count to a power of two: trailing zero blocks keep the tree valid and
        // let the descent run without bound checks.
        let blocks = weights.len().div_ceil(BLOCK).next_power_of_two();
        let mut tree = vec![0u64; blocks + 1];
        let mut remaining = 0u64;
        for (block, chunk) in weights.chunks(BLOCK).enumerate() {
            let sum: u64 = chunk.iter().map(|&w| u64::from(w)).sum();
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
            tree,
            top_step: blocks,
            remaining,
            stream,
        }
    }

    /// Gives the weight buffer back (drawn objects' weights are zero).
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
        let mut rest = self.stream.below(self.remaining);
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
        // `pos` is the 0-based block holding `rest`.
        let start = pos * BLOCK;
        let end = (start + BLOCK).min(self.weights.len());
        let mut chosen = end;
        // Skip whole chunks of 16 first (their sums vectorize), then walk one chunk.
        let mut chunk_start = start;
        while chunk_start + CHUNK <= end {
            let sum: u64 = self.weights[chunk_start..chunk_start + CHUNK]
                .iter()
                .map(|&w| u64::from(w))
                .sum();
            if rest < sum {
                break;
            }
            rest -= sum;
            chunk_start += CHUNK;
        }
        for index in chunk_start..end {
            let weight = u64::from(self.weights[index]);
            if rest < weight {
                chosen = index;
                break;
            }
            rest -= weight;
        }
        debug_assert!(
            chosen < end,
            "Fenwick descent must land in a block holding the point"
        );
        let weight = u64::from(self.weights[chosen]);
        self.weights[chosen] = 0;
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
            let mut rest = stream.below(total);
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
