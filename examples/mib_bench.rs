//! MIB benchmark: loads a MIB directory with `ALL` (as `snmptranslate -m ALL` does) and
//! measures load time, peak memory and name <-> OID lookup cost from 1 and N threads.
//!
//! `cargo run --release --example mib_bench -- [DIR] [THREADS]` (DIR defaults to
//! ../shared/mibs or $SNMPX_TEST_MIBS). Prints numbers; asserts nothing about speed.
//! `--once [DIR]`: load, resolve `SNMPv2-MIB::sysDescr.0`, print it and exit (bench/run.sh
//! times that whole process against `snmptranslate -m ALL`).
//!
//! Lookup figures are CPU time per call (the thread's CPU clock for the single-thread loops,
//! getrusage of the process for the THREADS-thread run), so other load on the machine does
//! not inflate them the way wall time would; the wall time per call is printed beside them.

use snmpx::format::{format_oid, OutputOptions};
use snmpx::mib::MibLoader;
use std::hint::black_box;
use std::time::Instant;

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// CPU time consumed by the calling thread, in nanoseconds.
fn thread_cpu_ns() -> u128 {
    // SAFETY: clock_gettime fills the zeroed timespec we pass.
    let ts = unsafe {
        let mut ts: libc::timespec = std::mem::zeroed();
        libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts);
        ts
    };
    ts.tv_sec as u128 * 1_000_000_000 + ts.tv_nsec as u128
}

/// User + system CPU time of the whole process, in nanoseconds.
fn process_cpu_ns() -> u128 {
    // SAFETY: getrusage fills the zeroed struct we pass.
    let ru = unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut ru);
        ru
    };
    let t = |tv: libc::timeval| tv.tv_sec as u128 * 1_000_000_000 + tv.tv_usec as u128 * 1000;
    t(ru.ru_utime) + t(ru.ru_stime)
}

fn main() {
    let mut args: Vec<String> = std::env::args().collect();
    // `--once`: load, resolve one name, exit (to time the whole process like snmptranslate).
    if args.get(1).map(String::as_str) == Some("--once") {
        args.remove(1);
        let dir = args
            .get(1)
            .cloned()
            .unwrap_or_else(|| "../shared/mibs".into());
        let mut loader = MibLoader::new();
        loader.add_dir(&dir).load_all();
        let mib = loader.load().expect("corpus loads");
        println!(".{}", mib.resolve("SNMPv2-MIB::sysDescr.0").unwrap());
        return;
    }
    let dir = args.get(1).cloned().unwrap_or_else(|| {
        std::env::var("SNMPX_TEST_MIBS")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/mibs").into())
    });
    let threads: usize = args.get(2).and_then(|t| t.parse().ok()).unwrap_or(4);
    let rss0 = peak_rss_kb();
    let t = Instant::now();
    let mut loader = MibLoader::new();
    loader.add_dir(&dir).load_all();
    let mib = loader.load().expect("corpus loads");
    let load = t.elapsed();
    println!(
        "load ALL from {dir}: {:.1} ms, {} modules, {} nodes, peak RSS {} kB (before load {} kB)",
        load.as_secs_f64() * 1e3,
        mib.modules().len(),
        mib.node_count(),
        peak_rss_kb(),
        rss0
    );
    let best = (0..5)
        .map(|_| {
            let t = Instant::now();
            black_box(loader.load().unwrap());
            t.elapsed()
        })
        .min()
        .unwrap();
    println!(
        "load ALL best of 5: {:.1} ms; resident now {} kB",
        best.as_secs_f64() * 1e3,
        rss_kb()
    );

    let names = [
        "sysDescr.0",
        "SNMPv2-MIB::sysDescr.0",
        "IF-MIB::ifDescr.3",
        ".iso.org.dod.internet.mgmt.mib-2.system.sysDescr.0",
        "vacmGroupName.1.\"comm1\"",
        "ifHCInOctets.12",
    ];
    let oids: Vec<_> = names.iter().map(|n| mib.resolve(n).unwrap()).collect();
    let opts = OutputOptions::default();
    let n = 200_000u32;
    for (name, oid) in names.iter().zip(&oids) {
        let (t, c) = (Instant::now(), thread_cpu_ns());
        for _ in 0..n {
            black_box(mib.resolve(black_box(name)).unwrap());
        }
        let fwd = (thread_cpu_ns() - c) as f64 / n as f64;
        let fwd_wall = t.elapsed().as_nanos() as f64 / n as f64;
        let (t, c) = (Instant::now(), thread_cpu_ns());
        for _ in 0..n {
            black_box(format_oid(&mib, black_box(oid), &opts));
        }
        let rev = (thread_cpu_ns() - c) as f64 / n as f64;
        let rev_wall = t.elapsed().as_nanos() as f64 / n as f64;
        println!(
            "{name:55} name->OID {fwd:7.0} ns   OID->name {rev:7.0} ns   \
             (wall {fwd_wall:.0} / {rev_wall:.0} ns)"
        );
    }
    let mib = std::sync::Arc::new(mib);
    let (t, c) = (Instant::now(), process_cpu_ns());
    std::thread::scope(|s| {
        for _ in 0..threads {
            let mib = mib.clone();
            let oids = &oids;
            s.spawn(move || {
                for i in 0..n {
                    let k = i as usize % names.len();
                    black_box(mib.resolve(names[k]).unwrap());
                    black_box(format_oid(&mib, &oids[k], &opts));
                }
            });
        }
    });
    let wall = t.elapsed().as_nanos() as f64;
    let cpu = (process_cpu_ns() - c) as f64;
    let lookups = n as f64 * 2.0 * threads as f64;
    let per_thread = wall / (n as f64 * 2.0);
    let cores = std::thread::available_parallelism()
        .map(|c| c.get())
        .unwrap_or(1);
    println!(
        "{threads} threads on {cores} cores: {:.0} ns CPU per lookup (process CPU / lookups), \
         {per_thread:.0} ns wall per lookup per thread",
        cpu / lookups
    );
}
