//! The API users see: a [`Runtime`] and cheap, cloneable, `Send + Sync` [`Session`] handles
//! with blocking calls, callback submission, a completion queue and streaming walks.

mod builder;
mod runtime;
mod sink;
mod target;
mod v3opts;
mod walk;

pub use crate::engine::{OpId, Operation, Response, Stats, Transport, DISCOVERY_FAILED};
pub use crate::transport::tcp::{CLOSED_BY_PEER, CONNECT_FAILED};
pub use crate::transport::PacketTrace;
pub use builder::SessionBuilder;
pub use runtime::{Runtime, RuntimeBuilder};
pub use sink::{Completion, CompletionQueue};
pub use target::{resolve as resolve_target, resolve_with_transport, DEFAULT_PORT};
pub use walk::WalkIter;

use crate::engine::Params;
use crate::error::Error;
use crate::oid::Oid;
use crate::pdu::{ErrorStatus, TrapV1};
use crate::transport::Command;
use crate::value::{Value, VarBind};
use runtime::RuntimeInner;
use sink::{Oneshot, Sink, SinkKind};
use std::net::SocketAddr;
use std::sync::Arc;

/// Anything that names an OID: an [`Oid`], or numeric text like `1.3.6.1.2.1.1.1.0`.
pub trait ToOid {
    /// The OID, or a parse error.
    fn to_oid(&self) -> Result<Oid, Error>;
}

impl ToOid for Oid {
    fn to_oid(&self) -> Result<Oid, Error> {
        Ok(self.clone())
    }
}
impl ToOid for str {
    /// Numeric text (`1.3.6.1.2.1.1.1.0`, `.1.3...`) is parsed directly; anything else
    /// (`sysDescr.0`, `IF-MIB::ifDescr.3`, `.iso.org...`) goes to the process's MIB resolver
    /// ([`Resolver::global`](crate::mib::Resolver::global), set up from `MIBDIRS`/`MIBS`).
    fn to_oid(&self) -> Result<Oid, Error> {
        match self.parse::<Oid>() {
            Ok(oid) => Ok(oid),
            // Digits and dots that do not make a valid OID: report the OID error itself.
            Err(e) if self.chars().all(|c| c.is_ascii_digit() || c == '.') => {
                Err(Error::Parse(format!("{e}")))
            }
            Err(_) => Ok(crate::mib::Resolver::global().resolve(self)?),
        }
    }
}
impl ToOid for String {
    fn to_oid(&self) -> Result<Oid, Error> {
        self.as_str().to_oid()
    }
}
impl<T: ToOid + ?Sized> ToOid for &T {
    fn to_oid(&self) -> Result<Oid, Error> {
        (**self).to_oid()
    }
}

fn to_oids<T: ToOid>(oids: &[T]) -> Result<Vec<Oid>, Error> {
    oids.iter().map(|o| o.to_oid()).collect()
}

/// How often a caller waiting behind another driving caller (caller-driven runtime) checks
/// whether it may drive; its own result wakes it at once.
const HANDOVER_POLL: std::time::Duration = std::time::Duration::from_millis(1);

/// `sysUpTime.0`, the first binding of every v2 notification (RFC 3416 §4.2.6).
const SYS_UPTIME_0: [u32; 9] = [1, 3, 6, 1, 2, 1, 1, 3, 0];
/// `snmpTrapOID.0`, the second binding of every v2 notification (RFC 3416 §4.2.6).
const SNMP_TRAP_OID_0: [u32; 11] = [1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0];

/// A handle to one agent with its credentials and options. Cloning is cheap; any number of
/// threads may use one session at once, and a blocking call holds no lock while it waits.
///
/// Thread-safety: shareable (`Send + Sync`).
#[derive(Clone)]
pub struct Session {
    rt: Arc<RuntimeInner>,
    params: Arc<Params>,
    shard: usize,
    /// A TCP session's connection, closed when the last handle goes.
    _conn: Option<Arc<ConnGuard>>,
}

/// Closes a TCP session's connection when the last clone of the session is dropped (the
/// shard waits for the requests still in flight on it).
struct ConnGuard {
    rt: Arc<RuntimeInner>,
    shard: usize,
    id: u64,
}

impl Drop for ConnGuard {
    fn drop(&mut self) {
        if self.rt.check_usable().is_ok() {
            let _ = self.rt.shards[self.shard].send(Command::TcpClose(self.id));
        }
    }
}

/// Shows the target and options; never the community or SNMPv3 secrets (see [`Params`]).
impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("params", &self.params)
            .field("shard", &self.shard)
            .finish_non_exhaustive()
    }
}

/// A submitted asynchronous request, for cancellation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestHandle {
    /// The request's id (also reported in [`Completion::id`]).
    pub id: OpId,
    shard: usize,
}

impl Session {
    /// Starts configuring a session to `target` (`host`, `host:port`, `[v6]:port`, `udp6:...`,
    /// `tcp:host:port`, `tcp6:[v6]:port`).
    pub fn builder(target: &str) -> SessionBuilder {
        SessionBuilder::new(target)
    }

    /// The resolved agent address.
    pub fn peer(&self) -> SocketAddr {
        self.params.target
    }

    /// The transport the session uses (from the target's prefix).
    pub fn transport(&self) -> Transport {
        self.params.transport
    }

    /// The session's parameters.
    pub fn params(&self) -> &Params {
        &self.params
    }

    fn submit_sink(&self, op: Operation, kind: SinkKind) -> Result<RequestHandle, Error> {
        self.rt.check_usable()?;
        if !matches!(kind, SinkKind::Oneshot(_)) && self.rt.shards[self.shard].is_caller_driven() {
            return Err(Error::Usage(
                "a caller-driven runtime runs blocking calls only (no I/O thread for callbacks, \
                 completion queues or streaming walks)"
                    .into(),
            ));
        }
        let limiter = self.rt.limiter.clone();
        limiter.acquire();
        let id = self
            .rt
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let sink = Sink { kind, id, limiter };
        let cmd = Command::Submit {
            id,
            params: self.params.clone(),
            op,
            sink,
        };
        if let Err(e) = self.rt.shards[self.shard].send(cmd) {
            self.rt.limiter.release();
            return Err(e);
        }
        Ok(RequestHandle {
            id,
            shard: self.shard,
        })
    }

    /// Runs an operation and waits for it. The agent's error-status is returned as data in
    /// the [`Response`]; transport problems, timeouts and bad input are errors.
    pub fn request(&self, op: Operation) -> Result<Response, Error> {
        if crate::transport::on_shard_thread() {
            // The result could only be delivered by this very thread.
            return Err(Error::Usage(
                "blocking call on the I/O thread (from a callback): submit instead".into(),
            ));
        }
        let slot = Arc::new(Oneshot::default());
        self.submit_sink(op, SinkKind::Oneshot(slot.clone()))?;
        let shard = &self.rt.shards[self.shard];
        if shard.is_caller_driven() {
            // Drive the I/O ourselves; while another caller drives, wait for our result
            // (which it delivers) or for our turn.
            while !shard.try_drive(&|| slot.is_ready()) {
                if slot.wait_for(HANDOVER_POLL) {
                    break;
                }
            }
        }
        slot.wait()
    }

    /// Submits an operation; `callback` runs once with the result, on a shard thread. It must
    /// not block for long (it delays every other request of that shard); it may submit more.
    pub fn submit<F>(&self, op: Operation, callback: F) -> Result<RequestHandle, Error>
    where
        F: FnOnce(Result<Response, Error>) + Send + 'static,
    {
        self.submit_with_id(op, move |_, r| callback(r))
    }

    /// Like [`submit`](Self::submit), but the callback also receives the request id (the C
    /// ABI reports it in every completion, and the callback may run before `submit` returns).
    pub(crate) fn submit_with_id<F>(
        &self,
        op: Operation,
        callback: F,
    ) -> Result<RequestHandle, Error>
    where
        F: FnOnce(OpId, Result<Response, Error>) + Send + 'static,
    {
        let cell: Arc<dyn sink::CallOnce> = Arc::new(sink::CallbackSlot::new(callback));
        self.submit_sink(op, SinkKind::Callback(cell))
    }

    /// Cancels a request of this session by id alone (the C ABI hands out only ids).
    pub(crate) fn cancel_id(&self, id: OpId) -> Result<(), Error> {
        self.cancel(RequestHandle {
            id,
            shard: self.shard,
        })
    }

    /// Submits an operation whose result goes to `queue` with `tag`.
    pub fn submit_to_queue(
        &self,
        op: Operation,
        queue: &CompletionQueue,
        tag: u64,
    ) -> Result<RequestHandle, Error> {
        self.submit_sink(op, SinkKind::Queue(queue.inner.clone(), tag))
    }

    /// Cancels a submitted request: it completes with [`Error::Cancelled`] unless already done.
    pub fn cancel(&self, handle: RequestHandle) -> Result<(), Error> {
        self.rt.check_usable()?;
        self.rt.shards[handle.shard].send(Command::Cancel(handle.id))
    }

    /// Runs `op` and turns a non-zero error-status into [`Error::Agent`] naming the failed OID.
    fn checked(&self, op: Operation, asked: &[Oid]) -> Result<Vec<VarBind>, Error> {
        let r = self.request(op)?;
        if r.status != ErrorStatus::NoError {
            let oid = (r.index as usize)
                .checked_sub(1)
                .and_then(|i| asked.get(i))
                .cloned();
            return Err(Error::Agent {
                peer: r.peer,
                status: r.status,
                index: r.index,
                oid,
            });
        }
        Ok(r.varbinds)
    }

    /// GetRequest (RFC 3416 §4.2.1). Lists longer than `max_varbinds` are split into several
    /// requests; results come back in request order. Missing objects are values
    /// (`NoSuchObject`/`NoSuchInstance`), not errors.
    pub fn get<T: ToOid>(&self, oids: &[T]) -> Result<Vec<VarBind>, Error> {
        let oids = to_oids(oids)?;
        self.checked(Operation::Get(oids.clone()), &oids)
    }

    /// GetNextRequest (RFC 3416 §4.2.2).
    pub fn get_next<T: ToOid>(&self, oids: &[T]) -> Result<Vec<VarBind>, Error> {
        let oids = to_oids(oids)?;
        self.checked(Operation::GetNext(oids.clone()), &oids)
    }

    /// GetBulkRequest (RFC 3416 §4.2.3); refused on v1 sessions with a usage error.
    pub fn get_bulk<T: ToOid>(
        &self,
        non_repeaters: u32,
        max_repetitions: u32,
        oids: &[T],
    ) -> Result<Vec<VarBind>, Error> {
        let oids = to_oids(oids)?;
        let op = Operation::GetBulk {
            non_repeaters,
            max_repetitions,
            oids: oids.clone(),
        };
        self.checked(op, &oids)
    }

    /// SetRequest (RFC 3416 §4.2.5) with typed values; returns the agent's bindings.
    pub fn set(&self, varbinds: &[VarBind]) -> Result<Vec<VarBind>, Error> {
        let asked: Vec<Oid> = varbinds.iter().map(|v| v.oid.clone()).collect();
        self.checked(Operation::Set(varbinds.to_vec()), &asked)
    }

    /// Walks every root's subtree with GetNext, in turn, and returns all rows. Never silently
    /// truncated: a non-increasing OID, an error-status or a limit is an error.
    pub fn walk<T: ToOid>(&self, roots: &[T]) -> Result<Vec<VarBind>, Error> {
        self.walk_op(roots, false)
    }

    /// Like [`walk`](Self::walk) with GetBulk (max-repetitions from the session).
    pub fn bulk_walk<T: ToOid>(&self, roots: &[T]) -> Result<Vec<VarBind>, Error> {
        self.walk_op(roots, true)
    }

    fn walk_op<T: ToOid>(&self, roots: &[T], bulk: bool) -> Result<Vec<VarBind>, Error> {
        let roots = to_oids(roots)?;
        let op = Operation::Walk {
            roots: roots.clone(),
            bulk,
            stream: false,
        };
        self.checked(op, &roots)
    }

    /// A streaming walk: rows arrive as the agent answers; dropping the iterator cancels it.
    pub fn walk_iter<T: ToOid>(&self, roots: &[T], bulk: bool) -> Result<WalkIter, Error> {
        let roots = to_oids(roots)?;
        let (tx, rx) = crossbeam_channel::unbounded();
        let op = Operation::Walk {
            roots,
            bulk,
            stream: true,
        };
        let h = self.submit_sink(op, SinkKind::Stream(tx))?;
        Ok(WalkIter::new(self.clone(), h, rx))
    }

    /// Sends an SNMPv2-Trap (unacknowledged) with `sysUpTime.0` and `snmpTrapOID.0` first,
    /// as RFC 3416 §4.2.6 requires, then `varbinds`.
    pub fn send_trap(
        &self,
        uptime: u32,
        trap_oid: &Oid,
        varbinds: &[VarBind],
    ) -> Result<(), Error> {
        let vbs = notification(uptime, trap_oid, varbinds);
        self.request(Operation::TrapV2(vbs)).map(|_| ())
    }

    /// Sends an InformRequest and waits for the receiver's acknowledgement.
    pub fn inform(&self, uptime: u32, trap_oid: &Oid, varbinds: &[VarBind]) -> Result<(), Error> {
        let vbs = notification(uptime, trap_oid, varbinds);
        let asked: Vec<Oid> = vbs.iter().map(|v| v.oid.clone()).collect();
        self.checked(Operation::Inform(vbs), &asked).map(|_| ())
    }

    /// Sends a v1 Trap (v1 sessions only).
    pub fn send_trap_v1(&self, trap: TrapV1) -> Result<(), Error> {
        self.request(Operation::TrapV1(trap)).map(|_| ())
    }
}

fn notification(uptime: u32, trap_oid: &Oid, varbinds: &[VarBind]) -> Vec<VarBind> {
    let mut vbs = Vec::with_capacity(varbinds.len() + 2);
    vbs.push(VarBind::new(
        Oid::from_valid(&SYS_UPTIME_0),
        Value::TimeTicks(uptime),
    ));
    vbs.push(VarBind::new(
        Oid::from_valid(&SNMP_TRAP_OID_0),
        Value::ObjectId(trap_oid.clone()),
    ));
    vbs.extend_from_slice(varbinds);
    vbs
}
