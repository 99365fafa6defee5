//! The tools over TCP (`tcp:host:port`, RFC 3430) and with `-d` packet dumps, against the
//! same harness snmpd (which listens on TCP at its UDP port number), plus TCP agents that
//! refuse, close or never answer; and snmptranslate's `-T` reports.
//!
//! Dumps differ between two runs in two places only: the client's local UDP port (in
//! `->[0.0.0.0]:PORT`) and the request-id, which each implementation draws at random. Both
//! are masked (the request-id in the hex and in the printable column, found by walking the
//! message's BER header); everything else, octet counts and layout included, must match.

use super::*;
use std::io::Read;
use std::net::TcpListener;

/// A loopback TCP port nobody listens on.
fn refused_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A TCP agent that accepts connections and then reads (`close`: one message, then closes;
/// otherwise never answers). Kept for the life of the process.
fn tcp_fake(close: bool) -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        // Bounded: the cases below open a few dozen connections at most.
        for s in l.incoming().take(200).flatten() {
            std::thread::spawn(move || {
                let mut s = s;
                let mut buf = [0u8; 4096];
                // Read until the client goes (or the first message, then close).
                for _ in 0..1000 {
                    match s.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(_) if close => return,
                        Ok(_) => {}
                    }
                }
            });
        }
    });
    format!("tcp:127.0.0.1:{port}")
}

fn tcp_silent() -> &'static str {
    static T: OnceLock<String> = OnceLock::new();
    T.get_or_init(|| tcp_fake(false))
}

fn tcp_closing() -> &'static str {
    static T: OnceLock<String> = OnceLock::new();
    T.get_or_init(|| tcp_fake(true))
}

#[test]
fn tools_over_tcp() {
    let t = agent().tcp_target();
    let st = v2(COMMUNITY_STABLE, &t);
    let ro = v2(COMMUNITY_RO, &t);
    let rw = v2(COMMUNITY_RW, &t);
    let mut cases = vec![
        c2("snmpget", Mibs::All, &ro, &["sysName.0", "sysDescr.0"]),
        c2("snmpget", Mibs::None, &ro, &[".1.3.6.1.2.1.1.5.0"]),
        c2("snmpget", Mibs::All, &ro, &["sysName.0", "sysFooBar.0"]),
        c2("snmpget", Mibs::All, &ro, &["sysName.1"]),
        c2("snmpgetnext", Mibs::All, &ro, &["sysContact", "sysName"]),
        c2(
            "snmpbulkget",
            Mibs::All,
            &st,
            &["-Cn1", "-Cr4", "sysName", "sysORID"],
        ),
        c2("snmpwalk", Mibs::All, &st, &["sysORTable"]),
        c2(
            "snmpwalk",
            Mibs::Default,
            &st,
            &["-OQUs", "vacmAccessTable"],
        ),
        c2("snmpbulkwalk", Mibs::All, &st, &["sysORTable"]),
        // snmpEngineTime moves.
        volatile(c2("snmpbulkwalk", Mibs::All, &st, &["-Cr50", "snmpEngine"])),
        c2("snmpbulkwalk", Mibs::None, &st, &["-On", ".1.3.6.1.6.3.16"]),
        c2("snmptable", Mibs::All, &st, &["sysORTable"]),
        c2(
            "snmpset",
            Mibs::All,
            &rw,
            &["sysContact.0", "s", "over tcp"],
        ),
        c2("snmpset", Mibs::All, &rw, &["sysLocation.0", "s", "x"]),
        // Not "system": sysContact is written by the snmpset case above, which runs in
        // parallel, so it can change between Net-SNMP's walk and ours.
        volatile(c2("snmpwalk", Mibs::All, &st, &["interfaces"])),
        volatile(c2("snmpbulkwalk", Mibs::All, &st, &["-Cr25", "ifTable"])),
    ];
    // SNMPv3 over TCP: discovery and requests on the session's connection.
    for user in Snmpd::v3_users()
        .into_iter()
        .filter(|u| matches!(u.name.as_str(), "noauth" | "auth_sha" | "priv_sha256_aes"))
    {
        let mut a = user.cli_args();
        a.extend(["-t".into(), "2".into(), t.clone()]);
        cases.push(c2("snmpget", Mibs::All, &a, &["sysName.0"]));
        cases.push(c2("snmpbulkwalk", Mibs::All, &a, &["sysORTable"]));
    }
    let refused = format!("tcp:127.0.0.1:{}", refused_port());
    let quick = ["-t", "0.3", "-r", "1"];
    for tool in [
        "snmpget",
        "snmpgetnext",
        "snmpwalk",
        "snmpbulkwalk",
        "snmptable",
    ] {
        let oid = if tool == "snmptable" {
            "sysORTable"
        } else {
            "sysName"
        };
        for target in [refused.as_str(), tcp_silent(), tcp_closing()] {
            let mut a = vec!["-v2c", "-c", "public"];
            a.extend(quick);
            a.extend([target, oid]);
            cases.push(case(tool, Mibs::All, &a));
        }
    }
    let mut set = vec!["-v2c", "-c", "private"];
    set.extend(quick);
    set.extend([tcp_closing(), "sysContact.0", "s", "x"]);
    cases.push(case("snmpset", Mibs::All, &set));
    // A v3 request to a closing agent: the discovery is what fails.
    let mut v3 = vec!["-v3", "-l", "noAuthNoPriv", "-u", "noauth"];
    v3.extend(quick);
    v3.extend([tcp_closing(), "sysName.0"]);
    cases.push(case("snmpget", Mibs::All, &v3));
    check(cases);
}

/// `0x30 LEN 0x02 LEN ..` header walk: the offset and length of the request-id's content in
/// a v1/v2c message (SEQUENCE { version, community, PDU { request-id, ... } }).
fn request_id_span(msg: &[u8]) -> Option<(usize, usize)> {
    fn header(msg: &[u8], at: usize) -> Option<(usize, usize)> {
        let first = *msg.get(at + 1)?;
        if first < 0x80 {
            return Some((at + 2, first as usize));
        }
        let n = (first & 0x7f) as usize;
        let len = msg
            .get(at + 2..at + 2 + n)?
            .iter()
            .fold(0, |a, &b| (a << 8) | b as usize);
        Some((at + 2 + n, len))
    }
    let (mut at, _) = header(msg, 0)?; // the message SEQUENCE: enter it
    for _ in 0..2 {
        // version, community: skip
        let (content, len) = header(msg, at)?;
        at = content + len;
    }
    let (pdu, _) = header(msg, at)?; // the PDU: enter it
    if *msg.get(pdu)? != 0x02 {
        return None;
    }
    header(msg, pdu)
}

/// Masks the local port and the request-ids of every dump in `text`.
fn mask_dumps(text: &[u8]) -> String {
    let text = String::from_utf8_lossy(text);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut i = 0;
    while i < lines.len() {
        if let Some(p) = lines[i].find("->[0.0.0.0]:") {
            let keep = p + "->[0.0.0.0]:".len();
            if lines[i].starts_with("Sending ") || lines[i].starts_with("Received ") {
                lines[i].truncate(keep);
                lines[i].push('#');
            }
        }
        if !(lines[i].starts_with("Sending ") || lines[i].starts_with("Received ")) {
            i += 1;
            continue;
        }
        // The hex lines that follow: "NNNN: XX XX ..", 16 octets each.
        let first = i + 1;
        let mut end = first;
        let mut bytes = Vec::new();
        while end < lines.len() && lines[end].len() > 6 && lines[end].as_bytes()[4] == b':' {
            let hex = &lines[end][6..lines[end].len().min(58)];
            bytes.extend(
                hex.split_whitespace()
                    .filter_map(|h| u8::from_str_radix(h, 16).ok()),
            );
            end += 1;
        }
        if let Some((start, len)) = request_id_span(&bytes) {
            for k in start..start + len {
                let (line, col) = (first + k / 16, k % 16);
                let hex = 6 + 3 * col + col / 4;
                let ascii = 60 + col;
                let mut l: Vec<char> = lines[line].chars().collect();
                if ascii < l.len() {
                    l[hex] = 'X';
                    l[hex + 1] = 'X';
                    l[ascii] = '?';
                }
                lines[line] = l.into_iter().collect();
            }
        }
        i = end;
    }
    lines.join("\n")
}

/// Compares one dump case, running it again (up to 3 times) when the two differ: a random
/// request-id below 2^23 encodes in 3 octets instead of 4 (about one run in 128), which
/// changes every length that follows.
fn compare_dump(c: &Case) -> Result<(), String> {
    let mut last = String::new();
    for _ in 0..3 {
        let theirs = run(c, false);
        let ours = run(c, true);
        let mut why = String::new();
        if theirs.code != ours.code {
            why.push_str(&format!(
                "exit code: {:?} vs {:?}\n",
                theirs.code, ours.code
            ));
        }
        for (what, t, o) in [
            ("stdout", &theirs.stdout, &ours.stdout),
            ("stderr", &theirs.stderr, &ours.stderr),
        ] {
            let (t, o) = (mask_dumps(t), mask_dumps(o));
            if t != o {
                let first = t
                    .lines()
                    .zip(o.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                why.push_str(&format!(
                    "{what} differs at line {}:\n  theirs: {:?}\n  ours:   {:?}\n",
                    first + 1,
                    t.lines().nth(first),
                    o.lines().nth(first)
                ));
            }
        }
        if why.is_empty() {
            return Ok(());
        }
        last = format!("{} {:?}:\n{why}", c.tool, c.args);
    }
    Err(last)
}

#[test]
fn packet_dumps() {
    let udp = agent().target();
    let tcp = agent().tcp_target();
    let mut cases = Vec::new();
    for t in [&udp, &tcp] {
        let ro = v2(COMMUNITY_STABLE, t);
        cases.push(c2(
            "snmpget",
            Mibs::All,
            &ro,
            &["-d", "sysName.0", "sysDescr.0"],
        ));
        cases.push(c2(
            "snmpgetnext",
            Mibs::None,
            &ro,
            &["-d", ".1.3.6.1.2.1.1.4"],
        ));
        cases.push(c2("snmpwalk", Mibs::All, &ro, &["-d", "sysORTable"]));
        cases.push(c2("snmpbulkwalk", Mibs::All, &ro, &["-d", "sysORTable"]));
        cases.push(c2("snmpget", Mibs::All, &ro, &["-d", "-Lo", "sysName.0"]));
        cases.push(c2("snmpget", Mibs::All, &ro, &["-d", "-Ln", "sysName.0"]));
    }
    let v1 = [
        "-v1",
        "-c",
        COMMUNITY_STABLE,
        "-d",
        udp.as_str(),
        "sysName.0",
        "sysFooBar.0",
    ];
    cases.push(case("snmpget", Mibs::All, &v1));
    let v1 = [
        "-v1",
        "-c",
        COMMUNITY_STABLE,
        "-d",
        udp.as_str(),
        "sysName.1",
    ];
    cases.push(case("snmpget", Mibs::All, &v1));
    // A timeout: every transmission is dumped (two, identical) before the message.
    let silent = silent_target();
    let to = [
        "-v2c",
        "-c",
        "public",
        "-t",
        "0.2",
        "-r",
        "1",
        "-d",
        &silent,
        "sysName.0",
    ];
    cases.push(case("snmpget", Mibs::All, &to));
    let n = cases.len();
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(c) = cases.get(i) else { break };
                if let Err(e) = compare_dump(c) {
                    failures.lock().unwrap().push(e);
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {n} dump invocations differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{n} dump invocations identical to Net-SNMP 5.9.3 (local port, request-id masked)");
}

#[test]
fn dump_masking_finds_the_request_id() {
    // The mask itself: a v2c GetRequest whose request-id is 04 56 E7 20 2A.
    let text = "\nSending 43 bytes to UDP: [127.0.0.1]:19170->[0.0.0.0]:46494\n\
0000: 30 29 02 01  01 04 06 70  75 62 6C 69  63 A0 1C 02    0).....public...\n\
0016: 04 56 E7 20  2A 02 01 00  02 01 00 30  0E 30 0C 06    .V. *......0.0..\n\
0032: 08 2B 06 01  02 01 01 05  00 05 00                    .+.........\n";
    let want = "\nSending 43 bytes to UDP: [127.0.0.1]:19170->[0.0.0.0]:#\n\
0000: 30 29 02 01  01 04 06 70  75 62 6C 69  63 A0 1C 02    0).....public...\n\
0016: 04 XX XX XX  XX 02 01 00  02 01 00 30  0E 30 0C 06    .????......0.0..\n\
0032: 08 2B 06 01  02 01 01 05  00 05 00                    .+.........";
    assert_eq!(mask_dumps(text.as_bytes()), want);
}

#[test]
fn translate_reports() {
    let mut cases = Vec::new();
    for mibs in [Mibs::All, Mibs::Default, Mibs::None] {
        for t in [
            &["-To"][..],
            &["-Ts"],
            &["-Tl"],
            &["-Tz"],
            &["-Tosl"],
            &["-Tz", "-Ts", "-Tl", "-To"],
            &["-To", "-On"],
            &["-Tx"],
            &["-Tox"],
            &["-To", ".1.3.6.1.2.1.1"],
            &["-Ts", "sysDescr"],
            &["-IR", "-Tl", "sysDescr"],
        ] {
            cases.push(case("snmptranslate", mibs, t));
        }
    }
    check(cases);
}
