//! `snmpx poll` with YAML targets and credential profiles, against the simulator.

use snmpx::sim::{SimConfig, Simulator};
use std::path::Path;
use std::process::Output;

const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";
const SYS_UPTIME: &str = "1.3.6.1.2.1.1.3.0";

fn poll(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_snmpx"))
        .arg("poll")
        .args(["--timeout", "0.3", "--retries", "1", "--no-progress"])
        .args(args)
        .output()
        .unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn yaml_targets_and_profiles() {
    let sim = Simulator::start(SimConfig::new(4).community("fleet")).unwrap();
    let dir = std::env::temp_dir().join(format!("snmpx-poll-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let yaml = write(
        &dir,
        "targets.yaml",
        &format!(
            "profiles:\n  lab: {{version: 2c, community: fleet}}\n\
             targets:\n\
             \x20 - {{host: \"{}\", profile: lab}}\n\
             \x20 - host: \"{}\"\n    version: 1\n    community: fleet\n    oids: [{SYS_UPTIME}]\n\
             \x20 - {{host: \"{}\", version: 2c, community: wrong}}\n",
            sim.addr_of(1),
            sim.addr_of(2),
            sim.addr_of(3)
        ),
    );
    let out = poll(&["--targets", &yaml, "--oids", SYS_NAME, "--format", "csv"]);
    let csv = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The third target's community is wrong: it times out, so the exit status is 1.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        csv.contains(&format!("{},{SYS_NAME},STRING,dev-000001,", sim.addr_of(1))),
        "{csv}"
    );
    assert!(
        csv.contains(&format!("{},{SYS_UPTIME},Timeticks,", sim.addr_of(2))),
        "{csv}"
    );
    assert!(
        csv.contains(&format!("{},,,,timeout", sim.addr_of(3))),
        "{csv}"
    );
    assert!(stderr.contains("3 devices (2 ok, 1 failed)"), "{stderr}");

    // A CSV file naming profiles from a --profiles file.
    let profiles = write(
        &dir,
        "profiles.yaml",
        "lab: {version: 2c, community: fleet}\n",
    );
    let targets = write(
        &dir,
        "targets.csv",
        &format!("host,profile\n{},lab\n", sim.addr_of(0)),
    );
    let out = poll(&[
        "--targets",
        &targets,
        "--profiles",
        &profiles,
        "--oids",
        SYS_NAME,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\"value\":\"dev-000000\""), "{text}");

    // Errors in the file are reported with their place, before anything is sent.
    let bad = write(
        &dir,
        "bad.yaml",
        "targets:\n  - host: a\n    profile: nope\n",
    );
    let out = poll(&["--targets", &bad]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("targets[0]: unknown profile \"nope\""),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rate_limit_spaces_requests() {
    let sim = Simulator::start(SimConfig::new(2)).unwrap();
    let dir = std::env::temp_dir().join(format!("snmpx-poll-rate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let targets = write(
        &dir,
        "targets.csv",
        &format!(
            "{},2c,public\n{},2c,public\n",
            sim.addr_of(0),
            sim.addr_of(1)
        ),
    );
    // 2 devices x 10 sequential GETs = 20 requests at 50/s: at least 19 intervals of 20 ms.
    let oids = [SYS_NAME; 10].join(",");
    let t0 = std::time::Instant::now();
    let out = poll(&[
        "--targets",
        &targets,
        "--oids",
        &oids,
        "--sequential",
        "--rate",
        "50",
    ]);
    let wall = t0.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 20);
    assert!(wall >= std::time::Duration::from_millis(370), "{wall:?}");
    let bad = poll(&["--targets", &targets, "--rate", "0"]);
    assert_eq!(bad.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn v3_targets_from_a_profile() {
    use snmpx::sim::UsmSecurity;
    use snmpx::usm::{AuthProtocol, Credentials, PrivProtocol};
    let creds = Credentials::from_passwords(
        AuthProtocol::Sha256,
        b"auth-pass-1",
        Some((PrivProtocol::Aes128, b"priv-pass-1")),
    )
    .unwrap();
    let usm = UsmSecurity::new(vec![(b"poller".to_vec(), creds)]).unwrap();
    let sim = Simulator::start(SimConfig::new(3).security(std::sync::Arc::new(usm))).unwrap();
    let dir = std::env::temp_dir().join(format!("snmpx-poll-v3-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let yaml = write(
        &dir,
        "targets.yaml",
        &format!(
            "profiles:\n  secure: {{version: 3, user: poller, level: authPriv, auth: sha-256,\n\
             \x20   auth_password: auth-pass-1, privacy: AES, privacy_password: priv-pass-1}}\n  \
             wrong: {{version: 3, user: poller, auth: SHA-256, auth_password: not-the-pass,\n\
             \x20   privacy: AES, privacy_password: priv-pass-1}}\n\
             targets:\n\
             \x20 - {{host: \"{}\", profile: secure}}\n\
             \x20 - {{host: \"{}\", profile: secure}}\n\
             \x20 - {{host: \"{}\", profile: wrong}}\n",
            sim.addr_of(0),
            sim.addr_of(1),
            sim.addr_of(2)
        ),
    );
    let out = poll(&["--targets", &yaml, "--oids", SYS_NAME, "--format", "csv"]);
    let csv = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for i in 0..2 {
        let want = format!("{},{SYS_NAME},STRING,dev-00000{i},", sim.addr_of(i));
        assert!(csv.contains(&want), "{csv}");
    }
    // A wrong pass phrase is an authentication failure for that device only.
    assert!(
        csv.lines()
            .any(|l| l.starts_with(&format!("{},", sim.addr_of(2))) && l.contains("SNMPv3")),
        "{csv}"
    );
    assert!(!csv.contains("not-the-pass") && !stderr.contains("not-the-pass"));
    let _ = std::fs::remove_dir_all(&dir);
}
