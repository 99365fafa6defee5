//! A simulator worker thread: owns its sockets and an epoll set, reads requests in batches
//! (`recvmmsg` with per-message pktinfo), answers them through the shared [`Fleet`], and sends
//! replies in batches (`sendmmsg`, each from the address it was asked at). Replies with a
//! latency wait in a FIFO timer queue (every reply has the same delay, so arrival order is
//! due order); the epoll timeout is the time to the next due reply, so a delay never blocks
//! other requests.

use super::agent::{Fleet, Tweaks};
use super::security::DropReason;
use super::Misbehaviour;
use crate::transport::pktinfo::{thread_cpu_time, OutMsg, PktSocket, RecvBatch};
use crate::transport::sys::{Epoll, EventFd};
use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Largest request accepted (bigger datagrams are dropped as invalid).
const MAX_REQUEST: usize = 16 * 1024;
/// Replies waiting for their latency, per worker, before new requests are shed.
const MAX_PENDING: usize = 1 << 20;
/// `recvmmsg` calls per socket per wake-up, so timers keep their turn.
const RECV_ROUNDS: usize = 16;
/// Epoll token of the stop eventfd; sockets are `index + 1`.
const STOP_TOKEN: u64 = 0;
/// The socket index meaning "the alternate (wrong-port) socket".
const ALT: u32 = u32::MAX;

/// The shared stop signal: a flag plus an eventfd every worker's epoll watches.
pub(crate) struct Stop {
    pub flag: AtomicBool,
    pub fd: EventFd,
}

/// Counters a worker publishes after every loop turn.
#[derive(Default)]
pub(crate) struct Counters {
    pub received: AtomicU64,
    pub answered: AtomicU64,
    pub dropped_loss: AtomicU64,
    pub dropped_auth: AtomicU64,
    pub dropped_invalid: AtomicU64,
    pub dropped_overload: AtomicU64,
    pub sent: AtomicU64,
    pub send_failed: AtomicU64,
    pub duplicates: AtomicU64,
    pub misbehaved: AtomicU64,
    pub pending: AtomicU64,
    pub cpu_ns: AtomicU64,
}

#[derive(Default, Clone, Copy)]
struct Local {
    received: u64,
    answered: u64,
    dropped_loss: u64,
    dropped_auth: u64,
    dropped_invalid: u64,
    dropped_overload: u64,
    sent: u64,
    send_failed: u64,
    duplicates: u64,
    misbehaved: u64,
}

/// Reply behaviour shared by all workers.
pub(crate) struct Behaviour {
    pub latency: Duration,
    pub loss: f64,
    pub duplicate: f64,
    pub misbehaviours: Vec<(Misbehaviour, f64)>,
}

/// How a worker maps a datagram to a device.
#[derive(Clone, Copy)]
pub(crate) enum Lookup {
    /// Device = destination address - `base` (address mode).
    ByAddress { base: u32, count: u32 },
    /// Each socket belongs to one device (port mode).
    BySocket,
}

/// Everything a worker thread starts with.
pub(crate) struct WorkerSetup {
    pub sockets: Vec<PktSocket>,
    /// Port mode: the device of each socket.
    pub socket_device: Vec<usize>,
    pub alt: Option<PktSocket>,
    pub lookup: Lookup,
    pub fleet: Arc<Fleet>,
    pub behaviour: Arc<Behaviour>,
    pub counters: Arc<Counters>,
    pub stop: Arc<Stop>,
    pub deadline: Option<Instant>,
    pub seed: u64,
}

/// SplitMix64: a small, fast, seedable generator (determinism matters, quality barely).
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        super::synthetic::mix(self.0, 0)
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && (p >= 1.0 || ((self.next_u64() >> 11) as f64) < p * (1u64 << 53) as f64)
    }
}

/// A reply on its way out.
struct Pending {
    due: Instant,
    sock: u32,
    dest: SocketAddr,
    src: Option<IpAddr>,
    data: Vec<u8>,
}

struct Worker {
    s: WorkerSetup,
    epoll: Epoll,
    rng: Rng,
    local: Local,
    queue: VecDeque<Pending>,
    ready: Vec<Pending>,
    free: Vec<Vec<u8>>,
    scratch: Vec<u8>,
}

/// Runs a worker until stopped or past its deadline.
pub(crate) fn run(setup: WorkerSetup) -> std::io::Result<impl FnOnce()> {
    let epoll = Epoll::new()?;
    epoll.add(setup.stop.fd.raw(), STOP_TOKEN)?;
    for (i, s) in setup.sockets.iter().enumerate() {
        epoll.add(s.raw(), i as u64 + 1)?;
    }
    let rng = Rng(setup.seed);
    let w = Worker {
        s: setup,
        epoll,
        rng,
        local: Local::default(),
        queue: VecDeque::new(),
        ready: Vec::new(),
        free: Vec::new(),
        scratch: Vec::with_capacity(4096),
    };
    Ok(move || w.main_loop())
}

impl Worker {
    fn main_loop(mut self) {
        let mut batch = RecvBatch::new(crate::transport::pktinfo::BATCH, MAX_REQUEST);
        let mut tokens = Vec::with_capacity(8);
        loop {
            if self.s.stop.flag.load(Ordering::Acquire) {
                break;
            }
            let now = Instant::now();
            if self.s.deadline.is_some_and(|d| now >= d) {
                break;
            }
            self.flush_due(now);
            self.publish();
            let mut wake: Option<Instant> = self.queue.front().map(|p| p.due);
            if let Some(d) = self.s.deadline {
                wake = Some(wake.map_or(d, |w| w.min(d)));
            }
            let timeout = match wake {
                Some(at) => {
                    let d = at.saturating_duration_since(Instant::now());
                    // Round up so we never wake just before a due time and spin.
                    d.as_micros().div_ceil(1000).min(60_000) as i32
                }
                None => -1,
            };
            if self.epoll.wait(&mut tokens, timeout).is_err() {
                tokens.clear();
            }
            for &t in &tokens {
                if t == STOP_TOKEN {
                    continue;
                }
                self.receive(t as usize - 1, &mut batch);
            }
        }
        self.publish();
    }

    fn receive(&mut self, sock: usize, batch: &mut RecvBatch) {
        for _ in 0..RECV_ROUNDS {
            let n = match self.s.sockets[sock].recv_batch(batch) {
                Ok(n) => n,
                Err(_) => return,
            };
            let now = Instant::now();
            for m in batch.meta() {
                self.local.received += 1;
                let data = batch.payload(m);
                if data.is_empty() {
                    self.local.dropped_invalid += 1;
                    continue;
                }
                let dev = match self.s.lookup {
                    Lookup::ByAddress { base, count } => match m.to {
                        Some(IpAddr::V4(a)) => {
                            let i = u32::from(a).wrapping_sub(base);
                            (i < count).then_some(i as usize)
                        }
                        _ => None,
                    },
                    Lookup::BySocket => Some(self.s.socket_device[sock]),
                };
                let Some(dev) = dev else {
                    self.local.dropped_invalid += 1;
                    continue;
                };
                // Reply from the address asked (in per-port mode that is the bound address).
                self.answer(sock as u32, dev, m.from, m.to, data, now);
            }
            if self.s.behaviour.latency.is_zero() {
                let mut ready = std::mem::take(&mut self.ready);
                self.send(&mut ready);
                self.ready = ready;
            }
            if n < batch.capacity() {
                return;
            }
        }
    }

    fn answer(
        &mut self,
        sock: u32,
        dev: usize,
        from: SocketAddr,
        mut src: Option<IpAddr>,
        data: &[u8],
        now: Instant,
    ) {
        let b = &*self.s.behaviour;
        if self.rng.chance(b.loss) {
            self.local.dropped_loss += 1;
            return;
        }
        if self.queue.len() + self.ready.len() >= MAX_PENDING {
            self.local.dropped_overload += 1;
            return;
        }
        let mut tweaks = Tweaks::default();
        let mut post = [false; 4]; // truncate, garble, wrong port, wrong address
        let mut misbehaved = false;
        for &(m, frac) in &b.misbehaviours {
            if !self.rng.chance(frac) {
                continue;
            }
            misbehaved = true;
            match m {
                Misbehaviour::NonIncreasing => tweaks.non_increasing = true,
                Misbehaviour::WrongRequestId => tweaks.wrong_request_id = true,
                Misbehaviour::BulkTooBig {
                    max_varbinds,
                    max_bytes,
                } => tweaks.bulk_limit = Some((max_varbinds, max_bytes)),
                Misbehaviour::Truncate => post[0] = true,
                Misbehaviour::Garble => post[1] = true,
                Misbehaviour::WrongPort => post[2] = true,
                Misbehaviour::WrongAddress => post[3] = true,
            }
        }
        let mut out = self.free.pop().unwrap_or_default();
        if let Err(reason) =
            self.s
                .fleet
                .handle(dev, data, now, tweaks, &mut self.scratch, &mut out)
        {
            match reason {
                DropReason::Auth => self.local.dropped_auth += 1,
                DropReason::Invalid | DropReason::Unsupported => self.local.dropped_invalid += 1,
            }
            self.free.push(out);
            return;
        }
        if misbehaved {
            self.local.misbehaved += 1;
        }
        if post[0] {
            out.truncate(out.len() / 2);
        }
        if post[1] && !out.is_empty() {
            for _ in 0..3 {
                let r = self.rng.next_u64();
                let at = (r % out.len() as u64) as usize;
                out[at] ^= ((r >> 32) as u8) | 1;
            }
        }
        let mut sock = sock;
        if post[2] && self.s.alt.is_some() {
            sock = ALT;
        }
        if post[3] {
            let asked = src.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
            match asked {
                IpAddr::V4(a) => src = Some(IpAddr::V4(Ipv4Addr::from(u32::from(a) ^ 1))),
                IpAddr::V6(_) if self.s.alt.is_some() => sock = ALT,
                IpAddr::V6(_) => {}
            }
        }
        let due = now + self.s.behaviour.latency;
        let dup = self.rng.chance(self.s.behaviour.duplicate);
        if dup {
            self.local.duplicates += 1;
            let mut copy = self.free.pop().unwrap_or_default();
            copy.clear();
            copy.extend_from_slice(&out);
            self.push(Pending {
                due,
                sock,
                dest: from,
                src,
                data: copy,
            });
        }
        self.local.answered += 1;
        self.push(Pending {
            due,
            sock,
            dest: from,
            src,
            data: out,
        });
    }

    fn push(&mut self, p: Pending) {
        if self.s.behaviour.latency.is_zero() {
            self.ready.push(p);
        } else {
            self.queue.push_back(p);
        }
    }

    fn flush_due(&mut self, now: Instant) {
        let mut ready = std::mem::take(&mut self.ready);
        while self.queue.front().is_some_and(|p| p.due <= now) {
            ready.push(self.queue.pop_front().expect("non-empty"));
        }
        self.send(&mut ready);
        self.ready = ready;
    }

    /// Sends `items` (grouped into runs per socket) and recycles their buffers.
    fn send(&mut self, items: &mut Vec<Pending>) {
        let mut start = 0;
        while start < items.len() {
            let sock = items[start].sock;
            let end = items[start..]
                .iter()
                .position(|p| p.sock != sock)
                .map_or(items.len(), |k| start + k);
            let msgs: Vec<OutMsg<'_>> = items[start..end]
                .iter()
                .map(|p| OutMsg {
                    dest: p.dest,
                    src: p.src,
                    data: &p.data,
                })
                .collect();
            let socket = if sock == ALT {
                self.s.alt.as_ref()
            } else {
                self.s.sockets.get(sock as usize)
            };
            let sent = match socket {
                Some(s) => {
                    let mut failed = 0u64;
                    let n = s.send_batch(&msgs, &mut |_, _| failed += 1);
                    n as u64 - failed
                }
                None => 0,
            };
            self.local.sent += sent;
            self.local.send_failed += msgs.len() as u64 - sent;
            start = end;
        }
        for p in items.drain(..) {
            if self.free.len() < 4096 {
                let mut d = p.data;
                d.clear();
                self.free.push(d);
            }
        }
    }

    fn publish(&self) {
        let c = &self.s.counters;
        let l = &self.local;
        let st = |a: &AtomicU64, v: u64| a.store(v, Ordering::Relaxed);
        st(&c.received, l.received);
        st(&c.answered, l.answered);
        st(&c.dropped_loss, l.dropped_loss);
        st(&c.dropped_auth, l.dropped_auth);
        st(&c.dropped_invalid, l.dropped_invalid);
        st(&c.dropped_overload, l.dropped_overload);
        st(&c.sent, l.sent);
        st(&c.send_failed, l.send_failed);
        st(&c.duplicates, l.duplicates);
        st(&c.misbehaved, l.misbehaved);
        st(&c.pending, self.queue.len() as u64);
        st(&c.cpu_ns, thread_cpu_time().as_nanos() as u64);
    }
}
