//! The command queue from submitters to one shard.
//!
//! A vector behind a mutex that the shard swaps out whole each turn: pushing costs one
//! uncontended lock and, in the steady state, no allocation (both vectors keep their
//! capacity). A linked-block channel allocated (and zeroed) a block of commands every few
//! dozen submissions, which at fleet rates also kept glibc consolidating its small-chunk
//! bins. The shard knows the submitting side is gone when it holds the only reference.

use parking_lot::Mutex;
use std::sync::Arc;

/// Commands queued for a shard (see the module documentation).
pub(crate) struct CommandQueue<T> {
    items: Mutex<Vec<T>>,
}

/// Capacity above which an idle vector is shrunk after a burst.
const KEEP: usize = 16 * 1024;

impl<T> CommandQueue<T> {
    /// An empty queue, shared by the submitting handle and the shard.
    pub fn new() -> Arc<CommandQueue<T>> {
        Arc::new(CommandQueue {
            items: Mutex::new(Vec::new()),
        })
    }

    /// Appends a command.
    pub fn push(&self, item: T) {
        self.items.lock().push(item);
    }

    /// Moves every queued command into `into` (which must be empty), in order.
    pub fn take_all(&self, into: &mut Vec<T>) {
        debug_assert!(into.is_empty());
        if into.capacity() > KEEP {
            into.shrink_to(KEEP);
        }
        std::mem::swap(&mut *self.items.lock(), into);
    }

    /// True when nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.items.lock().is_empty()
    }
}

/// True when the shard holds the only reference: the submitting side is gone.
pub(crate) fn orphaned<T>(q: &Arc<CommandQueue<T>>) -> bool {
    Arc::strong_count(q) == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_everything_in_order_and_reuses_capacity() {
        let q = CommandQueue::new();
        let mut local = Vec::new();
        for round in 0..3 {
            for i in 0..100 {
                q.push(round * 100 + i);
            }
            assert!(!q.is_empty());
            q.take_all(&mut local);
            assert!(q.is_empty());
            assert_eq!(local, (round * 100..round * 100 + 100).collect::<Vec<_>>());
            local.clear();
        }
        assert!(local.capacity() >= 100);
    }

    #[test]
    fn orphaned_once_the_other_side_is_dropped() {
        let q = CommandQueue::<u8>::new();
        let other = q.clone();
        assert!(!orphaned(&q));
        drop(other);
        assert!(orphaned(&q));
    }
}
