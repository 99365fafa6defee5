//! `snmpx poll`: polls a fleet concurrently from one [`Runtime`]. Each device runs its steps
//! (one GET of all OIDs, or one GET per OID with `--sequential`, then each walk) with up to
//! `--per-target` requests in flight, driven from completion callbacks; the main thread admits
//! devices while the global in-flight cap allows, writes records and draws the progress bar.

use crate::pacer::Pacer;
use crate::report::{self, Format, Progress, RecordWriter};
use crate::targets::{self, Target};
use crate::CliResult;
use crossbeam_channel::{Receiver, Sender};
use parking_lot::Mutex;
use snmpx::session::Operation;
use snmpx::{Error, ErrorStatus, Oid, Runtime, Session, VarBind, Version};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Options of `snmpx poll`.
#[derive(clap::Args, Debug)]
pub struct PollArgs {
    /// Targets file: CSV (`host[:port],version,community[,oids]`, or named columns after a
    /// `host,...` header) or YAML (`.yaml`/`.yml`: targets plus credential profiles).
    #[arg(long)]
    pub targets: PathBuf,
    /// YAML file of named credential profiles that targets can refer to (`profile` column).
    #[arg(long)]
    pub profiles: Option<PathBuf>,
    /// OIDs to GET from every target (comma-separated; default: the system group scalars).
    #[arg(long, value_delimiter = ',')]
    pub oids: Vec<String>,
    /// Subtrees to walk on every target (comma-separated; GETBULK on v2c, GETNEXT on v1).
    #[arg(long, value_delimiter = ',')]
    pub walk: Vec<String>,
    /// One GET per OID, one after the other, instead of one GET with all OIDs.
    #[arg(long)]
    pub sequential: bool,
    /// Record format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// Requests in flight at once, over all targets.
    #[arg(long, default_value_t = 4096)]
    pub in_flight: usize,
    /// Requests in flight at once to one target.
    #[arg(long, default_value_t = 1)]
    pub per_target: usize,
    /// Seconds to wait for each response.
    #[arg(long, default_value_t = 1.0)]
    pub timeout: f64,
    /// Retransmissions after the first send.
    #[arg(long, default_value_t = 2)]
    pub retries: u32,
    /// Write records here instead of stdout.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// I/O threads of the client runtime.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// At most this many requests per second over all targets (GETs and walk starts; the
    /// requests inside a walk follow each other at the agent's pace).
    #[arg(long)]
    pub rate: Option<f64>,
    /// Never draw the progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

/// sysDescr, sysObjectID, sysUpTime, sysContact, sysName, sysLocation.
pub const SYSTEM_SCALARS: [&str; 6] = [
    "1.3.6.1.2.1.1.1.0",
    "1.3.6.1.2.1.1.2.0",
    "1.3.6.1.2.1.1.3.0",
    "1.3.6.1.2.1.1.4.0",
    "1.3.6.1.2.1.1.5.0",
    "1.3.6.1.2.1.1.6.0",
];

/// What to poll and how.
pub struct Plan {
    pub targets: Vec<Target>,
    pub oids: Arc<Vec<Oid>>,
    pub walks: Arc<Vec<Oid>>,
    pub sequential: bool,
    pub in_flight: usize,
    pub per_target: usize,
    pub timeout: Duration,
    pub retries: u32,
    pub threads: usize,
    /// Requests per second over all targets (None: unlimited).
    pub rate: Option<f64>,
}

/// Totals of a finished poll.
#[derive(Debug, Default)]
pub struct Outcome {
    pub devices: usize,
    pub failed: usize,
    /// Request PDUs sent (retransmissions not included).
    pub requests: u64,
    pub retransmissions: u64,
    pub wall: Duration,
    pub timeouts: u64,
    pub agent_errors: u64,
    pub other_errors: u64,
    /// Open file descriptors at the end of the sweep (runtime still running).
    pub open_fds: Option<usize>,
}

impl Outcome {
    /// The one-paragraph summary printed on stderr.
    pub fn summary(&self, what: &str) -> String {
        let secs = self.wall.as_secs_f64();
        format!(
            "{what}: {} devices ({} ok, {} failed), {} requests in {:.3} s = {:.0} req/s; \
             {} retransmissions; errors: {} timeout, {} agent, {} other",
            self.devices,
            self.devices - self.failed,
            self.failed,
            self.requests,
            secs,
            self.requests as f64 / secs.max(1e-9),
            self.retransmissions,
            self.timeouts,
            self.agent_errors,
            self.other_errors
        )
    }
}

enum Event {
    Rows {
        dev: usize,
        result: Result<Vec<VarBind>, Error>,
    },
    Done {
        failed: bool,
    },
}

#[derive(Default)]
struct JobState {
    next: usize,
    in_flight: usize,
    failed: bool,
    aborted: bool,
    done_sent: bool,
    /// Waiting in the pacer for a token.
    parked: bool,
}

/// One device being polled; shared by the callbacks of its requests.
struct Job {
    dev: usize,
    session: Session,
    oids: Arc<Vec<Oid>>,
    walks: Arc<Vec<Oid>>,
    sequential: bool,
    bulk: bool,
    per_target: usize,
    state: Mutex<JobState>,
    tx: Sender<Event>,
    pacer: Option<Arc<Pacer<Arc<Job>>>>,
}

impl Job {
    fn gets(&self) -> usize {
        match (self.oids.is_empty(), self.sequential) {
            (true, _) => 0,
            (false, true) => self.oids.len(),
            (false, false) => 1,
        }
    }

    fn op(&self, step: usize) -> Operation {
        let g = self.gets();
        if step < g {
            return if self.sequential {
                Operation::Get(vec![self.oids[step].clone()])
            } else {
                Operation::Get(self.oids.to_vec())
            };
        }
        Operation::Walk {
            roots: vec![self.walks[step - g].clone()],
            bulk: self.bulk,
            stream: false,
        }
    }

    /// Submits steps while the per-target window allows; reports the device done at the end.
    fn pump(self: &Arc<Self>) {
        let steps = self.gets() + self.walks.len();
        loop {
            let step = {
                let mut st = self.state.lock();
                if st.aborted || st.next >= steps || st.in_flight >= self.per_target {
                    if st.in_flight == 0 && !st.done_sent && (st.aborted || st.next >= steps) {
                        st.done_sent = true;
                        let _ = self.tx.send(Event::Done { failed: st.failed });
                    }
                    return;
                }
                if let Some(p) = &self.pacer {
                    if st.parked {
                        return;
                    }
                    if !p.try_take() {
                        st.parked = true;
                        p.park(self.clone());
                        return;
                    }
                }
                st.next += 1;
                st.in_flight += 1;
                st.next - 1
            };
            let job = self.clone();
            let submitted = self.session.submit(self.op(step), move |r| job.complete(r));
            if let Err(e) = submitted {
                self.complete(Err(e));
            }
        }
    }

    fn complete(self: &Arc<Self>, r: Result<snmpx::session::Response, Error>) {
        let result = match r {
            Ok(resp) if resp.status != ErrorStatus::NoError => Err(Error::Agent {
                peer: resp.peer,
                status: resp.status,
                index: resp.index,
                oid: None,
            }),
            Ok(resp) => Ok(resp.varbinds),
            Err(e) => Err(e),
        };
        {
            let mut st = self.state.lock();
            st.in_flight -= 1;
            if let Err(e) = &result {
                st.failed = true;
                // A dead or unreachable agent will not answer the next step either.
                if !matches!(e, Error::Agent { .. }) {
                    st.aborted = true;
                }
            }
        }
        let _ = self.tx.send(Event::Rows {
            dev: self.dev,
            result,
        });
        self.pump();
    }
}

/// Opens the session of one target with the plan's timing options.
fn open_session(t: &Target, plan: &Plan, rt: &Runtime) -> Result<Session, Error> {
    let mut b = Session::builder(&t.host)
        .version(t.creds.version)
        .timeout(plan.timeout)
        .retries(plan.retries)
        .max_repetitions(25);
    match &t.creds.v3 {
        None => b = b.community(&t.creds.community),
        Some(v3) => {
            b = b.user(&v3.user);
            if let Some(l) = &v3.level {
                b = b.security_level_name(l);
            }
            if let Some(a) = &v3.auth {
                b = b.auth_protocol_name(a);
            }
            if let Some(p) = &v3.auth_password {
                b = b.auth_password(p);
            }
            if let Some(x) = &v3.privacy {
                b = b.priv_protocol_name(x);
            }
            if let Some(p) = &v3.privacy_password {
                b = b.priv_password(p);
            }
            if let Some(c) = &v3.context {
                b = b.context_name(c);
            }
        }
    }
    b.open(rt)
}

/// Polls every target of `plan`, writing records to `out`.
pub fn execute(plan: Plan, out: &mut RecordWriter, progress: &Progress) -> CliResult<Outcome> {
    let rt = Runtime::builder()
        .shards(plan.threads)
        .max_in_flight(plan.in_flight.max(1) + 1024)
        .build()
        .map_err(|e| e.to_string())?;
    let (tx, rx): (Sender<Event>, Receiver<Event>) = crossbeam_channel::unbounded();
    let n = plan.targets.len();
    let per_target = plan.per_target.max(1);
    let max_active = (plan.in_flight / per_target).max(1);
    let pacer = plan.rate.map(|r| Arc::new(Pacer::new(r)));
    let wait = pacer
        .as_ref()
        .map_or(Duration::from_millis(100), |p| p.tick());
    let t0 = Instant::now();
    let mut o = Outcome {
        devices: n,
        ..Outcome::default()
    };
    let (mut next, mut active, mut done, mut steps_done) = (0usize, 0usize, 0u64, 0u64);
    let io = |e: std::io::Error| format!("writing records: {e}");
    loop {
        while active < max_active && next < n {
            let t = &plan.targets[next];
            let dev = next;
            next += 1;
            let session = open_session(t, &plan, &rt);
            let session = match session {
                Ok(s) => s,
                Err(e) => {
                    o.other_errors += 1;
                    o.failed += 1;
                    done += 1;
                    progress
                        .suspend(|| out.error(&t.host, &e.to_string()))
                        .map_err(io)?;
                    continue;
                }
            };
            let job = Arc::new(Job {
                dev,
                session,
                oids: t
                    .oids
                    .clone()
                    .map(Arc::new)
                    .unwrap_or_else(|| plan.oids.clone()),
                walks: plan.walks.clone(),
                sequential: plan.sequential,
                bulk: t.creds.version != Version::V1,
                per_target,
                state: Mutex::new(JobState::default()),
                tx: tx.clone(),
                pacer: pacer.clone(),
            });
            active += 1;
            job.pump();
        }
        if active == 0 && next >= n {
            break;
        }
        if let Some(p) = &pacer {
            for job in p.unpark() {
                job.state.lock().parked = false;
                job.pump();
            }
        }
        let first = rx.recv_timeout(wait);
        let mut events: Vec<Event> = first.into_iter().collect();
        events.extend(rx.try_iter().take(100_000));
        progress
            .suspend(|| -> std::io::Result<()> {
                for ev in events {
                    match ev {
                        Event::Rows { dev, result } => {
                            steps_done += 1;
                            let host = &plan.targets[dev].host;
                            match result {
                                Ok(vbs) => {
                                    for vb in &vbs {
                                        out.varbind(host, vb)?;
                                    }
                                }
                                Err(e) => {
                                    match e {
                                        Error::Timeout { .. } => o.timeouts += 1,
                                        Error::Agent { .. } => o.agent_errors += 1,
                                        _ => o.other_errors += 1,
                                    }
                                    out.error(host, &e.to_string())?;
                                }
                            }
                        }
                        Event::Done { failed, .. } => {
                            active -= 1;
                            done += 1;
                            o.failed += failed as usize;
                        }
                    }
                }
                Ok(())
            })
            .map_err(io)?;
        progress.update(done, o.failed as u64, steps_done, t0.elapsed());
    }
    out.flush().map_err(io)?;
    o.wall = t0.elapsed();
    o.open_fds = report::open_fds();
    // The shard publishes its counters just after delivering completions: wait (briefly)
    // until they cover every operation we saw complete.
    let mut st = rt.stats();
    let settle = Instant::now();
    while st.completed < steps_done && settle.elapsed() < Duration::from_secs(1) {
        std::thread::sleep(Duration::from_millis(1));
        st = rt.stats();
    }
    o.retransmissions = st.retransmissions;
    o.requests = st.requests_sent;
    Ok(o)
}

/// Runs `snmpx poll`.
pub fn run_command(a: PollArgs) -> CliResult<ExitCode> {
    let text = std::fs::read_to_string(&a.targets)
        .map_err(|e| format!("reading {}: {e}", a.targets.display()))?;
    let profiles = match &a.profiles {
        Some(p) => targets::parse_profiles(
            &std::fs::read_to_string(p).map_err(|e| format!("reading {}: {e}", p.display()))?,
        )?,
        None => targets::Profiles::new(),
    };
    let targets = targets::parse(&text, targets::is_yaml_path(&a.targets), &profiles)?;
    let parse_all = |v: &[String]| -> CliResult<Vec<Oid>> {
        v.iter()
            .map(|s| {
                s.trim()
                    .parse::<Oid>()
                    .map_err(|e| format!("OID {s:?}: {e}"))
            })
            .collect()
    };
    let mut oids = parse_all(&a.oids)?;
    let walks = parse_all(&a.walk)?;
    if oids.is_empty() && walks.is_empty() {
        oids = parse_all(&SYSTEM_SCALARS.map(String::from))?;
    }
    if !(a.timeout.is_finite() && a.timeout > 0.0) {
        return Err(format!("--timeout {} must be positive", a.timeout));
    }
    if let Some(r) = a.rate {
        if !(r.is_finite() && r > 0.0) {
            return Err(format!("--rate {r} must be positive"));
        }
    }
    let plan = Plan {
        targets,
        oids: Arc::new(oids),
        walks: Arc::new(walks),
        sequential: a.sequential,
        in_flight: a.in_flight,
        per_target: a.per_target,
        timeout: Duration::from_secs_f64(a.timeout),
        retries: a.retries,
        threads: a.threads,
        rate: a.rate,
    };
    let sink: Box<dyn std::io::Write> = match &a.output {
        Some(p) => Box::new(std::io::BufWriter::with_capacity(
            1 << 16,
            std::fs::File::create(p).map_err(|e| format!("creating {}: {e}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::with_capacity(
            1 << 16,
            std::io::stdout(),
        )),
    };
    let mut out = RecordWriter::new(Some(sink), a.format).map_err(|e| e.to_string())?;
    let progress = Progress::new(plan.targets.len() as u64, !a.no_progress);
    let outcome = execute(plan, &mut out, &progress)?;
    progress.finish();
    eprintln!("{}", outcome.summary("snmpx poll"));
    if let Some(kib) = report::peak_rss_kib() {
        eprintln!("snmpx poll: peak RSS {:.1} MiB", kib as f64 / 1024.0);
    }
    Ok(if outcome.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
