//! The [`Runtime`]: a fixed set of I/O shard threads plus the runtime-wide in-flight cap.

use super::sink::Sink;
use crate::engine::Stats;
use crate::error::Error;
use crate::transport::sys::fork_generation;
use crate::transport::{PacketTrace, ShardHandle, TraceHook};
use crate::usm::KeyCache;
use parking_lot::{Condvar, Mutex};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

/// The runtime-wide cap on requests in flight. Submitters block while it is reached
/// (back-pressure, never unbounded memory) except on shard threads, where a callback that
/// submits more work must not wait for the thread that would release it.
pub(crate) struct Limiter {
    max: usize,
    count: AtomicUsize,
    waiters: AtomicUsize,
    lock: Mutex<()>,
    cv: Condvar,
}

impl Limiter {
    fn new(max: usize) -> Limiter {
        Limiter {
            max: max.max(1),
            count: AtomicUsize::new(0),
            waiters: AtomicUsize::new(0),
            lock: Mutex::new(()),
            cv: Condvar::new(),
        }
    }

    /// Takes a permit, blocking while `max` are taken (never on a shard thread). The count
    /// never exceeds `max` except by shard-thread submissions.
    pub fn acquire(&self) {
        if self.try_take() {
            return;
        }
        if crate::transport::on_shard_thread() {
            // Callbacks that submit more work must not wait for their own thread.
            self.count.fetch_add(1, Ordering::AcqRel);
            return;
        }
        let mut g = self.lock.lock();
        self.waiters.fetch_add(1, Ordering::SeqCst);
        while !self.try_take() {
            self.cv.wait(&mut g);
        }
        self.waiters.fetch_sub(1, Ordering::SeqCst);
    }

    fn try_take(&self) -> bool {
        let mut c = self.count.load(Ordering::Acquire);
        while c < self.max {
            match self
                .count
                .compare_exchange_weak(c, c + 1, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => return true,
                Err(now) => c = now,
            }
        }
        false
    }

    pub fn release(&self) {
        self.count.fetch_sub(1, Ordering::AcqRel);
        if self.waiters.load(Ordering::SeqCst) > 0 {
            let _g = self.lock.lock();
            self.cv.notify_one();
        }
    }

    /// Requests currently holding a permit.
    pub fn in_flight(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }
}

pub(crate) struct RuntimeInner {
    pub shards: Vec<ShardHandle<Sink>>,
    pub next_id: AtomicU64,
    pub next_session: AtomicU64,
    pub limiter: Arc<Limiter>,
    /// SNMPv3 keys, shared by every shard and session of the runtime.
    pub keys: Arc<KeyCache>,
    fork_gen: u64,
    closed: AtomicBool,
}

impl RuntimeInner {
    /// Fails if the runtime was shut down or belongs to the parent of a fork().
    pub fn check_usable(&self) -> Result<(), Error> {
        if fork_generation() != self.fork_gen {
            return Err(Error::Forked);
        }
        if self.closed.load(Ordering::Acquire) {
            return Err(Error::Closed);
        }
        Ok(())
    }

    fn stop(&self) {
        if self.closed.swap(true, Ordering::AcqRel) {
            return;
        }
        let forked = fork_generation() != self.fork_gen;
        for s in &self.shards {
            s.stop(forked);
        }
    }
}

impl Drop for RuntimeInner {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Configures a [`Runtime`].
#[derive(Clone)]
pub struct RuntimeBuilder {
    shards: usize,
    max_in_flight: usize,
    socket_buffer: usize,
    trace: Option<TraceHook>,
    caller_driven: bool,
}

impl std::fmt::Debug for RuntimeBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuntimeBuilder")
            .field("shards", &self.shards)
            .field("max_in_flight", &self.max_in_flight)
            .field("socket_buffer", &self.socket_buffer)
            .field("packet_trace", &self.trace.is_some())
            .field("caller_driven", &self.caller_driven)
            .finish()
    }
}

impl Default for RuntimeBuilder {
    fn default() -> Self {
        RuntimeBuilder {
            shards: 1,
            max_in_flight: 100_000,
            socket_buffer: 32 << 20,
            trace: None,
            caller_driven: false,
        }
    }
}

impl RuntimeBuilder {
    /// Number of I/O shard threads (default 1; capped at the number of CPUs).
    pub fn shards(mut self, n: usize) -> Self {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        self.shards = n.clamp(1, cpus.max(1));
        self
    }

    /// Runtime-wide cap on requests in flight (default 100,000); submitters block beyond it.
    pub fn max_in_flight(mut self, n: usize) -> Self {
        self.max_in_flight = n.max(1);
        self
    }

    /// Requested socket send/receive buffer size in bytes (default 8 MiB; the kernel may cap it).
    pub fn socket_buffer(mut self, bytes: usize) -> Self {
        self.socket_buffer = bytes;
        self
    }

    /// Calls `hook` with every message sent and received (both transports), on the I/O
    /// thread, before it is sent or decoded: Net-SNMP's `-d` packet dump is built on it. The
    /// hook must be quick; it must not block or submit requests. Costs nothing when unset.
    pub fn packet_trace<F>(mut self, hook: F) -> Self
    where
        F: Fn(&PacketTrace<'_>) + Send + Sync + 'static,
    {
        self.trace = Some(Arc::new(hook));
        self
    }

    /// A runtime without an I/O thread: the thread waiting in a blocking call drives the
    /// sockets itself (send, wait in epoll, receive, decode), as a single-threaded program
    /// using Net-SNMP does, so a round trip costs no thread wake-ups. Meant for command-line
    /// tools and other programs that make one blocking call at a time; concurrent blocking
    /// callers take turns driving (one drives, the others wait for their result or their
    /// turn). Callbacks, completion queues and streaming walks need an I/O thread and are
    /// refused with a usage error. Uses one shard whatever [`shards`](Self::shards) says.
    pub fn caller_driven(mut self, on: bool) -> Self {
        self.caller_driven = on;
        self
    }

    /// Starts the shard threads (none for a [`caller_driven`](Self::caller_driven) runtime).
    pub fn build(self) -> Result<Runtime, Error> {
        let fork_gen = fork_generation();
        let keys = Arc::new(KeyCache::new().map_err(|e| Error::Connection {
            peer: std::net::SocketAddr::from(([0, 0, 0, 0], 0)),
            reason: format!("cannot create the SNMPv3 key cache: {e}"),
        })?);
        let n = if self.caller_driven { 1 } else { self.shards };
        let mut shards = Vec::with_capacity(n);
        for i in 0..n {
            let trace = self.trace.clone();
            let (buf, cd) = (self.socket_buffer, self.caller_driven);
            let h = ShardHandle::spawn(i, buf, keys.clone(), trace, cd).map_err(|e| {
                Error::Connection {
                    peer: std::net::SocketAddr::from(([0, 0, 0, 0], 0)),
                    reason: format!("cannot start I/O shard: {e}"),
                }
            })?;
            shards.push(h);
        }
        Ok(Runtime {
            inner: Arc::new(RuntimeInner {
                shards,
                next_id: AtomicU64::new(1),
                next_session: AtomicU64::new(1),
                limiter: Arc::new(Limiter::new(self.max_in_flight)),
                keys,
                fork_gen,
                closed: AtomicBool::new(false),
            }),
        })
    }
}

/// The engine and its I/O shard threads. Cheap to clone (a shared handle); sessions keep it
/// alive. Dropping the last handle (runtime and sessions) stops the threads; requests still in
/// flight then complete with [`Error::Cancelled`].
///
/// Thread-safety: shareable (`Send + Sync`). After `fork()`, a child must create its own
/// runtime: the parent's returns [`Error::Forked`] there.
#[derive(Clone)]
pub struct Runtime {
    pub(crate) inner: Arc<RuntimeInner>,
}

impl Runtime {
    /// A runtime with default settings (one shard).
    pub fn new() -> Result<Runtime, Error> {
        RuntimeBuilder::default().build()
    }

    /// A builder for custom settings.
    pub fn builder() -> RuntimeBuilder {
        RuntimeBuilder::default()
    }

    /// Counters summed over all shards.
    pub fn stats(&self) -> Stats {
        let mut total = Stats::default();
        for s in &self.inner.shards {
            total.add(&s.stats.lock());
        }
        total
    }

    /// The runtime's SNMPv3 key cache: its counters show how many pass-phrase expansions
    /// (RFC 3414 A.2, the 1 MiB hash) and localisations ran.
    pub fn key_cache(&self) -> &KeyCache {
        &self.inner.keys
    }

    /// Requests currently in flight (holding a permit).
    pub fn in_flight(&self) -> usize {
        self.inner.limiter.in_flight()
    }

    /// The local addresses of the runtime's sockets: for each shard, its IPv4 socket and,
    /// when IPv6 is available, its IPv6 socket, all bound to the wildcard address on an
    /// ephemeral port. Requests leave from, and answers must come back to, these ports. For
    /// diagnostics and firewall rules; the runtime never answers datagrams sent there (it is
    /// a manager only: unsolicited requests, traps, informs and unmatched responses are
    /// counted in [`Stats`] and dropped).
    pub fn local_addrs(&self) -> Vec<std::net::SocketAddr> {
        self.inner
            .shards
            .iter()
            .flat_map(|s| s.local_addrs.iter().copied())
            .collect()
    }

    /// Number of shard threads.
    pub fn shard_count(&self) -> usize {
        self.inner.shards.len()
    }

    /// Stops the shard threads now: in-flight requests complete with [`Error::Cancelled`] and
    /// later calls on any session of this runtime fail with [`Error::Closed`].
    pub fn shutdown(&self) {
        self.inner.stop();
    }
}
