//! snmpx fleet sweep through the Rust API, the same workload and output line as
//! bench/peers/netsnmp_fleet.c and bench/peers/gosnmp_fleet (so bench/run.sh can compare them).
//!
//! Usage: fleet seq|batch BASE_IP PORT DEVICES WINDOW [SHARDS]
//!   seq     15 GETs of one varbind each per device, one after the other
//!   batch   one GET of the same 15 varbinds per device
//!   BASE_IP device i is at BASE_IP + i (the simulator's --base), port PORT
//!   WINDOW  devices in flight at once (WINDOW >= DEVICES: all at once)
//!
//! One Runtime (SHARDS I/O threads, default 1), one Session per device; each device's next GET
//! is submitted from the completion callback of the previous one. The main thread only admits
//! devices and counts finished ones.
//!
//! Prints: impl=snmpx-fleet mode=.. devices=.. window=.. requests=.. ok_devices=..
//! failed_devices=.. varbinds=.. wall_s=.. cpu_user_s=.. cpu_sys_s=.. maxrss_kb=.. fds=..
//! retransmissions=.. timeouts=..
//! (wall/CPU over the sweep, runtime start excluded; maxrss_kb = getrusage peak of the process;
//! fds = open descriptors at the end of the sweep; retransmissions/timeouts from the runtime's
//! counters). Timeout 1 s per attempt, 2 retries.

use crossbeam_channel::{Receiver, Sender};
use snmpx::session::{Operation, Response};
use snmpx::{Error, ErrorStatus, Oid, Runtime, Session};
use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The 15 objects of `snmpx demo` (src/bin/snmpx/demo.rs), in the same order.
const OIDS: [&str; 15] = [
    "1.3.6.1.2.1.1.1.0",
    "1.3.6.1.2.1.1.2.0",
    "1.3.6.1.2.1.1.3.0",
    "1.3.6.1.2.1.1.4.0",
    "1.3.6.1.2.1.1.5.0",
    "1.3.6.1.2.1.1.6.0",
    "1.3.6.1.2.1.2.1.0",
    "1.3.6.1.2.1.2.2.1.2.1",
    "1.3.6.1.2.1.2.2.1.8.1",
    "1.3.6.1.2.1.2.2.1.10.1",
    "1.3.6.1.2.1.2.2.1.16.1",
    "1.3.6.1.2.1.31.1.1.1.6.1",
    "1.3.6.1.2.1.31.1.1.1.10.1",
    "1.3.6.1.2.1.31.1.1.1.15.1",
    "1.3.6.1.2.1.31.1.1.1.18.1",
];

fn rusage() -> (f64, f64, i64) {
    let ru = unsafe {
        // SAFETY: getrusage fills the zeroed struct we pass.
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut ru);
        ru
    };
    let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
    (t(ru.ru_utime), t(ru.ru_stime), ru.ru_maxrss)
}

struct Totals {
    requests: AtomicU64,
    varbinds: AtomicU64,
}

/// One device: its session, the OIDs and how far it got.
struct Device {
    session: Session,
    oids: Arc<Vec<Oid>>,
    batch: bool,
    step: AtomicUsize,
    totals: Arc<Totals>,
    done: Sender<bool>,
}

impl Device {
    fn steps(&self) -> usize {
        if self.batch {
            1
        } else {
            self.oids.len()
        }
    }

    fn send(self: Arc<Self>) {
        let step = self.step.load(Ordering::Relaxed);
        let op = if self.batch {
            Operation::Get(self.oids.to_vec())
        } else {
            Operation::Get(vec![self.oids[step].clone()])
        };
        self.totals.requests.fetch_add(1, Ordering::Relaxed);
        let me = self.clone();
        if self.session.submit(op, move |r| me.complete(r)).is_err() {
            let _ = self.done.send(false);
        }
    }

    fn complete(self: Arc<Self>, r: Result<Response, Error>) {
        let want = if self.batch { self.oids.len() } else { 1 };
        let good = match &r {
            Ok(resp) => {
                self.totals
                    .varbinds
                    .fetch_add(resp.varbinds.len() as u64, Ordering::Relaxed);
                resp.status == ErrorStatus::NoError
                    && resp.varbinds.len() == want
                    && !resp.varbinds.iter().any(|vb| vb.value.is_exception())
            }
            Err(_) => false,
        };
        let step = self.step.fetch_add(1, Ordering::Relaxed) + 1;
        if !good {
            let _ = self.done.send(false);
        } else if step >= self.steps() {
            let _ = self.done.send(true);
        } else {
            self.send();
        }
    }
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count().saturating_sub(1))
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    if a.len() < 6 || (a[1] != "seq" && a[1] != "batch") {
        eprintln!("usage: fleet seq|batch BASE_IP PORT DEVICES WINDOW [SHARDS]");
        std::process::exit(2);
    }
    let batch = a[1] == "batch";
    let base: Ipv4Addr = a[2].parse().expect("BASE_IP");
    let port: u16 = a[3].parse().expect("PORT");
    let devices: usize = a[4].parse().expect("DEVICES");
    let window: usize = a[5]
        .parse::<usize>()
        .expect("WINDOW")
        .clamp(1, devices.max(1));
    let shards: usize = a.get(6).map_or(1, |s| s.parse().expect("SHARDS"));
    let oids: Arc<Vec<Oid>> = Arc::new(OIDS.iter().map(|s| s.parse().unwrap()).collect());
    let rt = Runtime::builder()
        .shards(shards)
        .max_in_flight(window + 1024)
        .build()
        .expect("runtime");
    let totals = Arc::new(Totals {
        requests: AtomicU64::new(0),
        varbinds: AtomicU64::new(0),
    });
    let (tx, rx): (Sender<bool>, Receiver<bool>) = crossbeam_channel::unbounded();
    let base_n = u32::from(base);

    let (u0, s0, _) = rusage();
    let t0 = Instant::now();
    let (mut next, mut active, mut ok, mut failed) = (0usize, 0usize, 0u64, 0u64);
    while next < devices || active > 0 {
        while next < devices && active < window {
            let addr = Ipv4Addr::from(base_n + next as u32);
            next += 1;
            let session = Session::builder(&format!("{addr}:{port}"))
                .timeout(Duration::from_secs(1))
                .retries(2)
                .open(&rt);
            match session {
                Ok(session) => {
                    active += 1;
                    Arc::new(Device {
                        session,
                        oids: oids.clone(),
                        batch,
                        step: AtomicUsize::new(0),
                        totals: totals.clone(),
                        done: tx.clone(),
                    })
                    .send();
                }
                Err(e) => {
                    if failed == 0 {
                        eprintln!("fleet: open {addr}:{port}: {e}");
                    }
                    failed += 1;
                }
            }
        }
        if active == 0 {
            break;
        }
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(good) => {
                active -= 1;
                if good {
                    ok += 1
                } else {
                    failed += 1
                }
            }
            Err(_) => {
                eprintln!("fleet: no device finished for 30 s; {active} still in flight");
                failed += active as u64;
                break;
            }
        }
    }
    let wall = t0.elapsed().as_secs_f64();
    let (u1, s1, maxrss) = rusage();
    // The shard publishes its counters just after delivering completions: let them settle.
    std::thread::sleep(Duration::from_millis(20));
    let st = rt.stats();
    println!(
        "impl=snmpx-fleet mode={} devices={devices} window={window} requests={} ok_devices={ok} \
         failed_devices={failed} varbinds={} wall_s={wall:.3} cpu_user_s={:.3} cpu_sys_s={:.3} \
         maxrss_kb={maxrss} fds={} retransmissions={} timeouts={}",
        a[1],
        totals.requests.load(Ordering::Relaxed),
        totals.varbinds.load(Ordering::Relaxed),
        u1 - u0,
        s1 - s0,
        open_fds(),
        st.retransmissions,
        st.timeouts
    );
    if failed > 0 {
        std::process::exit(1);
    }
}
