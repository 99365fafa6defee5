//! `snmpx poll --rate`: a token bucket shared by every device of a poll. A device whose next
//! request finds no token parks itself; the poll's main thread releases parked devices as
//! tokens accrue (callbacks on the I/O thread never sleep).

use parking_lot::Mutex;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

struct Bucket {
    tokens: f64,
    last: Instant,
}

/// Requests-per-second limit over all targets, with parked waiters of type `T`.
pub struct Pacer<T> {
    rate: f64,
    burst: f64,
    bucket: Mutex<Bucket>,
    parked: Mutex<VecDeque<T>>,
}

impl<T> Pacer<T> {
    /// At most `rate` requests per second, in bursts of at most 10 ms worth (at least 1).
    pub fn new(rate: f64) -> Pacer<T> {
        let burst = (rate / 100.0).max(1.0);
        Pacer {
            rate,
            burst,
            bucket: Mutex::new(Bucket {
                tokens: burst,
                last: Instant::now(),
            }),
            parked: Mutex::new(VecDeque::new()),
        }
    }

    /// Takes one token if there is one.
    pub fn try_take(&self) -> bool {
        let mut b = self.bucket.lock();
        let now = Instant::now();
        let earned = now.duration_since(b.last).as_secs_f64() * self.rate;
        b.tokens = (b.tokens + earned).min(self.burst);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Parks a waiter until [`Pacer::unpark`] hands it back.
    pub fn park(&self, waiter: T) {
        self.parked.lock().push_back(waiter);
    }

    /// The parked waiters, oldest first (each retries `try_take` itself and may park again).
    pub fn unpark(&self) -> Vec<T> {
        self.parked.lock().drain(..).collect()
    }

    /// How long the main thread may sleep before tokens for parked waiters accrue.
    pub fn tick(&self) -> Duration {
        Duration::from_secs_f64((1.0 / self.rate).clamp(0.001, 0.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_refills() {
        let p: Pacer<u32> = Pacer::new(1000.0);
        let granted = (0..100).filter(|_| p.try_take()).count();
        // A burst of 10 ms worth (10 tokens), plus whatever accrued while looping.
        assert!((10..20).contains(&granted), "{granted}");
        std::thread::sleep(Duration::from_millis(20));
        assert!(p.try_take());
        p.park(7);
        p.park(8);
        assert_eq!(p.unpark(), vec![7, 8]);
        assert!(p.unpark().is_empty());
    }
}
