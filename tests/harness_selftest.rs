//! Self-test of the snmpd test harness (tests/common/snmpd.rs), using only Net-SNMP's own
//! command-line tools, so it validates the fixture independently of the snmpx library.

mod common;

use common::snmpd::{
    SecLevel, Snmpd, SnmpdOptions, COMMUNITY_RO, COMMUNITY_RW, COMMUNITY_STABLE, STABLE_EXCLUDED,
    SYS_DESCR, SYS_LOCATION, SYS_NAME,
};
use std::collections::BTreeSet;
use std::process::Command;
use std::thread;

const SYS_DESCR_OID: &str = ".1.3.6.1.2.1.1.1.0";
const SYS_CONTACT_OID: &str = ".1.3.6.1.2.1.1.4.0";
const SYS_NAME_OID: &str = ".1.3.6.1.2.1.1.5.0";
const SYS_LOCATION_OID: &str = ".1.3.6.1.2.1.1.6.0";
const SYS_SERVICES_OID: &str = ".1.3.6.1.2.1.1.7.0";

/// Runs a command; returns (success, stdout, stderr).
fn run(cmd: &mut Command) -> (bool, String, String) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("running {cmd:?}: {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `snmpget -v2c -c COMMUNITY -Oqv` of one OID; panics with the tool's output on failure.
fn get_v2c(agent: &Snmpd, community: &str, oid: &str) -> String {
    let (ok, out, err) = run(agent
        .cli("snmpget")
        .args(["-v2c", "-c", community, "-t", "1", "-r", "2", "-Oqv"])
        .arg(agent.target())
        .arg(oid));
    assert!(
        ok,
        "snmpget {oid} from {} failed: {out}{err}",
        agent.target()
    );
    out.trim().trim_matches('"').to_string()
}

/// OIDs (numeric) returned by a v2c bulk walk of the whole tree.
fn walk_oids(agent: &Snmpd, community: &str) -> BTreeSet<String> {
    let (ok, out, err) = run(agent
        .cli("snmpbulkwalk")
        .args([
            "-v2c", "-c", community, "-t", "2", "-r", "2", "-On", "-Cr25",
        ])
        .arg(agent.target())
        .arg(".1"));
    assert!(ok, "snmpbulkwalk -c {community} failed: {err}");
    out.lines()
        .filter(|l| l.starts_with('.'))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks every configured v3 user with `snmpget -v3`; returns the failures.
fn check_all_v3_users(agent: &Snmpd) -> Vec<String> {
    let mut failures = Vec::new();
    for user in Snmpd::v3_users() {
        let (ok, out, err) = run(agent
            .cli("snmpget")
            .args(user.cli_args())
            .args(["-t", "2", "-r", "1", "-Oqv"])
            .arg(agent.target())
            .arg(SYS_NAME_OID));
        if !ok || out.trim().trim_matches('"') != SYS_NAME {
            failures.push(format!(
                "{} on {}: {}{}",
                user.name,
                agent.target(),
                out.trim(),
                err.trim()
            ));
        }
    }
    failures
}

#[test]
fn two_agents_with_explicit_engine_ids() {
    let ids = ["800000020109840301", "800000020109840302"];
    // Start both at once, as parallel tests do.
    let starters: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let opts = SnmpdOptions {
                engine_id: Some(id.to_string()),
                extra_conf: format!("sysServices {}\n", 72 + i),
            };
            thread::spawn(move || Snmpd::start_with(opts))
        })
        .collect();
    let agents: Vec<Snmpd> = starters
        .into_iter()
        .map(|h| h.join().expect("start snmpd"))
        .collect();

    assert_ne!(agents[0].port, agents[1].port);
    assert_ne!(agents[0].engine_id, agents[1].engine_id);
    for (i, (agent, id)) in agents.iter().zip(ids).enumerate() {
        assert_eq!(hex(&agent.engine_id), id, "engine ID of agent {i}");
        assert_eq!(agent.addr.to_string(), agent.target());
        assert_eq!(get_v2c(agent, COMMUNITY_RO, SYS_NAME_OID), SYS_NAME);
        assert_eq!(get_v2c(agent, COMMUNITY_RO, SYS_DESCR_OID), SYS_DESCR);
        // extra_conf is applied
        assert_eq!(
            get_v2c(agent, COMMUNITY_RO, SYS_SERVICES_OID),
            (72 + i).to_string()
        );
    }

    let failures: Vec<String> = thread::scope(|s| {
        let handles: Vec<_> = agents
            .iter()
            .map(|a| s.spawn(move || check_all_v3_users(a)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "v3 users that failed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn default_engine_id_is_read_back() {
    let agent = Snmpd::start();
    // Net-SNMP generates an RFC 3411 engine ID with its enterprise number 8072 (0x1f88).
    assert!(
        agent.engine_id.len() >= 5,
        "engine ID too short: {}",
        hex(&agent.engine_id)
    );
    assert_eq!(
        &agent.engine_id[..4],
        &[0x80, 0x00, 0x1f, 0x88],
        "{}",
        hex(&agent.engine_id)
    );
}

#[test]
fn user_list_matches_config() {
    let users = Snmpd::v3_users();
    assert_eq!(users.len(), 1 + 6 + 6 * 6);
    let conf = Snmpd::config_text(&SnmpdOptions::default());
    let created = conf
        .lines()
        .filter(|l| l.starts_with("createUser "))
        .count();
    assert_eq!(created, users.len());
    let mut names = BTreeSet::new();
    for u in &users {
        assert!(names.insert(u.name.clone()), "duplicate user {}", u.name);
        match u.level {
            SecLevel::NoAuthNoPriv => assert!(u.auth.is_none() && u.priv_.is_none()),
            SecLevel::AuthNoPriv => assert!(u.auth.is_some() && u.priv_.is_none()),
            SecLevel::AuthPriv => assert!(u.auth.is_some() && u.priv_.is_some()),
        }
        if u.auth.is_some() {
            assert!(u.auth_pass.len() >= 8);
        }
        if u.priv_.is_some() {
            assert!(u.priv_pass.len() >= 8 && u.priv_pass != u.auth_pass);
        }
        let line = format!("rwuser -s usm {} {}", u.name, u.level.conf_name());
        assert!(conf.lines().any(|l| l == line), "missing {line:?}");
    }
}

#[test]
fn key_extension_variants_really_differ() {
    let agent = Snmpd::start();
    let user = Snmpd::v3_users()
        .into_iter()
        .find(|u| u.auth == Some("SHA") && u.priv_ == Some("AES-256-C"))
        .expect("SHA/AES-256-C user");
    // Same passwords, Blumenthal instead of Reeder key extension: the agent cannot decrypt.
    let args: Vec<String> = user
        .cli_args()
        .into_iter()
        .map(|a| {
            if a == "AES-256-C" {
                "AES-256".to_string()
            } else {
                a
            }
        })
        .collect();
    let (ok, out, _) = run(agent
        .cli("snmpget")
        .args(args)
        .args(["-t", "0.5", "-r", "0", "-Oqv"])
        .arg(agent.target())
        .arg(SYS_NAME_OID));
    assert!(!ok, "AES-256 worked for an AES-256-C user: {out}");
}

#[test]
fn writable_and_read_only_system_objects() {
    let agent = Snmpd::start();
    assert_eq!(
        get_v2c(&agent, COMMUNITY_RO, SYS_LOCATION_OID),
        SYS_LOCATION
    );
    let set = |oid: &str, value: &str| {
        run(agent
            .cli("snmpset")
            .args(["-v2c", "-c", COMMUNITY_RW, "-t", "1", "-r", "1", "-On"])
            .arg(agent.target())
            .args([oid, "s", value]))
    };
    let (ok, out, err) = set(SYS_CONTACT_OID, "ops@example.test");
    assert!(ok, "set sysContact via private failed: {out}{err}");
    assert_eq!(
        get_v2c(&agent, COMMUNITY_RO, SYS_CONTACT_OID),
        "ops@example.test"
    );
    let (ok, out, err) = set(SYS_LOCATION_OID, "elsewhere");
    assert!(!ok, "set sysLocation should fail: {out}");
    assert!(
        err.contains("notWritable"),
        "expected notWritable, got: {err}"
    );
    // public is read-only
    let (ok, _, _) = run(agent
        .cli("snmpset")
        .args(["-v2c", "-c", COMMUNITY_RO, "-t", "1", "-r", "0"])
        .arg(agent.target())
        .args([SYS_CONTACT_OID, "s", "nope"]));
    assert!(!ok, "set via public should fail");
}

#[test]
fn stable_view_has_a_stable_oid_set() {
    let agent = Snmpd::start();
    let first = walk_oids(&agent, COMMUNITY_STABLE);
    let full = walk_oids(&agent, COMMUNITY_RO);
    // Churn the kind of state the excluded tables follow: a process, a TCP listener, a UDP socket.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut child = Command::new("sleep").arg("5").spawn().unwrap();
    thread::sleep(std::time::Duration::from_millis(1500));
    let second = walk_oids(&agent, COMMUNITY_STABLE);
    let _ = child.kill();
    let _ = child.wait();
    drop((listener, udp));

    assert!(
        first.len() > 1000,
        "stable view unexpectedly small: {}",
        first.len()
    );
    assert!(first.contains(SYS_NAME_OID) && first.contains(".1.3.6.1.2.1.2.2.1.2.1"));
    for oid in &first {
        for (excluded, what) in STABLE_EXCLUDED {
            assert!(
                !oid.starts_with(&format!("{excluded}.")),
                "{oid} is in excluded {what}"
            );
        }
    }
    assert!(full.len() > first.len(), "public must see more than stable");
    assert!(
        full.iter().any(|o| o.starts_with(".1.3.6.1.2.1.25.4.")),
        "public sees hrSWRun"
    );
    let gone: Vec<_> = first.difference(&second).collect();
    let new: Vec<_> = second.difference(&first).collect();
    assert!(
        gone.is_empty() && new.is_empty(),
        "stable view changed: -{gone:?} +{new:?}"
    );
}
