//! An SNMP agent simulator: many simulated devices answered from few threads and sockets, for
//! scale tests, benchmarks and anyone testing a poller.
//!
//! Addressing ([`Addressing`]):
//! - **per address** (default): device `i` lives at `base + i` inside 127.0.0.0/8 (which Linux
//!   routes entirely to `lo`), all on one port. One socket per worker thread, bound to the
//!   wildcard address and restricted to the loopback device, receives for the whole range;
//!   `IP_PKTINFO` tells each request's destination (the device, found in O(1) by
//!   subtraction) and the reply is sent from that same address. 28,000 devices cost a handful
//!   of file descriptors.
//! - **per port**: every device on one loopback address (127.x.y.z or `::1`) at consecutive
//!   ports, one socket each; for small fleets or IPv6.
//!
//! Data: the synthetic model (system group, ifTable, ifXTable for N interfaces, optional
//! 10,000-row table under `1.3.6.1.4.1.99999` for bulk benchmarks) or recorded walks
//! (`snmpwalk -On` text), one shared by all devices or one per device. Models are immutable
//! and shared (`Arc`); per device only the values SETs stored are kept, so a 28,000-device
//! fleet stays small.
//!
//! Behaviour: reply latency without blocking other replies (a timer queue in each worker),
//! loss and duplication drawn from a seeded PRNG, and [`Misbehaviour`]s for client tests.
//! Security is a per-device hook ([`Security`]); v1/v2c communities are built in and
//! [`UsmSecurity`] serves SNMPv3 (every device its own engine ID).
//!
//! ```no_run
//! use snmpx::sim::{SimConfig, Simulator};
//! let sim = Simulator::start(SimConfig::new(100).community("public")).unwrap();
//! println!("device 5 answers at {}", sim.addr_of(5));
//! ```
#![forbid(unsafe_code)]

mod agent;
mod mib;
mod security;
pub mod synthetic;
mod usm;
pub mod walkfile;
mod worker;

pub use mib::{Access, Mib};
pub use security::{
    CommunitySecurity, DropReason, Incoming, Opened, ReplyContext, ResponseBody, Security,
};
pub use usm::UsmSecurity;
pub use walkfile::WalkData;

use crate::transport::pktinfo::{PktSocket, SocketOptions};
use crate::transport::sys::EventFd;
use agent::{DeviceState, Fleet};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use worker::{Behaviour, Counters, Lookup, Stop, WorkerSetup};

/// Why the simulator cannot start.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// A configuration value is not acceptable (non-loopback address, range overflow, ...).
    #[error("invalid simulator configuration: {0}")]
    Config(String),
    /// A walk file could not be read or holds no usable record.
    #[error("walk file {path}: {reason}")]
    Walk {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// A socket or thread could not be created.
    #[error("cannot start simulator: {0}")]
    Io(#[from] std::io::Error),
}

/// Where the simulated devices listen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addressing {
    /// Device `i` at `base + i` (all inside 127.0.0.0/8), all on the configured port.
    PerAddress(Ipv4Addr),
    /// Every device on this loopback address (127.x.y.z or `::1`), device `i` at port
    /// `port + i` (or an ephemeral port each when the port is 0). One socket per device.
    PerPort(IpAddr),
}

/// Deliberately wrong agent behaviour, for testing clients. Each is applied to a chosen
/// fraction of replies (see [`SimConfig::misbehave`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Misbehaviour {
    /// GetNext/GetBulk answers repeat the requested OID (a walk that does not advance).
    NonIncreasing,
    /// GetBulk answers tooBig when the response would exceed this many varbinds or bytes.
    BulkTooBig {
        /// Varbind limit.
        max_varbinds: usize,
        /// Encoded-size limit of the varbinds.
        max_bytes: usize,
    },
    /// The reply is cut to half its length.
    Truncate,
    /// Three random bytes of the reply are flipped.
    Garble,
    /// The reply comes from another port (an extra socket).
    WrongPort,
    /// The reply comes from another loopback address (IPv4; the wrong port for IPv6).
    WrongAddress,
    /// The reply carries request-id + 1.
    WrongRequestId,
}

/// Where a walk model comes from.
#[derive(Clone, Debug)]
enum WalkSource {
    File(PathBuf),
    Text(String),
}

/// Simulator settings; a builder (every setter takes and returns `self`).
#[derive(Clone)]
pub struct SimConfig {
    devices: usize,
    addressing: Addressing,
    port: u16,
    community: String,
    threads: usize,
    latency: Duration,
    loss: f64,
    duplicate: f64,
    seed: u64,
    interfaces: u32,
    big_table_rows: u32,
    walks: Vec<WalkSource>,
    misbehaviours: Vec<(Misbehaviour, f64)>,
    max_message_size: usize,
    duration: Option<Duration>,
    name_prefix: String,
    security: Option<Arc<dyn Security>>,
    socket_buffer: usize,
}

impl std::fmt::Debug for SimConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimConfig")
            .field("devices", &self.devices)
            .field("addressing", &self.addressing)
            .field("port", &self.port)
            .field("threads", &self.threads)
            .field("latency", &self.latency)
            .field("loss", &self.loss)
            .field("interfaces", &self.interfaces)
            .field("walks", &self.walks.len())
            .finish_non_exhaustive()
    }
}

impl SimConfig {
    /// `devices` synthetic devices at 127.1.0.1 upwards on an ephemeral port, community
    /// `public`, 4 interfaces, one worker thread, no latency, loss or misbehaviour.
    pub fn new(devices: usize) -> SimConfig {
        SimConfig {
            devices,
            addressing: Addressing::PerAddress(Ipv4Addr::new(127, 1, 0, 1)),
            port: 0,
            community: "public".into(),
            threads: 1,
            latency: Duration::ZERO,
            loss: 0.0,
            duplicate: 0.0,
            seed: 1,
            interfaces: 4,
            big_table_rows: 0,
            walks: Vec::new(),
            misbehaviours: Vec::new(),
            max_message_size: 65_507,
            duration: None,
            name_prefix: "dev-".into(),
            security: None,
            socket_buffer: 64 << 20,
        }
    }

    /// Per-address mode from `base` (must be inside 127.0.0.0/8 with room for every device).
    pub fn base(mut self, base: Ipv4Addr) -> Self {
        self.addressing = Addressing::PerAddress(base);
        self
    }

    /// The addressing mode.
    pub fn addressing(mut self, a: Addressing) -> Self {
        self.addressing = a;
        self
    }

    /// UDP port (per-address mode: the port of every device; per-port mode: the first
    /// device's). 0 picks an ephemeral port.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The community every device accepts (ignored when a custom [`Security`] is set).
    pub fn community(mut self, c: impl Into<String>) -> Self {
        self.community = c.into();
        self
    }

    /// Worker threads (default 1). With more than one, each has its own socket on the same
    /// port (`SO_REUSEPORT`) in per-address mode, or its share of the sockets in per-port mode.
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = n;
        self
    }

    /// Delay before each reply is sent (other requests are served meanwhile).
    pub fn latency(mut self, d: Duration) -> Self {
        self.latency = d;
        self
    }

    /// Fraction (0..=1) of requests silently dropped.
    pub fn loss(mut self, fraction: f64) -> Self {
        self.loss = fraction;
        self
    }

    /// Fraction (0..=1) of replies sent twice.
    pub fn duplicate(mut self, fraction: f64) -> Self {
        self.duplicate = fraction;
        self
    }

    /// Seed of the loss/duplicate/misbehaviour generator (per worker: seed + worker index).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Interfaces of the synthetic model (default 4).
    pub fn interfaces(mut self, n: u32) -> Self {
        self.interfaces = n;
        self
    }

    /// Rows of the synthetic big table under `1.3.6.1.4.1.99999.1.1` (0 = none, the default).
    pub fn big_table(mut self, rows: u32) -> Self {
        self.big_table_rows = rows;
        self
    }

    /// Serves a recorded walk file instead of the synthetic model. Called several times,
    /// device `i` gets file `i % n`.
    pub fn walk_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.walks.push(WalkSource::File(path.into()));
        self
    }

    /// Like [`walk_file`](Self::walk_file) with the walk text given directly.
    pub fn walk_text(mut self, text: impl Into<String>) -> Self {
        self.walks.push(WalkSource::Text(text.into()));
        self
    }

    /// Applies `m` to a `fraction` (0..=1) of replies.
    pub fn misbehave(mut self, m: Misbehaviour, fraction: f64) -> Self {
        self.misbehaviours.push((m, fraction));
        self
    }

    /// Largest response message (default 65,507): GetBulk answers are cut to fit, other
    /// requests answer tooBig.
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_message_size = bytes;
        self
    }

    /// Stops serving after this long.
    pub fn duration(mut self, d: Duration) -> Self {
        self.duration = Some(d);
        self
    }

    /// sysName prefix of synthetic devices (default `dev-`: `dev-000123`).
    pub fn name_prefix(mut self, p: impl Into<String>) -> Self {
        self.name_prefix = p.into();
        self
    }

    /// Replaces the community check with a custom security hook (e.g. [`UsmSecurity`] for
    /// SNMPv3).
    pub fn security(mut self, s: Arc<dyn Security>) -> Self {
        self.security = Some(s);
        self
    }

    /// Requested socket buffer size (default 16 MiB; the kernel may cap it).
    pub fn socket_buffer(mut self, bytes: usize) -> Self {
        self.socket_buffer = bytes;
        self
    }

    fn validate(&self) -> Result<(), SimError> {
        let bad = |m: String| Err(SimError::Config(m));
        if self.devices == 0 || self.devices > 16_000_000 {
            return bad(format!("device count {} out of range", self.devices));
        }
        for (name, f) in [("loss", self.loss), ("duplicate", self.duplicate)]
            .into_iter()
            .chain(self.misbehaviours.iter().map(|(_, f)| ("misbehaviour", *f)))
        {
            if !(0.0..=1.0).contains(&f) {
                return bad(format!("{name} fraction {f} is not within 0..=1"));
            }
        }
        if !(1..=256).contains(&self.threads) {
            return bad(format!("thread count {} out of range", self.threads));
        }
        if self.max_message_size < 484 {
            return bad("max message size below 484 (RFC 3417 minimum)".into());
        }
        match self.addressing {
            Addressing::PerAddress(base) => {
                if !base.is_loopback() {
                    return bad(format!("{base} is not a loopback address (127.0.0.0/8)"));
                }
                let last = u32::from(base) as u64 + self.devices as u64 - 1;
                if last > u32::from(Ipv4Addr::new(127, 255, 255, 254)) as u64 {
                    return bad(format!(
                        "{} devices from {base} run past 127.255.255.254",
                        self.devices
                    ));
                }
            }
            Addressing::PerPort(ip) => {
                if !ip.is_loopback() {
                    return bad(format!("{ip} is not a loopback address"));
                }
                if self.port != 0 && self.port as usize + self.devices - 1 > 65_535 {
                    return bad(format!(
                        "{} devices from port {} run past 65535",
                        self.devices, self.port
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Counters of a running simulator (summed over workers).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SimStats {
    /// Datagrams received.
    pub received: u64,
    /// Requests answered (a reply was produced; duplicates counted once).
    pub answered: u64,
    /// Requests not answered: the sum of the `dropped_*` counters.
    pub dropped: u64,
    /// Dropped by the loss option.
    pub dropped_loss: u64,
    /// Dropped for a wrong community (or failed authentication).
    pub dropped_auth: u64,
    /// Dropped as undecodable, unsupported, or for no device at that address.
    pub dropped_invalid: u64,
    /// Dropped because too many replies were waiting for their latency.
    pub dropped_overload: u64,
    /// Reply datagrams handed to the kernel (duplicates included).
    pub replies_sent: u64,
    /// Reply datagrams the kernel refused (full buffer, ...).
    pub send_failed: u64,
    /// Replies sent twice by the duplicate option.
    pub duplicates: u64,
    /// Replies altered by a [`Misbehaviour`].
    pub misbehaved: u64,
    /// Replies waiting for their latency.
    pub pending: u64,
    /// CPU time used by the worker threads.
    pub cpu_time: Duration,
}

/// A running simulator. Stops its threads on [`stop`](Self::stop) or drop.
///
/// Thread-safety: shareable (`Send + Sync`).
pub struct Simulator {
    addressing: Addressing,
    port: u16,
    ports: Vec<u16>,
    devices: usize,
    fds: usize,
    stop: Arc<Stop>,
    counters: Vec<Arc<Counters>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
    walk_skipped: Vec<(String, usize, String)>,
}

impl Simulator {
    /// Validates the configuration, builds the models, binds the sockets and starts the
    /// worker threads. Refuses any non-loopback address.
    pub fn start(cfg: SimConfig) -> Result<Simulator, SimError> {
        cfg.validate()?;
        let (mibs, walk_skipped) = build_mibs(&cfg)?;
        let n_mibs = mibs.len() as u32;
        let devices = (0..cfg.devices)
            .map(|i| DeviceState {
                mib: i as u32 % n_mibs,
                overrides: parking_lot::Mutex::new(Vec::new()),
            })
            .collect();
        let security = cfg
            .security
            .clone()
            .unwrap_or_else(|| Arc::new(CommunitySecurity::new(&cfg.community)));
        let fleet = Arc::new(Fleet {
            mibs,
            devices,
            security,
            start: Instant::now(),
            name_prefix: cfg.name_prefix.clone(),
            max_message_size: cfg.max_message_size,
        });
        let stop = Arc::new(Stop {
            flag: AtomicBool::new(false),
            fd: EventFd::new()?,
        });
        let behaviour = Arc::new(Behaviour {
            latency: cfg.latency,
            loss: cfg.loss,
            duplicate: cfg.duplicate,
            misbehaviours: cfg.misbehaviours.clone(),
        });
        let opts = SocketOptions {
            reuse_port: cfg.threads > 1,
            buffer: cfg.socket_buffer,
            loopback_only: true,
        };
        let wants_alt = cfg
            .misbehaviours
            .iter()
            .any(|(m, _)| matches!(m, Misbehaviour::WrongPort | Misbehaviour::WrongAddress));
        let deadline = cfg.duration.map(|d| Instant::now() + d);
        // Sockets per worker.
        let mut per_worker: Vec<(Vec<PktSocket>, Vec<usize>)> =
            (0..cfg.threads).map(|_| (Vec::new(), Vec::new())).collect();
        let (lookup, port, ports, alt_ip) = match cfg.addressing {
            Addressing::PerAddress(base) => {
                let wild: SocketAddr = (Ipv4Addr::UNSPECIFIED, cfg.port).into();
                let first = PktSocket::bind(wild, &opts)?;
                let port = first.local_addr()?.port();
                per_worker[0].0.push(first);
                for w in per_worker.iter_mut().skip(1) {
                    w.0.push(PktSocket::bind(
                        (Ipv4Addr::UNSPECIFIED, port).into(),
                        &opts,
                    )?);
                }
                let lookup = Lookup::ByAddress {
                    base: u32::from(base),
                    count: cfg.devices as u32,
                };
                (lookup, port, Vec::new(), IpAddr::V4(Ipv4Addr::UNSPECIFIED))
            }
            Addressing::PerPort(ip) => {
                let single = SocketOptions {
                    reuse_port: false,
                    ..opts.clone()
                };
                let mut ports = Vec::with_capacity(cfg.devices);
                for i in 0..cfg.devices {
                    let p = if cfg.port == 0 {
                        0
                    } else {
                        cfg.port + i as u16
                    };
                    let s = PktSocket::bind(SocketAddr::new(ip, p), &single).map_err(|e| {
                        SimError::Io(std::io::Error::new(
                            e.kind(),
                            format!("binding device {i} at {ip} port {p}: {e}"),
                        ))
                    })?;
                    ports.push(s.local_addr()?.port());
                    let w = &mut per_worker[i % cfg.threads];
                    w.0.push(s);
                    w.1.push(i);
                }
                (Lookup::BySocket, ports[0], ports, ip)
            }
        };
        let mut fds = 1; // the stop eventfd
        let mut threads = Vec::with_capacity(cfg.threads);
        let mut counters = Vec::with_capacity(cfg.threads);
        let sim_stop = stop.clone();
        let handles_guard = StopOnError {
            stop: &sim_stop,
            threads: &mut threads,
        };
        for (i, (sockets, socket_device)) in per_worker.into_iter().enumerate() {
            let alt = if wants_alt {
                Some(PktSocket::bind(
                    SocketAddr::new(alt_ip, 0),
                    &opts_no_reuse(&opts),
                )?)
            } else {
                None
            };
            fds += sockets.len() + alt.is_some() as usize + 1;
            let c = Arc::new(Counters::default());
            counters.push(c.clone());
            let setup = WorkerSetup {
                sockets,
                socket_device,
                alt,
                lookup,
                fleet: fleet.clone(),
                behaviour: behaviour.clone(),
                counters: c,
                stop: stop.clone(),
                deadline,
                seed: cfg.seed.wrapping_add(i as u64),
            };
            let body = worker::run(setup)?;
            let t = std::thread::Builder::new()
                .name(format!("snmpx-sim-{i}"))
                .spawn(body)?;
            handles_guard.threads.push(t);
        }
        std::mem::forget(handles_guard);
        Ok(Simulator {
            addressing: cfg.addressing,
            port,
            ports,
            devices: cfg.devices,
            fds,
            stop,
            counters,
            threads: Mutex::new(threads),
            walk_skipped,
        })
    }

    /// The address device `index` answers at. Panics if `index >= devices()`.
    pub fn addr_of(&self, index: usize) -> SocketAddr {
        assert!(index < self.devices, "device {index} out of range");
        match self.addressing {
            Addressing::PerAddress(base) => SocketAddr::new(
                IpAddr::V4(Ipv4Addr::from(u32::from(base) + index as u32)),
                self.port,
            ),
            Addressing::PerPort(ip) => SocketAddr::new(ip, self.ports[index]),
        }
    }

    /// The port (per-address mode: every device's; per-port mode: device 0's).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Number of simulated devices.
    pub fn devices(&self) -> usize {
        self.devices
    }

    /// File descriptors the simulator holds (sockets, epoll sets, eventfd).
    pub fn fd_count(&self) -> usize {
        self.fds
    }

    /// Walk-file records that were not understood: (source, line, reason).
    pub fn walk_skipped(&self) -> &[(String, usize, String)] {
        &self.walk_skipped
    }

    /// Counters summed over the workers.
    pub fn stats(&self) -> SimStats {
        let mut s = SimStats::default();
        let mut cpu_ns = 0u64;
        for c in &self.counters {
            let g = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::Relaxed);
            s.received += g(&c.received);
            s.answered += g(&c.answered);
            s.dropped_loss += g(&c.dropped_loss);
            s.dropped_auth += g(&c.dropped_auth);
            s.dropped_invalid += g(&c.dropped_invalid);
            s.dropped_overload += g(&c.dropped_overload);
            s.replies_sent += g(&c.sent);
            s.send_failed += g(&c.send_failed);
            s.duplicates += g(&c.duplicates);
            s.misbehaved += g(&c.misbehaved);
            s.pending += g(&c.pending);
            cpu_ns += g(&c.cpu_ns);
        }
        s.dropped = s.dropped_loss + s.dropped_auth + s.dropped_invalid + s.dropped_overload;
        s.cpu_time = Duration::from_nanos(cpu_ns);
        s
    }

    /// True while any worker runs (false after [`stop`](Self::stop) or the configured
    /// duration).
    pub fn is_running(&self) -> bool {
        self.threads.lock().iter().any(|t| !t.is_finished())
    }

    /// Blocks until the workers exit (after the configured duration, or a `stop` from
    /// another thread).
    pub fn wait(&self) {
        while self.is_running() {
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the workers and waits for them. Idempotent.
    pub fn stop(&self) {
        self.stop.flag.store(true, Ordering::Release);
        self.stop.fd.signal();
        for t in self.threads.lock().drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Stops already started workers if `start` fails half-way.
struct StopOnError<'a> {
    stop: &'a Stop,
    threads: &'a mut Vec<JoinHandle<()>>,
}

impl Drop for StopOnError<'_> {
    fn drop(&mut self) {
        self.stop.flag.store(true, Ordering::Release);
        self.stop.fd.signal();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

fn opts_no_reuse(o: &SocketOptions) -> SocketOptions {
    SocketOptions {
        reuse_port: false,
        ..o.clone()
    }
}

type Skipped = Vec<(String, usize, String)>;

/// One shared model per distinct walk source, or the synthetic model.
fn build_mibs(cfg: &SimConfig) -> Result<(Vec<Arc<Mib>>, Skipped), SimError> {
    if cfg.walks.is_empty() {
        let m = synthetic::build(cfg.interfaces, cfg.big_table_rows);
        return Ok((vec![Arc::new(m)], Vec::new()));
    }
    let mut cache: HashMap<String, Arc<Mib>> = HashMap::new();
    let mut mibs = Vec::with_capacity(cfg.walks.len());
    let mut skipped = Vec::new();
    for (i, w) in cfg.walks.iter().enumerate() {
        let (key, data) = match w {
            WalkSource::File(p) => {
                let key = p.display().to_string();
                if let Some(m) = cache.get(&key) {
                    mibs.push(m.clone());
                    continue;
                }
                let data = walkfile::load(p).map_err(|e| SimError::Walk {
                    path: key.clone(),
                    reason: e.to_string(),
                })?;
                (key, data)
            }
            WalkSource::Text(t) => (format!("<walk text {i}>"), walkfile::parse(t)),
        };
        if data.varbinds.is_empty() {
            return Err(SimError::Walk {
                path: key,
                reason: "no usable record".into(),
            });
        }
        skipped.extend(
            data.skipped
                .iter()
                .map(|(line, why)| (key.clone(), *line, why.clone())),
        );
        let m = Arc::new(data.to_mib());
        cache.insert(key, m.clone());
        mibs.push(m);
    }
    Ok((mibs, skipped))
}
