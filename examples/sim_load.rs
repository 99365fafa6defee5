//! Load generator for the agent simulator: prints GETs/s served and GETs per simulator
//! CPU-second. `cargo run --release --example sim_load -- [seconds] [in-flight] [devices]
//! [sim-threads] [client-shards] [oids-per-get]`.
//!
//! The client is our own Session API in a closed loop: `in-flight` chains, each submitting
//! its next GET from the previous one's completion callback, spread over all devices.

use snmpx::session::Operation;
use snmpx::sim::{SimConfig, Simulator};
use snmpx::{Oid, Runtime, Session};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn arg(i: usize, default: u64) -> u64 {
    std::env::args()
        .nth(i)
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

struct Chain {
    session: Session,
    oids: Vec<Oid>,
    ok: Arc<AtomicU64>,
    failed: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

fn fire(c: Arc<Chain>) {
    if c.stop.load(Ordering::Relaxed) {
        return;
    }
    let next = c.clone();
    let _ = c.session.submit(Operation::Get(c.oids.clone()), move |r| {
        if r.is_ok() {
            next.ok.fetch_add(1, Ordering::Relaxed);
        } else {
            next.failed.fetch_add(1, Ordering::Relaxed);
        }
        fire(next);
    });
}

fn main() {
    let secs = arg(1, 5);
    let in_flight = arg(2, 256) as usize;
    let devices = arg(3, 1000) as usize;
    let sim_threads = arg(4, 1) as usize;
    let shards = arg(5, 1) as usize;
    let per_get = arg(6, 1) as usize;
    let sim = Simulator::start(SimConfig::new(devices).threads(sim_threads)).expect("sim");
    let rt = Runtime::builder().shards(shards).build().expect("runtime");
    let all: Vec<Oid> = [
        "1.3.6.1.2.1.1.5.0",
        "1.3.6.1.2.1.1.3.0",
        "1.3.6.1.2.1.2.2.1.10.1",
        "1.3.6.1.2.1.31.1.1.1.6.1",
        "1.3.6.1.2.1.1.1.0",
    ]
    .iter()
    .cycle()
    .take(per_get)
    .map(|s| s.parse().unwrap())
    .collect();
    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    for i in 0..in_flight {
        let session = Session::builder(&sim.addr_of(i % devices).to_string())
            .timeout(Duration::from_millis(500))
            .open(&rt)
            .unwrap();
        fire(Arc::new(Chain {
            session,
            oids: all.clone(),
            ok: ok.clone(),
            failed: failed.clone(),
            stop: stop.clone(),
        }));
    }
    // Warm up, then measure a window.
    std::thread::sleep(Duration::from_millis(500));
    let (s0, t0) = (sim.stats(), Instant::now());
    std::thread::sleep(Duration::from_secs(secs));
    let (s1, dt) = (sim.stats(), t0.elapsed().as_secs_f64());
    stop.store(true, Ordering::Relaxed);
    std::thread::sleep(Duration::from_millis(600));
    let answered = s1.answered - s0.answered;
    let cpu = (s1.cpu_time - s0.cpu_time).as_secs_f64();
    println!(
        "sim_load: {devices} devices, {in_flight} in flight, {per_get} OID(s)/GET, \
         {sim_threads} sim thread(s), {shards} client shard(s)"
    );
    println!(
        "  served {:.0} GETs/s (wall), simulator CPU {:.2} s over {:.2} s = {:.0} GETs per \
         CPU-second; {} client failures",
        answered as f64 / dt,
        cpu,
        dt,
        answered as f64 / cpu.max(1e-9),
        failed.load(Ordering::Relaxed)
    );
}
