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
    items: Mutex<Queue<T>>,
}

struct Queue<T> {
    items: Vec<T>,
    /// Set once the shard stopped taking commands: pushes fail from then on, so every
    /// command is either taken (and answered) by the shard or refused, never lost.
    closed: bool,
}

/// Capacity above which an idle vector is shrunk after a burst.
const KEEP: usize = 16 * 1024;

impl<T> CommandQueue<T> {
    /// An empty queue, shared by the submitting handle and the shard.
    pub fn new() -> Arc<CommandQueue<T>> {
        Arc::new(CommandQueue {
            items: Mutex::new(Queue {
                items: Vec::new(),
                closed: false,
            }),
        })
    }

    /// Appends a command; gives it back if the queue is closed.
    pub fn push(&self, item: T) -> Result<(), T> {
        let mut q = self.items.lock();
        if q.closed {
            return Err(item);
        }
        q.items.push(item);
        Ok(())
    }

    /// Moves every queued command into `into` (which must be empty), in order.
    pub fn take_all(&self, into: &mut Vec<T>) {
        debug_assert!(into.is_empty());
        if into.capacity() > KEEP {
            into.shrink_to(KEEP);
        }
        std::mem::swap(&mut self.items.lock().items, into);
    }

    /// Closes the queue (later pushes fail) and moves what it holds into `into`.
    pub fn close(&self, into: &mut Vec<T>) {
        let mut q = self.items.lock();
        q.closed = true;
        into.append(&mut q.items);
    }

    /// True when nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.items.lock().items.is_empty()
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
                q.push(round * 100 + i).unwrap();
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
    fn closing_takes_the_rest_and_refuses_later_pushes() {
        let q = CommandQueue::new();
        q.push(1).unwrap();
        q.push(2).unwrap();
        let mut rest = vec![0];
        q.close(&mut rest);
        assert_eq!(rest, [0, 1, 2]);
        assert_eq!(q.push(3), Err(3));
        assert!(q.is_empty());
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
