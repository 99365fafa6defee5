//! `snmpx demo`: starts the simulator in-process and polls every simulated device for 15
//! objects with sequential GETs, then prints the sweep's numbers.

use crate::poll::{self, Plan};
use crate::report::{self, Format, Progress, RecordWriter};
use crate::targets::{Creds, Target};
use crate::CliResult;
use snmpx::sim::{SimConfig, Simulator};
use snmpx::{Oid, Version};
use std::net::Ipv4Addr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// The 15 objects the demo asks every device for.
pub const DEMO_OIDS: [&str; 15] = [
    "1.3.6.1.2.1.1.1.0",         // sysDescr
    "1.3.6.1.2.1.1.2.0",         // sysObjectID
    "1.3.6.1.2.1.1.3.0",         // sysUpTime
    "1.3.6.1.2.1.1.4.0",         // sysContact
    "1.3.6.1.2.1.1.5.0",         // sysName
    "1.3.6.1.2.1.1.6.0",         // sysLocation
    "1.3.6.1.2.1.2.1.0",         // ifNumber
    "1.3.6.1.2.1.2.2.1.2.1",     // ifDescr.1
    "1.3.6.1.2.1.2.2.1.8.1",     // ifOperStatus.1
    "1.3.6.1.2.1.2.2.1.10.1",    // ifInOctets.1
    "1.3.6.1.2.1.2.2.1.16.1",    // ifOutOctets.1
    "1.3.6.1.2.1.31.1.1.1.6.1",  // ifHCInOctets.1
    "1.3.6.1.2.1.31.1.1.1.10.1", // ifHCOutOctets.1
    "1.3.6.1.2.1.31.1.1.1.15.1", // ifHighSpeed.1
    "1.3.6.1.2.1.31.1.1.1.18.1", // ifAlias.1
];

/// Options of `snmpx demo`.
#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// Simulated devices to poll.
    #[arg(long, default_value_t = 3000)]
    pub devices: usize,
    /// First device address (127.0.0.0/8).
    #[arg(long, default_value = "127.1.0.1")]
    pub base: Ipv4Addr,
    /// Simulated reply latency in milliseconds.
    #[arg(long, default_value_t = 20)]
    pub latency_ms: u64,
    /// Requests in flight at once, over all devices.
    #[arg(long, default_value_t = 4096)]
    pub in_flight: usize,
    /// Simulator worker threads.
    #[arg(long, default_value_t = 1)]
    pub sim_threads: usize,
    /// Client I/O threads.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// One GET with all 15 OIDs per device instead of 15 sequential GETs.
    #[arg(long)]
    pub batched: bool,
    /// Never draw the progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

/// Runs `snmpx demo`.
pub fn run(a: DemoArgs) -> CliResult<ExitCode> {
    let sim = Simulator::start(
        SimConfig::new(a.devices)
            .base(a.base)
            .latency(Duration::from_millis(a.latency_ms))
            .threads(a.sim_threads),
    )
    .map_err(|e| e.to_string())?;
    let first = sim.addr_of(0);
    let last = sim.addr_of(a.devices - 1);
    eprintln!(
        "snmpx demo: simulator with {} devices on {first} .. {last}, {} ms latency; polling \
         {} objects each with {}",
        a.devices,
        a.latency_ms,
        DEMO_OIDS.len(),
        if a.batched {
            "one GET"
        } else {
            "sequential GETs"
        }
    );
    let oids: Vec<Oid> = DEMO_OIDS
        .iter()
        .map(|s| s.parse().expect("valid demo OID"))
        .collect();
    let targets = (0..a.devices)
        .map(|i| Target {
            host: sim.addr_of(i).to_string(),
            creds: Creds::community(Version::V2c, "public"),
            oids: None,
        })
        .collect();
    let plan = Plan {
        targets,
        oids: Arc::new(oids),
        walks: Arc::new(Vec::new()),
        sequential: !a.batched,
        in_flight: a.in_flight,
        per_target: 1,
        timeout: Duration::from_secs(1),
        retries: 2,
        threads: a.threads,
        rate: None,
    };
    let mut out = RecordWriter::new(None, Format::Jsonl).map_err(|e| e.to_string())?;
    let progress = Progress::new(a.devices as u64, !a.no_progress);
    let outcome = poll::execute(plan, &mut out, &progress)?;
    progress.finish();
    let st = sim.stats();
    eprintln!("{}", outcome.summary("snmpx demo"));
    eprintln!(
        "snmpx demo: {} varbinds received; simulator answered {} of {} requests using {:.2} s \
         CPU ({:.0} req per CPU-second)",
        out.records,
        st.answered,
        st.received,
        st.cpu_time.as_secs_f64(),
        st.answered as f64 / st.cpu_time.as_secs_f64().max(1e-9)
    );
    eprintln!(
        "snmpx demo: peak RSS {}, open fds {} (simulator {})",
        report::peak_rss_kib().map_or("?".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0)),
        outcome.open_fds.map_or("?".into(), |n| n.to_string()),
        sim.fd_count()
    );
    Ok(if outcome.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
