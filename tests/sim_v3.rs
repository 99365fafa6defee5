//! The simulator's SNMPv3 agent (`sim::UsmSecurity`, `snmpx sim --v3-users-file`) answering
//! Net-SNMP's own `snmpget` for several auth/priv pairs, and refusing wrong credentials.

use std::io::Write;
use std::process::{Command, Stdio};

const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";

/// (user, auth, auth pass, priv, priv pass) as Net-SNMP spells the protocols.
const USERS: [(&str, &str, &str, &str, &str); 4] = [
    ("md5des", "MD5", "md5password", "DES", "despassword"),
    ("shaaes", "SHA", "shapassword", "AES", "aespassword"),
    (
        "sha256c",
        "SHA-256",
        "sha256password",
        "AES-256-C",
        "aes256cpass",
    ),
    (
        "sha512b",
        "SHA-512",
        "sha512password",
        "AES-192",
        "aes192pass1",
    ),
];

fn snmpget(args: &[&str]) -> (bool, String) {
    let out = Command::new("snmpget")
        .env("MIBS", "")
        .args(["-On", "-t", "0.5", "-r", "0"])
        .args(args)
        .output()
        .expect("snmpget (Debian package snmp) runs");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn netsnmp_snmpget_talks_v3_to_the_simulator() {
    let dir = std::env::temp_dir().join(format!("snmpx-sim-v3-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let users = dir.join("users.conf");
    let mut f = std::fs::File::create(&users).unwrap();
    for (u, a, ap, p, pp) in USERS {
        writeln!(f, "createUser {u} {a} \"{ap}\" {p} \"{pp}\"").unwrap();
    }
    drop(f);
    let port = {
        let s = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
        s.local_addr().unwrap().port()
    };
    let mut sim = Command::new(env!("CARGO_BIN_EXE_snmpx"))
        .args(["sim", "--devices", "3", "--duration", "60"])
        .args(["--port", &port.to_string()])
        .arg("--v3-users-file")
        .arg(&users)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it answers v2c.
    let target = |i: u8| format!("127.1.0.{}:{port}", i + 1);
    let t0 = std::time::Instant::now();
    while !snmpget(&["-v2c", "-c", "public", &target(0), SYS_NAME]).0 {
        assert!(t0.elapsed().as_secs() < 10, "simulator did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    for (i, (u, a, ap, p, pp)) in USERS.iter().enumerate() {
        let dev = (i % 3) as u8;
        let (ok, text) = snmpget(&[
            "-v3",
            "-l",
            "authPriv",
            "-u",
            u,
            "-a",
            a,
            "-A",
            ap,
            "-x",
            p,
            "-X",
            pp,
            &target(dev),
            SYS_NAME,
        ]);
        assert!(ok, "{u}: {text}");
        assert_eq!(
            text.trim(),
            format!(".{SYS_NAME} = STRING: \"dev-00000{dev}\""),
            "{u}"
        );
    }
    // Wrong authentication pass phrase: Net-SNMP reports the agent's wrongDigests report.
    let (ok, text) = snmpget(&[
        "-v3",
        "-l",
        "authPriv",
        "-u",
        "shaaes",
        "-a",
        "SHA",
        "-A",
        "not-the-password",
        "-x",
        "AES",
        "-X",
        "aespassword",
        &target(0),
        SYS_NAME,
    ]);
    assert!(!ok && text.contains("Authentication failure"), "{text}");
    // Unknown user.
    let (ok, text) = snmpget(&[
        "-v3",
        "-l",
        "noAuthNoPriv",
        "-u",
        "nobody",
        &target(0),
        SYS_NAME,
    ]);
    assert!(!ok && text.contains("Unknown user name"), "{text}");
    let _ = sim.kill();
    let _ = sim.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
