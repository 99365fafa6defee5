//! ICMP port unreachable: a request whose agent port is closed fails at once with
//! [`Error::Unreachable`] instead of after every retry. RFC 1122 §4.1.3.3 has UDP pass ICMP
//! errors up to the application; the driver reads them from its sockets' error queues
//! (`IP_RECVERR`) and hands each port-unreachable report to [`Engine::on_unreachable`].

use super::Engine;
use crate::error::Error;
use crate::message::{quoted_id, QuotedId};
use std::net::SocketAddr;
use std::time::Instant;

impl<S: Clone> Engine<S> {
    /// An ICMP or ICMPv6 port unreachable came back for a datagram we sent to `dest`;
    /// `quoted` is the start of that datagram as the ICMP message quoted it (may be empty).
    ///
    /// The request the quote names (request-id for v1/v2c, msgID for SNMPv3; every
    /// transmission of an exchange stays mapped to it, so a report about an earlier
    /// retransmission counts too) fails with [`Error::Unreachable`], and only if it was
    /// sent to `dest`: a report never fails a request to another target, and a late report
    /// about a finished request fails nothing (a new request to an agent that came back
    /// carries another id). A quote too short to name a request (a stack that quotes only
    /// the UDP header, RFC 792's minimum) fails every operation with a request in flight to
    /// `dest`. Operations of sessions with `fail_on_unreachable` off are left to their
    /// timeout, as Net-SNMP leaves them.
    pub fn on_unreachable(&mut self, dest: SocketAddr, quoted: &[u8], now: Instant) {
        self.now = now;
        self.stats.icmp_unreachable += 1;
        match quoted_id(quoted) {
            Some(QuotedId::RequestId(rid)) => self.unreachable_exchange(rid, dest, false),
            Some(QuotedId::MsgId(msg_id)) => match self.msg_ids.get(&msg_id).copied() {
                Some(rid) if self.discoveries.contains_key(&rid) => {
                    self.unreachable_discovery(rid, dest, now)
                }
                Some(rid) => self.unreachable_exchange(rid, dest, true),
                None => {}
            },
            None => self.unreachable_target(dest, now),
        }
        self.settle();
    }

    /// Counts an error-queue entry that is not a port unreachable (ignored).
    pub fn on_other_icmp(&mut self) {
        self.stats.icmp_other += 1;
    }

    /// Fails the operation of exchange `rid` if it went to `dest` (and is of the model the
    /// quote says: a v1/v2c request-id never names a v3 exchange, nor the reverse).
    fn unreachable_exchange(&mut self, rid: i32, dest: SocketAddr, v3: bool) {
        let Some(ex) = self.exchanges.get(&rid) else {
            return;
        };
        if !ex.started || ex.target != dest || ex.v3.is_some() != v3 {
            return;
        }
        let op_id = ex.op;
        self.fail_unreachable(op_id, dest);
    }

    /// Fails every operation with a request in flight to `dest` (a report without a usable
    /// quote), and the discoveries to it.
    fn unreachable_target(&mut self, dest: SocketAddr, now: Instant) {
        let mut ops: Vec<_> = self
            .exchanges
            .values()
            .filter(|ex| ex.started && ex.target == dest)
            .map(|ex| ex.op)
            .collect();
        ops.sort_unstable();
        ops.dedup();
        for op in ops {
            self.fail_unreachable(op, dest);
        }
        let discoveries: Vec<i32> = self
            .discoveries
            .iter()
            .filter(|(_, d)| d.target() == dest)
            .map(|(id, _)| *id)
            .collect();
        for drid in discoveries {
            self.unreachable_discovery(drid, dest, now);
        }
    }

    /// Fails operation `op_id` with [`Error::Unreachable`] unless its session waits for
    /// timeouts instead.
    pub(super) fn fail_unreachable(&mut self, op_id: super::OpId, dest: SocketAddr) {
        let Some(op) = self.ops.get(&op_id) else {
            return;
        };
        // ICMP errors come from the UDP sockets: operations over a stream are not concerned.
        if !op.params.fail_on_unreachable || op.params.conn().is_some() {
            return;
        }
        self.stats.failed_unreachable += 1;
        self.finish(op_id, Err(Error::Unreachable { peer: dest }));
    }
}
