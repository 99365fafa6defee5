//! Request-id allocation and the small integer-keyed map the engine matches responses with.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A hasher for the engine's integer keys. Request-ids and msgIDs (`i32`), which we allocate
/// sequentially, keep the key itself in the low bits of the hash, from which the table picks
/// the bucket: the requests of a sweep sit in neighbouring buckets and are inserted and, as
/// their answers come back in about the order they were sent, looked up in memory order (the
/// prefetcher follows; a scattered bucket per lookup was a cache miss per reply). The top 7
/// bits, the table's per-slot tag, are mixed so neighbours do not share tags. Op and session
/// ids (`u64`) are scattered instead: a dense run of live keys fills whole groups, so every
/// removal leaves a tombstone and the table doubles sooner (measured: +13 MB at 28,000
/// operations in flight when op ids were sequential too; +6 MB for the request-ids, which
/// the larger speed-up pays for). Keys are ours, never the peer's (a spoofed reply only
/// looks one up), so there is no flooding to defend against.
#[derive(Default, Clone, Copy)]
pub struct IntHasher(u64);

/// The bits of a hash the table keeps as a per-slot tag (hashbrown: the top 7).
const TAG_BITS: u64 = 0x7f << 57;

impl Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0 ^ (self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15) & TAG_BITS)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_i32(&mut self, v: i32) {
        self.0 = self.0.rotate_left(32) ^ v as u32 as u64;
    }
    fn write_u32(&mut self, v: u32) {
        self.write_u64(v as u64)
    }
    fn write_u64(&mut self, v: u64) {
        // Op and session ids: scattered (multiplicative), so dense runs of live ids do not
        // fill whole groups of the op table.
        self.0 = (self.0.rotate_left(32) ^ v)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }
}

/// A HashMap keyed by integers with [`IntHasher`].
pub type IntMap<K, V> = HashMap<K, V, BuildHasherDefault<IntHasher>>;

/// Allocates request-ids: a random 31-bit start, then sequential, skipping 0 and any id
/// still outstanding, so an id is never reused while its exchange is in flight.
pub struct IdAllocator {
    next: u32,
}

impl IdAllocator {
    /// Starts from `seed` folded into 1..=i32::MAX.
    pub fn new(seed: u32) -> IdAllocator {
        IdAllocator {
            next: (seed & 0x7fff_ffff).max(1),
        }
    }

    /// The next id for which `in_use` is false.
    pub fn allocate(&mut self, in_use: impl Fn(i32) -> bool) -> i32 {
        loop {
            let id = self.next as i32;
            self.next = if self.next >= i32::MAX as u32 {
                1
            } else {
                self.next + 1
            };
            if !in_use(id) {
                return id;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_and_skips_in_use() {
        let mut a = IdAllocator::new(u32::MAX);
        assert_eq!(a.allocate(|_| false), i32::MAX);
        assert_eq!(a.allocate(|_| false), 1);
        assert_eq!(a.allocate(|id| id == 2 || id == 3), 4);
        let mut z = IdAllocator::new(0);
        assert_eq!(z.allocate(|_| false), 1);
    }
}

/// The request-ids of one operation's exchanges. Almost every operation has one exchange
/// (two while a tooBig split runs), so up to three live inline and only longer lists (a Get
/// split by `max_varbinds`) take a heap allocation.
#[derive(Clone, Default)]
pub(crate) struct Rids {
    n: u8,
    inline: [i32; 3],
    /// When non-empty, holds every id (the inline part is then unused).
    spill: Vec<i32>,
}

impl Rids {
    /// Adds an id.
    pub fn push(&mut self, rid: i32) {
        if self.spill.is_empty() && (self.n as usize) < self.inline.len() {
            self.inline[self.n as usize] = rid;
            self.n += 1;
            return;
        }
        if self.spill.is_empty() {
            self.spill
                .extend_from_slice(&self.inline[..self.n as usize]);
            self.n = 0;
        }
        self.spill.push(rid);
    }

    /// The ids, in no particular order.
    pub fn as_slice(&self) -> &[i32] {
        if self.spill.is_empty() {
            &self.inline[..self.n as usize]
        } else {
            &self.spill
        }
    }

    /// Removes `rid` if present.
    pub fn remove(&mut self, rid: i32) {
        if self.spill.is_empty() {
            let n = self.n as usize;
            if let Some(i) = self.inline[..n].iter().position(|&r| r == rid) {
                self.inline[i] = self.inline[n - 1];
                self.n -= 1;
            }
        } else if let Some(i) = self.spill.iter().position(|&r| r == rid) {
            self.spill.swap_remove(i);
        }
    }

    /// True when no exchange is left.
    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }
}

#[cfg(test)]
mod rids_tests {
    use super::Rids;

    #[test]
    fn inline_then_spilled_then_empty() {
        let mut r = Rids::default();
        assert!(r.is_empty());
        for id in 1..=5 {
            r.push(id);
            assert_eq!(r.as_slice().len(), id as usize);
        }
        let mut v = r.as_slice().to_vec();
        v.sort_unstable();
        assert_eq!(v, [1, 2, 3, 4, 5]);
        r.remove(3);
        r.remove(42);
        let mut v = r.as_slice().to_vec();
        v.sort_unstable();
        assert_eq!(v, [1, 2, 4, 5]);
        for id in [1, 2, 4, 5] {
            r.remove(id);
        }
        assert!(r.is_empty());
        r.push(7);
        assert_eq!(r.as_slice(), [7]);
        r.push(8);
        r.remove(7);
        assert_eq!(r.as_slice(), [8]);
        r.remove(8);
        assert!(r.is_empty());
    }
}
