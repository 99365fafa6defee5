//! Golden rendering differential: Net-SNMP's `snmpwalk`/`snmpget` (5.9, `-M <corpus> -m ALL`)
//! against a real snmpd, compared line by line with our renderer on the values our own
//! session read from the same agent, for several `-O` combinations.
//!
//! The agent is live, so a few values move between the two walks (counters, sysUpTime,
//! hrSystemDate, memory figures). A line may differ only in its digits; every OID must match
//! exactly, and the great majority of lines must match byte for byte.

mod common;

use common::mibs::{corpus_dir, netsnmp_tool};
use common::snmpd::{Snmpd, COMMUNITY_RO, COMMUNITY_RW, COMMUNITY_STABLE};
use snmpx::format::{format_varbind, OutputOptions};
use snmpx::mib::{Mib, MibLoader};
use snmpx::{Runtime, Session, Value, VarBind};
use std::sync::OnceLock;
use std::time::Duration;

fn agent() -> &'static Snmpd {
    static A: OnceLock<Snmpd> = OnceLock::new();
    A.get_or_init(Snmpd::start)
}

fn corpus() -> &'static Mib {
    static M: OnceLock<Mib> = OnceLock::new();
    M.get_or_init(|| {
        let mut l = MibLoader::new();
        l.add_dir(corpus_dir()).load_all();
        l.load().expect("corpus loads")
    })
}

fn session(rt: &Runtime, community: &str) -> Session {
    Session::builder(&agent().target())
        .community(community)
        .timeout(Duration::from_secs(2))
        .retries(2)
        .open(rt)
        .unwrap()
}

/// Subtrees whose enumerated state changes on its own between two walks (the agent's
/// nsCacheTable: cached/expired); their lines may differ in more than digits.
fn is_volatile(oid: &[u32]) -> bool {
    oid.starts_with(&[1, 3, 6, 1, 4, 1, 8072, 1, 5, 3])
}

/// `-O<flags>`, or nothing for the default output.
fn o_flag(flags: &str) -> Vec<String> {
    if flags.is_empty() {
        Vec::new()
    } else {
        vec![format!("-O{flags}")]
    }
}

fn mask_digits(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_num = false;
    for c in s.chars() {
        if c.is_ascii_hexdigit() && (c.is_ascii_digit() || in_num) {
            if !in_num {
                out.push('#');
                in_num = true;
            }
        } else {
            in_num = false;
            out.push(c);
        }
    }
    out
}

/// Net-SNMP prints a multi-line hex string as several lines; split ours the same way.
fn lines_of(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

fn compare_walk(flags: &str) {
    let rt = Runtime::new().unwrap();
    let s = session(&rt, COMMUNITY_STABLE);
    let theirs_out = netsnmp_tool("snmpwalk")
        .args(["-v2c", "-c", COMMUNITY_STABLE, "-t", "2", "-r", "2"])
        .args(o_flag(flags))
        .arg(agent().target())
        .arg(".1")
        .output()
        .expect("running snmpwalk");
    assert!(
        theirs_out.status.success(),
        "snmpwalk failed: {:?}",
        theirs_out
    );
    let ours_vbs = s.walk(&["1"]).unwrap();
    let opts = OutputOptions::from_flags(flags).unwrap();
    let mut ours: Vec<String> = Vec::new();
    let mut volatile: Vec<bool> = Vec::new();
    for vb in &ours_vbs {
        let l = lines_of(&format_varbind(corpus(), vb, &opts));
        volatile.extend(std::iter::repeat(is_volatile(&vb.oid)).take(l.len()));
        ours.extend(l);
    }
    let theirs = lines_of(&String::from_utf8_lossy(&theirs_out.stdout));
    // snmpwalk shows the endOfMibView that ends a walk of the whole tree; our walk API
    // ends silently, so render that exception for the last OID as snmpwalk does.
    if theirs
        .last()
        .is_some_and(|l| l.contains("No more variables left"))
    {
        let last = ours_vbs
            .last()
            .expect("walk returned something")
            .oid
            .clone();
        let vb = VarBind::new(last, Value::EndOfMibView);
        ours.push(format_varbind(corpus(), &vb, &opts));
        volatile.push(false);
    }
    if let Ok(dir) = std::env::var("SNMPX_DUMP_DIR") {
        let _ = std::fs::write(format!("{dir}/ours-{flags}.txt"), ours.join("\n"));
        let _ = std::fs::write(format!("{dir}/theirs-{flags}.txt"), theirs.join("\n"));
    }
    assert_eq!(
        ours.len(),
        theirs.len(),
        "-O{flags}: line counts differ (ours {} theirs {})",
        ours.len(),
        theirs.len()
    );
    let mut exact = 0;
    let mut bad = Vec::new();
    for ((o, t), v) in ours.iter().zip(&theirs).zip(&volatile) {
        if o == t {
            exact += 1;
        } else if !v && mask_digits(o) != mask_digits(t) {
            bad.push(format!("   ours   {o}\n   theirs {t}"));
        }
    }
    assert!(
        bad.is_empty(),
        "-O{flags}: {} of {} lines differ:\n{}",
        bad.len(),
        ours.len(),
        bad.iter().take(30).cloned().collect::<Vec<_>>().join("\n")
    );
    assert!(
        exact * 10 >= ours.len() * 8,
        "-O{flags}: only {exact} of {} lines match exactly",
        ours.len()
    );
}

#[test]
fn walk_default_output() {
    compare_walk("");
}

#[test]
fn walk_numeric_oids() {
    compare_walk("n");
}

#[test]
fn walk_full_oids_numeric_enums() {
    compare_walk("fe");
}

#[test]
fn walk_quick_suffix() {
    compare_walk("qs");
}

#[test]
fn walk_quick_equals_extended_index() {
    compare_walk("QX");
}

#[test]
fn walk_hex_text_ucd_no_units() {
    compare_walk("xTuU");
}

#[test]
fn walk_ascii_numeric_timeticks_values_only() {
    compare_walk("atv");
}

#[test]
fn walk_no_breakdown_two_digit_hex() {
    compare_walk("b0");
}

/// Values set through the read-write community, so their exact bytes are known: quoting and
/// escaping, control characters, the empty string and UTF-8 through a `255a` hint (the agent
/// refuses NUL and invalid octets in a DisplayString), under several -O combinations.
#[test]
fn get_known_values_and_wrong_type() {
    // A private agent: the walks above must not see sysContact change under them.
    let own = Snmpd::start();
    let rt = Runtime::new().unwrap();
    let open = |c: &str| {
        Session::builder(&own.target())
            .community(c)
            .timeout(Duration::from_secs(2))
            .retries(2)
            .open(&rt)
            .unwrap()
    };
    let rw = open(COMMUNITY_RW);
    let contact = corpus().resolve("sysContact.0").unwrap();
    for (i, text) in [
        b"a \"quoted\" \\ value".to_vec(),
        Vec::new(),
        b"tab\tand newline\nend".to_vec(),
        "caf\u{e9} \u{2603}".as_bytes().to_vec(),
    ]
    .into_iter()
    .enumerate()
    {
        rw.set(&[VarBind::new(
            contact.clone(),
            Value::OctetString(text.clone().into()),
        )])
        .unwrap_or_else(|e| panic!("set #{i}: {e}"));
        for flags in ["", "q", "x", "a", "T", "Qv"] {
            let out = netsnmp_tool("snmpget")
                .args(["-v2c", "-c", COMMUNITY_RO])
                .args(o_flag(flags))
                .arg(own.target())
                .arg("SNMPv2-MIB::sysContact.0")
                .output()
                .unwrap();
            let theirs = String::from_utf8_lossy(&out.stdout)
                .trim_end_matches('\n')
                .to_string();
            let got = open(COMMUNITY_RO)
                .get(std::slice::from_ref(&contact))
                .unwrap();
            let ours = format_varbind(
                corpus(),
                &got[0],
                &OutputOptions::from_flags(flags).unwrap(),
            );
            assert_eq!(ours, theirs, "value #{i} {text:?} with -O{flags}");
        }
    }
    // A value whose type disagrees with the MIB object's SYNTAX.
    let admin = corpus().resolve("ifAdminStatus.1").unwrap();
    let vb = VarBind::new(admin, Value::OctetString(b"x".to_vec().into()));
    assert_eq!(
        format_varbind(corpus(), &vb, &OutputOptions::default()),
        "IF-MIB::ifAdminStatus.1 = Wrong Type (should be INTEGER): STRING: \"x\""
    );
    // sysUpTime.0 is DISMAN-EXPRESSION-MIB's sysUpTimeInstance, an OBJECT IDENTIFIER node
    // with no SYNTAX: Net-SNMP prints any value there by its own type.
    let up = corpus().resolve("sysUpTime.0").unwrap();
    let vb = VarBind::new(up, Value::OctetString(b"x".to_vec().into()));
    assert_eq!(
        format_varbind(corpus(), &vb, &OutputOptions::default()),
        "DISMAN-EXPRESSION-MIB::sysUpTimeInstance = STRING: \"x\""
    );
}
