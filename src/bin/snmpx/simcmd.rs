//! `snmpx sim`: the agent simulator in the foreground.

use crate::CliResult;
use snmpx::sim::{Addressing, Misbehaviour, SimConfig, SimStats, Simulator, UsmSecurity};
use snmpx::usm::{AuthProtocol, Credentials, PrivProtocol};
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Options of `snmpx sim`.
#[derive(clap::Args, Debug)]
pub struct SimArgs {
    /// Number of simulated devices.
    #[arg(long, default_value_t = 1000)]
    pub devices: usize,
    /// First device address (device i answers at base + i; must be in 127.0.0.0/8).
    #[arg(long, default_value = "127.1.0.1")]
    pub base: Ipv4Addr,
    /// UDP port every device answers on (0 = pick one).
    #[arg(long, default_value_t = 1161)]
    pub port: u16,
    /// Put every device on 127.0.0.1 (or this loopback address) at consecutive ports from
    /// --port instead (one socket per device; small fleets only).
    #[arg(long, value_name = "ADDR", num_args = 0..=1, default_missing_value = "127.0.0.1")]
    pub per_port: Option<IpAddr>,
    /// Community accepted by every device (v1 and v2c).
    #[arg(long, default_value = "public")]
    pub community: String,
    /// Delay before each reply, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Fraction of requests dropped (0.0-1.0).
    #[arg(long, default_value_t = 0.0)]
    pub loss: f64,
    /// Fraction of replies sent twice (0.0-1.0).
    #[arg(long, default_value_t = 0.0)]
    pub duplicate: f64,
    /// Seed of the loss/duplicate generator.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Interfaces per synthetic device.
    #[arg(long, default_value_t = 4)]
    pub interfaces: u32,
    /// Rows of the synthetic table under 1.3.6.1.4.1.99999 (for bulk-walk benchmarks).
    #[arg(long, default_value_t = 0)]
    pub big_table: u32,
    /// Serve this `snmpwalk -On` recording instead of the synthetic model (repeat it to give
    /// device i file i mod n).
    #[arg(long)]
    pub walk_file: Vec<PathBuf>,
    /// Stop after this many seconds (default: run until interrupted).
    #[arg(long)]
    pub duration: Option<f64>,
    /// Worker threads.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// Largest response message in bytes (GetBulk answers are cut to fit).
    #[arg(long, default_value_t = 65_507)]
    pub max_message_size: usize,
    /// Misbehave on a fraction of replies: KIND[@FRACTION] with KIND one of non-increasing,
    /// truncate, garble, wrong-port, wrong-address, wrong-request-id, bulk-too-big:N
    /// (tooBig when a GetBulk answer exceeds N varbinds). Repeatable.
    #[arg(long, value_parser = parse_misbehaviour)]
    pub misbehave: Vec<(Misbehaviour, f64)>,
    /// Serve SNMPv3 too, for this USM user (repeatable): USER, USER:AUTH:AUTHPASS or
    /// USER:AUTH:AUTHPASS:PRIV:PRIVPASS with Net-SNMP protocol names (e.g.
    /// `bench:SHA:authpass1:AES:privpass1`; pass phrases cannot contain ':'). Every device
    /// gets its own engine ID; v1/v2c keep working with --community.
    #[arg(long, value_name = "SPEC", value_parser = parse_v3_user)]
    pub v3_user: Vec<(String, Credentials)>,
    /// Read SNMPv3 users from a file: one --v3-user SPEC per line, or Net-SNMP's
    /// `createUser NAME AUTH "AUTHPASS" PRIV "PRIVPASS"` lines (as in snmpd.conf);
    /// blank lines and `#` comments are ignored.
    #[arg(long, value_name = "FILE")]
    pub v3_users_file: Option<std::path::PathBuf>,
}

/// Parses a users file (see `--v3-users-file`).
fn parse_users_file(text: &str) -> Result<Vec<(String, Credentials)>, String> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = |e: String| format!("users file line {}: {e}", i + 1);
        let spec = match line.strip_prefix("createUser") {
            // createUser NAME [AUTH "PASS" [PRIV "PASS"]] (snmpd.conf(5), USM section).
            Some(rest) => rest
                .split_whitespace()
                .map(|w| w.trim_matches('"'))
                .collect::<Vec<_>>()
                .join(":"),
            None => line.to_string(),
        };
        out.push(parse_v3_user(&spec).map_err(at)?);
    }
    Ok(out)
}

/// Parses `USER[:AUTH:AUTHPASS[:PRIV:PRIVPASS]]` for `--v3-user`.
fn parse_v3_user(s: &str) -> Result<(String, Credentials), String> {
    let parts: Vec<&str> = s.split(':').collect();
    let bad = |e: String| format!("--v3-user {:?}: {e}", parts[0]);
    let creds = match parts.as_slice() {
        [_] => Credentials::none(),
        [_, a, ap] => {
            let a: AuthProtocol = a.parse().map_err(|e| bad(format!("{e}")))?;
            Credentials::from_passwords(a, ap.as_bytes(), None).map_err(|e| bad(e.to_string()))?
        }
        [_, a, ap, p, pp] => {
            let a: AuthProtocol = a.parse().map_err(|e| bad(format!("{e}")))?;
            let p: PrivProtocol = p.parse().map_err(|e| bad(format!("{e}")))?;
            Credentials::from_passwords(a, ap.as_bytes(), Some((p, pp.as_bytes())))
                .map_err(|e| bad(e.to_string()))?
        }
        _ => {
            return Err(bad(
                "expected USER, USER:AUTH:PASS or USER:AUTH:PASS:PRIV:PASS".into(),
            ))
        }
    };
    if parts[0].is_empty() || parts[0].len() > 32 {
        return Err(bad("user name must be 1..=32 octets".into()));
    }
    Ok((parts[0].to_string(), creds))
}

/// Parses `KIND[@FRACTION]` for `--misbehave`.
fn parse_misbehaviour(s: &str) -> Result<(Misbehaviour, f64), String> {
    let (kind, frac) = match s.split_once('@') {
        Some((k, f)) => (
            k,
            f.parse::<f64>()
                .ok()
                .filter(|f| (0.0..=1.0).contains(f))
                .ok_or_else(|| format!("fraction {f:?} is not a number within 0..=1"))?,
        ),
        None => (s, 1.0),
    };
    let m = match kind {
        "non-increasing" => Misbehaviour::NonIncreasing,
        "truncate" => Misbehaviour::Truncate,
        "garble" => Misbehaviour::Garble,
        "wrong-port" => Misbehaviour::WrongPort,
        "wrong-address" => Misbehaviour::WrongAddress,
        "wrong-request-id" => Misbehaviour::WrongRequestId,
        k => match k.strip_prefix("bulk-too-big:").map(str::parse::<usize>) {
            Some(Ok(n)) => Misbehaviour::BulkTooBig {
                max_varbinds: n,
                max_bytes: usize::MAX,
            },
            _ => return Err(format!("unknown misbehaviour {k:?}")),
        },
    };
    Ok((m, frac))
}

impl SimArgs {
    /// The simulator configuration these options describe.
    pub fn config(&self) -> CliResult<SimConfig> {
        let mut c = SimConfig::new(self.devices)
            .port(self.port)
            .community(self.community.clone())
            .latency(Duration::from_millis(self.latency_ms))
            .loss(self.loss)
            .duplicate(self.duplicate)
            .seed(self.seed)
            .interfaces(self.interfaces)
            .big_table(self.big_table)
            .threads(self.threads)
            .addressing(match self.per_port {
                Some(ip) => Addressing::PerPort(ip),
                None => Addressing::PerAddress(self.base),
            });
        c = c.max_message_size(self.max_message_size);
        for &(m, f) in &self.misbehave {
            c = c.misbehave(m, f);
        }
        for f in &self.walk_file {
            c = c.walk_file(f);
        }
        let mut v3_users = self.v3_user.clone();
        if let Some(f) = &self.v3_users_file {
            let text =
                std::fs::read_to_string(f).map_err(|e| format!("reading {}: {e}", f.display()))?;
            v3_users.extend(parse_users_file(&text)?);
        }
        if !v3_users.is_empty() {
            let users = v3_users
                .iter()
                .map(|(n, c)| (n.as_bytes().to_vec(), c.clone()))
                .collect();
            let usm = UsmSecurity::new(users)
                .map_err(|e| format!("SNMPv3: {e}"))?
                .with_community(&self.community);
            c = c.security(std::sync::Arc::new(usm));
        }
        if let Some(d) = self.duration {
            if !(d.is_finite() && d > 0.0) {
                return Err(format!(
                    "--duration {d} must be a positive number of seconds"
                ));
            }
            c = c.duration(Duration::from_secs_f64(d));
        }
        Ok(c)
    }
}

/// Runs the simulator until interrupted or for `--duration`.
pub fn run(args: SimArgs) -> CliResult<ExitCode> {
    let sim = Simulator::start(args.config()?).map_err(|e| e.to_string())?;
    for (src, line, why) in sim.walk_skipped().iter().take(10) {
        eprintln!("snmpx sim: {src}:{line}: skipped ({why})");
    }
    let n = sim.devices();
    let first = sim.addr_of(0);
    let last = sim.addr_of(n - 1);
    let what = if args.walk_file.is_empty() {
        format!("synthetic model, {} interfaces", args.interfaces)
    } else {
        format!("{} walk file(s)", args.walk_file.len())
    };
    println!(
        "snmpx sim: {n} devices listening on {first} .. {last} (v1/v2c, community {:?}{}, \
         {what}, {} thread(s), {} fds)",
        args.community,
        if args.v3_user.is_empty() && args.v3_users_file.is_none() {
            String::new()
        } else {
            ", SNMPv3 USM".to_string()
        },
        args.threads,
        sim.fd_count()
    );
    let t0 = Instant::now();
    let mut last_stats = SimStats::default();
    let mut last_t = t0;
    while sim.is_running() {
        std::thread::sleep(Duration::from_millis(200));
        if last_t.elapsed() >= Duration::from_secs(10) {
            let s = sim.stats();
            let dt = last_t.elapsed().as_secs_f64();
            eprintln!(
                "snmpx sim: {:.0} req/s, {} received, {} answered, {} dropped",
                (s.received - last_stats.received) as f64 / dt,
                s.received,
                s.answered,
                s.dropped
            );
            last_stats = s;
            last_t = Instant::now();
        }
    }
    let s = sim.stats();
    eprintln!(
        "snmpx sim: stopped after {:.1} s: {} received, {} answered, {} dropped, {:.2} s CPU",
        t0.elapsed().as_secs_f64(),
        s.received,
        s.answered,
        s.dropped,
        s.cpu_time.as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misbehaviour_syntax() {
        assert_eq!(
            parse_misbehaviour("garble@0.25"),
            Ok((Misbehaviour::Garble, 0.25))
        );
        assert_eq!(
            parse_misbehaviour("bulk-too-big:10"),
            Ok((
                Misbehaviour::BulkTooBig {
                    max_varbinds: 10,
                    max_bytes: usize::MAX
                },
                1.0
            ))
        );
        assert!(parse_misbehaviour("garble@2").is_err());
        assert!(parse_misbehaviour("nonsense").is_err());
    }

    #[test]
    fn v3_user_syntax() {
        let (n, c) = parse_v3_user("bench:sha:authpass1:aes:privpass1").unwrap();
        assert_eq!(n, "bench");
        assert_eq!(c.priv_part().unwrap().0, PrivProtocol::Aes128);
        assert!(parse_v3_user("plain").unwrap().1.auth_part().is_none());
        assert!(parse_v3_user("u:SHA:short").is_err());
        assert!(parse_v3_user("u:XYZ:longenough").is_err());
        assert!(parse_v3_user("u:SHA").is_err());
    }

    #[test]
    fn users_file_syntax() {
        let users = parse_users_file(
            "# users\n\
             bench:SHA:authpass1:AES:privpass1\n\
             \n\
             createUser md5des MD5 \"md5password\" DES \"despassword\"\n\
             createUser plainuser\n",
        )
        .unwrap();
        assert_eq!(users.len(), 3);
        assert_eq!(users[1].0, "md5des");
        assert_eq!(users[1].1.priv_part().unwrap().0, PrivProtocol::Des);
        assert!(users[2].1.auth_part().is_none());
        let e = parse_users_file("ok:SHA:authpass1\nbad:SHA:short\n").unwrap_err();
        assert!(e.starts_with("users file line 2"), "{e}");
    }
}
