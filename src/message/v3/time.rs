//! A manager's view of an authoritative engine's clock (RFC 3414 §2.3) and the timeliness
//! check of incoming authenticated messages (RFC 3414 §3.2 step 7b). Pure: the caller passes
//! the current `Instant`.

use std::time::Instant;

use super::MAX_ENGINE_COUNTER;

/// The timeliness window: an authenticated message may lag our estimate of the engine's time
/// by at most 150 seconds (RFC 3414 §2.2.3).
pub const TIME_WINDOW: u32 = 150;

/// The verdict of [`EngineClock::on_authentic`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    /// The message is within the time window.
    InWindow,
    /// The message is outside it (RFC 3414 §3.2 step 7b: notInTimeWindow; drop it).
    NotInTimeWindow,
}

/// The non-authoritative copy of one remote engine's snmpEngineBoots/snmpEngineTime and its
/// latestReceivedEngineTime (RFC 3414 §2.3), with the local instant the time was taken at so
/// it can be advanced without a clock of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineClock {
    boots: u32,
    time: u32,
    latest_received: u32,
    at: Instant,
}

impl EngineClock {
    /// The clock as learnt from discovery (or a notInTimeWindows report) at `now`.
    pub fn new(boots: u32, time: u32, now: Instant) -> EngineClock {
        EngineClock {
            boots: boots.min(MAX_ENGINE_COUNTER),
            time: time.min(MAX_ENGINE_COUNTER),
            latest_received: time.min(MAX_ENGINE_COUNTER),
            at: now,
        }
    }

    /// The engine's boots and estimated time at `now`: what an outgoing message carries in
    /// msgAuthoritativeEngineBoots/Time.
    pub fn estimate(&self, now: Instant) -> (u32, u32) {
        let elapsed = now.saturating_duration_since(self.at).as_secs();
        let t = (self.time as u64 + elapsed).min(MAX_ENGINE_COUNTER as u64) as u32;
        (self.boots, t)
    }

    /// snmpEngineBoots as last learnt.
    pub fn boots(&self) -> u32 {
        self.boots
    }

    /// latestReceivedEngineTime.
    pub fn latest_received(&self) -> u32 {
        self.latest_received
    }

    /// Processes the boots/time of an *authenticated* incoming message from the engine (RFC
    /// 3414 §3.2 step 7b): first the local notion is advanced if the message is newer
    /// (greater boots, or the same boots and a time later than latestReceivedEngineTime),
    /// then the message is checked against the window. Call it only after the MAC verified.
    pub fn on_authentic(&mut self, boots: u32, time: u32, now: Instant) -> Timeliness {
        if boots > self.boots || (boots == self.boots && time > self.latest_received) {
            *self = EngineClock::new(boots, time, now);
        }
        let (local_boots, local_time) = self.estimate(now);
        if local_boots == MAX_ENGINE_COUNTER
            || boots < local_boots
            || (boots == local_boots && time.saturating_add(TIME_WINDOW) < local_time)
        {
            Timeliness::NotInTimeWindow
        } else {
            Timeliness::InWindow
        }
    }
}
