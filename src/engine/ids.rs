//! Request-id allocation and the small integer-keyed map the engine matches responses with.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A multiplicative hasher for integer keys (request-ids, op ids): O(1) and far cheaper
/// than SipHash. Request-ids are chosen by us, not by the peer, so hash flooding is moot.
#[derive(Default, Clone, Copy)]
pub struct IntHasher(u64);

impl Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_i32(&mut self, v: i32) {
        self.write_u64(v as u32 as u64)
    }
    fn write_u32(&mut self, v: u32) {
        self.write_u64(v as u64)
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (v ^ self.0)
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
