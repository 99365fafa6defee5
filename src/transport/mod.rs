//! The driver: I/O shard threads that own UDP sockets, an epoll set and an eventfd, and pump
//! a sans-IO [`Engine`]. The number of UDP sockets and threads is fixed per runtime (one IPv4
//! and one IPv6 socket per shard), whatever the number of sessions or targets; TCP sessions
//! (`tcp.rs`) add one connection each.

pub(crate) mod pktinfo;
mod queue;
pub(crate) mod sys;
pub(crate) mod tcp;

use crate::engine::{Engine, Event, OpId, Operation, Params, Response, Stats, Transport};
use crate::error::Error;
use crate::usm::KeyCache;
use crate::value::VarBind;
use parking_lot::Mutex;
use queue::CommandQueue;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;
use sys::{Epoll, EventFd, UdpSocket};

thread_local! {
    static ON_SHARD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True on a shard thread (where callbacks run): such a thread must never block waiting for
/// capacity that only it can release.
pub(crate) fn on_shard_thread() -> bool {
    ON_SHARD.with(|c| c.get())
}

/// How the shard hands results back; implemented by the session layer's sinks.
pub(crate) trait Deliver: Clone + Send + 'static {
    /// Rows of a streaming walk.
    fn page(&self, varbinds: Vec<VarBind>);
    /// The final result.
    fn done(self, result: Result<Response, Error>);
}

/// One message as it crosses the wire, for a packet trace (Net-SNMP's `-d`).
#[derive(Debug)]
pub struct PacketTrace<'a> {
    /// True for a message sent, false for one received.
    pub sent: bool,
    /// The transport it travelled on.
    pub transport: Transport,
    /// The agent's address.
    pub peer: SocketAddr,
    /// The local address of the socket (UDP over IPv4 only; `None` otherwise).
    pub local: Option<SocketAddr>,
    /// The whole message.
    pub data: &'a [u8],
}

/// A packet-trace callback. It runs on the I/O thread for every message sent and received,
/// so it must be quick and must not block or submit requests.
pub type TraceHook = Arc<dyn Fn(&PacketTrace<'_>) + Send + Sync>;

/// Work sent to a shard.
pub(crate) enum Command<D> {
    Submit {
        id: OpId,
        params: Arc<Params>,
        op: Operation,
        sink: D,
    },
    Cancel(OpId),
    /// A TCP session opened: its connected stream (`conn` is the session id).
    TcpOpen {
        conn: u64,
        peer: SocketAddr,
        fd: std::os::fd::OwnedFd,
    },
    /// A TCP session's last handle was dropped: close its connection once idle.
    TcpClose(u64),
    Shutdown,
}

/// Wakes a shard blocked in epoll, but only when it is actually asleep.
struct Waker {
    fd: EventFd,
    sleeping: AtomicBool,
}

/// The submitting side of one shard thread.
pub(crate) struct ShardHandle<D> {
    tx: Arc<CommandQueue<Command<D>>>,
    waker: Arc<Waker>,
    thread: Mutex<Option<JoinHandle<()>>>,
    /// Caller-driven mode: the shard's state, run by whichever blocking caller holds it
    /// (there is no shard thread).
    driver: Option<Mutex<Driver<D>>>,
    /// The engine's counters, published by the shard after each loop turn.
    pub stats: Arc<Mutex<Stats>>,
    /// The local addresses of the shard's sockets (IPv4, then IPv6 if available).
    pub local_addrs: Vec<SocketAddr>,
}

/// A caller-driven shard: its state and loop scratch, behind the lock a driving caller holds.
struct Driver<D> {
    shard: Shard<D>,
    sc: LoopScratch,
    /// The shard has shut down (every operation was completed).
    dead: bool,
}

const WAKE_TOKEN: u64 = 0;
const V4_TOKEN: u64 = 1;
const V6_TOKEN: u64 = 2;
/// Datagrams read per recvmmsg call.
const RECV_BATCH: usize = sys::BATCH;

impl<D: Deliver> ShardHandle<D> {
    /// Creates the sockets and starts the shard thread, or, `caller_driven`, keeps the shard
    /// for blocking callers to drive (no thread).
    pub fn spawn(
        index: usize,
        socket_buffer: usize,
        keys: Arc<KeyCache>,
        trace: Option<TraceHook>,
        caller_driven: bool,
    ) -> io::Result<ShardHandle<D>> {
        let v4 = UdpSocket::bind_any(false, socket_buffer)?;
        // IPv6 may be disabled on the host; v6 targets then fail with a connection error.
        let v6 = UdpSocket::bind_any(true, socket_buffer).ok();
        let mut local_addrs = vec![v4.local_addr()?];
        if let Some(s) = &v6 {
            local_addrs.push(s.local_addr()?);
        }
        let epoll = Epoll::new()?;
        let waker = Arc::new(Waker {
            fd: EventFd::new()?,
            sleeping: AtomicBool::new(false),
        });
        epoll.add(waker.fd.raw(), WAKE_TOKEN)?;
        epoll.add(v4.raw(), V4_TOKEN)?;
        if let Some(s) = &v6 {
            epoll.add(s.raw(), V6_TOKEN)?;
        }
        let tx = CommandQueue::new();
        let rx = tx.clone();
        let stats = Arc::new(Mutex::new(Stats::default()));
        let mut seed = [0u8; 8];
        getrandom::getrandom(&mut seed).map_err(io::Error::other)?;
        let local_v4 = trace.as_ref().and_then(|_| tcp::local_addr(v4.raw()));
        let tcp = tcp::Conns::new(epoll.raw(), trace.clone());
        let shard = Shard {
            rx,
            waker: waker.clone(),
            epoll,
            v4,
            v6,
            tcp,
            trace,
            local_v4,
            stats: stats.clone(),
            engine: Engine::new(u64::from_ne_bytes(seed), Instant::now(), keys),
        };
        let (thread, driver) = if caller_driven {
            let d = Driver {
                shard,
                // A blocking caller has one request in flight: a few buffers are plenty.
                sc: LoopScratch::new(8),
                dead: false,
            };
            (None, Some(Mutex::new(d)))
        } else {
            let t = std::thread::Builder::new()
                .name(format!("snmpx-shard-{index}"))
                .spawn(move || shard.run())?;
            (Some(t), None)
        };
        Ok(ShardHandle {
            tx,
            waker,
            thread: Mutex::new(thread),
            driver,
            stats,
            local_addrs,
        })
    }

    /// True for a caller-driven shard (no I/O thread).
    pub fn is_caller_driven(&self) -> bool {
        self.driver.is_some()
    }

    /// Caller-driven mode: runs the shard's loop in this thread until `done()` (or the shard
    /// shut down) and returns true; false at once if another thread is driving it.
    pub fn try_drive(&self, done: &dyn Fn() -> bool) -> bool {
        let Some(d) = &self.driver else {
            return false;
        };
        let Some(mut g) = d.try_lock() else {
            return false;
        };
        let was = ON_SHARD.with(|c| c.replace(true));
        let Driver { shard, sc, dead } = &mut *g;
        while !*dead && !done() {
            *dead = !shard.turn(sc, done);
        }
        ON_SHARD.with(|c| c.set(was));
        true
    }

    /// Queues a command and wakes the shard if it sleeps.
    pub fn send(&self, cmd: Command<D>) -> Result<(), Error> {
        // A closed queue refuses the command: the shard has stopped, and every command it
        // took before closing is answered (cancelled), so none is lost unanswered.
        self.tx.push(cmd).map_err(|_| Error::Closed)?;
        // Load first: a busy shard's flag stays false, and a plain read of it does not take
        // the cache line away from the shard as a swap on every submission would.
        if self.waker.sleeping.load(Ordering::SeqCst)
            && self.waker.sleeping.swap(false, Ordering::SeqCst)
        {
            self.waker.fd.signal();
        }
        Ok(())
    }

    /// Stops the shard: in-flight operations complete with `Cancelled`. Joins the thread
    /// unless `forked` (a fork() child has no copy of the thread to join).
    pub fn stop(&self, forked: bool) {
        if forked {
            // The shard thread does not exist in a fork() child, and glibc may already have
            // given its pthread_t (stack cache) to a thread the child started since: dropping
            // the JoinHandle would pthread_detach that live thread. Forget it instead.
            if let Some(t) = self.thread.lock().take() {
                std::mem::forget(t);
            }
            return;
        }
        let _ = self.send(Command::Shutdown);
        if self.driver.is_some() {
            // Handle the shutdown now, unless a blocking caller is driving: it will, woken
            // by the command.
            self.try_drive(&|| true);
            return;
        }
        if let Some(t) = self.thread.lock().take() {
            if t.thread().id() != std::thread::current().id() {
                let _ = t.join();
            }
        }
    }
}

/// The state owned by one shard thread.
struct Shard<D> {
    rx: Arc<CommandQueue<Command<D>>>,
    waker: Arc<Waker>,
    epoll: Epoll,
    v4: UdpSocket,
    v6: Option<UdpSocket>,
    /// TCP sessions' connections (empty for UDP-only work).
    tcp: tcp::Conns,
    trace: Option<TraceHook>,
    /// The IPv4 socket's local address, for the packet trace.
    local_v4: Option<SocketAddr>,
    stats: Arc<Mutex<Stats>>,
    engine: Engine<D>,
}

/// The buffers of a shard loop, allocated once.
struct LoopScratch {
    ready: Vec<u64>,
    bufs: Vec<Vec<u8>>,
    meta: Vec<(SocketAddr, usize)>,
    outgoing: Vec<crate::engine::Queued>,
}

impl LoopScratch {
    fn new(batch: usize) -> LoopScratch {
        LoopScratch {
            ready: Vec::with_capacity(8),
            bufs: (0..batch).map(|_| vec![0u8; 65536]).collect(),
            meta: Vec::with_capacity(batch),
            outgoing: Vec::new(),
        }
    }
}

impl<D: Deliver> Shard<D> {
    fn run(mut self) {
        ON_SHARD.with(|c| c.set(true));
        let mut sc = LoopScratch::new(RECV_BATCH);
        while self.turn(&mut sc, &|| false) {}
    }

    /// One turn of the loop: commands, timers, sends, completions; then, unless `done()`,
    /// wait for I/O (or the next deadline) and read it. False once the shard shut down.
    fn turn(&mut self, sc: &mut LoopScratch, done: &dyn Fn() -> bool) -> bool {
        let LoopScratch {
            ready,
            bufs,
            meta,
            outgoing,
        } = sc;
        {
            let now = Instant::now();
            if !self.take_commands(now) {
                // Close the gate, then take what was sent before it closed: those operations
                // are cancelled with the rest instead of being dropped unanswered.
                let mut rest = Vec::new();
                self.rx.close(&mut rest);
                for cmd in rest {
                    if let Command::Submit {
                        id,
                        params,
                        op,
                        sink,
                    } = cmd
                    {
                        self.engine.submit(id, params, op, sink, now);
                    }
                }
                self.engine.fail_all(Error::Cancelled);
                self.publish();
                self.deliver();
                return false;
            }
            self.engine.handle_timeout(now);
            self.flush(outgoing);
            // Counters first, so a caller woken by a completion sees counters that include it.
            self.publish();
            self.deliver();
            if !self.tcp.is_empty() {
                self.tcp.reap(&mut self.engine);
            }
            if done() {
                return true;
            }

            let mut timeout = match self.engine.next_deadline() {
                Some(at) => {
                    let d = at.saturating_duration_since(Instant::now());
                    // Round up so we never wake just before a deadline and spin.
                    (d.as_micros().div_ceil(1000)).min(60_000) as i32
                }
                None => -1,
            };
            // Datagrams queued after the flush (an ICMP error it read freed a slot) go now.
            if !self.rx.is_empty() || self.engine.has_transmit() {
                timeout = 0;
            }
            if timeout != 0 {
                self.waker.sleeping.store(true, Ordering::SeqCst);
                if !self.rx.is_empty() {
                    self.waker.sleeping.store(false, Ordering::SeqCst);
                    timeout = 0;
                }
            }
            if self.epoll.wait(ready, timeout).is_err() {
                ready.clear();
            }
            self.waker.sleeping.store(false, Ordering::SeqCst);
            for &token in ready.iter() {
                match token {
                    WAKE_TOKEN => self.waker.fd.drain(),
                    V4_TOKEN | V6_TOKEN => self.receive(token, bufs, meta),
                    t if t >= tcp::TOKEN_BASE => {
                        let now = Instant::now();
                        self.tcp.ready(t - tcp::TOKEN_BASE, &mut self.engine, now);
                        // Replies read there may have queued more requests (walks).
                        self.tcp.flush(&mut self.engine);
                    }
                    _ => {}
                }
            }
        }
        true
    }

    /// Feeds queued commands to the engine; false on shutdown (the commands queued after
    /// a shutdown are left for the caller, which cancels them).
    fn take_commands(&mut self, now: Instant) -> bool {
        let mut chunks = self.rx.take();
        if chunks.is_empty() && queue::orphaned(&self.rx) {
            return false;
        }
        let mut live = true;
        let mut after_shutdown = Vec::new();
        for cmd in chunks.iter_mut().flat_map(|c| c.drain(..)) {
            if !live {
                after_shutdown.push(cmd);
                continue;
            }
            match cmd {
                Command::Submit {
                    id,
                    params,
                    op,
                    sink,
                } => {
                    self.engine.submit(id, params, op, sink, now);
                }
                Command::Cancel(id) => {
                    self.engine.cancel(id);
                }
                Command::TcpOpen { conn, peer, fd } => {
                    if let Err(e) = self.tcp.open(conn, peer, fd) {
                        let reason = format!("cannot watch the TCP connection: {e}");
                        self.engine
                            .fail_conn(conn, Error::Connection { peer, reason });
                    }
                }
                Command::TcpClose(conn) => self.tcp.close(conn, &mut self.engine),
                Command::Shutdown => live = false,
            }
        }
        self.rx.recycle(chunks);
        // What followed the shutdown goes back in front, for the caller to cancel.
        self.rx.unshift(after_shutdown);
        live
    }

    fn receive(&mut self, token: u64, bufs: &mut [Vec<u8>], meta: &mut Vec<(SocketAddr, usize)>) {
        let sock = if token == V4_TOKEN {
            &mut self.v4
        } else {
            match &mut self.v6 {
                Some(s) => s,
                None => return,
            }
        };
        // Bounded: at most 16 batches per wake so timers and submissions keep their turn.
        for round in 0..16 {
            let n = match sock.recv_batch(bufs, meta) {
                Ok(n) => n,
                Err(_) => break,
            };
            if n == 0 && round == 0 {
                // Ready with nothing to read: EPOLLERR for error-queue entries whose pending
                // error a send already took.
                sock.read_error_queue();
            }
            let now = Instant::now();
            if let Some(t) = &self.trace {
                let local = if token == V4_TOKEN {
                    self.local_v4
                } else {
                    None
                };
                let transport = Transport::Udp;
                for (i, &(peer, len)) in meta.iter().enumerate() {
                    let data = &bufs[i][..len];
                    t(&PacketTrace {
                        sent: false,
                        transport,
                        peer,
                        local,
                        data,
                    });
                }
            }
            for (i, &(from, len)) in meta.iter().enumerate() {
                self.engine.handle_datagram(from, &bufs[i][..len], now);
            }
            if n < bufs.len() {
                break;
            }
        }
        self.queued_errors();
    }

    /// Hands the ICMP errors the sockets queued (IP_RECVERR) to the engine: a port
    /// unreachable fails the request it quotes; the others are counted.
    fn queued_errors(&mut self) {
        let mut errs = self.v4.take_errors();
        if let Some(s) = &mut self.v6 {
            errs.extend(s.take_errors());
        }
        if errs.is_empty() {
            return;
        }
        let now = Instant::now();
        for e in errs {
            if e.port_unreachable {
                self.engine.on_unreachable(e.dest, &e.quoted, now);
            } else {
                self.engine.on_other_icmp();
            }
        }
    }

    /// Sends everything the engine has queued, one sendmmsg batch per family.
    fn flush(&mut self, outgoing: &mut Vec<crate::engine::Queued>) {
        outgoing.clear();
        self.engine.take_queued(outgoing);
        if outgoing.is_empty() {
            return;
        }
        if !self.tcp.is_empty() {
            // Copied out first: queueing on a connection needs the engine mutably.
            let streamed: Vec<(u64, SocketAddr, Vec<u8>)> = outgoing
                .iter()
                .filter_map(|q| {
                    let conn = q.conn()?;
                    Some((conn, q.dest(), self.engine.payload(q)?.to_vec()))
                })
                .collect();
            for (conn, dest, data) in streamed {
                self.tcp.queue(conn, dest, &data, &mut self.engine);
            }
            self.tcp.flush(&mut self.engine);
        }
        if let Some(hook) = &self.trace {
            for q in outgoing.iter().filter(|q| q.conn().is_none()) {
                let Some(data) = self.engine.payload(q) else {
                    continue;
                };
                let local = if q.dest().is_ipv6() {
                    None
                } else {
                    self.local_v4
                };
                hook(&PacketTrace {
                    sent: true,
                    transport: Transport::Udp,
                    peer: q.dest(),
                    local,
                    data,
                });
            }
        }
        let mut failed: Vec<(SocketAddr, io::Error)> = Vec::new();
        for v6 in [false, true] {
            let engine = &self.engine;
            let msgs: Vec<(SocketAddr, &[u8])> = outgoing
                .iter()
                .filter(|q| q.dest().is_ipv6() == v6 && q.conn().is_none())
                .filter_map(|q| Some((q.dest(), engine.payload(q)?)))
                .collect();
            if msgs.is_empty() {
                continue;
            }
            let sock = if v6 {
                self.v6.as_mut()
            } else {
                Some(&mut self.v4)
            };
            let Some(sock) = sock else {
                for (dest, _) in &msgs {
                    failed.push((
                        *dest,
                        io::Error::other("IPv6 is not available on this host"),
                    ));
                }
                continue;
            };
            // A full socket buffer (EAGAIN) leaves the rest unsent: retransmission recovers.
            sock.send_batch(&msgs, &mut |i, e| failed.push((msgs[i].0, e)));
        }
        self.engine.recycle_queued(outgoing);
        for (peer, e) in failed {
            let err = Error::Connection {
                peer,
                reason: e.to_string(),
            };
            self.engine.fail_target(peer, err);
        }
        self.queued_errors();
    }

    fn deliver(&mut self) {
        while let Some(ev) = self.engine.poll_event() {
            match ev {
                Event::Page { ctx, varbinds } => ctx.page(varbinds),
                Event::Done { ctx, result, .. } => ctx.done(result),
            }
        }
    }

    fn publish(&self) {
        let s = self.engine.stats();
        let mut shared = self.stats.lock();
        if *shared != *s {
            *shared = s.clone();
        }
    }
}
