//! Bounded soak: polls a fleet of simulated devices with faults enabled for a given time and
//! checks that nothing leaks and every request is accounted for.
//!
//! Usage: soak [--duration SECS] [--devices N] [--v3-devices N] [--dead N] [--interval SECS]
//!             [--walk-every N] [--report SECS] [--loss F] [--duplicate F] [--misbehave F]
//!             [--shards N] [--rss-tolerance-mib N] [--seed N]
//!
//! Defaults: 60 s; 5,000 devices, of which 500 speak SNMPv3 (SHA/AES, their own engine IDs)
//! and the rest v2c; 20 more targets are closed ports (every poll gets an ICMP port
//! unreachable); each device polled every 2 s (`Get sysName.0`, every 10th poll a walk of
//! ifTable's five static columns); 5% loss and 5% duplication on every device; on 1% of
//! replies each a misbehaviour (v2c: wrong request-id, truncated, from another address; v3:
//! three bytes flipped, which the MAC catches); 2 shards; report every 10 s.
//!
//! The simulator runs in this process (its memory and threads are in the figures). Every
//! answer is checked against the simulator's model (sysName `dev-NNNNNN` / `v3-NNNNNN`, the
//! static ifTable columns), so a wrong value cannot pass as a success. After the duration no
//! new poll starts and the requests in flight are waited for (bounded).
//!
//! Prints a line every report interval and a summary; exits 1 when a check fails:
//! - accounting: succeeded + failed == submitted, the runtime completed what it was given;
//! - no wrong value, no error a fault does not explain (live devices: timeout, or a walk's
//!   deadline; closed ports: unreachable or timeout);
//! - RSS at the end within `--rss-tolerance-mib` (default 16) of RSS after the warm-up (the
//!   first report once every device has walked once, `interval x (walk-every + 1)`: pools,
//!   tables and queues are then at their working size); open descriptors and threads at the
//!   end no more than after the warm-up. With a run shorter than the warm-up, "warm" is the
//!   end and the growth check is void; the CI run (60 s) warms up at 30 s.

use snmpx::session::{Completion, CompletionQueue, Operation};
use snmpx::sim::{Misbehaviour, SimConfig, Simulator, UsmSecurity};
use snmpx::usm::{AuthProtocol, Credentials, PrivProtocol};
use snmpx::{Error, ErrorStatus, Oid, Runtime, Session, Value, VarBind, Version};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";
const IF_ENTRY: &str = "1.3.6.1.2.1.2.2.1";
const IFACES: u32 = 4;
const V3_PASS: &[u8] = b"soak pass phrase";

struct Args {
    duration: Duration,
    devices: usize,
    v3_devices: usize,
    dead: usize,
    interval: Duration,
    walk_every: u64,
    report: Duration,
    loss: f64,
    duplicate: f64,
    misbehave: f64,
    shards: usize,
    rss_tolerance_mib: u64,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        duration: Duration::from_secs(60),
        devices: 5000,
        v3_devices: 500,
        dead: 20,
        interval: Duration::from_secs(2),
        walk_every: 10,
        report: Duration::from_secs(10),
        loss: 0.05,
        duplicate: 0.05,
        misbehave: 0.01,
        shards: 2,
        rss_tolerance_mib: 16,
        seed: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let v = it.next().ok_or(format!("{flag} needs a value"))?;
        let secs = |v: &str| {
            v.parse::<f64>()
                .ok()
                .filter(|s| *s > 0.0)
                .map(Duration::from_secs_f64)
                .ok_or(format!("{flag}: not a positive number of seconds: {v}"))
        };
        let num = |v: &str| v.parse::<u64>().map_err(|e| format!("{flag} {v}: {e}"));
        let frac = |v: &str| {
            v.parse::<f64>()
                .ok()
                .filter(|f| (0.0..=1.0).contains(f))
                .ok_or(format!("{flag}: not a fraction in 0..=1: {v}"))
        };
        match flag.as_str() {
            "--duration" => a.duration = secs(&v)?,
            "--devices" => a.devices = num(&v)? as usize,
            "--v3-devices" => a.v3_devices = num(&v)? as usize,
            "--dead" => a.dead = num(&v)? as usize,
            "--interval" => a.interval = secs(&v)?,
            "--walk-every" => a.walk_every = num(&v)?.max(1),
            "--report" => a.report = secs(&v)?,
            "--loss" => a.loss = frac(&v)?,
            "--duplicate" => a.duplicate = frac(&v)?,
            "--misbehave" => a.misbehave = frac(&v)?,
            "--shards" => a.shards = num(&v)?.max(1) as usize,
            "--rss-tolerance-mib" => a.rss_tolerance_mib = num(&v)?,
            "--seed" => a.seed = num(&v)?,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if a.v3_devices > a.devices || a.dead > 250 {
        return Err("--v3-devices must not exceed --devices; --dead at most 250".into());
    }
    Ok(a)
}

/// What /proc says about this process.
#[derive(Clone, Copy, Debug, Default)]
struct ProcSample {
    rss_kib: u64,
    hwm_kib: u64,
    fds: usize,
    threads: usize,
}

fn sample() -> ProcSample {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|r| r.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let count = |dir: &str| std::fs::read_dir(dir).map_or(0, |d| d.count());
    ProcSample {
        rss_kib: field("VmRSS:"),
        hwm_kib: field("VmHWM:"),
        // read_dir holds one descriptor of its own while it lists; the same every time.
        fds: count("/proc/self/fd"),
        threads: count("/proc/self/task"),
    }
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    V2,
    V3,
    Dead,
}

struct Device {
    session: Session,
    kind: Kind,
    /// The sysName the model gives this device (none for a closed port).
    name: Option<Value>,
    polls: u64,
}

#[derive(Default)]
struct Counts {
    submitted: u64,
    ok: u64,
    timeouts: u64,
    unreachable: u64,
    limits: u64,
    wrong: u64,
    unexpected: u64,
}

impl Counts {
    fn failed(&self) -> u64 {
        self.timeouts + self.unreachable + self.limits + self.wrong + self.unexpected
    }
}

fn static_columns() -> Vec<VarBind> {
    let mut rows = Vec::new();
    for col in 1..=5u32 {
        for i in 1..=IFACES {
            let v = match col {
                1 => Value::Integer(i as i32),
                2 => Value::from(format!("GigabitEthernet0/{i}").as_str()),
                3 => Value::Integer(6),
                4 => Value::Integer(1500),
                _ => Value::Gauge32(snmpx::sim::synthetic::IF_SPEED),
            };
            let oid: Oid = format!("{IF_ENTRY}.{col}.{i}").parse().expect("valid");
            rows.push(VarBind::new(oid, v));
        }
    }
    rows
}

/// Counts one completion by its outcome, checking an answer against the model.
fn account(c: &Completion, d: &Device, walk: bool, expect_walk: &[VarBind], n: &mut Counts) {
    match (&c.result, d.kind) {
        (Ok(_), Kind::Dead) => n.unexpected += 1,
        (Ok(r), _) => {
            let right = r.status == ErrorStatus::NoError
                && if walk {
                    r.varbinds == expect_walk
                } else {
                    r.varbinds.len() == 1
                        && r.varbinds[0].oid.to_string() == SYS_NAME
                        && Some(&r.varbinds[0].value) == d.name.as_ref()
                };
            if right {
                n.ok += 1;
            } else {
                n.wrong += 1;
                eprintln!("soak: WRONG ANSWER from {}: {:?}", d.session.peer(), r);
            }
        }
        (Err(Error::Timeout { .. }), _) => n.timeouts += 1,
        (Err(Error::Unreachable { .. }), Kind::Dead) => n.unreachable += 1,
        (Err(Error::Limit(_)), Kind::V2 | Kind::V3) if walk => n.limits += 1,
        (Err(e), _) => {
            n.unexpected += 1;
            eprintln!("soak: unexpected error from {}: {e}", d.session.peer());
        }
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("soak: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("soak: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(a: &Args) -> Result<bool, Box<dyn std::error::Error>> {
    let started = sample();
    let v2_count = a.devices - a.v3_devices;
    let v2_sim = Simulator::start(
        SimConfig::new(v2_count.max(1))
            .loss(a.loss)
            .duplicate(a.duplicate)
            .misbehave(Misbehaviour::WrongRequestId, a.misbehave)
            .misbehave(Misbehaviour::Truncate, a.misbehave)
            .misbehave(Misbehaviour::WrongAddress, a.misbehave)
            .seed(a.seed),
    )?;
    let creds = Credentials::from_passwords(
        AuthProtocol::Sha1,
        V3_PASS,
        Some((PrivProtocol::Aes128, V3_PASS)),
    )?;
    let usm = UsmSecurity::new(vec![(b"soak".to_vec(), creds)])?;
    let v3_sim = Simulator::start(
        SimConfig::new(a.v3_devices.max(1))
            .base(Ipv4Addr::new(127, 2, 0, 1))
            .name_prefix("v3-")
            .loss(a.loss)
            .duplicate(a.duplicate)
            .misbehave(Misbehaviour::Garble, a.misbehave)
            .seed(a.seed + 1)
            .security(Arc::new(usm)),
    )?;
    let dead_port = std::net::UdpSocket::bind("0.0.0.0:0")?.local_addr()?.port();

    let rt = Runtime::builder().shards(a.shards).build()?;
    let common = |target: SocketAddr| {
        Session::builder(&target.to_string())
            .timeout(Duration::from_millis(800))
            .retries(2)
            .deadline(Duration::from_secs(15))
            .max_in_flight(2)
    };
    let mut devices = Vec::with_capacity(a.devices + a.dead);
    for i in 0..v2_count {
        devices.push(Device {
            session: common(v2_sim.addr_of(i)).open(&rt)?,
            kind: Kind::V2,
            name: Some(Value::from(format!("dev-{i:06}").as_str())),
            polls: 0,
        });
    }
    for i in 0..a.v3_devices {
        devices.push(Device {
            session: common(v3_sim.addr_of(i))
                .version(Version::V3)
                .user("soak")
                .auth("SHA", V3_PASS)
                .privacy("AES", V3_PASS)
                .open(&rt)?,
            kind: Kind::V3,
            name: Some(Value::from(format!("v3-{i:06}").as_str())),
            polls: 0,
        });
    }
    for i in 0..a.dead {
        let target = SocketAddr::from(([127, 4, 0, 1 + i as u8], dead_port));
        devices.push(Device {
            session: common(target).open(&rt)?,
            kind: Kind::Dead,
            name: None,
            polls: 0,
        });
    }
    let q = CompletionQueue::new()?;
    let expect_walk = static_columns();
    let sys_name: Oid = SYS_NAME.parse()?;
    let roots: Vec<Oid> = (1..=5)
        .map(|c| format!("{IF_ENTRY}.{c}").parse().expect("valid"))
        .collect();
    let ready = sample();
    println!(
        "soak: {} devices ({} v2c, {} v3) + {} closed ports, poll every {:?}, walk every {}th \
         poll, loss {} dup {} misbehave {}, {} shards, {:?}; rss {:.1} MiB before start, \
         {:.1} MiB ready, fds {}, threads {}",
        a.devices,
        v2_count,
        a.v3_devices,
        a.dead,
        a.interval,
        a.walk_every,
        a.loss,
        a.duplicate,
        a.misbehave,
        a.shards,
        a.duration,
        mib(started.rss_kib),
        mib(ready.rss_kib),
        ready.fds,
        ready.threads
    );

    let t0 = Instant::now();
    let end = t0 + a.duration;
    let n_dev = devices.len();
    // First polls spread over one interval.
    let mut due: BinaryHeap<Reverse<(Instant, usize)>> = (0..n_dev)
        .map(|i| Reverse((t0 + a.interval.mul_f64(i as f64 / n_dev as f64), i)))
        .collect();
    // Walks spread evenly too: device i walks at polls i, i + N, i + 2N, ... (mod N).
    for (i, d) in devices.iter_mut().enumerate() {
        d.polls = i as u64 % a.walk_every;
    }
    // Warm once every device has walked: tables, pools and queues at their working size.
    let warm_after = a.interval * (a.walk_every as u32 + 1);
    let mut warm_at = Duration::ZERO;
    let mut n = Counts::default();
    let mut in_flight = 0u64;
    let mut next_report = t0 + a.report;
    let mut warm: Option<ProcSample> = None;
    let mut max_rss = ready.rss_kib;
    let mut batch = Vec::with_capacity(1024);
    let mut last_submitted = 0;
    let drain_deadline = end + Duration::from_secs(40);
    loop {
        let now = Instant::now();
        let draining = now >= end;
        if !draining {
            while let Some(Reverse((at, i))) = due.peek().copied() {
                if at > now {
                    break;
                }
                due.pop();
                let d = &mut devices[i];
                d.polls += 1;
                let walk = d.kind != Kind::Dead && d.polls % a.walk_every == 0;
                let op = if walk {
                    Operation::Walk {
                        roots: roots.clone(),
                        bulk: false,
                        stream: false,
                    }
                } else {
                    Operation::Get(vec![sys_name.clone()])
                };
                n.submitted += 1;
                match d
                    .session
                    .submit_to_queue(op, &q, (i as u64) << 1 | walk as u64)
                {
                    Ok(_) => in_flight += 1,
                    Err(e) => {
                        n.unexpected += 1;
                        eprintln!("soak: submit to {} failed: {e}", d.session.peer());
                        due.push(Reverse((now + a.interval, i)));
                    }
                }
            }
        } else if in_flight == 0 || now >= drain_deadline {
            break;
        }
        let wake = match due.peek() {
            Some(Reverse((at, _))) if !draining => (*at).min(next_report).min(end),
            _ => next_report,
        };
        let wait = wake
            .saturating_duration_since(Instant::now())
            .clamp(Duration::from_millis(1), Duration::from_millis(200));
        batch.clear();
        q.wait(4096, wait, &mut batch);
        let now = Instant::now();
        for c in &batch {
            let (i, walk) = ((c.tag >> 1) as usize, c.tag & 1 == 1);
            let d = &mut devices[i];
            account(c, d, walk, &expect_walk, &mut n);
            in_flight -= 1;
            if now < end {
                due.push(Reverse((now + a.interval, i)));
            }
        }
        if now >= next_report {
            let s = sample();
            max_rss = max_rss.max(s.rss_kib);
            if warm.is_none() && t0.elapsed() >= warm_after {
                warm = Some(s);
                warm_at = t0.elapsed();
            }
            let st = rt.stats();
            let rate = (n.submitted - last_submitted) as f64 / a.report.as_secs_f64();
            last_submitted = n.submitted;
            println!(
                "soak t={:>4.0}s rss={:.1}MiB fds={} threads={} submitted={} ok={} \
                 timeout={} unreachable={} limit={} wrong={} unexpected={} in_flight={} \
                 polls/s={:.0} retrans={} dup_dropped={} auth_dropped={} resyncs={}",
                t0.elapsed().as_secs_f64(),
                mib(s.rss_kib),
                s.fds,
                s.threads,
                n.submitted,
                n.ok,
                n.timeouts,
                n.unreachable,
                n.limits,
                n.wrong,
                n.unexpected,
                in_flight,
                rate,
                st.retransmissions,
                st.dropped_unmatched,
                st.dropped_auth_failed,
                st.v3_resyncs,
            );
            next_report += a.report;
        }
    }
    let elapsed = t0.elapsed();
    let fin = sample();
    max_rss = max_rss.max(fin.rss_kib);
    let warm = warm.unwrap_or(fin);
    let st = rt.stats();
    drop(devices);
    drop(rt);
    let (s2, s3) = (v2_sim.stats(), v3_sim.stats());

    let mut checks: Vec<(String, bool)> = Vec::new();
    checks.push((
        format!(
            "accounting: ok {} + failed {} == submitted {} (in flight left: {in_flight})",
            n.ok,
            n.failed(),
            n.submitted
        ),
        n.ok + n.failed() == n.submitted && in_flight == 0,
    ));
    checks.push((
        format!(
            "runtime: completed {} == submitted {}",
            st.completed, st.submitted
        ),
        st.completed == st.submitted && st.submitted == n.submitted,
    ));
    checks.push((
        format!(
            "no wrong value ({}), no unexplained error ({})",
            n.wrong, n.unexpected
        ),
        n.wrong == 0 && n.unexpected == 0,
    ));
    let growth = fin.rss_kib.saturating_sub(warm.rss_kib);
    checks.push((
        format!(
            "RSS: start {:.1} MiB, ready {:.1}, warm (t={:.0}s) {:.1}, end {:.1}, max sampled \
             {:.1}, peak (VmHWM) {:.1}; growth after warm-up {:.1} MiB <= {} MiB",
            mib(started.rss_kib),
            mib(ready.rss_kib),
            warm_at.as_secs_f64(),
            mib(warm.rss_kib),
            mib(fin.rss_kib),
            mib(max_rss),
            mib(fin.hwm_kib),
            mib(growth),
            a.rss_tolerance_mib
        ),
        growth <= a.rss_tolerance_mib * 1024,
    ));
    checks.push((
        format!(
            "fds: ready {}, warm {}, end {}",
            ready.fds, warm.fds, fin.fds
        ),
        fin.fds <= warm.fds,
    ));
    checks.push((
        format!(
            "threads: ready {}, warm {}, end {}",
            ready.threads, warm.threads, fin.threads
        ),
        fin.threads <= warm.threads,
    ));
    println!(
        "soak done in {:.1}s: submitted {} ok {} timeout {} unreachable {} limit {} wrong {} \
         unexpected {}; engine: sent {} retrans {} timeouts {} dup/late dropped {} \
         wrong-source {} invalid {} auth-failed {} resyncs {} icmp {}; simulators: received {} \
         lost {} duplicated {} misbehaved {}",
        elapsed.as_secs_f64(),
        n.submitted,
        n.ok,
        n.timeouts,
        n.unreachable,
        n.limits,
        n.wrong,
        n.unexpected,
        st.requests_sent,
        st.retransmissions,
        st.timeouts,
        st.dropped_unmatched,
        st.dropped_wrong_source,
        st.dropped_invalid,
        st.dropped_auth_failed,
        st.v3_resyncs,
        st.icmp_unreachable,
        s2.received + s3.received,
        s2.dropped_loss + s3.dropped_loss,
        s2.duplicates + s3.duplicates,
        s2.misbehaved + s3.misbehaved,
    );
    let mut pass = true;
    for (what, ok) in &checks {
        println!("soak check {}: {what}", if *ok { "PASS" } else { "FAIL" });
        pass &= ok;
    }
    println!("soak: {}", if pass { "PASS" } else { "FAIL" });
    Ok(pass)
}
