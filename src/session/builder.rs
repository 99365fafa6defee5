//! [`SessionBuilder`]: target, version, community and options, resolved once at open.

use super::runtime::Runtime;
use super::{target, Session};
use crate::engine::Params;
use crate::error::Error;
use crate::message::Version;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

/// Configures and opens a [`Session`]. Defaults: v2c, community `public`, 1 s timeout,
/// 5 retries (Net-SNMP's defaults), 60 varbinds per request, max-repetitions 10.
#[derive(Clone, Debug)]
pub struct SessionBuilder {
    target: String,
    p: Params,
}

impl SessionBuilder {
    pub(super) fn new(target: &str) -> SessionBuilder {
        SessionBuilder {
            target: target.to_string(),
            p: Params::new(std::net::SocketAddr::from(([127, 0, 0, 1], 161))),
        }
    }

    /// SNMP version (v1 or v2c).
    pub fn version(mut self, v: Version) -> Self {
        self.p.version = v;
        self
    }

    /// Community string.
    pub fn community(mut self, c: impl AsRef<[u8]>) -> Self {
        self.p.community = c.as_ref().to_vec();
        self
    }

    /// Time to wait for each transmission's response.
    pub fn timeout(mut self, t: Duration) -> Self {
        self.p.timeout = t;
        self
    }

    /// Retransmissions after the first send.
    pub fn retries(mut self, n: u32) -> Self {
        self.p.retries = n;
        self
    }

    /// Exponential backoff factor for the timeout of each retransmission (1.0 = none).
    pub fn backoff(mut self, f: f64) -> Self {
        self.p.backoff = if f.is_finite() && f >= 1.0 { f } else { 1.0 };
        self
    }

    /// Overall deadline per operation (every retry and every walk step included).
    pub fn deadline(mut self, d: Duration) -> Self {
        self.p.deadline = Some(d);
        self
    }

    /// Maximum varbinds per request; larger Gets are split (default 60).
    pub fn max_varbinds(mut self, n: usize) -> Self {
        self.p.max_varbinds = n.max(1);
        self
    }

    /// GetBulk max-repetitions for bulk walks (default 10).
    pub fn max_repetitions(mut self, n: u32) -> Self {
        self.p.max_repetitions = n.max(1);
        self
    }

    /// GetBulk non-repeaters default (default 0).
    pub fn non_repeaters(mut self, n: u32) -> Self {
        self.p.non_repeaters = n;
        self
    }

    /// Accept responses only from the target address (default true; turn off for
    /// multi-homed agents that answer from another address).
    pub fn check_source(mut self, on: bool) -> Self {
        self.p.check_source = on;
        self
    }

    /// Requests in flight to this agent at once (0 = unlimited, the default).
    pub fn max_in_flight(mut self, n: usize) -> Self {
        self.p.max_in_flight = n;
        self
    }

    /// Fail walks whose OIDs do not increase (default true; Net-SNMP's `-Cc` turns it off).
    pub fn check_increasing(mut self, on: bool) -> Self {
        self.p.check_increasing = on;
        self
    }

    /// Maximum requests one walk may issue (0 = unlimited).
    pub fn walk_max_requests(mut self, n: u64) -> Self {
        self.p.walk_max_requests = n;
        self
    }

    /// Resolves the target (once) and opens the session on `rt`.
    pub fn open(mut self, rt: &Runtime) -> Result<Session, Error> {
        rt.inner.check_usable()?;
        if self.p.version == crate::message::Version::V3 {
            return Err(Error::Usage(
                "SNMPv3 is not available in this build yet".into(),
            ));
        }
        self.p.target = target::resolve(&self.target)?;
        let sid = rt.inner.next_session.fetch_add(1, Ordering::Relaxed);
        self.p.session_id = sid;
        let shard = (sid as usize) % rt.inner.shards.len();
        Ok(Session {
            rt: rt.inner.clone(),
            params: Arc::new(self.p),
            shard,
        })
    }
}
