//! Native `get`, `walk` and `bulkwalk`: one agent, Net-SNMP's `-On` output lines.

use crate::CliResult;
use snmpx::sim::walkfile::format_line;
use snmpx::{Runtime, Session, Version};
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

/// Which operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// GetRequest.
    Get,
    /// GetNext walk.
    Walk,
    /// GetBulk walk.
    BulkWalk,
}

/// Options shared by `get`, `walk` and `bulkwalk`.
#[derive(clap::Args, Debug)]
pub struct QueryArgs {
    /// SNMP version: 1 or 2c.
    #[arg(short = 'v', long = "version", default_value = "2c")]
    pub version: Version,
    /// Community string.
    #[arg(short = 'c', long, default_value = "public")]
    pub community: String,
    /// Seconds to wait for each response.
    #[arg(short = 't', long, default_value_t = 1.0)]
    pub timeout: f64,
    /// Retransmissions.
    #[arg(short = 'r', long, default_value_t = 5)]
    pub retries: u32,
    /// GetBulk max-repetitions (bulkwalk).
    #[arg(long, default_value_t = 25)]
    pub max_repetitions: u32,
    /// The agent: host, host:port, [v6]:port.
    pub host: String,
    /// Numeric OIDs (walks default to 1.3.6.1.2.1).
    pub oids: Vec<String>,
}

/// Runs one query and prints `.OID = TYPE: value` lines.
pub fn run(a: QueryArgs, kind: Kind) -> CliResult<ExitCode> {
    if !(a.timeout.is_finite() && a.timeout > 0.0) {
        return Err(format!("timeout {} must be positive", a.timeout));
    }
    let rt = Runtime::new().map_err(|e| e.to_string())?;
    let s = Session::builder(&a.host)
        .version(a.version)
        .community(&a.community)
        .timeout(Duration::from_secs_f64(a.timeout))
        .retries(a.retries)
        .max_repetitions(a.max_repetitions)
        .open(&rt)
        .map_err(|e| e.to_string())?;
    let mut oids = a.oids.clone();
    if oids.is_empty() {
        if kind == Kind::Get {
            return Err("no OID given".into());
        }
        oids.push("1.3.6.1.2.1".into());
    }
    let r = match kind {
        Kind::Get => s.get(&oids),
        Kind::Walk => s.walk(&oids),
        Kind::BulkWalk => s.bulk_walk(&oids),
    };
    match r {
        Ok(vbs) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for vb in &vbs {
                writeln!(out, "{}", format_line(vb)).map_err(|e| e.to_string())?;
            }
            out.flush().map_err(|e| e.to_string())?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("snmpx: {e}");
            Ok(ExitCode::from(1))
        }
    }
}
