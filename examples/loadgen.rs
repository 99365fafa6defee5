//! snmpx load generator: v1/v2c/v3 GET round trips through the Rust API, same interface and
//! output line as the peer clients in bench/peers (so bench/run.sh can compare them).
//!
//! Usage: loadgen MODE TARGET COMMUNITY OID REQUESTS WINDOW VERSION [SHARDS [THREADS]]
//!   VERSION 1, 2c or 3. With 3, COMMUNITY is the USM user instead:
//!         USER[:AUTH:AUTHPASS[:PRIV:PRIVPASS]] (Net-SNMP protocol names), e.g.
//!         bench:SHA:authpass1:AES:privpass1 against `snmpx sim --v3-user` with the same spec.
//!   MODE  sync  - blocking `Session::get` in a loop (WINDOW ignored); with THREADS > 1, that
//!                 many threads share the one Session, each blocking on its own GETs
//!         async - WINDOW requests kept in flight with completion callbacks that resubmit
//!                 (the callbacks run on the shard threads, so THREADS must be 1)
//!         queue - WINDOW requests kept in flight through a CompletionQueue drained in batches;
//!                 with THREADS > 1, each thread has its own queue and WINDOW / THREADS of
//!                 the requests in flight (at least 1), all on the one Session
//!   SHARDS  I/O shards of the Runtime (default 1); THREADS client threads (default 1).
//!
//! Prints: impl=snmpx-MODE requests=N window=W shards=S threads=T ok=.. errors=.. wall_s=..
//! cpu_user_s=.. cpu_sys_s=.. cpu_us_per_req=.. req_per_s=..  (CPU from
//! getrusage(RUSAGE_SELF) over the run: every thread of the process, shards included)

use snmpx::engine::Operation;
use snmpx::session::{Completion, CompletionQueue};
use snmpx::{Oid, Runtime, Session, Version};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn cpu() -> (f64, f64) {
    let ru = unsafe {
        // SAFETY: getrusage fills the zeroed struct we pass.
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut ru);
        ru
    };
    let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
    (t(ru.ru_utime), t(ru.ru_stime))
}

struct Counts {
    ok: AtomicU64,
    err: AtomicU64,
    issued: AtomicU64,
}

fn pump(s: Session, oid: Oid, total: u64, c: Arc<Counts>) {
    if c.issued.fetch_add(1, Ordering::Relaxed) >= total {
        return;
    }
    let (s2, oid2, c2) = (s.clone(), oid.clone(), c.clone());
    let r = s.submit(Operation::Get(vec![oid]), move |r| {
        match r {
            Ok(resp) if !resp.varbinds[0].value.is_exception() => {
                c2.ok.fetch_add(1, Ordering::Relaxed)
            }
            _ => c2.err.fetch_add(1, Ordering::Relaxed),
        };
        pump(s2, oid2, total, c2);
    });
    if r.is_err() {
        c.err.fetch_add(1, Ordering::Relaxed);
    }
}

/// Claims the next request of `total`; false once all are claimed.
fn claim(c: &Counts, total: u64) -> bool {
    c.issued.fetch_add(1, Ordering::Relaxed) < total
}

fn count(c: &Counts, ok: bool) {
    if ok {
        c.ok.fetch_add(1, Ordering::Relaxed);
    } else {
        c.err.fetch_add(1, Ordering::Relaxed);
    }
}

/// Blocking GETs until `total` are claimed (by this and the other threads).
fn sync_loop(s: &Session, oid: &Oid, total: u64, c: &Counts) {
    while claim(c, total) {
        count(
            c,
            matches!(s.get(&[oid]), Ok(v) if !v[0].value.is_exception()),
        );
    }
}

/// Keeps `window` GETs in flight through this thread's own completion queue until `total` are
/// claimed, then drains what it still has in flight.
fn queue_loop(s: &Session, oid: &Oid, window: u64, total: u64, c: &Counts) {
    let q = CompletionQueue::new().expect("queue");
    let mut in_flight = 0u64;
    let mut tag = 0u64;
    while in_flight < window && claim(c, total) {
        s.submit_to_queue(Operation::Get(vec![oid.clone()]), &q, tag)
            .expect("submit");
        in_flight += 1;
        tag += 1;
    }
    let mut out: Vec<Completion> = Vec::with_capacity(256);
    while in_flight > 0 {
        out.clear();
        q.wait(256, Duration::from_secs(5), &mut out);
        for comp in out.drain(..) {
            in_flight -= 1;
            count(
                c,
                matches!(comp.result, Ok(r) if !r.varbinds[0].value.is_exception()),
            );
            if claim(c, total) {
                s.submit_to_queue(Operation::Get(vec![oid.clone()]), &q, tag)
                    .expect("submit");
                in_flight += 1;
                tag += 1;
            }
        }
    }
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    if a.len() < 8 {
        eprintln!(
            "usage: loadgen sync|async|queue TARGET COMMUNITY|USMSPEC OID REQUESTS WINDOW 1|2c|3 \
             [SHARDS [THREADS]]"
        );
        std::process::exit(2);
    }
    let (mode, target, community) = (a[1].as_str(), &a[2], &a[3]);
    let oid: Oid = a[4].parse().expect("numeric OID");
    let total: u64 = a[5].parse().expect("REQUESTS");
    let window: u64 = a[6].parse().expect("WINDOW");
    let version: Version = a[7].parse().expect("VERSION");
    let shards: usize = a.get(8).map_or(1, |s| s.parse().expect("SHARDS"));
    let threads: u64 = a.get(9).map_or(1, |t| t.parse().expect("THREADS")).max(1);
    if mode == "async" && threads > 1 {
        eprintln!("loadgen: async mode runs its callbacks on the shard threads; THREADS must be 1");
        std::process::exit(2);
    }
    let rt = Runtime::builder().shards(shards).build().expect("runtime");
    let mut b = Session::builder(target)
        .version(version)
        .timeout(Duration::from_secs(2))
        .retries(3);
    b = if version == Version::V3 {
        let p: Vec<&str> = community.split(':').collect();
        b = b.user(p[0]);
        if p.len() >= 3 {
            b = b.auth(p[1], p[2]);
        }
        if p.len() >= 5 {
            b = b.privacy(p[3], p[4]);
        }
        b
    } else {
        b.community(community)
    };
    let s = b.open(&rt).expect("session");
    // Discovery and key localization happen on the first request: keep them out of the
    // measured run.
    if version == Version::V3 {
        s.get(&[&oid]).expect("first v3 request");
    }
    let c = Arc::new(Counts {
        ok: AtomicU64::new(0),
        err: AtomicU64::new(0),
        issued: AtomicU64::new(0),
    });
    let (u0, s0) = cpu();
    let t0 = Instant::now();
    match mode {
        "sync" => std::thread::scope(|sc| {
            for _ in 0..threads {
                sc.spawn(|| sync_loop(&s, &oid, total, &c));
            }
        }),
        "async" => {
            for _ in 0..window.min(total) {
                pump(s.clone(), oid.clone(), total, c.clone());
            }
            while c.ok.load(Ordering::Relaxed) + c.err.load(Ordering::Relaxed) < total {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        "queue" => {
            let per_thread = (window / threads).max(1);
            std::thread::scope(|sc| {
                for _ in 0..threads {
                    sc.spawn(|| queue_loop(&s, &oid, per_thread, total, &c));
                }
            })
        }
        other => {
            eprintln!("unknown mode {other}");
            std::process::exit(2);
        }
    }
    let wall = t0.elapsed().as_secs_f64();
    let (u1, s1) = cpu();
    let (ok, err) = (c.ok.load(Ordering::Relaxed), c.err.load(Ordering::Relaxed));
    let n = (ok + err).max(1) as f64;
    println!(
        "impl=snmpx-{mode} requests={total} window={window} shards={shards} threads={threads} \
         ok={ok} errors={err} wall_s={wall:.3} cpu_user_s={:.3} cpu_sys_s={:.3} cpu_us_per_req={:.2} req_per_s={:.0}",
        u1 - u0,
        s1 - s0,
        ((u1 - u0) + (s1 - s0)) * 1e6 / n,
        n / wall
    );
    if ok == 0 {
        std::process::exit(1);
    }
}
