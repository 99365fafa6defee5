//! Test launcher for the C ABI and Go tests (run by ctest and scripts/test.sh): starts a
//! private Net-SNMP `snmpd` with the Rust tests' harness configuration
//! (tests/common/snmpd.rs) on a loopback high port, runs the given command with
//! `SNMPX_TEST_AGENT=127.0.0.1:PORT` in its environment, stops the agent and exits with the
//! command's status.
//!
//! Also in the environment: `SNMPX_TEST_SYS_NAME`/`_SYS_DESCR`/`_SYS_LOCATION` (the agent's
//! configured system group), `SNMPX_TEST_ENGINE_ID` (its snmpEngineID in hex) and
//! `SNMPX_TEST_V3_USERS`: every SNMPv3 user of the agent as
//! `name,level,auth,authpass,priv,privpass` records separated by spaces (`-` for an empty
//! field; level in Net-SNMP's `-l` spelling, protocols in its `-a`/`-x` spelling), and
//! `SNMPX_TEST_LOCALIZED_KEYS`: `user,authkey,privkey` (hex) for the SHA/AES user, its keys
//! localized to this agent's engine (RFC 3414 A.2.2, computed here with the `sha1` crate,
//! independently of the library's USM code) for tests of `-3k`/`-3K`. The user list, pass
//! phrases and keys are test fixtures, not secrets.
//!
//! With `--agents 2` (before the command) a second agent runs too, with the same users and
//! a different, fixed engine ID: `SNMPX_TEST_AGENT2` and `SNMPX_TEST_ENGINE_ID2` (hex).
//!
//! Usage: `test_agent [--agents 1|2] COMMAND [ARGS...]`. With no command it prints the
//! address(es) and keeps the agent(s) up until stdin closes (for manual runs).

#[path = "../tests/common/snmpd.rs"]
mod snmpd;

use sha1::{Digest, Sha1};
use std::io::Read;
use std::process::{Command, ExitCode};

/// RFC 3414 A.2.1 password-to-key with SHA-1 (1 MiB of the repeated pass phrase), then
/// A.2.2 localization: SHA-1(Ku || engineID || Ku).
fn sha1_localized(pass: &str, engine_id: &[u8]) -> String {
    let mut h = Sha1::new();
    let p = pass.as_bytes();
    for i in 0..(1usize << 20) {
        h.update([p[i % p.len()]]);
    }
    let ku = h.finalize();
    let mut h = Sha1::new();
    h.update(ku);
    h.update(engine_id);
    h.update(ku);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// `user,authkey,privkey` for the harness's SHA/AES user at `engine_id`.
fn localized_sha_aes(engine_id: &[u8]) -> String {
    let u = snmpd::Snmpd::v3_users()
        .into_iter()
        .find(|u| u.name == "priv_sha_aes")
        .expect("the harness has a SHA/AES user");
    format!(
        "{},{},{}",
        u.name,
        sha1_localized(&u.auth_pass, engine_id),
        sha1_localized(&u.priv_pass, engine_id)
    )
}

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
    let engine_id: String = agent.engine_id.iter().map(|b| format!("{b:02x}")).collect();
    let users: Vec<String> = snmpd::Snmpd::v3_users()
        .iter()
        .map(|u| {
            let field = |s: &str| {
                if s.is_empty() {
                    "-".to_string()
                } else {
                    s.to_string()
                }
            };
            [
                u.name.clone(),
                u.level.cli_name().to_string(),
                field(u.auth.unwrap_or("")),
                field(&u.auth_pass),
                field(u.priv_.unwrap_or("")),
                field(&u.priv_pass),
            ]
            .join(",")
        })
        .collect();
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
        .env("SNMPX_TEST_ENGINE_ID", &engine_id)
        .env("SNMPX_TEST_V3_USERS", users.join(" "))
        .env(
            "SNMPX_TEST_LOCALIZED_KEYS",
            localized_sha_aes(&agent.engine_id),
        );
    if let Some(s) = &second {
        let hex: String = s.engine_id.iter().map(|b| format!("{b:02x}")).collect();
        command
            .env("SNMPX_TEST_AGENT2", s.target())
            .env("SNMPX_TEST_ENGINE_ID2", hex);
    }
    let status = command.status();
    match status {
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
