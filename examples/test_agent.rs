//! Test launcher for the C ABI, C++ and Go tests (run by ctest and scripts/test.sh): starts a
//! private Net-SNMP `snmpd` with the Rust tests' harness configuration
//! (tests/common/snmpd.rs) on a loopback high port, runs the given command with
//! `SNMPX_TEST_AGENT=127.0.0.1:PORT` in its environment, stops the agent and exits with the
//! command's status.
//!
//! Environment given to the command: `SNMPX_TEST_AGENT`, `SNMPX_TEST_SYS_NAME`,
//! `SNMPX_TEST_SYS_DESCR`, `SNMPX_TEST_SYS_LOCATION`, `SNMPX_TEST_ENGINE_ID` (the agent's
//! snmpEngineID in hex) and `SNMPX_TEST_V3_USERS`: every SNMPv3 user of the agent, separated
//! by `;`, each `name,level,auth,authpass,priv,privpass` with Net-SNMP spellings (`-l`
//! levels, `-a`/`-x` protocol names; empty fields where a level has no protocol). With
//! `--agents 2`, a second agent with the same users and a different, fixed engine ID:
//! `SNMPX_TEST_AGENT2` and `SNMPX_TEST_ENGINE_ID2`.
//!
//! Usage: `test_agent [--agents 1|2] COMMAND [ARGS...]`. With no command it prints the
//! address(es) and keeps the agent(s) up until stdin closes (for manual runs).

#[path = "../tests/common/snmpd.rs"]
mod snmpd;

use std::io::Read;
use std::process::{Command, ExitCode};

/// Engine ID of the second agent (RFC 3411 §5 SnmpEngineID: enterprise 2, format 4 octets).
const SECOND_ENGINE_ID: &str = "80000002040102030405";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut agents = 1;
    if args.first().map(String::as_str) == Some("--agents") {
        agents = match args.get(1).map(String::as_str) {
            Some("1") => 1,
            Some("2") => 2,
            other => {
                eprintln!("test_agent: --agents takes 1 or 2, got {other:?}");
                return ExitCode::from(2);
            }
        };
        args.drain(..2);
    }
    let agent = snmpd::Snmpd::start();
    let second = (agents == 2).then(|| {
        snmpd::Snmpd::start_with(snmpd::SnmpdOptions {
            engine_id: Some(SECOND_ENGINE_ID.to_string()),
            ..Default::default()
        })
    });
    let target = agent.target();
    let Some((cmd, rest)) = args.split_first() else {
        println!("{target}");
        if let Some(s) = &second {
            println!("{}", s.target());
        }
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
        return ExitCode::SUCCESS;
    };
    let mut command = Command::new(cmd);
    command
        .args(rest)
        .env("SNMPX_TEST_AGENT", &target)
        .env("SNMPX_TEST_SYS_NAME", snmpd::SYS_NAME)
        .env("SNMPX_TEST_SYS_DESCR", snmpd::SYS_DESCR)
        .env("SNMPX_TEST_SYS_LOCATION", snmpd::SYS_LOCATION)
        .env("SNMPX_TEST_ENGINE_ID", hex(&agent.engine_id))
        .env("SNMPX_TEST_V3_USERS", v3_users());
    if let Some(s) = &second {
        command
            .env("SNMPX_TEST_AGENT2", s.target())
            .env("SNMPX_TEST_ENGINE_ID2", hex(&s.engine_id));
    }
    match command.status() {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => {
            eprintln!("test_agent: {cmd} exited with {s}");
            if s.code().is_none() {
                eprintln!("agent log:\n{}", agent.log());
            }
            ExitCode::from(s.code().map_or(1, |c| c.clamp(1, 255) as u8))
        }
        Err(e) => {
            eprintln!("test_agent: cannot run {cmd}: {e}");
            ExitCode::from(2)
        }
    }
}

/// The agent's SNMPv3 users in the `SNMPX_TEST_V3_USERS` format.
fn v3_users() -> String {
    snmpd::Snmpd::v3_users()
        .iter()
        .map(|u| {
            [
                u.name.as_str(),
                u.level.cli_name(),
                u.auth.unwrap_or(""),
                u.auth_pass.as_str(),
                u.priv_.unwrap_or(""),
                u.priv_pass.as_str(),
            ]
            .join(",")
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
