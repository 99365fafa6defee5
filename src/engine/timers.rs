//! The engine's timer queue: retransmission, timeout and discovery deadlines.
//!
//! Almost every deadline is "now + the session's timeout", and a fleet uses one or a few
//! timeouts, so deadlines arrive nearly sorted. They are kept in a few FIFO lanes, each
//! sorted by construction (an entry joins the lane whose last entry is the latest one not
//! after it), which makes push and pop O(1) on memory that is touched in order; an entry no
//! lane can take (a deadline-clamped wait, a clock that went backwards in a test) goes to a
//! binary heap. The earliest entry is the least of the lane fronts and the heap top, compared
//! as the whole `(at, serial, rid)` tuple, so entries fire in exactly the order one heap
//! would give.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::time::Instant;

/// One timer: when it fires, the transmission serial it belongs to, and the request-id.
pub(crate) type Timer = (Instant, u64, i32);

/// How many sorted lanes are kept before entries fall back to the heap.
const LANES: usize = 8;

/// The timer queue (see the module documentation).
#[derive(Default)]
pub(crate) struct Timers {
    lanes: Vec<VecDeque<Timer>>,
    heap: BinaryHeap<Reverse<Timer>>,
}

/// Where the earliest entry sits.
#[derive(Clone, Copy)]
enum Source {
    Lane(usize),
    Heap,
}

impl Timers {
    /// Adds a timer.
    pub fn push(&mut self, t: Timer) {
        // Best fit: the lane whose last entry is the latest one not after `t` stays sorted
        // and keeps the earlier-ending lanes free for shorter timeouts.
        let mut best: Option<(usize, Timer)> = None;
        let mut empty = None;
        for (i, lane) in self.lanes.iter().enumerate() {
            match lane.back() {
                None => empty = empty.or(Some(i)),
                Some(&b) if b <= t && best.map_or(true, |(_, bb)| b > bb) => best = Some((i, b)),
                Some(_) => {}
            }
        }
        match best.map(|(i, _)| i).or(empty) {
            Some(i) => self.lanes[i].push_back(t),
            None if self.lanes.len() < LANES => self.lanes.push(VecDeque::from([t])),
            None => self.heap.push(Reverse(t)),
        }
    }

    /// The earliest timer, if any.
    pub fn peek(&self) -> Option<Timer> {
        self.earliest().map(|(t, _)| t)
    }

    /// Removes and returns the earliest timer if it is due at `now` (one scan for both).
    pub fn pop_due(&mut self, now: Instant) -> Option<Timer> {
        let (t, src) = self.earliest()?;
        if t.0 > now {
            return None;
        }
        self.remove(src);
        Some(t)
    }

    /// Removes and returns the earliest timer.
    #[cfg(test)]
    pub fn pop(&mut self) -> Option<Timer> {
        let (t, src) = self.earliest()?;
        self.remove(src);
        Some(t)
    }

    fn remove(&mut self, src: Source) {
        match src {
            Source::Lane(i) => {
                self.lanes[i].pop_front();
            }
            Source::Heap => {
                self.heap.pop();
            }
        }
    }

    /// Timers queued (stale ones included).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.heap.len() + self.lanes.iter().map(VecDeque::len).sum::<usize>()
    }

    fn earliest(&self) -> Option<(Timer, Source)> {
        let mut best = self.heap.peek().map(|&Reverse(t)| (t, Source::Heap));
        for (i, lane) in self.lanes.iter().enumerate() {
            if let Some(&t) = lane.front() {
                if best.map_or(true, |(b, _)| t < b) {
                    best = Some((t, Source::Lane(i)));
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Scales a test's size down under Miri, which runs these loops a thousand times slower.
    fn n(full: u64) -> u64 {
        if cfg!(miri) {
            full / 20
        } else {
            full
        }
    }

    /// Pops everything, checking the order against a sorted copy of what went in.
    fn drain_sorted(q: &mut Timers, mut all: Vec<Timer>) {
        all.sort();
        let mut got = Vec::new();
        while let Some(t) = q.pop() {
            got.push(t);
        }
        assert_eq!(got, all);
        assert_eq!(q.len(), 0);
        assert!(q.peek().is_none());
    }

    #[test]
    fn one_timeout_stays_in_one_lane_and_pops_in_order() {
        let t0 = Instant::now();
        let mut q = Timers::default();
        let mut all = Vec::new();
        for i in 0..n(1000) {
            let t = (t0 + Duration::from_micros(i * 7), i, i as i32);
            q.push(t);
            all.push(t);
        }
        assert_eq!(q.lanes.len(), 1);
        assert!(q.heap.is_empty());
        assert_eq!(q.peek(), Some(all[0]));
        drain_sorted(&mut q, all);
    }

    #[test]
    fn interleaved_timeouts_use_separate_lanes() {
        let t0 = Instant::now();
        let mut q = Timers::default();
        let mut all = Vec::new();
        for i in 0..n(300) {
            let now = t0 + Duration::from_millis(i);
            let wait = [1000, 5000, 200][i as usize % 3];
            let t = (now + Duration::from_millis(wait), i, i as i32);
            q.push(t);
            all.push(t);
        }
        assert!(q.lanes.len() <= 3, "{} lanes", q.lanes.len());
        assert!(q.heap.is_empty());
        drain_sorted(&mut q, all);
    }

    #[test]
    fn arbitrary_order_overflows_to_the_heap_and_still_pops_in_order() {
        // A pseudo-random sequence (clock jumps, clamped deadlines) with ties on `at`.
        let t0 = Instant::now();
        let mut q = Timers::default();
        let mut all = Vec::new();
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for i in 0..n(2000) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let t = (t0 + Duration::from_millis(x % 500), i, (x >> 40) as i32);
            q.push(t);
            all.push(t);
            if i % 5 == 0 {
                // Interleave pops with pushes.
                let p = q.pop().expect("non-empty");
                let min = *all.iter().min().expect("non-empty");
                assert_eq!(p, min);
                all.retain(|&e| e != p);
            }
        }
        assert!(!q.heap.is_empty());
        drain_sorted(&mut q, all);
    }
}
