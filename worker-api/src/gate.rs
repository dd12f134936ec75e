//! Bounds how many requests of this isolate run a memory-heavy step at once.
//!
//! An isolate serves many requests concurrently in one WebAssembly memory, which never shrinks
//! and is bounded with the isolate (128 MB). A step that holds megabytes at once — a commit
//! parses the sealed input, runs the draw and serializes the bundle — would, run by 50 requests
//! together, take the isolate over its limit, and the runtime would then answer every request
//! of that isolate with a 503. A [`Gate`] lets `limit` requests through at a time; the others
//! wait (a timer, no busy loop) and go on in turn, so memory stays bounded however many arrive
//! together, and every request is answered.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::Duration;

use worker::Delay;

/// How often a waiting request looks again.
const POLL: Duration = Duration::from_millis(10);

thread_local! {
    /// How many requests of this isolate are inside each gate.
    static INSIDE: RefCell<BTreeMap<&'static str, usize>> = const { RefCell::new(BTreeMap::new()) };
}

/// A step that at most `limit` requests of an isolate run at once.
pub(crate) struct Gate {
    pub name: &'static str,
    pub limit: usize,
}

/// A request's place inside a gate, given back when dropped (also when the request is
/// cancelled or fails).
pub(crate) struct Pass {
    name: &'static str,
}

impl Gate {
    /// Waits until there is room, then enters.
    pub(crate) async fn enter(&self) -> Pass {
        loop {
            let entered = INSIDE.with(|inside| {
                let mut inside = inside.borrow_mut();
                let count = inside.entry(self.name).or_insert(0);
                if *count < self.limit {
                    *count += 1;
                    true
                } else {
                    false
                }
            });
            if entered {
                return Pass { name: self.name };
            }
            Delay::from(POLL).await;
        }
    }
}

impl Drop for Pass {
    fn drop(&mut self) {
        INSIDE.with(|inside| {
            if let Some(count) = inside.borrow_mut().get_mut(self.name) {
                *count = count.saturating_sub(1);
            }
        });
    }
}
