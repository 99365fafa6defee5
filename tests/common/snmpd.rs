//! Test harness: runs a private Net-SNMP `snmpd` on a loopback high port for interop tests.
//!
//! Each [`Snmpd`] gets its own temporary directory (config, log, persistent state), its own
//! port on 127.0.0.1 (listening on UDP and TCP, RFC 3430: `udp:127.0.0.1:PORT` and
//! `tcp:127.0.0.1:PORT`) and its own engine ID, so any number of instances can run at once in
//! one test process. Dropping the value stops the agent and removes the directory.
//!
//! What the generated agent offers (see [`Snmpd::config_text`]):
//! - community `public` (v1/v2c, read-only, full view), `private` (read-write, full view) and
//!   `stable` (read-only, full view minus the subtrees whose set of OIDs changes between two
//!   walks: see [`STABLE_EXCLUDED`]);
//! - `sysName.0` = [`SYS_NAME`], `sysDescr.0` = [`SYS_DESCR`], `sysLocation.0` =
//!   [`SYS_LOCATION`] (set in the config, so read-only), `sysContact.0` unset (writable via
//!   `private`);
//! - one SNMPv3 USM user per supported auth x priv pair, one authNoPriv user per auth protocol
//!   and one noAuthNoPriv user ([`Snmpd::v3_users`]), all with read-write access to everything.
//!
//! Only std and libc are used so that every integration test can include this module.
#![allow(dead_code)]

use std::fs;
use std::net::{SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Where Debian's `snmpd` package installs the agent.
pub const SNMPD_PATH: &str = "/usr/sbin/snmpd";
/// `sysName.0` of every harness agent.
pub const SYS_NAME: &str = "snmpx-test";
/// `sysDescr.0` of every harness agent.
pub const SYS_DESCR: &str = "snmpx test agent (Net-SNMP snmpd)";
/// `sysLocation.0`: configured, so Net-SNMP reports it notWritable.
pub const SYS_LOCATION: &str = "snmpx test lab";
/// Read-only community with the full view.
pub const COMMUNITY_RO: &str = "public";
/// Read-write community with the full view.
pub const COMMUNITY_RW: &str = "private";
/// Read-only community whose view leaves out the volatile subtrees in [`STABLE_EXCLUDED`].
pub const COMMUNITY_STABLE: &str = "stable";

/// Authentication protocols this snmpd (5.9.3, Debian 12) accepts, in Net-SNMP spelling.
pub const AUTH_PROTOCOLS: [&str; 6] = ["MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512"];

/// Privacy protocols this snmpd accepts, in Net-SNMP spelling ("AES" is AES-128; "-C" are the
/// Reeder/Cisco key-extension variants, the others Blumenthal).
///
/// Verified against Net-SNMP 5.9.3 (Debian 12, built with --enable-blumenthal-aes): every one of
/// the 6 auth x 6 priv pairs below works with `snmpget -v3 -l authPriv`, and the agent's
/// usmUserPrivProtocol column shows distinct OIDs for each (DES 1.3.6.1.6.3.10.1.2.2, AES
/// .10.1.2.4, AES-192/AES-256 1.3.6.1.4.1.14832.1.3/.4, AES-192-C/AES-256-C
/// 1.3.6.1.4.1.9.12.6.1.1/.2). A client using AES-256 against an AES-256-C user (and vice versa)
/// fails, so the two variants really differ. "AES-128" is an alias of "AES" and is not listed.
pub const PRIV_PROTOCOLS: [&str; 6] =
    ["DES", "AES", "AES-192", "AES-256", "AES-192-C", "AES-256-C"];

/// Subtrees left out of the `stable` community's view: their *set of OIDs* changes between two
/// walks of a live machine (connections, processes, neighbours, routes, late samples).
///
/// Found empirically on Net-SNMP 5.9.3 by walking the full tree three times about a minute apart
/// on a fresh agent, while opening and closing TCP/UDP sockets and starting and ending
/// processes, and diffing the OID lists (marked "seen"): hrProcessorLoad and the UCD
/// systemStats ssCpu*/ssIO*/ssSwap* scalars only appear after the agent's first one-minute
/// sample. The others follow the same kind of machine state by design and are left out so that
/// tests do not flake on a busier machine. With these excluded, the OID set stayed identical
/// over 130 s of such churn. Values under the remaining OIDs may still change (counters,
/// sysUpTime); the set of OIDs does not.
pub const STABLE_EXCLUDED: &[(&str, &str)] = &[
    (".1.3.6.1.2.1.4.21", "ipRouteTable"),
    (".1.3.6.1.2.1.4.22", "ipNetToMediaTable (ARP)"),
    (".1.3.6.1.2.1.4.24", "ipForward (routes)"),
    (".1.3.6.1.2.1.4.35", "ipNetToPhysicalTable"),
    (".1.3.6.1.2.1.4.37", "ipDefaultRouterTable"),
    (".1.3.6.1.2.1.5.30", "icmpMsgStatsTable"),
    (".1.3.6.1.2.1.6.13", "tcpConnTable (seen)"),
    (".1.3.6.1.2.1.6.16", "ipv6TcpConnTable"),
    (".1.3.6.1.2.1.6.19", "tcpConnectionTable (seen)"),
    (".1.3.6.1.2.1.6.20", "tcpListenerTable (seen)"),
    (".1.3.6.1.2.1.7.5", "udpTable (seen)"),
    (".1.3.6.1.2.1.7.6", "ipv6UdpTable"),
    (".1.3.6.1.2.1.7.7", "udpEndpointTable (seen)"),
    (".1.3.6.1.2.1.25.3.3", "hrProcessorTable (seen)"),
    (".1.3.6.1.2.1.25.4", "hrSWRun (seen)"),
    (".1.3.6.1.2.1.25.5", "hrSWRunPerf (seen)"),
    (".1.3.6.1.4.1.2021.2", "UCD prTable"),
    (".1.3.6.1.4.1.2021.8", "UCD extTable"),
    (".1.3.6.1.4.1.2021.9", "UCD dskTable"),
    (".1.3.6.1.4.1.2021.11", "UCD systemStats (seen)"),
    (".1.3.6.1.4.1.2021.13.15", "UCD diskIOTable"),
    (".1.3.6.1.4.1.8072.1.3", "nsExtendObjects"),
    (
        ".1.3.6.1.4.1.8072.1.5",
        "nsCacheTable (nsCacheStatus goes cached/expired)",
    ),
    (".1.3.6.1.4.1.8072.1.8", "nsTransactionTable"),
];

static INSTANCE_COUNTER: AtomicU32 = AtomicU32::new(0);

/// Options for [`Snmpd::start_with`].
#[derive(Clone, Debug, Default)]
pub struct SnmpdOptions {
    /// Engine ID as hex without `0x` (e.g. "800000020109840301"); `None` lets snmpd choose.
    pub engine_id: Option<String>,
    /// Appended verbatim to the generated snmpd configuration.
    pub extra_conf: String,
}

/// SNMPv3 security level of a [`V3User`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(clippy::enum_variant_names)] // the RFC 3411 names
pub enum SecLevel {
    NoAuthNoPriv,
    AuthNoPriv,
    AuthPriv,
}

impl SecLevel {
    /// Spelling of Net-SNMP's command-line `-l` option.
    pub fn cli_name(self) -> &'static str {
        match self {
            SecLevel::NoAuthNoPriv => "noAuthNoPriv",
            SecLevel::AuthNoPriv => "authNoPriv",
            SecLevel::AuthPriv => "authPriv",
        }
    }

    /// Spelling of snmpd.conf's `rwuser` level.
    pub fn conf_name(self) -> &'static str {
        match self {
            SecLevel::NoAuthNoPriv => "noauth",
            SecLevel::AuthNoPriv => "auth",
            SecLevel::AuthPriv => "priv",
        }
    }
}

/// One SNMPv3 USM user configured in every harness agent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct V3User {
    pub name: String,
    pub level: SecLevel,
    /// Net-SNMP spelling, e.g. "SHA-256"; `None` for noAuthNoPriv.
    pub auth: Option<&'static str>,
    /// Empty when `auth` is `None`.
    pub auth_pass: String,
    /// Net-SNMP spelling, e.g. "AES-256-C"; `None` unless authPriv.
    pub priv_: Option<&'static str>,
    /// Empty when `priv_` is `None`.
    pub priv_pass: String,
}

impl V3User {
    /// Net-SNMP command-line security options for this user (`-v3 -l .. -u .. -a .. -A ..`).
    pub fn cli_args(&self) -> Vec<String> {
        let mut args = vec![
            "-v3".to_string(),
            "-l".to_string(),
            self.level.cli_name().to_string(),
            "-u".to_string(),
            self.name.clone(),
        ];
        if let Some(auth) = self.auth {
            args.extend([
                "-a".to_string(),
                auth.to_string(),
                "-A".to_string(),
                self.auth_pass.clone(),
            ]);
        }
        if let Some(privp) = self.priv_ {
            args.extend([
                "-x".to_string(),
                privp.to_string(),
                "-X".to_string(),
                self.priv_pass.clone(),
            ]);
        }
        args
    }

    /// The snmpd.conf lines that create this user and give it read-write access.
    fn conf_lines(&self) -> String {
        let mut create = format!("createUser {}", self.name);
        if let Some(auth) = self.auth {
            create.push_str(&format!(" {auth} {}", self.auth_pass));
        }
        if let Some(privp) = self.priv_ {
            create.push_str(&format!(" {privp} {}", self.priv_pass));
        }
        format!(
            "{create}\nrwuser -s usm {} {}\n",
            self.name,
            self.level.conf_name()
        )
    }
}

/// Lower-case protocol name without dashes, for user names: "SHA-256" -> "sha256".
fn short(proto: &str) -> String {
    proto.replace('-', "").to_ascii_lowercase()
}

/// A running snmpd. Stopped (SIGTERM, then SIGKILL after 2 s) and cleaned up on drop.
pub struct Snmpd {
    pub port: u16,
    /// 127.0.0.1:port
    pub addr: SocketAddr,
    /// The agent's snmpEngineID as read back from it.
    pub engine_id: Vec<u8>,
    child: Child,
    dir: PathBuf,
    opts: SnmpdOptions,
}

impl Snmpd {
    /// Starts an agent with default options. Panics (with the agent's log) if it cannot.
    pub fn start() -> Snmpd {
        Snmpd::start_with(SnmpdOptions::default())
    }

    /// Starts an agent; retries with a new port up to 5 times if it fails to come up.
    pub fn start_with(opts: SnmpdOptions) -> Snmpd {
        if !Path::new(SNMPD_PATH).exists() {
            panic!(
                "{SNMPD_PATH} not found: install Debian's snmpd and snmp packages \
                 (apt-get install snmpd snmp; .ci/run does this)"
            );
        }
        let requested = opts.engine_id.as_deref().map(|hex| {
            parse_hex(hex).unwrap_or_else(|e| panic!("SnmpdOptions::engine_id {hex:?}: {e}"))
        });
        if let Some(id) = &requested {
            assert!(
                (5..=32).contains(&id.len()),
                "SnmpdOptions::engine_id must be 5..=32 bytes, got {}",
                id.len()
            );
        }
        let mut failures = String::new();
        for attempt in 1..=5 {
            let dir = make_temp_dir();
            let port = free_udp_port();
            match try_start(&dir, port, &opts, false) {
                Ok(child) => {
                    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
                    let mut agent = Snmpd {
                        port,
                        addr,
                        engine_id: Vec::new(),
                        child,
                        dir,
                        opts: opts.clone(),
                    };
                    agent.engine_id = agent.read_engine_id();
                    if let Some(want) = &requested {
                        assert_eq!(
                            &agent.engine_id, want,
                            "snmpd on port {port} reports a different engine ID than requested"
                        );
                    }
                    return agent;
                }
                Err(why) => {
                    failures.push_str(&format!("--- attempt {attempt} (port {port}): {why}\n"));
                    let _ = fs::remove_dir_all(&dir);
                }
            }
        }
        panic!("snmpd did not start after 5 attempts:\n{failures}");
    }

    /// Stops the agent (SIGTERM: it saves its persistent state, including snmpEngineBoots)
    /// and starts it again on the same port and directory. With `keep_state`, snmpd also
    /// reads the state it saved (`-C` keeps it from reading it by itself): the engine ID
    /// stays, boots go up by one and the engine time restarts from zero (an SNMPv3 agent
    /// restart). Without, an agent with no `engine_id` option comes back with a new random
    /// engine ID (a re-installed agent); [`Snmpd::engine_id`] is read again.
    pub fn restart(&mut self, keep_state: bool) {
        stop_child(&mut self.child);
        let mut last = String::new();
        for _ in 0..5 {
            match try_start(&self.dir, self.port, &self.opts, keep_state) {
                Ok(child) => {
                    self.child = child;
                    self.engine_id = self.read_engine_id();
                    return;
                }
                Err(e) => last = e,
            }
            thread::sleep(Duration::from_millis(200));
        }
        panic!("snmpd did not restart on port {}: {last}", self.port);
    }

    /// "127.0.0.1:PORT", the target form Net-SNMP's tools take.
    pub fn target(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// "tcp:127.0.0.1:PORT": the same agent over TCP (RFC 3430).
    pub fn tcp_target(&self) -> String {
        format!("tcp:127.0.0.1:{}", self.port)
    }

    /// The agent's private directory (config, log, persistent state).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The agent's log so far.
    pub fn log(&self) -> String {
        read_logs(&self.dir)
    }

    /// A Net-SNMP command-line tool (`snmpget`, `snmpwalk`, ...) with an environment isolated
    /// from the machine's and user's snmp.conf and MIBs (numeric output by default).
    pub fn cli(&self, tool: &str) -> Command {
        cli_command(tool, &self.dir)
    }

    /// The SNMPv3 users configured in every harness agent: one noAuthNoPriv user, one
    /// authNoPriv user per auth protocol and one authPriv user per auth x priv pair.
    pub fn v3_users() -> Vec<V3User> {
        let mut users = vec![V3User {
            name: "noauth".to_string(),
            level: SecLevel::NoAuthNoPriv,
            auth: None,
            auth_pass: String::new(),
            priv_: None,
            priv_pass: String::new(),
        }];
        for auth in AUTH_PROTOCOLS {
            let name = format!("auth_{}", short(auth));
            users.push(V3User {
                auth_pass: format!("{name}-authpass"),
                name,
                level: SecLevel::AuthNoPriv,
                auth: Some(auth),
                priv_: None,
                priv_pass: String::new(),
            });
        }
        for auth in AUTH_PROTOCOLS {
            for privp in PRIV_PROTOCOLS {
                let name = format!("priv_{}_{}", short(auth), short(privp));
                users.push(V3User {
                    auth_pass: format!("{name}-authpass"),
                    priv_pass: format!("{name}-privpass"),
                    name,
                    level: SecLevel::AuthPriv,
                    auth: Some(auth),
                    priv_: Some(privp),
                });
            }
        }
        users
    }

    /// The snmpd.conf text the harness generates for `opts`.
    pub fn config_text(opts: &SnmpdOptions) -> String {
        let mut c = String::new();
        c.push_str("# snmpd.conf generated by tests/common/snmpd.rs for snmpx interop tests\n");
        if let Some(hex) = &opts.engine_id {
            c.push_str(&format!("exactEngineID 0x{hex}\n"));
        }
        c.push_str("dontLogTCPWrappersConnects yes\n");
        c.push_str(&format!("sysName {SYS_NAME}\n"));
        c.push_str(&format!("sysDescr {SYS_DESCR}\n"));
        c.push_str(&format!("sysLocation {SYS_LOCATION}\n"));
        c.push_str("# sysContact deliberately unset: it stays writable through 'private'\n");
        c.push_str(&format!("rocommunity {COMMUNITY_RO} 127.0.0.1\n"));
        c.push_str(&format!("rwcommunity {COMMUNITY_RW} 127.0.0.1\n"));
        c.push_str("view stableview included .1\n");
        for (oid, what) in STABLE_EXCLUDED {
            c.push_str(&format!("# {what}\nview stableview excluded {oid}\n"));
        }
        c.push_str(&format!(
            "rocommunity {COMMUNITY_STABLE} 127.0.0.1 -V stableview\n"
        ));
        for user in Snmpd::v3_users() {
            c.push_str(&user.conf_lines());
        }
        c.push_str("# extra_conf\n");
        c.push_str(&opts.extra_conf);
        c.push('\n');
        c
    }

    /// Reads snmpEngineID.0 back from the agent (hex string output parsed into bytes).
    fn read_engine_id(&self) -> Vec<u8> {
        let mut last = String::new();
        for _ in 0..5 {
            let out = self
                .cli("snmpget")
                .args([
                    "-v2c",
                    "-c",
                    COMMUNITY_RO,
                    "-t",
                    "1",
                    "-r",
                    "1",
                    "-Oqv",
                    "-Ox",
                ])
                .arg(self.target())
                .arg(".1.3.6.1.6.3.10.2.1.1.0")
                .output()
                .expect("running snmpget");
            let text = String::from_utf8_lossy(&out.stdout).to_string();
            if out.status.success() {
                if let Ok(id) = parse_hex(&text.replace(['"', ' ', '\n', '\r'], "")) {
                    if !id.is_empty() {
                        return id;
                    }
                }
            }
            last = format!("{text}{}", String::from_utf8_lossy(&out.stderr));
            thread::sleep(Duration::from_millis(200));
        }
        panic!(
            "could not read snmpEngineID from snmpd at {}: {last}\nlog:\n{}",
            self.target(),
            self.log()
        );
    }
}

impl Drop for Snmpd {
    fn drop(&mut self) {
        stop_child(&mut self.child);
        if thread::panicking() {
            eprintln!("snmpd at {} log:\n{}", self.target(), self.log());
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Spawns `cmd` so that it dies with this test process, even when the [`Snmpd`] is never
/// dropped (agents kept in a `static` are not). PR_SET_PDEATHSIG fires when the *thread* that
/// spawned the child exits, so every agent is spawned from one thread that lives as long as
/// the process.
fn spawn_tied_to_process(mut cmd: Command) -> std::io::Result<Child> {
    use std::os::unix::process::CommandExt;
    use std::sync::mpsc::{channel, Sender};
    use std::sync::{Mutex, OnceLock};
    type Job = (Command, Sender<std::io::Result<Child>>);
    static SPAWNER: OnceLock<Mutex<Sender<Job>>> = OnceLock::new();
    // SAFETY: the pre-exec hook only calls the async-signal-safe prctl(2).
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
            Ok(())
        });
    }
    let spawner = SPAWNER.get_or_init(|| {
        let (tx, rx) = channel::<Job>();
        thread::Builder::new()
            .name("snmpd-spawner".into())
            .spawn(move || {
                for (mut cmd, reply) in rx {
                    let _ = reply.send(cmd.spawn());
                }
            })
            .expect("spawner thread");
        Mutex::new(tx)
    });
    let (tx, rx) = channel();
    spawner
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .send((cmd, tx))
        .map_err(|_| std::io::Error::other("spawner thread gone"))?;
    rx.recv()
        .map_err(|_| std::io::Error::other("spawner thread gone"))?
}

/// One attempt: write the config, spawn snmpd, wait up to ~15 s for it to answer. With
/// `persistent`, snmpd also reads the state it saved in `dir` (engine ID, boots).
fn try_start(
    dir: &Path,
    port: u16,
    opts: &SnmpdOptions,
    persistent: bool,
) -> Result<Child, String> {
    let conf = dir.join("snmpx-agent.conf"); // not "snmpd.conf": that is the persistent file
    fs::write(&conf, Snmpd::config_text(opts)).map_err(|e| format!("writing {conf:?}: {e}"))?;
    let mut conf = conf.into_os_string();
    if persistent {
        conf.push(",");
        conf.push(dir.join("snmpd.conf"));
    }
    let stdio = |name: &str| {
        fs::File::create(dir.join(name))
            .map(Stdio::from)
            .map_err(|e| format!("creating {name}: {e}"))
    };
    let mut child = Command::new(SNMPD_PATH);
    child
        .arg("-f") // stay in the foreground: we own the process
        .arg("-C") // read only our config, not /etc/snmp
        .arg("-c")
        .arg(&conf)
        .arg("-Lf")
        .arg(dir.join("snmpd.log"))
        // SMUX would listen on TCP 0.0.0.0:199 and clash between instances.
        .args(["-I", "-smux"])
        .arg(format!("udp:127.0.0.1:{port},tcp:127.0.0.1:{port}"))
        .env("SNMP_PERSISTENT_DIR", dir)
        .env("SNMPCONFPATH", dir)
        .env("MIBS", "") // load no MIB files: faster start, no parse noise in the log
        .stdin(Stdio::null())
        .stdout(stdio("stdout.txt")?)
        .stderr(stdio("stderr.txt")?);
    let mut child =
        spawn_tied_to_process(child).map_err(|e| format!("spawning {SNMPD_PATH}: {e}"))?;

    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "snmpd exited early ({status}); log:\n{}",
                read_logs(dir)
            ));
        }
        let probe = cli_command("snmpget", dir)
            .args(["-v2c", "-c", COMMUNITY_RO, "-t", "0.3", "-r", "0", "-On"])
            .arg(format!("127.0.0.1:{port}"))
            .arg(".1.3.6.1.2.1.1.3.0")
            .output();
        match probe {
            Ok(out)
                if out.status.success()
                    && String::from_utf8_lossy(&out.stdout).contains("Timeticks") =>
            {
                return Ok(child);
            }
            Ok(_) => {}
            Err(e) => {
                stop_child(&mut child);
                return Err(format!(
                    "cannot run snmpget (install Debian's snmp package): {e}"
                ));
            }
        }
        if Instant::now() >= deadline {
            stop_child(&mut child);
            return Err(format!(
                "snmpd did not answer within 15 s; log:\n{}",
                read_logs(dir)
            ));
        }
        thread::sleep(Duration::from_millis(50));
    }
}

/// A Net-SNMP tool isolated from system/user configuration, with persistent files kept in `dir`.
fn cli_command(tool: &str, dir: &Path) -> Command {
    let client_dir = dir.join("client");
    let _ = fs::create_dir_all(&client_dir);
    let mut cmd = Command::new(tool);
    cmd.env("SNMPCONFPATH", &client_dir)
        .env("SNMP_PERSISTENT_DIR", &client_dir)
        .env("MIBS", "")
        .stdin(Stdio::null());
    cmd
}

/// SIGTERM, up to 2 s grace, then SIGKILL; always reaps the child.
fn stop_child(child: &mut Child) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    let Ok(pid) = libc::pid_t::try_from(child.id()) else {
        let _ = child.kill();
        let _ = child.wait();
        return;
    };
    // SAFETY: kill(2) on the PID of a child we spawned and have not reaped yet, so the PID
    // cannot have been reused by another process.
    unsafe {
        libc::kill(pid, libc::SIGTERM);
    }
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
}

fn make_temp_dir() -> PathBuf {
    let n = INSTANCE_COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("snmpx-snmpd-{}-{n}", std::process::id()));
    let _ = fs::remove_dir_all(&dir); // left over from an earlier process with the same PID
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {dir:?}: {e}"));
    dir
}

/// A UDP port on 127.0.0.1 that was free a moment ago (the caller retries if it is taken).
/// The agent listens on TCP at the same number: a port taken on TCP is skipped too.
fn free_udp_port() -> u16 {
    let mut port = 0;
    for _ in 0..100 {
        let sock = UdpSocket::bind("127.0.0.1:0").expect("binding a UDP socket on 127.0.0.1:0");
        port = sock
            .local_addr()
            .expect("local_addr of a bound UDP socket")
            .port();
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            break;
        }
    }
    port
}

fn read_logs(dir: &Path) -> String {
    let mut out = String::new();
    for name in ["snmpd.log", "stderr.txt", "stdout.txt"] {
        if let Ok(text) = fs::read_to_string(dir.join(name)) {
            if !text.trim().is_empty() {
                out.push_str(&format!("[{name}]\n{text}"));
            }
        }
    }
    if out.is_empty() {
        out.push_str("(empty)");
    }
    out
}

/// "80 00 1F" or "80001f" -> bytes.
fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    digits
        .chunks(2)
        .map(|pair| match pair {
            [hi, lo] if hi.is_ascii_hexdigit() && lo.is_ascii_hexdigit() => {
                let pair = [*hi, *lo];
                let pair = std::str::from_utf8(&pair).map_err(|e| e.to_string())?;
                u8::from_str_radix(pair, 16).map_err(|e| e.to_string())
            }
            _ => Err(format!("not an even number of hex digits: {text:?}")),
        })
        .collect()
}
