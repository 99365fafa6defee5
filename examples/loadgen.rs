//! snmpx load generator: v1/v2c/v3 GET round trips through the Rust API, same interface and
//! output line as the peer clients in bench/peers (so bench/run.sh can compare them).
//!
//! Usage: loadgen MODE TARGET COMMUNITY OID REQUESTS WINDOW VERSION [SHARDS]
//!   VERSION 1, 2c or 3. With 3, COMMUNITY is the USM user instead:
//!         USER[:AUTH:AUTHPASS[:PRIV:PRIVPASS]] (Net-SNMP protocol names), e.g.
//!         bench:SHA:authpass1:AES:privpass1 against `snmpx sim --v3-user` with the same spec.
//!   MODE  sync  - one thread, blocking `Session::get` in a loop (WINDOW ignored)
//!         async - WINDOW requests kept in flight with completion callbacks that resubmit
//!         queue - WINDOW requests kept in flight through a CompletionQueue drained in batches
//!
//! Prints: impl=snmpx-MODE requests=N window=W ok=.. errors=.. wall_s=.. cpu_user_s=..
//! cpu_sys_s=.. cpu_us_per_req=.. req_per_s=..  (CPU from getrusage(RUSAGE_SELF) over the run)

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

fn main() {
    let a: Vec<String> = std::env::args().collect();
    if a.len() < 8 {
        eprintln!(
            "usage: loadgen sync|async|queue TARGET COMMUNITY OID REQUESTS WINDOW 1|2c [SHARDS]"
        );
        std::process::exit(2);
    }
    let (mode, target, community) = (a[1].as_str(), &a[2], &a[3]);
    let oid: Oid = a[4].parse().expect("numeric OID");
    let total: u64 = a[5].parse().expect("REQUESTS");
    let window: u64 = a[6].parse().expect("WINDOW");
    let version: Version = a[7].parse().expect("VERSION");
    let shards: usize = a.get(8).map_or(1, |s| s.parse().expect("SHARDS"));
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
        "sync" => {
            for _ in 0..total {
                match s.get(&[&oid]) {
                    Ok(v) if !v[0].value.is_exception() => c.ok.fetch_add(1, Ordering::Relaxed),
                    _ => c.err.fetch_add(1, Ordering::Relaxed),
                };
            }
        }
        "async" => {
            for _ in 0..window.min(total) {
                pump(s.clone(), oid.clone(), total, c.clone());
            }
            while c.ok.load(Ordering::Relaxed) + c.err.load(Ordering::Relaxed) < total {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        "queue" => {
            let q = CompletionQueue::new().expect("queue");
            let mut issued = 0u64;
            while issued < window.min(total) {
                s.submit_to_queue(Operation::Get(vec![oid.clone()]), &q, issued)
                    .expect("submit");
                issued += 1;
            }
            let mut out: Vec<Completion> = Vec::with_capacity(256);
            let mut done = 0u64;
            while done < total {
                out.clear();
                q.wait(256, Duration::from_secs(5), &mut out);
                for comp in out.drain(..) {
                    done += 1;
                    match comp.result {
                        Ok(r) if !r.varbinds[0].value.is_exception() => {
                            c.ok.fetch_add(1, Ordering::Relaxed)
                        }
                        _ => c.err.fetch_add(1, Ordering::Relaxed),
                    };
                    if issued < total {
                        s.submit_to_queue(Operation::Get(vec![oid.clone()]), &q, issued)
                            .expect("submit");
                        issued += 1;
                    }
                }
            }
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
        "impl=snmpx-{mode} requests={total} window={window} ok={ok} errors={err} wall_s={wall:.3} \
         cpu_user_s={:.3} cpu_sys_s={:.3} cpu_us_per_req={:.2} req_per_s={:.0}",
        u1 - u0,
        s1 - s0,
        ((u1 - u0) + (s1 - s0)) * 1e6 / n,
        n / wall
    );
    if ok == 0 {
        std::process::exit(1);
    }
}
