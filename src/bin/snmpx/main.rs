//! `snmpx`: the command-line tool. Subcommands: `sim` (the agent simulator in the
//! foreground), `poll` (a fleet from a targets file, with progress and JSON lines/CSV output),
//! `demo` (simulator + poller in one process), and native `get`, `walk`, `bulkwalk`.
//!
//! Invoked as `snmpget`, `snmpgetnext`, `snmpbulkget`, `snmpwalk`, `snmpbulkwalk`, `snmpset`,
//! `snmptable` or `snmptranslate` (a symlink; `snmpx install-links DIR` creates them), or as
//! `snmpx snmpwalk ...`, it is that Net-SNMP tool: same flags, output and exit codes
//! ([`netsnmp`]).
#![forbid(unsafe_code)]

mod demo;
mod netsnmp;
mod pacer;
mod poll;
mod query;
mod report;
mod simcmd;
mod targets;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Thread-safe, high-throughput SNMP manager.
#[derive(Parser, Debug)]
#[command(name = "snmpx", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the SNMP agent simulator in the foreground.
    Sim(simcmd::SimArgs),
    /// Poll a fleet of agents listed in a targets file.
    Poll(poll::PollArgs),
    /// Start the simulator in-process and poll every simulated device.
    Demo(demo::DemoArgs),
    /// GET objects from one agent and print them as `OID = TYPE: value`.
    Get(query::QueryArgs),
    /// Walk subtrees of one agent with GETNEXT.
    Walk(query::QueryArgs),
    /// Walk subtrees of one agent with GETBULK.
    Bulkwalk(query::QueryArgs),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if let Some(app) = args.first().and_then(|a| netsnmp::App::from_name(a)) {
        return netsnmp::run(app, &args[1..]);
    }
    if let Some(app) = args.get(1).and_then(|a| netsnmp::App::from_name(a)) {
        return netsnmp::run(app, &args[2..]);
    }
    if args.get(1).map(String::as_str) == Some("install-links") {
        return install_links(&args[2..]);
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Sim(a) => simcmd::run(a),
        Command::Poll(a) => poll::run_command(a),
        Command::Demo(a) => demo::run(a),
        Command::Get(a) => query::run(a, query::Kind::Get),
        Command::Walk(a) => query::run(a, query::Kind::Walk),
        Command::Bulkwalk(a) => query::run(a, query::Kind::BulkWalk),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("snmpx: {e}");
            ExitCode::from(2)
        }
    }
}

/// `snmpx install-links [--force] DIR`: one symlink per Net-SNMP command name in DIR.
fn install_links(args: &[String]) -> ExitCode {
    let force = args.iter().any(|a| a == "--force");
    let dirs: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [dir] = dirs.as_slice() else {
        eprintln!("usage: snmpx install-links [--force] DIR");
        return ExitCode::from(2);
    };
    match netsnmp::install_links(std::path::Path::new(dir.as_str()), force) {
        Ok(made) => {
            for m in made {
                println!("{m}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("snmpx: {e}");
            ExitCode::from(1)
        }
    }
}

/// The tool's error type: a message for the user.
pub type CliResult<T> = Result<T, String>;
