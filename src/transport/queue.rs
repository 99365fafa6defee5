//! The command queue from submitters to one shard.
//!
//! Commands are appended to fixed-size chunks behind one mutex; the shard takes every full
//! and partial chunk at once each turn and hands the emptied chunks back for reuse. Pushing
//! costs one uncontended lock and, in the steady state, no allocation. A linked-block
//! channel allocated (and zeroed) a block every few dozen commands, which at fleet rates also
//! kept glibc consolidating its small-chunk bins; one growing vector instead would double
//! (and copy) itself through a burst of tens of thousands of submissions and keep that
//! capacity. The shard knows the submitting side is gone when it holds the only reference.

use parking_lot::Mutex;
use std::sync::Arc;

/// Commands per chunk.
const CHUNK: usize = 256;
/// Emptied chunks kept for reuse (more are freed).
const SPARE: usize = 16;

/// Commands queued for a shard (see the module documentation).
pub(crate) struct CommandQueue<T> {
    inner: Mutex<Queue<T>>,
}

struct Queue<T> {
    chunks: Vec<Vec<T>>,
    spare: Vec<Vec<T>>,
    /// Set once the shard stopped taking commands: pushes fail from then on, so every
    /// command is either taken (and answered) by the shard or refused, never lost.
    closed: bool,
}

impl<T> CommandQueue<T> {
    /// An empty queue, shared by the submitting handle and the shard.
    pub fn new() -> Arc<CommandQueue<T>> {
        Arc::new(CommandQueue {
            inner: Mutex::new(Queue {
                chunks: Vec::new(),
                spare: Vec::new(),
                closed: false,
            }),
        })
    }

    /// Appends a command; gives it back if the queue is closed.
    pub fn push(&self, item: T) -> Result<(), T> {
        let mut q = self.inner.lock();
        if q.closed {
            return Err(item);
        }
        if q.chunks.last().map_or(true, |c| c.len() >= CHUNK) {
            let c = q.spare.pop().unwrap_or_else(|| Vec::with_capacity(CHUNK));
            q.chunks.push(c);
        }
        q.chunks
            .last_mut()
            .expect("a chunk was just ensured")
            .push(item);
        Ok(())
    }

    /// Takes every queued command, in order, as chunks (empty if none); give the emptied
    /// chunks back with [`recycle`](Self::recycle).
    pub fn take(&self) -> Vec<Vec<T>> {
        std::mem::take(&mut self.inner.lock().chunks)
    }

    /// Keeps a few emptied chunks for reuse.
    pub fn recycle(&self, chunks: Vec<Vec<T>>) {
        let mut q = self.inner.lock();
        for mut c in chunks {
            if q.spare.len() >= SPARE || c.capacity() != CHUNK {
                continue;
            }
            c.clear();
            q.spare.push(c);
        }
    }

    /// Puts commands back in front of everything queued (commands that followed a
    /// shutdown, for the shard to cancel once it closes the queue).
    pub fn unshift(&self, items: Vec<T>) {
        if !items.is_empty() {
            self.inner.lock().chunks.insert(0, items);
        }
    }

    /// Closes the queue (later pushes fail) and appends what it holds to `into`.
    pub fn close(&self, into: &mut Vec<T>) {
        let mut q = self.inner.lock();
        q.closed = true;
        for mut c in std::mem::take(&mut q.chunks) {
            into.append(&mut c);
        }
    }

    /// True when nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.inner.lock().chunks.iter().all(Vec::is_empty)
    }
}

/// True when the shard holds the only reference: the submitting side is gone.
pub(crate) fn orphaned<T>(q: &Arc<CommandQueue<T>>) -> bool {
    Arc::strong_count(q) == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(chunks: &[Vec<u32>]) -> Vec<u32> {
        chunks.iter().flatten().copied().collect()
    }

    #[test]
    fn takes_everything_in_order_and_reuses_chunks() {
        let q = CommandQueue::new();
        for round in 0..3u32 {
            for i in 0..1000 {
                q.push(round * 1000 + i).unwrap();
            }
            assert!(!q.is_empty());
            let chunks = q.take();
            assert!(q.is_empty());
            assert!(chunks.iter().all(|c| c.len() <= CHUNK));
            assert_eq!(
                flat(&chunks),
                (round * 1000..round * 1000 + 1000).collect::<Vec<_>>()
            );
            q.recycle(chunks);
        }
        assert_eq!(q.inner.lock().spare.len(), 1000usize.div_ceil(CHUNK));
        assert!(q.take().is_empty());
    }

    #[test]
    fn unshift_goes_first_and_close_takes_the_rest() {
        let q = CommandQueue::new();
        q.push(3).unwrap();
        q.unshift(vec![1, 2]);
        q.push(4).unwrap();
        let mut rest = vec![0];
        q.close(&mut rest);
        assert_eq!(rest, [0, 1, 2, 3, 4]);
        assert_eq!(q.push(5), Err(5));
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
