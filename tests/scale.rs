//! Scale: 30,000 sessions to 30,000 simulated agents, every request in flight at once, with the
//! process's descriptor limit lowered to 1024. Its own test binary (own process), because it
//! changes a process-wide limit.

use snmpx::session::Operation;
use snmpx::sim::{SimConfig, Simulator};
use snmpx::{Oid, Runtime, Session};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";
const SYS_DESCR: &str = "1.3.6.1.2.1.1.1.0";

fn lower_nofile_limit(to: u64) {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit write/read a valid, initialised rlimit struct we own.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim), 0);
        lim.rlim_cur = to.min(lim.rlim_max);
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &lim), 0);
    }
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

#[test]
fn thirty_thousand_sessions_to_thirty_thousand_agents_under_1024_fds() {
    lower_nofile_limit(1024);
    let n = 30_000;
    let sim = Simulator::start(SimConfig::new(n).threads(1)).unwrap();
    let rt = Runtime::builder().max_in_flight(n).build().unwrap();
    let sessions: Vec<Session> = (0..n)
        .map(|i| {
            Session::builder(&sim.addr_of(i).to_string())
                .timeout(Duration::from_millis(1000))
                .retries(4)
                .open(&rt)
                .unwrap()
        })
        .collect();
    let ok = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let name: Oid = SYS_NAME.parse().unwrap();
    let descr: Oid = SYS_DESCR.parse().unwrap();
    for (i, s) in sessions.iter().enumerate() {
        let (ok, done) = (ok.clone(), done.clone());
        let want = format!("dev-{i:06}");
        let op = Operation::Get(vec![name.clone(), descr.clone()]);
        s.submit(op, move |r| {
            if let Ok(resp) = r {
                if resp.varbinds[0].value.as_str() == Some(want.as_str()) {
                    ok.fetch_add(1, Ordering::Relaxed);
                }
            }
            done.fetch_add(1, Ordering::Relaxed);
        })
        .unwrap();
    }
    // All submitted before any wait: the fd count is what the whole fleet in flight costs.
    let fds = open_fds();
    let t0 = Instant::now();
    while done.load(Ordering::Relaxed) < n && t0.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(done.load(Ordering::Relaxed), n, "every request completed");
    assert_eq!(
        ok.load(Ordering::Relaxed),
        n,
        "every device answered with its own sysName"
    );
    assert!(fds < 64, "{fds} descriptors open for 30,000 sessions");
}
